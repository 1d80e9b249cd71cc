/**
 * The invoice workflow's bookkeeping: the facts it (re)starts from (status, amounts, the money
 * ledger of the booking lines applied so far, what was reminded, the office's reminder mode,
 * ladder and storno policy), and the status it decided, written back with the booking line it
 * applied (marked on the line, so a booking delivered twice never counts twice, also in a later
 * run of the workflow) and the invoice's part of its client's credit balance.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { centsOf } from '../../db/column-values.js';
import { one, rows } from '../../db/sql.js';
import { formatEuro } from '../../domain/billing/money.js';
import { ledgerOfBookings } from '../../domain/billing/invoice-status.js';
import { monthsPerPeriod } from '../../domain/billing/periods.js';
import { vatCents } from '../../domain/billing/money.js';
import { defaultReminderLadder } from '../../domain/billing/reminder-ladder.js';
import type { InvoiceFacts, RecordInvoiceStatusInput } from '../../domain/billing/side-effects.js';
import { defaultStornoPolicy, validateStornoPolicy, type StornoPolicy } from '../../domain/billing/storno-policy.js';
import { isoDate, loadInvoice } from './invoice-documents.js';
import { insertTaskOnce } from '../work/store.js';
import { billingSettingsRow, contractById, markBookingApplied, setInvoiceCredit, setInvoiceStatus, type ActionGroupRow } from './store.js';

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
  const appliedLines = await rows<{ id: string; applied: string[]; amount_cents: number; reference: string | null }>(
    em,
    `select id, applied, amount_cents, reference from booking_lines where invoice_id = ? and cardinality(applied) > 0 order by created_at, key`,
    [invoiceId],
  );
  const transferred = await one<{ n: string | null }>(
    em,
    `select sum(amount_cents) as n from booking_lines where invoice_id = ? and kind = 'payment'`,
    [invoiceId],
  );
  const ledger = ledgerOfBookings(
    appliedLines.map((l) => ({ bookingId: l.id, applied: l.applied, amountCents: centsOf(l.amount_cents), reference: l.reference })),
  );
  const months = contract ? monthsPerPeriod(contract.period) : 0;
  return {
    invoiceId,
    status: inv.status,
    totalCents: centsOf(inv.total_cents),
    paidCents: centsOf(inv.paid_cents),
    transferredCents: centsOf(transferred?.n),
    costsCents: centsOf(inv.costs_cents),
    ledger,
    appliedBookings: appliedLines.flatMap((l) => l.applied.map((kind) => `${l.id}:${kind}`)),
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
    ...(contract ? { recurringMonthlyCents: Math.round((centsOf(contract.amount_cents) + vatCents(centsOf(contract.amount_cents), contract.vat_rate)) / months) } : {}),
  };
}

/**
 * The status and paid amount the workflow decided, with the booking line it applied and the
 * invoice's part of its client's credit, in one transaction. When money beyond what is owed
 * first arrives, the back office gets one task per invoice: refund it or offset it
 * (POST /billing/client-credits/{dossierId}/refunds | offsets).
 */
export async function recordInvoiceStatus(em: EntityManager, input: RecordInvoiceStatusInput): Promise<void> {
  await em.transactional(async (tem) => {
    await setInvoiceStatus(tem, input.invoiceId, input.status, input.paidCents);
    if (input.creditCents !== undefined) {
      const credit = await setInvoiceCredit(tem, input.invoiceId, input.creditCents, 'system');
      if (credit.after > credit.before && credit.after > 0) await creditTask(tem, input.invoiceId, credit.after);
      if (credit.after < credit.before) await owedBackTask(tem, input.invoiceId);
    }
    if (input.applied) await markBookingApplied(tem, input.invoiceId, input.applied.bookingId, input.applied.kind);
  });
}

/** "Tegoed terugbetalen of verrekenen": once per invoice (key `invoice:<id>/client-credit`). */
async function creditTask(tem: EntityManager, invoiceId: string, creditCents: number): Promise<void> {
  const inv = await loadInvoice(tem, invoiceId);
  await insertTaskOnce(tem, {
    key: `invoice:${invoiceId}/client-credit`,
    officeId: inv.office_id,
    dossierId: inv.dossier_id,
    productId: inv.product_id,
    title: `Tegoed van ${formatEuro(creditCents)} op factuur ${inv.number}: terugbetalen of verrekenen`,
    assignee: 'backoffice',
    dueDate: null,
    createdAt: new Date(),
  });
}

/**
 * A return took back money that was the client's credit, after (part of) that credit was refunded
 * or offset already: the client's balance is below zero, the client owes it again. Never
 * absorbed silently: the back office gets a task (once per invoice) to claim it.
 */
async function owedBackTask(tem: EntityManager, invoiceId: string): Promise<void> {
  const inv = await loadInvoice(tem, invoiceId);
  const balance = centsOf(
    (await one<{ n: unknown }>(tem, 'select coalesce(sum(amount_cents), 0) as n from client_credits where dossier_id = ?', [inv.dossier_id]))?.n,
  );
  if (balance >= 0) return;
  await insertTaskOnce(tem, {
    key: `invoice:${invoiceId}/client-credit-owed`,
    officeId: inv.office_id,
    dossierId: inv.dossier_id,
    productId: inv.product_id,
    title: `Tegoed teruggeboekt na factuur ${inv.number}: de klant is ${formatEuro(-balance)} verschuldigd (al terugbetaald of verrekend)`,
    assignee: 'backoffice',
    dueDate: null,
    createdAt: new Date(),
  });
}
