/**
 * What the billing workflows ask of the outside world. Every write is idempotent on a key made
 * in the workflow (invoice per contract period, PDF and mail per invoice, one execution per
 * reminder step) or on the invoice id. Only ids, dates, amounts and codes cross here.
 */
import type { BillingPeriod } from '../domain/billing/periods.js';
import type { ReminderAction } from '../domain/billing/reminder-ladder.js';
import type { StornoPolicy } from '../domain/billing/storno-policy.js';

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
  dueDate: string;
  paymentMethod: 'sepa' | 'transfer';
  consumer: boolean;
  delivery: 'email' | 'letter';
  /** The office's choice: the ladder runs in the invoice workflow, or users run action groups. */
  reminderMode: 'workflow' | 'module';
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
  paidCents: number;
  /** The booking line this change applied (marked on the line, so it is never applied twice). */
  applied?: { bookingId: string; kind: 'payment' | 'collection' | 'reversal' };
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

export interface BillingActivities {
  loadContractTerms(input: { contractId: string }): Promise<ContractTerms>;
  createContractInvoice(input: CreateContractInvoiceInput): Promise<CreatedInvoice>;
  /** Stores the invoice PDF and sends it (mail) or queues it for post (task); status `sent`. */
  issueInvoice(input: { invoiceId: string }): Promise<{ documentId: string }>;
  loadInvoiceFacts(input: { invoiceId: string }): Promise<InvoiceFacts>;
  recordInvoiceStatus(input: RecordInvoiceStatusInput): Promise<void>;
  /** Marks the invoice for the next SEPA export (*herincasso*). */
  scheduleRecollection(input: { invoiceId: string; recollection: number; sequenceType: 'FRST' | 'RCUR' }): Promise<void>;
  /** Flags the contract's mandate and gives the adviser a task (no retry on this mandate). */
  flagMandate(input: { invoiceId: string; reasonCode: string; key: string }): Promise<void>;
  executeReminderAction(input: ExecuteReminderActionInput): Promise<ExecutedReminderAction>;
}

export const BillingActivityFailure = {
  NotFound: 'BillingNotFound',
  /** The invoice is paid/credited/handed over: no reminder action (non-retryable). */
  NotRemindable: 'BillingNotRemindable',
} as const;
