/**
 * Invoicing a contract (the contract workflow's side effects): its terms as the workflow plans
 * with them, the invoice of one period (amount from the contract, pro rata for a part period,
 * a gapless number per office and year) and issuing it (PDF, then mail or a task for the post).
 *
 * Idempotent: the invoice on its contract-period key, the PDF and the mail on keys derived from
 * the invoice's workflow id, so a retry never invoices or mails twice.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { newId } from '../../db/ids.js';
import { one } from '../../db/sql.js';
import { vatCents } from '../../domain/billing/money.js';
import { nextInvoiceDate, proRataCents } from '../../domain/billing/periods.js';
import { BillingRefusal, type ContractTerms, type CreateContractInvoiceInput, type CreatedInvoice } from '../../domain/billing/side-effects.js';
import { addDays } from '../../domain/dates.js';
import { DomainError } from '../../domain/errors.js';
import { workflowIds } from '../../domain/workflow-ids.js';
import { formatDateNl } from '../dossiers/context.js';
import {
  paymentDetailsOf,
  invoiceTask,
  isoDate,
  loadInvoice,
  loadInvoiceContext,
  mailInvoiceTemplate,
  storeInvoicePdf,
  type BillingDeps,
} from './invoice-documents.js';
import {
  applyPendingAmount,
  contractById,
  insertNumberedInvoice,
  invoiceByKey,
  markInvoiceSent,
  setContractInvoiceDates,
  setInvoicePdf,
  type ContractRow,
} from './store.js';
import { postInvoiceOfBilling } from '../ledger/posting.js';

/** The contract's terms; a contract that is gone is inactive (its workflow ends). */
export async function loadContractTerms(em: EntityManager, contractId: string): Promise<ContractTerms> {
  const c = await contractById(em, contractId);
  if (!c) return { contractId, active: false, startDate: '1970-01-01', period: 'month' };
  // Only issued invoices count as billed: the contract workflow creates an invoice and issues it
  // in one workflow task (local activities), so a lost task leaves a created, never-issued invoice.
  // Planning that period again recreates it idempotently (same key) and issues it.
  const last = await one<{ period_end: unknown }>(
    em,
    `select max(period_end) as period_end from invoices where contract_id = ? and pdf_document_id is not null`,
    [contractId],
  );
  const lastBilledUntil = last?.period_end ? isoDate(last.period_end) : undefined;
  const endDate = c.end_date ? isoDate(c.end_date) : undefined;
  return {
    contractId,
    active: !endDate || !lastBilledUntil || lastBilledUntil < endDate,
    startDate: isoDate(c.start_date),
    ...(endDate ? { endDate } : {}),
    period: c.period,
    ...(lastBilledUntil ? { lastBilledUntil } : {}),
  };
}

/**
 * The invoice of one contract period, once per key (amounts and dates: periodInvoice below),
 * numbered gaplessly.
 */
export async function createContractInvoice(em: EntityManager, input: CreateContractInvoiceInput): Promise<CreatedInvoice> {
  const existing = await invoiceByKey(em, input.key);
  if (existing) {
    return {
      invoiceId: existing.id,
      invoiceWorkflowId: existing.workflow_id,
      number: existing.number,
      totalCents: existing.total_cents,
      dueDate: isoDate(existing.due_date),
      created: false,
    };
  }
  return em.transactional(async (tem) => {
    const c = await contractById(tem, input.contractId, { forUpdate: true });
    if (!c) throw new DomainError('not-found', BillingRefusal.ContractNotFound, `contract ${input.contractId} not found`);
    const creditor = await paymentDetailsOf(tem, c.office_id);
    const p = periodInvoice(c, input, input.invoiceDate, creditor.termDays);
    if (p.promotedAmountCents !== null) await applyPendingAmount(tem, c.id, p.promotedAmountCents);
    const invoiceId = newId();
    const workflowId = workflowIds.invoice(invoiceId);
    await setContractInvoiceDates(tem, c.id, input.invoiceDate, p.nextInvoiceDate ?? null);
    const number = await insertNumberedInvoice(tem, {
      id: invoiceId,
      key: input.key,
      officeId: c.office_id,
      contractId: c.id,
      dossierId: c.dossier_id,
      productId: c.product_id,
      invoiceDate: input.invoiceDate,
      dueDate: p.dueDate,
      periodStart: input.billedFrom,
      periodEnd: p.chargedUntil,
      netCents: p.netCents,
      vatCents: p.vatCents,
      paymentMethod: c.payment_method,
      delivery: c.delivery,
      consumer: c.consumer,
      workflowId,
      line: { description: p.description, netCents: p.netCents, vatRate: c.vat_rate, vatCents: p.vatCents },
    });
    return { invoiceId, invoiceWorkflowId: workflowId, number, totalCents: p.netCents + p.vatCents, dueDate: p.dueDate, created: true };
  });
}

/** What one contract period is invoiced at (periodInvoice). */
export interface PeriodInvoice {
  netCents: number;
  vatCents: number;
  dueDate: string;
  /** The last day charged: the period's last billed day, or the contract's end date when it is earlier. */
  chargedUntil: string;
  /** The line: the contract's description and the days charged. */
  description: string;
  /** The contract's pending amount when this period reaches it (it becomes the contract's amount), else null. */
  promotedAmountCents: number | null;
  /** The next invoice date after this invoice (the product card), none when the contract ends with it. */
  nextInvoiceDate: string | undefined;
}

/**
 * The invoice of one contract period, as both the contract workflow (one at a time) and the
 * invoice run (in chunks) make it: the contract's amount (a pending change applies from its
 * period on and is promoted by the period that reaches it), pro rata by days for a period billed
 * in part, VAT, due after the office's payment term; and the next invoice date that follows.
 */
export function periodInvoice(
  c: ContractRow,
  period: Pick<CreateContractInvoiceInput, 'periodStart' | 'periodEnd' | 'billedFrom' | 'billedUntil'>,
  invoiceDate: string,
  termDays: number,
): PeriodInvoice {
  const pendingFrom = c.pending_from ? isoDate(c.pending_from) : null;
  let amount = Number(c.amount_cents);
  let promoted: number | null = null;
  if (c.pending_amount_cents && pendingFrom && period.periodStart >= pendingFrom) {
    amount = Number(c.pending_amount_cents);
    promoted = amount;
  }
  const endDate = c.end_date ? isoDate(c.end_date) : null;
  const chargedUntil = endDate && endDate < period.billedUntil ? endDate : period.billedUntil;
  const whole = period.billedFrom === period.periodStart && chargedUntil === period.periodEnd;
  const net = whole ? amount : proRataCents(amount, period.periodStart, period.periodEnd, period.billedFrom, chargedUntil);
  const vat = vatCents(net, Number(c.vat_rate));
  const next = nextInvoiceDate({ startDate: isoDate(c.start_date), period: c.period, ...(endDate ? { endDate } : {}) }, chargedUntil, invoiceDate);
  return {
    netCents: net,
    vatCents: vat,
    dueDate: addDays(invoiceDate, termDays),
    chargedUntil,
    description: `${c.description} ${formatDateNl(period.billedFrom)} t/m ${formatDateNl(chargedUntil)}`,
    promotedAmountCents: promoted,
    nextInvoiceDate: next,
  };
}

/**
 * Issues the invoice: stores its PDF, then mails it, or (by letter, or nobody has an e-mail
 * address) gives the back office a task to post it; an open invoice becomes `sent`.
 */
export async function issueInvoice(em: EntityManager, deps: BillingDeps, invoiceId: string): Promise<{ documentId: string }> {
  const inv = await loadInvoice(em, invoiceId);
  const ic = await loadInvoiceContext(em, inv);
  const documentId = await storeInvoicePdf(
    em,
    deps,
    ic,
    { template: 'invoice-document', key: `${inv.workflow_id}/pdf`, documentType: 'factuur', filename: `factuur-${inv.number}.pdf` },
    {},
  );
  await setInvoicePdf(em, invoiceId, documentId);
  if (inv.delivery === 'letter') {
    await invoiceTask(em, deps, inv, `${inv.workflow_id}/post`, `Factuur ${inv.number} per post versturen`, inv.invoice_date);
  } else {
    const mailId = await mailInvoiceTemplate(em, deps, ic, 'invoice', `${inv.workflow_id}/mail`, {});
    if (!mailId) await invoiceTask(em, deps, inv, `${inv.workflow_id}/post`, `Factuur ${inv.number} per post versturen (geen e-mailadres)`, inv.invoice_date);
  }
  // Booked in the RC ledger before it counts as sent, so a sent invoice of a participant is always booked (once: its key).
  await postInvoiceOfBilling(em, invoiceId);
  await markInvoiceSent(em, invoiceId);
  return { documentId };
}
