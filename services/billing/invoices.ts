/**
 * Invoices as the adviser reads them: a filtered list, and one invoice with its lines, booking
 * lines and reminder history. The rows are kept current by the billing activities.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { DeliveryMethod, InvoiceStatus, PaymentMethod, SequenceType } from '../../db/entities/billing.entity.js';
import type { BookingView, InvoiceListQuery, InvoiceSummary, InvoiceView, ReminderExecutionView } from './schemas.js';
import { refuse } from '../../domain/errors.js';
import { isoDate, isoInstant, looksLikeUuid, one, rows, type Row } from '../../db/sql.js';

export const invoiceColumns =
  'id, number, status, contract_id, dossier_id, product_id, invoice_date, due_date, period_start, period_end, net_cents, ' +
  'vat_cents, total_cents, costs_cents, paid_cents, payment_method, delivery, sequence_type, end_to_end_id, export_id, ' +
  'recollections, pdf_document_id, workflow_id';

export interface InvoiceRow extends Row {
  id: string;
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
  paid_cents: number;
  payment_method: PaymentMethod;
  delivery: DeliveryMethod;
  sequence_type: SequenceType | null;
  end_to_end_id: string | null;
  export_id: string | null;
  recollections: number;
  pdf_document_id: string | null;
  workflow_id: string;
}

/** What is still to be paid: total + costs − paid, never negative (an overpayment is not "open"). */
export function openCentsOf(r: { total_cents: number; costs_cents: number; paid_cents: number }): number {
  return Math.max(0, Number(r.total_cents) + Number(r.costs_cents) - Number(r.paid_cents));
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
    netCents: Number(r.net_cents),
    vatCents: Number(r.vat_cents),
    totalCents: Number(r.total_cents),
    costsCents: Number(r.costs_cents),
    paidCents: Number(r.paid_cents),
    openCents: openCentsOf(r),
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

export async function listInvoices(em: EntityManager, officeId: string, q: InvoiceListQuery): Promise<{ items: InvoiceSummary[]; total: number }> {
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
  const count = await one<{ n: string }>(em, `select count(*) as n from invoices where ${where}`, params);
  const found = await rows<InvoiceRow>(
    em,
    `select ${invoiceColumns} from invoices where ${where} order by invoice_date desc, number desc limit ? offset ?`,
    [...params, q.limit ?? 50, q.offset ?? 0],
  );
  return { items: found.map(summaryOf), total: Number(count?.n ?? 0) };
}

export const bookingColumns =
  'id, invoice_id, kind, amount_cents, reason_code, booked_on, source, import_id, note, created_by, created_at, delivered_at';

export interface BookingRow extends Row {
  id: string;
  invoice_id: string;
  kind: BookingView['kind'];
  amount_cents: number;
  reason_code: string | null;
  booked_on: unknown;
  source: BookingView['source'];
  import_id: string | null;
  note: string | null;
  created_by: string;
  created_at: unknown;
  delivered_at: unknown;
}

export function bookingView(b: BookingRow): BookingView {
  return {
    id: b.id,
    invoiceId: b.invoice_id,
    kind: b.kind,
    amountCents: Number(b.amount_cents),
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

interface ExecutionRow extends Row {
  id: string;
  invoice_id: string;
  action_name: string;
  action_type: string;
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

export const executionColumns =
  'id, invoice_id, action_name, action_type, action_group_id, run_id, status_after, created_by, created_at, processed_at, pay_by, costs_cents, document_id';

export function executionView(e: ExecutionRow): ReminderExecutionView {
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
    costsCents: Number(e.costs_cents),
    documentId: e.document_id,
  };
}

export async function executionsWhere(em: EntityManager, column: 'invoice_id' | 'run_id', id: string): Promise<(ExecutionRow & Row)[]> {
  return rows<ExecutionRow>(em, `select ${executionColumns} from reminder_executions where ${column} = ? order by created_at, id`, [id]);
}

export async function getInvoice(em: EntityManager, officeId: string, id: string): Promise<InvoiceView> {
  const r = await requireInvoiceRow(em, officeId, id);
  const lines = await rows<{ position: number; description: string; net_cents: number; vat_rate: number; vat_cents: number }>(
    em,
    'select position, description, net_cents, vat_rate, vat_cents from invoice_lines where invoice_id = ? order by position',
    [id],
  );
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
      netCents: Number(l.net_cents),
      vatRate: Number(l.vat_rate),
      vatCents: Number(l.vat_cents),
    })),
    bookingLines: bookings.map(bookingView),
    reminderExecutions: executions.map(executionView),
    pdfDocumentId: r.pdf_document_id,
    workflowId: r.workflow_id,
  };
}
