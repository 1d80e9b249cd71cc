import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import {
  bankFileFormats,
  reminderActionTypes,
  billingPeriods,
  bookingKinds,
  bookingSources,
  clientCreditKinds,
  deliveryMethods,
  invoiceStatuses,
  paymentMethods,
  reminderModes,
  sequenceTypes,
} from '../../domain/billing/closed-lists.js';

/**
 * Billing (tables from Migration20261123010000_billing, delivery columns from
 * Migration20261123020000_billing_delivery, money as bigint and the client's credit from
 * Migration20261206100000_money_invariant). Reads and the idempotent writes go through raw
 * SQL (`insert ... on conflict`), as elsewhere; the entities make the schema known to MikroORM.
 * Money is integer cents, calendar dates are 'YYYY-MM-DD' strings. The closed lists (statuses,
 * kinds, methods) come from domain/billing/closed-lists.ts.
 */

/** One row per office: creditor data for SEPA, payment term, storno policy, reminder mode. */
export const OfficeBillingSettings = defineEntity({
  name: 'OfficeBillingSettings',
  tableName: 'office_billing_settings',
  properties: {
    officeId: p.uuid().primary(),
    reminderMode: p.enum([...reminderModes]).default('workflow'),
    creditorName: p.text().nullable(),
    creditorIban: p.text().nullable(),
    creditorBic: p.text().nullable(),
    creditorId: p.text().nullable(),
    paymentTermDays: p.integer().default(14),
    /** A manual booking above this many times the invoice's total and costs needs a confirmation. */
    manualBookingLimitFactor: p.integer().default(10),
    /** The office's storno policy; null = the default policy of domain/billing. */
    stornoPolicy: p.json<Record<string, unknown>>().nullable(),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type OfficeBillingSettings = InferEntity<typeof OfficeBillingSettings>;

/** Periodic costs of a product, invoiced by the workflow `contract:<id>`. */
export const Contract = defineEntity({
  name: 'Contract',
  tableName: 'contracts',
  properties: {
    id: p.uuid().primary(),
    officeId: p.uuid(),
    productId: p.uuid(),
    dossierId: p.uuid(),
    description: p.text(),
    amountCents: p.bigint('number'),
    vatRate: p.integer(),
    period: p.enum([...billingPeriods]),
    startDate: p.date(),
    endDate: p.date().nullable(),
    paymentMethod: p.enum([...paymentMethods]),
    mandateId: p.text().nullable(),
    mandateSignedOn: p.date().nullable(),
    debtorIban: p.text().nullable(),
    debtorName: p.text().nullable(),
    mandateFirstCollected: p.boolean().default(false),
    mandateFlaggedReason: p.text().nullable(),
    delivery: p.enum([...deliveryMethods]).default('email'),
    consumer: p.boolean().default(true),
    pendingAmountCents: p.bigint('number').nullable(),
    pendingFrom: p.date().nullable(),
    lastInvoiceDate: p.date().nullable(),
    nextInvoiceDate: p.date().nullable(),
    workflowId: p.text().unique(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type Contract = InferEntity<typeof Contract>;

/** Gapless invoice numbers per office per year. */
export const InvoiceCounter = defineEntity({
  name: 'InvoiceCounter',
  tableName: 'invoice_counters',
  properties: {
    officeId: p.uuid().primary(),
    year: p.integer().primary(),
    last: p.integer(),
  },
  primaryKeys: ['officeId', 'year'],
});
export type InvoiceCounter = InferEntity<typeof InvoiceCounter>;

/** A pain.008 file as sent to the bank. */
export const SepaExport = defineEntity({
  name: 'SepaExport',
  tableName: 'sepa_exports',
  properties: {
    id: p.uuid().primary(),
    officeId: p.uuid(),
    messageId: p.text().unique(),
    collectionDate: p.date(),
    transactions: p.integer(),
    totalCents: p.bigint('number'),
    xml: p.text().lazy(),
    createdBy: p.text(),
    createdAt: p.datetime().onCreate(() => new Date()),
    /** When every invoice workflow of the export was told (null: still owed). */
    deliveredAt: p.datetime().nullable(),
  },
});
export type SepaExport = InferEntity<typeof SepaExport>;

/** An invoice (*factuur*), followed by the workflow `invoice:<id>`. */
export const Invoice = defineEntity({
  name: 'Invoice',
  tableName: 'invoices',
  properties: {
    id: p.uuid().primary(),
    key: p.text().unique(),
    officeId: p.uuid(),
    contractId: p.uuid().nullable(),
    dossierId: p.uuid(),
    productId: p.uuid().nullable(),
    number: p.text(),
    invoiceDate: p.date(),
    dueDate: p.date(),
    periodStart: p.date().nullable(),
    periodEnd: p.date().nullable(),
    netCents: p.bigint('number'),
    vatCents: p.bigint('number'),
    totalCents: p.bigint('number'),
    /** Money applied to the invoice: 0 .. total + costs (money beyond that is the client's credit). */
    paidCents: p.bigint('number').default(0),
    costsCents: p.bigint('number').default(0),
    /** The client's credit from this invoice (received beyond what it owes); its movements are in client_credits. */
    creditCents: p.bigint('number').default(0),
    status: p.enum([...invoiceStatuses]),
    paymentMethod: p.enum([...paymentMethods]),
    delivery: p.enum([...deliveryMethods]),
    consumer: p.boolean().default(true),
    sequenceType: p.enum([...sequenceTypes]).nullable(),
    endToEndId: p.text().nullable().unique(),
    recollections: p.integer().default(0),
    exportId: p.uuid().nullable(),
    pdfDocumentId: p.uuid().nullable(),
    workflowId: p.text().unique(),
    /** The invoice run that made it (`invoice-run:<officeId>:<date>`); null when made one at a time. */
    runKey: p.text().nullable(),
    /** Whether `invoice:<id>` may exist (a run starts it only when the invoice needs one). */
    followerStarted: p.boolean().default(true),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
  uniques: [{ properties: ['officeId', 'number'] }],
});
export type Invoice = InferEntity<typeof Invoice>;

export const InvoiceLine = defineEntity({
  name: 'InvoiceLine',
  tableName: 'invoice_lines',
  properties: {
    id: p.uuid().primary(),
    invoiceId: p.uuid(),
    position: p.integer(),
    description: p.text(),
    netCents: p.bigint('number'),
    vatRate: p.integer(),
    vatCents: p.bigint('number'),
  },
  uniques: [{ properties: ['invoiceId', 'position'] }],
});
export type InvoiceLine = InferEntity<typeof InvoiceLine>;

/** A bank statement (camt.053/054) imported once per office (unique on its sha256). */
export const BankImport = defineEntity({
  name: 'BankImport',
  tableName: 'bank_imports',
  properties: {
    id: p.uuid().primary(),
    officeId: p.uuid(),
    sha256: p.text(),
    format: p.enum([...bankFileFormats]),
    messageId: p.text(),
    entries: p.integer(),
    booked: p.integer(),
    unmatched: p.integer(),
    unmatchedItems: p.json<unknown[]>(),
    rawXml: p.text().nullable().lazy(),
    createdBy: p.text(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  uniques: [{ properties: ['officeId', 'sha256'] }],
});
export type BankImport = InferEntity<typeof BankImport>;

/** A payment, a SEPA collection or a reversal (*stornering*) against an invoice. */
export const BookingLine = defineEntity({
  name: 'BookingLine',
  tableName: 'booking_lines',
  properties: {
    id: p.uuid().primary(),
    /** `manual:<id>` or `camt:<statement msgId>:<entry>:<tx>`. */
    key: p.text().unique(),
    officeId: p.uuid(),
    invoiceId: p.uuid(),
    kind: p.enum([...bookingKinds]),
    amountCents: p.bigint('number'),
    /** Which money the line credits or takes back: a collection's EndToEndId, or `booking:<id>` of a payment reversed by hand. */
    reference: p.text().nullable(),
    reasonCode: p.text().nullable(),
    bookedOn: p.date(),
    source: p.enum([...bookingSources]),
    importId: p.uuid().nullable(),
    note: p.text().nullable(),
    createdBy: p.text(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
    /** When the invoice workflow was told (null: the signal is still owed). */
    deliveredAt: p.datetime().nullable(),
  },
});
export type BookingLine = InferEntity<typeof BookingLine>;

/** A reminder action group (*actiegroep*); the office's default one is the workflow's ladder. */
export const ActionGroup = defineEntity({
  name: 'ActionGroup',
  tableName: 'action_groups',
  properties: {
    id: p.uuid().primary(),
    officeId: p.uuid(),
    name: p.text(),
    actions: p.json<unknown[]>(),
    isDefault: p.boolean().default(false),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
    /** Archived: no new runs; its runs and executions stay. The name is unique among groups not archived (a partial index). */
    archivedAt: p.datetime().nullable(),
  },
});
export type ActionGroup = InferEntity<typeof ActionGroup>;

/** One run of an action of a group over a selection of invoices (reminder module). */
export const ReminderRun = defineEntity({
  name: 'ReminderRun',
  tableName: 'reminder_runs',
  properties: {
    id: p.uuid().primary(),
    officeId: p.uuid(),
    actionGroupId: p.uuid(),
    actionIndex: p.integer(),
    filter: p.json<Record<string, unknown>>(),
    invoices: p.integer(),
    /** The invoices the adviser ticked; null when the run resolved its filter ("select all"). */
    requestedIds: p.array().nullable(),
    /** The invoices the run acted on (claimed for this step); null for runs made before it was recorded. */
    invoiceIds: p.array().nullable(),
    /** Outcome per invoice (executed, or refused with the reason). */
    results: p.json<unknown[]>().nullable(),
    createdBy: p.text(),
    createdAt: p.datetime().onCreate(() => new Date()),
    processedAt: p.datetime().nullable(),
  },
});
export type ReminderRun = InferEntity<typeof ReminderRun>;

/** Every execution of a reminder action on an invoice: the history. */
export const ReminderExecution = defineEntity({
  name: 'ReminderExecution',
  tableName: 'reminder_executions',
  properties: {
    id: p.uuid().primary(),
    key: p.text().unique(),
    officeId: p.uuid(),
    invoiceId: p.uuid(),
    runId: p.uuid().nullable(),
    actionGroupId: p.uuid().nullable(),
    actionName: p.text(),
    actionType: p.enum([...reminderActionTypes]),
    statusAfter: p.text(),
    costsCents: p.bigint('number').default(0),
    payBy: p.date().nullable(),
    documentId: p.uuid().nullable(),
    mailId: p.uuid().nullable(),
    taskId: p.uuid().nullable(),
    createdBy: p.text(),
    createdAt: p.datetime().onCreate(() => new Date()),
    processedAt: p.datetime().nullable(),
  },
});
export type ReminderExecution = InferEntity<typeof ReminderExecution>;

/**
 * A movement of a client's credit balance (*tegoed*), per dossier (the client's account: the
 * household the invoices are addressed to): money received beyond what an invoice owes
 * (overpayment; negative when a return takes it back), paid back (refund) or used for another
 * invoice (offset). The balance is the sum. Written by services/billing/store.ts only.
 */
export const ClientCredit = defineEntity({
  name: 'ClientCredit',
  tableName: 'client_credits',
  properties: {
    id: p.uuid().primary(),
    key: p.text().unique(),
    officeId: p.uuid(),
    dossierId: p.uuid(),
    invoiceId: p.uuid().nullable(),
    kind: p.enum([...clientCreditKinds]),
    amountCents: p.bigint('number'),
    bookingId: p.uuid().nullable(),
    note: p.text().nullable(),
    createdBy: p.text(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type ClientCredit = InferEntity<typeof ClientCredit>;

export const billingEntities = [
  OfficeBillingSettings,
  Contract,
  InvoiceCounter,
  SepaExport,
  Invoice,
  InvoiceLine,
  BankImport,
  BookingLine,
  ActionGroup,
  ReminderRun,
  ReminderExecution,
  ClientCredit,
] as const;
