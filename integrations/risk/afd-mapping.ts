/**
 * RISK messages <-> SIVI AFD 1.0 (the generic model of integrations/afd), driven by a mapping
 * given as data (afd-mapping.json; an office or a test may load its own with
 * defineRiskAfdMapping; the running platform loads the file named by RISK_AFD_MAPPING,
 * integrations/risk/config.ts). integrations/risk/codec.ts reads every inbound and stored RISK
 * message through it; AFD 2.0 JSON goes through it too (afd2-json.ts).
 *
 * Shape, as far as REFERENCE.md shows it (labels come from the mapping, these are the defaults):
 *   <Contractdocument>
 *     <AL> AL_BERRFNR (message id), AL_FUNCTIE (numeric code -> event kind, from the mapping),
 *          AL_ADATMSG (YYYYMMDD) [+ time, version, adviser reference: labels unverified] </AL>
 *     <PP> PP_NUMMER, PP_MYAAND (insurer, PORMAA), PP_BRANCHE (ADNBRA), PP_INGDAT, PP_BETTERM,
 *          PP_TTOT (total per term), PP_BTP (gross premium)
 *       <VP> VP_RELNUM, VP_ANAAM, VP_VOORL, VP_GEBDAT </VP>       (nested in PP)
 *       <XX> XX_CODE (ADN coverage code), XX_BTP, XX_VERZSOM </XX> (XX = the branch's coverage entity)
 *       [documents: an entity named by the mapping, never DO (DO is a life coverage in AFD)]
 *     </PP>
 *   </Contractdocument>
 *
 * Reading never throws for what a later code list or mapping could explain: an unknown branch or
 * code is recorded in `notes` and the message is kept. It refuses (RiskError Invalid, naming the
 * element) what the domain cannot do without: a missing required label, a bad date or amount, an
 * AL_FUNCTIE code the mapping does not know (the event kind decides what happens to a product).
 */
import { zoneOffsetMs } from '../../domain/dates.js';
import { insuranceEventKinds, type InsuranceEventKind } from '../../domain/insurance/events.js';
import {
  AfdError,
  AfdErrorType,
  afdCodeLists,
  afdEntity,
  childrenOf,
  formatAfdDate,
  formatAfdDecimal,
  label,
  lookupAfdCode,
  parseAfdDate,
  parseAfdDecimal,
  readAfd,
  readAfdOffThread,
  writeAfd,
  type AfdEntity,
  type AfdMessage,
  type AfdParseLimits,
  type UnknownAfdCode,
} from '../afd/index.js';
import type { XmlParsePool } from '../xml/index.js';
import defaultMappingData from './afd-mapping.json' with { type: 'json' };
import { RiskError, RiskErrorType, type RiskCoverage, type RiskDocument, type RiskMessage } from './types.js';

// ---------------------------------------------------------------------------------------------
// The mapping as data
// ---------------------------------------------------------------------------------------------

/** Domain fields carried by a label of AL, PP or VP; required ones cannot be null in a mapping. */
const requiredLabels = ['messageId', 'function', 'messageDate', 'policyNumber', 'insurer', 'branch', 'premiumTotal', 'lastName', 'birthDate'] as const;
const optionalLabels = [
  'messageTime',
  'eventVersion',
  'adviserReference',
  'startDate',
  'paymentTerm',
  'premiumGross',
  'relationNumber',
  'initials',
] as const;
type RequiredField = (typeof requiredLabels)[number];
type OptionalField = (typeof optionalLabels)[number];
/** The entity each field's label must belong to (the label's prefix). */
const entityOfField: Readonly<Record<RequiredField | OptionalField, 'AL' | 'PP' | 'VP'>> = {
  messageId: 'AL',
  function: 'AL',
  messageDate: 'AL',
  messageTime: 'AL',
  eventVersion: 'AL',
  adviserReference: 'AL',
  policyNumber: 'PP',
  insurer: 'PP',
  branch: 'PP',
  startDate: 'PP',
  paymentTerm: 'PP',
  premiumTotal: 'PP',
  premiumGross: 'PP',
  relationNumber: 'VP',
  lastName: 'VP',
  initials: 'VP',
  birthDate: 'VP',
};

export type RiskAfdLabels = { readonly [F in RequiredField]: string } & { readonly [F in OptionalField]: string | null };

export interface RiskAfdDocuments {
  /** Entity code of a document (never DO: a life-insurance coverage in AFD). */
  readonly entity: string;
  /** Where the document entities sit: directly under the message or inside PP. */
  readonly parent: 'message' | 'PP';
  /** Short label names (without the prefix). */
  readonly name: string;
  readonly mimeType: string;
  /** Base64 content (may exceed the reader's text limit). */
  readonly content: string;
}

export interface RiskAfdMapping {
  readonly source: string;
  /** Root element (message kind). */
  readonly kind: string;
  readonly labels: RiskAfdLabels;
  /** Short label names inside a coverage entity (`CODE` -> `<entity>_CODE`). */
  readonly coverageLabels: { readonly code: string; readonly premium: string; readonly insuredAmount: string | null; readonly description: string | null };
  /** AL_FUNCTIE code -> event kind, and back (one code per kind for writing: the first listed). */
  readonly functionCodes: ReadonlyMap<string, InsuranceEventKind>;
  readonly functionCodeOf: ReadonlyMap<InsuranceEventKind, string>;
  /** ADNBRA branch code -> the entity code of its coverages. */
  readonly branches: ReadonlyMap<string, string>;
  /** Null: RISK's way of carrying documents is not configured (documents are then neither read nor written). */
  readonly documents: RiskAfdDocuments | null;
  /** Paths of the entries marked "verified": false (for a health/admin view and the status notes). */
  readonly unverified: readonly string[];
}

const LABEL = /^([A-Z][A-Z0-9])_[A-Z0-9]{1,16}$/;
const SHORT_LABEL = /^[A-Z0-9]{1,16}$/;
const ENTITY = /^[A-Z][A-Z0-9]$/;
const KIND = /^[A-Z][a-z][A-Za-z]*$/;
const CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;
/** Entities the mapping itself uses: a coverage or document entity cannot be one of these; DO is a life coverage. */
const reservedEntities = new Set(['AL', 'PP', 'VP']);

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks and freezes a mapping given as data (the shape of afd-mapping.json); TypeError naming the problem. */
export function defineRiskAfdMapping(data: unknown): RiskAfdMapping {
  const fail = (problem: string): never => {
    throw new TypeError(`RISK AFD mapping: ${problem}`);
  };
  if (!isObject(data)) return fail('must be an object');
  const unverified: string[] = [];
  const verified = (entry: Json, at: string): void => {
    if (typeof entry.verified !== 'boolean') fail(`${at}.verified must be true or false`);
    if (entry.verified === false) unverified.push(at);
  };
  const source = typeof data.source === 'string' ? data.source : fail('source must be a text');
  if (!isObject(data.kind) || typeof data.kind.value !== 'string' || !KIND.test(data.kind.value)) return fail('kind.value must be a message kind like "Contractdocument"');
  verified(data.kind, 'kind');
  const kind = data.kind.value;

  if (!isObject(data.labels)) return fail('labels must be an object');
  const labelsIn = data.labels;
  const labels: Record<string, string | null> = {};
  for (const field of [...requiredLabels, ...optionalLabels]) {
    const entry = labelsIn[field];
    if (!isObject(entry)) return fail(`labels.${field} must be an object { label, verified }`);
    verified(entry, `labels.${field}`);
    const value = entry.label;
    if (value === null) {
      if ((requiredLabels as readonly string[]).includes(field)) fail(`labels.${field} is required and cannot be null`);
      labels[field] = null;
      continue;
    }
    const m = typeof value === 'string' ? LABEL.exec(value) : null;
    if (!m) return fail(`labels.${field}.label must be an AFD label like "PP_NUMMER" or null`);
    if (m[1] !== entityOfField[field]) fail(`labels.${field}.label must belong to ${entityOfField[field]}, got ${String(value)}`);
    labels[field] = value as string;
  }
  const extra = Object.keys(labelsIn).filter((k) => !(k in entityOfField));
  if (extra.length > 0) fail(`labels has unknown fields: ${extra.join(', ')}`);
  const used = Object.values(labels).filter((l): l is string => l !== null);
  if (new Set(used).size !== used.length) fail('labels: one label is used for two fields');

  if (!isObject(data.coverageLabels)) return fail('coverageLabels must be an object');
  const coverageLabels: Record<string, string | null> = {};
  for (const field of ['code', 'premium', 'insuredAmount', 'description'] as const) {
    const entry = data.coverageLabels[field];
    if (!isObject(entry)) return fail(`coverageLabels.${field} must be an object { label, verified }`);
    verified(entry, `coverageLabels.${field}`);
    const optional = field === 'insuredAmount' || field === 'description';
    if (entry.label === null && optional) coverageLabels[field] = null;
    else if (typeof entry.label === 'string' && SHORT_LABEL.test(entry.label)) coverageLabels[field] = entry.label;
    else fail(`coverageLabels.${field}.label must be a short label name like "BTP"${optional ? ' or null' : ''}`);
  }

  if (!Array.isArray(data.functionCodes)) return fail('functionCodes must be a list');
  const functionCodes = new Map<string, InsuranceEventKind>();
  const functionCodeOf = new Map<InsuranceEventKind, string>();
  for (const [i, entry] of data.functionCodes.entries()) {
    if (!isObject(entry)) return fail(`functionCodes[${i}] must be an object`);
    verified(entry, `functionCodes[${i}]`);
    const { code, kind: k } = entry;
    if (typeof code !== 'string' || !/^[0-9]{1,4}$/.test(code)) return fail(`functionCodes[${i}].code must be a numeric code like "01"`);
    if (typeof k !== 'string' || !(insuranceEventKinds as readonly string[]).includes(k)) return fail(`functionCodes[${i}].kind must be one of ${insuranceEventKinds.join(', ')}`);
    if (functionCodes.has(code)) fail(`functionCodes: ${code} is listed twice`);
    functionCodes.set(code, k as InsuranceEventKind);
    if (!functionCodeOf.has(k as InsuranceEventKind)) functionCodeOf.set(k as InsuranceEventKind, code);
  }

  if (!Array.isArray(data.branches)) return fail('branches must be a list');
  const branches = new Map<string, string>();
  for (const [i, entry] of data.branches.entries()) {
    if (!isObject(entry)) return fail(`branches[${i}] must be an object`);
    verified(entry, `branches[${i}]`);
    const { code, coverageEntity } = entry;
    if (typeof code !== 'string' || !CODE.test(code)) return fail(`branches[${i}].code must be a code`);
    if (typeof coverageEntity !== 'string' || !ENTITY.test(coverageEntity)) return fail(`branches[${i}].coverageEntity must be an entity code like "XX"`);
    if (reservedEntities.has(coverageEntity)) fail(`branches[${i}].coverageEntity cannot be ${coverageEntity} (used for the message, policy or relation)`);
    if (branches.has(code)) fail(`branches: ${code} is listed twice`);
    branches.set(code, coverageEntity);
  }

  let documents: RiskAfdDocuments | null = null;
  if (data.documents !== null) {
    const d = data.documents;
    if (!isObject(d)) return fail('documents must be an object or null');
    verified(d, 'documents');
    if (typeof d.entity !== 'string' || !ENTITY.test(d.entity)) return fail('documents.entity must be an entity code');
    if (d.entity === 'DO') fail('documents.entity cannot be DO: in AFD, DO is a life-insurance coverage, not documents');
    if (reservedEntities.has(d.entity) || [...branches.values()].includes(d.entity)) fail(`documents.entity ${d.entity} is already used by the mapping`);
    if (d.parent !== 'message' && d.parent !== 'PP') return fail('documents.parent must be "message" or "PP"');
    const names = [d.name, d.mimeType, d.content];
    if (!names.every((n): n is string => typeof n === 'string' && SHORT_LABEL.test(n)) || new Set(names).size !== 3) {
      return fail('documents.name, .mimeType and .content must be three different short label names');
    }
    documents = Object.freeze({ entity: d.entity, parent: d.parent, name: names[0] as string, mimeType: names[1] as string, content: names[2] as string });
  }

  return Object.freeze({
    source,
    kind,
    labels: Object.freeze(labels) as unknown as RiskAfdLabels,
    coverageLabels: Object.freeze(coverageLabels) as unknown as RiskAfdMapping['coverageLabels'],
    functionCodes,
    functionCodeOf,
    branches,
    documents,
    unverified: Object.freeze(unverified),
  });
}

/**
 * The mapping as far as REFERENCE.md shows it (afd-mapping.json). It has no AL_FUNCTIE codes,
 * branches or document entity yet (not public): reading a real message with it refuses the
 * function code until RISK's codes are added to the data.
 */
export const defaultRiskAfdMapping: RiskAfdMapping = defineRiskAfdMapping(defaultMappingData);

// ---------------------------------------------------------------------------------------------
// AFD model -> domain
// ---------------------------------------------------------------------------------------------

/** Something read that a later code list or mapping may explain; the message is kept. */
export type RiskAfdNote =
  | { readonly type: 'unknown_code'; readonly list: string; readonly code: string; readonly at?: string }
  | { readonly type: 'unknown_branch'; readonly code: string; readonly at: string }
  /** No event version label configured or present: version 1 is used, so events order by time only. */
  | { readonly type: 'no_event_version'; readonly at: string }
  /** No time of day: the message date at 00:00 Amsterdam is used. */
  | { readonly type: 'no_message_time'; readonly at: string }
  /** A coverage without description: the ADN code list meaning, else the code, is used. */
  | { readonly type: 'no_coverage_description'; readonly at: string }
  /** AFD 2.0 JSON: a field the mapping has no label for; its value is not carried (integrations/risk/afd2-json.ts). */
  | { readonly type: 'unmapped_json_field'; readonly at: string };

export interface RiskAfdRead {
  readonly message: RiskMessage;
  /** PP_BTP (gross premium), which the domain message does not carry yet. */
  readonly premiumGrossCents?: number;
  readonly notes: readonly RiskAfdNote[];
}

function invalid(element: string, problem: string): RiskError {
  return new RiskError(RiskErrorType.Invalid, `${element} ${problem}`, { element });
}

const show = (v: string) => JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}...` : v);

/** Reads one entity code that must occur exactly once under `parent`. */
function single(parent: AfdMessage | AfdEntity, code: string, at: string): AfdEntity {
  const found = childrenOf(parent, code);
  if (found.length === 0) throw invalid(`${at}/${code}`, 'is missing');
  if (found.length > 1) throw invalid(`${at}/${code}`, `must occur once, found ${found.length}`);
  return found[0] as AfdEntity;
}

/** A label's value by its full name; "" counts as absent (AFD writes empty elements for unknown values). */
function raw(entity: AfdEntity, fullLabel: string | null): string | undefined {
  if (fullLabel === null) return undefined;
  const v = entity.attributes[fullLabel];
  return v === undefined || v === '' ? undefined : v;
}

/** Maps a read AFD model to the domain message; throws RiskError (Invalid) naming the element. */
export function afdToRisk(afd: AfdMessage, mapping: RiskAfdMapping = defaultRiskAfdMapping): RiskAfdRead {
  const L = mapping.labels;
  const root = afd.kind;
  if (afd.kind !== mapping.kind) throw invalid(root, `must be a ${mapping.kind}, got ${show(afd.kind)}`);
  const notes: RiskAfdNote[] = [];
  const unknown: UnknownAfdCode[] = [];

  const al = single(afd, 'AL', root);
  const pp = single(afd, 'PP', root);
  const alAt = `${root}/AL`;
  const ppAt = `${root}/PP`;
  const vp = single(pp, 'VP', ppAt);
  const vpAt = `${ppAt}/VP`;

  const required = (entity: AfdEntity, at: string, fullLabel: string): string => {
    const v = raw(entity, fullLabel);
    if (v === undefined) throw invalid(`${at}/${fullLabel}`, 'is missing');
    return v;
  };
  const code = (entity: AfdEntity, at: string, fullLabel: string): string => {
    const v = required(entity, at, fullLabel);
    if (!CODE.test(v)) throw invalid(`${at}/${fullLabel}`, `must be a code (letters, digits, . _ -), got ${show(v)}`);
    return v;
  };
  const date = (at: string, fullLabel: string, v: string): string => {
    const iso = parseAfdDate(v);
    if (iso === undefined) throw invalid(`${at}/${fullLabel}`, `must be a date YYYYMMDD, got ${show(v)}`);
    return iso;
  };
  // Premiums may be negative (a mutation can return premium; the old codec accepted it too).
  const cents = (at: string, fullLabel: string, v: string): number => {
    const units = parseAfdDecimal(v, 2);
    if (units === undefined) throw invalid(`${at}/${fullLabel}`, `must be an amount in euros like "123.45", got ${show(v)}`);
    return units;
  };

  const messageId = code(al, alAt, L.messageId);
  const fn = required(al, alAt, L.function);
  const kind = mapping.functionCodes.get(fn);
  if (kind === undefined) {
    const known = [...mapping.functionCodes.keys()];
    throw invalid(`${alAt}/${L.function}`, `code ${show(fn)} has no event kind in the mapping (${known.length ? `known: ${known.join(', ')}` : 'none configured: RISK must supply its AL_FUNCTIE codes'})`);
  }
  lookupAfdCode(afdCodeLists.alFunctie, fn, unknown, `${alAt}/${L.function}`);

  const day = date(alAt, L.messageDate, required(al, alAt, L.messageDate));
  const timeRaw = raw(al, L.messageTime);
  if (timeRaw === undefined) notes.push({ type: 'no_message_time', at: `${alAt}/${L.messageTime ?? 'time'}` });
  const eventAt = amsterdamInstant(day, timeRaw ?? '000000', `${alAt}/${L.messageTime ?? 'time'}`);

  const versionRaw = raw(al, L.eventVersion);
  let version = 1;
  if (versionRaw === undefined) notes.push({ type: 'no_event_version', at: `${alAt}/${L.eventVersion ?? 'version'}` });
  else if (/^[1-9][0-9]{0,8}$/.test(versionRaw)) version = Number(versionRaw);
  else throw invalid(`${alAt}/${L.eventVersion}`, `must be a positive whole number, got ${show(versionRaw)}`);
  const adviserReference = raw(al, L.adviserReference);

  const policyNumber = code(pp, ppAt, L.policyNumber);
  const insurerCode = code(pp, ppAt, L.insurer);
  lookupAfdCode(afdCodeLists.insurers, insurerCode, unknown, `${ppAt}/${L.insurer}`);
  const branch = code(pp, ppAt, L.branch);
  lookupAfdCode(afdCodeLists.adnBranches, branch, unknown, `${ppAt}/${L.branch}`);
  const startRaw = raw(pp, L.startDate);
  const termRaw = raw(pp, L.paymentTerm);
  if (termRaw !== undefined && !/^(1|3|6|12)$/.test(termRaw)) throw invalid(`${ppAt}/${L.paymentTerm}`, `must be 1, 3, 6 or 12, got ${show(termRaw)}`);
  const premiumCents = cents(ppAt, L.premiumTotal, required(pp, ppAt, L.premiumTotal));
  const grossRaw = raw(pp, L.premiumGross);
  const premiumGrossCents = grossRaw === undefined ? undefined : cents(ppAt, L.premiumGross as string, grossRaw);

  const relationNumber = raw(vp, L.relationNumber);
  const initials = raw(vp, L.initials);
  const lastName = required(vp, vpAt, L.lastName);
  const birthDate = date(vpAt, L.birthDate, required(vp, vpAt, L.birthDate));

  // Coverages: the branch's own entity; for an unknown branch every configured coverage entity
  // is tried (a branch missing from the data must not lose the coverages RISK sent).
  let coverageEntities: string[];
  const own = mapping.branches.get(branch);
  if (own !== undefined) coverageEntities = [own];
  else {
    notes.push({ type: 'unknown_branch', code: branch, at: `${ppAt}/${L.branch}` });
    coverageEntities = [...new Set(mapping.branches.values())];
  }
  const coverages: RiskCoverage[] = [];
  for (const entityCode of coverageEntities) {
    childrenOf(pp, entityCode).forEach((e, i) => {
      coverages.push(readCoverage(e, `${ppAt}/${entityCode}[${i + 1}]`, mapping, notes, unknown));
    });
  }

  const documents: RiskDocument[] = [];
  const docs = mapping.documents;
  if (docs !== null) {
    const parent = docs.parent === 'PP' ? pp : afd;
    const parentAt = docs.parent === 'PP' ? ppAt : root;
    childrenOf(parent, docs.entity).forEach((e, i) => {
      const at = `${parentAt}/${docs.entity}[${i + 1}]`;
      const name = required(e, at, `${docs.entity}_${docs.name}`);
      if (/[/\\]/.test(name)) throw invalid(`${at}/${docs.entity}_${docs.name}`, 'must be a file name without a path');
      const content = required(e, at, `${docs.entity}_${docs.content}`).replace(/\s+/g, '');
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(content) || content.length % 4 !== 0) throw invalid(`${at}/${docs.entity}_${docs.content}`, 'must be base64');
      documents.push({ name, mimeType: required(e, at, `${docs.entity}_${docs.mimeType}`), contentBase64: content });
    });
  }

  for (const u of unknown) notes.push({ type: 'unknown_code', list: u.list, code: u.code, ...(u.at !== undefined ? { at: u.at } : {}) });

  const message: RiskMessage = {
    messageId,
    kind,
    version,
    eventAt,
    ...(adviserReference !== undefined ? { adviserReference } : {}),
    policyNumber,
    insurerCode,
    branch,
    ...(startRaw !== undefined ? { startDate: date(ppAt, L.startDate as string, startRaw) } : {}),
    premiumCents,
    ...(termRaw !== undefined ? { paymentTermMonths: Number(termRaw) } : {}),
    relation: {
      ...(relationNumber !== undefined ? { relationNumber } : {}),
      lastName,
      ...(initials !== undefined ? { initials } : {}),
      birthDate,
    },
    coverages,
    documents,
  };
  return { message, ...(premiumGrossCents !== undefined ? { premiumGrossCents } : {}), notes };
}

function readCoverage(e: AfdEntity, at: string, mapping: RiskAfdMapping, notes: RiskAfdNote[], unknown: UnknownAfdCode[]): RiskCoverage {
  const C = mapping.coverageLabels;
  const full = (short: string) => `${e.code}_${short}`;
  const codeRaw = label(e, C.code);
  if (codeRaw === undefined || codeRaw === '') throw invalid(`${at}/${full(C.code)}`, 'is missing');
  if (!CODE.test(codeRaw)) throw invalid(`${at}/${full(C.code)}`, `must be a code, got ${show(codeRaw)}`);
  const entry = lookupAfdCode(afdCodeLists.adnCoverages, codeRaw, unknown, `${at}/${full(C.code)}`);
  const premiumRaw = label(e, C.premium);
  if (premiumRaw === undefined || premiumRaw === '') throw invalid(`${at}/${full(C.premium)}`, 'is missing');
  const premiumCents = parseAfdDecimal(premiumRaw, 2);
  if (premiumCents === undefined) throw invalid(`${at}/${full(C.premium)}`, `must be an amount in euros, got ${show(premiumRaw)}`);
  const insuredRaw = C.insuredAmount === null ? undefined : label(e, C.insuredAmount);
  let insuredAmountCents: number | undefined;
  if (insuredRaw !== undefined && insuredRaw !== '') {
    insuredAmountCents = parseAfdDecimal(insuredRaw, 2);
    if (insuredAmountCents === undefined || insuredAmountCents < 0) throw invalid(`${at}/${full(C.insuredAmount as string)}`, `must be an amount in euros, got ${show(insuredRaw)}`);
  }
  let description = C.description === null ? undefined : label(e, C.description);
  if (description === undefined || description === '') {
    notes.push({ type: 'no_coverage_description', at });
    description = entry?.meaning ?? codeRaw;
  }
  return { code: codeRaw, description, premiumCents, ...(insuredAmountCents !== undefined ? { insuredAmountCents } : {}) };
}

/** Amsterdam wall clock (date YYYY-MM-DD, time HHMMSS) as an ISO instant. */
function amsterdamInstant(isoDate: string, hhmmss: string, at: string): string {
  const t = /^([01][0-9]|2[0-3])([0-5][0-9])([0-5][0-9])$/.exec(hhmmss);
  if (!t) throw invalid(at, `must be a time HHMMSS, got ${show(hhmmss)}`);
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d, Number(t[1]), Number(t[2]), Number(t[3]));
  const offset = zoneOffsetMs(new Date(wall - zoneOffsetMs(new Date(wall))));
  return new Date(wall - offset).toISOString();
}

/** An instant as Amsterdam wall clock [YYYYMMDD, HHMMSS]. */
function amsterdamWallClock(isoInstant: string): [string, string] {
  const at = new Date(isoInstant);
  const iso = new Date(at.getTime() + zoneOffsetMs(at)).toISOString();
  return [formatAfdDate(iso.slice(0, 10)), iso.slice(11, 19).replace(/:/g, '')];
}

// ---------------------------------------------------------------------------------------------
// Domain -> AFD model
// ---------------------------------------------------------------------------------------------

export interface RiskAfdWriteExtras {
  /** PP_BTP, when known (the domain message carries only the total). */
  readonly premiumGrossCents?: number;
}

const short = (fullLabel: string | null): string | undefined => (fullLabel === null ? undefined : fullLabel.slice(3));

/**
 * The AFD model of a domain message. Throws RiskError (Invalid) for what the mapping cannot
 * express: an event kind without a function code, a branch without a coverage entity (outbound we
 * author the message, so a gap in our data is refused, not guessed), documents with no document
 * entity configured, an event version other than 1 with no version label.
 */
export function riskToAfd(m: RiskMessage, mapping: RiskAfdMapping = defaultRiskAfdMapping, extras: RiskAfdWriteExtras = {}): AfdMessage {
  const L = mapping.labels;
  const fn = mapping.functionCodeOf.get(m.kind);
  if (fn === undefined) throw invalid(`${mapping.kind}/AL/${L.function}`, `has no code for event kind ${m.kind} in the mapping`);
  const coverageEntity = mapping.branches.get(m.branch);
  if (coverageEntity === undefined && m.coverages.length > 0) {
    throw invalid(`${mapping.kind}/PP/${L.branch}`, `branch ${show(m.branch)} has no coverage entity in the mapping`);
  }
  if (L.eventVersion === null && m.version !== 1) throw invalid(`${mapping.kind}/AL`, `cannot carry event version ${m.version}: no version label in the mapping`);
  if (m.documents.length > 0 && mapping.documents === null) throw invalid(`${mapping.kind}`, 'cannot carry documents: no document entity in the mapping');
  const [day, time] = amsterdamWallClock(m.eventAt);
  const money = (c: number | undefined) => (c === undefined ? undefined : formatAfdDecimal(c, 2));

  const alLabels: Record<string, string | undefined> = {};
  const put = (target: Record<string, string | undefined>, fullLabel: string | null, value: string | undefined) => {
    const s = short(fullLabel);
    if (s !== undefined) target[s] = value;
  };
  put(alLabels, L.messageId, m.messageId);
  put(alLabels, L.function, fn);
  put(alLabels, L.messageDate, day);
  put(alLabels, L.messageTime, time);
  put(alLabels, L.eventVersion, String(m.version));
  put(alLabels, L.adviserReference, m.adviserReference);

  const vpLabels: Record<string, string | undefined> = {};
  put(vpLabels, L.relationNumber, m.relation.relationNumber);
  put(vpLabels, L.lastName, m.relation.lastName);
  put(vpLabels, L.initials, m.relation.initials);
  put(vpLabels, L.birthDate, formatAfdDate(m.relation.birthDate));

  const C = mapping.coverageLabels;
  const coverages = m.coverages.map((c, i) => {
    const labels: Record<string, string | undefined> = { [C.code]: c.code, [C.premium]: money(c.premiumCents) };
    if (C.insuredAmount !== null) labels[C.insuredAmount] = money(c.insuredAmountCents);
    if (C.description !== null) labels[C.description] = c.description;
    return afdEntity(coverageEntity as string, labels, { sequence: i + 1 });
  });
  const docs = mapping.documents;
  const documents =
    docs === null ? [] : m.documents.map((d, i) => afdEntity(docs.entity, { [docs.name]: d.name, [docs.mimeType]: d.mimeType, [docs.content]: d.contentBase64 }, { sequence: i + 1 }));

  const ppLabels: Record<string, string | undefined> = {};
  put(ppLabels, L.policyNumber, m.policyNumber);
  put(ppLabels, L.insurer, m.insurerCode);
  put(ppLabels, L.branch, m.branch);
  put(ppLabels, L.startDate, m.startDate === undefined ? undefined : formatAfdDate(m.startDate));
  put(ppLabels, L.paymentTerm, m.paymentTermMonths === undefined ? undefined : String(m.paymentTermMonths));
  put(ppLabels, L.premiumTotal, money(m.premiumCents));
  put(ppLabels, L.premiumGross, money(extras.premiumGrossCents));

  const vp = afdEntity('VP', vpLabels, { sequence: 1 });
  const pp = afdEntity('PP', ppLabels, { sequence: 1, children: [vp, ...coverages, ...(docs?.parent === 'PP' ? documents : [])] });
  return {
    kind: mapping.kind,
    rootAttributes: {},
    entities: [afdEntity('AL', alLabels), pp, ...(docs?.parent === 'message' ? documents : [])],
  };
}

// ---------------------------------------------------------------------------------------------
// XML
// ---------------------------------------------------------------------------------------------

const afdToRiskErrorType: Readonly<Record<AfdErrorType, RiskErrorType>> = {
  [AfdErrorType.TooLarge]: RiskErrorType.TooLarge,
  [AfdErrorType.ForbiddenConstruct]: RiskErrorType.ForbiddenConstruct,
  [AfdErrorType.TooDeep]: RiskErrorType.TooDeep,
  [AfdErrorType.Malformed]: RiskErrorType.Malformed,
  [AfdErrorType.NotAMessage]: RiskErrorType.Invalid,
  [AfdErrorType.UnknownElement]: RiskErrorType.Invalid,
  [AfdErrorType.AttributeOutsideEntity]: RiskErrorType.Invalid,
  [AfdErrorType.PrefixMismatch]: RiskErrorType.Invalid,
  [AfdErrorType.DuplicateLabel]: RiskErrorType.Invalid,
  [AfdErrorType.EntityCodeMismatch]: RiskErrorType.Invalid,
  [AfdErrorType.BadSequenceNumber]: RiskErrorType.Invalid,
  [AfdErrorType.DuplicateSequenceNumber]: RiskErrorType.Invalid,
  [AfdErrorType.DanglingReference]: RiskErrorType.Invalid,
  [AfdErrorType.UnexpectedContent]: RiskErrorType.Invalid,
  [AfdErrorType.UnwritableValue]: RiskErrorType.Invalid,
};

/** Runs `run`, turning an AfdError into the RiskError of the same kind (the element path kept). */
function toRiskError(error: AfdError): RiskError {
  return new RiskError(afdToRiskErrorType[error.type], error.message, { ...(error.path !== undefined ? { element: error.path } : {}), cause: error });
}

function asRiskError<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    throw error instanceof AfdError ? toRiskError(error) : error;
  }
}

/** Dotted paths of the inline document content, exempt from the text-length limit. */
export function longTextPaths(mapping: RiskAfdMapping): string[] {
  const d = mapping.documents;
  if (d === null) return [];
  return [[mapping.kind, ...(d.parent === 'PP' ? ['PP'] : []), d.entity, `${d.entity}_${d.content}`].join('.')];
}

/** Untrusted RISK AFD XML -> domain message (+ notes); throws RiskError. */
export function readRiskAfd(xml: string | Uint8Array, mapping: RiskAfdMapping = defaultRiskAfdMapping, limits?: Partial<AfdParseLimits>): RiskAfdRead {
  const afd = asRiskError(() => readAfd(xml, { kinds: [mapping.kind], longTextElements: longTextPaths(mapping), ...(limits ? { limits } : {}) }));
  return afdToRisk(afd, mapping);
}

/**
 * `readRiskAfd` with the XML parsed in a thread of the XML pool (the mapping is not cloneable and
 * cheap, so it runs here on the parsed model); RiskError as in line, XmlPoolError when the pool
 * failed the job.
 */
export async function readRiskAfdOffThread(
  pool: XmlParsePool,
  xml: string | Uint8Array,
  mapping: RiskAfdMapping = defaultRiskAfdMapping,
  limits?: Partial<AfdParseLimits>,
): Promise<RiskAfdRead> {
  let afd: AfdMessage;
  try {
    afd = await readAfdOffThread(pool, xml, { kinds: [mapping.kind], longTextElements: longTextPaths(mapping), ...(limits ? { limits } : {}) });
  } catch (error) {
    throw error instanceof AfdError ? toRiskError(error) : error;
  }
  return afdToRisk(afd, mapping);
}

/** Domain message -> RISK AFD XML (the simulator's and the tests' writer); throws RiskError. */
export function writeRiskAfd(m: RiskMessage, mapping: RiskAfdMapping = defaultRiskAfdMapping, extras: RiskAfdWriteExtras = {}): string {
  const afd = riskToAfd(m, mapping, extras);
  return asRiskError(() => writeAfd(afd, { kinds: [mapping.kind] }));
}
