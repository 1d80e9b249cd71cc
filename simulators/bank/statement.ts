/**
 * What the simulated bank reports for an accepted batch, as a BankStatement (written as camt by
 * integrations/sepa): all collections credited in ONE entry (batch booking, PMNT/IDDT/ESDD or
 * BBDD for B2B) with a TxDtls each, and every returned collection as its own debit entry one
 * TARGET day later (PMNT/IDDT/UPDD, RtrInf/Rsn/Cd, the original EndToEndId) - as Dutch banks do.
 */
import { nextTargetBusinessDay } from '../../integrations/sepa/calendar.js';
import type { Pain008Document } from '../../integrations/sepa/pain008-read.js';
import type { BankEntry, BankStatement, CamtFormat } from '../../integrations/sepa/types.js';

export interface BatchTransaction {
  endToEndId: string;
  amountCents: number;
  mandateId: string;
  debtorName: string;
  debtorIban: string;
  remittance?: string;
  collectionDate: string;
  /** Decided when the batch is accepted; undefined = collected fine. */
  returnReason?: string;
}

export interface Batch {
  batchId: string;
  messageId: string;
  receivedAt: string;
  creditorIban: string;
  b2b: boolean;
  transactions: BatchTransaction[];
}

export function batchFrom(batchId: string, doc: Pain008Document, receivedAt: Date, reasonFor: (tx: BatchTransaction) => string | undefined): Batch {
  const transactions = doc.paymentInfos.flatMap((pi) =>
    pi.transactions.map((tx) => {
      const t: BatchTransaction = {
        endToEndId: tx.endToEndId,
        amountCents: tx.amountCents,
        mandateId: tx.mandateId,
        debtorName: tx.debtor.name,
        debtorIban: tx.debtor.iban,
        collectionDate: pi.collectionDate,
      };
      if (tx.remittance !== undefined) t.remittance = tx.remittance;
      const reason = reasonFor(t);
      if (reason !== undefined) t.returnReason = reason;
      return t;
    }),
  );
  return {
    batchId,
    messageId: doc.messageId,
    receivedAt: receivedAt.toISOString(),
    creditorIban: doc.paymentInfos[0]?.creditor.iban ?? '',
    b2b: doc.paymentInfos.some((pi) => pi.localInstrument === 'B2B'),
    transactions,
  };
}

export function statementFor(batch: Batch, format: CamtFormat, now: Date): BankStatement {
  const collectionDate = batch.transactions.map((t) => t.collectionDate).sort().at(-1) ?? now.toISOString().slice(0, 10);
  const credit: BankEntry = {
    entryRef: `${batch.batchId}-C`,
    bookingDate: collectionDate,
    valueDate: collectionDate,
    amountCents: batch.transactions.reduce((sum, t) => sum + t.amountCents, 0),
    currency: 'EUR',
    creditDebit: 'CRDT',
    reversal: false,
    status: 'BOOK',
    bankTransactionCode: { domain: 'PMNT', family: 'IDDT', subFamily: batch.b2b ? 'BBDD' : 'ESDD' },
    isReturn: false,
    transactions: batch.transactions.map((t) => ({
      endToEndId: t.endToEndId,
      mandateId: t.mandateId,
      amountCents: t.amountCents,
      ...(t.remittance !== undefined ? { remittance: t.remittance } : {}),
      counterpartyName: t.debtorName,
      counterpartyIban: t.debtorIban,
    })),
  };
  const returns = batch.transactions
    .filter((t) => t.returnReason !== undefined)
    .map((t, i): BankEntry => {
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
        transactions: [
          {
            endToEndId: t.endToEndId,
            mandateId: t.mandateId,
            amountCents: t.amountCents,
            ...(t.remittance !== undefined ? { remittance: t.remittance } : {}),
            returnReason: t.returnReason,
            counterpartyName: t.debtorName,
            counterpartyIban: t.debtorIban,
          },
        ],
      };
    });
  return {
    format,
    messageId: `${format === 'camt.053' ? 'STMT' : 'NTFC'}-${batch.batchId}`,
    createdAt: now.toISOString(),
    statementId: `${batch.batchId}-1`,
    accountIban: batch.creditorIban,
    entries: [credit, ...returns],
  };
}
