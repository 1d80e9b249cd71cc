/**
 * BankStatement -> camt.053 / camt.054 XML (.001.02, or .001.08 on request), with
 * fast-xml-parser's builder. Used by the simulated bank (and by tests to make camt files), so it
 * writes what real Dutch banks write for collections and returns, in the XSD's element order:
 *   - a credit batch entry PMNT/IDDT/ESDD (BBDD for B2B), with NtryDtls/Btch (MsgId, PmtInfId,
 *     NbOfTxs, TtlAmt, CdtDbtInd) when the entry has `batches`, and with or without one TxDtls
 *     per collection;
 *   - a return as a debit entry PMNT/IDDT/UPDD with Refs/EndToEndId (the original one),
 *     RltdPties/Dbtr (the original debtor) and RtrInf/Rsn/Cd; several returns may share one
 *     entry (a return batch with a TxDtls each).
 * One file may hold several statements (Stmt) / notifications (Ntfctn): `buildCamtFile`.
 * camt.053 needs balances: OPBD (given, default 0) and CLBD (opening + booked credits - debits).
 * parseCamtStatements(buildCamtFile(...)) gives the statements back (that is tested).
 */
import { XMLBuilder } from 'fast-xml-parser';
import { ATTRIBUTE_PREFIX, NOT_XML_CHAR, TEXT_KEY } from '../xml/index.js';
import { centsToDecimal } from './amount.js';
import { SepaError, SepaErrorType, type BankBatch, type BankEntry, type BankStatement, type BankTransaction } from './types.js';

export interface BuildCamtOptions {
  /** Opening booked balance in cents (camt.053 only; may be negative). Default 0. */
  openingBalanceCents?: number;
  /** Default '001.02'. */
  version?: CamtVersion;
}

export type CamtVersion = '001.02' | '001.08';

type XmlObject = Record<string, unknown>;

const NS = 'urn:iso:std:iso:20022:tech:xsd:';
const ENTRY_STATUSES = ['BOOK', 'PDNG', 'INFO'];
const MAX_TEXT = 140;

export function buildCamt053(statement: BankStatement, options: BuildCamtOptions = {}): string {
  return buildCamtFile('camt.053', [statement], options);
}

export function buildCamt054(statement: BankStatement, options: Omit<BuildCamtOptions, 'openingBalanceCents'> = {}): string {
  return buildCamtFile('camt.054', [statement], options);
}

/**
 * One camt file with several statements (camt.053: one Stmt per account or day) or
 * notifications (camt.054); GrpHdr/MsgId and CreDtTm are the first statement's.
 */
export function buildCamtFile(format: 'camt.053' | 'camt.054', statements: readonly BankStatement[], options: BuildCamtOptions = {}): string {
  const first = statements[0];
  if (!first) throw invalid('statements', 'is empty: a camt file holds at least one statement');
  const version = options.version ?? '001.02';
  if (version !== '001.02' && version !== '001.08') throw invalid('version', `must be 001.02 or 001.08, got ${JSON.stringify(version)}`);
  const reports = statements.map((statement, s) => {
    const field = statements.length > 1 ? `statements[${s}].` : '';
    const report: XmlObject = {
      Id: id(statement.statementId ?? statement.messageId, `${field}statementId`),
      CreDtTm: dateTime(statement.createdAt),
      Acct: account(statement),
    };
    if (format === 'camt.053') report.Bal = balances(statement, options.openingBalanceCents ?? 0);
    if (statement.entries.length > 0) report.Ntry = statement.entries.map((e, i) => entry(e, `${field}entries[${i}]`, version));
    return report;
  });

  const body: XmlObject = { GrpHdr: { MsgId: id(first.messageId, 'messageId'), CreDtTm: dateTime(first.createdAt) } };
  body[format === 'camt.053' ? 'Stmt' : 'Ntfctn'] = reports.length === 1 ? reports[0] : reports;
  const document = {
    Document: {
      [`${ATTRIBUTE_PREFIX}xmlns`]: `${NS}${format}.${version}`,
      [format === 'camt.053' ? 'BkToCstmrStmt' : 'BkToCstmrDbtCdtNtfctn']: body,
    },
  };
  const builder = new XMLBuilder({
    ignoreAttributes: false,
    attributeNamePrefix: ATTRIBUTE_PREFIX,
    textNodeName: TEXT_KEY,
    format: true,
    indentBy: '  ',
    suppressEmptyNode: false,
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build(document) as string}`;
}

function account(statement: BankStatement): XmlObject {
  if (statement.accountIban !== undefined) return { Id: { IBAN: text(statement.accountIban, 'accountIban', 34) } };
  if (statement.accountOtherId !== undefined) return { Id: { Othr: { Id: text(statement.accountOtherId, 'accountOtherId', 34) } } };
  throw invalid('accountIban', 'is missing');
}

function balances(statement: BankStatement, openingCents: number): XmlObject[] {
  if (!Number.isSafeInteger(openingCents)) throw invalid('openingBalanceCents', 'must be a whole number of cents');
  const booked = statement.entries.filter((e) => e.status === 'BOOK');
  const closing = booked.reduce((sum, e) => sum + (e.creditDebit === 'CRDT' ? e.amountCents : -e.amountCents), openingCents);
  const dates = statement.entries.map((e) => e.bookingDate).sort();
  const first = dates[0] ?? statement.createdAt.slice(0, 10);
  const last = dates[dates.length - 1] ?? first;
  return [balance('OPBD', openingCents, first), balance('CLBD', closing, last)];
}

function balance(code: string, cents: number, date: string): XmlObject {
  return {
    Tp: { CdOrPrtry: { Cd: code } },
    Amt: amount(Math.abs(cents), 'EUR'),
    CdtDbtInd: cents < 0 ? 'DBIT' : 'CRDT',
    Dt: { Dt: date },
  };
}

function entry(e: BankEntry, field: string, version: CamtVersion): XmlObject {
  if (!ENTRY_STATUSES.includes(e.status)) throw invalid(`${field}.status`, `must be BOOK, PDNG or INFO, got ${JSON.stringify(e.status)}`);
  const node: XmlObject = {
    Amt: amount(e.amountCents, e.currency, `${field}.amountCents`),
    CdtDbtInd: e.creditDebit,
  };
  if (e.reversal) node.RvslInd = 'true';
  node.Sts = version === '001.08' ? { Cd: e.status } : e.status;
  node.BookgDt = { Dt: e.bookingDate };
  if (e.valueDate !== undefined) node.ValDt = { Dt: e.valueDate };
  if (e.entryRef !== undefined) node.AcctSvcrRef = id(e.entryRef, `${field}.entryRef`);
  node.BkTxCd = bankTransactionCode(e);
  const tx = (t: BankTransaction, i: number): XmlObject => transaction(e, t, `${field}.transactions[${i}]`, version);
  const batches = e.batches ?? [];
  if (batches.length > 0) {
    // One NtryDtls per batch: its Btch, then its own TxDtls (none in the batch-only shape).
    let next = 0;
    node.NtryDtls = batches.map((b, k) => {
      if (b.firstTransaction !== next || b.transactionCount < 0 || next + b.transactionCount > e.transactions.length) {
        throw invalid(`${field}.batches[${k}]`, 'does not cover the next TxDtls of the entry in order');
      }
      const details: XmlObject = { Btch: batch(b, `${field}.batches[${k}]`, e.currency) };
      const own = e.transactions.slice(next, next + b.transactionCount);
      if (own.length > 0) details.TxDtls = own.map((t, i) => tx(t, next + i));
      next += b.transactionCount;
      return details;
    });
    if (next !== e.transactions.length) throw invalid(`${field}.batches`, `cover ${next} of the entry's ${e.transactions.length} TxDtls`);
  } else if (e.transactions.length > 0) {
    node.NtryDtls = { TxDtls: e.transactions.map(tx) };
  }
  return node;
}

function batch(b: BankBatch, field: string, currency: string): XmlObject {
  const node: XmlObject = {};
  if (b.messageId !== undefined) node.MsgId = id(b.messageId, `${field}.messageId`);
  if (b.paymentInfoId !== undefined) node.PmtInfId = id(b.paymentInfoId, `${field}.paymentInfoId`);
  if (b.numberOfTransactions !== undefined) {
    if (!Number.isSafeInteger(b.numberOfTransactions) || b.numberOfTransactions < 0) throw invalid(`${field}.numberOfTransactions`, 'must be a whole number');
    node.NbOfTxs = String(b.numberOfTransactions);
  }
  if (b.totalCents !== undefined) node.TtlAmt = amount(b.totalCents, b.currency ?? currency, `${field}.totalCents`);
  if (b.creditDebit !== undefined) node.CdtDbtInd = b.creditDebit;
  return node;
}

/** BkTxCd is required in .02 but may be empty; Domn needs all three codes. */
function bankTransactionCode(e: BankEntry): XmlObject {
  const code = e.bankTransactionCode;
  const node: XmlObject = {};
  if (code?.domain !== undefined && code.family !== undefined && code.subFamily !== undefined) {
    node.Domn = { Cd: code.domain, Fmly: { Cd: code.family, SubFmlyCd: code.subFamily } };
  }
  if (code?.proprietary !== undefined) node.Prtry = { Cd: text(code.proprietary, 'bankTransactionCode.proprietary', 35) };
  return node;
}

function transaction(e: BankEntry, t: BankTransaction, field: string, version: CamtVersion): XmlObject {
  const node: XmlObject = {};
  const refs: XmlObject = {};
  if (t.paymentInfoId !== undefined) refs.PmtInfId = id(t.paymentInfoId, `${field}.paymentInfoId`);
  if (t.endToEndId !== undefined) refs.EndToEndId = id(t.endToEndId, `${field}.endToEndId`);
  if (t.mandateId !== undefined) refs.MndtId = id(t.mandateId, `${field}.mandateId`);
  if (Object.keys(refs).length > 0) node.Refs = refs;
  if (t.amountCents !== undefined) {
    const amt = amount(t.amountCents, e.currency, `${field}.amountCents`);
    if (version === '001.08') {
      node.Amt = amt;
      node.CdtDbtInd = e.creditDebit;
    } else {
      node.AmtDtls = { TxAmt: { Amt: amt } };
    }
  }
  if (t.counterpartyName !== undefined || t.counterpartyIban !== undefined) {
    // Credits and returns: the other side is the (original) debtor; other debits: the creditor.
    const asDebtor = e.creditDebit === 'CRDT' || e.isReturn || t.returnReason !== undefined;
    const parties: XmlObject = {};
    // .08: a party is Party40Choice (Pty/Nm).
    const name = (n: string): XmlObject => (version === '001.08' ? { Pty: { Nm: n } } : { Nm: n });
    if (t.counterpartyName !== undefined) parties[asDebtor ? 'Dbtr' : 'Cdtr'] = name(text(t.counterpartyName, `${field}.counterpartyName`, 140));
    if (t.counterpartyIban !== undefined) parties[asDebtor ? 'DbtrAcct' : 'CdtrAcct'] = { Id: { IBAN: text(t.counterpartyIban, `${field}.counterpartyIban`, 34) } };
    node.RltdPties = parties;
  }
  if (t.remittance !== undefined || t.creditorReference !== undefined) {
    const remittance: XmlObject = {};
    if (t.remittance !== undefined) remittance.Ustrd = chunks(text(t.remittance, `${field}.remittance`));
    if (t.creditorReference !== undefined) remittance.Strd = { CdtrRefInf: { Ref: text(t.creditorReference, `${field}.creditorReference`, 35) } };
    node.RmtInf = remittance;
  }
  if (t.returnReason !== undefined) {
    if (!/^[A-Z0-9]{1,4}$/.test(t.returnReason)) throw invalid(`${field}.returnReason`, `must be an ISO return reason code like MD06, got ${JSON.stringify(t.returnReason)}`);
    node.RtrInf = { Rsn: { Cd: t.returnReason } };
  }
  return node;
}

/** Ustrd is Max140Text per line: longer remittance goes out as several lines (read back joined). */
function chunks(value: string): string | string[] {
  if (value.length <= MAX_TEXT) return value;
  const parts: string[] = [];
  let rest = value;
  while (rest.length > MAX_TEXT) {
    const cut = rest.lastIndexOf(' ', MAX_TEXT);
    const at = cut > 0 ? cut : MAX_TEXT;
    parts.push(rest.slice(0, at));
    rest = rest.slice(cut > 0 ? at + 1 : at);
  }
  parts.push(rest);
  return parts;
}

function amount(cents: number, currency: string, field = 'amount'): XmlObject {
  if (!Number.isSafeInteger(cents) || cents < 0) throw invalid(field, `must be a non-negative whole number of cents, got ${String(cents)}`);
  if (!/^[A-Z]{3}$/.test(currency)) throw invalid(field, `currency must be a 3-letter code, got ${JSON.stringify(currency)}`);
  return { [TEXT_KEY]: centsToDecimal(cents), [`${ATTRIBUTE_PREFIX}Ccy`]: currency };
}

function dateTime(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/.test(value)) {
    throw invalid('createdAt', `must be an ISO date-time, got ${JSON.stringify(value)}`);
  }
  return value;
}

function id(value: string, field: string): string {
  return text(value, field, 35);
}

function text(value: string, field: string, max?: number): string {
  if (value === '') throw invalid(field, 'is empty');
  if (max !== undefined && value.length > max) throw invalid(field, `has ${value.length} characters, at most ${max} are allowed`);
  if (NOT_XML_CHAR.test(value)) throw invalid(field, 'contains a control character XML cannot carry');
  return value;
}

function invalid(field: string, problem: string): SepaError {
  return new SepaError(SepaErrorType.Invalid, `camt statement ${field} ${problem}`, { field });
}
