/**
 * Billing activities: invoices made from contracts (gapless numbers, PDF, mail), invoice
 * status bookkeeping, re-collection and mandate flags after a storno, and reminder actions
 * (mail, 14-dagenbrief letter with the statutory costs and term, task, hand-over).
 *
 * Every write is idempotent: the invoice on its contract-period key, the PDF and mail on keys
 * derived from the invoice, a reminder action on its execution key (unique), so a retried
 * activity never invoices, mails or writes a letter twice.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { Document } from '../db/entities/index.js';
import { insertDocumentOnce, insertTaskOnce } from '../services/work/store.js';
import { isoDate as columnDate } from '../db/column-values.js';
import { newId } from '../db/ids.js';
import { addDays, todayInAmsterdam } from '../domain/dates.js';
import { collectionCosts } from '../domain/billing/collection-costs.js';
import { fourteenDayTerm, FOURTEEN_DAY_PHRASE } from '../domain/billing/fourteen-day-letter.js';
import { formatEuro, vatCents } from '../domain/billing/money.js';
import { nextInvoiceDate, proRataCents } from '../domain/billing/periods.js';
import { defaultReminderLadder, type ReminderAction } from '../domain/billing/reminder-ladder.js';
import { defaultStornoPolicy, validateStornoPolicy, type StornoPolicy } from '../domain/billing/storno-policy.js';
import { renderDocumentPdf } from '../integrations/pdf/render.js';
import type { Mailer } from '../integrations/mail/transport.js';
import { workflowIds } from '../domain/workflow-ids.js';
import {
  BillingActivityFailure,
  type BillingActivities,
  type ContractTerms,
  type CreateContractInvoiceInput,
  type CreatedInvoice,
  type ExecuteReminderActionInput,
  type ExecutedReminderAction,
  type InvoiceFacts,
} from './billing.contract.js';
import { sendMailOnce } from '../services/work/mail-outbox.js';
import { paragraphsOf, renderTemplate } from '../services/templates/render.js';
import { contextData, formatDateNl, loadDossierContext, personData, type DossierContext } from '../services/dossiers/context.js';
import { loadTemplate, renderOrFail } from '../services/templates/load.js';
import { withFailureTypes } from './failures.js';

export interface BillingActivitiesDeps {
  orm: MikroORM;
  mailer: Mailer;
  settings: { mailFrom: string };
  now?: () => Date;
}

/** Statuses after which nothing is reminded any more. */
const settledStatuses = new Set(['paid', 'collected', 'credited', 'handed_over']);

interface ContractRow {
  id: string;
  office_id: string;
  product_id: string;
  dossier_id: string;
  description: string;
  amount_cents: number;
  vat_rate: number;
  period: 'month' | 'quarter' | 'year';
  start_date: string;
  end_date: string | null;
  payment_method: 'sepa' | 'transfer';
  mandate_id: string | null;
  debtor_iban: string | null;
  delivery: 'email' | 'letter';
  consumer: boolean;
  pending_amount_cents: number | null;
  pending_from: string | null;
}

interface InvoiceRow {
  id: string;
  office_id: string;
  contract_id: string | null;
  dossier_id: string;
  product_id: string | null;
  number: string;
  invoice_date: string;
  due_date: string;
  period_start: string | null;
  period_end: string | null;
  net_cents: number;
  vat_cents: number;
  total_cents: number;
  paid_cents: number;
  costs_cents: number;
  status: string;
  payment_method: 'sepa' | 'transfer';
  delivery: 'email' | 'letter';
  consumer: boolean;
  recollections: number;
  pdf_document_id: string | null;
  workflow_id: string;
}

/** What an invoice's PDF and mails are rendered from (loadInvoiceContext). */
interface InvoiceContext {
  inv: InvoiceRow;
  dossier: DossierContext;
  lines: { description: string; net_cents: number; vat_rate: number }[];
  creditor: { iban: string; name: string | null; termDays: number };
  contract?: { mandate_id: string | null; debtor_iban: string | null; description: string };
}

function fail(type: string, message: string): ApplicationFailure {
  return ApplicationFailure.create({ type, message, nonRetryable: true });
}

/** A date column that is never null here (due date, start date, a max() that was checked). */
function isoDate(value: unknown): string {
  return columnDate(value) ?? '';
}

function maskIban(iban: string | null): string {
  if (!iban) return '';
  return `${iban.slice(0, 4)} **** ${iban.slice(-4)}`;
}

export function createBillingActivities(deps: BillingActivitiesDeps): BillingActivities {
  const now = deps.now ?? (() => new Date());
  const fork = (): EntityManager => deps.orm.em.fork();

  async function loadInvoice(em: EntityManager, invoiceId: string): Promise<InvoiceRow> {
    const [row] = await em.execute<InvoiceRow[]>(`select * from invoices where id = ?`, [invoiceId]);
    if (!row) throw fail(BillingActivityFailure.NotFound, `invoice ${invoiceId} not found`);
    return { ...row, invoice_date: isoDate(row.invoice_date), due_date: isoDate(row.due_date) };
  }

  async function creditorOf(em: EntityManager, officeId: string): Promise<{ iban: string; name: string | null; termDays: number }> {
    const [s] = await em.execute<{ creditor_iban: string | null; creditor_name: string | null; payment_term_days: number }[]>(
      `select creditor_iban, creditor_name, payment_term_days from office_billing_settings where office_id = ?`,
      [officeId],
    );
    return { iban: s?.creditor_iban ?? '(rekeningnummer op aanvraag)', name: s?.creditor_name ?? null, termDays: s?.payment_term_days ?? 14 };
  }

  /**
   * Everything an invoice's documents and mails are made of, loaded once per activity: the
   * dossier context, the lines, the creditor and the contract's mandate. (Loading it per
   * template cost the issue step about twenty extra queries per invoice.)
   */
  async function loadInvoiceContext(em: EntityManager, inv: InvoiceRow): Promise<InvoiceContext> {
    const dossier = await loadDossierContext(em, inv.dossier_id, inv.product_id ?? undefined);
    const lines = await em.execute<InvoiceContext['lines']>(
      `select description, net_cents, vat_rate from invoice_lines where invoice_id = ? order by position`,
      [inv.id],
    );
    const creditor = await creditorOf(em, inv.office_id);
    const [contract] = inv.contract_id
      ? await em.execute<NonNullable<InvoiceContext['contract']>[]>(
          `select mandate_id, debtor_iban, description from contracts where id = ?`,
          [inv.contract_id],
        )
      : [];
    return { inv, dossier, lines, creditor, ...(contract ? { contract } : {}) };
  }

  /** Template data of an invoice: rendered here, never sent to Temporal. */
  function invoiceData(ic: InvoiceContext): Record<string, unknown> {
    const { inv, contract, creditor, lines } = ic;
    const data = contextData(ic.dossier, now());
    const open = Math.max(0, inv.total_cents + inv.costs_cents - inv.paid_cents);
    const paymentText =
      inv.payment_method === 'sepa'
        ? `Het bedrag wordt op of rond ${formatDateNl(inv.due_date)} automatisch afgeschreven van rekening ${maskIban(contract?.debtor_iban ?? null)} (machtiging ${contract?.mandate_id ?? ''}).`
        : `Graag uiterlijk ${formatDateNl(inv.due_date)} overmaken naar ${creditor.iban} ten name van ${ic.dossier.office.name}, onder vermelding van ${inv.number}.`;
    data.creditor = { iban: creditor.iban };
    data.invoice = {
      number: inv.number,
      date: formatDateNl(inv.invoice_date),
      dueDate: formatDateNl(inv.due_date),
      period: inv.period_start && inv.period_end ? `${formatDateNl(isoDate(inv.period_start))} t/m ${formatDateNl(isoDate(inv.period_end))}` : '-',
      description: contract?.description ?? lines[0]?.description ?? 'onze dienstverlening',
      lines: lines.map((l) => `- ${l.description}: ${formatEuro(l.net_cents)} (btw ${l.vat_rate}%)`).join('\n'),
      net: formatEuro(inv.net_cents),
      vat: formatEuro(inv.vat_cents),
      total: formatEuro(inv.total_cents),
      open: formatEuro(open),
      paymentText,
    };
    return data;
  }

  /** Sends a templated mail to the first applicant with an e-mail address; idempotent on `key`. */
  async function mailInvoiceTemplate(em: EntityManager, ic: InvoiceContext, template: string, key: string, extra: Record<string, unknown>): Promise<string | null> {
    const { inv } = ic;
    const recipient = ic.dossier.applicants.find((a) => a.person.email && a.person.email.includes('@'));
    if (!recipient) return null;
    const t = await loadTemplate(em, template, 'mail');
    const data = { ...invoiceData(ic), ...extra, recipient: personData(recipient.person) };
    const subject = renderOrFail(() => renderTemplate(t.subject ?? template, data, { context: 'text', name: template }));
    const body = renderOrFail(() => renderTemplate(t.body, data, { context: 'text', name: template }));
    return sendMailOnce(
      em,
      deps.mailer,
      { key, dossierId: inv.dossier_id, productId: inv.product_id, template, toAddress: recipient.person.email!, subject, bodyText: body },
      deps.settings.mailFrom,
    );
  }

  /** Renders a document template to a stored PDF; idempotent on `key`. */
  async function storePdf(em: EntityManager, ic: InvoiceContext, template: string, key: string, documentType: string, filename: string, extra: Record<string, unknown>): Promise<string> {
    const { inv } = ic;
    const existing = await em.findOne(Document, { key }, { fields: ['id'] });
    if (existing) return existing.id;
    const office = ic.dossier.office.name;
    const t = await loadTemplate(em, template, 'document');
    const data = { ...invoiceData(ic), ...extra };
    const title = renderOrFail(() => renderTemplate(t.subject ?? template, data, { context: 'text', name: template }));
    const body = renderOrFail(() => renderTemplate(t.body, data, { context: 'text', name: template }));
    const pdf = Buffer.from(
      await renderDocumentPdf({ title, paragraphs: paragraphsOf(body), author: office, subject: title, footer: `${office} - ${inv.number}`, createdAt: now() }),
    );
    return insertDocumentOnce(em, {
      key,
      officeId: inv.office_id,
      dossierId: inv.dossier_id,
      productId: inv.product_id,
      documentType,
      filename,
      contentType: 'application/pdf',
      content: pdf,
      createdAt: now(),
    });
  }

  async function task(em: EntityManager, inv: InvoiceRow, key: string, title: string, dueDate: string | null): Promise<string> {
    return insertTaskOnce(em, {
      key,
      officeId: inv.office_id,
      dossierId: inv.dossier_id,
      productId: inv.product_id,
      title,
      assignee: 'backoffice',
      dueDate,
      createdAt: now(),
    });
  }

  return withFailureTypes({
    async loadContractTerms({ contractId }): Promise<ContractTerms> {
      const em = fork();
      const [c] = await em.execute<ContractRow[]>(`select * from contracts where id = ?`, [contractId]);
      if (!c) return { contractId, active: false, startDate: '1970-01-01', period: 'month' };
      // Only issued invoices count as billed: the contract workflow creates an invoice and issues it
      // in one workflow task (local activities), so a lost task leaves a created, never-issued invoice.
      // Planning that period again recreates it idempotently (same key) and issues it.
      const [last] = await em.execute<{ period_end: unknown }[]>(
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
    },

    async createContractInvoice(input: CreateContractInvoiceInput): Promise<CreatedInvoice> {
      const em = fork();
      const existing = await em.execute<InvoiceRow[]>(`select * from invoices where key = ?`, [input.key]);
      if (existing[0]) {
        const e = existing[0];
        return { invoiceId: e.id, invoiceWorkflowId: e.workflow_id, number: e.number, totalCents: e.total_cents, dueDate: isoDate(e.due_date), created: false };
      }
      return em.transactional(async (tem) => {
        const [c] = await tem.execute<ContractRow[]>(`select * from contracts where id = ? for update`, [input.contractId]);
        if (!c) throw fail(BillingActivityFailure.NotFound, `contract ${input.contractId} not found`);
        // A change of amount applies from its period on; the period that reaches it promotes it.
        const pendingFrom = c.pending_from ? isoDate(c.pending_from) : null;
        let amount = c.amount_cents;
        if (c.pending_amount_cents && pendingFrom && input.periodStart >= pendingFrom) {
          amount = c.pending_amount_cents;
          await tem.execute(`update contracts set amount_cents = ?, pending_amount_cents = null, pending_from = null where id = ?`, [amount, c.id]);
        }
        // A period billed in part (the contract starts or ends inside it) is charged pro rata by days.
        const endDate = c.end_date ? isoDate(c.end_date) : null;
        const chargedUntil = endDate && endDate < input.billedUntil ? endDate : input.billedUntil;
        const whole = input.billedFrom === input.periodStart && chargedUntil === input.periodEnd;
        const net = whole ? amount : proRataCents(amount, input.periodStart, input.periodEnd, input.billedFrom, chargedUntil);
        const vat = vatCents(net, c.vat_rate);
        const year = Number(input.invoiceDate.slice(0, 4));
        const creditor = await creditorOf(tem, c.office_id);
        const dueDate = addDays(input.invoiceDate, creditor.termDays);
        const invoiceId = newId();
        const workflowId = workflowIds.invoice(invoiceId);
        const next = nextInvoiceDate({ startDate: isoDate(c.start_date), period: c.period, ...(endDate ? { endDate } : {}) }, chargedUntil, input.invoiceDate);
        await tem.execute(`update contracts set last_invoice_date = ?, next_invoice_date = ?, updated_at = now() where id = ?`, [
          input.invoiceDate, next ?? null, c.id,
        ]);
        // Gapless per office per year: the counter moves in the same transaction as the invoice.
        // Every invoice of the office queues on the counter row until the commit, so it is taken
        // last, in the statement that writes the invoice: the lock lasts two statements and the commit.
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
          [c.office_id, year, invoiceId, input.key, c.office_id, c.id, c.dossier_id, c.product_id, String(year), input.invoiceDate, dueDate, input.billedFrom, chargedUntil,
            net, vat, net + vat, c.payment_method, c.delivery, c.consumer, workflowId],
        );
        const number = created!.number;
        await tem.execute(
          `insert into invoice_lines (id, invoice_id, position, description, net_cents, vat_rate, vat_cents) values (?, ?, 1, ?, ?, ?, ?)`,
          [newId(), invoiceId, `${c.description} ${formatDateNl(input.billedFrom)} t/m ${formatDateNl(chargedUntil)}`, net, c.vat_rate, vat],
        );
        return { invoiceId, invoiceWorkflowId: workflowId, number, totalCents: net + vat, dueDate, created: true };
      });
    },

    async issueInvoice({ invoiceId }): Promise<{ documentId: string }> {
      const em = fork();
      const inv = await loadInvoice(em, invoiceId);
      const ic = await loadInvoiceContext(em, inv);
      const documentId = await storePdf(em, ic, 'invoice-document', `${inv.workflow_id}/pdf`, 'factuur', `factuur-${inv.number}.pdf`, {});
      await em.execute(`update invoices set pdf_document_id = ? where id = ? and pdf_document_id is null`, [documentId, invoiceId]);
      if (inv.delivery === 'letter') {
        await task(em, inv, `${inv.workflow_id}/post`, `Factuur ${inv.number} per post versturen`, inv.invoice_date);
      } else {
        const mailId = await mailInvoiceTemplate(em, ic, 'invoice', `${inv.workflow_id}/mail`, {});
        if (!mailId) await task(em, inv, `${inv.workflow_id}/post`, `Factuur ${inv.number} per post versturen (geen e-mailadres)`, inv.invoice_date);
      }
      await em.execute(`update invoices set status = 'sent', updated_at = now() where id = ? and status = 'open'`, [invoiceId]);
      return { documentId };
    },

    async loadInvoiceFacts({ invoiceId }): Promise<InvoiceFacts> {
      const em = fork();
      const inv = await loadInvoice(em, invoiceId);
      const [settings] = await em.execute<{ reminder_mode: 'workflow' | 'module'; storno_policy: unknown }[]>(
        `select reminder_mode, storno_policy from office_billing_settings where office_id = ?`,
        [inv.office_id],
      );
      const [group] = await em.execute<{ id: string; actions: ReminderAction[] }[]>(
        `select id, actions from action_groups where office_id = ? and is_default order by created_at limit 1`,
        [inv.office_id],
      );
      let policy: StornoPolicy = defaultStornoPolicy;
      if (settings?.storno_policy) {
        const checked = validateStornoPolicy(settings.storno_policy);
        if (checked.ok) policy = checked.value;
      }
      const [contract] = inv.contract_id
        ? await em.execute<{ amount_cents: number; vat_rate: number; period: string; mandate_flagged_reason: string | null }[]>(
            `select amount_cents, vat_rate, period, mandate_flagged_reason from contracts where id = ?`,
            [inv.contract_id],
          )
        : [];
      const [ladderDone] = await em.execute<{ n: string; pay_by: unknown }[]>(
        `select count(*) as n, max(pay_by) as pay_by from reminder_executions where invoice_id = ? and key like ?`,
        [invoiceId, `${inv.workflow_id}/reminder:%`],
      );
      const appliedRows = await em.execute<{ id: string; kind: string }[]>(
        `select id, unnest(applied) as kind from booking_lines where invoice_id = ?`,
        [invoiceId],
      );
      const [transferred] = await em.execute<{ n: string | null }[]>(
        `select sum(amount_cents) as n from booking_lines where invoice_id = ? and kind = 'payment'`,
        [invoiceId],
      );
      const months = contract ? ({ month: 1, quarter: 3, year: 12 } as Record<string, number>)[contract.period] ?? 1 : 0;
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
    },

    async recordInvoiceStatus({ invoiceId, status, paidCents, applied }): Promise<void> {
      await fork().transactional(async (tem) => {
        await tem.execute(`update invoices set status = ?, paid_cents = ?, updated_at = now() where id = ?`, [status, paidCents, invoiceId]);
        if (applied) {
          await tem.execute(
            `update booking_lines set applied = array_append(applied, ?) where id = ? and invoice_id = ? and not (? = any(applied))`,
            [applied.kind, applied.bookingId, invoiceId, applied.kind],
          );
        }
      });
    },

    async scheduleRecollection({ invoiceId, recollection, sequenceType }): Promise<void> {
      // Out of the last export, with a fresh EndToEndId next time; only the first call per recollection counts.
      await fork().execute(
        `update invoices set export_id = null, end_to_end_id = null, sequence_type = ?, recollections = ?, status = 'open', updated_at = now()
         where id = ? and recollections < ?`,
        [sequenceType, recollection, invoiceId, recollection],
      );
    },

    async flagMandate({ invoiceId, reasonCode, key }): Promise<void> {
      const em = fork();
      const inv = await loadInvoice(em, invoiceId);
      if (inv.contract_id) {
        await em.execute(`update contracts set mandate_flagged_reason = ?, updated_at = now() where id = ? and mandate_flagged_reason is null`, [
          `storno ${reasonCode} op factuur ${inv.number}`, inv.contract_id,
        ]);
      }
      await task(em, inv, key, `Machtiging controleren: incasso van factuur ${inv.number} gestorneerd (${reasonCode}), niet opnieuw incasseren`, null);
    },

    async executeReminderAction(input: ExecuteReminderActionInput): Promise<ExecutedReminderAction> {
      const em = fork();
      const done = await em.execute<{ id: string; status_after: string; pay_by: unknown; costs_cents: number }[]>(
        `select id, status_after, pay_by, costs_cents from reminder_executions where key = ?`,
        [input.key],
      );
      if (done[0]) {
        const d = done[0];
        return { executionId: d.id, statusAfter: d.status_after, ...(d.pay_by ? { payBy: isoDate(d.pay_by) } : {}), costsCents: d.costs_cents };
      }
      const inv = await loadInvoice(em, input.invoiceId);
      let action = input.action;
      if (!action && input.actionGroupId !== undefined && input.actionIndex !== undefined) {
        const [group] = await em.execute<{ actions: ReminderAction[] }[]>(`select actions from action_groups where id = ? and office_id = ?`, [
          input.actionGroupId, inv.office_id,
        ]);
        action = group?.actions[input.actionIndex];
      }
      if (!action) throw fail(BillingActivityFailure.NotFound, `reminder action ${input.actionGroupId ?? ''}#${input.actionIndex ?? ''} not found`);
      if (settledStatuses.has(inv.status)) {
        throw fail(BillingActivityFailure.NotRemindable, `invoice ${inv.number} is ${inv.status}: no ${action.name}`);
      }
      const open = Math.max(0, inv.total_cents + inv.costs_cents - inv.paid_cents);
      let documentId: string | null = null;
      let mailId: string | null = null;
      let taskId: string | null = null;
      let payBy: string | undefined;
      let costs = 0;
      const today = now();
      switch (action.type) {
        case 'mail':
          mailId = await mailInvoiceTemplate(em, await loadInvoiceContext(em, inv), action.template ?? 'reminder-1', `${input.key}/mail`, { storno: { reason: input.stornoReason ?? '' } });
          if (!mailId) taskId = await task(em, inv, `${input.key}/task`, `${action.name} voor factuur ${inv.number} per post versturen (geen e-mailadres)`, null);
          break;
        case 'letter': {
          const channel = inv.delivery === 'email' ? 'email' : 'post';
          const sentOn = todayInAmsterdam(today);
          const term = fourteenDayTerm({ sentOn, channel });
          payBy = term.payBy;
          if (action.fourteenDayLetter) {
            costs = inv.consumer
              ? collectionCosts({ principalCents: open, ...(input.recurringMonthlyCents ? { recurringMonthlyCents: input.recurringMonthlyCents } : {}) }).costsCents
              : 0;
          }
          const letter = {
            term: FOURTEEN_DAY_PHRASE,
            payBy: formatDateNl(term.payBy),
            costs: formatEuro(costs),
            totalWithCosts: formatEuro(open + costs),
          };
          const ic = await loadInvoiceContext(em, inv);
          documentId = await storePdf(em, ic, action.template ?? 'fourteen-day-letter', `${input.key}/letter`, 'aanmaning', `aanmaning-${inv.number}.pdf`, { letter });
          if (channel === 'email') mailId = await mailInvoiceTemplate(em, ic, 'fourteen-day-letter-mail', `${input.key}/mail`, { letter });
          else taskId = await task(em, inv, `${input.key}/post`, `${action.name} voor factuur ${inv.number} per post versturen`, sentOn);
          break;
        }
        case 'task':
          taskId = await task(em, inv, `${input.key}/task`, `${action.name}: factuur ${inv.number} (${formatEuro(open)} open)`, null);
          break;
        case 'handover':
          taskId = await task(em, inv, `${input.key}/task`, `Factuur ${inv.number} overdragen aan het incassobureau (${formatEuro(open)} open)`, null);
          break;
      }
      const executionId = newId();
      const statusAfter = input.notification ? inv.status : action.statusAfter;
      await em.transactional(async (tem) => {
        await tem.execute(
          `insert into reminder_executions (id, key, office_id, invoice_id, run_id, action_group_id, action_name, action_type, status_after,
             costs_cents, pay_by, document_id, mail_id, task_id, created_by, processed_at)
           values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now()) on conflict (key) do nothing`,
          [executionId, input.key, inv.office_id, inv.id, input.runId ?? null, input.actionGroupId ?? null, action.name, action.type, statusAfter,
            costs, payBy ?? null, documentId, mailId, taskId, input.actor],
        );
        await tem.execute(`update invoices set status = ?, costs_cents = greatest(costs_cents, ?), updated_at = now() where id = ?`, [
          statusAfter, costs, inv.id,
        ]);
      });
      const [row] = await em.execute<{ id: string }[]>(`select id from reminder_executions where key = ?`, [input.key]);
      return { executionId: row!.id, statusAfter, ...(payBy ? { payBy } : {}), costsCents: costs };
    },
  });
}
