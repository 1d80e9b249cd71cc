/**
 * Invoices as the adviser reads them: a filtered list, and one invoice with its lines, booking
 * lines and reminder history, and its stored PDF. The rows are written by store.ts only.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { BookingView, InvoiceListItem, InvoiceListQuery, InvoiceSummary, InvoiceView, ReminderExecutionView } from './schemas.js';
import type { InvoiceStatus } from '../../domain/billing/closed-lists.js';
import { todayInAmsterdam } from '../../domain/dates.js';
import { refuse } from '../../domain/errors.js';
import { centsOf } from '../../db/column-values.js';
import { isoDate, isoInstant, looksLikeUuid, one, rows } from '../../db/sql.js';
import { getDocumentContent } from '../work/documents.js';
import {
  bookingColumns,
  invoiceColumns,
  invoiceLineColumns,
  reminderExecutionColumns,
  type BookingRow,
  type InvoiceLineRow,
  type InvoiceRow,
  type ReminderExecutionRow,
} from './store.js';

/**
 * What is still to be paid: total + costs − paid, never negative (an overpayment is the client's
 * credit, not "open"); nothing once the invoice is credited. The invoice workflow keeps paid_cents
 * at the money received (domain/billing/invoice-status.ts), so this is the same rule.
 */
export function openCentsOf(r: { total_cents: number; costs_cents: number; paid_cents: number; status?: string }): number {
  if (r.status === 'credited') return 0;
  return Math.max(0, centsOf(r.total_cents) + centsOf(r.costs_cents) - centsOf(r.paid_cents));
}

function summaryOf(r: InvoiceRow): InvoiceSummary {
  const start = isoDate(r.period_start);
  const end = isoDate(r.period_end);
  return {
    id: r.id,
    number: r.number,
    status: r.status,
    contractId: r.contract_id,
    dossierId: r.dossier_id,
    productId: r.product_id,
    invoiceDate: isoDate(r.invoice_date) ?? '',
    dueDate: isoDate(r.due_date) ?? '',
    period: start !== null && end !== null ? { start, end } : null,
    netCents: centsOf(r.net_cents),
    vatCents: centsOf(r.vat_cents),
    totalCents: centsOf(r.total_cents),
    costsCents: centsOf(r.costs_cents),
    paidCents: centsOf(r.paid_cents),
    openCents: openCentsOf(r),
    creditCents: centsOf(r.credit_cents),
    paymentMethod: r.payment_method,
    delivery: r.delivery,
  };
}

export async function findInvoiceRow(em: EntityManager, officeId: string, id: string): Promise<InvoiceRow | undefined> {
  if (!looksLikeUuid(id)) return undefined;
  return one<InvoiceRow>(em, `select ${invoiceColumns} from invoices where office_id = ? and id = ?`, [officeId, id]);
}

export async function requireInvoiceRow(em: EntityManager, officeId: string, id: string): Promise<InvoiceRow> {
  const r = await findInvoiceRow(em, officeId, id);
  if (!r) throw refuse.notFound('Invoice', id);
  return r;
}

/** Overdue statuses a reminder may follow: a run's default, and the overview's `overdue` filter. */
export const DEFAULT_RUN_STATUSES = ['open', 'sent', 'reversed', 'reminded', 'final_notice'] as const satisfies readonly InvoiceStatus[];

/** The client of an invoice: the dossier's first applicant, "first infix last". */
const clientNameSql = `(select concat_ws(' ', p.first_name, p.infix, p.last_name) from dossier_applicants a join persons p on p.id = a.person_id
   where a.dossier_id = invoices.dossier_id order by a.position limit 1)`;

/** ORDER BY per sort key; the number breaks ties so paging is stable. */
const sortSql: Record<NonNullable<InvoiceListQuery['sort']>, { expr: string; asc: boolean }> = {
  invoiceDate: { expr: 'invoice_date', asc: false },
  dueDate: { expr: 'due_date', asc: false },
  number: { expr: 'number', asc: true },
  client: { expr: 'client_name', asc: true },
  openCents: { expr: 'greatest(0, total_cents + costs_cents - paid_cents)', asc: false },
};

export async function listInvoices(em: EntityManager, officeId: string, q: InvoiceListQuery): Promise<{ items: InvoiceListItem[]; total: number }> {
  let where = 'office_id = ?';
  const params: unknown[] = [officeId];
  if (q.status && q.status.length > 0) {
    where += ` and status in (${q.status.map(() => '?').join(', ')})`;
    params.push(...q.status);
  }
  for (const [column, value] of [['dossier_id', q.dossierId], ['contract_id', q.contractId]] as const) {
    if (value === undefined) continue;
    if (!looksLikeUuid(value)) return { items: [], total: 0 };
    where += ` and ${column} = ?`;
    params.push(value);
  }
  for (const [column, value] of [['payment_method', q.paymentMethod], ['delivery', q.delivery]] as const) {
    if (value === undefined) continue;
    where += ` and ${column} = ?`;
    params.push(value);
  }
  // The same conditions as a reminder run's selection (services/billing/reminders.ts), so the count is what "select all" acts on.
  if (q.overdue === true) {
    where += ` and due_date < ? and status in (${DEFAULT_RUN_STATUSES.map(() => '?').join(', ')})`;
    params.push(todayInAmsterdam(new Date()), ...DEFAULT_RUN_STATUSES);
  }
  if (q.overdue === true || q.minOpenCents !== undefined) {
    where += ' and total_cents + costs_cents - paid_cents > ?';
    params.push(q.minOpenCents ?? 0);
  }
  const sort = sortSql[q.sort ?? 'invoiceDate'];
  const asc = q.order === undefined ? sort.asc : q.order === 'asc';
  const dir = asc ? 'asc' : 'desc';
  const count = await one<{ n: string }>(em, `select count(*) as n from invoices where ${where}`, params);
  const found = await rows<InvoiceRow & { client_name: string | null }>(
    em,
    `select * from (select ${invoiceColumns}, ${clientNameSql} as client_name from invoices where ${where}) x
      order by ${sort.expr} ${dir} nulls last, number ${dir} limit ? offset ?`,
    [...params, q.limit ?? 50, q.offset ?? 0],
  );
  return { items: found.map((r) => ({ ...summaryOf(r), clientName: r.client_name })), total: Number(count?.n ?? 0) };
}

export function bookingView(b: BookingRow): BookingView {
  return {
    id: b.id,
    invoiceId: b.invoice_id,
    kind: b.kind,
    amountCents: centsOf(b.amount_cents),
    reference: b.reference,
    reasonCode: b.reason_code,
    bookedOn: isoDate(b.booked_on) ?? '',
    source: b.source,
    importId: b.import_id,
    note: b.note,
    createdBy: b.created_by,
    createdAt: isoInstant(b.created_at) ?? '',
    deliveredAt: isoInstant(b.delivered_at),
  };
}

export function executionView(e: ReminderExecutionRow): ReminderExecutionView {
  return {
    id: e.id,
    actionName: e.action_name,
    actionType: e.action_type,
    actionGroupId: e.action_group_id,
    runId: e.run_id,
    statusAfter: e.status_after,
    createdBy: e.created_by,
    createdAt: isoInstant(e.created_at) ?? '',
    processedAt: isoInstant(e.processed_at),
    payBy: isoDate(e.pay_by),
    costsCents: centsOf(e.costs_cents),
    documentId: e.document_id,
  };
}

export async function executionsWhere(em: EntityManager, column: 'invoice_id' | 'run_id', id: string): Promise<ReminderExecutionRow[]> {
  return rows<ReminderExecutionRow>(em, `select ${reminderExecutionColumns} from reminder_executions where ${column} = ? order by created_at, id`, [id]);
}

export async function getInvoice(em: EntityManager, officeId: string, id: string): Promise<InvoiceView> {
  const r = await requireInvoiceRow(em, officeId, id);
  const lines = await rows<InvoiceLineRow>(em, `select ${invoiceLineColumns} from invoice_lines where invoice_id = ? order by position`, [id]);
  const bookings = await rows<BookingRow>(em, `select ${bookingColumns} from booking_lines where invoice_id = ? order by created_at, key`, [id]);
  const executions = await executionsWhere(em, 'invoice_id', id);
  return {
    ...summaryOf(r),
    sequenceType: r.sequence_type,
    endToEndId: r.end_to_end_id,
    exportId: r.export_id,
    recollections: Number(r.recollections),
    lines: lines.map((l) => ({
      position: Number(l.position),
      description: l.description,
      netCents: centsOf(l.net_cents),
      vatRate: Number(l.vat_rate),
      vatCents: centsOf(l.vat_cents),
    })),
    bookingLines: bookings.map(bookingView),
    reminderExecutions: executions.map(executionView),
    pdfDocumentId: r.pdf_document_id,
    workflowId: r.workflow_id,
  };
}

/** The stored PDF of an invoice; refused `invoice-pdf-missing` until the invoice is issued. */
export async function getInvoicePdf(
  em: EntityManager,
  officeId: string,
  id: string,
): Promise<{ filename: string; contentType: string; content: Buffer; sha256: string }> {
  const invoice = await requireInvoiceRow(em, officeId, id);
  const doc = invoice.pdf_document_id ? await getDocumentContent(em, officeId, invoice.pdf_document_id) : undefined;
  if (!doc) throw refuse.notFoundAs('invoice-pdf-missing', `Invoice ${invoice.number} has no PDF yet (it is made when the invoice is issued)`);
  return doc;
}
