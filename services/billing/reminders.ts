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
import { keyedId, newId } from '../../db/ids.js';
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
import { isoDate, isoInstant, looksLikeUuid, one, pgArray, rows } from '../../db/sql.js';
import { getDocumentContent } from '../work/documents.js';
import { DEFAULT_RUN_STATUSES, executionView, executionsWhere } from './invoices.js';
import { MAX_RUN_INVOICES } from './schemas.js';
import { reminderModeOf } from './settings.js';
import {
  actionGroupColumns,
  archiveActionGroupRow,
  clearOtherDefaultGroups,
  deleteUnusedActionGroup,
  insertActionGroup,
  insertReminderRun,
  lockAndFindClaimed,
  markInvoicesFollowed,
  reminderRunColumns,
  reminderRunFrom,
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
    archivedAt: isoInstant(g.archived_at),
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

/** The office's groups; archived ones only when asked (they are not offered for new runs). */
export async function listActionGroups(em: EntityManager, officeId: string, q: { includeArchived?: boolean | undefined } = {}): Promise<ActionGroupView[]> {
  const archived = q.includeArchived === true ? '' : ' and archived_at is null';
  return (await rows<ActionGroupRow>(em, `select ${actionGroupColumns} from action_groups where office_id = ?${archived} order by archived_at nulls first, name`, [officeId])).map(groupView);
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
    if (id !== undefined && (await requireGroup(tem, officeId, id)).archived_at !== null) throw archived(name);
    const clash = await one<{ id: string }>(tem, 'select id from action_groups where office_id = ? and name = ? and id <> ? and archived_at is null', [
      officeId,
      name,
      groupId,
    ]);
    if (clash) throw nameTaken(name);
    if (body.isDefault === true) await clearOtherDefaultGroups(tem, officeId, groupId);
    const group = { id: groupId, officeId, name, actions, isDefault: body.isDefault === true };
    const row = id === undefined ? await insertActionGroup(tem, group) : await replaceActionGroup(tem, group);
    if (!row) throw nameTaken(name);
    return row;
  });
  return groupView(saved);
}

function archived(name: string): DomainError {
  return new DomainError('conflict', 'action-group-archived', `Action group "${name}" is archived: it takes no new runs and is not changed; its runs and history stay readable`);
}

/**
 * Archives a group (*archiveren*): it leaves the choices for new runs (409 for a run naming it),
 * its runs and their executions stay. The office's default ladder (workflow mode) is not archived:
 * make another group the default first. Archiving twice answers the group as it is.
 */
export async function archiveActionGroup(em: EntityManager, officeId: string, id: string): Promise<ActionGroupView> {
  const row = await em.transactional(async (tem) => {
    const g = await requireGroup(tem, officeId, id);
    if (g.is_default && g.archived_at === null) {
      throw new DomainError('conflict', 'action-group-default', `Action group "${g.name}" is the office's default reminder ladder; make another group the default before archiving it`);
    }
    return archiveActionGroupRow(tem, officeId, id);
  });
  if (!row) throw refuse.notFound('Action group', id);
  return groupView(row);
}

/**
 * Deletes a group outright only when it was never used (no run, no execution): nothing with
 * history is deleted (409: archive it instead). The default ladder is not deleted either.
 */
export async function deleteActionGroup(em: EntityManager, officeId: string, id: string): Promise<void> {
  await em.transactional(async (tem) => {
    const g = await requireGroup(tem, officeId, id);
    if (g.is_default) throw new DomainError('conflict', 'action-group-default', `Action group "${g.name}" is the office's default reminder ladder; make another group the default first`);
    if (!(await deleteUnusedActionGroup(tem, officeId, id))) {
      throw new DomainError('conflict', 'action-group-has-history', `Action group "${g.name}" has runs or executions in its history; archive it instead (POST /billing/action-groups/${id}/archive)`);
    }
  });
}

// ---- runs ----------------------------------------------------------------------------------

/** Updates in flight at once: the worker renders letters, keep it busy but not flooded. */
const CONCURRENCY = 4;

/** The run's step: the action's audience narrows who it may act on (a consumer-only 14-dagenbrief). */
function audienceCondition(action: ReminderAction | undefined): string {
  if (action?.audience === 'consumer') return ' and consumer';
  if (action?.audience === 'business') return ' and not consumer';
  return '';
}

async function selectInvoices(em: EntityManager, officeId: string, filter: ReminderRunFilter, action: ReminderAction | undefined): Promise<string[]> {
  const statuses = filter.status ?? [...DEFAULT_RUN_STATUSES];
  let where = `office_id = ? and due_date < ? and status in (${statuses.map(() => '?').join(', ')})
    and total_cents + costs_cents - paid_cents > ?${audienceCondition(action)}`;
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

/**
 * The ticked invoices the run may act on, in the order of the overview (due date, number), and
 * the others with the reason (never dropped silently): not this office's, not past due, nothing
 * open, a status no reminder follows, or the action is for the other audience.
 */
async function checkTicked(
  em: EntityManager,
  officeId: string,
  ids: readonly string[],
  action: ReminderAction | undefined,
): Promise<{ eligible: string[]; skipped: ReminderRunResultItem[] }> {
  const found = await rows<{ id: string; number: string; status: InvoiceStatus; due_date: unknown; open: string; consumer: boolean }>(
    em,
    `select id, number, status, due_date, total_cents + costs_cents - paid_cents as open, consumer
       from invoices where office_id = ? and id = any(?::uuid[]) order by due_date, number`,
    [officeId, pgArray(ids)],
  );
  const today = todayInAmsterdam(new Date());
  const allowed: ReadonlySet<string> = new Set(DEFAULT_RUN_STATUSES);
  const eligible: string[] = [];
  const reasons = new Map<string, string>();
  for (const inv of found) {
    const due = isoDate(inv.due_date) ?? '';
    const reason = !allowed.has(inv.status)
      ? `factuur ${inv.number} heeft status ${inv.status}: geen aanmaning`
      : !(due < today)
        ? `factuur ${inv.number} is nog niet vervallen (vervaldatum ${due})`
        : Number(inv.open) <= 0
          ? `op factuur ${inv.number} staat niets open`
          : action?.audience === 'consumer' && !inv.consumer
            ? `"${action.name}" is alleen voor consumenten; factuur ${inv.number} is van een zakelijke klant`
            : action?.audience === 'business' && inv.consumer
              ? `"${action.name}" is alleen voor zakelijke klanten; factuur ${inv.number} is van een consument`
              : undefined;
    if (reason === undefined) eligible.push(inv.id);
    else reasons.set(inv.id, reason);
  }
  const known = new Set(found.map((f) => f.id));
  const skipped = ids
    .filter((id) => !eligible.includes(id))
    .map((id) => ({ invoiceId: id, ok: false, skipped: true, reason: known.has(id) ? (reasons.get(id) ?? 'komt niet in aanmerking') : 'geen factuur van dit kantoor' }));
  return { eligible, skipped };
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

/**
 * A run of one action of a group over a set of invoices: the ticked `invoiceIds`, or the
 * overdue invoices matching `filter` ("select all": resolved now, and recorded). The run records
 * the invoices it acted on; the others are in its results as skipped, with the reason.
 *
 * Never twice: with an Idempotency-Key the run's id is derived from it, so a retry finds the first
 * run and answers it (finishing it when the first attempt stopped halfway: each invoice's action
 * has the stable updateId `run:<runId>/invoice:<id>` and execution key, so nothing is sent twice).
 * Never in two runs of one step at once: the candidates are locked in the billing lock order and
 * those held by another unfinished run of the same group and action are skipped.
 */
export async function createReminderRun(
  em: EntityManager,
  temporal: TemporalDeps,
  principal: Principal,
  body: ReminderRunCreate,
  idempotencyKey?: string,
): Promise<{ run: ReminderRunView; created: boolean }> {
  const { officeId } = principal;
  if ((await reminderModeOf(em, officeId)) === 'workflow') {
    throw new DomainError('conflict', 'reminder-mode-workflow',
      'This office runs reminders in the invoice workflow (reminderMode workflow); switch to the reminder module first (PUT /billing/settings)',
    );
  }
  if (body.invoiceIds !== undefined && body.filter !== undefined) {
    throw refuse.invalidField('/body/invoiceIds', 'must not be given together with filter: tick invoices, or select all with the filter');
  }
  const runId = idempotencyKey ? keyedId('reminder-run', officeId, idempotencyKey) : newId();
  const earlier = idempotencyKey ? await findRunRow(em, officeId, runId) : undefined;
  if (earlier) {
    if (earlier.action_group_id !== body.actionGroupId || Number(earlier.action_index) !== body.actionIndex) {
      throw new DomainError('conflict', 'idempotency-key-reused', `This Idempotency-Key already made reminder run ${runId} for another action`);
    }
    if (earlier.processed_at === null) await driveRun(em, temporal, principal, runId, earlier.action_group_id, body.actionIndex);
    return { run: await getReminderRun(em, officeId, runId), created: false };
  }

  const group = await requireGroup(em, officeId, body.actionGroupId);
  if (group.archived_at !== null) throw archived(group.name);
  if (body.actionIndex >= group.actions.length) {
    throw new DomainError('invalid', 'unknown-action', `Action group "${group.name}" has ${group.actions.length} action(s); actionIndex ${body.actionIndex} does not exist`, {
      errors: [{ path: '/body/actionIndex', message: `must be below ${group.actions.length}` }],
    });
  }
  const action = group.actions[body.actionIndex];
  const filter = body.filter ?? {};
  const { eligible, skipped } = body.invoiceIds
    ? await checkTicked(em, officeId, body.invoiceIds, action)
    : { eligible: await selectInvoices(em, officeId, filter, action), skipped: [] };

  const inserted = await em.transactional(async (tem) => {
    const claimed = await lockAndFindClaimed(tem, eligible, { actionGroupId: group.id, actionIndex: body.actionIndex, exceptRunId: runId });
    const acting = eligible.filter((id) => !claimed.has(id));
    const busy = eligible
      .filter((id) => claimed.has(id))
      .map((id) => ({ invoiceId: id, ok: false, skipped: true, reason: `in aanmaningsrun ${claimed.get(id) ?? ''} van dezelfde actie, die nog loopt` }));
    const ok = await insertReminderRun(tem, {
      id: runId,
      officeId,
      actionGroupId: group.id,
      actionIndex: body.actionIndex,
      filter: body.invoiceIds ? {} : filter,
      requestedIds: body.invoiceIds ?? null,
      invoiceIds: acting,
      createdBy: principal.credentialId,
    });
    // The skipped ones are recorded with the run at once: a retry that finishes the run keeps them.
    if (ok) await setReminderRunResults(tem, runId, [...skipped, ...busy], { processed: false });
    return ok;
  });
  // A concurrent request with the same Idempotency-Key inserted it first: that one acts, this one answers it.
  if (inserted) await driveRun(em, temporal, principal, runId, group.id, body.actionIndex);
  return { run: await getReminderRun(em, officeId, runId), created: inserted };
}

/** Runs the action on the run's recorded invoices and records the outcome next to the skipped ones. */
async function driveRun(em: EntityManager, temporal: TemporalDeps, principal: Principal, runId: string, actionGroupId: string, actionIndex: number): Promise<void> {
  const run = await findRunRow(em, principal.officeId, runId);
  if (!run) throw refuse.notFound('Reminder run', runId);
  const invoiceIds = run.invoice_ids ?? [];
  const skipped = (run.results ?? []).filter((r) => r.skipped === true);
  // Their workflows are started (or found): marked first, so a SEPA export tells them (services/billing/invoice-run.ts).
  await markInvoicesFollowed(em, invoiceIds);
  const outcomes = await inPool(invoiceIds, CONCURRENCY, (invoiceId) =>
    runReminderAction(temporal, invoiceId, { runId, actionGroupId, actionIndex, actor: principal.credentialId }),
  );
  const results = invoiceIds.map((id, i) => resultItem(id, outcomes[i] as ReminderActionOutcome));
  await setReminderRunResults(em, runId, [...results, ...skipped], { processed: true });
  if (outcomes.length > 0 && outcomes.every((o) => !o.ok && o.engineDown === true)) {
    throw new DomainError('unavailable', 'workflow-unavailable', `Reminder run ${runId} is recorded, but the process engine did not answer for any invoice: nothing was sent. Start a new run later.`, {
      runId,
    });
  }
}

async function findRunRow(em: EntityManager, officeId: string, id: string): Promise<ReminderRunRow | undefined> {
  if (!looksLikeUuid(id)) return undefined;
  return one<ReminderRunRow>(em, `select ${reminderRunColumns} from ${reminderRunFrom} where r.office_id = ? and r.id = ?`, [officeId, id]);
}

function runView(r: ReminderRunRow): ReminderRunView {
  return {
    id: r.id,
    actionGroupId: r.action_group_id,
    actionGroupName: r.action_group_name,
    actionIndex: Number(r.action_index),
    selection: r.requested_ids === null ? 'filter' : 'ticked',
    filter: r.filter,
    requestedIds: r.requested_ids,
    invoiceIds: r.invoice_ids,
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
    `select ${reminderRunColumns} from ${reminderRunFrom} where r.office_id = ? order by r.created_at desc, r.id limit ? offset ?`,
    [officeId, q.limit ?? 50, q.offset ?? 0],
  );
  return found.map(runView);
}

/** The download of an execution's letter (the stored PDF), for the run's history. */
export const letterUrl = (executionId: string): string => `/billing/reminder-executions/${executionId}/letter`;

/** A run with its executions, each with its invoice number and the link to its letter. */
export async function getReminderRun(em: EntityManager, officeId: string, id: string): Promise<ReminderRunView> {
  const r = await findRunRow(em, officeId, id);
  if (!r) throw refuse.notFound('Reminder run', id);
  const executions = await executionsWhere(em, 'run_id', r.id);
  const numbers = new Map(
    (await rows<{ id: string; number: string }>(em, 'select id, number from invoices where id = any(?::uuid[])', [pgArray(executions.map((e) => e.invoice_id))])).map((n) => [
      n.id,
      n.number,
    ]),
  );
  return {
    ...runView(r),
    executions: executions.map((e) => ({
      invoiceId: e.invoice_id,
      invoiceNumber: numbers.get(e.invoice_id) ?? '',
      ...executionView(e),
      letterUrl: e.document_id ? letterUrl(e.id) : null,
    })),
  };
}

/** The letter a reminder execution made (the stored PDF); 404 when it made none. */
export async function getReminderLetter(
  em: EntityManager,
  officeId: string,
  executionId: string,
): Promise<{ filename: string; contentType: string; content: Buffer; sha256: string }> {
  const e = looksLikeUuid(executionId)
    ? await one<{ document_id: string | null }>(em, 'select document_id from reminder_executions where office_id = ? and id = ?', [officeId, executionId])
    : undefined;
  if (!e) throw refuse.notFound('Reminder execution', executionId);
  const doc = e.document_id ? await getDocumentContent(em, officeId, e.document_id) : undefined;
  if (!doc) throw refuse.notFoundAs('reminder-letter-missing', `Reminder execution ${executionId} made no letter (a mail, task or hand-over)`);
  return doc;
}
