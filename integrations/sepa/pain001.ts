/**
 * pain.001.001.03 (SEPA credit transfer initiation, *overboekingsopdracht*): the file with which
 * a central organisation pays out its participants (issue 21). Written by the `sepa` library
 * (kewisch/sepa.js), as pain008.ts does for collections, after our own checks; read back with
 * readPain001 and compared with the exact cents asked for (the library's amounts are floats).
 * .001.03 is the version the Dutch banks' SEPA implementation guidelines use.
 *
 * One PmtInf (one debtor account, one execution date), BtchBookg=false: the bank books each
 * transfer as its own debit on the statement, with our EndToEndId, which is what the pay-out
 * matches on.
 */
import { Document as SepaDocument } from 'sepa';
import { checkIban, normalizeIban } from '../../domain/iban.js';
import { centsToDecimal, MAX_SEPA_AMOUNT_CENTS } from './amount.js';
import { amsterdamWallClock, formatWallClock, localDate, localDateWithFields } from './pain008.js';
import { XmlNode, defaultSepaParseLimits, invalidAt, parseSepaXml, withSepaErrors } from './xml-read.js';
import { SepaError, SepaErrorType, type SepaParseLimits } from './types.js';

export interface CreditTransferInput {
  /** GrpHdr/MsgId and PmtInf/PmtInfId base (max 35, SEPA charset). */
  messageId: string;
  /** ISO instant; written as Amsterdam wall-clock time. */
  createdAt: string;
  /** ReqdExctnDt (YYYY-MM-DD). */
  executionDate: string;
  debtor: { name: string; iban: string; bic?: string };
  transfers: { endToEndId: string; amountCents: number; creditor: { name: string; iban: string; bic?: string }; remittance: string }[];
}

export interface Pain001Transfer {
  endToEndId: string;
  amountCents: number;
  currency: string;
  creditor: { name: string; iban: string };
  remittance?: string;
}

export interface Pain001Document {
  messageId: string;
  createdAt: string;
  numberOfTransactions: number;
  controlSumCents: number;
  executionDate: string;
  debtorIban: string;
  transfers: Pain001Transfer[];
}

const NAMESPACE = 'urn:iso:std:iso:20022:tech:xsd:pain.001.001.03';
const LABEL = 'pain.001 document';
const SEPA_ID = /^[A-Za-z0-9/?:().,'+ -]{1,35}$/;
const SEPA_TEXT = /^[A-Za-z0-9/?:().,'+ -]*$/;

function invalid(field: string, problem: string): SepaError {
  return new SepaError(SepaErrorType.Invalid, `credit transfer: ${field} ${problem}`, { path: field });
}

/** The SEPA rules the XSD does not check (ids, charset, IBANs, amounts), before anything is written. */
export function checkCreditTransfer(input: CreditTransferInput): void {
  if (!SEPA_ID.test(input.messageId)) throw invalid('messageId', 'must be 1-35 SEPA characters');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(input.executionDate)) throw invalid('executionDate', 'must be YYYY-MM-DD');
  if (!checkIban(input.debtor.iban).ok) throw invalid('debtor.iban', 'is not a valid IBAN');
  if (input.transfers.length === 0) throw invalid('transfers', 'is empty');
  const seen = new Set<string>();
  input.transfers.forEach((t, i) => {
    if (!SEPA_ID.test(t.endToEndId)) throw invalid(`transfers[${i}].endToEndId`, 'must be 1-35 SEPA characters');
    if (seen.has(t.endToEndId)) throw invalid(`transfers[${i}].endToEndId`, 'occurs more than once');
    seen.add(t.endToEndId);
    if (!Number.isSafeInteger(t.amountCents) || t.amountCents <= 0 || t.amountCents > MAX_SEPA_AMOUNT_CENTS) throw invalid(`transfers[${i}].amountCents`, 'must be whole cents > 0');
    if (!checkIban(t.creditor.iban).ok) throw invalid(`transfers[${i}].creditor.iban`, 'is not a valid IBAN');
    if (t.creditor.name.length === 0 || t.creditor.name.length > 70 || !SEPA_TEXT.test(t.creditor.name)) throw invalid(`transfers[${i}].creditor.name`, 'must be 1-70 SEPA characters');
    if (t.remittance.length > 140 || !SEPA_TEXT.test(t.remittance)) throw invalid(`transfers[${i}].remittance`, 'must be at most 140 SEPA characters');
  });
  if (input.debtor.name.length === 0 || input.debtor.name.length > 70 || !SEPA_TEXT.test(input.debtor.name)) throw invalid('debtor.name', 'must be 1-70 SEPA characters');
}

/** Checks the transfers and writes the pain.001.001.03 XML. */
export function buildPain001(input: CreditTransferInput): string {
  checkCreditTransfer(input);
  const doc = new SepaDocument('pain.001.001.03');
  doc.grpHdr.id = input.messageId;
  doc.grpHdr.created = localDateWithFields(amsterdamWallClock(new Date(input.createdAt)));
  doc.grpHdr.initiatorName = input.debtor.name;
  const info = doc.createPaymentInfo();
  info.requestedExecutionDate = localDate(input.executionDate);
  info.debtorName = input.debtor.name;
  info.debtorIBAN = normalizeIban(input.debtor.iban);
  info.debtorBIC = input.debtor.bic ?? '';
  info.batchBooking = false;
  doc.addPaymentInfo(info);
  info.id = `${input.messageId}-TRF`.slice(0, 35);
  for (const t of input.transfers) {
    const tx = info.createTransaction();
    tx.end2endId = t.endToEndId;
    tx.amount = t.amountCents / 100;
    tx.currency = 'EUR';
    tx.creditorName = t.creditor.name;
    tx.creditorIBAN = normalizeIban(t.creditor.iban);
    tx.creditorBIC = t.creditor.bic ?? '';
    tx.remittanceInfo = t.remittance;
    info.addTransaction(tx);
    tx.id = t.endToEndId;
  }
  let xml: string;
  try {
    xml = doc.toString();
  } catch (cause) {
    throw new SepaError(SepaErrorType.Invalid, `pain.001 library refused the transfers: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
  verifyWritten(input, xml);
  return xml;
}

function verifyWritten(input: CreditTransferInput, xml: string): void {
  let written: Pain001Document;
  try {
    written = readPain001(xml, { maxBytes: Math.max(defaultSepaParseLimits.maxBytes, xml.length * 3) });
  } catch (cause) {
    throw new SepaError(SepaErrorType.Internal, `pain.001 output check failed: it does not read back: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
  const sum = input.transfers.reduce((s, t) => s + t.amountCents, 0);
  const byId = new Map(written.transfers.map((t) => [t.endToEndId, t]));
  const ok =
    written.numberOfTransactions === input.transfers.length &&
    written.controlSumCents === sum &&
    written.createdAt === formatWallClock(amsterdamWallClock(new Date(input.createdAt))) &&
    written.executionDate === input.executionDate &&
    input.transfers.every((t) => byId.get(t.endToEndId)?.amountCents === t.amountCents && byId.get(t.endToEndId)?.creditor.iban === normalizeIban(t.creditor.iban));
  if (!ok) throw new SepaError(SepaErrorType.Internal, 'pain.001 output check failed: the transfers were not written as given');
}

/** Reads a pain.001.001.03 (our own, read back; and the simulated bank's input). Untrusted-input guards as camt. */
export function readPain001(xml: string | Uint8Array, limits?: Partial<SepaParseLimits>): Pain001Document {
  return withSepaErrors(() => {
    const parsed = parseSepaXml(xml, LABEL, limits);
    if (parsed.rootName !== 'Document') throw invalidAt(parsed.rootName, 'is not a pain.001 document: the root element must be <Document>');
    if (parsed.namespace !== NAMESPACE) {
      throw new SepaError(SepaErrorType.Unsupported, `${LABEL}: namespace ${JSON.stringify(parsed.namespace ?? '(none)')} is not pain.001.001.03`, { path: 'Document' });
    }
    const initiation = XmlNode.of('Document', parsed.root).requiredChild('CstmrCdtTrfInitn');
    const header = initiation.requiredChild('GrpHdr');
    const infos = initiation.children('PmtInf');
    if (infos.length !== 1) throw invalidAt(initiation.childPath('PmtInf'), `must occur once, found ${infos.length}`);
    const pi = infos[0]!;
    pi.oneOf('PmtMtd', ['TRF'], true);
    const transfers = pi.children('CdtTrfTxInf').map((tx): Pain001Transfer => {
      const amount = tx.requiredChild('Amt').amount('InstdAmt', true);
      if (amount.cents <= 0) throw invalidAt(tx.childPath('Amt/InstdAmt'), 'must be more than 0');
      const t: Pain001Transfer = {
        endToEndId: tx.requiredChild('PmtId').requiredText('EndToEndId'),
        amountCents: amount.cents,
        currency: amount.currency,
        creditor: { name: tx.requiredChild('Cdtr').requiredText('Nm'), iban: tx.requiredChild('CdtrAcct').requiredChild('Id').requiredText('IBAN') },
      };
      const remittance = tx.child('RmtInf')?.texts('Ustrd').join(' ');
      if (remittance) t.remittance = remittance;
      return t;
    });
    if (transfers.length === 0) throw invalidAt(pi.childPath('CdtTrfTxInf'), 'is missing');
    const sum = transfers.reduce((s, t) => s + t.amountCents, 0);
    const declaredCount = header.count('NbOfTxs', true);
    const ctrl = header.requiredText('CtrlSum');
    const m = /^([0-9]{1,15})(?:\.([0-9]{1,2}))?$/.exec(ctrl);
    if (!m) throw invalidAt(header.childPath('CtrlSum'), 'must be a decimal sum like "123.45"');
    const controlSumCents = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
    if (declaredCount !== transfers.length) throw invalidAt(header.childPath('NbOfTxs'), `says ${declaredCount} transactions, there are ${transfers.length}`);
    if (controlSumCents !== sum) throw invalidAt(header.childPath('CtrlSum'), `says ${centsToDecimal(controlSumCents)}, the transfers add up to ${centsToDecimal(sum)}`);
    return {
      messageId: header.requiredText('MsgId'),
      createdAt: header.dateTime('CreDtTm', true),
      numberOfTransactions: declaredCount,
      controlSumCents,
      executionDate: pi.date('ReqdExctnDt', true),
      debtorIban: pi.requiredChild('DbtrAcct').requiredChild('Id').requiredText('IBAN'),
      transfers,
    };
  });
}
