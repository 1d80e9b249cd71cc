/**
 * What to do after a SEPA direct debit comes back (storno / bankstornering / afkeuring),
 * decided by the return reason code (`RtrInf/Rsn/Cd` in camt, `StsRsnInf/Rsn/Cd` in pain.002)
 * and a per-office policy. Pure: the invoice status change itself is in invoice-status.ts.
 */
import { isRecord, type ValidationResult } from './validation.js';

export const STORNO_REASON_CODES = [
  'AC01', 'AC04', 'AC06', 'AG01', 'AG02', 'AM04', 'MD01', 'MD02', 'MD06', 'MD07',
  'MS02', 'MS03', 'SL01', 'RR01', 'RR02', 'RR03', 'RR04',
] as const;
export type StornoReasonCode = (typeof STORNO_REASON_CODES)[number];

export const STORNO_REASONS: Readonly<Record<StornoReasonCode, { nl: string; en: string }>> = {
  AC01: { nl: 'Rekeningnummer (IBAN) onjuist', en: 'Account identifier (IBAN) incorrect' },
  AC04: { nl: 'Rekening opgeheven', en: 'Account closed' },
  AC06: { nl: 'Rekening geblokkeerd', en: 'Account blocked' },
  AG01: { nl: 'Incasso niet toegestaan op deze rekening', en: 'Direct debit not allowed on this account' },
  AG02: { nl: 'Onjuist volgordetype (FRST/RCUR)', en: 'Wrong sequence type (FRST/RCUR)' },
  AM04: { nl: 'Onvoldoende saldo', en: 'Insufficient funds' },
  MD01: { nl: 'Geen machtiging', en: 'No mandate' },
  MD02: { nl: 'Machtigingsgegevens onjuist of onvolledig', en: 'Mandate data missing or incorrect' },
  MD06: { nl: 'Terugboeking op verzoek van de betaler', en: 'Refund requested by the debtor' },
  MD07: { nl: 'Rekeninghouder overleden', en: 'Debtor deceased' },
  MS02: { nl: 'Geweigerd door de betaler', en: 'Refused by the debtor' },
  MS03: { nl: 'Reden niet opgegeven', en: 'Reason not specified' },
  SL01: { nl: 'Geblokkeerd door een dienst van de bank van de betaler', en: 'Blocked by a service of the debtor’s bank' },
  RR01: { nl: 'Regelgeving: identificatie van de betaler ontbreekt', en: 'Regulatory: debtor identification missing' },
  RR02: { nl: 'Regelgeving: naam of adres van de betaler ontbreekt', en: 'Regulatory: debtor name or address missing' },
  RR03: { nl: 'Regelgeving: naam of adres van de incassant ontbreekt', en: 'Regulatory: creditor name or address missing' },
  RR04: { nl: 'Regelgeving: overige reden', en: 'Regulatory reason' },
};

const UNKNOWN_REASON = { nl: 'Onbekende reden', en: 'Unknown reason code' } as const;

/**
 * Codes that must never be re-collected, whatever an office configures: the account or mandate
 * is wrong or gone, or a regulator forbids it. A policy that re-collects them is refused.
 */
export const NEVER_RECOLLECT: readonly StornoReasonCode[] = ['AC01', 'AC04', 'MD01', 'MD07', 'RR01', 'RR02', 'RR03', 'RR04'];

export type StornoAction = 'recollect' | 'remind' | 'flag-mandate';

export interface StornoRule {
  action: StornoAction;
  /** For 'recollect': how many re-collections (herincasso) at most; default 1. */
  maxRecollections?: number;
  /** For 'recollect': what to do once the re-collections are used up; default 'remind'. */
  then?: 'remind' | 'flag-mandate';
  /** For 'recollect': send the re-collection with this sequence type (AG02: 'FRST'). */
  sequenceType?: 'FRST';
}

/** Per reason code (or 'default' for every code not listed, and unknown codes). */
export type StornoPolicy = { default: StornoRule } & Partial<Record<StornoReasonCode, StornoRule>>;

const flag: StornoRule = { action: 'flag-mandate' };
const remind: StornoRule = { action: 'remind' };

/** The common Dutch practice (see REFERENCE.md, "SEPA direct debit and storno"). */
export const defaultStornoPolicy: StornoPolicy = {
  default: remind,
  AM04: { action: 'recollect', maxRecollections: 1, then: 'remind' },
  AG02: { action: 'recollect', maxRecollections: 1, then: 'remind', sequenceType: 'FRST' },
  MD06: remind,
  MS02: remind,
  MS03: remind,
  AC01: flag,
  AC04: flag,
  AC06: flag,
  AG01: flag,
  MD01: flag,
  MD02: flag,
  MD07: flag,
  SL01: flag,
  RR01: flag,
  RR02: flag,
  RR03: flag,
  RR04: flag,
};

export function isStornoReasonCode(code: string): code is StornoReasonCode {
  return (STORNO_REASON_CODES as readonly string[]).includes(code);
}

/** Dutch and English description of a code; unknown codes get a generic text. */
export function describeStornoReason(code: string): { nl: string; en: string } {
  const c = code.trim().toUpperCase();
  return isStornoReasonCode(c) ? STORNO_REASONS[c] : UNKNOWN_REASON;
}

export interface StornoDecision {
  action: StornoAction;
  /** The normalised code (upper case) as received. */
  code: string;
  known: boolean;
  description: { nl: string; en: string };
  /** Why this action, readable for the history and the adviser. */
  reason: string;
  /** For a re-collection: the sequence type to use (AG02). */
  sequenceType?: 'FRST';
}

/**
 * The follow-up for a storno with `reasonCode`, given how many re-collections of this invoice
 * were already made. A code not in the policy (or unknown) follows `policy.default`.
 */
export function decideStorno(policy: StornoPolicy, reasonCode: string, recollectionsSoFar: number): StornoDecision {
  if (!Number.isSafeInteger(recollectionsSoFar) || recollectionsSoFar < 0) {
    throw new RangeError(`Re-collections so far must be a whole number ≥ 0: ${recollectionsSoFar}`);
  }
  const code = String(reasonCode ?? '').trim().toUpperCase();
  const known = isStornoReasonCode(code);
  const description = describeStornoReason(code);
  const ownRule = known ? policy[code] : undefined;
  const rule = ownRule ?? policy.default;
  const label = `${code || '(none)'} (${description.en})`;
  const source = ownRule ? `the policy for ${code}` : 'the default policy';

  // Safety net for a policy that was not validated: never re-collect these.
  if (known && rule.action === 'recollect' && NEVER_RECOLLECT.includes(code)) {
    return { action: 'flag-mandate', code, known, description, reason: `${label}: never re-collected; flag the mandate for the adviser` };
  }
  switch (rule.action) {
    case 'recollect': {
      const max = rule.maxRecollections ?? 1;
      if (recollectionsSoFar < max) {
        const seq = rule.sequenceType ? ` with sequence type ${rule.sequenceType}` : '';
        return {
          action: 'recollect',
          code,
          known,
          description,
          reason: `${label}: re-collect${seq} (${recollectionsSoFar + 1} of ${max}) per ${source}`,
          ...(rule.sequenceType ? { sequenceType: rule.sequenceType } : {}),
        };
      }
      const then = rule.then ?? 'remind';
      return {
        action: then,
        code,
        known,
        description,
        reason: `${label}: ${max} re-collection(s) already made; ${then === 'remind' ? 'reopen the invoice and start reminders' : 'flag the mandate for the adviser'} per ${source}`,
      };
    }
    case 'remind':
      return { action: 'remind', code, known, description, reason: `${label}: reopen the invoice and start reminders per ${source}` };
    case 'flag-mandate':
      return { action: 'flag-mandate', code, known, description, reason: `${label}: no retry; flag the mandate for the adviser per ${source}` };
    default:
      throw new RangeError(`Unknown storno action in policy: ${String((rule as { action: unknown }).action)}`);
  }
}

const ACTIONS: readonly StornoAction[] = ['recollect', 'remind', 'flag-mandate'];
const MAX_RECOLLECTIONS = 3;

/**
 * Checks a storno policy as configured by an office (e.g. parsed JSON) and returns it typed, or
 * every problem found, each naming the key. Rules: a `default` rule is required; keys are
 * reason codes or 'default'; `maxRecollections` (1..3), `then` and `sequenceType` only with
 * 'recollect'; the codes in NEVER_RECOLLECT and the default (which also covers unknown codes)
 * may not re-collect.
 */
export function validateStornoPolicy(input: unknown): ValidationResult<StornoPolicy> {
  const errors: string[] = [];
  if (!isRecord(input)) return { ok: false, errors: ['Storno policy must be an object keyed by reason code'] };
  if (!('default' in input)) errors.push('Storno policy needs a "default" rule (used for codes not listed and unknown codes)');
  const out: Record<string, StornoRule> = {};
  for (const [rawKey, value] of Object.entries(input)) {
    const key = rawKey === 'default' ? rawKey : rawKey.trim().toUpperCase();
    const at = `"${rawKey}"`;
    if (key !== 'default' && !isStornoReasonCode(key)) {
      errors.push(`${at} is not a known reason code (known: ${STORNO_REASON_CODES.join(', ')}, or "default")`);
      continue;
    }
    if (key in out) {
      errors.push(`${at}: reason code ${key} is listed twice`);
      continue;
    }
    if (!isRecord(value)) {
      errors.push(`${at} must be an object like { "action": "remind" }`);
      continue;
    }
    const before = errors.length;
    const action = value.action;
    if (typeof action !== 'string' || !(ACTIONS as readonly string[]).includes(action)) {
      errors.push(`${at}.action must be one of ${ACTIONS.join(', ')} (got ${JSON.stringify(action)})`);
    }
    for (const field of Object.keys(value)) {
      if (!['action', 'maxRecollections', 'then', 'sequenceType'].includes(field)) errors.push(`${at}.${field} is not a known field`);
    }
    const recollect = action === 'recollect';
    if (value.maxRecollections !== undefined) {
      if (!recollect) errors.push(`${at}.maxRecollections is only allowed with action "recollect"`);
      else if (!Number.isInteger(value.maxRecollections) || (value.maxRecollections as number) < 1 || (value.maxRecollections as number) > MAX_RECOLLECTIONS) {
        errors.push(`${at}.maxRecollections must be a whole number from 1 to ${MAX_RECOLLECTIONS}`);
      }
    }
    if (value.then !== undefined) {
      if (!recollect) errors.push(`${at}.then is only allowed with action "recollect"`);
      else if (value.then !== 'remind' && value.then !== 'flag-mandate') errors.push(`${at}.then must be "remind" or "flag-mandate"`);
    }
    if (value.sequenceType !== undefined) {
      if (!recollect) errors.push(`${at}.sequenceType is only allowed with action "recollect"`);
      else if (value.sequenceType !== 'FRST') errors.push(`${at}.sequenceType may only be "FRST"`);
    }
    if (recollect && key === 'default') {
      errors.push(`"default" may not re-collect: it also covers unknown codes, which may be codes that must never be retried`);
    }
    if (recollect && (NEVER_RECOLLECT as readonly string[]).includes(key)) {
      errors.push(`${at} (${describeStornoReason(key).en}) must never be re-collected: use "flag-mandate"`);
    }
    if (errors.length === before) {
      const rule: StornoRule = { action: action as StornoAction };
      if (value.maxRecollections !== undefined) rule.maxRecollections = value.maxRecollections as number;
      if (value.then !== undefined) rule.then = value.then as 'remind' | 'flag-mandate';
      if (value.sequenceType !== undefined) rule.sequenceType = 'FRST';
      out[key] = rule;
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, value: out as StornoPolicy };
}
