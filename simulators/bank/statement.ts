/**
 * What the simulated bank reports for an accepted batch, in the shape its reporting setting
 * asks (returns.ts `BankReporting`), as BankStatement / PaymentStatusReport values that
 * integrations/sepa writes as camt and pain.002:
 *
 * - the credit (`creditStatement`): `transactions`: ONE credit entry (PMNT/IDDT/ESDD, BBDD for
 *   B2B) with a TxDtls per collection; `batch`: one entry per PmtInf with NtryDtls/Btch (MsgId,
 *   PmtInfId, NbOfTxs, TtlAmt, CdtDbtInd) and no per-transaction credit at all; `batch-details`:
 *   the same Btch and a TxDtls per collection. Collections rejected before settlement are not in
 *   the credit (nor in NbOfTxs/TtlAmt); returned ones are (the bank credits, then debits them);
 * - every returned collection as its own debit entry one TARGET day after the collection date
 *   (PMNT/IDDT/UPDD, RtrInf/Rsn/Cd, the original EndToEndId): in the credit statement
 *   (`with-credit`), or in a camt.054 of their own (`returnsNotification`) that the bank delivers
 *   after (`later`) or before (`before-credit`) the credit statement;
 * - rejects before settlement (*afkeuringen*) as a pain.002 (`statusReport`): GrpSts PART (RJCT
 *   when every collection is rejected), per PmtInf PmtInfSts PART/RJCT and a TxInfAndSts RJCT
 *   with the reason and the original amount for each;
 * - `deliveries`: the files in the order the bank delivers them (pain.002 first, then the
 *   credit statement and the returns' notification in the order of the setting).
 */
import { nextTargetBusinessDay } from '../../integrations/sepa/calendar.js';
import type { Pain008Document } from '../../integrations/sepa/pain008-read.js';
import type { BankEntry, BankStatement, BankTransaction, CamtFormat, PaymentStatusReport } from '../../integrations/sepa/types.js';
import type { BankReporting, ReturnRule } from './returns.js';

export interface BatchTransaction {
  endToEndId: string;
  amountCents: number;
  mandateId: string;
  debtorName: string;
  debtorIban: string;
  remittance?: string;
  collectionDate: string;
  /** PmtInf/PmtInfId of the pain.008 the collection was in. */
  paymentInfoId: string;
  /** Decided when the batch is accepted; undefined = collected fine. Collected, then returned (camt debit). */
  returnReason?: string;
  /** Decided when the batch is accepted: refused before settlement (pain.002), never credited. */
  rejectReason?: string;
}

export interface BatchPaymentInfo {
  id: string;
  collectionDate: string;
  b2b: boolean;
}

export interface Batch {
  batchId: string;
  messageId: string;
  /** pain.008.001.02 or .08: what the pain.002 names as the original message. */
  messageType: string;
  receivedAt: string;
  creditorIban: string;
  b2b: boolean;
  paymentInfos: BatchPaymentInfo[];
  transactions: BatchTransaction[];
  /** How this batch is reported: the setting when it was accepted (or the request's own). */
  reporting: BankReporting;
}

export type DeliveryKind = 'status-report' | 'statement' | 'returns';

export function batchFrom(
  batchId: string,
  doc: Pain008Document,
  receivedAt: Date,
  ruleFor: (tx: { endToEndId: string; remittance?: string }) => Pick<ReturnRule, 'reason' | 'stage'> | undefined,
  reporting: BankReporting,
): Batch {
  const transactions = doc.paymentInfos.flatMap((pi) =>
    pi.transactions.map((tx) => {
      const t: BatchTransaction = {
        endToEndId: tx.endToEndId,
        amountCents: tx.amountCents,
        mandateId: tx.mandateId,
        debtorName: tx.debtor.name,
        debtorIban: tx.debtor.iban,
        collectionDate: pi.collectionDate,
        paymentInfoId: pi.id,
      };
      if (tx.remittance !== undefined) t.remittance = tx.remittance;
      const rule = ruleFor(t);
      if (rule?.stage === 'reject') t.rejectReason = rule.reason;
      else if (rule !== undefined) t.returnReason = rule.reason;
      return t;
    }),
  );
  return {
    batchId,
    messageId: doc.messageId,
    messageType: `pain.008.${doc.version}`,
    receivedAt: receivedAt.toISOString(),
    creditorIban: doc.paymentInfos[0]?.creditor.iban ?? '',
    b2b: doc.paymentInfos.some((pi) => pi.localInstrument === 'B2B'),
    paymentInfos: doc.paymentInfos.map((pi) => ({ id: pi.id, collectionDate: pi.collectionDate, b2b: pi.localInstrument === 'B2B' })),
    transactions,
    reporting: { ...reporting },
  };
}

const credited = (batch: Batch): BatchTransaction[] => batch.transactions.filter((t) => t.rejectReason === undefined);
const returned = (batch: Batch): BatchTransaction[] => batch.transactions.filter((t) => t.returnReason !== undefined);
const rejected = (batch: Batch): BatchTransaction[] => batch.transactions.filter((t) => t.rejectReason !== undefined);
const sum = (list: readonly BatchTransaction[]): number => list.reduce((s, t) => s + t.amountCents, 0);

function creditTransaction(t: BatchTransaction): BankTransaction {
  return {
    endToEndId: t.endToEndId,
    mandateId: t.mandateId,
    amountCents: t.amountCents,
    ...(t.remittance !== undefined ? { remittance: t.remittance } : {}),
    counterpartyName: t.debtorName,
    counterpartyIban: t.debtorIban,
  };
}

/** The credit entries of the batch in the shape of its reporting (none when everything was rejected). */
function creditEntries(batch: Batch, reporting: BankReporting): BankEntry[] {
  const base = (ref: string, date: string, b2b: boolean, amountCents: number): BankEntry => ({
    entryRef: ref,
    bookingDate: date,
    valueDate: date,
    amountCents,
    currency: 'EUR',
    creditDebit: 'CRDT',
    reversal: false,
    status: 'BOOK',
    bankTransactionCode: { domain: 'PMNT', family: 'IDDT', subFamily: b2b ? 'BBDD' : 'ESDD' },
    isReturn: false,
    transactions: [],
  });
  const collected = credited(batch);
  if (collected.length === 0) return [];
  if (reporting.credit === 'transactions') {
    const date = collected.map((t) => t.collectionDate).sort().at(-1)!;
    return [{ ...base(`${batch.batchId}-C`, date, batch.b2b, sum(collected)), transactions: collected.map(creditTransaction) }];
  }
  return batch.paymentInfos.flatMap((pi, i): BankEntry[] => {
    const own = collected.filter((t) => t.paymentInfoId === pi.id);
    if (own.length === 0) return [];
    const details = reporting.credit === 'batch-details';
    return [
      {
        ...base(`${batch.batchId}-C${i + 1}`, pi.collectionDate, pi.b2b, sum(own)),
        transactions: details ? own.map(creditTransaction) : [],
        batches: [
          {
            messageId: batch.messageId,
            paymentInfoId: pi.id,
            numberOfTransactions: own.length,
            totalCents: sum(own),
            currency: 'EUR',
            creditDebit: 'CRDT',
            firstTransaction: 0,
            transactionCount: details ? own.length : 0,
          },
        ],
      },
    ];
  });
}

function returnEntries(batch: Batch): BankEntry[] {
  return returned(batch).map((t, i): BankEntry => {
    const day = nextTargetBusinessDay(t.collectionDate, true);
    return {
      entryRef: `${batch.batchId}-R${i + 1}`,
      bookingDate: day,
      valueDate: day,
      amountCents: t.amountCents,
      currency: 'EUR',
      creditDebit: 'DBIT',
      reversal: false,
      status: 'BOOK',
      bankTransactionCode: { domain: 'PMNT', family: 'IDDT', subFamily: 'UPDD' },
      isReturn: true,
      transactions: [{ ...creditTransaction(t), returnReason: t.returnReason }],
    };
  });
}

/** The statement (camt.053) or notification (camt.054) with the credit, and the returns when they are reported with it. */
export function creditStatement(batch: Batch, format: CamtFormat, now: Date, reporting: BankReporting = batch.reporting): BankStatement {
  const returns = reporting.returns === 'with-credit' ? returnEntries(batch) : [];
  return {
    format,
    messageId: `${format === 'camt.053' ? 'STMT' : 'NTFC'}-${batch.batchId}`,
    createdAt: now.toISOString(),
    statementId: `${batch.batchId}-1`,
    accountIban: batch.creditorIban,
    entries: [...creditEntries(batch, reporting), ...returns],
  };
}

/** The camt.054 with only the returns, when they are reported apart from the credit; undefined otherwise (or when nothing came back). */
export function returnsNotification(batch: Batch, now: Date, reporting: BankReporting = batch.reporting): BankStatement | undefined {
  const entries = returnEntries(batch);
  if (reporting.returns === 'with-credit' || entries.length === 0) return undefined;
  return {
    format: 'camt.054',
    messageId: `NTFC-${batch.batchId}-R`,
    createdAt: now.toISOString(),
    statementId: `${batch.batchId}-R`,
    accountIban: batch.creditorIban,
    entries,
  };
}

/** The pain.002 with the rejects before settlement; undefined when nothing was rejected. */
export function statusReport(batch: Batch): PaymentStatusReport | undefined {
  const refused = rejected(batch);
  if (refused.length === 0) return undefined;
  const all = refused.length === batch.transactions.length;
  return {
    format: 'pain.002',
    version: '001.03',
    messageId: `PSR-${batch.batchId}`,
    createdAt: batch.receivedAt,
    originalMessageId: batch.messageId,
    originalMessageType: batch.messageType,
    groupStatus: all ? 'RJCT' : 'PART',
    paymentInfos: batch.paymentInfos.flatMap((pi) => {
      const own = refused.filter((t) => t.paymentInfoId === pi.id);
      if (own.length === 0) return [];
      const members = batch.transactions.filter((t) => t.paymentInfoId === pi.id);
      return [
        {
          paymentInfoId: pi.id,
          numberOfTransactions: members.length,
          controlSumCents: sum(members),
          status: own.length === members.length ? 'RJCT' : 'PART',
          transactions: own.map((t) => ({
            endToEndId: t.endToEndId,
            status: 'RJCT',
            reasonCode: t.rejectReason,
            amountCents: t.amountCents,
            creditorIban: batch.creditorIban,
          })),
        },
      ];
    }),
  };
}

/** The files of the batch in the order the bank delivers them. */
export function deliveries(batch: Batch, reporting: BankReporting = batch.reporting): DeliveryKind[] {
  const out: DeliveryKind[] = [];
  if (rejected(batch).length > 0) out.push('status-report');
  const separateReturns = reporting.returns !== 'with-credit' && returned(batch).length > 0;
  if (separateReturns && reporting.returns === 'before-credit') out.push('returns');
  out.push('statement');
  if (separateReturns && reporting.returns === 'later') out.push('returns');
  return out;
}

