/**
 * HDN XML codec: untrusted XML in, typed `HdnMessage` out, and back.
 *
 * The official HDN XSDs are for members only, so this shape is OURS (synthetic, modelled on
 * the public field descriptions in shared/REFERENCE.md). Element order is free on input.
 *
 *   <?xml version="1.0" encoding="UTF-8"?>
 *   <HDN>
 *     <Header>  VerzenderNrHDN OntvangerNrHDN VerzenderNaam? OntvangerNaam? BerichtSoort
 *               BerichtVersie OntvangerCode? VerzendDt VerzendTijd PakketNaam? PakketVersie?
 *               AanvraagVolgNr AanvraagVersie </Header>
 *     <AX|SX|OX|DA|DX> ...exactly one body, named like BerichtSoort... </...>
 *   </HDN>
 *
 *   AX  Aanvrager+ (Volgorde Voornaam Tussenvoegsel? Achternaam GeboorteDt Email? Telefoon?
 *                   Straat? Huisnummer? HuisnummerToevoeging? Postcode? Woonplaats?)
 *       Onderpand? (Straat? Huisnummer? HuisnummerToevoeging? Postcode? Woonplaats?
 *                   KoopsomCt? MarktwaardeCt?)
 *       Leningdeel+ (see below)  NHG?  OntbindendeVoorwaardeDt?
 *   SX  StatusCode StatusOmschrijving? DocumentReferentie? OfferteNr? Toelichting?
 *   OX  OfferteNr OfferteType Rente? Leningdeel* AcceptatieDt? GeldigheidsDt?
 *       VerlengingMogelijk? VerlengingDt? AutomatischVerlengd? Verlengd?
 *       UiterstePasseerDtVoorVerlenging? UiterstePasseerDtNaVerlenging? Bijlage*
 *   DA  DocumentRegel* (DocumentRegelId SoortDocument Omschrijving? DocumentStatus
 *                       AanvragerVolgorde? DoorMaatschappijOpgehaald? Toelichting?)
 *   DX  DocumentRegelId SoortDocument Bijlage
 *
 *   Leningdeel  LeningdeelNr AflossingsVorm LeningdeelBedragCt LooptijdMnd
 *               RentevastPeriodeMnd? Rente?
 *   Bijlage     Bestandsnaam MimeType Inhoud (base64; whitespace/line breaks are dropped)
 *
 * Value formats:
 * - Every leaf is read as a string, so codes keep their leading zeros ("09", "000123").
 * - Amounts are integer euro-CENTS in elements ending in `BedragCt` / `Ct` (no decimal euros:
 *   nothing to round, and the name says the unit). Months, house numbers, positions: whole numbers.
 * - Dates YYYY-MM-DD (real calendar dates), VerzendTijd HH:MM:SS, rates decimal strings ("3.85").
 * - Booleans J/N (true/false accepted on input; J/N written).
 * - An empty optional element counts as absent; empty required ones are refused.
 * - Node numbers are exactly 6 letters/digits, AanvraagVersie a positive integer without
 *   leading zeros (it is part of idempotency keys, so "01" and "1" must not both exist),
 *   StatusCode / OfferteType / DocumentStatus exactly 2 digits.
 *
 * Unknown elements (and attributes) under Header, the body, Aanvrager, Onderpand, Leningdeel,
 * DocumentRegel and Bijlage are kept in that object's `extra` and written back after the
 * modelled ones. Directly under <HDN> only Header and one body are allowed: there is no object
 * to keep anything else in, so it is refused rather than silently dropped. Attributes on <HDN>
 * itself (namespaces) and on modelled leaves carry nothing HDN defines and are ignored.
 */
import {
  XmlErrorType,
  clip,
  parseUntrustedXml,
  resolveXmlLimits,
  translateXmlErrors,
  type SerializedError,
  type XmlError,
  type XmlParsePool,
} from '../xml/index.js';
import {
  HdnError,
  HdnErrorType,
  hdnMessageTypes,
  type HdnApplicant,
  type HdnApplication,
  type HdnAttachment,
  type HdnDocumentDelivery,
  type HdnDocumentLine,
  type HdnDocumentRequest,
  type HdnHeader,
  type HdnLoanPart,
  type HdnMessage,
  type HdnMessageType,
  type HdnOffer,
  type HdnParseLimits,
  type HdnStatus,
} from './types.js';
import { HdnElement, XmlWriter, hdnXmlText, invalid } from './xml-fields.js';

/**
 * An HDN message is a few hundred elements; megabytes only in attachment content (raw text,
 * exempt from maxTextLength). The counts leave room for many applicants, loan parts and lines.
 */
export const defaultHdnParseLimits: Readonly<HdnParseLimits> = Object.freeze({
  maxBytes: 20 * 1024 * 1024,
  maxDepth: 32,
  maxElements: 20_000,
  maxAttributesPerElement: 16,
  maxAttributes: 20_000,
  maxTextLength: 64 * 1024,
});

const ROOT = 'HDN';

const NODE_NUMBER = /^[A-Za-z0-9]{6}$/;
const TWO_DIGITS = /^[0-9]{2}$/;
const TIME = /^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$/;
const POSITIVE_INTEGER = /^[1-9][0-9]*$/;
const MESSAGE_VERSION = /^[0-9]+(\.[0-9]+)*$/;
const MIME_TYPE = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*$/;
// A plain character class (no repeated group): linear, and safe on megabytes of content.
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Drops undefined-valued keys, so an absent optional field is an absent property (deep equality). */
function compact<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) {
    if (value[key] === undefined) delete value[key];
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------------

/**
 * Parses an HDN message from untrusted input. Throws `HdnError` (TooLarge, ForbiddenConstruct,
 * TooDeep, Malformed, Invalid) naming the element at fault as a path ("HDN/Header/AanvraagVolgNr").
 */
export function parseHdn(xml: string | Uint8Array, limits?: Partial<HdnParseLimits>): HdnMessage {
  const resolved = resolveXmlLimits(defaultHdnParseLimits, limits, 'HDN');
  return translateXmlErrors(() => {
    const { document } = parseUntrustedXml(xml, { label: 'HDN message', ...resolved, rawTextElements });
    const rootNames = Object.keys(document);
    if (rootNames.length !== 1 || rootNames[0] !== ROOT) {
      throw invalid(clip(rootNames[0] ?? ROOT), `is not an HDN message: the document must have the single root element <${ROOT}>`);
    }
    const root = HdnElement.of(ROOT, document[ROOT]);
    const header = readHeader(root.requiredChild('Header'));
    const bodyName = findBody(root, header.messageType);
    const body = root.requiredChild(bodyName);
    return bodyReaders[bodyName](header, body);
  }, toHdnError);
}

/**
 * `parseHdn` in a thread of the XML pool (the API's path for untrusted bodies): the same result
 * or HdnError; XmlPoolError when the pool failed it (time budget, crashed thread, busy).
 */
export function parseHdnOffThread(pool: XmlParsePool, xml: string | Uint8Array, limits?: Partial<HdnParseLimits>): Promise<HdnMessage> {
  return pool.run<HdnMessage>({ module: import.meta.url, fn: 'parseHdn', args: limits ? [xml, limits] : [xml] }, reviveHdnError);
}

/** An HdnError thrown in a pool thread, as it was. */
export function reviveHdnError(error: SerializedError): HdnError | undefined {
  if (error.name !== 'HdnError') return undefined;
  const element = typeof error.props.element === 'string' ? error.props.element : undefined;
  return new HdnError(error.props.type as HdnErrorType, error.message, element !== undefined ? { element } : {});
}

/** What each XmlError type is for HDN: the guard's refusals keep their kind, the rest is Malformed. */
const hdnErrorTypes: Readonly<Record<XmlErrorType, HdnErrorType>> = {
  [XmlErrorType.TooLarge]: HdnErrorType.TooLarge,
  [XmlErrorType.Forbidden]: HdnErrorType.ForbiddenConstruct,
  [XmlErrorType.TooDeep]: HdnErrorType.TooDeep,
  // Over a counting limit (elements, attributes, text length): too large, like the byte limit.
  [XmlErrorType.LimitExceeded]: HdnErrorType.TooLarge,
  [XmlErrorType.NotUtf8]: HdnErrorType.Malformed,
  [XmlErrorType.InvalidChar]: HdnErrorType.Malformed,
  [XmlErrorType.BadReference]: HdnErrorType.Malformed,
  [XmlErrorType.NotWellFormed]: HdnErrorType.Malformed,
  // Readable XML that is not an HDN message we take: bytes declared as another encoding, a
  // missing/repeated element.
  [XmlErrorType.WrongEncoding]: HdnErrorType.Invalid,
  [XmlErrorType.Invalid]: HdnErrorType.Invalid,
};

/** An XmlError as the HdnError a caller of this integration sees (also used by read.ts). */
export function toHdnError(error: XmlError): HdnError {
  return new HdnError(hdnErrorTypes[error.type], error.message, { element: error.path, cause: error });
}

/**
 * Attachment content: the only elements that can be megabytes long. fast-xml-parser builds text
 * char by char, so megabytes of base64 would take seconds; these are cut out raw and decoded by
 * `rawText` instead.
 */
const rawTextElements = ['HDN.OX.Bijlage.Inhoud', 'HDN.DX.Bijlage.Inhoud'];

function readHeader(el: HdnElement): HdnHeader {
  const typePath = el.childPath('BerichtSoort');
  const messageType = el.requiredText('BerichtSoort');
  if (!isMessageType(messageType)) {
    throw invalid(typePath, `must be one of ${hdnMessageTypes.join(', ')}, got ${JSON.stringify(clip(messageType))}`);
  }
  return compact<HdnHeader>({
    senderNode: el.matching('VerzenderNrHDN', NODE_NUMBER, 'a 6-character HDN node number', true),
    receiverNode: el.matching('OntvangerNrHDN', NODE_NUMBER, 'a 6-character HDN node number', true),
    senderName: el.text('VerzenderNaam'),
    receiverName: el.text('OntvangerNaam'),
    messageType,
    messageVersion: el.matching('BerichtVersie', MESSAGE_VERSION, 'a version like "24.0"', true),
    receiverCode: el.text('OntvangerCode'),
    sentDate: el.date('VerzendDt', true),
    sentTime: el.matching('VerzendTijd', TIME, 'a time HH:MM:SS', true),
    packageName: el.text('PakketNaam'),
    packageVersion: el.text('PakketVersie'),
    applicationNumber: el.requiredText('AanvraagVolgNr'),
    applicationVersion: el.matching('AanvraagVersie', POSITIVE_INTEGER, 'a positive whole number without leading zeros', true),
    extra: el.extra(),
  });
}

function isMessageType(value: string): value is HdnMessageType {
  return (hdnMessageTypes as readonly string[]).includes(value);
}

/** The single body element under <HDN>; it must be the one BerichtSoort announces. */
function findBody(root: HdnElement, messageType: HdnMessageType): HdnMessageType {
  const others = root.childNames().filter((name) => name !== 'Header');
  const unknown = others.find((name) => !isMessageType(name));
  if (unknown !== undefined) throw invalid(root.childPath(clip(unknown)), `is not expected: <${ROOT}> holds Header and one message body`);
  if (others.length === 0) throw invalid(root.childPath(messageType), 'is missing (the message body)');
  if (others.length > 1) throw invalid(ROOT, `must hold one message body, found ${others.join(', ')}`);
  const bodyName = others[0] as HdnMessageType;
  if (bodyName !== messageType) {
    throw invalid(root.childPath('Header/BerichtSoort'), `is "${messageType}" but the message body is <${bodyName}>`);
  }
  return bodyName;
}

type BodyReader<K extends HdnMessageType> = (header: HdnHeader, body: HdnElement) => Extract<HdnMessage, { type: K }>;

const bodyReaders: { [K in HdnMessageType]: BodyReader<K> } = {
  AX: readApplication,
  SX: readStatus,
  OX: readOffer,
  DA: readDocumentRequest,
  DX: readDocumentDelivery,
};

function readApplication(header: HdnHeader, body: HdnElement): HdnApplication {
  const applicants = body.children('Aanvrager').map(readApplicant);
  if (applicants.length === 0) throw invalid(body.childPath('Aanvrager'), 'is missing (an application has at least one applicant)');
  unique(applicants.map((a) => a.position), body.childPath('Aanvrager/Volgorde'));
  const propertyElement = body.child('Onderpand');
  const loanParts = body.children('Leningdeel').map(readLoanPart);
  if (loanParts.length === 0) throw invalid(body.childPath('Leningdeel'), 'is missing (an application has at least one loan part)');
  unique(loanParts.map((p) => p.number), body.childPath('Leningdeel/LeningdeelNr'));
  return compact<HdnApplication>({
    type: 'AX',
    header,
    applicants,
    property: propertyElement && readProperty(propertyElement),
    loanParts,
    nhg: body.boolean('NHG'),
    financingConditionDate: body.date('OntbindendeVoorwaardeDt'),
    extra: body.extra(),
  });
}

function readApplicant(el: HdnElement): HdnApplicant {
  return compact<HdnApplicant>({
    position: el.integer('Volgorde', true, 1),
    firstName: el.requiredText('Voornaam'),
    infix: el.text('Tussenvoegsel'),
    lastName: el.requiredText('Achternaam'),
    birthDate: el.date('GeboorteDt', true),
    email: el.text('Email'),
    phone: el.text('Telefoon'),
    street: el.text('Straat'),
    houseNumber: el.integer('Huisnummer'),
    houseNumberSuffix: el.text('HuisnummerToevoeging'),
    postcode: el.text('Postcode'),
    city: el.text('Woonplaats'),
    extra: el.extra(),
  });
}

function readProperty(el: HdnElement): NonNullable<HdnApplication['property']> {
  return compact({
    street: el.text('Straat'),
    houseNumber: el.integer('Huisnummer'),
    houseNumberSuffix: el.text('HuisnummerToevoeging'),
    postcode: el.text('Postcode'),
    city: el.text('Woonplaats'),
    purchasePriceCents: el.integer('KoopsomCt'),
    marketValueCents: el.integer('MarktwaardeCt'),
    extra: el.extra(),
  });
}

function readLoanPart(el: HdnElement): HdnLoanPart {
  return compact<HdnLoanPart>({
    number: el.requiredText('LeningdeelNr'),
    repaymentType: el.requiredText('AflossingsVorm'),
    amountCents: el.integer('LeningdeelBedragCt', true),
    durationMonths: el.integer('LooptijdMnd', true),
    fixedRateMonths: el.integer('RentevastPeriodeMnd'),
    interestRate: el.rate('Rente'),
    extra: el.extra(),
  });
}

function readStatus(header: HdnHeader, body: HdnElement): HdnStatus {
  return compact<HdnStatus>({
    type: 'SX',
    header,
    statusCode: body.matching('StatusCode', TWO_DIGITS, '2 digits', true),
    description: body.text('StatusOmschrijving'),
    documentReference: body.text('DocumentReferentie'),
    offerNumber: body.text('OfferteNr'),
    remark: body.text('Toelichting'),
    extra: body.extra(),
  });
}

function readOffer(header: HdnHeader, body: HdnElement): HdnOffer {
  const loanParts = body.children('Leningdeel').map(readLoanPart);
  unique(loanParts.map((p) => p.number), body.childPath('Leningdeel/LeningdeelNr'));
  return compact<HdnOffer>({
    type: 'OX',
    header,
    offerNumber: body.requiredText('OfferteNr'),
    offerType: body.matching('OfferteType', TWO_DIGITS, '2 digits ("18" rate offer, "00" binding offer)', true),
    interestRate: body.rate('Rente'),
    loanParts,
    acceptanceDate: body.date('AcceptatieDt'),
    validityDate: body.date('GeldigheidsDt'),
    extensionPossible: body.boolean('VerlengingMogelijk'),
    extensionDate: body.date('VerlengingDt'),
    automaticallyExtended: body.boolean('AutomatischVerlengd'),
    extended: body.boolean('Verlengd'),
    latestPassingDateBeforeExtension: body.date('UiterstePasseerDtVoorVerlenging'),
    latestPassingDateAfterExtension: body.date('UiterstePasseerDtNaVerlenging'),
    attachments: body.children('Bijlage').map(readAttachment),
    extra: body.extra(),
  });
}

function readAttachment(el: HdnElement): HdnAttachment {
  const filename = el.requiredText('Bestandsnaam');
  const contentType = el.matching('MimeType', MIME_TYPE, 'a MIME type like "application/pdf"', true);
  // Base64 is often wrapped at 76 columns; the line breaks are not part of the content.
  const raw = el.rawText('Inhoud');
  if (raw === undefined) throw invalid(el.childPath('Inhoud'), el.has('Inhoud') ? 'is empty' : 'is missing');
  const contentBase64 = raw.replace(/\s+/g, '');
  if (contentBase64.length % 4 !== 0 || !BASE64.test(contentBase64)) {
    throw invalid(el.childPath('Inhoud'), 'must be base64');
  }
  return compact<HdnAttachment>({ filename, contentType, contentBase64, extra: el.extra() });
}

function readDocumentRequest(header: HdnHeader, body: HdnElement): HdnDocumentRequest {
  const lines = body.children('DocumentRegel').map(readDocumentLine);
  unique(lines.map((l) => l.lineId), body.childPath('DocumentRegel/DocumentRegelId'));
  return compact<HdnDocumentRequest>({ type: 'DA', header, lines, extra: body.extra() });
}

function readDocumentLine(el: HdnElement): HdnDocumentLine {
  return compact<HdnDocumentLine>({
    lineId: el.requiredText('DocumentRegelId'),
    documentKind: el.requiredText('SoortDocument'),
    description: el.text('Omschrijving'),
    status: el.matching('DocumentStatus', TWO_DIGITS, '2 digits', true),
    applicantPosition: el.integer('AanvragerVolgorde', false, 1),
    // Absent means the lender did not fetch it: then we may (and should) deliver it ourselves.
    fetchedByLender: el.boolean('DoorMaatschappijOpgehaald') ?? false,
    remark: el.text('Toelichting'),
    extra: el.extra(),
  });
}

function readDocumentDelivery(header: HdnHeader, body: HdnElement): HdnDocumentDelivery {
  return compact<HdnDocumentDelivery>({
    type: 'DX',
    header,
    lineId: body.requiredText('DocumentRegelId'),
    documentKind: body.requiredText('SoortDocument'),
    attachment: readAttachment(body.requiredChild('Bijlage')),
    extra: body.extra(),
  });
}

/** Identifiers that other messages refer to must not repeat within a message. */
function unique(values: readonly (string | number)[], path: string): void {
  const seen = new Set<string | number>();
  for (const value of values) {
    if (seen.has(value)) throw invalid(path, `${JSON.stringify(clip(String(value)))} occurs more than once`);
    seen.add(value);
  }
}

// ---------------------------------------------------------------------------------------------
// Building
// ---------------------------------------------------------------------------------------------


/**
 * Writes a message as HDN XML (UTF-8 declaration, escaped text). The result is parsed again
 * before it is returned, so we never send what we would refuse to receive; an invalid message
 * throws the same `HdnError` parseHdn would (with the element path).
 */
export function buildHdn(message: HdnMessage): string {
  const document = {
    [ROOT]: {
      Header: writeHeader(message.header),
      [message.type]: writeBody(message),
    },
  };
  const xml = hdnXmlText(document);
  // No size limit here (the caller decides what it sends); depth and everything else apply.
  parseHdn(xml, { maxBytes: Number.MAX_SAFE_INTEGER });
  return xml;
}

function writeHeader(h: HdnHeader): Record<string, unknown> {
  return new XmlWriter(`${ROOT}/Header`)
    .putRequired('VerzenderNrHDN', h.senderNode)
    .putRequired('OntvangerNrHDN', h.receiverNode)
    .put('VerzenderNaam', h.senderName)
    .put('OntvangerNaam', h.receiverName)
    .putRequired('BerichtSoort', h.messageType)
    .putRequired('BerichtVersie', h.messageVersion)
    .put('OntvangerCode', h.receiverCode)
    .putRequired('VerzendDt', h.sentDate)
    .putRequired('VerzendTijd', h.sentTime)
    .put('PakketNaam', h.packageName)
    .put('PakketVersie', h.packageVersion)
    .putRequired('AanvraagVolgNr', h.applicationNumber)
    .putRequired('AanvraagVersie', h.applicationVersion)
    .withExtra(h.extra);
}

function writeBody(m: HdnMessage): Record<string, unknown> {
  const path = `${ROOT}/${m.type}`;
  switch (m.type) {
    case 'AX':
      return new XmlWriter(path)
        .putElements('Aanvrager', m.applicants.map((a, i) => writeApplicant(`${path}/Aanvrager[${i + 1}]`, a)))
        .putElement('Onderpand', m.property && writeProperty(`${path}/Onderpand`, m.property))
        .putElements('Leningdeel', m.loanParts.map((p, i) => writeLoanPart(`${path}/Leningdeel[${i + 1}]`, p)))
        .put('NHG', m.nhg)
        .put('OntbindendeVoorwaardeDt', m.financingConditionDate)
        .withExtra(m.extra);
    case 'SX':
      return new XmlWriter(path)
        .putRequired('StatusCode', m.statusCode)
        .put('StatusOmschrijving', m.description)
        .put('DocumentReferentie', m.documentReference)
        .put('OfferteNr', m.offerNumber)
        .put('Toelichting', m.remark)
        .withExtra(m.extra);
    case 'OX':
      return new XmlWriter(path)
        .putRequired('OfferteNr', m.offerNumber)
        .putRequired('OfferteType', m.offerType)
        .put('Rente', m.interestRate)
        .putElements('Leningdeel', m.loanParts.map((p, i) => writeLoanPart(`${path}/Leningdeel[${i + 1}]`, p)))
        .put('AcceptatieDt', m.acceptanceDate)
        .put('GeldigheidsDt', m.validityDate)
        .put('VerlengingMogelijk', m.extensionPossible)
        .put('VerlengingDt', m.extensionDate)
        .put('AutomatischVerlengd', m.automaticallyExtended)
        .put('Verlengd', m.extended)
        .put('UiterstePasseerDtVoorVerlenging', m.latestPassingDateBeforeExtension)
        .put('UiterstePasseerDtNaVerlenging', m.latestPassingDateAfterExtension)
        .putElements('Bijlage', m.attachments.map((a, i) => writeAttachment(`${path}/Bijlage[${i + 1}]`, a)))
        .withExtra(m.extra);
    case 'DA':
      return new XmlWriter(path)
        .putElements('DocumentRegel', m.lines.map((l, i) => writeDocumentLine(`${path}/DocumentRegel[${i + 1}]`, l)))
        .withExtra(m.extra);
    case 'DX':
      return new XmlWriter(path)
        .putRequired('DocumentRegelId', m.lineId)
        .putRequired('SoortDocument', m.documentKind)
        .putElement('Bijlage', writeAttachment(`${path}/Bijlage`, m.attachment))
        .withExtra(m.extra);
  }
}

function writeApplicant(path: string, a: HdnApplicant): Record<string, unknown> {
  return new XmlWriter(path)
    .putRequired('Volgorde', a.position)
    .putRequired('Voornaam', a.firstName)
    .put('Tussenvoegsel', a.infix)
    .putRequired('Achternaam', a.lastName)
    .putRequired('GeboorteDt', a.birthDate)
    .put('Email', a.email)
    .put('Telefoon', a.phone)
    .put('Straat', a.street)
    .put('Huisnummer', a.houseNumber)
    .put('HuisnummerToevoeging', a.houseNumberSuffix)
    .put('Postcode', a.postcode)
    .put('Woonplaats', a.city)
    .withExtra(a.extra);
}

function writeProperty(path: string, p: NonNullable<HdnApplication['property']>): Record<string, unknown> {
  return new XmlWriter(path)
    .put('Straat', p.street)
    .put('Huisnummer', p.houseNumber)
    .put('HuisnummerToevoeging', p.houseNumberSuffix)
    .put('Postcode', p.postcode)
    .put('Woonplaats', p.city)
    .put('KoopsomCt', p.purchasePriceCents)
    .put('MarktwaardeCt', p.marketValueCents)
    .withExtra(p.extra);
}

function writeLoanPart(path: string, p: HdnLoanPart): Record<string, unknown> {
  return new XmlWriter(path)
    .putRequired('LeningdeelNr', p.number)
    .putRequired('AflossingsVorm', p.repaymentType)
    .putRequired('LeningdeelBedragCt', p.amountCents)
    .putRequired('LooptijdMnd', p.durationMonths)
    .put('RentevastPeriodeMnd', p.fixedRateMonths)
    .put('Rente', p.interestRate)
    .withExtra(p.extra);
}

function writeAttachment(path: string, a: HdnAttachment): Record<string, unknown> {
  return new XmlWriter(path)
    .putRequired('Bestandsnaam', a.filename)
    .putRequired('MimeType', a.contentType)
    .putRequired('Inhoud', a.contentBase64)
    .withExtra(a.extra);
}

function writeDocumentLine(path: string, l: HdnDocumentLine): Record<string, unknown> {
  return new XmlWriter(path)
    .putRequired('DocumentRegelId', l.lineId)
    .putRequired('SoortDocument', l.documentKind)
    .put('Omschrijving', l.description)
    .putRequired('DocumentStatus', l.status)
    .put('AanvragerVolgorde', l.applicantPosition)
    .putRequired('DoorMaatschappijOpgehaald', l.fetchedByLender)
    .put('Toelichting', l.remark)
    .withExtra(l.extra);
}

// ---------------------------------------------------------------------------------------------
// Logging
// ---------------------------------------------------------------------------------------------

/**
 * A one-line description for logs and the inbox, free of personal data (no names, addresses,
 * amounts): "SX 22 voor aanvraag 123456 v1". In Dutch: it is stored with the message and the
 * office users read it as it is in the web UI (message codes such as AX/SX stay).
 */
export function hdnMessageSummary(m: HdnMessage): string {
  const application = `aanvraag ${m.header.applicationNumber} v${m.header.applicationVersion}`;
  switch (m.type) {
    case 'AX':
      return `AX voor ${application} (${count(m.applicants.length, 'aanvrager', 'aanvragers')}, ${count(m.loanParts.length, 'leningdeel', 'leningdelen')})`;
    case 'SX':
      return `SX ${m.statusCode} voor ${application}${m.documentReference !== undefined ? ` (document ${m.documentReference})` : ''}`;
    case 'OX':
      return `OX ${m.offerType} offerte ${m.offerNumber} voor ${application} (${count(m.attachments.length, 'bijlage', 'bijlagen')})`;
    case 'DA':
      return `DA voor ${application} (${count(m.lines.length, 'documentregel', 'documentregels')})`;
    case 'DX':
      return `DX voor ${application}, documentregel ${m.lineId} (soort ${m.documentKind})`;
  }
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
