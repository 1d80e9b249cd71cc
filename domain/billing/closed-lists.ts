/**
 * The closed lists of billing, defined once: the entities (db/entities/billing.entity.ts), the
 * API schemas (services/billing/schemas.ts), the workflows and the services import them from
 * here. The CHECK constraints of the billing migrations (Migration20261123010000_billing) hold
 * the same values; a change here needs a migration there.
 */

/** *open* … *gecrediteerd*: the invoice statuses (invoices.status). */
export const INVOICE_STATUSES = [
  'open', 'sent', 'collection_pending', 'paid', 'collected', 'reversed', 'reminded', 'final_notice', 'handed_over', 'credited',
] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

/** How often a contract is invoiced (contracts.period). */
export const BILLING_PERIODS = ['month', 'quarter', 'year'] as const;
export type BillingPeriod = (typeof BILLING_PERIODS)[number];

/** sepa: direct debit with a mandate; transfer: the client pays (contracts/invoices.payment_method). */
export const PAYMENT_METHODS = ['sepa', 'transfer'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/** How the invoice and its reminders reach the client (contracts/invoices.delivery). */
export const DELIVERY_METHODS = ['email', 'letter'] as const;
export type DeliveryMethod = (typeof DELIVERY_METHODS)[number];

/** Who runs reminders: the invoice workflow (the ladder) or users (the reminder module); office_billing_settings.reminder_mode. */
export const REMINDER_MODES = ['workflow', 'module'] as const;
export type ReminderMode = (typeof REMINDER_MODES)[number];

/** SEPA direct-debit sequence types (invoices.sequence_type). */
export const SEQUENCE_TYPES = ['FRST', 'RCUR', 'FNAL', 'OOFF'] as const;
export type SequenceType = (typeof SEQUENCE_TYPES)[number];

/** What a booking line records: money received by transfer or by collection, or a return (booking_lines.kind). */
export const BOOKING_KINDS = ['payment', 'collection', 'reversal'] as const;
export type BookingKind = (typeof BOOKING_KINDS)[number];

/** Where a booking line came from: a bank file or the adviser (booking_lines.source). */
export const BOOKING_SOURCES = ['camt', 'manual'] as const;
export type BookingSource = (typeof BOOKING_SOURCES)[number];

/** The kinds of reminder action (reminder_executions.action_type; the actions of an action group). */
export const ACTION_TYPES = ['mail', 'letter', 'task', 'handover'] as const;
export type ActionType = (typeof ACTION_TYPES)[number];

/** A contract as the product card shows it, from its dates (not stored). */
export const CONTRACT_STATUSES = ['planned', 'active', 'ended'] as const;
export type ContractStatus = (typeof CONTRACT_STATUSES)[number];

/** The booking kinds an adviser may record by hand (a collection only comes from the bank). */
export const MANUAL_BOOKING_KINDS = ['payment', 'reversal'] as const satisfies readonly BookingKind[];
