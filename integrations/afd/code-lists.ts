/**
 * AFD code lists as data: one JSON file per list under code-lists/ (what REFERENCE.md gives, no
 * more; each file says where its codes come from and whether the list is known to be complete),
 * and a lookup that records an unknown code instead of throwing, so a message with a code we do
 * not know yet is kept and flagged, never refused for it.
 *
 * An office with SIVI's full lists loads them with `defineAfdCodeList` (same JSON shape).
 */
import adnDekking from './code-lists/adn-dekking.json' with { type: 'json' };
import adnbra from './code-lists/adnbra.json' with { type: 'json' };
import alFunctie from './code-lists/al-functie.json' with { type: 'json' };
import pormaa from './code-lists/pormaa.json' with { type: 'json' };
import ppBetterm from './code-lists/pp-betterm.json' with { type: 'json' };

export interface AfdCodeEntry {
  readonly code: string;
  /** What the code means, when the source says; null when only the code is known. */
  readonly meaning: string | null;
}

export interface AfdCodeList {
  /** List name ("ADNBRA") or, for a label's own list, the label ("AL_FUNCTIE"). */
  readonly id: string;
  /** Labels whose values come from this list. */
  readonly labels: readonly string[];
  /** Where the codes come from. */
  readonly source: string;
  /** False when the source gives only part of the list: an unknown code is then no sign of a bad message. */
  readonly complete: boolean;
  readonly codes: ReadonlyMap<string, AfdCodeEntry>;
}

/** A code read that its list does not hold. */
export interface UnknownAfdCode {
  readonly list: string;
  readonly code: string;
  /** Where it was read ("Contractdocument/PP[1]/PP_BRANCHE"), when the caller says. */
  readonly at?: string;
}

const CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;
const LABEL = /^[A-Z][A-Z0-9]_[A-Z0-9]{1,16}$/;

/** Checks and freezes a code list given as data (the JSON shape of code-lists/*.json); TypeError naming the problem. */
export function defineAfdCodeList(data: unknown): AfdCodeList {
  const fail = (problem: string): never => {
    throw new TypeError(`AFD code list: ${problem}`);
  };
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return fail('must be an object');
  const d = data as Record<string, unknown>;
  const id = typeof d.id === 'string' && d.id.length > 0 && d.id.length <= 40 ? d.id : fail('id must be a short text');
  const source = typeof d.source === 'string' ? d.source : fail(`${id}: source must be a text`);
  const complete = typeof d.complete === 'boolean' ? d.complete : fail(`${id}: complete must be true or false`);
  if (!Array.isArray(d.labels) || !d.labels.every((l): l is string => typeof l === 'string' && LABEL.test(l))) {
    return fail(`${id}: labels must be AFD labels like "PP_BRANCHE"`);
  }
  if (!Array.isArray(d.codes)) return fail(`${id}: codes must be a list`);
  const codes = new Map<string, AfdCodeEntry>();
  for (const [i, entry] of d.codes.entries()) {
    if (typeof entry !== 'object' || entry === null) return fail(`${id}: codes[${i}] must be an object`);
    const { code, meaning } = entry as Record<string, unknown>;
    if (typeof code !== 'string' || !CODE.test(code)) return fail(`${id}: codes[${i}].code must be a code (letters, digits, . _ -)`);
    if (meaning !== null && typeof meaning !== 'string') return fail(`${id}: codes[${i}].meaning must be a text or null`);
    if (codes.has(code)) return fail(`${id}: code ${JSON.stringify(code)} is listed twice`);
    codes.set(code, Object.freeze({ code, meaning }));
  }
  return Object.freeze({ id, labels: Object.freeze([...d.labels]), source, complete, codes });
}

/** The lists as far as REFERENCE.md gives them (see each file's $comment). */
export const afdCodeLists = Object.freeze({
  alFunctie: defineAfdCodeList(alFunctie),
  adnBranches: defineAfdCodeList(adnbra),
  adnCoverages: defineAfdCodeList(adnDekking),
  insurers: defineAfdCodeList(pormaa),
  paymentTerms: defineAfdCodeList(ppBetterm),
});

/**
 * The entry for `code` in `list`; undefined when the list does not hold it, and then the code is
 * appended to `unknown` (when given) with `at`, for the caller to keep with the message.
 */
export function lookupAfdCode(list: AfdCodeList, code: string, unknown?: UnknownAfdCode[], at?: string): AfdCodeEntry | undefined {
  const entry = list.codes.get(code);
  if (entry === undefined && unknown) unknown.push(at === undefined ? { list: list.id, code } : { list: list.id, code, at });
  return entry;
}
