/**
 * Billing: office settings, contracts, invoices, booking lines, SEPA exports, bank imports and
 * the reminder module. Money is integer cents (EUR); dates are Europe/Amsterdam calendar dates.
 */
import { Type, type Static } from '@sinclair/typebox';
import { literalUnion } from '../../domain/closed-list.js';
import {
  bankFileFormats,
  bankItemKinds,
  bankItemOutcomes,
  reminderActionTypes,
  billingPeriods,
  bookingKinds,
  bookingSources,
  clientCreditKinds,
  contractStatuses,
  deliveryMethods,
  invoiceStatuses,
  manualBookingKinds,
  paymentMethods,
  reminderModes,
  sequenceTypes,
} from '../../domain/billing/closed-lists.js';
import { MAX_AMOUNT_CENTS } from '../../domain/billing/money.js';
import { DEFAULT_MANUAL_BOOKING_LIMIT_FACTOR, MANUAL_BOOKING_LIMIT_FACTOR_MAX, MANUAL_BOOKING_LIMIT_FACTOR_MIN } from '../../domain/billing/plausibility.js';
import { Clearable, DateSchema, FreeText, IdSchema, InstantSchema, Nullable, PagingQuerySchema, XmlDocumentBody } from '../shared/schemas.js';

const literals = <T extends string>(values: readonly T[], description?: string) => literalUnion(values, description ? { description } : {});

export const ReminderModeSchema = literals(
  reminderModes,
  'workflow: the invoice workflow runs the ladder (the default action group); module: users run action groups over selections. Never both.',
);
export const PeriodSchema = literals(billingPeriods, 'invoice period');
export const PaymentMethodSchema = literals(paymentMethods, 'sepa: direct debit with a mandate; transfer: the client pays');
export const DeliverySchema = literals(deliveryMethods, 'how the invoice and reminders reach the client');
export const InvoiceStatusSchema = literals(invoiceStatuses);
export const SequenceTypeSchema = literals(sequenceTypes);

/**
 * A positive whole number of cents up to MAX_AMOUNT_CENTS (€ 999.999.999,99: the SEPA maximum,
 * and exactly what the database's bigint money columns accept); the description says so because
 * the validation message only says ">= 1". `minimum: 1` rather than `exclusiveMinimum: 0` (the same
 * set of integers): OpenAPI 3.0.3 knows only the boolean form of `exclusiveMinimum`.
 */
export const PositiveCents = (description: string) =>
  Type.Integer({
    minimum: 1,
    maximum: MAX_AMOUNT_CENTS,
    description: `${description}; a positive whole number of euro cents (1250 = € 12,50), at most ${MAX_AMOUNT_CENTS}`,
  });
/** An amount of money read back (whole cents; sums may exceed one amount's maximum, never Number.MAX_SAFE_INTEGER). */
const Cents = (description?: string) => Type.Integer(description ? { description } : {});
const ReasonCodeSchema = Type.String({ pattern: '^[A-Z]{2}[0-9]{2}$', description: 'SEPA reason code, e.g. AM04, MD06', examples: ['MD06'] });
const StornoPolicySchema = Type.Record(Type.String(), Type.Unknown(), {
  description:
    'Per reason code (and "default"): { action: "recollect" | "remind" | "flag-mandate", maxRecollections?, then?, sequenceType? }. ' +
    'Checked as a whole; every problem is listed in the 400 answer.',
  examples: [{ default: { action: 'remind' }, AM04: { action: 'recollect', maxRecollections: 1, then: 'remind' } }],
});

// ---- settings ------------------------------------------------------------------------------

export const CreditorSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 70, pattern: '\\S', description: 'creditor name as the bank knows it' }),
    iban: Type.String({ minLength: 1, maxLength: 50, description: 'creditor account; spaces allowed' }),
    bic: Type.Optional(Nullable(Type.String({ pattern: '^[A-Za-z]{6}[A-Za-z0-9]{2}([A-Za-z0-9]{3})?$', description: 'BIC (8 or 11)' }))),
    creditorId: Type.String({ minLength: 1, maxLength: 40, description: 'SEPA creditor identifier (incassant-ID), e.g. NL57ZZZ999999999999' }),
  },
  { additionalProperties: false },
);

export const BillingSettingsUpdateSchema = Type.Object(
  {
    reminderMode: ReminderModeSchema,
    creditor: Clearable(CreditorSchema, 'the SEPA creditor (required key); without one no pain.008 can be exported'),
    paymentTermDays: Type.Integer({ minimum: 1, maximum: 90, description: 'days from invoice date to due date' }),
    stornoPolicy: Type.Optional(Clearable(StornoPolicySchema, "the office's storno policy; left out or null: the default policy")),
    manualBookingLimitFactor: Type.Optional(
      Type.Integer({
        minimum: MANUAL_BOOKING_LIMIT_FACTOR_MIN,
        maximum: MANUAL_BOOKING_LIMIT_FACTOR_MAX,
        default: DEFAULT_MANUAL_BOOKING_LIMIT_FACTOR,
        description:
          "a booking by hand above this many times the invoice's total + costs needs confirmAmountCents (the amount typed again); absent: 10",
      }),
    ),
  },
  { $id: 'BillingSettingsUpdate', additionalProperties: false, description: 'PUT: the whole setting, every field as it is to be' },
);
export type BillingSettingsUpdate = Static<typeof BillingSettingsUpdateSchema>;

export const BillingSettingsSchema = Type.Object(
  {
    reminderMode: ReminderModeSchema,
    creditor: Nullable(
      Type.Object({ name: Type.String(), iban: Type.String(), bic: Nullable(Type.String()), creditorId: Type.String() }),
    ),
    paymentTermDays: Type.Integer(),
    stornoPolicy: StornoPolicySchema,
    stornoPolicyIsDefault: Type.Boolean({ description: 'true when the office has not set its own policy' }),
    manualBookingLimitFactor: Type.Integer({ description: "a booking by hand above this many times the invoice's total + costs needs confirmAmountCents" }),
    updatedAt: Nullable(InstantSchema),
  },
  { $id: 'BillingSettings' },
);
export type BillingSettings = Static<typeof BillingSettingsSchema>;

// ---- contracts -----------------------------------------------------------------------------

export const MandateInputSchema = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 35, pattern: "^[A-Za-z0-9/?:().,'+ -]+$", description: 'mandate reference (machtigingskenmerk), SEPA characters' }),
    signedOn: DateSchema,
    iban: Type.String({ minLength: 1, maxLength: 50, description: 'debtor IBAN; spaces allowed' }),
    name: Type.String({ minLength: 1, maxLength: 70, pattern: '\\S', description: 'account holder' }),
  },
  { additionalProperties: false },
);

export const ContractCreateSchema = Type.Object(
  {
    description: Type.String({ minLength: 1, maxLength: 140, pattern: '\\S', description: 'invoice line text' }),
    amountCents: PositiveCents('price per period, excluding VAT'),
    vatRate: Type.Integer({ minimum: 0, maximum: 100, description: 'VAT in percent' }),
    period: PeriodSchema,
    startDate: DateSchema,
    endDate: Type.Optional(DateSchema),
    paymentMethod: PaymentMethodSchema,
    mandate: Type.Optional(MandateInputSchema),
    delivery: DeliverySchema,
    consumer: Type.Optional(Type.Boolean({ default: true, description: 'a consumer (Dutch collection law applies)' })),
  },
  { $id: 'ContractCreate', additionalProperties: false },
);
export type ContractCreate = Static<typeof ContractCreateSchema>;

export const ContractPatchSchema = Type.Object(
  {
    amountCents: Type.Optional(PositiveCents('new price per period, excluding VAT; applies from the next period')),
    endDate: Type.Optional(Clearable(DateSchema, 'the last day of the contract (on or after startDate)')),
    delivery: Type.Optional(DeliverySchema),
  },
  { $id: 'ContractPatch', additionalProperties: false, minProperties: 1, description: 'only the fields sent change; endDate: null removes the end date' },
);
export type ContractPatch = Static<typeof ContractPatchSchema>;

export const ContractStatusSchema = literals(contractStatuses, 'planned: starts later; ended: end date passed');

export const ContractSchema = Type.Object(
  {
    id: IdSchema,
    productId: IdSchema,
    dossierId: IdSchema,
    description: Type.String(),
    amountCents: Type.Integer(),
    vatRate: Type.Integer(),
    period: PeriodSchema,
    startDate: DateSchema,
    endDate: Nullable(DateSchema),
    status: ContractStatusSchema,
    paymentMethod: PaymentMethodSchema,
    mandate: Nullable(
      Type.Object({
        id: Type.String(),
        signedOn: DateSchema,
        ibanMasked: Type.String({ description: 'only the last 4 characters shown' }),
        name: Nullable(Type.String()),
        firstCollected: Type.Boolean({ description: 'a first collection (FRST) was exported' }),
      }),
    ),
    mandateFlaggedReason: Nullable(Type.String({ description: 'set when a return (e.g. AC04, MD01) stopped collections on this mandate' })),
    delivery: DeliverySchema,
    consumer: Type.Boolean(),
    pendingAmountCents: Nullable(Type.Integer({ description: 'a price change waiting for pendingFrom' })),
    pendingFrom: Nullable(DateSchema),
    lastInvoiceDate: Nullable(DateSchema),
    nextInvoiceDate: Nullable(DateSchema),
    workflowId: Type.String(),
    createdAt: InstantSchema,
    updatedAt: InstantSchema,
  },
  { $id: 'Contract' },
);
export type ContractView = Static<typeof ContractSchema>;

export const ContractListQuerySchema = Type.Object(
  { productId: Type.Optional(IdSchema), ...PagingQuerySchema },
  { additionalProperties: false },
);
export const ContractListSchema = Type.Object({ items: Type.Array(Type.Unsafe<ContractView>(Type.Ref('Contract'))) });

/** The product card's contract line. */
export const ContractSummarySchema = Type.Object({
  id: IdSchema,
  lastInvoiceDate: Nullable(DateSchema),
  nextInvoiceDate: Nullable(DateSchema),
  amountCents: Type.Integer(),
  period: PeriodSchema,
  status: ContractStatusSchema,
});
export type ContractSummary = Static<typeof ContractSummarySchema>;

// ---- invoices and booking lines ------------------------------------------------------------

/** Sort keys of the invoice overview (credit control sorts by client and due date). */
export const invoiceSortKeys = ['invoiceDate', 'dueDate', 'number', 'client', 'openCents'] as const;

export const InvoiceListQuerySchema = Type.Object(
  {
    status: Type.Optional(Type.Array(InvoiceStatusSchema, { maxItems: 10, description: 'repeat for several' })),
    dossierId: Type.Optional(IdSchema),
    contractId: Type.Optional(IdSchema),
    paymentMethod: Type.Optional(PaymentMethodSchema),
    delivery: Type.Optional(DeliverySchema),
    overdue: Type.Optional(
      Type.Boolean({
        description:
          'true: only invoices a reminder run may act on (past due, open amount, status open, sent, reversed, reminded or final_notice): ' +
          'the same set as a run with that filter, so `total` is the "select all" count',
      }),
    ),
    minOpenCents: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_AMOUNT_CENTS, description: 'only invoices with at least this much open (euro cents)' })),
    sort: Type.Optional(literals(invoiceSortKeys, 'default invoiceDate (newest first)')),
    order: Type.Optional(literals(['asc', 'desc'] as const, 'default desc for dates and amounts, asc for number and client')),
    ...PagingQuerySchema,
  },
  { additionalProperties: false },
);
export type InvoiceListQuery = Static<typeof InvoiceListQuerySchema>;

const invoiceFields = {
  id: IdSchema,
  number: Type.String(),
  status: InvoiceStatusSchema,
  contractId: Nullable(IdSchema),
  dossierId: IdSchema,
  productId: Nullable(IdSchema),
  invoiceDate: DateSchema,
  dueDate: DateSchema,
  period: Nullable(Type.Object({ start: DateSchema, end: DateSchema })),
  netCents: Type.Integer(),
  vatCents: Type.Integer(),
  totalCents: Type.Integer(),
  costsCents: Type.Integer({ description: 'collection costs charged (after a 14-dagenbrief)' }),
  paidCents: Type.Integer({ description: 'money received and applied to the invoice: 0 .. total + costs' }),
  openCents: Type.Integer({ description: 'total + costs − money received, never negative (0 once credited)' }),
  creditCents: Type.Integer({ description: "received beyond what the invoice owes: the client's credit from it (GET /billing/client-credits/{dossierId})" }),
  paymentMethod: PaymentMethodSchema,
  delivery: DeliverySchema,
};

export const InvoiceSummarySchema = Type.Object(invoiceFields);
export type InvoiceSummary = Static<typeof InvoiceSummarySchema>;
export const InvoiceListItemSchema = Type.Object({
  ...invoiceFields,
  clientName: Nullable(Type.String({ description: "the dossier's first applicant (the client the invoice is addressed to)" })),
});
export type InvoiceListItem = Static<typeof InvoiceListItemSchema>;
export const InvoiceListSchema = Type.Object({ items: Type.Array(InvoiceListItemSchema), total: Type.Integer() });

export const BookingSchema = Type.Object(
  {
    id: IdSchema,
    invoiceId: IdSchema,
    kind: literals(bookingKinds),
    amountCents: Type.Integer(),
    reference: Nullable(Type.String({ description: "which money the line credits or takes back: a collection's EndToEndId, or booking:<id> of a payment reversed by hand" })),
    reasonCode: Nullable(Type.String()),
    bookedOn: DateSchema,
    source: literals(bookingSources),
    importId: Nullable(IdSchema),
    note: Nullable(Type.String()),
    createdBy: Type.String(),
    createdAt: InstantSchema,
    deliveredAt: Nullable(InstantSchema),
  },
  { $id: 'Booking' },
);
export type BookingView = Static<typeof BookingSchema>;

export const ReminderExecutionSchema = Type.Object({
  id: IdSchema,
  actionName: Type.String(),
  actionType: literals(reminderActionTypes),
  actionGroupId: Nullable(IdSchema),
  runId: Nullable(IdSchema),
  statusAfter: Type.String(),
  createdBy: Type.String(),
  createdAt: InstantSchema,
  processedAt: Nullable(InstantSchema),
  payBy: Nullable(DateSchema),
  costsCents: Type.Integer(),
  documentId: Nullable(IdSchema),
});
export type ReminderExecutionView = Static<typeof ReminderExecutionSchema>;

export const InvoiceSchema = Type.Object(
  {
    ...invoiceFields,
    sequenceType: Nullable(SequenceTypeSchema),
    endToEndId: Nullable(Type.String()),
    exportId: Nullable(IdSchema),
    recollections: Type.Integer(),
    lines: Type.Array(
      Type.Object({ position: Type.Integer(), description: Type.String(), netCents: Type.Integer(), vatRate: Type.Integer(), vatCents: Type.Integer() }),
    ),
    bookingLines: Type.Array(Type.Unsafe<BookingView>(Type.Ref('Booking'))),
    reminderExecutions: Type.Array(ReminderExecutionSchema),
    pdfDocumentId: Nullable(IdSchema),
    workflowId: Type.String(),
  },
  { $id: 'Invoice' },
);
export type InvoiceView = Static<typeof InvoiceSchema>;

export const BookingCreateSchema = Type.Object(
  {
    kind: literals(manualBookingKinds, 'payment: money received; reversal: a payment or collection came back (storno)'),
    amountCents: PositiveCents('amount booked'),
    confirmAmountCents: Type.Optional(
      PositiveCents(
        "the amount again, to confirm a booking above the office's plausibility limit (manualBookingLimitFactor × the invoice's total + costs); without it such a booking is refused (422)",
      ),
    ),
    reasonCode: Type.Optional(ReasonCodeSchema),
    bookedOn: Type.Optional(DateSchema),
    note: Type.Optional(FreeText({ maxLength: 500 })),
  },
  { $id: 'BookingCreate', additionalProperties: false },
);
export type BookingCreate = Static<typeof BookingCreateSchema>;

export const BookingPatchSchema = Type.Object(
  {
    kind: Type.Literal('reversal', { description: 'turn the payment or collection into a reversal (storno by hand)' }),
    reasonCode: ReasonCodeSchema,
    note: Type.Optional(FreeText({ maxLength: 500 })),
  },
  { $id: 'BookingPatch', additionalProperties: false },
);
export type BookingPatch = Static<typeof BookingPatchSchema>;

export const BookingResultSchema = Type.Object({
  booking: Type.Unsafe<BookingView>(Type.Ref('Booking')),
  delivered: Type.Boolean({ description: "the invoice's workflow was told" }),
});

export const RedeliveryResultSchema = Type.Object({
  bookings: Type.Integer({ description: 'booking lines delivered now' }),
  exports: Type.Integer({ description: 'SEPA exports whose invoices were told now' }),
});

// ---- SEPA export and bank import -----------------------------------------------------------

export const SepaExportCreateSchema = Type.Object(
  { collectionDate: DateSchema },
  { $id: 'SepaExportCreate', additionalProperties: false },
);
export type SepaExportCreate = Static<typeof SepaExportCreateSchema>;

export const SepaExportResultSchema = Type.Object(
  {
    id: IdSchema,
    messageId: Type.String(),
    collectionDate: DateSchema,
    transactions: Type.Integer(),
    totalCents: Type.Integer(),
    xmlUrl: Type.String(),
    invoices: Type.Array(Type.Object({ invoiceId: IdSchema, number: Type.String(), endToEndId: Type.String(), sequenceType: SequenceTypeSchema, amountCents: Type.Integer() })),
    deferred: Type.Array(
      Type.Object({ invoiceId: IdSchema, number: Type.String(), reason: Type.String() }),
      { description: 'due invoices left for a later export, with the reason' },
    ),
  },
  { $id: 'SepaExportResult' },
);
export type SepaExportResult = Static<typeof SepaExportResultSchema>;

export const BankXmlBodySchema = XmlDocumentBody({
  description: 'a camt.053 statement or camt.054 notification (.001.02 or .001.08, one or several Stmt/Ntfctn), or a pain.002 status report (.001.03 or .001.10); UTF-8 XML, at most 20 MiB',
});

export const BankFileFormatSchema = literals(bankFileFormats);
export const BankItemKindSchema = literals(
  bankItemKinds,
  'credit: one credit (a collection or a transfer); batch: one credit for a whole PmtInf of our pain.008 (NtryDtls/Btch); return: a collection that came back; debit: another debit; reject: a collection rejected before settlement (pain.002)',
);
export const BankItemOutcomeSchema = literals(
  bankItemOutcomes,
  'booked; already_booked (an earlier file carried the same fact); unmatched (parked with the reason, nothing booked); matched_by_hand (an adviser matched it to an invoice afterwards)',
);

export const UnmatchedItemSchema = Type.Object({
  itemId: IdSchema,
  statement: Type.Integer({ description: 'index of the Stmt/Ntfctn in the file (0-based)' }),
  entry: Type.Integer({ description: 'index of the Ntry in its statement (0-based); for a pain.002 the position of the reject' }),
  transaction: Type.Integer({ description: 'index of the TxDtls in the entry (0-based); -1 (-2, ...): the entry\'s batch as a whole' }),
  kind: BankItemKindSchema,
  creditDebit: literals(['CRDT', 'DBIT'] as const),
  amountCents: Type.Integer(),
  bookingDate: DateSchema,
  endToEndId: Nullable(Type.String()),
  remittance: Nullable(Type.String()),
  reason: Type.String({ description: 'why no invoice was booked' }),
});
export type UnmatchedItem = Static<typeof UnmatchedItemSchema>;

export const BankImportResultSchema = Type.Object(
  {
    id: IdSchema,
    format: BankFileFormatSchema,
    messageId: Type.String(),
    entries: Type.Integer(),
    booked: Type.Integer({ description: 'booking lines made by this import' }),
    unmatched: Type.Array(UnmatchedItemSchema, { description: 'what was not booked, and why, as the import left it (GET /billing/bank-imports/{id} shows later matches by hand)' }),
    duplicate: Type.Boolean({ description: 'true when this file had been imported before (its first result, nothing booked now)' }),
  },
  { $id: 'BankImportResult' },
);
export type BankImportResult = Static<typeof BankImportResultSchema>;

export const BankImportItemSchema = Type.Object(
  {
    id: IdSchema,
    statement: Type.Integer(),
    entry: Type.Integer(),
    transaction: Type.Integer({ description: 'TxDtls index; -1 (-2, ...): the entry\'s batch as a whole' }),
    kind: BankItemKindSchema,
    outcome: BankItemOutcomeSchema,
    creditDebit: literals(['CRDT', 'DBIT'] as const),
    amountCents: Type.Integer(),
    bookingDate: Nullable(DateSchema),
    endToEndId: Nullable(Type.String()),
    paymentInfoId: Nullable(Type.String({ description: 'PmtInfId of our pain.008 (batch credits, rejects)' })),
    batchMessageId: Nullable(Type.String({ description: 'MsgId of our pain.008 (batch credits, rejects)' })),
    transactions: Nullable(Type.Integer({ description: 'a batch: the number of collections the bank says it holds' })),
    remittance: Nullable(Type.String()),
    reasonCode: Nullable(Type.String({ description: 'return or reject reason (AM04, MD06, ...)' })),
    reason: Nullable(Type.String({ description: 'why it was not booked (unmatched), or a remark' })),
    matchable: Type.Boolean({ description: 'an unmatched item an adviser may match to an invoice (POST .../match)' }),
    invoiceIds: Type.Array(IdSchema, { description: 'the invoices booked (a batch: each of its collections)' }),
    bookingIds: Type.Array(IdSchema, { description: 'the booking lines this item made' }),
    matchedBy: Nullable(Type.String({ description: 'who matched it by hand (credential)' })),
    matchedAt: Nullable(InstantSchema),
    matchNote: Nullable(Type.String()),
  },
  { $id: 'BankImportItem' },
);
export type BankImportItemView = Static<typeof BankImportItemSchema>;

const bankImportSummaryFields = {
  id: IdSchema,
  format: BankFileFormatSchema,
  messageId: Type.String(),
  entries: Type.Integer(),
  booked: Type.Integer({ description: 'booking lines made by this import (and by matches by hand on it)' }),
  unmatched: Type.Integer({ description: 'items still unmatched' }),
  createdBy: Type.String(),
  createdAt: InstantSchema,
};
export const BankImportSummarySchema = Type.Object(bankImportSummaryFields, { $id: 'BankImportSummary' });
export type BankImportSummary = Static<typeof BankImportSummarySchema>;
export const BankImportListSchema = Type.Object({ items: Type.Array(Type.Unsafe<BankImportSummary>(Type.Ref('BankImportSummary'))), total: Type.Integer() });
export const BankImportDetailSchema = Type.Object(
  {
    ...bankImportSummaryFields,
    items: Type.Array(Type.Unsafe<BankImportItemView>(Type.Ref('BankImportItem')), { description: 'every transaction, batch or reject of the file, in file order, with what was done' }),
  },
  { $id: 'BankImportDetail' },
);
export type BankImportDetail = Static<typeof BankImportDetailSchema>;

export const BankImportQuerySchema = Type.Object({
  ...PagingQuerySchema,
  unmatched: Type.Optional(Type.Boolean({ description: 'only imports with items still unmatched' })),
});
export type BankImportQuery = Static<typeof BankImportQuerySchema>;

export const BankItemMatchSchema = Type.Object(
  {
    invoiceId: IdSchema,
    reasonCode: Type.Optional(ReasonCodeSchema),
    note: Type.Optional(FreeText({ maxLength: 500, description: 'why this entry belongs to this invoice (kept with the audit)' })),
  },
  { $id: 'BankItemMatch', additionalProperties: false },
);
export type BankItemMatch = Static<typeof BankItemMatchSchema>;

export const BankItemMatchResultSchema = Type.Object({
  item: Type.Unsafe<BankImportItemView>(Type.Ref('BankImportItem')),
  booking: Type.Unsafe<BookingView>(Type.Ref('Booking')),
  delivered: Type.Boolean({ description: "the invoice's workflow was told" }),
});
export type BankItemMatchResult = Static<typeof BankItemMatchResultSchema>;

// ---- reminder module -----------------------------------------------------------------------

const ActionsSchema = Type.Array(Type.Record(Type.String(), Type.Unknown()), {
  minItems: 1,
  maxItems: 20,
  description: 'the actions in order (name, type, status after, …); checked as a whole, every problem listed in the 400 answer',
});

export const ActionGroupInputSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' }),
    actions: ActionsSchema,
    isDefault: Type.Optional(Type.Boolean({ default: false, description: "the office's ladder for the invoice workflow (one per office)" })),
  },
  { $id: 'ActionGroupInput', additionalProperties: false },
);
export type ActionGroupInput = Static<typeof ActionGroupInputSchema>;

export const ActionGroupSchema = Type.Object(
  {
    id: IdSchema,
    name: Type.String(),
    actions: Type.Array(Type.Record(Type.String(), Type.Unknown())),
    isDefault: Type.Boolean(),
    createdAt: InstantSchema,
    updatedAt: InstantSchema,
    archivedAt: Type.Union([InstantSchema, Type.Null()], { description: 'archived: not offered for new runs; its runs and their history stay' }),
  },
  { $id: 'ActionGroup' },
);
export type ActionGroupView = Static<typeof ActionGroupSchema>;

export const ReminderRunFilterSchema = Type.Object(
  {
    status: Type.Optional(Type.Array(InvoiceStatusSchema, { minItems: 1, maxItems: 10, description: 'default: open, sent, reversed, reminded, final_notice' })),
    minOpenCents: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_AMOUNT_CENTS, description: 'only invoices with at least this much open (euro cents)' })),
    paymentMethod: Type.Optional(PaymentMethodSchema),
    delivery: Type.Optional(DeliverySchema),
  },
  { additionalProperties: false },
);
export type ReminderRunFilter = Static<typeof ReminderRunFilterSchema>;

/** Most invoices one run acts on, ticked or by filter: a run is for people to follow up. */
export const MAX_RUN_INVOICES = 1000;

export const ActionGroupListQuerySchema = Type.Object(
  { includeArchived: Type.Optional(Type.Boolean({ default: false, description: 'also the archived groups (for reading history)' })) },
  { additionalProperties: false },
);

export const ReminderRunHeadersSchema = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: '^[\\x21-\\x7e]+$' })),
});

export const ReminderRunCreateSchema = Type.Object(
  {
    actionGroupId: IdSchema,
    actionIndex: Type.Integer({ minimum: 0, maximum: 19 }),
    filter: Type.Optional(ReminderRunFilterSchema),
    invoiceIds: Type.Optional(
      Type.Array(IdSchema, {
        minItems: 1,
        maxItems: MAX_RUN_INVOICES,
        uniqueItems: true,
        description: 'the ticked invoices (not together with filter); one that the run may not act on is listed in results as skipped, with the reason',
      }),
    ),
  },
  { $id: 'ReminderRunCreate', additionalProperties: false },
);
export type ReminderRunCreate = Static<typeof ReminderRunCreateSchema>;

export const ReminderRunResultItemSchema = Type.Object({
  invoiceId: IdSchema,
  ok: Type.Boolean(),
  statusAfter: Type.Optional(Type.String()),
  executionId: Type.Optional(Type.String()),
  reason: Type.Optional(Type.String({ description: 'why the action was not executed on this invoice' })),
  skipped: Type.Optional(Type.Boolean({ description: "true: never handed to the invoice's process (not eligible, or in another run of the same step)" })),
});
export type ReminderRunResultItem = Static<typeof ReminderRunResultItemSchema>;

export const ReminderRunSchema = Type.Object(
  {
    id: IdSchema,
    actionGroupId: IdSchema,
    actionGroupName: Type.String(),
    actionIndex: Type.Integer(),
    selection: literals(['filter', 'ticked'] as const, 'filter: "select all" over the filter, resolved when the run was made; ticked: the invoices in requestedIds'),
    filter: Type.Record(Type.String(), Type.Unknown()),
    requestedIds: Type.Union([Type.Array(IdSchema), Type.Null()], { description: 'the ticked invoices (selection ticked)' }),
    invoiceIds: Type.Union([Type.Array(IdSchema), Type.Null()], { description: 'the invoices the run acted on (null for runs made before this was recorded)' }),
    invoices: Type.Integer({ description: 'invoices the run acted on' }),
    results: Type.Array(ReminderRunResultItemSchema),
    createdBy: Type.String(),
    createdAt: InstantSchema,
    processedAt: Nullable(InstantSchema),
    executions: Type.Optional(
      Type.Array(
        Type.Object({
          invoiceId: IdSchema,
          invoiceNumber: Type.String(),
          ...ReminderExecutionSchema.properties,
          letterUrl: Nullable(Type.String({ description: 'download of the letter this execution made (PDF), null when it made none' })),
        }),
      ),
    ),
  },
  { $id: 'ReminderRun' },
);
export type ReminderRunView = Static<typeof ReminderRunSchema>;

// ---- client credit balances (*tegoed*) -----------------------------------------------------

export const ClientCreditKindSchema = literals(clientCreditKinds, 'overpayment: received beyond an invoice; refund: paid back; offset: used for another invoice');

export const ClientCreditEntrySchema = Type.Object({
  id: IdSchema,
  kind: ClientCreditKindSchema,
  amountCents: Cents('positive: credit added; negative: credit used or taken back'),
  invoiceId: Nullable(IdSchema),
  bookingId: Nullable(IdSchema),
  note: Nullable(Type.String()),
  createdBy: Type.String(),
  createdAt: InstantSchema,
});
export type ClientCreditEntry = Static<typeof ClientCreditEntrySchema>;

export const ClientCreditSchema = Type.Object(
  {
    dossierId: IdSchema,
    balanceCents: Cents("the client's credit now: the sum of the entries"),
    entries: Type.Array(ClientCreditEntrySchema),
  },
  { $id: 'ClientCredit' },
);
export type ClientCreditView = Static<typeof ClientCreditSchema>;

export const ClientCreditRefundSchema = Type.Object(
  {
    amountCents: PositiveCents('amount paid back to the client (at most the balance)'),
    note: Type.Optional(FreeText({ maxLength: 500 })),
  },
  { $id: 'ClientCreditRefund', additionalProperties: false },
);
export type ClientCreditRefund = Static<typeof ClientCreditRefundSchema>;

export const ClientCreditOffsetSchema = Type.Object(
  {
    invoiceId: IdSchema,
    amountCents: PositiveCents("amount of the credit used to pay this invoice of the same dossier (at most the balance and the invoice's open amount)"),
    note: Type.Optional(FreeText({ maxLength: 500 })),
  },
  { $id: 'ClientCreditOffset', additionalProperties: false },
);
export type ClientCreditOffset = Static<typeof ClientCreditOffsetSchema>;

export const ClientCreditMovementResultSchema = Type.Object({
  credit: Type.Unsafe<ClientCreditView>(Type.Ref('ClientCredit')),
  booking: Nullable(Type.Unsafe<BookingView>(Type.Ref('Booking'))),
  delivered: Type.Boolean({ description: "an offset's payment was told to the invoice's workflow" }),
});
