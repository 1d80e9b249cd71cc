/**
 * RISK messages as SIVI AFD 2.0 JSON, read and written THROUGH THE SAME RiskAfdMapping as AFD 1.0
 * XML (integrations/risk/afd-mapping.ts): a JSON message is turned into the AFD model (entities
 * and labels named by the mapping) and then read by `afdToRisk`, so function codes, branches,
 * coverage entities, code-list notes and every refusal are the same for both forms.
 *
 * UNVERIFIED SHAPE. Public sources (shared/REFERENCE.md) only say AFD 2.0 is camelCase JSON with
 * the same code lists, and name `policy.contractNumber`, `businessLine` and `porCompany`. Every
 * other name below, the nesting, and the value notation (ISO dates, "HH:MM:SS" times, amounts as
 * JSON numbers in euros, integers as numbers) is OUR choice of the most likely shape and is
 * marked `verified: false` in `afd2JsonFields`; replace it from RISK's AFD 2.0 definition:
 *
 *   { "afdVersion": "2.0", "messageKind": "Contractdocument",
 *     "message": { "reference", "function", "date", "time", "version", "adviserReference" },
 *     "policy":  { "contractNumber", "porCompany", "businessLine", "startDate", "paymentTerm",
 *                  "totalPremium", "grossPremium",
 *                  "policyholder": { "relationNumber", "lastName", "initials", "birthDate" },
 *                  "coverages": [ { "code", "grossPremium", "insuredAmount", "description" } ],
 *                  "documents": [ { "name", "mimeType", "content" } ] } }
 *
 * (documents sit in `policy` or at the top level, as the mapping's `documents.parent` says.)
 * A field the mapping has no label for (e.g. `message.version` with the default mapping) cannot
 * be carried: it is left out with an `unmapped_json_field` note, never guessed.
 */
import { afdEntity, formatAfdDecimal, parseAfdDate, parseAfdDecimal, type AfdEntity, type AfdMessage } from '../afd/index.js';
import { afdToRisk, riskToAfd, type RiskAfdLabels, type RiskAfdMapping, type RiskAfdNote, type RiskAfdRead, type RiskAfdWriteExtras } from './afd-mapping.js';
import { RiskError, RiskErrorType, type RiskMessage } from './types.js';

type Field = keyof RiskAfdLabels;
type ValueType = 'text' | 'date' | 'time' | 'money' | 'integer';

export interface Afd2JsonField {
  readonly field: Field;
  readonly path: readonly string[];
  readonly type: ValueType;
  /** true only for the names REFERENCE.md shows. */
  readonly verified: boolean;
}

/** Domain field (the mapping's label field) -> JSON path. Only three names are public. */
export const afd2JsonFields: readonly Afd2JsonField[] = Object.freeze([
  { field: 'messageId', path: ['message', 'reference'], type: 'text', verified: false },
  { field: 'function', path: ['message', 'function'], type: 'text', verified: false },
  { field: 'messageDate', path: ['message', 'date'], type: 'date', verified: false },
  { field: 'messageTime', path: ['message', 'time'], type: 'time', verified: false },
  { field: 'eventVersion', path: ['message', 'version'], type: 'integer', verified: false },
  { field: 'adviserReference', path: ['message', 'adviserReference'], type: 'text', verified: false },
  { field: 'policyNumber', path: ['policy', 'contractNumber'], type: 'text', verified: true },
  { field: 'insurer', path: ['policy', 'porCompany'], type: 'text', verified: true },
  { field: 'branch', path: ['policy', 'businessLine'], type: 'text', verified: true },
  { field: 'startDate', path: ['policy', 'startDate'], type: 'date', verified: false },
  { field: 'paymentTerm', path: ['policy', 'paymentTerm'], type: 'integer', verified: false },
  { field: 'premiumTotal', path: ['policy', 'totalPremium'], type: 'money', verified: false },
  { field: 'premiumGross', path: ['policy', 'grossPremium'], type: 'money', verified: false },
  { field: 'relationNumber', path: ['policy', 'policyholder', 'relationNumber'], type: 'text', verified: false },
  { field: 'lastName', path: ['policy', 'policyholder', 'lastName'], type: 'text', verified: false },
  { field: 'initials', path: ['policy', 'policyholder', 'initials'], type: 'text', verified: false },
  { field: 'birthDate', path: ['policy', 'policyholder', 'birthDate'], type: 'date', verified: false },
] as const);

/** Coverage and document member names (unverified). */
const coverageKeys = { code: 'code', premium: 'grossPremium', insuredAmount: 'insuredAmount', description: 'description' } as const;
const documentKeys = { name: 'name', mimeType: 'mimeType', content: 'content' } as const;

export const AFD2_VERSION = '2.0';
/** A JSON RISK message is small; its documents are inline base64 like in AFD 1.0. */
export const AFD2_MAX_BYTES = 10 * 1024 * 1024;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const own = (o: Json, key: string): unknown => (Object.prototype.hasOwnProperty.call(o, key) ? o[key] : undefined);

function invalid(element: string, problem: string): RiskError {
  return new RiskError(RiskErrorType.Invalid, `${element} ${problem}`, { element });
}

function at(o: Json, path: readonly string[]): unknown {
  let v: unknown = o;
  for (const key of path) {
    if (!isObject(v)) return undefined;
    v = own(v, key);
  }
  return v;
}

const dotted = (path: readonly string[]) => path.join('.');

/** A JSON value as the AFD 1.0 raw string of its label (the mapping layer reads raw strings). */
function toRaw(value: unknown, type: ValueType, where: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  switch (type) {
    case 'text':
      if (typeof value !== 'string') throw invalid(where, 'must be a string');
      return value;
    case 'date': {
      if (typeof value !== 'string' || !/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(value)) throw invalid(where, 'must be a date "YYYY-MM-DD"');
      const raw = value.replace(/-/g, '');
      if (parseAfdDate(raw) !== value) throw invalid(where, `must be a real date, got ${JSON.stringify(value)}`);
      return raw;
    }
    case 'time':
      if (typeof value !== 'string' || !/^[0-9]{2}:[0-9]{2}:[0-9]{2}$/.test(value)) throw invalid(where, 'must be a time "HH:MM:SS"');
      return value.replace(/:/g, '');
    case 'integer':
      if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw invalid(where, 'must be a whole number');
      return String(value);
    case 'money': {
      if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(where, 'must be an amount in euros (a JSON number)');
      const cents = Math.round(value * 100);
      if (!Number.isSafeInteger(cents) || Math.abs(value * 100 - cents) > 1e-6) throw invalid(where, `must have at most 2 decimals, got ${value}`);
      return formatAfdDecimal(cents, 2);
    }
  }
}

/** The AFD 1.0 raw string of a label back as its JSON value. */
function fromRaw(raw: string, type: ValueType): unknown {
  switch (type) {
    case 'text':
      return raw;
    case 'date':
      return parseAfdDate(raw);
    case 'time':
      return `${raw.slice(0, 2)}:${raw.slice(2, 4)}:${raw.slice(4, 6)}`;
    case 'integer':
      return Number(raw);
    case 'money':
      return (parseAfdDecimal(raw, 2) as number) / 100;
  }
}

function list(o: Json, path: readonly string[]): Json[] {
  const v = at(o, path);
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw invalid(dotted(path), 'must be a list');
  return v.map((item, i) => {
    if (!isObject(item)) throw invalid(`${dotted(path)}[${i}]`, 'must be an object');
    return item;
  });
}

/** Untrusted AFD 2.0 JSON text -> the AFD model the mapping reads, plus notes for fields it cannot carry. */
export function afd2JsonToModel(text: string, mapping: RiskAfdMapping): { model: AfdMessage; notes: RiskAfdNote[] } {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new RiskError(RiskErrorType.Malformed, `RISK AFD 2.0 message is not JSON: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  if (!isObject(doc)) throw invalid('(root)', 'must be a JSON object');
  const version = own(doc, 'afdVersion');
  if (version !== undefined && version !== AFD2_VERSION) throw invalid('afdVersion', `must be "${AFD2_VERSION}", got ${JSON.stringify(version)}`);
  const kind = own(doc, 'messageKind');
  if (kind !== undefined && kind !== mapping.kind) throw invalid('messageKind', `must be "${mapping.kind}", got ${JSON.stringify(kind)}`);
  if (!isObject(own(doc, 'message'))) throw invalid('message', 'is missing');
  if (!isObject(own(doc, 'policy'))) throw invalid('policy', 'is missing');
  const policyholder = at(doc, ['policy', 'policyholder']);
  if (!isObject(policyholder)) throw invalid('policy.policyholder', 'is missing');

  const notes: RiskAfdNote[] = [];
  const byEntity: Record<'AL' | 'PP' | 'VP', Record<string, string | undefined>> = { AL: {}, PP: {}, VP: {} };
  for (const f of afd2JsonFields) {
    const where = dotted(f.path);
    const raw = toRaw(at(doc, f.path), f.type, where);
    if (raw === undefined) continue;
    const fullLabel = mapping.labels[f.field];
    if (fullLabel === null) {
      notes.push({ type: 'unmapped_json_field', at: where });
      continue;
    }
    byEntity[fullLabel.slice(0, 2) as 'AL' | 'PP' | 'VP'][fullLabel.slice(3)] = raw;
  }

  const branch = byEntity.PP[(mapping.labels.branch).slice(3)];
  const coverageJson = list(doc, ['policy', 'coverages']);
  const entityCode = (branch !== undefined ? mapping.branches.get(branch) : undefined) ?? [...mapping.branches.values()][0];
  if (coverageJson.length > 0 && entityCode === undefined) throw invalid('policy.coverages', 'cannot be read: the mapping has no coverage entity for any branch');
  const C = mapping.coverageLabels;
  const coverages = coverageJson.map((c, i) => {
    const where = `policy.coverages[${i}]`;
    const labels: Record<string, string | undefined> = {
      [C.code]: toRaw(own(c, coverageKeys.code), 'text', `${where}.${coverageKeys.code}`),
      [C.premium]: toRaw(own(c, coverageKeys.premium), 'money', `${where}.${coverageKeys.premium}`),
    };
    const insured = toRaw(own(c, coverageKeys.insuredAmount), 'money', `${where}.${coverageKeys.insuredAmount}`);
    if (C.insuredAmount !== null) labels[C.insuredAmount] = insured;
    else if (insured !== undefined) notes.push({ type: 'unmapped_json_field', at: `${where}.${coverageKeys.insuredAmount}` });
    const description = toRaw(own(c, coverageKeys.description), 'text', `${where}.${coverageKeys.description}`);
    if (C.description !== null) labels[C.description] = description;
    else if (description !== undefined) notes.push({ type: 'unmapped_json_field', at: `${where}.${coverageKeys.description}` });
    return afdEntity(entityCode as string, labels, { sequence: i + 1 });
  });

  const docs = mapping.documents;
  const docsPath = docs?.parent === 'message' ? ['documents'] : ['policy', 'documents'];
  const documentJson = list(doc, docsPath);
  if (documentJson.length > 0 && docs === null) throw invalid(dotted(docsPath), 'cannot be read: the mapping has no document entity');
  const documents: AfdEntity[] = documentJson.map((d, i) => {
    const where = `${dotted(docsPath)}[${i}]`;
    const D = docs as NonNullable<typeof docs>;
    return afdEntity(
      D.entity,
      {
        [D.name]: toRaw(own(d, documentKeys.name), 'text', `${where}.${documentKeys.name}`),
        [D.mimeType]: toRaw(own(d, documentKeys.mimeType), 'text', `${where}.${documentKeys.mimeType}`),
        [D.content]: toRaw(own(d, documentKeys.content), 'text', `${where}.${documentKeys.content}`),
      },
      { sequence: i + 1 },
    );
  });

  const vp = afdEntity('VP', byEntity.VP, { sequence: 1 });
  const pp = afdEntity('PP', byEntity.PP, { sequence: 1, children: [vp, ...coverages, ...(docs?.parent === 'PP' ? documents : [])] });
  return {
    model: { kind: mapping.kind, rootAttributes: {}, entities: [afdEntity('AL', byEntity.AL), pp, ...(docs?.parent === 'message' ? documents : [])] },
    notes,
  };
}

/** An element path of the AFD model (as afdToRisk names it) as the JSON path of the same value. */
function jsonPathOf(element: string, mapping: RiskAfdMapping): string {
  const last = element.split('/').pop() ?? element;
  const field = afd2JsonFields.find((f) => mapping.labels[f.field] === last);
  if (field) return dotted(field.path);
  const cov = /\/([A-Z][A-Z0-9])\[([0-9]+)\](?:\/[A-Z][A-Z0-9]_([A-Z0-9]+))?$/.exec(element);
  if (cov) {
    const index = Number(cov[2]) - 1;
    const shortLabel = cov[3];
    if (mapping.documents !== null && cov[1] === mapping.documents.entity) {
      const base = `${mapping.documents.parent === 'message' ? 'documents' : 'policy.documents'}[${index}]`;
      const key = (Object.keys(documentKeys) as (keyof typeof documentKeys)[]).find((k) => mapping.documents?.[k] === shortLabel);
      return key ? `${base}.${documentKeys[key]}` : base;
    }
    const C = mapping.coverageLabels;
    const key = (Object.keys(coverageKeys) as (keyof typeof coverageKeys)[]).find((k) => C[k] === shortLabel);
    return key ? `policy.coverages[${index}].${coverageKeys[key]}` : `policy.coverages[${index}]`;
  }
  if (/\/VP$/.test(element)) return 'policy.policyholder';
  return element;
}

/** Untrusted AFD 2.0 JSON (text or UTF-8 bytes) -> domain message + notes; throws RiskError naming the JSON path. */
export function readRiskAfd2Json(body: string | Uint8Array, mapping: RiskAfdMapping, maxBytes = AFD2_MAX_BYTES): RiskAfdRead {
  const size = typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.byteLength;
  if (size > maxBytes) throw new RiskError(RiskErrorType.TooLarge, `RISK AFD 2.0 message is ${size} bytes, over the limit of ${maxBytes}`);
  let text: string;
  try {
    text = typeof body === 'string' ? body : new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch (err) {
    throw new RiskError(RiskErrorType.Malformed, 'RISK AFD 2.0 message is not UTF-8', { cause: err });
  }
  const { model, notes } = afd2JsonToModel(text, mapping);
  try {
    const read = afdToRisk(model, mapping);
    return { ...read, notes: [...notes, ...read.notes] };
  } catch (err) {
    if (err instanceof RiskError && err.element !== undefined) {
      const path = jsonPathOf(err.element, mapping);
      throw new RiskError(err.type, `${path}: ${err.message}`, { element: path, cause: err });
    }
    throw err;
  }
}

/** Domain message -> AFD 2.0 JSON through the mapping (tests and the round trip; RISK writes its own). */
export function writeRiskAfd2Json(m: RiskMessage, mapping: RiskAfdMapping, extras: RiskAfdWriteExtras = {}): string {
  const model = riskToAfd(m, mapping, extras);
  const al = model.entities.find((e) => e.code === 'AL') as AfdEntity;
  const pp = model.entities.find((e) => e.code === 'PP') as AfdEntity;
  const vp = pp.children.find((e) => e.code === 'VP') as AfdEntity;
  const entities = { AL: al, PP: pp, VP: vp };
  const out: Json = { afdVersion: AFD2_VERSION, messageKind: mapping.kind, message: {}, policy: { policyholder: {} } };
  const put = (path: readonly string[], value: unknown) => {
    let o = out;
    for (const key of path.slice(0, -1)) o = o[key] as Json;
    o[path[path.length - 1] as string] = value;
  };
  for (const f of afd2JsonFields) {
    const fullLabel = mapping.labels[f.field];
    if (fullLabel === null) continue;
    const raw = entities[fullLabel.slice(0, 2) as 'AL' | 'PP' | 'VP'].attributes[fullLabel];
    if (raw !== undefined && raw !== '') put(f.path, fromRaw(raw, f.type));
  }
  const C = mapping.coverageLabels;
  const coverageEntities = new Set(mapping.branches.values());
  const coverages = pp.children
    .filter((e) => coverageEntities.has(e.code))
    .map((e) => {
      const get = (short: string | null) => (short === null ? undefined : e.attributes[`${e.code}_${short}`]);
      const insured = get(C.insuredAmount);
      const description = get(C.description);
      return {
        [coverageKeys.code]: get(C.code),
        [coverageKeys.premium]: fromRaw(get(C.premium) as string, 'money'),
        ...(insured !== undefined && insured !== '' ? { [coverageKeys.insuredAmount]: fromRaw(insured, 'money') } : {}),
        ...(description !== undefined && description !== '' ? { [coverageKeys.description]: description } : {}),
      };
    });
  put(['policy', 'coverages'], coverages);
  const docs = mapping.documents;
  if (docs !== null && m.documents.length > 0) {
    const parent = docs.parent === 'PP' ? pp.children : model.entities;
    const documents = parent
      .filter((e) => e.code === docs.entity)
      .map((e) => ({
        [documentKeys.name]: e.attributes[`${e.code}_${docs.name}`],
        [documentKeys.mimeType]: e.attributes[`${e.code}_${docs.mimeType}`],
        [documentKeys.content]: e.attributes[`${e.code}_${docs.content}`],
      }));
    put(docs.parent === 'PP' ? ['policy', 'documents'] : ['documents'], documents);
  }
  return `${JSON.stringify(out, null, 2)}\n`;
}
