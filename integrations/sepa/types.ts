/**
 * Types of the SEPA integration: the direct-debit batch we send (pain.008), what we read back
 * from the bank (camt.053 statements, camt.054 notifications), and the one error class.
 *
 * Amounts are integer euro-CENTS everywhere (never decimal euros), dates 'YYYY-MM-DD'.
 */

import type { XmlLimits } from '../xml/index.js';
import { sequenceTypes, type SequenceType } from '../../domain/billing/closed-lists.js';

/** SEPA sequence types (FRST, RCUR, FNAL, OOFF): the closed list of domain/billing. */
export { sequenceTypes, type SequenceType };

export type LocalInstrument = 'CORE' | 'B2B';
export const localInstruments: readonly LocalInstrument[] = ['CORE', 'B2B'];

/** pain.008 versions we write: .001.02 (most Dutch banks) and .001.08 (BICFI instead of BIC). */
export type Pain008Version = '001.02' | '001.08';

export interface DirectDebitTransactionInput {
  /** Our reference, returned unchanged by every bank; max 35, SEPA characters, unique in the batch. */
  endToEndId: string;
  /** Positive whole cents, at most 99 999 999 999 (999 999 999.99 EUR). */
  amountCents: number;
  /** Mandate reference (*machtigingskenmerk*), max 35. */
  mandateId: string;
  /** Date the debtor signed the mandate, YYYY-MM-DD. */
  mandateSignedOn: string;
  sequenceType: SequenceType;
  debtor: { name: string; iban: string; bic?: string };
  /** Unstructured remittance information (the invoice number goes here), 1-140 characters. */
  remittance: string;
}

/** One direct-debit batch: one creditor, one collection date, one local instrument. */
export interface DirectDebitBatchInput {
  /** GrpHdr/MsgId; max 30 so PmtInfId (`<messageId>-<SeqTp>`) stays within 35. */
  messageId: string;
  /** ISO date-time with offset ("2026-03-02T09:00:00Z"). */
  createdAt: string;
  creditor: {
    name: string;
    iban: string;
    bic?: string;
    /** SEPA creditor identifier (*incassant-ID*), e.g. NL57ZZZ999999999999. */
    creditorId: string;
  };
  /** ReqdColltnDt, YYYY-MM-DD: a TARGET business day, not before the day of `createdAt`. */
  collectionDate: string;
  localInstrument: LocalInstrument;
  transactions: DirectDebitTransactionInput[];
}

export interface BuildPain008Options {
  /** Default '001.02'. */
  version?: Pain008Version;
}

// ---------------------------------------------------------------------------------------------
// camt.053 / camt.054
// ---------------------------------------------------------------------------------------------

export type CamtFormat = 'camt.053' | 'camt.054';
export type CreditDebit = 'CRDT' | 'DBIT';

/** ISO bank transaction code: structured (PMNT/IDDT/ESDD) and/or the bank's proprietary code. */
export interface BankTransactionCode {
  domain?: string;
  family?: string;
  subFamily?: string;
  proprietary?: string;
}

export interface BankTransaction {
  /** Refs/EndToEndId; absent when missing or "NOTPROVIDED". For returns: the ORIGINAL EndToEndId. */
  endToEndId?: string;
  /** Refs/MndtId. */
  mandateId?: string;
  /** RmtInf/Ustrd lines joined with a space (an invoice number, usually). */
  remittance?: string;
  /** RmtInf/Strd/CdtrRefInf/Ref: a structured creditor reference, when the payer used one. */
  creditorReference?: string;
  /** RtrInf/Rsn/Cd (or Prtry): AM04, MD06, ... Only on returns. */
  returnReason?: string;
  /**
   * Amount of this transaction: TxDtls/Amt (.08), else AmtDtls/TxAmt, else AmtDtls/InstdAmt,
   * else the entry amount when the entry has one transaction. Absent when the bank gives no
   * per-transaction amount in a batch entry (the entry amount is then all there is).
   */
  amountCents?: number;
  /** The other party: the debtor for credits and returns, the creditor for other debits. */
  counterpartyName?: string;
  counterpartyIban?: string;
  /** Refs/PmtInfId: the PmtInf of our pain.008 this transaction belonged to, when the bank says so. */
  paymentInfoId?: string;
}

/**
 * NtryDtls/Btch: the entry books a whole batch (a pain.008 PmtInf with BtchBookg=true) as one
 * amount. Every field is optional in the XSD; Dutch banks give PmtInfId (often MsgId too),
 * NbOfTxs and usually TtlAmt.
 */
export interface BankBatch {
  /** Btch/MsgId: GrpHdr/MsgId of our pain.008. */
  messageId?: string;
  /** Btch/PmtInfId: PmtInf/PmtInfId of our pain.008. */
  paymentInfoId?: string;
  /** Btch/NbOfTxs. */
  numberOfTransactions?: number;
  /** Btch/TtlAmt in cents, with its currency. */
  totalCents?: number;
  currency?: string;
  /** Btch/CdtDbtInd. */
  creditDebit?: CreditDebit;
  /** Which of the entry's `transactions` are this batch's TxDtls: [first, first + count). */
  firstTransaction: number;
  transactionCount: number;
}

export interface BankEntry {
  /** AcctSvcrRef, else NtryRef. */
  entryRef?: string;
  /** BookgDt (date part of DtTm as written), else ValDt. */
  bookingDate: string;
  valueDate?: string;
  amountCents: number;
  currency: string;
  creditDebit: CreditDebit;
  /** RvslInd. */
  reversal: boolean;
  /** Sts (.02) or Sts/Cd (.08): BOOK, PDNG, INFO. */
  status: string;
  bankTransactionCode?: BankTransactionCode;
  /**
   * A returned / refunded collection (*storno*): a debit that is a reversal, carries a return
   * reason, or is coded IDDT (issued direct debits) or UPDD/PRDD. A debit coded RDDT/ESDD is
   * somebody collecting from US and is NOT a return.
   */
  isReturn: boolean;
  transactions: BankTransaction[];
  /**
   * The batches this entry books (one per NtryDtls with a Btch; usually one). Absent for an
   * entry without Btch. A batch without TxDtls (`transactionCount` 0) is the batch-only shape:
   * the entry amount is all the bank tells per collection.
   */
  batches?: BankBatch[];
}

export interface BankStatement {
  format: CamtFormat;
  /** GrpHdr/MsgId. */
  messageId: string;
  /** GrpHdr/CreDtTm, as written. */
  createdAt: string;
  /** Stmt/Id or Ntfctn/Id. */
  statementId?: string;
  /**
   * Acct/Id/IBAN. Absent only when the bank identifies the account otherwise (Acct/Id/Othr,
   * see `accountOtherId`) - the official camt.054 sample does that.
   */
  accountIban?: string;
  accountOtherId?: string;
  entries: BankEntry[];
}

/** Limits for parsing untrusted XML (camt from the bank, pain.008 in the simulated bank). */
/** The hardened XML reader's limits (integrations/xml), with this integration's defaults. */
export type SepaParseLimits = XmlLimits;

// ---------------------------------------------------------------------------------------------
// pain.002 (customer payment status report)
// ---------------------------------------------------------------------------------------------

/** pain.002 versions we read: .001.03 (the SEPA rulebook's, what Dutch banks send) and .001.10. */
export type Pain002Version = '001.03' | '001.10';

/** A transaction the bank reports on (TxInfAndSts). */
export interface PaymentStatusTransaction {
  /** OrgnlEndToEndId. */
  endToEndId?: string;
  /** OrgnlInstrId. */
  instructionId?: string;
  /** TxSts (RJCT, ACCP, ACSC, PDNG, ...). Absent: the PmtInf's or group's status holds. */
  status?: string;
  /** StsRsnInf/Rsn/Cd (or Prtry): AC04, AM04, MD01, ... */
  reasonCode?: string;
  /** OrgnlTxRef/Amt/InstdAmt in cents. */
  amountCents?: number;
  /** OrgnlTxRef/CdtrAcct/Id/IBAN, when given. */
  creditorIban?: string;
}

/** A PmtInf of the original message the bank reports on (OrgnlPmtInfAndSts). */
export interface PaymentStatusPaymentInfo {
  /** OrgnlPmtInfId. */
  paymentInfoId: string;
  /** PmtInfSts, when given (RJCT: the whole PmtInf was refused). */
  status?: string;
  /** StsRsnInf/Rsn/Cd of the PmtInf. */
  reasonCode?: string;
  /** OrgnlNbOfTxs / OrgnlCtrlSum, when given. */
  numberOfTransactions?: number;
  controlSumCents?: number;
  transactions: PaymentStatusTransaction[];
}

export interface PaymentStatusReport {
  format: 'pain.002';
  version: Pain002Version;
  /** GrpHdr/MsgId of the report. */
  messageId: string;
  createdAt: string;
  /** OrgnlGrpInfAndSts/OrgnlMsgId: GrpHdr/MsgId of our pain.008. */
  originalMessageId: string;
  /** OrgnlMsgNmId, e.g. pain.008.001.02. */
  originalMessageType: string;
  /** GrpSts (RJCT: the whole message was refused; PART: some transactions). */
  groupStatus?: string;
  /** StsRsnInf/Rsn/Cd at group level. */
  groupReasonCode?: string;
  paymentInfos: PaymentStatusPaymentInfo[];
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

export const SepaErrorType = {
  /** Input violates a SEPA rule, or an XML element has a wrong/missing value. */
  Invalid: 'SepaInvalid',
  /** Not well-formed XML, not UTF-8. */
  Malformed: 'SepaMalformed',
  /** A message type/version we do not read or write (e.g. camt.052, pain.008.001.09). */
  Unsupported: 'SepaUnsupported',
  /** DOCTYPE, ENTITY, processing instructions: refused. */
  ForbiddenConstruct: 'SepaForbiddenConstruct',
  TooLarge: 'SepaTooLarge',
  TooDeep: 'SepaTooDeep',
  /** The pain.008 library failed or wrote something else than we asked (a bug, not bad input). */
  Internal: 'SepaInternal',
} as const;
export type SepaErrorType = (typeof SepaErrorType)[keyof typeof SepaErrorType];

export interface SepaProblem {
  /** Input field ("transactions[2].mandateId") or XML element path. */
  field?: string;
  message: string;
}

export class SepaError extends Error {
  readonly type: SepaErrorType;
  /** XML element at fault ("Document/BkToCstmrStmt/Stmt/Ntry[2]/Amt"), for parse errors. */
  readonly path?: string;
  /** Input field at fault ("transactions[2].mandateId"), for pain.008 input errors. */
  readonly field?: string;
  /** Every rule violation found (input checks report all of them, the message shows the first). */
  readonly problems: readonly SepaProblem[];
  /** Nothing here is worth retrying: the same input fails the same way. */
  readonly retryable = false;
  constructor(
    type: SepaErrorType,
    message: string,
    options: { path?: string; field?: string; problems?: readonly SepaProblem[]; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'SepaError';
    this.type = type;
    this.path = options.path;
    this.field = options.field;
    this.problems = options.problems ?? [{ field: options.field ?? options.path, message }];
  }
}
