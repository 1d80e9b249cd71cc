/**
 * camt.053 (statement) and camt.054 (debit/credit notification), versions .001.02 and .001.08,
 * to BankStatement. Untrusted input from the bank: guarded by integrations/xml (size,
 * DOCTYPE/ENTITY, depth), and ALL-OR-NOTHING: the first problem refuses the whole file with a SepaError naming
 * the element, so the caller books nothing rather than half a statement.
 *
 * What we read per entry (Ntry) and transaction (NtryDtls/TxDtls):
 *   Ntry     Amt@Ccy CdtDbtInd RvslInd? Sts (.02 text, .08 Sts/Cd|Prtry) BookgDt ValDt
 *            AcctSvcrRef|NtryRef BkTxCd (Domn/Cd, Fmly/Cd, SubFmlyCd; Prtry/Cd)
 *   Btch     MsgId PmtInfId NbOfTxs TtlAmt@Ccy CdtDbtInd (one per NtryDtls; the batch-booking shape:
 *            one entry for a whole PmtInf, with or without its TxDtls)
 *   TxDtls   Refs/EndToEndId Refs/MndtId Refs/PmtInfId, Amt (.08) | AmtDtls/TxAmt/Amt | AmtDtls/InstdAmt/Amt,
 *            RltdPties (Dbtr/Nm or Dbtr/Pty/Nm, DbtrAcct/Id/IBAN; same for Cdtr),
 *            RmtInf/Ustrd*, RmtInf/Strd/CdtrRefInf/Ref, RtrInf/Rsn/Cd|Prtry
 * Everything else (balances, charges, FX, addresses) is ignored.
 */
import type { SerializedError } from '../xml/index.js';
import { XmlNode, invalidAt, parseSepaXml, withSepaErrors } from './xml-read.js';
import {
  SepaError,
  SepaErrorType,
  type BankBatch,
  type BankEntry,
  type BankStatement,
  type BankTransaction,
  type BankTransactionCode,
  type CamtFormat,
  type CreditDebit,
  type SepaParseLimits,
} from './types.js';

export { buildCamt053, buildCamt054, buildCamtFile, type BuildCamtOptions, type CamtVersion } from './camt-build.js';

const LABEL = 'camt document';
const NAMESPACE = /^urn:iso:std:iso:20022:tech:xsd:(camt\.05[34])\.001\.(02|08)$/;
const BODY: Readonly<Record<CamtFormat, { body: string; report: string }>> = {
  'camt.053': { body: 'BkToCstmrStmt', report: 'Stmt' },
  'camt.054': { body: 'BkToCstmrDbtCdtNtfctn', report: 'Ntfctn' },
};
/** Subfamilies that mean "a collection of ours came back" (ISO bank transaction codes). */
const RETURN_SUBFAMILIES = new Set(['UPDD', 'PRDD', 'RRTN', 'ARET']);

/** Every statement (Stmt) or notification (Ntfctn) in the file, in order. */
export function parseCamtStatements(xml: string | Uint8Array, limits?: Partial<SepaParseLimits>): BankStatement[] {
  return withSepaErrors(() => readCamtStatements(xml, limits));
}

function readCamtStatements(xml: string | Uint8Array, limits?: Partial<SepaParseLimits>): BankStatement[] {
  const parsed = parseSepaXml(xml, LABEL, limits);
  if (parsed.rootName !== 'Document') throw invalidAt(parsed.rootName, 'is not a camt document: the root element must be <Document>');
  const match = NAMESPACE.exec(parsed.namespace ?? '');
  if (!match) {
    throw new SepaError(
      SepaErrorType.Unsupported,
      `${LABEL}: namespace ${JSON.stringify(parsed.namespace ?? '(none)')} is not camt.053/camt.054 version 001.02 or 001.08`,
      { path: 'Document' },
    );
  }
  const format = match[1] as CamtFormat;
  const { body: bodyName, report: reportName } = BODY[format];
  const document = XmlNode.of('Document', parsed.root);
  const body = document.requiredChild(bodyName);
  const header = body.requiredChild('GrpHdr');
  const messageId = header.requiredText('MsgId');
  const createdAt = header.dateTime('CreDtTm', true);
  const reports = body.children(reportName);
  if (reports.length === 0) throw invalidAt(body.childPath(reportName), 'is missing');
  return reports.map((report) => readReport(report, format, messageId, createdAt));
}

/** The single statement / notification of a camt file; several (multi-account files) are refused. */
export function parseCamt(xml: string | Uint8Array, limits?: Partial<SepaParseLimits>): BankStatement {
  const statements = parseCamtStatements(xml, limits);
  if (statements.length !== 1) {
    throw new SepaError(
      SepaErrorType.Unsupported,
      `${LABEL} holds ${statements.length} statements (several accounts?); use parseCamtStatements`,
    );
  }
  return statements[0] as BankStatement;
}

/** A SepaError thrown in a pool thread, as it was (its `problems` included). */
export function reviveSepaError(error: SerializedError): SepaError | undefined {
  if (error.name !== 'SepaError') return undefined;
  const { path, field, problems } = error.props;
  return new SepaError(error.props.type as SepaErrorType, error.message, {
    ...(typeof path === 'string' ? { path } : {}),
    ...(typeof field === 'string' ? { field } : {}),
    ...(Array.isArray(problems) ? { problems: problems as SepaError['problems'] } : {}),
  });
}

function readReport(report: XmlNode, format: CamtFormat, messageId: string, createdAt: string): BankStatement {
  const accountId = report.requiredChild('Acct').requiredChild('Id');
  const iban = accountId.text('IBAN');
  const other = iban === undefined ? accountId.child('Othr')?.text('Id') : undefined;
  if (iban === undefined && other === undefined) throw invalidAt(accountId.childPath('IBAN'), 'is missing (and there is no Othr/Id)');
  const statement: BankStatement = { format, messageId, createdAt, entries: [] };
  const id = report.text('Id');
  if (id !== undefined) statement.statementId = id;
  if (iban !== undefined) statement.accountIban = iban.replace(/\s+/g, '').toUpperCase();
  if (other !== undefined) statement.accountOtherId = other;
  statement.entries = report.children('Ntry').map((entry) => readEntry(entry, statement.accountIban));
  return statement;
}

function readEntry(ntry: XmlNode, ownIban: string | undefined): BankEntry {
  const amount = ntry.amount('Amt', true);
  const creditDebit = ntry.oneOf<CreditDebit>('CdtDbtInd', ['CRDT', 'DBIT'], true);
  const reversal = ntry.boolean('RvslInd') ?? false;
  const status = entryStatus(ntry);
  const bookingDate = dateOf(ntry.child('BookgDt')) ?? dateOf(ntry.child('ValDt'));
  if (bookingDate === undefined) throw invalidAt(ntry.childPath('BookgDt'), 'is missing (and there is no ValDt)');
  const entry: BankEntry = {
    bookingDate,
    amountCents: amount.cents,
    currency: amount.currency,
    creditDebit,
    reversal,
    status,
    isReturn: false,
    transactions: [],
  };
  const valueDate = dateOf(ntry.child('ValDt'));
  if (valueDate !== undefined) entry.valueDate = valueDate;
  const entryRef = ntry.text('AcctSvcrRef') ?? ntry.text('NtryRef');
  if (entryRef !== undefined) entry.entryRef = entryRef;
  const code = bankTransactionCode(ntry.child('BkTxCd'));
  if (code) entry.bankTransactionCode = code;

  const provisional = isReturnEntry(creditDebit, reversal, code, false);
  const read: { transaction: BankTransaction; currency?: string }[] = [];
  const batches: BankBatch[] = [];
  for (const details of ntry.children('NtryDtls')) {
    const btch = details.child('Btch');
    const txs = details.children('TxDtls').map((tx) => readTransaction(tx, creditDebit, provisional, ownIban));
    if (btch) batches.push(readBatch(btch, read.length, txs.length));
    read.push(...txs);
  }
  entry.transactions = read.map((r) => r.transaction);
  if (batches.length > 0) entry.batches = batches;
  const only = entry.transactions.length === 1 ? entry.transactions[0] : undefined;
  // One TxDtls is the whole entry, unless it is one of several in a batch the bank did not list whole.
  const partOfBiggerBatch = batches.some((b) => (b.numberOfTransactions ?? 1) > 1);
  if (only && only.amountCents === undefined && !partOfBiggerBatch) only.amountCents = amount.cents;
  checkTransactionSum(ntry, entry, read.map((r) => r.currency));
  checkBatches(ntry, entry);
  entry.isReturn = isReturnEntry(creditDebit, reversal, code, entry.transactions.some((t) => t.returnReason !== undefined));
  return entry;
}

/**
 * A debit that undoes one of our collections. IDDT = "issued direct debits": on the creditor's
 * account a debit in that family can only be a return/refund. RDDT ("received direct debits")
 * debits are collections FROM us and are not returns unless reversed or given a return reason.
 */
function isReturnEntry(cd: CreditDebit, reversal: boolean, code: BankTransactionCode | undefined, hasReturnReason: boolean): boolean {
  if (cd !== 'DBIT') return false;
  if (reversal || hasReturnReason) return true;
  if (code?.subFamily !== undefined && RETURN_SUBFAMILIES.has(code.subFamily)) return true;
  return code?.family === 'IDDT';
}

function entryStatus(ntry: XmlNode): string {
  // .02: <Sts>BOOK</Sts> ; .08: <Sts><Cd>BOOK</Cd></Sts>.
  if (!ntry.isContainer('Sts')) return ntry.requiredText('Sts');
  const sts = ntry.requiredChild('Sts');
  const code = sts.text('Cd') ?? sts.text('Prtry');
  if (code === undefined) throw invalidAt(sts.childPath('Cd'), 'is missing');
  return code;
}

function dateOf(node: XmlNode | undefined): string | undefined {
  if (!node) return undefined;
  const date = node.date('Dt');
  if (date !== undefined) return date;
  const dateTime = node.dateTime('DtTm');
  // The date as the bank wrote it: its own (local) booking day, not converted to UTC.
  return dateTime?.slice(0, 10);
}

function bankTransactionCode(node: XmlNode | undefined): BankTransactionCode | undefined {
  if (!node) return undefined;
  const code: BankTransactionCode = {};
  const domain = node.child('Domn');
  if (domain) {
    code.domain = domain.requiredText('Cd');
    const family = domain.requiredChild('Fmly');
    code.family = family.requiredText('Cd');
    code.subFamily = family.requiredText('SubFmlyCd');
  }
  const proprietary = node.child('Prtry')?.text('Cd');
  if (proprietary !== undefined) code.proprietary = proprietary;
  return Object.keys(code).length > 0 ? code : undefined;
}

function readBatch(btch: XmlNode, firstTransaction: number, transactionCount: number): BankBatch {
  const batch: BankBatch = { firstTransaction, transactionCount };
  const messageId = btch.text('MsgId');
  if (messageId !== undefined) batch.messageId = messageId;
  const paymentInfoId = btch.text('PmtInfId');
  if (paymentInfoId !== undefined) batch.paymentInfoId = paymentInfoId;
  const count = btch.count('NbOfTxs');
  if (count !== undefined) batch.numberOfTransactions = count;
  const total = btch.amount('TtlAmt');
  if (total !== undefined) {
    batch.totalCents = total.cents;
    batch.currency = total.currency;
  }
  const cd = btch.oneOf<CreditDebit>('CdtDbtInd', ['CRDT', 'DBIT']);
  if (cd !== undefined) batch.creditDebit = cd;
  // A listed TxDtls more than the batch has is a contradiction the bookings must not guess around.
  if (count !== undefined && transactionCount > count) {
    throw invalidAt(btch.childPath('NbOfTxs'), `is ${count} but the batch lists ${transactionCount} TxDtls`);
  }
  return batch;
}

/**
 * A batch must agree with its entry: the direction, and (one batch per entry) its total is the
 * entry amount; several batches add up to it. Otherwise the file contradicts itself and booking
 * from it would book a different total.
 */
function checkBatches(ntry: XmlNode, entry: BankEntry): void {
  const batches = entry.batches ?? [];
  for (const b of batches) {
    if (b.creditDebit !== undefined && b.creditDebit !== entry.creditDebit) {
      throw invalidAt(ntry.childPath('NtryDtls/Btch/CdtDbtInd'), `is ${b.creditDebit} but the entry is ${entry.creditDebit}`);
    }
    if (b.currency !== undefined && b.currency !== entry.currency) {
      throw invalidAt(ntry.childPath('NtryDtls/Btch/TtlAmt'), `is in ${b.currency} but the entry is in ${entry.currency}`);
    }
  }
  if (batches.length === 0 || batches.some((b) => b.totalCents === undefined)) return;
  const sum = batches.reduce((s, b) => s + (b.totalCents ?? 0), 0);
  if (sum !== entry.amountCents) {
    const what = batches.length === 1 ? 'its Btch/TtlAmt is' : `its ${batches.length} Btch/TtlAmt add up to`;
    throw invalidAt(ntry.childPath('Amt'), `is ${formatCents(entry.amountCents)} but ${what} ${formatCents(sum)}`);
  }
}

function readTransaction(
  tx: XmlNode,
  cd: CreditDebit,
  likelyReturn: boolean,
  ownIban: string | undefined,
): { transaction: BankTransaction; currency?: string } {
  const result: BankTransaction = {};
  const refs = tx.child('Refs');
  const endToEndId = refs?.text('EndToEndId');
  if (endToEndId !== undefined && endToEndId !== 'NOTPROVIDED') result.endToEndId = endToEndId;
  const mandateId = refs?.text('MndtId');
  if (mandateId !== undefined) result.mandateId = mandateId;
  const paymentInfoId = refs?.text('PmtInfId');
  if (paymentInfoId !== undefined) result.paymentInfoId = paymentInfoId;

  const amount = tx.amount('Amt') ?? tx.child('AmtDtls')?.child('TxAmt')?.amount('Amt') ?? tx.child('AmtDtls')?.child('InstdAmt')?.amount('Amt');
  if (amount) result.amountCents = amount.cents;

  const remittance = tx.child('RmtInf');
  const lines = remittance?.texts('Ustrd') ?? [];
  if (lines.length > 0) result.remittance = lines.join(' ');
  const creditorReference = remittance?.children('Strd').map((s) => s.child('CdtrRefInf')?.text('Ref')).find((r) => r !== undefined);
  if (creditorReference !== undefined) result.creditorReference = creditorReference;

  const reason = tx.child('RtrInf')?.child('Rsn');
  const returnReason = reason?.text('Cd') ?? reason?.text('Prtry');
  if (returnReason !== undefined) result.returnReason = returnReason;

  const parties = tx.child('RltdPties');
  if (parties) {
    const debtor = party(parties, 'Dbtr', 'DbtrAcct');
    const creditor = party(parties, 'Cdtr', 'CdtrAcct');
    // The other side is whoever is not us; without account numbers, the direction decides.
    let counterparty: { name?: string; iban?: string };
    if (ownIban !== undefined && creditor.iban === ownIban) counterparty = debtor;
    else if (ownIban !== undefined && debtor.iban === ownIban) counterparty = creditor;
    else counterparty = cd === 'CRDT' || likelyReturn || returnReason !== undefined ? debtor : creditor;
    if (counterparty.name !== undefined) result.counterpartyName = counterparty.name;
    if (counterparty.iban !== undefined) result.counterpartyIban = counterparty.iban;
  }
  return { transaction: result, currency: amount?.currency };
}

function party(parties: XmlNode, role: string, accountRole: string): { name?: string; iban?: string } {
  const node = parties.child(role);
  // .02: Dbtr/Nm ; .08: Dbtr/Pty/Nm (Party40Choice).
  const name = node?.text('Nm') ?? node?.child('Pty')?.text('Nm');
  const iban = parties.child(accountRole)?.child('Id')?.text('IBAN')?.replace(/\s+/g, '').toUpperCase();
  const result: { name?: string; iban?: string } = {};
  if (name !== undefined) result.name = name;
  if (iban !== undefined) result.iban = iban;
  return result;
}

/**
 * A batch entry whose transactions all carry an amount in the entry's currency must add up to
 * the entry amount; otherwise booking per transaction would book a different total.
 */
function checkTransactionSum(ntry: XmlNode, entry: BankEntry, currencies: (string | undefined)[]): void {
  if (entry.transactions.length < 2 || currencies.some((c) => c !== entry.currency)) return;
  const sum = entry.transactions.reduce((s, t) => s + (t.amountCents ?? 0), 0);
  if (sum !== entry.amountCents) {
    throw invalidAt(ntry.childPath('Amt'), `is ${formatCents(entry.amountCents)} but its ${entry.transactions.length} TxDtls add up to ${formatCents(sum)}`);
  }
}

function formatCents(cents: number): string {
  return (cents / 100).toFixed(2);
}
