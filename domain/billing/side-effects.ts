/**
 * What the billing workflows ask of the outside world (the activities of `contract:<id>` and
 * `invoice:<id>`): their inputs and results. Every write is idempotent on a key made in the
 * workflow (invoice per contract period, PDF and mail per invoice, one execution per reminder
 * step) or on the invoice id. Only ids, dates, amounts and codes cross here.
 *
 * Defined in domain/ so that the services (services/billing/) take the same inputs; the
 * activity contract (activities/billing.contract.ts) re-exports them with the failure types.
 */
import type { BookingKind, DeliveryMethod, PaymentMethod, ReminderMode, SequenceType } from './closed-lists.js';
import type { MoneyLedger } from './invoice-status.js';
import type { BillingPeriod } from './periods.js';
import type { ReminderAction } from './reminder-ladder.js';
import type { StornoPolicy } from './storno-policy.js';

/**
 * The refusals of the billing side effects, as the `slug` of the DomainError a service throws;
 * activities/billing.activities.ts turns each into the failure type the workflows know.
 */
export const BillingRefusal = {
  /** The invoice row is gone. */
  InvoiceNotFound: 'invoice-not-found',
  /** The contract row is gone. */
  ContractNotFound: 'contract-not-found',
  /** The action group or the action index of a reminder action does not exist (any more). */
  ReminderActionNotFound: 'reminder-action-not-found',
  /** The invoice is paid, collected, credited or handed over: no reminder action. */
  NotRemindable: 'invoice-not-remindable',
} as const;
export type BillingRefusalSlug = (typeof BillingRefusal)[keyof typeof BillingRefusal];

/** The contract as its workflow plans with it (the planning rules take its dates and period: periods.ts). */
export interface ContractTerms {
  contractId: string;
  /** false once the contract row is gone or its end date lies before the next period. */
  active: boolean;
  startDate: string;
  endDate?: string;
  period: BillingPeriod;
  /** Last billed day (inclusive) of the latest invoice, if any. */
  lastBilledUntil?: string;
}

export interface CreateContractInvoiceInput {
  /** `contract:<id>:<billedFrom>`: one invoice per contract period, ever. */
  key: string;
  contractId: string;
  /** The whole period (aligned to the contract's anchor), inclusive. */
  periodStart: string;
  periodEnd: string;
  /** The days billed: the whole period, or part of it at the contract's start or end (pro rata). */
  billedFrom: string;
  billedUntil: string;
  /** The date the invoice is made (YYYY-MM-DD, Europe/Amsterdam). */
  invoiceDate: string;
}

export interface CreatedInvoice {
  invoiceId: string;
  invoiceWorkflowId: string;
  number: string;
  totalCents: number;
  dueDate: string;
  /** false when an earlier attempt had created it already. */
  created: boolean;
}

export interface InvoiceFacts {
  invoiceId: string;
  status: string;
  totalCents: number;
  paidCents: number;
  /** Part of the paid amount that came by transfer (not by direct debit). */
  transferredCents: number;
  /** Collection costs charged (after a 14-dagenbrief). */
  costsCents?: number;
  /** The money facts of the booking lines applied so far, per reference (invoice-status.ts). */
  ledger?: MoneyLedger;
  dueDate: string;
  paymentMethod: PaymentMethod;
  consumer: boolean;
  delivery: DeliveryMethod;
  /** The office's choice: the ladder runs in the invoice workflow, or users run action groups. */
  reminderMode: ReminderMode;
  /** The office's default action group (the ladder), in order. */
  ladder: ReminderAction[];
  ladderGroupId?: string;
  stornoPolicy: StornoPolicy;
  /** Ladder steps executed for this invoice so far (a new run continues where the last one stopped). */
  remindersDone: number;
  /** Booking lines already applied, as `<bookingId>:<kind>`. */
  appliedBookings: string[];
  /** The 14-dagenbrief's last day to pay, when one was sent. */
  letterPayBy?: string;
  recollections: number;
  mandateFlagged: boolean;
  /** Contract amount per month (cents, incl. VAT) for the cap on costs of small recurring claims. */
  recurringMonthlyCents?: number;
}

export interface RecordInvoiceStatusInput {
  invoiceId: string;
  status: string;
  /** The money applied to the invoice: 0 .. total + costs. */
  paidCents: number;
  /**
   * Received beyond what the invoice owes: the client's credit from it (written to the client's
   * ledger as the difference to what was recorded before, with a back-office task the first time).
   */
  creditCents?: number;
  /** The booking line this change applied (marked on the line, so it is never applied twice). */
  applied?: { bookingId: string; kind: BookingKind };
}

export interface ExecuteReminderActionInput {
  /** `invoice:<id>/reminder:<n>` (ladder) or `run:<runId>/invoice:<id>` (reminder module). */
  key: string;
  invoiceId: string;
  /** The action (ladder mode), or where to find it (reminder module: group + index). */
  action?: ReminderAction;
  actionGroupId?: string;
  actionIndex?: number;
  runId?: string;
  actor: string;
  /** A notification (the storno mail), not an escalation step: the invoice status stays as it is. */
  notification?: boolean;
  /** After a storno: the reason code, shown in the storno reminder. */
  stornoReason?: string;
  /** For the cap on collection costs of small recurring claims. */
  recurringMonthlyCents?: number;
}

export interface ExecutedReminderAction {
  executionId: string;
  statusAfter: string;
  /** 14-dagenbrief: the last day to pay and the collection costs stated in it. */
  payBy?: string;
  costsCents?: number;
}

export interface ScheduleRecollectionInput {
  invoiceId: string;
  /** The number of this re-collection (1, 2, ...): only the first call per number counts. */
  recollection: number;
  sequenceType: Extract<SequenceType, 'FRST' | 'RCUR'>;
}

export interface FlagMandateInput {
  invoiceId: string;
  /** The SEPA reason code of the return (AC04, MD01, ...). */
  reasonCode: string;
  /** Idempotency key of the adviser's task. */
  key: string;
}

/** The billing workflows' activities (implemented in activities/billing.activities.ts). */
export interface BillingActivities {
  loadContractTerms(input: { contractId: string }): Promise<ContractTerms>;
  createContractInvoice(input: CreateContractInvoiceInput): Promise<CreatedInvoice>;
  /** Stores the invoice PDF and sends it (mail) or queues it for post (task); status `sent`. */
  issueInvoice(input: { invoiceId: string }): Promise<{ documentId: string }>;
  loadInvoiceFacts(input: { invoiceId: string }): Promise<InvoiceFacts>;
  recordInvoiceStatus(input: RecordInvoiceStatusInput): Promise<void>;
  /** Marks the invoice for the next SEPA export (*herincasso*). */
  scheduleRecollection(input: ScheduleRecollectionInput): Promise<void>;
  /** Flags the contract's mandate and gives the adviser a task (no retry on this mandate). */
  flagMandate(input: FlagMandateInput): Promise<void>;
  executeReminderAction(input: ExecuteReminderActionInput): Promise<ExecutedReminderAction>;
}

// ------------------------------------------------------------------ the invoice run

/** Consecutive invoice numbers of one office and year: `<year>-<from>` … `<year>-<to>`. */
export interface InvoiceNumberRange {
  year: number;
  from: number;
  to: number;
}

export interface RunChunkInput {
  officeId: string;
  /** The run's date (YYYY-MM-DD): contract periods due on or before it are invoiced, dated on it. */
  date: string;
  /** `invoice-run:<officeId>:<date>`: marks the invoices it makes. */
  runKey: string;
  /** Contracts claimed per chunk (one transaction). */
  limit: number;
}

export interface RunChunkResult {
  /** Contracts claimed (due): each got its invoice, or only its next date corrected. */
  claimed: number;
  created: number;
  /** The numbers given, consecutive (one range per year; one year per run date). */
  ranges: InvoiceNumberRange[];
  /** The next invoice dates the claimed contracts got (distinct, sorted): their runs must exist. */
  nextDates: string[];
  /** true when the chunk was full: more contracts may be due. */
  more: boolean;
}

export interface IssueRunInvoicesInput {
  officeId: string;
  runKey: string;
  range: InvoiceNumberRange;
}

export interface IssueRunInvoicesResult {
  /** Invoices of the range that went out now or before (PDF stored, mailed or queued for post). */
  issued: number;
  pdfs: number;
  mailed: number;
  posted: number;
}

/** The contract's planning handed to the office's invoice runs (its workflow's last act). */
export interface HandedContract {
  contractId: string;
  /** The next invoice date now on the product card; none when everything is invoiced. */
  nextInvoiceDate?: string;
}

/**
 * The invoice run's activities (`invoice-run:<officeId>:<date>`): claim and invoice due
 * contract periods in chunks, issue ranges of invoice numbers, find what was made and not
 * issued, make sure the runs of later dates exist, and start the invoice workflows of the
 * invoices that still need one on their due date. Each is idempotent (see the services).
 */
export interface InvoiceRunActivities {
  /** The contract's next invoice date (product card), and the run of that date started. */
  handContractToRun(input: { contractId: string }): Promise<HandedContract>;
  createRunInvoices(input: RunChunkInput): Promise<RunChunkResult>;
  issueRunInvoices(input: IssueRunInvoicesInput): Promise<IssueRunInvoicesResult>;
  /** Ranges of the run's invoices made and not issued yet (a chunk whose answer was lost). */
  unissuedRunRanges(input: { officeId: string; runKey: string }): Promise<InvoiceNumberRange[]>;
  /** Signal-with-start of the office's runs of these dates (they wait for their date). */
  ensureInvoiceRuns(input: { officeId: string; dates: string[] }): Promise<void>;
  /** The distinct due dates of the run's invoices still waiting for their workflow (open or sent, none started), sorted. */
  runDueDates(input: { runKey: string }): Promise<string[]>;
  /** On a due date: the run's invoices due then and still unpaid get their invoice workflow. */
  startRunFollowers(input: { runKey: string; dueDate: string }): Promise<{ started: number }>;
}
