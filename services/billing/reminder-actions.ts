/**
 * One reminder action on one invoice, from the workflow's ladder, a storno notification or a
 * run of the reminder module: a mail, the 14-dagenbrief letter (with the statutory collection
 * costs and term), a task, or the hand-over to the collection agency. Recorded once per key in
 * `reminder_executions` (a retry answers the first execution), with the invoice's status after.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { collectionCosts } from '../../domain/billing/collection-costs.js';
import { fourteenDayTerm, FOURTEEN_DAY_PHRASE } from '../../domain/billing/fourteen-day-letter.js';
import { formatEuro } from '../../domain/billing/money.js';
import { BillingRefusal, type ExecuteReminderActionInput, type ExecutedReminderAction } from '../../domain/billing/side-effects.js';
import type { InvoiceStatus } from '../../domain/billing/closed-lists.js';
import { todayInAmsterdam } from '../../domain/dates.js';
import { DomainError } from '../../domain/errors.js';
import { one } from '../../db/sql.js';
import { formatDateNl } from '../dossiers/context.js';
import {
  invoiceTask,
  isoDate,
  loadInvoice,
  loadInvoiceContext,
  mailInvoiceTemplate,
  storeInvoicePdf,
  type BillingDeps,
} from './invoice-documents.js';
import { openCentsOf } from './invoices.js';
import { recordReminderExecution, reminderExecutionByKey, type ActionGroupRow } from './store.js';

/** Statuses after which nothing is reminded any more. */
const settledStatuses: ReadonlySet<InvoiceStatus> = new Set(['paid', 'collected', 'credited', 'handed_over']);

export async function executeReminderAction(em: EntityManager, deps: BillingDeps, input: ExecuteReminderActionInput): Promise<ExecutedReminderAction> {
  const done = await reminderExecutionByKey(em, input.key);
  if (done) {
    return { executionId: done.id, statusAfter: done.status_after, ...(done.pay_by ? { payBy: isoDate(done.pay_by) } : {}), costsCents: done.costs_cents };
  }
  const inv = await loadInvoice(em, input.invoiceId);
  let action = input.action;
  if (!action && input.actionGroupId !== undefined && input.actionIndex !== undefined) {
    const group = await one<Pick<ActionGroupRow, 'actions'>>(em, `select actions from action_groups where id = ? and office_id = ?`, [
      input.actionGroupId,
      inv.office_id,
    ]);
    action = group?.actions[input.actionIndex];
  }
  if (!action) {
    throw new DomainError('not-found', BillingRefusal.ReminderActionNotFound, `reminder action ${input.actionGroupId ?? ''}#${input.actionIndex ?? ''} not found`);
  }
  if (settledStatuses.has(inv.status)) {
    throw new DomainError('conflict', BillingRefusal.NotRemindable, `invoice ${inv.number} is ${inv.status}: no ${action.name}`);
  }
  const open = openCentsOf(inv);
  let documentId: string | null = null;
  let mailId: string | null = null;
  let taskId: string | null = null;
  let payBy: string | undefined;
  let costs = 0;
  const today = deps.now();
  switch (action.type) {
    case 'mail':
      mailId = await mailInvoiceTemplate(em, deps, await loadInvoiceContext(em, inv), action.template ?? 'reminder-1', `${input.key}/mail`, {
        storno: { reason: input.stornoReason ?? '' },
      });
      if (!mailId) taskId = await invoiceTask(em, deps, inv, `${input.key}/task`, `${action.name} voor factuur ${inv.number} per post versturen (geen e-mailadres)`, null);
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
      documentId = await storeInvoicePdf(
        em,
        deps,
        ic,
        { template: action.template ?? 'fourteen-day-letter', key: `${input.key}/letter`, documentType: 'aanmaning', filename: `aanmaning-${inv.number}.pdf` },
        { letter },
      );
      if (channel === 'email') mailId = await mailInvoiceTemplate(em, deps, ic, 'fourteen-day-letter-mail', `${input.key}/mail`, { letter });
      else taskId = await invoiceTask(em, deps, inv, `${input.key}/post`, `${action.name} voor factuur ${inv.number} per post versturen`, sentOn);
      break;
    }
    case 'task':
      taskId = await invoiceTask(em, deps, inv, `${input.key}/task`, `${action.name}: factuur ${inv.number} (${formatEuro(open)} open)`, null);
      break;
    case 'handover':
      taskId = await invoiceTask(em, deps, inv, `${input.key}/task`, `Factuur ${inv.number} overdragen aan het incassobureau (${formatEuro(open)} open)`, null);
      break;
  }
  const statusAfter = input.notification ? inv.status : action.statusAfter;
  const executionId = await recordReminderExecution(em, {
    key: input.key,
    officeId: inv.office_id,
    invoiceId: inv.id,
    runId: input.runId ?? null,
    actionGroupId: input.actionGroupId ?? null,
    actionName: action.name,
    actionType: action.type,
    statusAfter,
    costsCents: costs,
    payBy: payBy ?? null,
    documentId,
    mailId,
    taskId,
    createdBy: input.actor,
  });
  return { executionId, statusAfter, ...(payBy ? { payBy } : {}), costsCents: costs };
}
