/**
 * The simulated lender's own writer of its HDN messages (SX, OX, DA) in the public HDN 24.0
 * structure (shared/REFERENCE.md "What public HDN sources show about structure and transport";
 * issue 17 deliverable 6). Written by hand from the public element names, on purpose WITHOUT our
 * codec (integrations/hdn/codec.ts) or our mapping layer (integrations/hdn/mapping): the platform
 * reads these messages with its mapping, so a wrong path or format on either side shows up as a
 * failing test instead of two copies of the same mistake agreeing with each other.
 *
 * What it writes, as the public sources describe it:
 * - the Header inside each message (no `<HDN>` wrapper), with every header field they call
 *   mandatory (VerzenderNaam, OntvangerNaam, OntvangerCode, PakketNaam, PakketVersie);
 * - SX: Status/AXBerichtStatusSpecificatie/StatusAXBericht with Kenmerk, StatusDt, StatusTijd and
 *   StatusTekstRegels (one element per line);
 * - OX: OfferteData/Kenmerk (the offer number), OfferteType, dates, JN flags;
 *   Lening/LeningDeel with LeningDeelBedrag in decimal euros, DuurInMnd, RenteVastInMnd and
 *   AflossingsVorm as a code; the offer PDF as PrintDoc/EncodedData (base64, 76 columns);
 * - DA: one Document per line with DocumentKenmerk, DocumentMijNr, SoortDocument (a code),
 *   DocumentStatus, OpgevraagdViaBronJN.
 * Where the public sources are silent (root element names, the placement of Kenmerk/StatusDt next
 * to StatusAXBericht, date/time formats YYYY-MM-DD / HH:MM:SS) this writer makes the same reading
 * as the 24.0 data file; those points are marked `unverified` there. Everything it writes is
 * SYNTHETIC: made up by the simulator, not copied from a real lender.
 */
import type { HdnDocumentLine, HdnDocumentRequest, HdnHeader, HdnLoanPart, HdnOffer, HdnStatus } from '../../integrations/hdn/types.js';

/** A message the simulated lender sends, as XML text in the public structure. */
export function lenderMessageXml(message: HdnStatus | HdnOffer | HdnDocumentRequest): string {
  switch (message.type) {
    case 'SX':
      return document('SX', [header(message.header), statusPart(message)]);
    case 'OX':
      return document('OX', [header(message.header), ...offerParts(message)]);
    case 'DA':
      return document('DA', [header(message.header), ...message.lines.map((line) => documentLine(line, message.header.senderNode))]);
  }
}

/**
 * AflossingsVorm codes the public sources name (01 annuity, 02 linear, 05 interest-only), from
 * the words an AX in our platform's older shape carries. A code is passed on as it is; a word
 * the table lacks too (the lender would then send a code the platform does not know, which it
 * must record, not refuse).
 */
const repaymentCodes: Readonly<Record<string, string>> = {
  annuiteit: '01',
  lineair: '02',
  aflossingsvrij: '05',
};

export function repaymentCode(value: string): string {
  return repaymentCodes[value.toLowerCase()] ?? value;
}

/** Whole cents as decimal euros with two decimals: 25000000 -> "250000.00". */
export function euros(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new Error(`amount must be whole cents, got ${cents}`);
  const abs = Math.abs(cents);
  return `${cents < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

function jn(value: boolean): string {
  return value ? 'J' : 'N';
}

// ------------------------------------------------------------------ a tiny element tree

type Node = { name: string; text?: string; children?: Node[] };

function leaf(name: string, text: string | number | undefined): Node[] {
  return text === undefined ? [] : [{ name, text: String(text) }];
}

function element(name: string, children: Node[]): Node {
  return { name, children };
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function render(node: Node, indent: string): string {
  if (node.children === undefined) return `${indent}<${node.name}>${escapeText(node.text ?? '')}</${node.name}>`;
  if (node.children.length === 0) return `${indent}<${node.name}/>`;
  return `${indent}<${node.name}>\n${node.children.map((c) => render(c, `${indent}  `)).join('\n')}\n${indent}</${node.name}>`;
}

function document(root: string, children: Node[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${render(element(root, children), '')}\n`;
}

// ------------------------------------------------------------------ the parts

function header(h: HdnHeader): Node {
  return element('Header', [
    ...leaf('VerzenderNrHDN', h.senderNode),
    ...leaf('OntvangerNrHDN', h.receiverNode),
    // Mandatory in the public structure: a lender always names itself and the receiver.
    ...leaf('VerzenderNaam', h.senderName ?? h.senderNode),
    ...leaf('OntvangerNaam', h.receiverName ?? h.receiverNode),
    ...leaf('BerichtSoort', h.messageType),
    ...leaf('BerichtVersie', h.messageVersion),
    ...leaf('OntvangerCode', h.receiverCode ?? h.receiverNode),
    ...leaf('VerzendDt', h.sentDate),
    ...leaf('VerzendTijd', h.sentTime),
    ...leaf('PakketNaam', h.packageName),
    ...leaf('PakketVersie', h.packageVersion),
    ...leaf('AanvraagVolgNr', h.applicationNumber),
    ...leaf('AanvraagVersie', h.applicationVersion),
  ]);
}

function statusPart(sx: HdnStatus): Node {
  const lines = [sx.description, sx.remark].filter((l): l is string => l !== undefined && l !== '');
  return element('Status', [
    element('AXBerichtStatusSpecificatie', [
      ...leaf('StatusAXBericht', sx.statusCode),
      // The offer a 22/23 announces; the platform links the status to that offer by it.
      ...leaf('Kenmerk', sx.offerNumber),
      ...leaf('StatusDt', sx.statusDate ?? sx.header.sentDate),
      ...leaf('StatusTijd', sx.statusTime ?? sx.header.sentTime),
      ...lines.flatMap((line) => leaf('StatusTekstRegels', line)),
    ]),
  ]);
}

function loanPart(part: HdnLoanPart): Node {
  return element('LeningDeel', [
    ...leaf('LeningDeelBedrag', euros(part.amountCents)),
    ...leaf('DuurInMnd', part.durationMonths),
    ...leaf('RenteVastInMnd', part.fixedRateMonths),
    ...leaf('AflossingsVorm', repaymentCode(part.repaymentType)),
  ]);
}

/** Base64 wrapped at 76 columns, as MIME writers do (the platform must not care). */
function wrapped(base64: string): string {
  return base64.replace(/(.{76})(?=.)/g, '$1\n');
}

function offerParts(ox: HdnOffer): Node[] {
  return [
    element('OfferteData', [
      ...leaf('Kenmerk', ox.offerNumber),
      ...leaf('OfferteType', ox.offerType),
      ...leaf('AcceptatieDt', ox.acceptanceDate),
      ...leaf('GeldigheidsDt', ox.validityDate),
      ...leaf('VerlengingMogelijkJN', ox.extensionPossible === undefined ? undefined : jn(ox.extensionPossible)),
      ...leaf('VerlengingsDt', ox.extensionDate),
      ...leaf('AutomatischeVerlengingJN', ox.automaticallyExtended === undefined ? undefined : jn(ox.automaticallyExtended)),
      ...leaf('VerlengdJN', ox.extended === undefined ? undefined : jn(ox.extended)),
      ...leaf('UiterstePasseerDt', ox.latestPassingDateBeforeExtension),
      ...leaf('UiterstePasseerDtNaVerlenging', ox.latestPassingDateAfterExtension),
    ]),
    element('Lening', ox.loanParts.map(loanPart)),
    ...ox.attachments.map((a) => element('PrintDoc', leaf('EncodedData', wrapped(a.contentBase64)))),
  ];
}

function documentLine(line: HdnDocumentLine, lenderNode: string): Node {
  return element('Document', [
    ...leaf('DocumentKenmerk', line.lineId),
    // The lender's own number for the line (its case system), next to the shared Kenmerk.
    ...leaf('DocumentMijNr', `${lenderNode}-${line.lineId}`),
    ...leaf('SoortDocument', line.documentKind),
    ...leaf('DocumentStatus', line.status),
    ...leaf('OpgevraagdViaBronJN', jn(line.fetchedByLender)),
  ]);
}
