/**
 * The messages the simulated lender sends (SX, OX, DA), built from the AX they answer.
 * Every reply copies AanvraagVolgNr/AanvraagVersie and BerichtVersie unchanged from the AX
 * (REFERENCE: they must be copied into every reply) and swaps sender and receiver.
 */
import { addMonthsClamped } from '../../domain/billing/calendar.js';
import { addDays, timeInAmsterdam, todayInAmsterdam } from '../../domain/dates.js';
import type {
  HdnApplication,
  HdnAttachment,
  HdnDocumentLine,
  HdnDocumentRequest,
  HdnHeader,
  HdnLoanPart,
  HdnMessageType,
  HdnOffer,
  HdnStatus,
} from '../../integrations/hdn/types.js';

export interface LenderIdentity {
  nodeNumber: string;
  name: string;
}

export interface ReplyContext {
  lender: LenderIdentity;
  application: HdnApplication;
  /** Amsterdam date the AX arrived: offer validity counts from it, not from each offer. */
  receivedOn: string;
  now: Date;
}

export const PACKAGE_NAME = 'dossierflow lender simulator';
export const PACKAGE_VERSION = '1.0';

/** Dutch descriptions as a lender would send them (the first line of *StatusTekstRegels*). */
export const statusDescriptions: Readonly<Record<string, string>> = {
  '04': 'In behandeling acceptatie',
  '05': 'Definitief akkoord',
  '09': 'Ontvangst bevestigd',
  '10': 'In behandeling',
  '11': 'Afgewezen',
  '12': 'Wacht op stukken',
  '14': 'Aanvraag kan niet worden verwerkt',
  '20': 'Lening in beheer',
  '22': 'Renteaanbod verstuurd',
  '23': 'Bindend aanbod verstuurd',
  '25': 'Aanvraag technisch niet te verwerken',
  '26': 'Gelden worden uitbetaald',
  '31': 'Dossier naar notaris',
};

/** Deviations carry a reason, as the adviser needs one to act on. */
const statusRemarks: Readonly<Record<string, string>> = {
  '11': 'Aanvraag past niet binnen het acceptatiebeleid (simulatie)',
  '14': 'Aanvraag kan niet in behandeling worden genomen: onderpand buiten werkgebied (simulatie)',
  '25': 'Bericht technisch niet te verwerken (simulatie)',
};

/** VerzendDt/VerzendTijd: the lender's wall clock is Dutch. */
export function amsterdamDateTime(now: Date): { date: string; time: string } {
  return { date: todayInAmsterdam(now), time: timeInAmsterdam(now) };
}


export function replyHeader(ctx: ReplyContext, messageType: HdnMessageType): HdnHeader {
  const ax = ctx.application.header;
  const { date, time } = amsterdamDateTime(ctx.now);
  return {
    senderNode: ctx.lender.nodeNumber,
    receiverNode: ax.senderNode,
    senderName: ctx.lender.name,
    ...(ax.senderName !== undefined ? { receiverName: ax.senderName } : {}),
    messageType,
    messageVersion: ax.messageVersion,
    ...(ax.receiverCode !== undefined ? { receiverCode: ax.receiverCode } : {}),
    sentDate: date,
    sentTime: time,
    packageName: PACKAGE_NAME,
    packageVersion: PACKAGE_VERSION,
    applicationNumber: ax.applicationNumber,
    applicationVersion: ax.applicationVersion,
  };
}

export type OfferType = '18' | '00';

export function offerNumber(ctx: ReplyContext, offerType: OfferType): string {
  const ax = ctx.application.header;
  return `${ctx.lender.nodeNumber}-${ax.applicationNumber}-${ax.applicationVersion}-${offerType === '18' ? 'R' : 'B'}`;
}

export function statusMessage(ctx: ReplyContext, statusCode: string, extra: { offerNumber?: string; remark?: string } = {}): HdnStatus {
  const remark = extra.remark ?? statusRemarks[statusCode];
  return {
    type: 'SX',
    header: replyHeader(ctx, 'SX'),
    statusCode,
    description: statusDescriptions[statusCode] ?? `Status ${statusCode}`,
    ...(extra.offerNumber !== undefined ? { offerNumber: extra.offerNumber } : {}),
    ...(remark !== undefined ? { remark } : {}),
  };
}

/** Rate by fixed-rate period, in hundredths of a percent: plausible, not a market quote. */
function rateHundredths(part: HdnLoanPart): number {
  const months = part.fixedRateMonths;
  if (months === undefined || months <= 0) return 425;
  if (months <= 60) return 385;
  if (months <= 120) return 395;
  if (months <= 240) return 415;
  return 430;
}

function formatRate(hundredths: number): string {
  return (hundredths / 100).toFixed(2);
}

export function offer(ctx: ReplyContext, offerType: OfferType): HdnOffer {
  const today = todayInAmsterdam(ctx.now);
  const validityDate = addMonthsClamped(ctx.receivedOn, 4);
  const number = offerNumber(ctx, offerType);
  const loanParts: HdnLoanPart[] = ctx.application.loanParts.map((part) => ({
    number: part.number,
    repaymentType: part.repaymentType,
    amountCents: part.amountCents,
    durationMonths: part.durationMonths,
    ...(part.fixedRateMonths !== undefined ? { fixedRateMonths: part.fixedRateMonths } : {}),
    interestRate: formatRate(rateHundredths(part)),
  }));
  // The overall rate is the amount-weighted average of the parts, as lenders quote it.
  const total = ctx.application.loanParts.reduce((sum, p) => sum + p.amountCents, 0);
  const weighted = ctx.application.loanParts.reduce((sum, p) => sum + p.amountCents * rateHundredths(p), 0);
  const title = offerType === '18' ? 'Renteaanbod' : 'Bindend hypotheekaanbod';
  return {
    type: 'OX',
    header: replyHeader(ctx, 'OX'),
    offerNumber: number,
    offerType,
    ...(total > 0 ? { interestRate: formatRate(Math.round(weighted / total)) } : {}),
    loanParts,
    acceptanceDate: addDays(today, 14),
    validityDate,
    extensionPossible: true,
    automaticallyExtended: false,
    extended: false,
    latestPassingDateBeforeExtension: validityDate,
    latestPassingDateAfterExtension: addMonthsClamped(validityDate, 2),
    attachments: [
      pdfAttachment(`${offerType === '18' ? 'renteaanbod' : 'bindend-aanbod'}-${number}.pdf`, [
        `${title} ${number}`,
        `${ctx.lender.name}`,
        `Aanvraag ${ctx.application.header.applicationNumber} versie ${ctx.application.header.applicationVersion}`,
        `Geldig tot ${validityDate}`,
      ]),
    ],
  };
}

interface LineTemplate {
  documentKind: string;
  description: string;
  applicantPosition?: number;
  fetchedByLender: boolean;
}

/**
 * The checklist the lender asks for. SoortDocument is a code (public HDN structure): 009
 * werkgeversverklaring and 003 taxatierapport are the codes the public sources name; the full
 * list is not public, so salary slip, purchase contract and BKR check carry codes this SIMULATED
 * lender made up (9xx, SYNTHETIC): the platform does not know them and must record them with
 * the DA ("unknown document kind 901"), not refuse it. The last line the lender fetched itself
 * (BKR), so no DX may be sent for it.
 */
const checklist: readonly LineTemplate[] = [
  { documentKind: '009', description: 'Werkgeversverklaring (niet ouder dan 3 maanden)', applicantPosition: 1, fetchedByLender: false },
  { documentKind: '901', description: 'Recente salarisstrook', applicantPosition: 1, fetchedByLender: false },
  { documentKind: '003', description: 'Gevalideerd taxatierapport', fetchedByLender: false },
  { documentKind: '902', description: 'Getekende koopovereenkomst', fetchedByLender: false },
  { documentKind: '903', description: 'BKR-toetsing', applicantPosition: 1, fetchedByLender: true },
];

/** The lines of the lender's checklist; line ids are stable per application ("DA-01", ...). */
export function documentLines(phase: 'requested' | 'approved'): HdnDocumentLine[] {
  return checklist.map((line, i) => ({
    lineId: `DA-${String(i + 1).padStart(2, '0')}`,
    documentKind: line.documentKind,
    description: line.description,
    // Fetched lines are in from the start: the lender has them already.
    status: phase === 'approved' || line.fetchedByLender ? '04' : '01',
    ...(line.applicantPosition !== undefined ? { applicantPosition: line.applicantPosition } : {}),
    fetchedByLender: line.fetchedByLender,
    ...(line.fetchedByLender ? { remark: 'Door geldverstrekker opgevraagd bij BKR' } : phase === 'approved' ? { remark: 'Akkoord' } : {}),
  }));
}

export function documentRequest(ctx: ReplyContext, phase: 'requested' | 'approved'): HdnDocumentRequest {
  return { type: 'DA', header: replyHeader(ctx, 'DA'), lines: documentLines(phase) };
}

function pdfAttachment(filename: string, lines: string[]): HdnAttachment {
  return { filename, contentType: 'application/pdf', contentBase64: minimalPdf(lines).toString('base64') };
}

/**
 * A small but valid PDF (one A4 page of Helvetica text) with a correct xref table, so
 * whatever stores or shows the offer's attachment gets a real PDF.
 */
export function minimalPdf(lines: string[]): Buffer {
  // Standard fonts speak WinAnsi; anything else is replaced so the content stream stays ASCII.
  const escape = (text: string) => text.replace(/[^\x20-\x7e]/g, '?').replace(/[\\()]/g, (c) => `\\${c}`);
  const text = lines.map((line, i) => `BT /F1 ${i === 0 ? 16 : 11} Tf 56 ${780 - i * 24} Td (${escape(line)}) Tj ET`).join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    `<< /Length ${Buffer.byteLength(text, 'latin1')} >>\nstream\n${text}\nendstream`,
  ];
  let pdf = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(pdf, 'latin1'));
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(pdf, 'latin1');
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) pdf += `${String(offset).padStart(10, '0')} 00000 n \n`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}
