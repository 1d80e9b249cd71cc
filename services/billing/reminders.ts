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
import { isoInstant, looksLikeUuid, one, rows, type Row } from '../../db/sql.js';
import { executionView, executionsWhere } from './invoices.js';
import { reminderModeOf } from './settings.js';
import { runReminderAction, type ReminderActionOutcome } from './workflows.js';

// ---- action groups -------------------------------------------------------------------------

interface GroupRow extends Row {
  id: string;
  name: string;
  actions: ReminderAction[];
  is_default: boolean;
  created_at: unknown;
  updated_at: unknown;
}

const groupColumns = 'id, name, actions, is_default, created_at, updated_at';

function groupView(g: GroupRow): ActionGroupView {
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
  return (await rows<GroupRow>(em, `select ${groupColumns} from action_groups where office_id = ? order by name`, [officeId])).map(groupView);
}

async function requireGroup(em: EntityManager, officeId: string, id: string): Promise<GroupRow> {
  const g = looksLikeUuid(id)
    ? await one<GroupRow>(em, `select ${groupColumns} from action_groups where office_id = ? and id = ?`, [officeId, id])
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
    if (body.isDefault === true) {
      await tem.execute('update action_groups set is_default = false, updated_at = now() where office_id = ? and is_default and id <> ?', [officeId, groupId]);
    }
    const row = await one<GroupRow>(
      tem,
      id === undefined
        ? `insert into action_groups (id, office_id, name, actions, is_default) values (?, ?, ?, ?::jsonb, ?)
           on conflict (office_id, name) do nothing returning ${groupColumns}`
        : `update action_groups set name = ?, actions = ?::jsonb, is_default = ?, updated_at = now()
           where id = ? and office_id = ? returning ${groupColumns}`,
      id === undefined
        ? [groupId, officeId, name, JSON.stringify(actions), body.isDefault === true]
        : [name, JSON.stringify(actions), body.isDefault === true, groupId, officeId],
    );
    if (!row) throw nameTaken(name);
    return row;
  });
  return groupView(saved);
}

// ---- runs ----------------------------------------------------------------------------------

/** Overdue statuses a reminder may follow, when the run names none. */
const DEFAULT_RUN_STATUSES = ['open', 'sent', 'reversed', 'reminded', 'final_notice'] as const;
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
  await em.execute(
    `insert into reminder_runs (id, office_id, action_group_id, action_index, filter, invoices, created_by) values (?, ?, ?, ?, ?::jsonb, ?, ?)`,
    [runId, officeId, group.id, body.actionIndex, JSON.stringify(filter), invoiceIds.length, principal.credentialId],
  );
  const outcomes = await inPool(invoiceIds, CONCURRENCY, (invoiceId) =>
    runReminderAction(temporal, invoiceId, { runId, actionGroupId: group.id, actionIndex: body.actionIndex, actor: principal.credentialId }),
  );
  const results = invoiceIds.map((id, i) => resultItem(id, outcomes[i] as ReminderActionOutcome));
  await em.execute('update reminder_runs set results = ?::jsonb, processed_at = now() where id = ?', [JSON.stringify(results), runId]);
  if (outcomes.length > 0 && outcomes.every((o) => !o.ok && o.engineDown === true)) {
    throw new DomainError('unavailable', 'workflow-unavailable', `Reminder run ${runId} is recorded, but the process engine did not answer for any invoice: nothing was sent. Start a new run later.`, {
      runId,
    });
  }
  return getReminderRun(em, officeId, runId);
}

interface RunRow extends Row {
  id: string;
  action_group_id: string;
  action_index: number;
  filter: Record<string, unknown>;
  invoices: number;
  results: ReminderRunResultItem[] | null;
  created_by: string;
  created_at: unknown;
  processed_at: unknown;
}

const runColumns = 'id, action_group_id, action_index, filter, invoices, results, created_by, created_at, processed_at';

function runView(r: RunRow): ReminderRunView {
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
  const found = await rows<RunRow>(
    em,
    `select ${runColumns} from reminder_runs where office_id = ? order by created_at desc, id limit ? offset ?`,
    [officeId, q.limit ?? 50, q.offset ?? 0],
  );
  return found.map(runView);
}

export async function getReminderRun(em: EntityManager, officeId: string, id: string): Promise<ReminderRunView> {
  const r = looksLikeUuid(id) ? await one<RunRow>(em, `select ${runColumns} from reminder_runs where office_id = ? and id = ?`, [officeId, id]) : undefined;
  if (!r) throw refuse.notFound('Reminder run', id);
  const executions = await executionsWhere(em, 'run_id', id);
  return { ...runView(r), executions: executions.map((e) => ({ invoiceId: e.invoice_id, ...executionView(e) })) };
}
