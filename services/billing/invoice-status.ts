/**
 * The invoice workflow's bookkeeping: the facts it (re)starts from (status, amounts, what was
 * applied and reminded so far, the office's reminder mode, ladder and storno policy), and the
 * status it decided, written back with the booking line it applied (marked on the line, so a
 * booking delivered twice never counts twice, also in a later run of the workflow).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { one, rows } from '../../db/sql.js';
import { monthsPerPeriod } from '../../domain/billing/periods.js';
import { vatCents } from '../../domain/billing/money.js';
import { defaultReminderLadder } from '../../domain/billing/reminder-ladder.js';
import type { InvoiceFacts, RecordInvoiceStatusInput } from '../../domain/billing/side-effects.js';
import { defaultStornoPolicy, validateStornoPolicy, type StornoPolicy } from '../../domain/billing/storno-policy.js';
import { isoDate, loadInvoice } from './invoice-documents.js';
import { billingSettingsRow, contractById, markBookingApplied, setInvoiceStatus, type ActionGroupRow } from './store.js';

export async function loadInvoiceFacts(em: EntityManager, invoiceId: string): Promise<InvoiceFacts> {
  const inv = await loadInvoice(em, invoiceId);
  const settings = await billingSettingsRow(em, inv.office_id);
  const group = await one<Pick<ActionGroupRow, 'id' | 'actions'>>(
    em,
    `select id, actions from action_groups where office_id = ? and is_default order by created_at limit 1`,
    [inv.office_id],
  );
  let policy: StornoPolicy = defaultStornoPolicy;
  if (settings?.storno_policy) {
    const checked = validateStornoPolicy(settings.storno_policy);
    if (checked.ok) policy = checked.value;
  }
  const contract = inv.contract_id ? await contractById(em, inv.contract_id) : undefined;
  const ladderDone = await one<{ n: string; pay_by: unknown }>(
    em,
    `select count(*) as n, max(pay_by) as pay_by from reminder_executions where invoice_id = ? and key like ?`,
    [invoiceId, `${inv.workflow_id}/reminder:%`],
  );
  const appliedRows = await rows<{ id: string; kind: string }>(em, `select id, unnest(applied) as kind from booking_lines where invoice_id = ?`, [invoiceId]);
  const transferred = await one<{ n: string | null }>(
    em,
    `select sum(amount_cents) as n from booking_lines where invoice_id = ? and kind = 'payment'`,
    [invoiceId],
  );
  const months = contract ? monthsPerPeriod(contract.period) : 0;
  return {
    invoiceId,
    status: inv.status,
    totalCents: inv.total_cents,
    paidCents: inv.paid_cents,
    transferredCents: Number(transferred?.n ?? 0),
    appliedBookings: appliedRows.map((r) => `${r.id}:${r.kind}`),
    dueDate: inv.due_date,
    paymentMethod: inv.payment_method,
    consumer: inv.consumer,
    delivery: inv.delivery,
    reminderMode: settings?.reminder_mode ?? 'workflow',
    ladder: group?.actions ?? defaultReminderLadder.actions,
    ...(group ? { ladderGroupId: group.id } : {}),
    stornoPolicy: policy,
    recollections: inv.recollections,
    remindersDone: Number(ladderDone?.n ?? 0),
    ...(ladderDone?.pay_by ? { letterPayBy: isoDate(ladderDone.pay_by) } : {}),
    mandateFlagged: Boolean(contract?.mandate_flagged_reason),
    ...(contract ? { recurringMonthlyCents: Math.round((contract.amount_cents + vatCents(contract.amount_cents, contract.vat_rate)) / months) } : {}),
  };
}

/** The status and paid amount the workflow decided, with the booking line it applied, in one transaction. */
export async function recordInvoiceStatus(em: EntityManager, input: RecordInvoiceStatusInput): Promise<void> {
  await em.transactional(async (tem) => {
    await setInvoiceStatus(tem, input.invoiceId, input.status, input.paidCents);
    if (input.applied) await markBookingApplied(tem, input.invoiceId, input.applied.bookingId, input.applied.kind);
  });
}
