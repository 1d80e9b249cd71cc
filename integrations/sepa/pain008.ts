/**
 * pain.008 (SEPA direct-debit initiation) from a DirectDebitBatchInput, written by the `sepa`
 * library (kewisch/sepa.js), after our own SEPA rule checks (rules.ts).
 *
 * Layout: one PmtInf per sequence type, FRST first (Dutch banks return an RCUR that overtakes
 * its FRST with AG02), then OOFF, RCUR, FNAL. PmtInfId is `<messageId>-<SeqTp>`, InstrId the
 * EndToEndId (both max 35; the library's own dotted ids can exceed that). BtchBookg=true: the
 * bank books each PmtInf as one credit, which is what camt.ts and the bank simulator expect.
 *
 * What the library does not do, and how it is covered:
 * - amounts are JS numbers there (CtrlSum is a float sum): the XML is read back with
 *   readPain008 and every amount, count and sum compared with the exact cents we asked for;
 *   any difference is a SepaError Internal instead of a wrong batch at the bank;
 * - CreDtTm and dates are written from a Date in the process's local time zone, without
 *   offset: we hand it Dates whose local fields are the Amsterdam wall clock of `createdAt`
 *   (and the plain calendar dates), so the output does not depend on the server's TZ;
 * - its charset check is unanchored (accepts nearly anything): rules.ts checks ids itself.
 * .001.08 (BICFI, and no Grpg) is supported by the library and validated against the XSD in tests.
 */
import { Document as SepaDocument } from 'sepa';
import { normalizeIban } from '../../domain/iban.js';
import { zoneOffsetMs } from '../../domain/dates.js';
import { readPain008, type Pain008Document } from './pain008-read.js';
import { checkDirectDebitBatch } from './rules.js';
import { defaultSepaParseLimits } from './xml-read.js';
import { SepaError, SepaErrorType, type BuildPain008Options, type DirectDebitBatchInput, type SequenceType } from './types.js';

const SEQUENCE_ORDER: readonly SequenceType[] = ['FRST', 'OOFF', 'RCUR', 'FNAL'];

/** PmtInf/PmtInfId of the batch's PmtInf of this sequence type: what the bank names in a batch credit (Btch/PmtInfId). */
export function paymentInfoIdOf(messageId: string, sequenceType: SequenceType): string {
  return `${messageId}-${sequenceType}`;
}

/** Checks the batch against the SEPA rules and writes the pain.008 XML (UTF-8 declaration included). */
export function buildPain008(input: DirectDebitBatchInput, options: BuildPain008Options = {}): string {
  const version = options.version ?? '001.02';
  if (version !== '001.02' && version !== '001.08') {
    throw new SepaError(SepaErrorType.Unsupported, `pain.008 version ${String(version)} is not supported (001.02 or 001.08)`);
  }
  checkDirectDebitBatch(input);

  const doc = new SepaDocument(`pain.008.${version}`);
  doc.grpHdr.id = input.messageId;
  doc.grpHdr.created = localDateWithFields(amsterdamWallClock(new Date(input.createdAt)));
  doc.grpHdr.initiatorName = input.creditor.name;

  for (const sequenceType of SEQUENCE_ORDER) {
    const group = input.transactions.filter((tx) => tx.sequenceType === sequenceType);
    if (group.length === 0) continue;
    const info = doc.createPaymentInfo();
    info.localInstrumentation = input.localInstrument;
    info.sequenceType = sequenceType;
    info.batchBooking = true;
    info.collectionDate = localDate(input.collectionDate);
    info.creditorName = input.creditor.name;
    info.creditorIBAN = normalizeIban(input.creditor.iban);
    info.creditorBIC = input.creditor.bic ?? '';
    info.creditorId = input.creditor.creditorId.replace(/\s+/g, '').toUpperCase();
    doc.addPaymentInfo(info);
    // addPaymentInfo prefixes the id with MsgId + "."; we want a short, readable one.
    info.id = paymentInfoIdOf(input.messageId, sequenceType);
    for (const t of group) {
      const tx = info.createTransaction();
      tx.end2endId = t.endToEndId;
      tx.amount = t.amountCents / 100;
      tx.currency = 'EUR';
      tx.mandateId = t.mandateId;
      tx.mandateSignatureDate = localDate(t.mandateSignedOn);
      tx.debtorName = t.debtor.name;
      tx.debtorIBAN = normalizeIban(t.debtor.iban);
      tx.debtorBIC = t.debtor.bic ?? '';
      tx.remittanceInfo = t.remittance;
      info.addTransaction(tx);
      tx.id = t.endToEndId;
    }
  }

  let xml: string;
  try {
    xml = doc.toString();
  } catch (cause) {
    // Our checks run first, so this is a rule the library has and we lack: say which.
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new SepaError(SepaErrorType.Invalid, `pain.008 library refused the batch: ${reason}`, { cause });
  }
  verifyWritten(input, xml);
  return xml;
}

/** Reads the XML back and compares it with the input, exactly (see the file comment). */
function verifyWritten(input: DirectDebitBatchInput, xml: string): void {
  let written: Pain008Document;
  try {
    // Our own XML, not untrusted input: read back whatever its size (an invoice run of 100,000
    // collections writes about 54 MB, above the 20 MB limit for files from outside). Three bytes
    // per UTF-16 unit bound its UTF-8 size without scanning it.
    written = readPain008(xml, { maxBytes: Math.max(defaultSepaParseLimits.maxBytes, xml.length * 3) });
  } catch (cause) {
    throw internal(`the written pain.008 does not read back: ${cause instanceof Error ? cause.message : String(cause)}`, cause);
  }
  const expectedSum = input.transactions.reduce((sum, tx) => sum + tx.amountCents, 0);
  if (written.numberOfTransactions !== input.transactions.length || written.controlSumCents !== expectedSum) {
    throw internal(`GrpHdr says ${written.numberOfTransactions} transactions / ${written.controlSumCents} cents, expected ${input.transactions.length} / ${expectedSum}`);
  }
  const expectedCreated = formatWallClock(amsterdamWallClock(new Date(input.createdAt)));
  if (written.createdAt !== expectedCreated) throw internal(`CreDtTm is ${written.createdAt}, expected ${expectedCreated}`);
  const byId = new Map(written.paymentInfos.flatMap((pi) => pi.transactions.map((tx) => [tx.endToEndId, { pi, tx }] as const)));
  for (const t of input.transactions) {
    const found = byId.get(t.endToEndId);
    if (
      !found ||
      found.tx.amountCents !== t.amountCents ||
      found.tx.mandateId !== t.mandateId ||
      found.tx.mandateSignedOn !== t.mandateSignedOn ||
      found.pi.sequenceType !== t.sequenceType ||
      found.pi.collectionDate !== input.collectionDate
    ) {
      throw internal(`transaction ${JSON.stringify(t.endToEndId)} was not written as given`);
    }
  }
}

function internal(message: string, cause?: unknown): SepaError {
  return new SepaError(SepaErrorType.Internal, `pain.008 output check failed: ${message}`, { cause });
}

export interface WallClock {
  y: number;
  m: number;
  d: number;
  h: number;
  mi: number;
  s: number;
}

/** The Amsterdam wall clock of an instant (shared with pain001.ts). */
export function amsterdamWallClock(at: Date): WallClock {
  const local = new Date(at.getTime() + zoneOffsetMs(at));
  return {
    y: local.getUTCFullYear(),
    m: local.getUTCMonth() + 1,
    d: local.getUTCDate(),
    h: local.getUTCHours(),
    mi: local.getUTCMinutes(),
    s: local.getUTCSeconds(),
  };
}

export function formatWallClock(w: WallClock): string {
  const p = (n: number, width = 2): string => String(n).padStart(width, '0');
  return `${p(w.y, 4)}-${p(w.m)}-${p(w.d)}T${p(w.h)}:${p(w.mi)}:${p(w.s)}`;
}

/** A Date whose LOCAL fields are the given ones (the library formats with getFullYear/getHours). */
export function localDateWithFields(w: WallClock): Date {
  return new Date(w.y, w.m - 1, w.d, w.h, w.mi, w.s);
}

export function localDate(date: string): Date {
  return new Date(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
}
