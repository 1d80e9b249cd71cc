/**
 * The closed lists of billing, defined once: the entities (db/entities/billing.entity.ts), the
 * API schemas (services/billing/schemas.ts), the workflows and the services import them from
 * here. The CHECK constraints of the billing migrations (Migration20261123010000_billing) hold
 * the same values; a change here needs a migration there.
 */

/** *open* … *gecrediteerd*: the invoice statuses (invoices.status). */
export const invoiceStatuses = [
  'open', 'sent', 'collection_pending', 'paid', 'collected', 'reversed', 'reminded', 'final_notice', 'handed_over', 'credited',
] as const;
export type InvoiceStatus = (typeof invoiceStatuses)[number];

/** How often a contract is invoiced (contracts.period). */
export const billingPeriods = ['month', 'quarter', 'year'] as const;
export type BillingPeriod = (typeof billingPeriods)[number];

/** sepa: direct debit with a mandate; transfer: the client pays (contracts/invoices.payment_method). */
export const paymentMethods = ['sepa', 'transfer'] as const;
export type PaymentMethod = (typeof paymentMethods)[number];

/** How the invoice and its reminders reach the client (contracts/invoices.delivery). */
export const deliveryMethods = ['email', 'letter'] as const;
export type DeliveryMethod = (typeof deliveryMethods)[number];

/** Who runs reminders: the invoice workflow (the ladder) or users (the reminder module); office_billing_settings.reminder_mode. */
export const reminderModes = ['workflow', 'module'] as const;
export type ReminderMode = (typeof reminderModes)[number];

/** SEPA direct-debit sequence types (invoices.sequence_type). */
export const sequenceTypes = ['FRST', 'RCUR', 'FNAL', 'OOFF'] as const;
export type SequenceType = (typeof sequenceTypes)[number];

/**
 * What a booking line records (booking_lines.kind): money received by transfer or by collection,
 * a return of money received (*storno*), or a collection the bank rejected before settlement
 * (*afkeuring*, pain.002): no money moved, but the collection never happens.
 */
export const bookingKinds = ['payment', 'collection', 'reversal', 'rejection'] as const;
export type BookingKind = (typeof bookingKinds)[number];

/** Where a booking line came from: a bank statement (camt), a bank status report (pain002) or the adviser (booking_lines.source). */
export const bookingSources = ['camt', 'pain002', 'manual'] as const;
export type BookingSource = (typeof bookingSources)[number];

/** The bank files the bank import takes (bank_imports.format). */
export const bankFileFormats = ['camt.053', 'camt.054', 'pain.002'] as const;
export type BankFileFormat = (typeof bankFileFormats)[number];

/**
 * What one reconciled item of a bank file is (bank_import_items.kind): a single credit (a
 * collection or a transfer), a batch credit of a whole PmtInf, a return of a collection, another
 * debit, or a reject before settlement (pain.002).
 */
export const bankItemKinds = ['credit', 'batch', 'return', 'debit', 'reject'] as const;
export type BankItemKind = (typeof bankItemKinds)[number];

/**
 * What the import did with an item (bank_import_items.outcome): booked it; found it booked
 * already (by an earlier file carrying the same fact); parked it unmatched with the reason; or
 * an adviser matched it to an invoice by hand afterwards.
 */
export const bankItemOutcomes = ['booked', 'already_booked', 'unmatched', 'matched_by_hand'] as const;
export type BankItemOutcome = (typeof bankItemOutcomes)[number];

/** The kinds of reminder action (reminder_executions.action_type; the actions of an action group). */
export const reminderActionTypes = ['mail', 'letter', 'task', 'handover'] as const;
export type ActionType = (typeof reminderActionTypes)[number];

/** A contract as the product card shows it, from its dates (not stored). */
export const contractStatuses = ['planned', 'active', 'ended'] as const;
export type ContractStatus = (typeof contractStatuses)[number];

/** The booking kinds an adviser may record by hand (a collection only comes from the bank). */
export const manualBookingKinds = ['payment', 'reversal'] as const satisfies readonly BookingKind[];

/**
 * The movements of a client's credit balance (client_credits.kind): money received beyond what
 * an invoice owes (positive, or negative when a return takes it back), paid back to the client
 * (refund, negative), or used to pay another invoice (offset, negative).
 */
export const clientCreditKinds = ['overpayment', 'refund', 'offset'] as const;
export type ClientCreditKind = (typeof clientCreditKinds)[number];
