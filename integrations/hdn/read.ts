/**
 * One read entry point for HDN messages in either shape (docs/design/hdn-mapping.md, migration
 * steps 1 and 6; issue 17 deliverable 7):
 *
 *   readHdnMessage(xml, limits?, options?) -> HdnMessage          same type parseHdn returns today
 *   readHdnMessageDetailed(xml, limits?, options?) -> HdnReadResult  plus shape, version, view
 *   readHdnMessageOffThread(pool, xml, limits?)   readHdnMessage in the XML pool (drop-in for parseHdnOffThread)
 *
 * - Root `<HDN>`: the shape our platform wrote before issue 17 (stored in hdn_messages.raw_xml).
 *   Read by today's codec (`parseHdn`) as the LEGACY reader, unchanged: same result as before.
 * - Any other root: the public shape (header inside the message). The header's BerichtVersie
 *   picks the data file (`hdnMappingFor`), the generic reader reads it, a typed view (views.ts)
 *   gives our fields, and `toDomain*` below turns that into the HdnMessage the services consume.
 *   Unknown/unverified codes come back in the message's `codes`.
 *
 * Typed domain conversion exists for every type: SX, OX, DA (from lenders) and AX, DX (what we
 * send; their public field list is thin, so 24.0 maps the names REFERENCE does not state as
 * `unverified`). The writer for AX/DX in the public shape is ./write.ts. The services read
 * inbound and stored messages through this module (services/hdn: inbound, views, convert,
 * manual-route, lender-checklist, send-to-lender, anonymise-ax).
 */
import { join } from 'node:path';
import { parseUntrustedXml, resolveXmlLimits, translateXmlErrors, type XmlParsePool } from '../xml/index.js';
import { defaultHdnParseLimits, parseHdn, reviveHdnError, toHdnError } from './codec.js';
import { HdnMappingError, availableHdnVersions, hdnMappingFor, hdnMappingVersionsDir, loadHdnMapping, type HdnMapping, type HdnMappingOptions } from './mapping/load.js';
import { hdnMappedMessageTypes } from './mapping/schema.js';
import { detectMappedMessageType, rawTextElementsFor, readMappedMessage, type MappedGroupItem, type MappedMessage } from './mapping/tree.js';
import {
  applicationView,
  documentDeliveryView,
  documentRequestView,
  offerView,
  statusView,
  type HdnApplicationLoanPartView,
  type HdnChildView,
  type HdnApplicationView,
  type HdnDocumentDeliveryView,
  type HdnDocumentRequestView,
  type HdnHeaderView,
  type HdnOfferView,
  type HdnStatusView,
} from './mapping/views.js';
import { invalid } from './xml-fields.js';
import {
  hdnMessageTypes,
  type HdnApplication,
  type HdnChild,
  type HdnDocumentDelivery,
  type HdnDocumentRequest,
  type HdnExtra,
  type HdnHeader,
  type HdnLoanPart,
  type HdnMessage,
  type HdnMessageType,
  type HdnOffer,
  type HdnParseLimits,
  type HdnStatus,
} from './types.js';

const LEGACY_ROOT = 'HDN';

export interface HdnReadOptions extends HdnMappingOptions {
  /** Folder of data files (default: mapping/versions). Tests point it at test-only versions. */
  mappingDir?: string;
}

export type HdnTypedView = HdnStatusView | HdnOfferView | HdnDocumentRequestView | HdnApplicationView | HdnDocumentDeliveryView;

export type HdnReadResult =
  | { shape: 'legacy'; message: HdnMessage }
  | {
      shape: 'public';
      message: HdnMessage;
      /** The data file's version that read it. */
      hdnVersion: string;
      /** false: BerichtVersie is newer than any data file; read with the newest (caller records it). */
      exactVersion: boolean;
      view: HdnTypedView;
    };

/** Drop-in for `parseHdn`: the same HdnMessage, for either shape. Throws HdnError. */
export function readHdnMessage(xml: string | Uint8Array, limits?: Partial<HdnParseLimits>, options: HdnReadOptions = {}): HdnMessage {
  return readHdnMessageDetailed(xml, limits, options).message;
}

/**
 * `readHdnMessage` in a thread of the XML pool: drop-in for codec.ts's parseHdnOffThread.
 * `options` travel to the thread as data (structured clone), so only plain values belong in them.
 */
export function readHdnMessageOffThread(
  pool: XmlParsePool,
  xml: string | Uint8Array,
  limits?: Partial<HdnParseLimits>,
  options?: HdnReadOptions,
): Promise<HdnMessage> {
  const args = options !== undefined ? [xml, limits, options] : limits ? [xml, limits] : [xml];
  return pool.run<HdnMessage>({ module: import.meta.url, fn: 'readHdnMessage', args }, reviveHdnError);
}

/**
 * Start-up check of the office's enabled unverified codes: every data file is loaded with them,
 * so a code that is not in a list (or not unverified there) stops the start with the file and
 * JSON path (HdnMappingError), instead of failing the first message that needs it.
 */
export function checkHdnReadOptions(options: HdnReadOptions = {}): void {
  const dir = options.mappingDir ?? hdnMappingVersionsDir;
  const mappingOptions: HdnMappingOptions = options.enabledUnverifiedCodes !== undefined ? { enabledUnverifiedCodes: options.enabledUnverifiedCodes } : {};
  for (const version of availableHdnVersions(dir)) loadHdnMapping(join(dir, `${version}.json`), mappingOptions);
}

/**
 * A public-shape message read by its version's data file up to the mapped form (what the typed
 * views read), or 'legacy' when the parser finds the old `<HDN>` root. The hardened XML reader,
 * the version choice and the mapping's refusals are the same for every reader of HDN XML (also
 * the client-data document, client-data.ts).
 */
export function readPublicMapped(
  xml: string | Uint8Array,
  limits?: Partial<HdnParseLimits>,
  options: HdnReadOptions = {},
): 'legacy' | { mapping: HdnMapping; mapped: MappedMessage; root: string; exact: boolean } {
  const resolved = resolveXmlLimits(defaultHdnParseLimits, limits, 'HDN');
  const dir = options.mappingDir ?? hdnMappingVersionsDir;
  const mappingOptions: HdnMappingOptions = options.enabledUnverifiedCodes !== undefined ? { enabledUnverifiedCodes: options.enabledUnverifiedCodes } : {};
  const parsed = translateXmlErrors(
    () => parseUntrustedXml(xml, { label: 'HDN message', ...resolved, rawTextElements: allRawTextElements(dir, mappingOptions) }),
    toHdnError,
  );
  const document = parsed.document;
  const root = Object.keys(document)[0] ?? '/';
  // The pre-scan is a cheap look at the first bytes; the parser has the last word.
  if (root === LEGACY_ROOT) return 'legacy';
  const rootValue = document[root];
  const header = isTree(rootValue) ? rootValue.Header : undefined;
  const version = isTree(header) ? header.BerichtVersie : undefined;
  if (typeof version !== 'string' || version.trim() === '') throw invalid(`${root}/Header/BerichtVersie`, 'is missing: the version decides how the message is read');
  let chosen: { mapping: HdnMapping; exact: boolean };
  try {
    chosen = cachedMappingFor(version.trim(), dir, mappingOptions);
  } catch (error) {
    // An error about the folder (no file for that version), not about a broken data file.
    if (error instanceof HdnMappingError && error.file === dir) {
      throw invalid(`${root}/Header/BerichtVersie`, `names a version we cannot read (${error.message})`, error);
    }
    throw error;
  }
  const { mapping, exact } = chosen;
  const type = detectMappedMessageType(mapping, document);
  const mapped = readMappedMessage(mapping, type, document);
  return { mapping, mapped, root, exact };
}

export function readHdnMessageDetailed(xml: string | Uint8Array, limits?: Partial<HdnParseLimits>, options: HdnReadOptions = {}): HdnReadResult {
  // Chosen before parsing: the two shapes need different raw-text elements (megabytes of base64).
  if (looksLegacy(xml)) return { shape: 'legacy', message: parseHdn(xml, limits) };
  const read = readPublicMapped(xml, limits, options);
  if (read === 'legacy') return { shape: 'legacy', message: parseHdn(xml, limits) };
  const { mapping, mapped, root, exact } = read;
  const { message, view } = toDomain(mapping, mapped, root);
  return { shape: 'public', message, hdnVersion: mapping.version, exactVersion: exact, view };
}

/** Root element is <HDN> (after an optional BOM, XML declaration, comments and whitespace). */
function looksLegacy(xml: string | Uint8Array): boolean {
  const head = typeof xml === 'string' ? xml.slice(0, 4096) : Buffer.from(xml.subarray(0, 4096)).toString('utf8');
  const m = /^\uFEFF?\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--[\s\S]*?-->\s*)*<([A-Za-z_][\w.:-]*)[\s/>]/.exec(head);
  return m?.[1] === LEGACY_ROOT;
}

function isTree(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Data files are read and checked once per folder/options (they are configuration, not input).
const mappingCache = new Map<string, HdnMapping>();
const rawCache = new Map<string, string[]>();

function cacheKey(dir: string, options: HdnMappingOptions, version: string): string {
  return JSON.stringify([dir, options.enabledUnverifiedCodes ?? {}, version]);
}

function cachedMappingFor(version: string, dir: string, options: HdnMappingOptions): { mapping: HdnMapping; exact: boolean } {
  const key = cacheKey(dir, options, version);
  const hit = mappingCache.get(key);
  if (hit !== undefined) return { mapping: hit, exact: hit.version === version };
  const chosen = hdnMappingFor(version, { ...options, dir });
  mappingCache.set(key, chosen.mapping);
  return chosen;
}

/** Base64 leaves of every type in every version in `dir` (the version is not known before parsing). */
function allRawTextElements(dir: string, options: HdnMappingOptions): string[] {
  const key = cacheKey(dir, options, '*');
  const hit = rawCache.get(key);
  if (hit !== undefined) return hit;
  const out = new Set<string>();
  for (const version of availableHdnVersions(dir)) {
    const mapping = loadHdnMapping(join(dir, `${version}.json`), options);
    for (const type of hdnMappedMessageTypes) for (const path of rawTextElementsFor(mapping, type)) out.add(path);
  }
  const list = [...out];
  rawCache.set(key, list);
  return list;
}

// ---------------------------------------------------------------------------------------------
// Typed view -> the HdnMessage the services consume today
// ---------------------------------------------------------------------------------------------

function compact<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) {
    if (value[key] === undefined) delete value[key];
  }
  return value;
}

/** Unknown elements: header leftovers go to header.extra, the rest to the message's extra. */
function splitRest(mapped: MappedMessage): { headerExtra?: HdnExtra; extra?: HdnExtra } {
  if (mapped.rest === undefined) return {};
  const { Header: headerRest, ...others } = mapped.rest;
  return compact({
    headerExtra: isTree(headerRest) ? headerRest : undefined,
    extra: Object.keys(others).length > 0 ? others : undefined,
  });
}

function toHeader(view: HdnHeaderView, type: string, root: string, extra: HdnExtra | undefined): HdnHeader {
  const messageType = view.messageType as HdnMessageType;
  if (!hdnMessageTypes.includes(messageType)) throw invalid(`${root}/Header/BerichtSoort`, `is not one of ${hdnMessageTypes.join(', ')}`);
  if (messageType !== type) throw invalid(`${root}/Header/BerichtSoort`, `says ${messageType} but the message is a ${type}`);
  const sentDate = view.sentDate;
  const sentTime = view.sentTime;
  if (sentDate === undefined) throw invalid(`${root}/Header/VerzendDt`, 'is missing');
  if (sentTime === undefined) throw invalid(`${root}/Header/VerzendTijd`, 'is missing');
  return compact({
    senderNode: view.senderNode,
    receiverNode: view.receiverNode,
    senderName: view.senderName,
    receiverName: view.receiverName,
    messageType,
    messageVersion: view.messageVersion,
    receiverCode: view.receiverCode,
    sentDate,
    sentTime,
    packageName: view.packageName,
    packageVersion: view.packageVersion,
    applicationNumber: view.applicationNumber,
    applicationVersion: view.applicationVersion,
    extra,
  });
}

/**
 * The loan parts of an OX or AX view in domain form. The 24.0 data file marks amount, duration
 * and repayment type required (the reader refused already); a data file that does not is checked
 * here, at the element path that file gives.
 */
function toLoanParts(
  parts: readonly HdnApplicationLoanPartView[],
  partsPath: string,
  fields: Readonly<Record<string, { path: string }>> | undefined,
  items: readonly { rest?: HdnExtra }[],
): HdnLoanPart[] {
  return parts.map((part, i) => {
    const where = `${partsPath}${parts.length > 1 ? `[${i + 1}]` : ''}`;
    const missing = (field: string, fallback: string) => invalid(`${where}/${fields?.[field]?.path ?? fallback}`, 'is missing');
    if (part.amountCents === undefined) throw missing('amountCents', 'LeningDeelBedrag');
    if (part.durationMonths === undefined) throw missing('durationMonths', 'DuurInMnd');
    if (part.repaymentType === undefined) throw missing('repaymentType', 'AflossingsVorm');
    return compact({
      // The public sources name no loan-part number: position in the message, 1-based.
      number: String(i + 1),
      repaymentType: part.repaymentType.code,
      amountCents: part.amountCents,
      durationMonths: part.durationMonths,
      fixedRateMonths: part.fixedRateMonths,
      interestRate: part.interestRate,
      extra: items[i]?.rest,
    });
  });
}

function toDomain(mapping: HdnMapping, mapped: MappedMessage, root: string): { message: HdnMessage; view: HdnTypedView } {
  const { headerExtra, extra } = splitRest(mapped);
  switch (mapped.type) {
    case 'SX': {
      const view = statusView(mapping, mapped);
      const message: HdnStatus = compact({
        type: 'SX' as const,
        header: toHeader(view.header, 'SX', root, headerExtra),
        statusCode: view.status.code,
        description: view.statusText.length > 0 ? view.statusText.join('\n') : undefined,
        documentReference: view.documentNumber,
        // Kenmerk next to the status: what the workflow links an offer status (22/23) to.
        offerNumber: view.reference,
        reference: view.reference,
        statusDate: view.statusDate,
        statusTime: view.statusTime,
        codes: mapped.codes.length > 0 ? mapped.codes : undefined,
        extra,
      });
      return { message, view };
    }
    case 'OX': {
      const view = offerView(mapping, mapped);
      const typePath = `${root}/${mapping.data.messages.OX.fields.offerType?.path ?? 'OfferteData/OfferteType'}`;
      if (view.offerType === undefined) throw invalid(typePath, 'is missing: our offers need the type (18 rate offer, 00 binding offer)');
      const partsPath = `${root}/${mapping.data.messages.OX.groups?.loanParts?.path ?? 'Lening/LeningDeel'}`;
      const items = mapped.groups.loanParts ?? [];
      const message: HdnOffer = compact({
        type: 'OX' as const,
        header: toHeader(view.header, 'OX', root, headerExtra),
        offerNumber: view.offerNumber,
        offerType: view.offerType.code,
        loanParts: toLoanParts(view.loanParts, partsPath, mapping.data.messages.OX.groups?.loanParts?.fields, items),
        acceptanceDate: view.acceptanceDate,
        validityDate: view.validityDate,
        extensionPossible: view.extensionPossible,
        extensionDate: view.extensionDate,
        automaticallyExtended: view.automaticallyExtended,
        extended: view.extended,
        latestPassingDateBeforeExtension: view.latestPassingDate,
        latestPassingDateAfterExtension: view.latestPassingDateAfterExtension,
        attachments: view.attachments.map((a, i) =>
          compact({
            // PrintDoc's file name and type are not public: named after the offer, a PDF (the print document).
            filename: `${view.offerNumber}${view.attachments.length > 1 ? `-${i + 1}` : ''}.pdf`,
            contentType: 'application/pdf',
            contentBase64: a.contentBase64,
            extra: mapped.groups.attachments?.[i]?.rest,
          }),
        ),
        codes: mapped.codes.length > 0 ? mapped.codes : undefined,
        extra,
      });
      return { message, view };
    }
    case 'DA': {
      const view = documentRequestView(mapping, mapped);
      const linesPath = `${root}/${mapping.data.messages.DA.groups?.lines?.path ?? 'Document'}`;
      const items = mapped.groups.lines ?? [];
      const message: HdnDocumentRequest = compact({
        type: 'DA' as const,
        header: toHeader(view.header, 'DA', root, headerExtra),
        lines: view.lines.map((line, i) => {
          const where = `${linesPath}${view.lines.length > 1 ? `[${i + 1}]` : ''}`;
          const lineId = line.reference ?? line.lenderNumber;
          if (lineId === undefined) throw invalid(`${where}/DocumentKenmerk`, 'is missing (and no DocumentMijNr): a line needs an id');
          if (line.documentKind === undefined) throw invalid(`${where}/SoortDocument`, 'is missing');
          if (line.status === undefined) throw invalid(`${where}/DocumentStatus`, 'is missing');
          return compact({
            lineId,
            documentKind: line.documentKind.code,
            status: line.status.code,
            // Absent JN flag: the lender did not say it fetched the document, so we deliver it.
            fetchedByLender: line.fetchedByLender ?? false,
            extra: items[i]?.rest,
          });
        }),
        codes: mapped.codes.length > 0 ? mapped.codes : undefined,
        extra,
      });
      const ids = new Set<string>();
      message.lines.forEach((line, i) => {
        // Ours, as in the codec: DX and checklist rows are keyed by line id.
        if (ids.has(line.lineId)) throw invalid(`${linesPath}[${i + 1}]/DocumentKenmerk`, `repeats line id ${line.lineId}`);
        ids.add(line.lineId);
      });
      return { message, view };
    }
    case 'AX': {
      const view = applicationView(mapping, mapped);
      const spec = mapping.data.messages.AX;
      const applicantsPath = `${root}/${spec.groups?.applicants?.path ?? 'Aanvrager'}`;
      const partsPath = `${root}/${spec.groups?.loanParts?.path ?? 'Lening/LeningDeel'}`;
      const applicantItems = mapped.groups.applicants ?? [];
      const partItems = mapped.groups.loanParts ?? [];
      if (view.applicants.length === 0) throw invalid(applicantsPath, 'is missing (an application has at least one applicant)');
      if (view.loanParts.length === 0) throw invalid(partsPath, 'is missing (an application has at least one loan part)');
      const message: HdnApplication = compact({
        type: 'AX' as const,
        header: toHeader(view.header, 'AX', root, headerExtra),
        applicants: view.applicants.map((a, i) => {
          const where = `${applicantsPath}${view.applicants.length > 1 ? `[${i + 1}]` : ''}`;
          // The 24.0 data file marks these required (the reader refused already); a data file that does not is checked here.
          if (a.firstName === undefined) throw invalid(`${where}/VoorNaam`, 'is missing');
          if (a.lastName === undefined) throw invalid(`${where}/${spec.groups?.applicants?.fields.lastName?.path ?? 'AchterNaam'}`, 'is missing');
          if (a.birthDate === undefined) throw invalid(`${where}/${spec.groups?.applicants?.fields.birthDate?.path ?? 'GeboorteDt'}`, 'is missing');
          return compact({ ...a, firstName: a.firstName, lastName: a.lastName, birthDate: a.birthDate, gender: a.gender?.code, maritalStatus: a.maritalStatus?.code, extra: applicantItems[i]?.rest });
        }),
        property: view.property && compact({ ...view.property, extra: mapped.groups.property?.[0]?.rest }),
        loanParts: toLoanParts(view.loanParts, partsPath, spec.groups?.loanParts?.fields, partItems),
        children: view.children.length > 0 ? toChildren(view.children, `${root}/${spec.groups?.children?.path ?? 'Kind'}`, mapped.groups.children ?? []) : undefined,
        nhg: view.nhg,
        financingConditionDate: view.financingConditionDate,
        codes: mapped.codes.length > 0 ? mapped.codes : undefined,
        extra,
      });
      return { message, view };
    }
    case 'DX': {
      const view = documentDeliveryView(mapping, mapped);
      const fields = mapping.data.messages.DX.fields;
      const lineId = view.reference ?? view.lenderNumber;
      if (lineId === undefined) throw invalid(`${root}/${fields.reference?.path ?? 'Document/DocumentKenmerk'}`, 'is missing (and no DocumentMijNr): a DX names its DA line');
      if (view.documentKind === undefined) throw invalid(`${root}/${fields.documentKind?.path ?? 'Document/SoortDocument'}`, 'is missing');
      // The file sits in PrintDoc: its unknown elements belong to the attachment, the rest to the message.
      const container = fields.contentBase64?.path.split('/')[0];
      const { [container ?? '']: printDocRest, ...others } = extra ?? {};
      const message: HdnDocumentDelivery = compact({
        type: 'DX' as const,
        header: toHeader(view.header, 'DX', root, headerExtra),
        lineId,
        documentKind: view.documentKind.code,
        attachment: compact({
          // Name and type are our (unverified) elements; a DX without them is still a file.
          filename: view.filename ?? `${lineId}.pdf`,
          contentType: view.contentType ?? 'application/octet-stream',
          contentBase64: view.contentBase64,
          extra: container !== undefined && isTree(printDocRest) ? printDocRest : undefined,
        }),
        codes: mapped.codes.length > 0 ? mapped.codes : undefined,
        extra: Object.keys(others).length > 0 ? others : undefined,
      });
      return { message, view };
    }
  }
}

/** The household's children of an AX (issue 19): the data file marks their names and birth date required; checked here for one that does not. */
function toChildren(children: readonly HdnChildView[], path: string, items: readonly MappedGroupItem[]): HdnChild[] {
  return children.map((c, i) => {
    const where = `${path}${children.length > 1 ? `[${i + 1}]` : ''}`;
    if (c.firstName === undefined) throw invalid(`${where}/VoorNaam`, 'is missing');
    if (c.lastName === undefined) throw invalid(`${where}/AchterNaam`, 'is missing');
    if (c.birthDate === undefined) throw invalid(`${where}/GeboorteDt`, 'is missing');
    return compact({ firstName: c.firstName, infix: c.infix, lastName: c.lastName, birthDate: c.birthDate, extra: items[i]?.rest });
  });
}
