/**
 * The contract-test runner (issue 17, deliverable 6): reads every sample message a counterpart
 * gave us (dropped in test/contract/<kind>/) with OUR readers, and says per sample what failed
 * and what was read but not understood. contract.test.ts runs it in `npm test`; runner.test.ts
 * runs it on a temp folder so we know it can fail.
 *
 * Per sample:
 *   read      the reader takes it without error (HDN: readHdnMessageDetailed; AFD 1.0:
 *             readRiskAfd with the configured RISK mapping, plus the generic readAfd).
 *   no loss   read -> write -> read gives the same result where we have a writer for it (HDN public
 *             shape: writeMappedMessage; HDN <HDN> shape: buildHdn; AFD: writeAfd and writeRiskAfd).
 *   findings  unknown codes, unknown elements kept, labels the RISK mapping does not read, a version
 *             read by a newer/older data file: reported, never a failure (a real sample is allowed
 *             to carry more than we understand; the report says what).
 *   expect    `<name>.expect.json` next to the sample, when present: the fields the reader must
 *             produce (dotted paths into the domain message), or that the sample must be refused.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, relative, sep } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { readAfd, writeAfd, type AfdEntity, type AfdMessage } from '../../integrations/afd/index.js';
import { AfdError } from '../../integrations/afd/types.js';
import { buildHdn, defaultHdnParseLimits } from '../../integrations/hdn/codec.js';
import { detectMappedMessageType, hdnMappingFor, rawTextElementsFor, readMappedMessage, writeMappedMessage } from '../../integrations/hdn/mapping/index.js';
import { readHdnMessageDetailed, type HdnReadOptions, type HdnReadResult } from '../../integrations/hdn/read.js';
import { HdnError, type HdnMessage } from '../../integrations/hdn/types.js';
import { hdnXmlText } from '../../integrations/hdn/xml-fields.js';
import { defaultRiskAfdMapping, defineRiskAfdMapping, longTextPaths, readRiskAfd, writeRiskAfd, type RiskAfdMapping, type RiskAfdNote, type RiskAfdRead } from '../../integrations/risk/afd-mapping.js';
import { RiskError } from '../../integrations/risk/types.js';
import { readRiskAfd2Json, writeRiskAfd2Json } from '../../integrations/risk/afd2-json.js';
import { ATTRIBUTE_PREFIX, TEXT_KEY, XmlError, parseUntrustedXml, resolveXmlLimits } from '../../integrations/xml/index.js';

/** One folder per format; the folder name is the kind. */
export const contractKinds = ['hdn', 'afd', 'afd-json'] as const;
export type ContractKind = (typeof contractKinds)[number];

const sampleExtension: Record<ContractKind, string> = { hdn: '.xml', afd: '.xml', 'afd-json': '.json' };
const EXPECT_SUFFIX = '.expect.json';
/** A RISK mapping dropped beside the AFD samples (RISK's own data) is used for them. */
export const CONTRACT_MAPPING_FILE = 'mapping.json';

export interface ContractSample {
  kind: ContractKind;
  /** Absolute path of the sample. */
  file: string;
  /** Path relative to the contract folder ("hdn/lender-x/sx-09.xml"), for the report. */
  name: string;
  /** Absolute path of `<name>.expect.json`, when it exists. */
  expectFile?: string;
}

export interface SampleVerdict {
  kind: ContractKind;
  sample: string;
  ok: boolean;
  /** What failed the sample: a read error, a difference after write and read, an unmet expectation. */
  problems: string[];
  /** What was read but not understood (reported, not failing). */
  findings: string[];
  /** One line saying what was read ("SX (public 24.0) application 000123"). */
  summary?: string;
}

export interface ContractOptions {
  /** The RISK AFD mapping for AFD 1.0 samples (default: see `contractRiskMapping`). */
  riskMapping?: RiskAfdMapping;
  /** Passed to readHdnMessageDetailed (test-only data-file folders, enabled unverified codes). */
  hdn?: HdnReadOptions;
}

// ---------------------------------------------------------------------------------------------
// Finding the samples
// ---------------------------------------------------------------------------------------------

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    if (entry.startsWith('.')) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...walk(path));
    else out.push(path);
  }
  return out;
}

/** The samples in `<root>/<kind>/` (subfolders too): files with the kind's extension, not README, expect or mapping files. */
export function findSamples(root: string, kind: ContractKind): ContractSample[] {
  const ext = sampleExtension[kind];
  return walk(join(root, kind))
    .filter((file) => {
      const name = basename(file);
      if (name.endsWith(EXPECT_SUFFIX) || name === CONTRACT_MAPPING_FILE || /^readme/i.test(name)) return false;
      return extname(name).toLowerCase() === ext;
    })
    .map((file) => {
      const expectFile = join(dirname(file), `${basename(file, extname(file))}${EXPECT_SUFFIX}`);
      const sample: ContractSample = { kind, file, name: relative(root, file).split(sep).join('/') };
      if (existsSync(expectFile)) sample.expectFile = expectFile;
      return sample;
    });
}

/**
 * The RISK mapping the AFD samples are read with: `<root>/afd/mapping.json` when present (RISK's
 * data, dropped beside its samples), else the file named by RISK_AFD_MAPPING (the setting the
 * application uses once wired), else the default mapping in integrations/risk/afd-mapping.json.
 * A broken mapping file throws (TypeError naming the problem): that is a setup error, not a sample's.
 */
export function contractRiskMapping(root: string, env: NodeJS.ProcessEnv = process.env): { mapping: RiskAfdMapping; from: string } {
  const beside = join(root, 'afd', CONTRACT_MAPPING_FILE);
  const file = existsSync(beside) ? beside : env.RISK_AFD_MAPPING;
  if (file === undefined || file === '') return { mapping: defaultRiskAfdMapping, from: 'integrations/risk/afd-mapping.json (default)' };
  return { mapping: defineRiskAfdMapping(JSON.parse(readFileSync(file, 'utf8'))), from: file };
}

// ---------------------------------------------------------------------------------------------
// Comparing and describing
// ---------------------------------------------------------------------------------------------

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function show(value: unknown): string {
  const text = value === undefined ? 'absent' : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** The first place two values differ ("loanParts.1.amountCents: 123 vs 124"), or undefined when equal. */
export function firstDifference(a: unknown, b: unknown, at = ''): string | undefined {
  if (isDeepStrictEqual(a, b)) return undefined;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const d = firstDifference(a[i], b[i], at === '' ? String(i) : `${at}.${i}`);
      if (d !== undefined) return d;
    }
  } else if (isObject(a) && isObject(b)) {
    for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])]) {
      const d = firstDifference(a[key], b[key], at === '' ? key : `${at}.${key}`);
      if (d !== undefined) return d;
    }
  }
  // Same fields, same values, different prototypes (e.g. a null-prototype object): compare as data.
  if (isDeepStrictEqual(JSON.parse(JSON.stringify(a ?? null)), JSON.parse(JSON.stringify(b ?? null)))) return undefined;
  return `${at === '' ? '(whole)' : at}: ${show(a)} vs ${show(b)}`;
}

/** Value at a dotted path ("header.applicationNumber", "loanParts.0.amountCents"). */
export function valueAt(value: unknown, path: string): unknown {
  let here: unknown = value;
  for (const part of path.split('.')) {
    if (Array.isArray(here) && /^[0-9]+$/.test(part)) here = here[Number(part)];
    else if (isObject(here) && Object.hasOwn(here, part)) here = here[part];
    else return undefined;
  }
  return here;
}

/**
 * Elements kept but not read in a read HDN message: under every `extra`, each leaf as an element
 * path ("Status/AXBerichtStatusSpecificatie/Behandelaar/@team", in "extra"). Text and attributes
 * of one element are shown as the element and its attributes, not as the parser's keys.
 */
function extraLeaves(value: unknown, at: string, extraAt: string | undefined, out: string[]): void {
  const where = (path: string) => `${path.slice((extraAt ?? '').length + 1).split('.').filter((p) => p !== TEXT_KEY).map((p) => (p.startsWith(ATTRIBUTE_PREFIX) ? `@${p.slice(ATTRIBUTE_PREFIX.length)}` : p)).join('/')} (in ${extraAt})`;
  if (Array.isArray(value)) {
    value.forEach((v, i) => extraLeaves(v, `${at}.${i}`, extraAt, out));
  } else if (isObject(value)) {
    const entries = Object.entries(value);
    if (extraAt !== undefined && entries.length === 0) out.push(where(at));
    for (const [key, v] of entries) {
      const path = at === '' ? key : `${at}.${key}`;
      extraLeaves(v, path, extraAt ?? (key === 'extra' ? path : undefined), out);
    }
  } else if (extraAt !== undefined) {
    const shown = where(at);
    if (!out.includes(shown)) out.push(shown);
  }
}

function errorText(error: unknown): string {
  if (error instanceof HdnError) return `HdnError ${error.type}${error.element ? ` at ${error.element}` : ''}: ${error.message}`;
  if (error instanceof RiskError) return `RiskError ${error.type}${error.element ? ` at ${error.element}` : ''}: ${error.message}`;
  if (error instanceof AfdError) return `AfdError ${error.type}${error.path ? ` at ${error.path}` : ''}: ${error.message}`;
  if (error instanceof Error) return `${error.name} (not an error of the reader's own kind: a bug): ${error.message}`;
  return `non-error thrown: ${String(error)}`;
}

/** The type of a refusal, to compare with an expect file's `"refused": "<type>"`. */
function errorType(error: unknown): string | undefined {
  if (error instanceof HdnError || error instanceof RiskError || error instanceof AfdError) return error.type;
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Expectations
// ---------------------------------------------------------------------------------------------

export interface ContractExpectation {
  /** Dotted path into the domain message -> the value the reader must give (null: absent). */
  fields?: Record<string, unknown>;
  /** true: the reader must refuse the sample; a string: refuse it with that error type. */
  refused?: boolean | string;
}

const expectKeys = new Set(['fields', 'refused', '$comment']);

function readExpectation(file: string, problems: string[]): ContractExpectation | undefined {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    problems.push(`expect file ${basename(file)} is not JSON: ${(error as Error).message}`);
    return undefined;
  }
  if (!isObject(data)) {
    problems.push(`expect file ${basename(file)} must hold an object`);
    return undefined;
  }
  // A typo must not turn an expectation into nothing.
  for (const key of Object.keys(data)) if (!expectKeys.has(key)) problems.push(`expect file ${basename(file)}: unknown key ${JSON.stringify(key)} (known: fields, refused)`);
  if (data.fields !== undefined && !isObject(data.fields)) problems.push(`expect file ${basename(file)}: "fields" must be an object of dotted path -> value`);
  if (data.refused !== undefined && typeof data.refused !== 'boolean' && typeof data.refused !== 'string') problems.push(`expect file ${basename(file)}: "refused" must be true/false or an error type`);
  return data as ContractExpectation;
}

function checkFields(message: unknown, fields: Record<string, unknown>, problems: string[]): void {
  for (const [path, expected] of Object.entries(fields)) {
    const actual = valueAt(message, path);
    const same = expected === null ? actual === undefined || actual === null : firstDifference(actual, expected) === undefined;
    if (!same) problems.push(`expected ${path} = ${show(expected)}, read ${show(actual)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Readers per kind
// ---------------------------------------------------------------------------------------------

/** What reading one sample gave: the domain message (for expectations) or the refusal. */
interface ReadOutcome {
  message?: unknown;
  refusal?: unknown;
  /** Problems other than the refusal (round trips). */
  problems: string[];
  findings: string[];
  summary?: string;
}

/**
 * An HDN message written back by our writers, for a read -> write -> read check: the public shape
 * through the mapping (writeMappedMessage, serialised), the <HDN> shape through buildHdn.
 */
export function rewriteHdn(xml: string | Uint8Array, read: HdnReadResult, options: HdnReadOptions = {}): string {
  if (read.shape === 'legacy') return buildHdn(read.message);
  const { mappingDir, ...mappingOptions } = options;
  const { mapping } = hdnMappingFor(read.hdnVersion, { ...mappingOptions, ...(mappingDir !== undefined ? { dir: mappingDir } : {}) });
  const type = read.message.type;
  const limits = resolveXmlLimits(defaultHdnParseLimits, {}, 'HDN');
  const { document } = parseUntrustedXml(xml, { label: 'HDN message', ...limits, rawTextElements: rawTextElementsFor(mapping, type) });
  const mapped = readMappedMessage(mapping, detectMappedMessageType(mapping, document), document);
  return hdnXmlText(writeMappedMessage(mapping, mapped));
}


function readHdnSample(bytes: Uint8Array, options: ContractOptions): ReadOutcome {
  const hdnOptions = options.hdn ?? {};
  let read: HdnReadResult;
  try {
    read = readHdnMessageDetailed(bytes, undefined, hdnOptions);
  } catch (error) {
    return { refusal: error, problems: [], findings: [] };
  }
  const message: HdnMessage = read.message;
  const findings: string[] = [];
  if (read.shape === 'public' && !read.exactVersion) findings.push(`version ${message.header.messageVersion} has no data file of its own: read with ${read.hdnVersion}`);
  if (read.shape === 'legacy') findings.push('the <HDN> wrapper shape (our pre-issue-17 shape, read by the legacy reader), not the public one');
  const codes = 'codes' in message ? (message.codes ?? []) : [];
  for (const c of codes) findings.push(`${c.status} code ${JSON.stringify(c.code)} in ${c.element} (list ${c.list})`);
  const kept: string[] = [];
  extraLeaves(message, '', undefined, kept);
  for (const path of kept) findings.push(`element kept but not read: ${path}`);

  const problems: string[] = [];
  let again: HdnMessage | undefined;
  try {
    const rewritten = rewriteHdn(bytes, read, hdnOptions);
    again = readHdnMessageDetailed(rewritten, undefined, hdnOptions).message;
  } catch (error) {
    problems.push(`no loss: writing it back and reading again failed: ${errorText(error)}`);
  }
  if (again !== undefined) {
    const d = firstDifference(message, again);
    if (d !== undefined) problems.push(`no loss: read -> write -> read differs at ${d}`);
  }
  const version = read.shape === 'public' ? `public ${read.hdnVersion}` : 'legacy <HDN>';
  return { message, problems, findings, summary: `${message.type} (${version}) from node ${message.header.senderNode}, application ${message.header.applicationNumber}` };
}

/** Labels and entities the RISK mapping reads (per entity code), to report what it leaves aside. */
function mappingVocabulary(mapping: RiskAfdMapping): { entities: Set<string>; labels: Set<string> } {
  const entities = new Set(['AL', 'PP', 'VP']);
  const labels = new Set<string>();
  for (const label of Object.values(mapping.labels)) if (typeof label === 'string') labels.add(label);
  const c = mapping.coverageLabels;
  for (const entity of mapping.branches.values()) {
    entities.add(entity);
    for (const short of [c.code, c.premium, c.insuredAmount, c.description]) if (short !== null) labels.add(`${entity}_${short}`);
  }
  const d = mapping.documents;
  if (d !== null) {
    entities.add(d.entity);
    for (const short of [d.name, d.mimeType, d.content]) labels.add(`${d.entity}_${short}`);
  }
  return { entities, labels };
}

const genericLabel = /^[A-Z][A-Z0-9]_(ENTITEI|VRWRKCD|VOLGNUM|ENTREF)$/;

function unmappedAfd(model: AfdMessage, mapping: RiskAfdMapping): string[] {
  const { entities, labels } = mappingVocabulary(mapping);
  const out: string[] = [];
  const visit = (entity: AfdEntity, at: string) => {
    const path = `${at}/${entity.code}`;
    if (!entities.has(entity.code)) {
      out.push(`entity not in the RISK mapping (kept by the generic reader only): ${path}`);
      return;
    }
    for (const label of Object.keys(entity.attributes)) {
      if (!labels.has(label) && !genericLabel.test(label)) out.push(`label not in the RISK mapping (kept by the generic reader only): ${path}/${label}`);
    }
    for (const child of entity.children) visit(child, path);
  };
  for (const entity of model.entities) visit(entity, model.kind);
  return out;
}

function noteText(note: RiskAfdNote): string {
  switch (note.type) {
    case 'unknown_code':
      return `unknown code ${JSON.stringify(note.code)} (list ${note.list})${note.at ? ` at ${note.at}` : ''}`;
    case 'unknown_branch':
      return `unknown branch ${JSON.stringify(note.code)} at ${note.at}`;
    default:
      return `${note.type.replace(/_/g, ' ')} at ${note.at}`;
  }
}

/** readRiskAfd -> writeRiskAfd -> readRiskAfd: what differs, or undefined. */
function riskRoundTrip(read: RiskAfdRead, mapping: RiskAfdMapping): string | undefined {
  try {
    const rewritten = writeRiskAfd(read.message, mapping, read.premiumGrossCents !== undefined ? { premiumGrossCents: read.premiumGrossCents } : {});
    const again = readRiskAfd(rewritten, mapping);
    const d = firstDifference({ message: read.message, premiumGrossCents: read.premiumGrossCents }, { message: again.message, premiumGrossCents: again.premiumGrossCents });
    return d === undefined ? undefined : `no loss (RISK mapping): readRiskAfd -> writeRiskAfd -> read differs at ${d}`;
  } catch (error) {
    return `no loss (RISK mapping): writeRiskAfd and read again failed: ${errorText(error)}`;
  }
}

function readAfdSample(bytes: Uint8Array, options: ContractOptions): ReadOutcome {
  const mapping = options.riskMapping ?? defaultRiskAfdMapping;
  const problems: string[] = [];
  const findings: string[] = [];
  // The generic layer: structure, and no loss in the model (every label kept).
  let model: AfdMessage | undefined;
  try {
    model = readAfd(bytes, { longTextElements: longTextPaths(mapping) });
  } catch (error) {
    problems.push(`generic AFD reader refused it: ${errorText(error)}`);
  }
  if (model !== undefined) {
    findings.push(...unmappedAfd(model, mapping));
    try {
      const d = firstDifference(model, readAfd(writeAfd(model), { longTextElements: longTextPaths(mapping) }));
      if (d !== undefined) problems.push(`no loss (generic model): read -> writeAfd -> read differs at ${d}`);
    } catch (error) {
      problems.push(`no loss (generic model): writeAfd and read again failed: ${errorText(error)}`);
    }
  }
  // The RISK mapping on top: the domain message the services get.
  let read: RiskAfdRead;
  try {
    read = readRiskAfd(bytes, mapping);
  } catch (error) {
    return { refusal: error, problems, findings };
  }
  for (const note of read.notes) findings.push(noteText(note));
  const unknownBranch = read.notes.find((n) => n.type === 'unknown_branch');
  if (unknownBranch !== undefined) {
    // writeRiskAfd refuses a branch without coverage entity by design (outbound, a gap in our data is not guessed).
    findings.push(`no-loss check of the domain message skipped: branch ${JSON.stringify(unknownBranch.code)} has no coverage entity in the mapping, so writeRiskAfd cannot write it`);
  } else {
    const loss = riskRoundTrip(read, mapping);
    if (loss !== undefined) problems.push(loss);
  }
  const m = read.message;
  return { message: m, problems, findings, summary: `${model?.kind ?? mapping.kind} ${m.kind} policy ${m.policyNumber}, branch ${m.branch}, ${m.coverages.length} coverage(s)` };
}

/** AFD 2.0 JSON through the same RISK mapping (integrations/risk/afd2-json.ts; its shape is our documented guess). */
function readAfdJsonSample(bytes: Uint8Array, options: ContractOptions): ReadOutcome {
  const mapping = options.riskMapping ?? defaultRiskAfdMapping;
  let read: RiskAfdRead;
  try {
    read = readRiskAfd2Json(bytes, mapping);
  } catch (error) {
    return { refusal: error, problems: [], findings: [] };
  }
  const findings = read.notes.map(noteText);
  const problems: string[] = [];
  if (read.notes.some((n) => n.type === 'unknown_branch')) {
    findings.push('no-loss check of the domain message skipped: a branch without coverage entity in the mapping cannot be written');
  } else {
    try {
      const again = readRiskAfd2Json(writeRiskAfd2Json(read.message, mapping, read.premiumGrossCents !== undefined ? { premiumGrossCents: read.premiumGrossCents } : {}), mapping);
      const d = firstDifference({ message: read.message, premiumGrossCents: read.premiumGrossCents }, { message: again.message, premiumGrossCents: again.premiumGrossCents });
      if (d !== undefined) problems.push(`no loss (RISK mapping): readRiskAfd2Json -> writeRiskAfd2Json -> read differs at ${d}`);
    } catch (error) {
      problems.push(`no loss (RISK mapping): writeRiskAfd2Json and read again failed: ${errorText(error)}`);
    }
  }
  const m = read.message;
  return { message: m, problems, findings, summary: `AFD 2.0 ${m.kind} policy ${m.policyNumber}, branch ${m.branch}, ${m.coverages.length} coverage(s)` };
}

const readers: Record<ContractKind, (bytes: Uint8Array, options: ContractOptions) => ReadOutcome> = {
  hdn: readHdnSample,
  afd: readAfdSample,
  'afd-json': readAfdJsonSample,
};

/** Error classes each kind may refuse with; anything else thrown is a reader bug. */
const ownErrors: Record<ContractKind, (error: unknown) => boolean> = {
  hdn: (e) => e instanceof HdnError || e instanceof XmlError,
  afd: (e) => e instanceof RiskError || e instanceof AfdError,
  'afd-json': (e) => e instanceof RiskError,
};

// ---------------------------------------------------------------------------------------------
// One sample, a folder
// ---------------------------------------------------------------------------------------------

export function checkSample(sample: ContractSample, options: ContractOptions = {}): SampleVerdict {
  const problems: string[] = [];
  const expectation = sample.expectFile !== undefined ? readExpectation(sample.expectFile, problems) : undefined;
  const bytes = new Uint8Array(readFileSync(sample.file));
  const outcome = readers[sample.kind](bytes, options);
  const findings = outcome.findings;
  const mustRefuse = expectation?.refused !== undefined && expectation.refused !== false;
  if (outcome.refusal !== undefined) {
    const own = ownErrors[sample.kind](outcome.refusal);
    if (!mustRefuse || !own) problems.push(`read: ${errorText(outcome.refusal)}`);
    else if (typeof expectation?.refused === 'string' && errorType(outcome.refusal) !== expectation.refused) {
      problems.push(`expected a refusal of type ${expectation.refused}, got ${errorText(outcome.refusal)}`);
    }
    // A sample expected to be refused: its round trips are not checked (there is nothing to write).
    if (!mustRefuse) problems.push(...outcome.problems);
  } else {
    problems.push(...outcome.problems);
    if (mustRefuse) problems.push(`expected the reader to refuse it${typeof expectation?.refused === 'string' ? ` (${expectation.refused})` : ''}, but it was read`);
    if (expectation?.fields !== undefined && isObject(expectation.fields) && outcome.message !== undefined) checkFields(outcome.message, expectation.fields, problems);
  }
  const verdict: SampleVerdict = { kind: sample.kind, sample: sample.name, ok: problems.length === 0, problems, findings };
  if (outcome.summary !== undefined) verdict.summary = outcome.summary;
  return verdict;
}

/** Every sample of every kind under `root`. */
export function runContractFolder(root: string, options: ContractOptions = {}): SampleVerdict[] {
  return contractKinds.flatMap((kind) => findSamples(root, kind).map((sample) => checkSample(sample, options)));
}

/** The verdict as lines for the test output. */
export function formatVerdict(v: SampleVerdict): string {
  const lines = [`[contract] ${v.ok ? 'PASS' : 'FAIL'} ${v.sample}${v.summary ? `: ${v.summary}` : ''}`];
  for (const p of v.problems) lines.push(`  problem: ${p}`);
  for (const f of v.findings) lines.push(`  finding: ${f}`);
  return lines.join('\n');
}
