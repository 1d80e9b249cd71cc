/**
 * SEPA rulebook checks on a direct-debit batch, run BEFORE any XML is built. The ISO XSD leaves
 * mandate id, creditor id and payment type optional, and the bank would only refuse the batch
 * (or worse, single transactions, days later): every problem is found here, with the field.
 *
 * Deliberately not checked: D-1/D-2 lead times (the bank moves or refuses the date; that is a
 * scheduling decision, not a data error) and the SEPA character set of names and remittance
 * (banks transliterate "é" and friends; ids are checked, because they come back unchanged).
 */
import { checkIban } from '../../domain/iban.js';
import { isCalendarDate, todayInAmsterdam } from '../../domain/dates.js';
import { NOT_XML_CHAR } from '../xml/index.js';
import { MAX_SEPA_AMOUNT_CENTS } from './amount.js';
import { targetClosingReason } from './calendar.js';
import { checkCreditorId } from './creditor-id.js';
import { SepaError, SepaErrorType, localInstruments, sequenceTypes, type DirectDebitBatchInput, type SepaProblem } from './types.js';

/** SEPA identifier characters (EPC "Latin character set" without the space-free restriction). */
const SEPA_ID = /^[A-Za-z0-9/\-?:().,'+ ]+$/;
const BIC = /^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
/** Leaves room for "-FRST" in PmtInfId (max 35). */
export const MAX_MESSAGE_ID = 30;

type Report = (field: string, message: string) => void;

/** Throws one SepaError (type Invalid) listing every problem; `field` and the message name the first. */
export function checkDirectDebitBatch(input: DirectDebitBatchInput): void {
  const problems: SepaProblem[] = [];
  const report: Report = (field, message) => problems.push({ field, message });
  checkHeader(input, report);
  checkTransactions(input, report);
  const first = problems[0];
  if (!first) return;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
  throw new SepaError(SepaErrorType.Invalid, `${first.message}${more}`, { field: first.field, problems });
}

/** The calendar day (Amsterdam) of `createdAt`, or undefined when it is not an ISO date-time with offset. */
export function creationDay(createdAt: string): string | undefined {
  if (typeof createdAt !== 'string' || !ISO_DATE_TIME.test(createdAt)) return undefined;
  const at = new Date(createdAt);
  return Number.isNaN(at.getTime()) ? undefined : todayInAmsterdam(at);
}

function checkHeader(input: DirectDebitBatchInput, report: Report): void {
  checkId(input.messageId, MAX_MESSAGE_ID, 'messageId', 'Message id', report);
  const today = creationDay(input.createdAt);
  if (today === undefined) report('createdAt', `createdAt must be an ISO date-time with offset, got ${show(input.createdAt)}`);

  const { creditor } = input;
  checkName(creditor?.name, 'creditor.name', 'Creditor name', report);
  checkIbanField(creditor?.iban, 'creditor.iban', 'Creditor IBAN', report);
  checkBic(creditor?.bic, creditor?.iban, 'creditor.bic', 'Creditor BIC', report);
  if (typeof creditor?.creditorId !== 'string' || creditor.creditorId.trim() === '') {
    report('creditor.creditorId', 'Creditor id (incassant-ID) is missing');
  } else {
    const cid = checkCreditorId(creditor.creditorId);
    if (!cid.ok) report('creditor.creditorId', `Creditor id is invalid: ${cid.reason}`);
  }

  if (!isCalendarDate(input.collectionDate)) {
    report('collectionDate', `Collection date must be a date YYYY-MM-DD, got ${show(input.collectionDate)}`);
  } else {
    const closed = targetClosingReason(input.collectionDate);
    if (closed) report('collectionDate', `Collection date ${input.collectionDate} is not a SEPA business day (${closed})`);
    if (today !== undefined && input.collectionDate < today) {
      report('collectionDate', `Collection date ${input.collectionDate} is in the past (the batch is created on ${today})`);
    }
  }
  if (!(localInstruments as readonly unknown[]).includes(input.localInstrument)) {
    report('localInstrument', `Local instrument must be CORE or B2B, got ${show(input.localInstrument)}`);
  }
}

function checkTransactions(input: DirectDebitBatchInput, report: Report): void {
  if (!Array.isArray(input.transactions) || input.transactions.length === 0) {
    report('transactions', 'The batch has no transactions');
    return;
  }
  const today = creationDay(input.createdAt);
  const seenEndToEnd = new Map<string, number>();
  const sequenceByMandate = new Map<string, string>();
  input.transactions.forEach((tx, index) => {
    const field = (name: string): string => `transactions[${index}].${name}`;
    const label = `Transaction ${index + 1}${typeof tx.endToEndId === 'string' && tx.endToEndId !== '' ? ` (EndToEndId ${show(tx.endToEndId)})` : ''}`;

    if (checkId(tx.endToEndId, 35, field('endToEndId'), `${label}: EndToEndId`, report)) {
      if (tx.endToEndId === 'NOTPROVIDED') report(field('endToEndId'), `${label}: EndToEndId "NOTPROVIDED" is reserved; use our own reference`);
      const earlier = seenEndToEnd.get(tx.endToEndId);
      if (earlier !== undefined) report(field('endToEndId'), `${label}: EndToEndId is also used by transaction ${earlier + 1}; it must be unique in the batch`);
      else seenEndToEnd.set(tx.endToEndId, index);
    }

    if (!Number.isSafeInteger(tx.amountCents) || tx.amountCents <= 0) {
      report(field('amountCents'), `${label}: amount must be a positive whole number of cents, got ${show(tx.amountCents)}`);
    } else if (tx.amountCents > MAX_SEPA_AMOUNT_CENTS) {
      report(field('amountCents'), `${label}: amount ${tx.amountCents} cents is more than the SEPA maximum of 999999999.99 EUR`);
    }

    if (typeof tx.mandateId !== 'string' || tx.mandateId.trim() === '') report(field('mandateId'), `${label}: mandate id is missing`);
    else checkId(tx.mandateId, 35, field('mandateId'), `${label}: mandate id`, report);

    if (!isCalendarDate(tx.mandateSignedOn)) {
      report(field('mandateSignedOn'), `${label}: mandate signature date must be a date YYYY-MM-DD, got ${show(tx.mandateSignedOn)}`);
    } else {
      if (today !== undefined && tx.mandateSignedOn > today) {
        report(field('mandateSignedOn'), `${label}: mandate signature date ${tx.mandateSignedOn} is in the future (the batch is created on ${today})`);
      }
      if (isCalendarDate(input.collectionDate) && tx.mandateSignedOn > input.collectionDate) {
        report(field('mandateSignedOn'), `${label}: mandate signature date ${tx.mandateSignedOn} is after the collection date ${input.collectionDate}`);
      }
    }

    if (!(sequenceTypes as readonly unknown[]).includes(tx.sequenceType)) {
      report(field('sequenceType'), `${label}: sequence type must be FRST, RCUR, FNAL or OOFF, got ${show(tx.sequenceType)}`);
    } else if (typeof tx.mandateId === 'string' && tx.mandateId !== '') {
      // A first and a follow-up collection on one mandate in one batch: the bank sees the RCUR
      // before the FRST has settled and returns it (AG02).
      const other = sequenceByMandate.get(tx.mandateId);
      if (other !== undefined && other !== tx.sequenceType && [other, tx.sequenceType].includes('FRST')) {
        report(field('sequenceType'), `${label}: mandate ${show(tx.mandateId)} is collected as both ${other} and ${tx.sequenceType} in this batch`);
      }
      if (other === undefined) sequenceByMandate.set(tx.mandateId, tx.sequenceType);
    }

    checkName(tx.debtor?.name, field('debtor.name'), `${label}: debtor name`, report);
    checkIbanField(tx.debtor?.iban, field('debtor.iban'), `${label}: debtor IBAN`, report);
    checkBic(tx.debtor?.bic, tx.debtor?.iban, field('debtor.bic'), `${label}: debtor BIC`, report);

    if (typeof tx.remittance !== 'string' || tx.remittance.trim() === '') {
      report(field('remittance'), `${label}: remittance information is missing (put the invoice number in it)`);
    } else if (tx.remittance.length > 140) {
      report(field('remittance'), `${label}: remittance information has ${tx.remittance.length} characters, at most 140 are allowed`);
    } else if (NOT_XML_CHAR.test(tx.remittance)) {
      report(field('remittance'), `${label}: remittance information contains a control character`);
    }
  });
}

/** SEPA id rules (EndToEndId, MndtId, MsgId). True when the id is usable. */
function checkId(value: unknown, max: number, field: string, what: string, report: Report): value is string {
  if (typeof value !== 'string' || value === '') {
    report(field, `${what} is missing`);
    return false;
  }
  const before = value.length;
  if (value.length > max) report(field, `${what} has ${value.length} characters, at most ${max} are allowed`);
  if (!SEPA_ID.test(value)) report(field, `${what} ${show(value)} contains characters outside the SEPA set (letters, digits, / - ? : ( ) . , ' + space)`);
  else if (value.startsWith('/') || value.includes('//')) report(field, `${what} ${show(value)} may not start with "/" or contain "//"`);
  else if (value.trim() !== value) report(field, `${what} ${show(value)} may not start or end with a space`);
  return before <= max && SEPA_ID.test(value) && !value.startsWith('/') && !value.includes('//') && value.trim() === value;
}

function checkName(value: unknown, field: string, what: string, report: Report): void {
  if (typeof value !== 'string' || value.trim() === '') report(field, `${what} is missing`);
  else if (value.length > 70) report(field, `${what} has ${value.length} characters, at most 70 are allowed`);
  else if (NOT_XML_CHAR.test(value)) report(field, `${what} contains a control character`);
}

function checkIbanField(value: unknown, field: string, what: string, report: Report): void {
  if (typeof value !== 'string') {
    report(field, `${what} is missing`);
    return;
  }
  const result = checkIban(value);
  if (!result.ok) report(field, `${what} is invalid: ${result.reason}`);
}

/** Overseas territories that use their mother country's IBAN (EPC list; matches the sepa library). */
const territories: Readonly<Record<string, readonly string[]>> = {
  FI: ['AX'],
  FR: ['GF', 'GP', 'MQ', 'RE', 'PF', 'TF', 'YT', 'NC', 'BL', 'MF', 'PM', 'WF'],
  GB: ['IM', 'JE', 'GG'],
};

function checkBic(value: unknown, iban: unknown, field: string, what: string, report: Report): void {
  if (value === undefined) return;
  if (typeof value !== 'string' || !BIC.test(value)) {
    report(field, `${what} must be 8 or 11 letters/digits like ABNANL2A, got ${show(value)}`);
    return;
  }
  if (typeof iban !== 'string') return;
  const ibanCountry = iban.replace(/\s+/g, '').slice(0, 2).toUpperCase();
  const bicCountry = value.slice(4, 6);
  if (bicCountry !== ibanCountry && !(territories[ibanCountry] ?? []).includes(bicCountry)) {
    report(field, `${what} ${value} is from ${bicCountry}, the IBAN from ${ibanCountry}`);
  }
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  return value === undefined ? 'nothing' : JSON.stringify(value) ?? String(value);
}
