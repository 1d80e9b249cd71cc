/**
 * Messages of the billing workflows: `contract:<id>` invoices a contract on schedule,
 * `invoice:<id>` follows one invoice through payment, storno and reminders. Only ids, dates,
 * amounts and codes travel here; names, addresses and IBANs stay in PostgreSQL.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { BookingKind, SequenceType } from '../../domain/billing/closed-lists.js';

export interface ContractWorkflowInput {
  contractId: string;
  /** Set by the workflow itself when it continues as new. */
  carried?: { invoicesCreated: number };
}

/** The contract changed (amount, end date, payment method): plan the next invoice again. */
export const contractChangedSignal = defineSignal('contractChanged');

export interface ContractState {
  contractId: string;
  ended: boolean;
  invoicesCreated: number;
  /** The next invoice date planned, YYYY-MM-DD. */
  nextInvoiceDate?: string;
  lastInvoiceId?: string;
}
export const contractStateQuery = defineQuery<ContractState>('contractState');

/** `invoice-run:<officeId>:<date>`: the office's invoice run of one date (YYYY-MM-DD). */
export interface InvoiceRunInput {
  officeId: string;
  date: string;
  /** Hour (Amsterdam time) the run of its date starts and its invoices are followed up; 6 (INVOICE_HOUR) when left out, as before the setting. */
  runHour?: number;
  /** Set by the workflow itself when it continues as new. */
  carried?: { followedUntil?: string; created: number; issued: number };
}

/** More contracts are due on the run's date (one created or changed): invoice again, also after the run went through. */
export const invoiceRunDueSignal = defineSignal('contractsDue');

export interface InvoiceRunState {
  officeId: string;
  date: string;
  phase: 'waiting' | 'invoicing' | 'following' | 'done';
  /** Invoices made and issued by this run (over its continuations). */
  created: number;
  issued: number;
  /** Followers started on the due dates up to and including this one. */
  followedUntil?: string;
}
export const invoiceRunStateQuery = defineQuery<InvoiceRunState>('invoiceRunState');

export interface InvoiceWorkflowInput {
  invoiceId: string;
}

/**
 * A booking line for the invoice, recorded in PostgreSQL first (`bookingId`): a payment by
 * transfer, a SEPA collection, or a reversal (*storno*) with its reason code.
 */
export interface BookingEvent {
  bookingId: string;
  kind: BookingKind;
  amountCents: number;
  /** Reversal: the SEPA reason code (AM04, MD06, ...). */
  reasonCode?: string;
  /**
   * Which money the line credits or takes back: a collection's EndToEndId, or `booking:<id>` of
   * a payment reversed by hand. Absent: a payment (its own), or a line stored before references.
   */
  reference?: string;
}
export const bookingSignal = defineSignal<[BookingEvent]>('booking');

/** The invoice went into a SEPA export (pain.008): a collection is pending, no reminders meanwhile. */
export interface ExportedEvent {
  exportId: string;
  sequenceType: SequenceType;
}
export const exportedSignal = defineSignal<[ExportedEvent]>('exported');

/** A reminder action run from the reminder module (*actiegroep* over a selection). */
export interface RunReminderActionRequest {
  runId: string;
  actionGroupId: string;
  actionIndex: number;
  actor: string;
}
export interface RunReminderActionResult {
  executionId: string;
  statusAfter: string;
}
/** The validator refuses invoices that are paid, credited or handed over: nothing is sent then. */
export const runReminderActionUpdate = defineUpdate<RunReminderActionResult, [RunReminderActionRequest]>('runReminderAction');

export interface InvoiceState {
  invoiceId: string;
  status: string;
  totalCents: number;
  paidCents: number;
  openCents: number;
  /** Collection costs charged. */
  costsCents?: number;
  /** Received beyond what is owed: the client's credit from this invoice. */
  overpaidCents?: number;
  /** Reminder steps done by the ladder in this workflow. */
  remindersDone: number;
  recollections: number;
  /** When the next reminder step is due (workflow mode), ISO instant. */
  nextReminderAt?: string;
  mandateFlagged: boolean;
  events: { at: string; what: string; status: string }[];
}
export const invoiceStateQuery = defineQuery<InvoiceState>('invoiceState');

export const BillingFailure = {
  ReminderNotAllowed: 'ReminderNotAllowed',
  /** The validator refused because the workflow has not loaded its invoice yet (just started): the caller may try again shortly. */
  InvoiceLoading: 'InvoiceLoading',
} as const;
