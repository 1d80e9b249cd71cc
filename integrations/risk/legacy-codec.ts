/**
 * LEGACY: the `<AFD>` shape our first RISK codec invented (before deliverable 5 of issue 17
 * moved RISK onto real SIVI AFD 1.0, integrations/risk/afd-mapping.ts). Messages stored in this
 * shape (risk_messages.raw_xml) must stay readable in every view, export and anonymisation, so
 * the old parser lives on here; integrations/risk/codec.ts chooses it by the root element
 * `<AFD>`. New messages in this shape are refused on the inbound routes (the old function
 * words OFFERTE/DEFINITIEF/... are not AFD). `buildLegacyRisk` exists for tests only.
 *
 * Shape (our own, not AFD; no public XSD exists):
 *   <AFD versie="1.0">
 *     <AL> AL_BERICHTID, AL_FUNCTIE (OFFERTE|DEFINITIEF|MUTATIE|ROYEMENT), AL_VOLGNUM,
 *          AL_ADATMSG (YYYYMMDD), AL_ATIJDMSG (HHMMSS, Europe/Amsterdam), AL_ADVREF? </AL>
 *     <PP> PP_NUMMER, PP_MYMAA (PORMAA), PP_BRANCHE (ADNBRA), PP_INGDAT?, PP_TTOTAAL (euros "12.34"), PP_BETTERM? </PP>
 *     <VP> VP_RELNUM?, VP_ANAAM, VP_VOORL?, VP_GEBDAT </VP>
 *     <DA> DA_DEKKCODE, DA_OMSCHR, DA_PREMIE, DA_VERZSOM? </DA>   (one per coverage, at least one)
 *     <DO> DO_NAAM, DO_MIME, DO_INHOUD (base64) </DO>             (policy documents, optional)
 *   </AFD>
 *
 * Untrusted text is read by the shared hardened reader (integrations/xml: size on bytes, no
 * DOCTYPE/ENTITY/PIs, bounded depth, only XML's own references); its XmlErrors are translated
 * into RiskErrors here.
 */
import { zoneOffsetMs } from '../../domain/dates.js';
import { amountToCents, centsToAmount } from '../../domain/insurance/premium.js';
import {
  XmlErrorType,
  clip,
  parseUntrustedXml,
  resolveXmlLimits,
  translateXmlErrors,
  type XmlError,
} from '../xml/index.js';
import {
  RiskError,
  RiskErrorType,
    type InsuranceEventKind,
  type RiskCoverage,
  type RiskDocument,
  type RiskMessage,
  type RiskParseLimits,
} from './types.js';

/** An AFD message is small, but carries its documents inline (DO_INHOUD, base64: exempt from maxTextLength). */
export const legacyRiskParseLimits: Readonly<RiskParseLimits> = Object.freeze({
  maxBytes: 10 * 1024 * 1024,
  maxDepth: 16,
  maxElements: 20_000,
  maxAttributesPerElement: 16,
  maxAttributes: 20_000,
  maxTextLength: 64 * 1024,
});

export const LEGACY_RISK_ROOT = 'AFD';
const ROOT = LEGACY_RISK_ROOT;

/** The old AL_FUNCTIE words and the event kind each meant (not AFD codes). */
const legacyFunctionWords: Readonly<Record<string, InsuranceEventKind>> = Object.freeze({
  OFFERTE: 'quote',
  DEFINITIEF: 'final',
  MUTATIE: 'mutation',
  ROYEMENT: 'cancellation',
});
const YYYYMMDD = /^([0-9]{4})([0-9]{2})([0-9]{2})$/;
const HHMMSS = /^([01][0-9]|2[0-3])([0-5][0-9])([0-5][0-9])$/;
const CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function invalid(element: string, problem: string): RiskError {
  return new RiskError(RiskErrorType.Invalid, `${element} ${problem}`, { element });
}

const riskErrorTypes: Readonly<Record<XmlErrorType, RiskErrorType>> = {
  [XmlErrorType.TooLarge]: RiskErrorType.TooLarge,
  [XmlErrorType.Forbidden]: RiskErrorType.ForbiddenConstruct,
  [XmlErrorType.TooDeep]: RiskErrorType.TooDeep,
  // Over a counting limit (elements, attributes, text length): too large, like the byte limit.
  [XmlErrorType.LimitExceeded]: RiskErrorType.TooLarge,
  [XmlErrorType.NotUtf8]: RiskErrorType.Malformed,
  // Bytes declared as another encoding: RISK has always counted that as malformed.
  [XmlErrorType.WrongEncoding]: RiskErrorType.Malformed,
  [XmlErrorType.InvalidChar]: RiskErrorType.Malformed,
  [XmlErrorType.BadReference]: RiskErrorType.Malformed,
  [XmlErrorType.NotWellFormed]: RiskErrorType.Malformed,
  [XmlErrorType.Invalid]: RiskErrorType.Invalid,
};

function toRiskError(error: XmlError): RiskError {
  return new RiskError(riskErrorTypes[error.type], error.message, { element: error.path, cause: error });
}

type Node = Record<string, unknown>;
const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses a RISK message from untrusted input; throws RiskError naming the element at fault. */
export function parseLegacyRisk(xml: string | Uint8Array, limits: Partial<RiskParseLimits> = {}): RiskMessage {
  const resolved = resolveXmlLimits(legacyRiskParseLimits, limits, 'RISK');
  const { document: doc } = translateXmlErrors(
    () => parseUntrustedXml(xml, { label: 'RISK message', ...resolved, longTextElements: ['AFD.DO.DO_INHOUD'] }),
    toRiskError,
  );
  if (!isNode(doc) || Object.keys(doc).length !== 1 || !isNode(doc[ROOT])) {
    throw invalid(ROOT, 'is missing: a RISK message is an AFD document with the single root element <AFD>');
  }
  const root = doc[ROOT];
  const version = root['@_versie'];
  if (version !== undefined && version !== '1.0') throw invalid(`${ROOT}/@versie`, `must be "1.0", got ${JSON.stringify(clip(String(version)))}`);

  const al = entity(root, 'AL');
  const pp = entity(root, 'PP');
  const vp = entity(root, 'VP');

  const fn = text1(al, 'AL', 'AL_FUNCTIE');
  const kind: InsuranceEventKind | undefined = legacyFunctionWords[fn];
  if (!kind) throw invalid('AFD/AL/AL_FUNCTIE', `must be one of ${Object.keys(legacyFunctionWords).join(', ')}, got ${JSON.stringify(clip(fn))}`);
  const volgnum = text1(al, 'AL', 'AL_VOLGNUM');
  if (!/^[1-9][0-9]{0,8}$/.test(volgnum)) throw invalid('AFD/AL/AL_VOLGNUM', `must be a positive integer, got ${JSON.stringify(clip(volgnum))}`);
  const messageId = code(al, 'AL', 'AL_BERICHTID');
  const eventAt = instant(date(al, 'AL', 'AL_ADATMSG'), text1(al, 'AL', 'AL_ATIJDMSG'));
  const advRef = optText(al, 'AL', 'AL_ADVREF');

  const premium = amount(pp, 'PP', 'PP_TTOTAAL');
  const betterm = optText(pp, 'PP', 'PP_BETTERM');
  if (betterm !== undefined && !['1', '3', '6', '12'].includes(betterm)) throw invalid('AFD/PP/PP_BETTERM', `must be 1, 3, 6 or 12, got ${JSON.stringify(clip(betterm))}`);
  const startRaw = optText(pp, 'PP', 'PP_INGDAT');

  const relnum = optText(vp, 'VP', 'VP_RELNUM');
  const initials = optText(vp, 'VP', 'VP_VOORL');

  const coverages = list(root, 'DA').map((da, i) => coverage(da, `AFD/DA[${i + 1}]`));
  if (coverages.length === 0) throw invalid('AFD/DA', 'is missing: a RISK message lists at least one coverage');
  const documents = list(root, 'DO').map((d, i) => document(d, `AFD/DO[${i + 1}]`));

  return {
    messageId,
    kind,
    version: Number(volgnum),
    eventAt,
    ...(advRef !== undefined ? { adviserReference: advRef } : {}),
    policyNumber: code(pp, 'PP', 'PP_NUMMER'),
    insurerCode: code(pp, 'PP', 'PP_MYMAA'),
    branch: code(pp, 'PP', 'PP_BRANCHE'),
    ...(startRaw !== undefined ? { startDate: toDate('AFD/PP/PP_INGDAT', startRaw) } : {}),
    premiumCents: premium,
    ...(betterm !== undefined ? { paymentTermMonths: Number(betterm) } : {}),
    relation: {
      ...(relnum !== undefined ? { relationNumber: relnum } : {}),
      lastName: text1(vp, 'VP', 'VP_ANAAM'),
      ...(initials !== undefined ? { initials } : {}),
      birthDate: date(vp, 'VP', 'VP_GEBDAT'),
    },
    coverages,
    documents,
  };
}

function entity(root: Node, name: string): Node {
  const v = root[name];
  if (v === undefined) throw invalid(`AFD/${name}`, 'is missing');
  if (!isNode(v)) throw invalid(`AFD/${name}`, 'must occur once and contain fields');
  return v;
}

function list(root: Node, name: string): Node[] {
  const v = root[name];
  if (v === undefined) return [];
  const items = Array.isArray(v) ? v : [v];
  return items.map((item, i) => {
    if (!isNode(item)) throw invalid(`AFD/${name}[${i + 1}]`, 'must contain fields');
    return item;
  });
}

function optText(node: Node, path: string, name: string): string | undefined {
  const v = node[name];
  if (v === undefined || v === '') return undefined;
  if (typeof v !== 'string') throw invalid(`AFD/${path}/${name}`, 'must occur once and hold text');
  return v;
}

function text1(node: Node, path: string, name: string): string {
  const v = optText(node, path, name);
  if (v === undefined) throw invalid(`AFD/${path}/${name}`, 'is missing');
  if (v.length > 200) throw invalid(`AFD/${path}/${name}`, 'is longer than 200 characters');
  return v;
}

function code(node: Node, path: string, name: string): string {
  const v = text1(node, path, name);
  if (!CODE.test(v)) throw invalid(`AFD/${path}/${name}`, `must be a code (letters, digits, . _ -), got ${JSON.stringify(clip(v))}`);
  return v;
}

function amount(node: Node, path: string, name: string): number {
  const v = text1(node, path, name);
  const cents = amountToCents(v);
  if (cents === undefined) throw invalid(`AFD/${path}/${name}`, `must be an amount in euros like "123.45", got ${JSON.stringify(clip(v))}`);
  return cents;
}

function toDate(element: string, v: string): string {
  const m = YYYYMMDD.exec(v);
  const iso = m ? `${m[1]}-${m[2]}-${m[3]}` : '';
  if (!m || Number.isNaN(Date.parse(`${iso}T00:00:00Z`)) || new Date(`${iso}T00:00:00Z`).toISOString().slice(0, 10) !== iso) {
    throw invalid(element, `must be a date YYYYMMDD, got ${JSON.stringify(clip(v))}`);
  }
  return iso;
}

function date(node: Node, path: string, name: string): string {
  return toDate(`AFD/${path}/${name}`, text1(node, path, name));
}

/** Wall-clock date and time in Amsterdam as an ISO instant. */
function instant(isoDate: string, hhmmss: string): string {
  const t = HHMMSS.exec(hhmmss);
  if (!t) throw invalid('AFD/AL/AL_ATIJDMSG', `must be a time HHMMSS, got ${JSON.stringify(clip(hhmmss))}`);
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d, Number(t[1]), Number(t[2]), Number(t[3]));
  const offset = zoneOffsetMs(new Date(wall - zoneOffsetMs(new Date(wall))));
  return new Date(wall - offset).toISOString();
}

function coverage(da: Node, path: string): RiskCoverage {
  const rel = path.replace(/^AFD\//, '');
  const insured = optText(da, rel, 'DA_VERZSOM');
  const insuredCents = insured === undefined ? undefined : amountToCents(insured);
  if (insured !== undefined && insuredCents === undefined) throw invalid(`${path}/DA_VERZSOM`, 'must be an amount in euros');
  return {
    code: code(da, rel, 'DA_DEKKCODE'),
    description: text1(da, rel, 'DA_OMSCHR'),
    premiumCents: amount(da, rel, 'DA_PREMIE'),
    ...(insuredCents !== undefined ? { insuredAmountCents: insuredCents } : {}),
  };
}

function document(d: Node, path: string): RiskDocument {
  const rel = path.replace(/^AFD\//, '');
  const name = text1(d, rel, 'DO_NAAM');
  if (/[/\\]/.test(name)) throw invalid(`${path}/DO_NAAM`, 'must be a file name without a path');
  const mimeType = text1(d, rel, 'DO_MIME');
  const content = text1Long(d, rel, 'DO_INHOUD').replace(/\s+/g, '');
  if (!BASE64.test(content) || content.length % 4 !== 0) throw invalid(`${path}/DO_INHOUD`, 'must be base64');
  return { name, mimeType, contentBase64: content };
}

function text1Long(node: Node, path: string, name: string): string {
  const v = optText(node, path, name);
  if (v === undefined) throw invalid(`AFD/${path}/${name}`, 'is missing');
  return v;
}

// ---------------------------------------------------------------------------------------------
// Building (tests only: fixtures of rows stored before the move to AFD)
// ---------------------------------------------------------------------------------------------

export const legacyKindWords: Record<InsuranceEventKind, string> = { quote: 'OFFERTE', final: 'DEFINITIEF', mutation: 'MUTATIE', cancellation: 'ROYEMENT' };

function esc(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c);
}

const compactDate = (iso: string) => iso.replace(/-/g, '');

/** Europe/Amsterdam wall clock of an instant as [YYYYMMDD, HHMMSS]. */
function wallClock(isoInstant: string): [string, string] {
  const at = new Date(isoInstant);
  const local = new Date(at.getTime() + zoneOffsetMs(at));
  const iso = local.toISOString();
  return [compactDate(iso.slice(0, 10)), iso.slice(11, 19).replace(/:/g, '')];
}

/** Tests only: writes a message in the legacy shape (to prove old rows stay readable). */
export function buildLegacyRisk(m: RiskMessage): string {
  const f = (name: string, value: string | number | undefined) => (value === undefined ? '' : `    <${name}>${esc(String(value))}</${name}>\n`);
  const [day, time] = wallClock(m.eventAt);
  const parts = [
    '<?xml version="1.0" encoding="UTF-8"?>\n<AFD versie="1.0">\n',
    '  <AL>\n',
    f('AL_BERICHTID', m.messageId),
    f('AL_FUNCTIE', legacyKindWords[m.kind]),
    f('AL_VOLGNUM', m.version),
    f('AL_ADATMSG', day),
    f('AL_ATIJDMSG', time),
    f('AL_ADVREF', m.adviserReference),
    '  </AL>\n  <PP>\n',
    f('PP_NUMMER', m.policyNumber),
    f('PP_MYMAA', m.insurerCode),
    f('PP_BRANCHE', m.branch),
    f('PP_INGDAT', m.startDate ? compactDate(m.startDate) : undefined),
    f('PP_TTOTAAL', centsToAmount(m.premiumCents)),
    f('PP_BETTERM', m.paymentTermMonths),
    '  </PP>\n  <VP>\n',
    f('VP_RELNUM', m.relation.relationNumber),
    f('VP_ANAAM', m.relation.lastName),
    f('VP_VOORL', m.relation.initials),
    f('VP_GEBDAT', compactDate(m.relation.birthDate)),
    '  </VP>\n',
    ...m.coverages.map(
      (c) =>
        `  <DA>\n${f('DA_DEKKCODE', c.code)}${f('DA_OMSCHR', c.description)}${f('DA_PREMIE', centsToAmount(c.premiumCents))}${f(
          'DA_VERZSOM',
          c.insuredAmountCents === undefined ? undefined : centsToAmount(c.insuredAmountCents),
        )}  </DA>\n`,
    ),
    ...m.documents.map((d) => `  <DO>\n${f('DO_NAAM', d.name)}${f('DO_MIME', d.mimeType)}${f('DO_INHOUD', d.contentBase64)}  </DO>\n`),
    '</AFD>\n',
  ];
  return parts.join('');
}

