/**
 * The reminder module: action groups (*actiegroepen*) and runs of one action over a selection
 * of overdue invoices. Each invoice's action runs through its workflow's `runReminderAction`
 * Update, whose validator refuses invoices that may not be reminded (paid meanwhile, credited,
 * handed over); the refusal is recorded per invoice with its reason.
 *
 * One mode per office (DOMAIN process 5): with reminderMode 'workflow' the invoice workflows
 * run the ladder themselves and a run is refused (409), so no client gets two reminders.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { newId } from '../../db/ids.js';
import { todayInAmsterdam } from '../../domain/dates.js';
import type { InvoiceStatus } from '../../domain/billing/closed-lists.js';
import { validateLadder, type ReminderAction } from '../../domain/billing/reminder-ladder.js';
import type {
  ActionGroupInput,
  ActionGroupView,
  ReminderRunCreate,
  ReminderRunFilter,
  ReminderRunResultItem,
  ReminderRunView,
} from './schemas.js';
import type { Principal } from '../../domain/roles.js';
import type { TemporalDeps } from '../../integrations/temporal/connection.js';
import { DomainError, refuse } from '../../domain/errors.js';
import { isoInstant, looksLikeUuid, one, rows } from '../../db/sql.js';
import { executionView, executionsWhere } from './invoices.js';
import { reminderModeOf } from './settings.js';
import {
  actionGroupColumns,
  clearOtherDefaultGroups,
  insertActionGroup,
  insertReminderRun,
  markInvoicesFollowed,
  reminderRunColumns,
  replaceActionGroup,
  setReminderRunResults,
  type ActionGroupRow,
  type ReminderRunRow,
} from './store.js';
import { runReminderAction, type ReminderActionOutcome } from './workflows.js';

// ---- action groups -------------------------------------------------------------------------

function groupView(g: ActionGroupRow): ActionGroupView {
  return {
    id: g.id,
    name: g.name,
    actions: g.actions.map((a) => ({ ...a })),
    isDefault: g.is_default,
    createdAt: isoInstant(g.created_at) ?? '',
    updatedAt: isoInstant(g.updated_at) ?? '',
  };
}

/** The actions as a ladder (domain rules: ascending days, escalation never down, hand-over last, 14-dagenbrief first). */
function checkedActions(id: string, body: ActionGroupInput): ReminderAction[] {
  const checked = validateLadder({ id, name: body.name, actions: body.actions });
  if (!checked.ok) {
    throw new DomainError('invalid', 'invalid-action-group', checked.errors.join('; '), {
      errors: checked.errors.map((message) => ({ path: '/body/actions', message })),
    });
  }
  return checked.value.actions;
}

export async function listActionGroups(em: EntityManager, officeId: string): Promise<ActionGroupView[]> {
  return (await rows<ActionGroupRow>(em, `select ${actionGroupColumns} from action_groups where office_id = ? order by name`, [officeId])).map(groupView);
}

async function requireGroup(em: EntityManager, officeId: string, id: string): Promise<ActionGroupRow> {
  const g = looksLikeUuid(id)
    ? await one<ActionGroupRow>(em, `select ${actionGroupColumns} from action_groups where office_id = ? and id = ?`, [officeId, id])
    : undefined;
  if (!g) throw refuse.notFound('Action group', id);
  return g;
}

function nameTaken(name: string): DomainError {
  return new DomainError('conflict', 'action-group-exists', `This office already has an action group named "${name}"`);
}

/**
 * Creates (id undefined) or replaces a group. `isDefault` makes it the office's ladder and
 * clears the flag on the others, in the same transaction.
 */
export async function saveActionGroup(em: EntityManager, officeId: string, id: string | undefined, body: ActionGroupInput): Promise<ActionGroupView> {
  const groupId = id ?? newId();
  const actions = checkedActions(groupId, body);
  const name = body.name.trim();
  const saved = await em.transactional(async (tem) => {
    if (id !== undefined) await requireGroup(tem, officeId, id);
    const clash = await one<{ id: string }>(tem, 'select id from action_groups where office_id = ? and name = ? and id <> ?', [officeId, name, groupId]);
    if (clash) throw nameTaken(name);
    if (body.isDefault === true) await clearOtherDefaultGroups(tem, officeId, groupId);
    const group = { id: groupId, officeId, name, actions, isDefault: body.isDefault === true };
    const row = id === undefined ? await insertActionGroup(tem, group) : await replaceActionGroup(tem, group);
    if (!row) throw nameTaken(name);
    return row;
  });
  return groupView(saved);
}

// ---- runs ----------------------------------------------------------------------------------

/** Overdue statuses a reminder may follow, when the run names none. */
const DEFAULT_RUN_STATUSES = ['open', 'sent', 'reversed', 'reminded', 'final_notice'] as const satisfies readonly InvoiceStatus[];
/** A run is for people to follow up; more than this in one go is a mistake in the filter. */
const MAX_RUN_INVOICES = 500;
/** Updates in flight at once: the worker renders letters, keep it busy but not flooded. */
const CONCURRENCY = 4;

async function selectInvoices(em: EntityManager, officeId: string, filter: ReminderRunFilter): Promise<string[]> {
  const statuses = filter.status ?? [...DEFAULT_RUN_STATUSES];
  let where = `office_id = ? and due_date < ? and status in (${statuses.map(() => '?').join(', ')})
    and total_cents + costs_cents - paid_cents > ?`;
  const params: unknown[] = [officeId, todayInAmsterdam(new Date()), ...statuses, filter.minOpenCents ?? 0];
  if (filter.paymentMethod) {
    where += ' and payment_method = ?';
    params.push(filter.paymentMethod);
  }
  if (filter.delivery) {
    where += ' and delivery = ?';
    params.push(filter.delivery);
  }
  const found = await rows<{ id: string }>(em, `select id from invoices where ${where} order by due_date, number limit ?`, [...params, MAX_RUN_INVOICES + 1]);
  if (found.length > MAX_RUN_INVOICES) {
    throw new DomainError('unprocessable', 'run-too-large', `The filter selects more than ${MAX_RUN_INVOICES} invoices; narrow it (status, minOpenCents, paymentMethod, delivery)`);
  }
  return found.map((r) => r.id);
}

async function inPool<T, R>(items: readonly T[], size: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
  return out;
}

function resultItem(invoiceId: string, o: ReminderActionOutcome): ReminderRunResultItem {
  return o.ok ? { invoiceId, ok: true, statusAfter: o.statusAfter, executionId: o.executionId } : { invoiceId, ok: false, reason: o.reason };
}

export async function createReminderRun(
  em: EntityManager,
  temporal: TemporalDeps,
  principal: Principal,
  body: ReminderRunCreate,
): Promise<ReminderRunView> {
  const { officeId } = principal;
  if ((await reminderModeOf(em, officeId)) === 'workflow') {
    throw new DomainError('conflict', 'reminder-mode-workflow',
      'This office runs reminders in the invoice workflow (reminderMode workflow); switch to the reminder module first (PUT /billing/settings)',
    );
  }
  const group = await requireGroup(em, officeId, body.actionGroupId);
  if (body.actionIndex >= group.actions.length) {
    throw new DomainError('invalid', 'unknown-action', `Action group "${group.name}" has ${group.actions.length} action(s); actionIndex ${body.actionIndex} does not exist`, {
      errors: [{ path: '/body/actionIndex', message: `must be below ${group.actions.length}` }],
    });
  }
  const filter = body.filter ?? {};
  const invoiceIds = await selectInvoices(em, officeId, filter);
  const runId = newId();
  await insertReminderRun(em, {
    id: runId,
    officeId,
    actionGroupId: group.id,
    actionIndex: body.actionIndex,
    filter,
    invoices: invoiceIds.length,
    createdBy: principal.credentialId,
  });
  // Their workflows are started (or found): marked first, so a SEPA export tells them (services/billing/invoice-run.ts).
  await markInvoicesFollowed(em, invoiceIds);
  const outcomes = await inPool(invoiceIds, CONCURRENCY, (invoiceId) =>
    runReminderAction(temporal, invoiceId, { runId, actionGroupId: group.id, actionIndex: body.actionIndex, actor: principal.credentialId }),
  );
  const results = invoiceIds.map((id, i) => resultItem(id, outcomes[i] as ReminderActionOutcome));
  await setReminderRunResults(em, runId, results);
  if (outcomes.length > 0 && outcomes.every((o) => !o.ok && o.engineDown === true)) {
    throw new DomainError('unavailable', 'workflow-unavailable', `Reminder run ${runId} is recorded, but the process engine did not answer for any invoice: nothing was sent. Start a new run later.`, {
      runId,
    });
  }
  return getReminderRun(em, officeId, runId);
}

function runView(r: ReminderRunRow): ReminderRunView {
  return {
    id: r.id,
    actionGroupId: r.action_group_id,
    actionIndex: Number(r.action_index),
    filter: r.filter,
    invoices: Number(r.invoices),
    results: r.results ?? [],
    createdBy: r.created_by,
    createdAt: isoInstant(r.created_at) ?? '',
    processedAt: isoInstant(r.processed_at),
  };
}

export async function listReminderRuns(em: EntityManager, officeId: string, q: { limit?: number | undefined; offset?: number | undefined }): Promise<ReminderRunView[]> {
  const found = await rows<ReminderRunRow>(
    em,
    `select ${reminderRunColumns} from reminder_runs where office_id = ? order by created_at desc, id limit ? offset ?`,
    [officeId, q.limit ?? 50, q.offset ?? 0],
  );
  return found.map(runView);
}

export async function getReminderRun(em: EntityManager, officeId: string, id: string): Promise<ReminderRunView> {
  const r = looksLikeUuid(id) ? await one<ReminderRunRow>(em, `select ${reminderRunColumns} from reminder_runs where office_id = ? and id = ?`, [officeId, id]) : undefined;
  if (!r) throw refuse.notFound('Reminder run', id);
  const executions = await executionsWhere(em, 'run_id', id);
  return { ...runView(r), executions: executions.map((e) => ({ invoiceId: e.invoice_id, ...executionView(e) })) };
}
