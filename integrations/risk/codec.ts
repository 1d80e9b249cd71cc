/**
 * The one way in for a RISK message, new or stored: it chooses the reader by the form of the
 * message and reads it through the RISK AFD mapping (afd-mapping.ts, selected by the setting
 * RISK_AFD_MAPPING, integrations/risk/config.ts).
 *
 *   AFD 1.0 XML, root = the mapping's kind (<Contractdocument>)  -> readRiskAfd        (afd-mapping.ts)
 *   AFD 2.0 JSON (a JSON object)                                 -> readRiskAfd2Json   (afd2-json.ts, shape unverified)
 *   our old invented <AFD> shape (rows stored before issue 17)  -> parseLegacyRisk    (legacy-codec.ts)
 *
 * Inbound routes say which forms they accept (`accept`): a new message in the legacy shape is
 * refused there (its function words are not AFD); stored rows are read in every form, so views,
 * exports and anonymisation keep working on old rows.
 */
import { centsToAmount } from '../../domain/insurance/premium.js';
import type { SerializedError, XmlParsePool } from '../xml/index.js';
import { defaultAfdParseLimits, type AfdParseLimits } from '../afd/index.js';
import { readRiskAfd, readRiskAfdOffThread, type RiskAfdMapping, type RiskAfdNote } from './afd-mapping.js';
import { readRiskAfd2Json } from './afd2-json.js';
import { LEGACY_RISK_ROOT, legacyKindWords, parseLegacyRisk } from './legacy-codec.js';
import { RiskError, RiskErrorType, type RiskMessage } from './types.js';

/** The forms a RISK message comes in. */
export const riskMessageFormats = ['afd1-xml', 'afd2-json', 'legacy-xml'] as const;
export type RiskMessageFormat = (typeof riskMessageFormats)[number];

export interface RiskRead {
  readonly message: RiskMessage;
  readonly format: RiskMessageFormat;
  /** What a later code list or mapping may explain (unknown branch or code, fallbacks); stored with the message. */
  readonly notes: readonly RiskAfdNote[];
  /** PP_BTP when the message carried it. */
  readonly premiumGrossCents?: number;
}

export interface RiskReadOptions {
  /** Forms accepted; default all (stored rows). */
  readonly accept?: readonly RiskMessageFormat[];
  readonly limits?: Partial<AfdParseLimits>;
}

/** The AFD reader's limits are the RISK limits (documents inline, base64, exempt from the text limit). */
export const defaultRiskParseLimits: Readonly<AfdParseLimits> = defaultAfdParseLimits;

const SNIFF_CHARS = 64 * 1024;

/**
 * Which form a body is in, from its first characters: a JSON object, or XML whose first element
 * is `<AFD>` (legacy) or anything else (AFD 1.0; its reader refuses what is not the mapping's kind).
 * Only a choice of reader: the chosen reader checks everything again.
 */
export function riskFormatOf(body: string | Uint8Array): RiskMessageFormat {
  const head = typeof body === 'string' ? body.slice(0, SNIFF_CHARS) : new TextDecoder('utf-8').decode(body.subarray(0, SNIFF_CHARS));
  const text = head.replace(/^\uFEFF/, '');
  if (/^\s*[{[]/.test(text)) return 'afd2-json';
  // Skip the declaration, comments and PIs before the first element.
  const rest = text.replace(/^\s*(?:<\?[\s\S]*?\?>\s*|<!--[\s\S]*?-->\s*)*/, '');
  const root = /^<([A-Za-z_][A-Za-z0-9._-]*)/.exec(rest)?.[1];
  return root === LEGACY_RISK_ROOT ? 'legacy-xml' : 'afd1-xml';
}

function refuseForm(format: RiskMessageFormat, accept: readonly RiskMessageFormat[]): void {
  if (accept.includes(format)) return;
  const why =
    format === 'legacy-xml'
      ? `<${LEGACY_RISK_ROOT}> is our old pre-AFD shape, readable only for messages stored before; RISK sends SIVI AFD`
      : `${format} is not accepted here (accepted: ${accept.join(', ')})`;
  throw new RiskError(RiskErrorType.Invalid, `RISK message refused: ${why}`, { element: format === 'legacy-xml' ? LEGACY_RISK_ROOT : '(root)' });
}

/** Reads a RISK message in any accepted form; throws RiskError naming the element at fault. */
export function readRisk(body: string | Uint8Array, mapping: RiskAfdMapping, options: RiskReadOptions = {}): RiskRead {
  const format = riskFormatOf(body);
  refuseForm(format, options.accept ?? riskMessageFormats);
  switch (format) {
    case 'afd2-json':
      return { format, ...readRiskAfd2Json(body, mapping, options.limits?.maxBytes) };
    case 'legacy-xml':
      return { format, message: parseLegacyRisk(body, options.limits ?? {}), notes: [] };
    case 'afd1-xml':
      return { format, ...readRiskAfd(body, mapping, options.limits) };
  }
}

/** `readRisk` with the XML parsed in a thread of the XML pool (JSON and the legacy shape are read in line: small, no XML lexer risk for JSON). */
export async function readRiskOffThread(pool: XmlParsePool, body: string | Uint8Array, mapping: RiskAfdMapping, options: RiskReadOptions = {}): Promise<RiskRead> {
  const format = riskFormatOf(body);
  refuseForm(format, options.accept ?? riskMessageFormats);
  if (format !== 'afd1-xml') return readRisk(body, mapping, options);
  return { format, ...(await readRiskAfdOffThread(pool, body, mapping, options.limits)) };
}

/** A RiskError thrown in a pool thread, as it was. */
export function reviveRiskError(error: SerializedError): RiskError | undefined {
  if (error.name !== 'RiskError') return undefined;
  const element = typeof error.props.element === 'string' ? error.props.element : undefined;
  return new RiskError(error.props.type as RiskErrorType, error.message, element !== undefined ? { element } : {});
}

/** One line for inbox lists (no personal data). The words are display text, not AFD codes. */
export function riskMessageSummary(m: RiskMessage): string {
  return `${legacyKindWords[m.kind]} ${m.policyNumber} v${m.version}: ${m.coverages.length} dekking(en), premie ${centsToAmount(m.premiumCents)}`;
}

/** A note in words for the RISK inbox, in Dutch: the office users read it as it is (codes and paths stay). */
export function describeRiskNote(note: RiskAfdNote): string {
  switch (note.type) {
    case 'unknown_code':
      return `onbekende code ${note.code} in lijst ${note.list}${note.at ? ` (${note.at})` : ''}`;
    case 'unknown_branch':
      return `onbekende branche ${note.code}: geen dekkingsentiteit in de mapping (${note.at})`;
    case 'no_event_version':
      return `geen versie van de gebeurtenis (${note.at}): versie 1 aangenomen, volgorde op tijd`;
    case 'no_message_time':
      return `geen tijdstip (${note.at}): 00:00 Amsterdamse tijd aangenomen`;
    case 'no_coverage_description':
      return `dekking zonder omschrijving (${note.at})`;
    case 'unmapped_json_field':
      return `AFD 2.0-veld ${note.at} heeft geen label in de mapping: niet overgenomen`;
  }
}
