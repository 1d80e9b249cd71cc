/**
 * The one writer of the billing tables: `office_billing_settings` (creditor, payment term, storno
 * policy, reminder mode), `contracts` (periodic costs of a product), `invoices` with their
 * `invoice_lines` and gapless numbers (`invoice_counters`), `booking_lines` (payments,
 * collections, reversals), `sepa_exports` (pain.008 files), `bank_imports` (camt files), the
 * reminder module's `action_groups`, `reminder_runs` and `reminder_executions`, and the clients'
 * credit balances `client_credits`.
 *
 * Every function runs on the EntityManager it is given, so callers decide the transaction. The
 * row types of these tables (as raw SQL reads return them, snake_case) are defined here once,
 * with the column lists the readers select.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type {
  ActionGroup,
  BankImport,
  BookingLine,
  ClientCredit,
  Contract,
  Invoice,
  InvoiceCounter,
  InvoiceLine,
  OfficeBillingSettings,
  ReminderExecution,
  ReminderRun,
  SepaExport,
} from '../../db/entities/index.js';
import { newId } from '../../db/ids.js';
import { one, pgArray, rows, type Row } from '../../db/sql.js';
import type {
  ActionType,
  BankFileFormat,
  BankItemKind,
  BankItemOutcome,
  BillingPeriod,
  BookingKind,
  BookingSource,
  ClientCreditKind,
  DeliveryMethod,
  InvoiceStatus,
  PaymentMethod,
  ReminderMode,
  SequenceType,
} from '../../domain/billing/closed-lists.js';
import type { ReminderAction } from '../../domain/billing/reminder-ladder.js';
import type { StornoPolicy } from '../../domain/billing/storno-policy.js';
import type { Needles } from '../privacy/scrub.js';
import type { ReminderRunResultItem, UnmatchedItem } from './schemas.js';
import { scrubRows } from '../privacy/scrub-rows.js';
import { notifyInvoiceChanged } from '../live/notify.js';

export const ownedTables = [
  'office_billing_settings',
  'contracts',
  'invoice_counters',
  'invoices',
  'invoice_lines',
  'booking_lines',
  'sepa_exports',
  'sepa_export_items',
  'bank_imports',
  'bank_import_items',
  'action_groups',
  'reminder_runs',
  'reminder_executions',
  'client_credits',
] as const;

export type {
  OfficeBillingSettings as BillingSettingsRecord,
  Contract as ContractRecord,
  InvoiceCounter as InvoiceCounterRecord,
  Invoice as InvoiceRecord,
  InvoiceLine as InvoiceLineRecord,
  BookingLine as BookingLineRecord,
  SepaExport as SepaExportRecord,
  BankImport as BankImportRecord,
  ActionGroup as ActionGroupRecord,
  ReminderRun as ReminderRunRecord,
  ReminderExecution as ReminderExecutionRecord,
  ClientCredit as ClientCreditRecord,
};

/** Rows changed by a statement. */
async function affected(em: EntityManager, sql: string, params: unknown[]): Promise<number> {
  const result = (await em.execute(sql, params as never[], 'run')) as { affectedRows?: number; rowCount?: number };
  return Number(result.affectedRows ?? result.rowCount ?? 0);
}

/** `(?, ?, ...)` of a non-empty list. */
function placeholders(values: readonly unknown[]): string {
  return `(${values.map(() => '?').join(', ')})`;
}

// ------------------------------------------------------------------ office_billing_settings

export interface BillingSettingsRow extends Row {
  reminder_mode: ReminderMode;
  creditor_name: string | null;
  creditor_iban: string | null;
  creditor_bic: string | null;
  creditor_id: string | null;
  payment_term_days: number;
  storno_policy: StornoPolicy | null;
  manual_booking_limit_factor: number;
  updated_at: unknown;
}

export const billingSettingsColumns =
  'reminder_mode, creditor_name, creditor_iban, creditor_bic, creditor_id, payment_term_days, storno_policy, manual_booking_limit_factor, updated_at';

export async function billingSettingsRow(em: EntityManager, officeId: string): Promise<BillingSettingsRow | undefined> {
  return one<BillingSettingsRow>(em, `select ${billingSettingsColumns} from office_billing_settings where office_id = ?`, [officeId]);
}

export interface BillingSettingsValues {
  reminderMode: ReminderMode;
  creditor: { name: string; iban: string; bic: string | null; creditorId: string } | null;
  paymentTermDays: number;
  /** null: the default policy of domain/billing. */
  stornoPolicy: StornoPolicy | null;
  /** Plausibility of manual bookings (domain/billing/plausibility.ts); absent: the default (10). */
  manualBookingLimitFactor?: number;
}

/** The office's whole setting (PUT semantics): inserted, or replacing the row. */
export async function upsertBillingSettings(em: EntityManager, officeId: string, s: BillingSettingsValues): Promise<void> {
  await em.execute(
    `insert into office_billing_settings
       (office_id, reminder_mode, creditor_name, creditor_iban, creditor_bic, creditor_id, payment_term_days, storno_policy,
        manual_booking_limit_factor, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?::jsonb, coalesce(?::integer, 10), now())
     on conflict (office_id) do update set reminder_mode = excluded.reminder_mode, creditor_name = excluded.creditor_name,
       creditor_iban = excluded.creditor_iban, creditor_bic = excluded.creditor_bic, creditor_id = excluded.creditor_id,
       payment_term_days = excluded.payment_term_days, storno_policy = excluded.storno_policy,
       manual_booking_limit_factor = excluded.manual_booking_limit_factor, updated_at = now()`,
    [
      officeId,
      s.reminderMode,
      s.creditor?.name ?? null,
      s.creditor?.iban ?? null,
      s.creditor?.bic ?? null,
      s.creditor?.creditorId ?? null,
      s.paymentTermDays,
      s.stornoPolicy ? JSON.stringify(s.stornoPolicy) : null,
      s.manualBookingLimitFactor ?? null,
    ],
  );
}

/** First settings of an office (the seed): the reminder mode and creditor, unless the office has settings already. True when inserted. */
export async function insertBillingSettingsIfAbsent(
  em: EntityManager,
  officeId: string,
  s: { reminderMode: ReminderMode; creditor: { name: string; iban: string; creditorId: string } },
): Promise<boolean> {
  const n = await affected(
    em,
    `insert into office_billing_settings (office_id, reminder_mode, creditor_name, creditor_iban, creditor_id)
     values (?, ?, ?, ?, ?) on conflict (office_id) do nothing`,
    [officeId, s.reminderMode, s.creditor.name, s.creditor.iban, s.creditor.creditorId],
  );
  return n > 0;
}

// ------------------------------------------------------------------ contracts

export interface ContractRow extends Row {
  id: string;
  office_id: string;
  product_id: string;
  dossier_id: string;
  description: string;
  amount_cents: number;
  vat_rate: number;
  period: BillingPeriod;
  start_date: unknown;
  end_date: unknown;
  payment_method: PaymentMethod;
  mandate_id: string | null;
  mandate_signed_on: unknown;
  debtor_iban: string | null;
  debtor_name: string | null;
  mandate_first_collected: boolean;
  mandate_flagged_reason: string | null;
  delivery: DeliveryMethod;
  consumer: boolean;
  pending_amount_cents: number | null;
  pending_from: unknown;
  last_invoice_date: unknown;
  next_invoice_date: unknown;
  workflow_id: string;
  created_at: unknown;
  updated_at: unknown;
}

export const contractColumns =
  'id, office_id, product_id, dossier_id, description, amount_cents, vat_rate, period, start_date, end_date, payment_method, ' +
  'mandate_id, mandate_signed_on, debtor_iban, debtor_name, mandate_first_collected, mandate_flagged_reason, delivery, ' +
  'consumer, pending_amount_cents, pending_from, last_invoice_date, next_invoice_date, workflow_id, created_at, updated_at';

/** The contract, optionally locked for the caller's transaction. */
export async function contractById(em: EntityManager, id: string, opts: { forUpdate?: boolean } = {}): Promise<ContractRow | undefined> {
  return one<ContractRow>(em, `select ${contractColumns} from contracts where id = ?${opts.forUpdate ? ' for update' : ''}`, [id]);
}

export interface NewContract {
  id: string;
  officeId: string;
  productId: string;
  dossierId: string;
  description: string;
  amountCents: number;
  vatRate: number;
  period: BillingPeriod;
  startDate: string;
  endDate: string | null;
  paymentMethod: PaymentMethod;
  mandate: { id: string; signedOn: string; iban: string | null; name: string } | null;
  delivery: DeliveryMethod;
  consumer: boolean;
  workflowId: string;
}

export async function insertContract(tem: EntityManager, c: NewContract): Promise<void> {
  await tem.execute(
    `insert into contracts (id, office_id, product_id, dossier_id, description, amount_cents, vat_rate, period, start_date,
       end_date, payment_method, mandate_id, mandate_signed_on, debtor_iban, debtor_name, delivery, consumer, workflow_id)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      c.id,
      c.officeId,
      c.productId,
      c.dossierId,
      c.description,
      c.amountCents,
      c.vatRate,
      c.period,
      c.startDate,
      c.endDate,
      c.paymentMethod,
      c.mandate?.id ?? null,
      c.mandate?.signedOn ?? null,
      c.mandate?.iban ?? null,
      c.mandate?.name ?? null,
      c.delivery,
      c.consumer,
      c.workflowId,
    ],
  );
}

/** What an adviser may change on a contract: the end date, the delivery and a pending amount (from a period start on). */
export async function updateContractTerms(
  tem: EntityManager,
  id: string,
  t: { endDate: string | null; delivery: DeliveryMethod; pendingAmountCents: number | null; pendingFrom: string | null },
): Promise<void> {
  await tem.execute(`update contracts set end_date = ?, delivery = ?, pending_amount_cents = ?, pending_from = ?, updated_at = now() where id = ?`, [
    t.endDate,
    t.delivery,
    t.pendingAmountCents,
    t.pendingFrom,
    id,
  ]);
}

/** The pending amount becomes the contract's amount (the period that reaches `pending_from` does this). */
export async function applyPendingAmount(tem: EntityManager, contractId: string, amountCents: number): Promise<void> {
  await tem.execute(`update contracts set amount_cents = ?, pending_amount_cents = null, pending_from = null where id = ?`, [amountCents, contractId]);
}

export async function setContractInvoiceDates(tem: EntityManager, contractId: string, lastInvoiceDate: string, nextInvoiceDate: string | null): Promise<void> {
  await tem.execute(`update contracts set last_invoice_date = ?, next_invoice_date = ?, updated_at = now() where id = ?`, [
    lastInvoiceDate,
    nextInvoiceDate,
    contractId,
  ]);
}

/** The mandates of these contracts had their first collection (FRST) exported. */
export async function markMandatesFirstCollected(tem: EntityManager, contractIds: readonly string[]): Promise<void> {
  if (contractIds.length === 0) return;
  await tem.execute(
    'update contracts set mandate_first_collected = true, updated_at = now() where id in (select jsonb_array_elements_text(?::jsonb)::uuid)',
    [JSON.stringify(contractIds)],
  );
}

/** Stops collections on the contract's mandate with the reason; the first reason stays. */
export async function flagContractMandate(em: EntityManager, contractId: string, reason: string): Promise<void> {
  await em.execute(`update contracts set mandate_flagged_reason = ?, updated_at = now() where id = ? and mandate_flagged_reason is null`, [
    reason,
    contractId,
  ]);
}

// ------------------------------------------------------------------ invoices, lines, counters

export interface InvoiceRow extends Row {
  id: string;
  office_id: string;
  number: string;
  status: InvoiceStatus;
  contract_id: string | null;
  dossier_id: string;
  product_id: string | null;
  invoice_date: unknown;
  due_date: unknown;
  period_start: unknown;
  period_end: unknown;
  net_cents: number;
  vat_cents: number;
  total_cents: number;
  costs_cents: number;
  /** Money applied to the invoice: 0 .. total + costs. */
  paid_cents: number;
  /** The client's credit from this invoice: received beyond what it owes. */
  credit_cents: number;
  payment_method: PaymentMethod;
  delivery: DeliveryMethod;
  consumer: boolean;
  sequence_type: SequenceType | null;
  end_to_end_id: string | null;
  export_id: string | null;
  recollections: number;
  pdf_document_id: string | null;
  workflow_id: string;
}

export const invoiceColumns =
  'id, office_id, number, status, contract_id, dossier_id, product_id, invoice_date, due_date, period_start, period_end, net_cents, ' +
  'vat_cents, total_cents, costs_cents, paid_cents, credit_cents, payment_method, delivery, consumer, sequence_type, end_to_end_id, export_id, ' +
  'recollections, pdf_document_id, workflow_id';

export async function invoiceById(em: EntityManager, id: string): Promise<InvoiceRow | undefined> {
  return one<InvoiceRow>(em, `select ${invoiceColumns} from invoices where id = ?`, [id]);
}

export async function invoiceByKey(em: EntityManager, key: string): Promise<InvoiceRow | undefined> {
  return one<InvoiceRow>(em, `select ${invoiceColumns} from invoices where key = ?`, [key]);
}

export interface InvoiceLineRow extends Row {
  position: number;
  description: string;
  net_cents: number;
  vat_rate: number;
  vat_cents: number;
}

export const invoiceLineColumns = 'position, description, net_cents, vat_rate, vat_cents';

export interface NewInvoice {
  id: string;
  /** `contract:<id>:<billedFrom>`: one invoice per contract period. */
  key: string;
  officeId: string;
  contractId: string | null;
  dossierId: string;
  productId: string | null;
  invoiceDate: string;
  dueDate: string;
  periodStart: string | null;
  periodEnd: string | null;
  netCents: number;
  vatCents: number;
  paymentMethod: PaymentMethod;
  delivery: DeliveryMethod;
  consumer: boolean;
  workflowId: string;
  /** The first line (position 1). */
  line: { description: string; netCents: number; vatRate: number; vatCents: number };
}

/**
 * Inserts an open invoice with the next number of its office and year ("2026-00001", gapless)
 * and its line, in the caller's transaction; returns the number. The counter moves in the same
 * transaction as the invoice: every invoice of the office queues on the counter row until the
 * commit, so it is taken last, in the statement that writes the invoice: the lock lasts two
 * statements and the commit.
 */
export async function insertNumberedInvoice(tem: EntityManager, inv: NewInvoice): Promise<string> {
  const year = Number(inv.invoiceDate.slice(0, 4));
  const [created] = await tem.execute<{ number: string }[]>(
    `with counter as (
       insert into invoice_counters (office_id, year, last) values (?, ?, 1)
       on conflict (office_id, year) do update set last = invoice_counters.last + 1 returning last
     )
     insert into invoices (id, key, office_id, contract_id, dossier_id, product_id, number, invoice_date, due_date, period_start, period_end,
       net_cents, vat_cents, total_cents, status, payment_method, delivery, consumer, workflow_id)
     values (?, ?, ?, ?, ?, ?, (select ? || '-' || lpad(last::text, greatest(5, length(last::text)), '0') from counter),
       ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?)
     returning number`,
    [inv.officeId, year, inv.id, inv.key, inv.officeId, inv.contractId, inv.dossierId, inv.productId, String(year), inv.invoiceDate, inv.dueDate,
      inv.periodStart, inv.periodEnd, inv.netCents, inv.vatCents, inv.netCents + inv.vatCents, inv.paymentMethod, inv.delivery, inv.consumer, inv.workflowId],
  );
  await tem.execute(
    `insert into invoice_lines (id, invoice_id, position, description, net_cents, vat_rate, vat_cents) values (?, ?, 1, ?, ?, ?, ?)`,
    [newId(), inv.id, inv.line.description, inv.line.netCents, inv.line.vatRate, inv.line.vatCents],
  );
  await notifyInvoiceChanged(tem, inv.id);
  return created!.number;
}

/** The invoice's PDF, set once. */
export async function setInvoicePdf(em: EntityManager, invoiceId: string, documentId: string): Promise<void> {
  await em.execute(`update invoices set pdf_document_id = ? where id = ? and pdf_document_id is null`, [documentId, invoiceId]);
}

/** An open invoice that went out (mail or post) becomes `sent`; any later status stays. */
export async function markInvoiceSent(em: EntityManager, invoiceId: string): Promise<void> {
  await em.execute(`update invoices set status = 'sent', updated_at = now() where id = ? and status = 'open'`, [invoiceId]);
  await notifyInvoiceChanged(em, invoiceId);
}

/** The status and paid amount as the invoice workflow decided them. */
export async function setInvoiceStatus(tem: EntityManager, invoiceId: string, status: string, paidCents: number): Promise<void> {
  await tem.execute(`update invoices set status = ?, paid_cents = ?, updated_at = now() where id = ?`, [status, paidCents, invoiceId]);
  await notifyInvoiceChanged(tem, invoiceId);
}

/**
 * The invoice's part of its client's credit (received beyond what it owes) becomes
 * `creditCents`: the difference goes into the client's ledger (`client_credits`, kind
 * 'overpayment', key `<keyPrefix>:<n>`), in the caller's transaction with the invoice row
 * locked. Idempotent: a retry finds the invoice at `creditCents` already and writes nothing.
 * Returns the invoice's part before and after.
 */
export async function setInvoiceCredit(
  tem: EntityManager,
  invoiceId: string,
  creditCents: number,
  createdBy: string,
): Promise<{ before: number; after: number }> {
  const row = await one<Pick<InvoiceRow, 'office_id' | 'dossier_id' | 'credit_cents'>>(
    tem,
    'select office_id, dossier_id, credit_cents from invoices where id = ? for update',
    [invoiceId],
  );
  if (!row) throw new Error(`invoice ${invoiceId} vanished`);
  const before = Number(row.credit_cents);
  if (before === creditCents) return { before, after: before };
  const n = await one<{ n: number }>(tem, 'select count(*) as n from client_credits where invoice_id = ?', [invoiceId]);
  await tem.execute(
    `insert into client_credits (id, key, office_id, dossier_id, invoice_id, kind, amount_cents, note, created_by)
     values (?, ?, ?, ?, ?, 'overpayment', ?, ?, ?)`,
    [
      newId(),
      `invoice:${invoiceId}/credit:${Number(n?.n ?? 0) + 1}`,
      row.office_id,
      row.dossier_id,
      invoiceId,
      creditCents - before,
      creditCents > before ? 'Meer ontvangen dan de factuur' : 'Teruggeboekt: tegoed vervalt',
      createdBy,
    ],
  );
  await tem.execute('update invoices set credit_cents = ?, updated_at = now() where id = ?', [creditCents, invoiceId]);
  return { before, after: creditCents };
}

/** The status after a reminder action, and the collection costs it charged (never lowered). */
export async function setInvoiceReminderOutcome(tem: EntityManager, invoiceId: string, statusAfter: string, costsCents: number): Promise<void> {
  await tem.execute(`update invoices set status = ?, costs_cents = greatest(costs_cents, ?), updated_at = now() where id = ?`, [
    statusAfter,
    costsCents,
    invoiceId,
  ]);
}

/**
 * Takes the invoice out of its last export for a re-collection (*herincasso*): a fresh
 * EndToEndId next time, the given sequence type, status open. Only the first call per
 * re-collection number counts.
 */
export async function queueRecollection(em: EntityManager, invoiceId: string, recollection: number, sequenceType: SequenceType): Promise<void> {
  await em.execute(
    `update invoices set export_id = null, end_to_end_id = null, sequence_type = ?, recollections = ?, status = 'open', updated_at = now()
     where id = ? and recollections < ?`,
    [sequenceType, recollection, invoiceId, recollection],
  );
}

/** The invoices went into export `exportId` (row locks held by the caller): one statement for all. */
export async function markInvoicesExported(
  tem: EntityManager,
  exportId: string,
  invoices: readonly { invoiceId: string; endToEndId: string; sequenceType: SequenceType }[],
): Promise<void> {
  await tem.execute(
    `update invoices i set export_id = ?, end_to_end_id = p.end_to_end_id, sequence_type = p.sequence_type, updated_at = now()
     from jsonb_to_recordset(?::jsonb) as p(id uuid, end_to_end_id text, sequence_type text)
     where i.id = p.id`,
    [exportId, JSON.stringify(invoices.map((p) => ({ id: p.invoiceId, end_to_end_id: p.endToEndId, sequence_type: p.sequenceType })))],
  );
}

// ------------------------------------------------------------------ the invoice run (multi-row)

/**
 * The office's contracts due on or before `date` (next_invoice_date), at most `limit`, locked
 * for the caller's transaction (a change of the contract, the contract workflow's own invoice
 * and a second run wait for the commit), oldest due first.
 */
export async function lockDueContracts(tem: EntityManager, officeId: string, date: string, limit: number): Promise<ContractRow[]> {
  return tem.execute<ContractRow[]>(
    `select ${contractColumns} from contracts where office_id = ? and next_invoice_date <= ?
     order by next_invoice_date, id limit ? for update`,
    [officeId, date, limit],
  );
}

/** A contract's invoice dates after a run chunk (and the pending amount its period promoted). */
export interface PlannedContract {
  id: string;
  /** Set when the chunk invoiced it. */
  lastInvoiceDate: string | null;
  nextInvoiceDate: string | null;
  /** The pending amount became the contract's amount. */
  promotedAmountCents: number | null;
}

/** The claimed contracts' dates (and promoted amounts), in one statement. */
export async function setPlannedContracts(tem: EntityManager, planned: readonly PlannedContract[]): Promise<void> {
  if (planned.length === 0) return;
  await tem.execute(
    `update contracts c set
       last_invoice_date = coalesce(p.last_invoice_date, c.last_invoice_date),
       next_invoice_date = p.next_invoice_date,
       amount_cents = coalesce(p.promoted_amount_cents, c.amount_cents),
       pending_amount_cents = case when p.promoted_amount_cents is null then c.pending_amount_cents else null end,
       pending_from = case when p.promoted_amount_cents is null then c.pending_from else null end,
       updated_at = now()
     from jsonb_to_recordset(?::jsonb) as p(id uuid, last_invoice_date date, next_invoice_date date, promoted_amount_cents bigint)
     where c.id = p.id`,
    [JSON.stringify(planned.map((p) => ({ id: p.id, last_invoice_date: p.lastInvoiceDate, next_invoice_date: p.nextInvoiceDate, promoted_amount_cents: p.promotedAmountCents })))],
  );
}

/** The contract's next invoice date (the product card) as its planning says. */
export async function setContractNextInvoiceDate(tem: EntityManager, contractId: string, nextInvoiceDate: string | null): Promise<void> {
  await tem.execute(`update contracts set next_invoice_date = ?, updated_at = now() where id = ? and next_invoice_date is distinct from ?`, [
    nextInvoiceDate,
    contractId,
    nextInvoiceDate,
  ]);
}

/** An invoice of a run chunk (numbered by insertRunInvoices). */
export type NewRunInvoice = Omit<NewInvoice, 'officeId'>;

/**
 * A chunk of a run's invoices, numbered gaplessly: the office's counter for the year moves by
 * the chunk's size and each invoice takes the next number in the given order, all in the
 * statement that inserts them (the counter row is locked from here to the commit: call this
 * last in the chunk's transaction), with their lines. The invoices are
 * marked with the run and have no invoice workflow yet (follower_started false). A key that
 * exists fails the statement (and the transaction): nothing is numbered twice or skipped.
 * Returns the numbers given, as a range.
 */
export async function insertRunInvoices(
  tem: EntityManager,
  p: { officeId: string; year: number; runKey: string; invoices: readonly NewRunInvoice[] },
): Promise<{ from: number; to: number }> {
  const n = p.invoices.length;
  if (n === 0) throw new Error('insertRunInvoices: no invoices');
  // Invoices and their lines in one statement (one JSON document, one round trip); the lines'
  // foreign key is checked at the end of the statement, when the invoices exist.
  const [row] = await tem.execute<{ last: number; inserted: number; lines: number }[]>(
    `with r as (
       select * from jsonb_to_recordset(?::jsonb) as r(ord int, id uuid, key text, contract_id uuid, dossier_id uuid, product_id uuid,
                invoice_date date, due_date date, period_start date, period_end date, net_cents bigint, vat_cents bigint,
                payment_method text, delivery text, consumer boolean, workflow_id text,
                line_description text, line_net_cents bigint, line_vat_rate numeric, line_vat_cents bigint)
     ), counter as (
       insert into invoice_counters (office_id, year, last) values (?, ?, ?)
       on conflict (office_id, year) do update set last = invoice_counters.last + excluded.last
       returning last
     ), ins as (
       insert into invoices (id, key, office_id, contract_id, dossier_id, product_id, number, invoice_date, due_date, period_start, period_end,
         net_cents, vat_cents, total_cents, status, payment_method, delivery, consumer, workflow_id, run_key, follower_started)
       select r.id, r.key, ?, r.contract_id, r.dossier_id, r.product_id,
              ? || '-' || lpad(s.seq::text, greatest(5, length(s.seq::text)), '0'),
              r.invoice_date, r.due_date, r.period_start, r.period_end, r.net_cents, r.vat_cents, r.net_cents + r.vat_cents, 'open',
              r.payment_method, r.delivery, r.consumer, r.workflow_id, ?, false
         from r
         cross join counter
         cross join lateral (select counter.last - ? + r.ord as seq) s
       returning 1
     ), lines as (
       insert into invoice_lines (id, invoice_id, position, description, net_cents, vat_rate, vat_cents)
       select gen_random_uuid(), r.id, 1, r.line_description, r.line_net_cents, r.line_vat_rate, r.line_vat_cents from r
       returning 1
     )
     select (select last from counter)::int as last, (select count(*) from ins)::int as inserted, (select count(*) from lines)::int as lines`,
    [
      JSON.stringify(p.invoices.map((inv, i) => ({
        ord: i + 1, id: inv.id, key: inv.key, contract_id: inv.contractId, dossier_id: inv.dossierId, product_id: inv.productId,
        invoice_date: inv.invoiceDate, due_date: inv.dueDate, period_start: inv.periodStart, period_end: inv.periodEnd,
        net_cents: inv.netCents, vat_cents: inv.vatCents, payment_method: inv.paymentMethod, delivery: inv.delivery,
        consumer: inv.consumer, workflow_id: inv.workflowId,
        line_description: inv.line.description, line_net_cents: inv.line.netCents, line_vat_rate: inv.line.vatRate, line_vat_cents: inv.line.vatCents,
      }))),
      p.officeId, p.year, n,
      p.officeId, String(p.year), p.runKey,
      n,
    ],
  );
  if (!row || Number(row.inserted) !== n || Number(row.lines) !== n) {
    throw new Error(`insertRunInvoices: ${row?.inserted ?? 0} of ${n} invoices and ${row?.lines ?? 0} lines inserted`);
  }
  const last = Number(row.last);
  return { from: last - n + 1, to: last };
}

/**
 * Invoices that have lost their issuing join a run, which issues them: the contract's own
 * invoices (made one at a time by its workflow, key `contract:<id>:<billedFrom>`) that were never
 * issued (no PDF) and belong to no run. Any other invoice of the contract is not the run's.
 *
 * Lock order (docs/ARCHITECTURE.md, "Row locks"): invoice rows before their contract's row, and
 * invoices in (invoice_date, number) order, as the SEPA export takes them. Call
 * this BEFORE locking the contract: a hand-over during an export then waits for the export's
 * commit (and skips an invoice the export changed so that it no longer qualifies) instead of
 * deadlocking with it.
 */
export async function adoptUnissuedInvoices(tem: EntityManager, contractId: string, runKey: string): Promise<number> {
  return affected(
    tem,
    `update invoices i set run_key = ?
     from (select id from invoices
           where contract_id = ? and key like 'contract:%' and pdf_document_id is null and run_key is null
           order by invoice_date, number
           for update) l
     where i.id = l.id`,
    [runKey, contractId],
  );
}

/**
 * A run's range issued, in one statement (each invoice row written once, not once for its PDF
 * and again for its status): the PDF stored under the invoice's document key
 * (`<workflow id>/pdf`) set where none is set yet, and the open invoices that went out (mail or
 * post) `sent`; any later status stays.
 */
export async function markInvoicesIssued(em: EntityManager, issued: { withPdf: readonly string[]; sent: readonly string[] }): Promise<void> {
  const all = [...new Set([...issued.withPdf, ...issued.sent])];
  if (all.length === 0) return;
  const sent = pgArray(issued.sent);
  await em.execute(
    `update invoices i set
       pdf_document_id = coalesce(i.pdf_document_id, (select d.id from documents d where d.key = i.workflow_id || '/pdf')),
       status = case when i.status = 'open' and i.id = any(?::uuid[]) then 'sent' else i.status end,
       updated_at = case when i.status = 'open' and i.id = any(?::uuid[]) then now() else i.updated_at end
     where i.id = any(?::uuid[])`,
    [sent, sent, pgArray(all)],
  );
}

/**
 * `invoice:<id>` is about to be started (or signalled with start) for these invoices: marked
 * first, so a SEPA export that runs meanwhile tells the workflow instead of settling the status
 * itself (the update waits for the export's row locks). Returns nothing; idempotent.
 */
export async function markInvoicesFollowed(em: EntityManager, invoiceIds: readonly string[]): Promise<void> {
  if (invoiceIds.length === 0) return;
  await em.execute(`update invoices set follower_started = true where id = any(?::uuid[]) and not follower_started`, [pgArray(invoiceIds)]);
}

/**
 * A run's invoices due on or before `dueDate` that are still unpaid and not being collected
 * (open or sent: no export, no booking changed them): marked as followed and returned, for their
 * invoice workflows to start (the reminder ladder counts from the due date). Marked again on a
 * repeat, so a retried start finds the same invoices.
 */
export async function claimRunFollowers(em: EntityManager, runKey: string, dueDate: string): Promise<string[]> {
  const found = await em.execute<{ id: string }[]>(
    `update invoices set follower_started = true
     where run_key = ? and due_date <= ? and status in ('open', 'sent')
     returning id`,
    [runKey, dueDate],
  );
  return found.map((r) => r.id);
}

/**
 * After an export (caller's transaction, row locks held): its invoices that have no invoice
 * workflow get the status that workflow would give them (domain/billing/invoice-status,
 * `exported`: open or sent → collection_pending); the others are told by signal after the commit.
 */
export async function markUnfollowedExported(tem: EntityManager, exportId: string): Promise<number> {
  return affected(
    tem,
    `update invoices set status = 'collection_pending', updated_at = now()
     where export_id = ? and not follower_started and status in ('open', 'sent')`,
    [exportId],
  );
}

// ------------------------------------------------------------------ booking_lines

export interface BookingRow extends Row {
  id: string;
  invoice_id: string;
  kind: BookingKind;
  amount_cents: number;
  /** Which money the line credits or takes back (a collection's EndToEndId, `booking:<id>`); null: a payment, its own. */
  reference: string | null;
  reason_code: string | null;
  booked_on: unknown;
  source: BookingSource;
  import_id: string | null;
  note: string | null;
  created_by: string;
  created_at: unknown;
  delivered_at: unknown;
}

export const bookingColumns =
  'id, invoice_id, kind, amount_cents, reference, reason_code, booked_on, source, import_id, note, created_by, created_at, delivered_at';

/** A booking line whose signal to its invoice workflow is still owed. */
export type OwedBooking = Pick<BookingRow, 'id' | 'invoice_id' | 'kind' | 'amount_cents' | 'reason_code'> & Partial<Pick<BookingRow, 'reference'>>;
export const owedBookingColumns = 'id, invoice_id, kind, amount_cents, reason_code, reference';

/**
 * A line from a bank file (camt statement or pain.002 status report), once per key; the new
 * line's id, or undefined when an earlier file booked that key. `reference`: which money the
 * line is about (domain/billing/invoice-status.ts): the EndToEndId of the collection a
 * collection, return or reject names; left out, a collection, return or reject is about the
 * invoice's current EndToEndId; a payment by transfer is always its own (`booking:<id>`).
 */
export async function insertBankBooking(
  tem: EntityManager,
  b: {
    key: string;
    officeId: string;
    invoiceId: string;
    kind: BookingKind;
    amountCents: number;
    reasonCode: string | null;
    bookedOn: string;
    importId: string;
    createdBy: string;
    source: Extract<BookingSource, 'camt' | 'pain002'>;
    reference?: string | null;
  },
): Promise<string | undefined> {
  const row = await one<{ id: string }>(
    tem,
    `insert into booking_lines (id, key, office_id, invoice_id, kind, amount_cents, reference, reason_code, booked_on, source, import_id, created_by)
     values (?, ?, ?, ?, ?, ?,
       case when ?::text = 'payment' then ?::text else coalesce(?::text, (select end_to_end_id from invoices where id = ?)) end,
       ?, ?, ?, ?, ?) on conflict (key) do nothing returning id`,
    [newId(), b.key, b.officeId, b.invoiceId, b.kind, b.amountCents, b.kind, b.reference ?? null, b.reference ?? null, b.invoiceId,
      b.reasonCode, b.bookedOn, b.source, b.importId, b.createdBy],
  );
  return row?.id;
}

/** A line booked by hand (key `manual:<id>`); a reversal names the money it takes back in `reference`. */
export async function insertManualBooking(
  em: EntityManager,
  b: {
    officeId: string;
    invoiceId: string;
    kind: BookingKind;
    amountCents: number;
    reasonCode: string | null;
    bookedOn: string;
    note: string | null;
    createdBy: string;
    reference?: string | null;
  },
): Promise<BookingRow> {
  const id = newId();
  const inserted = await one<BookingRow>(
    em,
    `insert into booking_lines (id, key, office_id, invoice_id, kind, amount_cents, reference, reason_code, booked_on, source, note, created_by)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, 'manual', ?, ?) returning ${bookingColumns}`,
    [id, `manual:${id}`, b.officeId, b.invoiceId, b.kind, b.amountCents, b.reference ?? null, b.reasonCode, b.bookedOn, b.note, b.createdBy],
  );
  if (!inserted) throw new Error('insert into booking_lines returned nothing');
  return inserted;
}

/**
 * The storno by hand: the line becomes a reversal with its reason code, the actor's note is
 * appended (there is no updated_by column), and its delivery is owed again. It takes back the
 * money the line brought in: its reference stays (a collection's EndToEndId), or becomes
 * `booking:<id>` (a payment is its own reference).
 */
export async function reverseBookingLine(tem: EntityManager, bookingId: string, reasonCode: string, note: string): Promise<BookingRow | undefined> {
  return one<BookingRow>(
    tem,
    `update booking_lines set kind = 'reversal', reason_code = ?, note = concat_ws(' | ', note, ?), reference = coalesce(reference, 'booking:' || id::text),
       delivered_at = null, updated_at = now()
     where id = ? returning ${bookingColumns}`,
    [reasonCode, note, bookingId],
  );
}

/** The invoice workflow applied the line as `kind` (never counted twice, also in a later run). */
export async function markBookingApplied(tem: EntityManager, invoiceId: string, bookingId: string, kind: BookingKind): Promise<void> {
  await tem.execute(`update booking_lines set applied = array_append(applied, ?) where id = ? and invoice_id = ? and not (? = any(applied))`, [
    kind,
    bookingId,
    invoiceId,
    kind,
  ]);
}

/** Temporal confirmed the signal of this line. */
export async function markBookingDelivered(em: EntityManager, bookingId: string): Promise<void> {
  await em.execute('update booking_lines set delivered_at = now() where id = ?', [bookingId]);
}

// ------------------------------------------------------------------ sepa_exports

export async function insertSepaExport(
  tem: EntityManager,
  e: { id: string; officeId: string; messageId: string; collectionDate: string; transactions: number; totalCents: number; xml: string; createdBy: string },
): Promise<void> {
  await tem.execute(
    `insert into sepa_exports (id, office_id, message_id, collection_date, transactions, total_cents, xml, created_by)
     values (?, ?, ?, ?, ?, ?, ?, ?)`,
    [e.id, e.officeId, e.messageId, e.collectionDate, e.transactions, e.totalCents, e.xml, e.createdBy],
  );
}

// ------------------------------------------------------------------ sepa_export_items

export interface SepaExportItemRow extends Row {
  end_to_end_id: string;
  export_id: string;
  payment_info_id: string;
  invoice_id: string;
  amount_cents: number;
  sequence_type: SequenceType;
  credited_booking_id: string | null;
  returned_booking_id: string | null;
  rejected_booking_id: string | null;
}

export const sepaExportItemColumns =
  'end_to_end_id, export_id, payment_info_id, invoice_id, amount_cents, sequence_type, credited_booking_id, returned_booking_id, rejected_booking_id';

/** What the export asked the bank, one row per collection, in one statement (the caller's transaction). */
export async function insertSepaExportItems(
  tem: EntityManager,
  officeId: string,
  exportId: string,
  items: readonly { endToEndId: string; paymentInfoId: string; invoiceId: string; amountCents: number; sequenceType: SequenceType }[],
): Promise<void> {
  if (items.length === 0) return;
  await tem.execute(
    `insert into sepa_export_items (end_to_end_id, office_id, export_id, payment_info_id, invoice_id, amount_cents, sequence_type)
     select p.end_to_end_id, ?, ?, p.payment_info_id, p.invoice_id, p.amount_cents, p.sequence_type
       from jsonb_to_recordset(?::jsonb) as p(end_to_end_id text, payment_info_id text, invoice_id uuid, amount_cents bigint, sequence_type text)`,
    [
      officeId,
      exportId,
      JSON.stringify(items.map((i) => ({ end_to_end_id: i.endToEndId, payment_info_id: i.paymentInfoId, invoice_id: i.invoiceId, amount_cents: i.amountCents, sequence_type: i.sequenceType }))),
    ],
  );
}

/** What the bank said about a collection: the booking line that credited, returned or rejected it (set once). */
export async function setExportItemBooking(tem: EntityManager, endToEndId: string, fact: 'credited' | 'returned' | 'rejected', bookingId: string): Promise<void> {
  const column = { credited: 'credited_booking_id', returned: 'returned_booking_id', rejected: 'rejected_booking_id' }[fact];
  await tem.execute(`update sepa_export_items set ${column} = ? where end_to_end_id = ? and ${column} is null`, [bookingId, endToEndId]);
}

/** Every invoice workflow of the export was told. */
export async function markExportDelivered(em: EntityManager, exportId: string): Promise<void> {
  await em.execute('update sepa_exports set delivered_at = now() where id = ?', [exportId]);
}

// ------------------------------------------------------------------ bank_imports

export interface BankImportRow extends Row {
  id: string;
  format: BankFileFormat;
  message_id: string;
  entries: number;
  booked: number;
  /** The entries no invoice was booked for. */
  unmatched_items: UnmatchedItem[];
}

export const bankImportColumns = 'id, format, message_id, entries, booked, unmatched_items';

/** The file, once per office and sha256; false when another request stored the same file first. */
export async function insertBankImportOnce(
  tem: EntityManager,
  b: { id: string; officeId: string; sha256: string; format: BankFileFormat; messageId: string; entries: number; rawXml: string; createdBy: string },
): Promise<boolean> {
  const inserted = await one<{ id: string }>(
    tem,
    `insert into bank_imports (id, office_id, sha256, format, message_id, entries, booked, unmatched, unmatched_items, raw_xml, created_by)
     values (?, ?, ?, ?, ?, ?, 0, 0, '[]'::jsonb, ?, ?) on conflict (office_id, sha256) do nothing returning id`,
    [b.id, b.officeId, b.sha256, b.format, b.messageId, b.entries, b.rawXml, b.createdBy],
  );
  return inserted !== undefined;
}

/** What the import booked and what it could not match (also after a match by hand). */
export async function setBankImportOutcome(tem: EntityManager, importId: string, booked: number, unmatched: readonly UnmatchedItem[]): Promise<BankImportRow | undefined> {
  return one<BankImportRow>(
    tem,
    `update bank_imports set booked = ?, unmatched = ?, unmatched_items = ?::jsonb where id = ?
     returning ${bankImportColumns}`,
    [booked, unmatched.length, JSON.stringify(unmatched), importId],
  );
}

// ------------------------------------------------------------------ bank_import_items

export interface BankImportItemRow extends Row {
  id: string;
  import_id: string;
  statement_index: number;
  entry_index: number;
  /** -1: the whole entry (a batch, or an entry without TxDtls). */
  transaction_index: number;
  kind: BankItemKind;
  outcome: BankItemOutcome;
  credit_debit: 'CRDT' | 'DBIT';
  amount_cents: number;
  booking_date: unknown;
  end_to_end_id: string | null;
  payment_info_id: string | null;
  batch_message_id: string | null;
  transactions: number | null;
  remittance: string | null;
  reason_code: string | null;
  reason: string | null;
  /** An unmatched item an adviser may match to an invoice (a booked BOOK entry in EUR that is not a batch). */
  matchable: boolean;
  booking_key: string | null;
  invoice_ids: string[];
  booking_ids: string[];
  matched_by: string | null;
  matched_at: unknown;
  match_note: string | null;
  created_at: unknown;
}

export const bankImportItemColumns =
  'id, import_id, statement_index, entry_index, transaction_index, kind, outcome, credit_debit, amount_cents, booking_date, end_to_end_id, ' +
  'payment_info_id, batch_message_id, transactions, remittance, reason_code, reason, matchable, booking_key, invoice_ids, booking_ids, matched_by, ' +
  'matched_at, match_note, created_at';

export interface NewBankImportItem {
  id: string;
  statementIndex: number;
  entryIndex: number;
  transactionIndex: number;
  kind: BankItemKind;
  outcome: Exclude<BankItemOutcome, 'matched_by_hand'>;
  creditDebit: 'CRDT' | 'DBIT';
  amountCents: number;
  bookingDate: string | null;
  endToEndId: string | null;
  paymentInfoId: string | null;
  batchMessageId: string | null;
  transactions: number | null;
  remittance: string | null;
  reasonCode: string | null;
  reason: string | null;
  matchable: boolean;
  bookingKey: string | null;
  invoiceIds: string[];
  bookingIds: string[];
}

/** The reconciliation of an import: every item with its outcome, in one statement. */
export async function insertBankImportItems(tem: EntityManager, importId: string, officeId: string, items: readonly NewBankImportItem[]): Promise<void> {
  if (items.length === 0) return;
  await tem.execute(
    `insert into bank_import_items (id, import_id, office_id, statement_index, entry_index, transaction_index, kind, outcome, credit_debit,
       amount_cents, booking_date, end_to_end_id, payment_info_id, batch_message_id, transactions, remittance, reason_code, reason, matchable,
       booking_key, invoice_ids, booking_ids)
     select p.id, ?, ?, p.statement_index, p.entry_index, p.transaction_index, p.kind, p.outcome, p.credit_debit, p.amount_cents, p.booking_date,
            p.end_to_end_id, p.payment_info_id, p.batch_message_id, p.transactions, p.remittance, p.reason_code, p.reason, p.matchable, p.booking_key,
            array(select jsonb_array_elements_text(p.invoice_ids))::uuid[], array(select jsonb_array_elements_text(p.booking_ids))::uuid[]
       from jsonb_to_recordset(?::jsonb) as p(id uuid, statement_index int, entry_index int, transaction_index int, kind text, outcome text,
            credit_debit text, amount_cents bigint, booking_date date, end_to_end_id text, payment_info_id text, batch_message_id text,
            transactions int, remittance text, reason_code text, reason text, matchable boolean, booking_key text, invoice_ids jsonb, booking_ids jsonb)`,
    [
      importId,
      officeId,
      JSON.stringify(
        items.map((i) => ({
          id: i.id,
          statement_index: i.statementIndex,
          entry_index: i.entryIndex,
          transaction_index: i.transactionIndex,
          kind: i.kind,
          outcome: i.outcome,
          credit_debit: i.creditDebit,
          amount_cents: i.amountCents,
          booking_date: i.bookingDate,
          end_to_end_id: i.endToEndId,
          payment_info_id: i.paymentInfoId,
          batch_message_id: i.batchMessageId,
          transactions: i.transactions,
          remittance: i.remittance,
          reason_code: i.reasonCode,
          reason: i.reason,
          matchable: i.matchable,
          booking_key: i.bookingKey,
          invoice_ids: i.invoiceIds,
          booking_ids: i.bookingIds,
        })),
      ),
    ],
  );
}

/**
 * An unmatched item matched by hand (the audit: who, when, which invoice, and the adviser's
 * note); undefined when it is no longer unmatched (another adviser was first).
 */
export async function markBankImportItemMatched(
  tem: EntityManager,
  m: { itemId: string; invoiceId: string; bookingId: string; matchedBy: string; note: string | null },
): Promise<BankImportItemRow | undefined> {
  return one<BankImportItemRow>(
    tem,
    `update bank_import_items set outcome = 'matched_by_hand', invoice_ids = array[?::uuid], booking_ids = array[?::uuid],
       matched_by = ?, matched_at = now(), match_note = ?
     where id = ? and outcome = 'unmatched' returning ${bankImportItemColumns}`,
    [m.invoiceId, m.bookingId, m.matchedBy, m.note, m.itemId],
  );
}

// ------------------------------------------------------------------ action_groups

export interface ActionGroupRow extends Row {
  id: string;
  name: string;
  actions: ReminderAction[];
  is_default: boolean;
  created_at: unknown;
  updated_at: unknown;
  archived_at: unknown;
}

export const actionGroupColumns = 'id, name, actions, is_default, created_at, updated_at, archived_at';

/** Clears the default flag on the office's other groups (one default per office). */
export async function clearOtherDefaultGroups(tem: EntityManager, officeId: string, keepId: string): Promise<void> {
  await tem.execute('update action_groups set is_default = false, updated_at = now() where office_id = ? and is_default and id <> ?', [officeId, keepId]);
}

/** A new group; undefined when the office has a group of that name already. */
export async function insertActionGroup(
  tem: EntityManager,
  g: { id: string; officeId: string; name: string; actions: readonly ReminderAction[]; isDefault: boolean },
): Promise<ActionGroupRow | undefined> {
  return one<ActionGroupRow>(
    tem,
    `insert into action_groups (id, office_id, name, actions, is_default) values (?, ?, ?, ?::jsonb, ?)
     on conflict (office_id, name) where archived_at is null do nothing returning ${actionGroupColumns}`,
    [g.id, g.officeId, g.name, JSON.stringify(g.actions), g.isDefault],
  );
}

/** Replaces a group of the office; undefined when it is not there. */
export async function replaceActionGroup(
  tem: EntityManager,
  g: { id: string; officeId: string; name: string; actions: readonly ReminderAction[]; isDefault: boolean },
): Promise<ActionGroupRow | undefined> {
  return one<ActionGroupRow>(
    tem,
    `update action_groups set name = ?, actions = ?::jsonb, is_default = ?, updated_at = now()
     where id = ? and office_id = ? returning ${actionGroupColumns}`,
    [g.name, JSON.stringify(g.actions), g.isDefault, g.id, g.officeId],
  );
}

/** Archives a group (idempotent: an archived group keeps its first archived_at); undefined when not there. */
export async function archiveActionGroupRow(tem: EntityManager, officeId: string, id: string): Promise<ActionGroupRow | undefined> {
  return one<ActionGroupRow>(
    tem,
    `update action_groups set archived_at = coalesce(archived_at, now()), is_default = false, updated_at = now()
     where id = ? and office_id = ? returning ${actionGroupColumns}`,
    [id, officeId],
  );
}

/**
 * Deletes a group that has no history: no run and no execution refers to it (the same check in
 * the statement, so a run that slipped in meanwhile keeps it: the foreign keys refuse too). True when deleted.
 */
export async function deleteUnusedActionGroup(tem: EntityManager, officeId: string, id: string): Promise<boolean> {
  const deleted = await rows<{ id: string }>(
    tem,
    `delete from action_groups g where g.id = ? and g.office_id = ?
       and not exists (select 1 from reminder_runs r where r.action_group_id = g.id)
       and not exists (select 1 from reminder_executions e where e.action_group_id = g.id)
     returning g.id`,
    [id, officeId],
  );
  return deleted.length > 0;
}

// ------------------------------------------------------------------ reminder_runs

export interface ReminderRunRow extends Row {
  id: string;
  action_group_id: string;
  action_index: number;
  filter: Record<string, unknown>;
  invoices: number;
  /** The outcome per invoice; null until processed. */
  results: ReminderRunResultItem[] | null;
  created_by: string;
  created_at: unknown;
  processed_at: unknown;
  /** Ticked invoices; null for a run over its filter. */
  requested_ids: string[] | null;
  /** The invoices the run acted on; null for runs made before it was recorded. */
  invoice_ids: string[] | null;
  /** The group's name (joined, for the history). */
  action_group_name: string;
}

export const reminderRunColumns =
  'r.id, r.action_group_id, r.action_index, r.filter, r.invoices, r.results, r.created_by, r.created_at, r.processed_at, ' +
  'r.requested_ids::text[] as requested_ids, r.invoice_ids::text[] as invoice_ids, g.name as action_group_name';
/** `from` clause for reminderRunColumns. */
export const reminderRunFrom = 'reminder_runs r join action_groups g on g.id = r.action_group_id';

/**
 * A new run with the invoices it acts on; false when a run with this id exists already (a retry
 * of the same Idempotency-Key: the caller answers that run).
 */
export async function insertReminderRun(
  em: EntityManager,
  r: {
    id: string;
    officeId: string;
    actionGroupId: string;
    actionIndex: number;
    filter: Record<string, unknown>;
    requestedIds: readonly string[] | null;
    invoiceIds: readonly string[];
    createdBy: string;
  },
): Promise<boolean> {
  const inserted = await rows<{ id: string }>(
    em,
    `insert into reminder_runs (id, office_id, action_group_id, action_index, filter, invoices, requested_ids, invoice_ids, created_by)
     values (?, ?, ?, ?, ?::jsonb, ?, ?::uuid[], ?::uuid[], ?) on conflict (id) do nothing returning id`,
    [
      r.id,
      r.officeId,
      r.actionGroupId,
      r.actionIndex,
      JSON.stringify(r.filter),
      r.invoiceIds.length,
      r.requestedIds ? pgArray(r.requestedIds) : null,
      pgArray(r.invoiceIds),
      r.createdBy,
    ],
  );
  return inserted.length > 0;
}

/** How long an unfinished run holds its invoices for its step: a run whose process died does not block them for ever. */
export const RUN_CLAIM_MINUTES = 15;

/**
 * Locks the candidate invoices in the billing lock order ((invoice_date, number), docs/ARCHITECTURE.md
 * "Row locks in billing") and answers those that are claimed by another unfinished run of the
 * same step (group, action), with that run's id. Call inside the transaction that inserts the new
 * run: a second run of the same step waits for the locks, then sees the first run committed.
 */
export async function lockAndFindClaimed(
  tem: EntityManager,
  invoiceIds: readonly string[],
  step: { actionGroupId: string; actionIndex: number; exceptRunId: string },
): Promise<Map<string, string>> {
  const claimed = new Map<string, string>();
  if (invoiceIds.length === 0) return claimed;
  await tem.execute(`select id from invoices where id = any(?::uuid[]) order by invoice_date, number for update`, [pgArray(invoiceIds)]);
  const found = await rows<{ invoice_id: string; run_id: string }>(
    tem,
    `select i.invoice_id::text as invoice_id, r.id as run_id
       from reminder_runs r cross join lateral unnest(r.invoice_ids) as i(invoice_id)
      where r.action_group_id = ? and r.action_index = ? and r.processed_at is null and r.id <> ?
        and r.created_at > now() - make_interval(mins => ?) and i.invoice_id = any(?::uuid[])`,
    [step.actionGroupId, step.actionIndex, step.exceptRunId, RUN_CLAIM_MINUTES, pgArray(invoiceIds)],
  );
  for (const f of found) claimed.set(f.invoice_id, f.run_id);
  return claimed;
}

/** The outcome per invoice; `processed` marks the run done (before that, only its skipped invoices are recorded). */
export async function setReminderRunResults(em: EntityManager, runId: string, results: readonly ReminderRunResultItem[], o: { processed: boolean }): Promise<void> {
  await em.execute(`update reminder_runs set results = ?::jsonb${o.processed ? ', processed_at = coalesce(processed_at, now())' : ''} where id = ?`, [JSON.stringify(results), runId]);
}

// ------------------------------------------------------------------ reminder_executions

export interface ReminderExecutionRow extends Row {
  id: string;
  invoice_id: string;
  action_name: string;
  action_type: ActionType;
  action_group_id: string | null;
  run_id: string | null;
  status_after: string;
  created_by: string;
  created_at: unknown;
  processed_at: unknown;
  pay_by: unknown;
  costs_cents: number;
  document_id: string | null;
}

export const reminderExecutionColumns =
  'id, invoice_id, action_name, action_type, action_group_id, run_id, status_after, created_by, created_at, processed_at, pay_by, costs_cents, document_id';

export async function reminderExecutionByKey(em: EntityManager, key: string): Promise<ReminderExecutionRow | undefined> {
  return one<ReminderExecutionRow>(em, `select ${reminderExecutionColumns} from reminder_executions where key = ?`, [key]);
}

export interface NewReminderExecution {
  /** `invoice:<id>/reminder:<n>`, `invoice:<id>/storno:<bookingId>` or `run:<runId>/invoice:<id>`. */
  key: string;
  officeId: string;
  invoiceId: string;
  runId: string | null;
  actionGroupId: string | null;
  actionName: string;
  actionType: ActionType;
  statusAfter: string;
  costsCents: number;
  payBy: string | null;
  documentId: string | null;
  mailId: string | null;
  taskId: string | null;
  createdBy: string;
}

/**
 * Records an executed reminder action once per key, and sets the invoice's status and costs, in
 * one transaction. Returns the id of the execution with that key (the first one on a repeat).
 */
export async function recordReminderExecution(em: EntityManager, e: NewReminderExecution): Promise<string> {
  await em.transactional(async (tem) => {
    await tem.execute(
      `insert into reminder_executions (id, key, office_id, invoice_id, run_id, action_group_id, action_name, action_type, status_after,
         costs_cents, pay_by, document_id, mail_id, task_id, created_by, processed_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now()) on conflict (key) do nothing`,
      [newId(), e.key, e.officeId, e.invoiceId, e.runId, e.actionGroupId, e.actionName, e.actionType, e.statusAfter,
        e.costsCents, e.payBy, e.documentId, e.mailId, e.taskId, e.createdBy],
    );
    await setInvoiceReminderOutcome(tem, e.invoiceId, e.statusAfter, e.costsCents);
  });
  const row = await one<{ id: string }>(em, `select id from reminder_executions where key = ?`, [e.key]);
  if (!row) throw new Error(`reminder_executions row ${e.key} vanished after its insert`);
  return row.id;
}

// ------------------------------------------------------------------ client_credits

export interface ClientCreditRow extends Row {
  id: string;
  dossier_id: string;
  invoice_id: string | null;
  kind: ClientCreditKind;
  amount_cents: number;
  booking_id: string | null;
  note: string | null;
  created_by: string;
  created_at: unknown;
}

export const clientCreditColumns = 'id, dossier_id, invoice_id, kind, amount_cents, booking_id, note, created_by, created_at';

/** A refund or offset of a client's credit (negative), once per key; undefined when the key was used. */
export async function insertClientCreditMovement(
  tem: EntityManager,
  c: { key: string; officeId: string; dossierId: string; invoiceId: string | null; kind: Exclude<ClientCreditKind, 'overpayment'>; amountCents: number; bookingId: string | null; note: string | null; createdBy: string },
): Promise<ClientCreditRow | undefined> {
  return one<ClientCreditRow>(
    tem,
    `insert into client_credits (id, key, office_id, dossier_id, invoice_id, kind, amount_cents, booking_id, note, created_by)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (key) do nothing returning ${clientCreditColumns}`,
    [newId(), c.key, c.officeId, c.dossierId, c.invoiceId, c.kind, c.amountCents, c.bookingId, c.note, c.createdBy],
  );
}

// ------------------------------------------------------------------ anonymisation

/**
 * What anonymising a person does to billing (inside the anonymisation's transaction, see
 * services/privacy/anonymise.ts): contracts where they are the debtor keep existing (the invoices
 * refer to them) without the IBAN and debtor name, paid by transfer from now on and with the
 * mandate flagged, so no direct debit is ever exported for them again. Their identifiers are
 * replaced in contract and invoice line texts and booking notes of their dossiers, and (strong
 * needles only) in the office's SEPA exports, bank files and reminder run results. Returns the
 * changed rows per table.
 */
export async function anonymiseBillingOf(
  tem: EntityManager,
  p: {
    officeId: string;
    /** Contracts where they are the debtor. */
    contractIds: readonly string[];
    /** All their dossiers, as an IN list (`(?, ...)` and its params). */
    dossiers: { sql: string; params: unknown[] };
    needles: Needles;
  },
): Promise<Record<string, number>> {
  const changes: Record<string, number> = {};
  const add = (table: (typeof ownedTables)[number], n: number): void => {
    if (n > 0) changes[table] = (changes[table] ?? 0) + n;
  };
  const { dossiers, needles, officeId } = p;
  if (p.contractIds.length > 0) {
    add('contracts', await affected(
      tem,
      `update contracts set debtor_iban = null, debtor_name = null, payment_method = 'transfer',
              mandate_flagged_reason = coalesce(mandate_flagged_reason, 'AVG: gegevens geanonimiseerd, incasso gestopt'),
              updated_at = now()
        where id in ${placeholders(p.contractIds)}`,
      [...p.contractIds],
    ));
  }
  add('contracts', await scrubRows(tem, 'contracts', 'id', [{ name: 'description', kind: 'text', notNull: true }],
    { sql: `dossier_id in ${dossiers.sql}`, params: dossiers.params }, needles.scoped));
  add('invoice_lines', await scrubRows(tem, 'invoice_lines', 'id', [{ name: 'description', kind: 'text', notNull: true }],
    { sql: `invoice_id in (select id from invoices where dossier_id in ${dossiers.sql})`, params: dossiers.params }, needles.scoped));
  add('booking_lines', await scrubRows(tem, 'booking_lines', 'id', [{ name: 'note', kind: 'text' }],
    { sql: `invoice_id in (select id from invoices where dossier_id in ${dossiers.sql})`, params: dossiers.params }, needles.scoped));
  add('client_credits', await scrubRows(tem, 'client_credits', 'id', [{ name: 'note', kind: 'text' }],
    { sql: `dossier_id in ${dossiers.sql}`, params: dossiers.params }, needles.scoped));
  // Office-wide bank files hold many debtors: only the strings that are certainly theirs go.
  add('sepa_exports', await scrubRows(tem, 'sepa_exports', 'id', [{ name: 'xml', kind: 'text', notNull: true }],
    { sql: 'office_id = ?', params: [officeId] }, needles.strong));
  add('bank_imports', await scrubRows(tem, 'bank_imports', 'id', [
    { name: 'raw_xml', kind: 'text' },
    { name: 'unmatched_items', kind: 'jsonb', notNull: true },
  ], { sql: 'office_id = ?', params: [officeId] }, needles.strong));
  add('bank_import_items', await scrubRows(tem, 'bank_import_items', 'id', [
    { name: 'remittance', kind: 'text' },
    { name: 'match_note', kind: 'text' },
  ], { sql: 'office_id = ?', params: [officeId] }, needles.strong));
  add('reminder_runs', await scrubRows(tem, 'reminder_runs', 'id', [{ name: 'results', kind: 'jsonb' }],
    { sql: 'office_id = ?', params: [officeId] }, needles.strong));
  return changes;
}
