/**
 * The product workflow (`product:<id>`): an interpreter of the product's process definition.
 *
 * State: the current status, an event counter `seq` (every started/step/reminder/escalation
 * event gets the next number; idempotency keys derive from it), a short recent history (the
 * full history lives in PostgreSQL via recordTransition) and the deadline watches registered
 * by waitForDate actions.
 *
 * Advisers act through the `takeStep` Update: its validator refuses a step that is not allowed
 * now or has invalid input, before anything is recorded. Steps and deadline firings are
 * serialised by an in-workflow lock. The main loop sleeps until the next deadline instant or a
 * change, fires due reminders/escalations, finishes once the product is in an ended status
 * with no pending deadlines, and continues as new when Temporal suggests it.
 *
 * No Node built-ins, no I/O, no clock other than the workflow's deterministic one.
 */
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  log,
  patched,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { HdnActivities, HdnActivityFailure, LenderMessageRecord } from '../../activities/hdn.contract.js';
import type { ProductActivities, ProductActivityFailure, RecordTransitionInput } from '../../activities/products.contract.js';
import { addDays, instantAt, todayInAmsterdam } from '../../domain/dates.js';
import type { Action, ProcessDefinition, ProcessStep, StepInputValues, WaitForDateAction } from '../../domain/process/definition.js';
import {
  availableSteps,
  checkStep,
  conditionHolds,
  statusOf,
  validateDefinition,
  validateStepInput,
  type GuardFacts,
} from '../../domain/process/rules.js';
import { actionKey, transitionKey } from '../../domain/workflow-ids.js';
import { applicationSent, decideLenderMessage as decideLender, type LenderDecision, type LenderMessageContext } from '../hdn/lender-messages.js';
import {
  deliverDocumentUpdate,
  lenderMessageSignal,
  migrateDefinitionUpdate,
  type DeliverDocumentRequest,
  type DeliverDocumentResult,
  ProductFailure,
  productStateQuery,
  takeStepUpdate,
  type LenderMessage,
  type MigrateDefinitionRequest,
  type MigrateDefinitionResult,
  type DeadlineWatchState,
  type HistoryEntry,
  type HistoryKind,
  type ProductCarriedState,
  type ProductState,
  type ProductWorkflowInput,
  type TakeStepRequest,
} from './product.messages.js';

/** How many recent history entries the workflow keeps in its state (and Query). */
export const HISTORY_KEPT = 50;
/** Local hour (Europe/Amsterdam) at which reminders and on-date reactions fire. */
export const DEADLINE_HOUR = 9;

// Only `import type` from activities/ is allowed in workflows, so the failure types are listed
// here; the Record type makes the compiler insist on a decision for every ProductActivityFailure
// value (true = do not retry).
type ActivityFailureType = (typeof ProductActivityFailure)[keyof typeof ProductActivityFailure];
const nonRetryable: Record<ActivityFailureType, boolean> = {
  NotFound: true,
  NoRecipient: true,
  TemplateMissing: true,
  UnknownChecklistProfile: true,
  TemplateInvalid: true,
  MailRejected: true,
  MailUnavailable: false,
};
type HdnFailureType = (typeof HdnActivityFailure)[keyof typeof HdnActivityFailure];
const hdnNonRetryable: Record<HdnFailureType, boolean> = {
  HdnNoApplication: true,
  HdnUnknownLender: true,
  HdnGatewayRejected: true,
  HdnGatewayUnavailable: false,
  HdnLineNotSendable: true,
};
const nonRetryableErrorTypes = [...Object.entries(nonRetryable), ...Object.entries(hdnNonRetryable)]
  .filter(([, no]) => no)
  .map(([type]) => type);

/**
 * Lender messages queued while the workflow was busy are decided one by one, in arrival order,
 * and recorded with one activity call per batch (history entries and outcomes in one
 * transaction) instead of two calls per message. Histories written before this change handle
 * them one at a time, so the change is behind this patch id.
 */
export const LENDER_BATCH_PATCH = 'lender-messages-in-batches';
/** At most this many lender messages per recording activity (bounds its input and retry cost). */
export const LENDER_BATCH_MAX = 100;
/**
 * A lender message whose id was handled already is skipped (no second history entry, no second
 * outcome): the API may signal a message twice when it crashed after the signal and before marking
 * the stored row, and the lender resent it. Histories from before applied such a message twice, so
 * the skip is behind this patch id.
 */
export const LENDER_DEDUPE_PATCH = 'lender-messages-once-by-id';
/** How many handled lender message ids the workflow remembers (carried across continue-as-new). */
export const LENDER_SEEN_KEPT = 500;

/** Step actions: an adviser waits for the Update, so retries are bounded. */
const stepActivities = proxyActivities<ProductActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '20 seconds', maximumAttempts: 5, nonRetryableErrorTypes },
});

/** Background work (start record, reminders, escalations): nobody waits, so retry longer. */
const backgroundActivities = proxyActivities<ProductActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes', maximumAttempts: 50, nonRetryableErrorTypes },
});

/** Sending the application is a step the adviser waits for: bounded retries (the gateway may be down). */
const hdnStepActivities = proxyActivities<HdnActivities>({
  startToCloseTimeout: '45 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds', maximumAttempts: 4, nonRetryableErrorTypes },
});
/** Handling lender messages: nobody waits; a message must never be lost, so retry long. */
const hdnBackgroundActivities = proxyActivities<HdnActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes', nonRetryableErrorTypes },
});

export async function productWorkflow(input: ProductWorkflowInput): Promise<ProductState> {
  /** The definition the product follows: the one it started with, until a migrateDefinition. */
  let def: ProcessDefinition = input.carried?.definition ?? input.definition;
  const workflowId = workflowInfo().workflowId;

  if (!input.carried) {
    const problems = validateDefinition(def);
    if (problems.length > 0) {
      const detail = problems.slice(0, 5).map((p) => `${p.path}: ${p.message}`).join('; ');
      throw ApplicationFailure.nonRetryable(`Invalid process definition: ${detail}`, ProductFailure.InvalidDefinition);
    }
  }

  const state: ProductCarriedState = input.carried
    ? cloneState(input.carried)
    : { status: def.initialStatus, seq: 0, history: [], watches: [] };

  let busy = false;
  let changed = false;
  /** Lender messages signalled but not handled yet (handled in arrival order under the lock). */
  const lenderInbox: LenderMessage[] = [];

  const categoryOf = (code: string) => statusOf(def, code)?.category ?? 'new';
  /** Non-personal facts step guards are evaluated on. */
  const guardFacts = (): GuardFacts => ({
    applicationSent: state.application !== undefined,
    ...(state.application?.lastSx !== undefined ? { lastLenderStatus: state.application.lastSx } : {}),
  });

  const snapshot = (): ProductState => {
    const status = statusOf(def, state.status);
    return {
      productId: input.productId,
      dossierId: input.dossierId,
      processKey: def.key,
      processVersion: def.version,
      status: state.status,
      statusLabel: status?.label ?? state.status,
      category: status?.category ?? 'new',
      availableSteps: availableSteps(def, state.status, guardFacts()),
      history: state.history.map((h) => ({ ...h })),
      deadlines: state.watches.map((w) => ({ deadline: w.deadline, date: w.date, pending: w.pending.map((p) => ({ ...p })) })),
      ...(state.application ? { application: { ...state.application, sxReceived: [...state.application.sxReceived] } } : {}),
    };
  };

  type RecordEntry = { kind: HistoryKind; actor: string; label: string; stepId?: string; toStatus: string; process?: { key: string; version: number } };

  /** The history row of an event about to be recorded (from the current status). */
  const transitionOf = (seq: number, entry: RecordEntry): RecordTransitionInput => ({
    key: transitionKey(workflowId, seq),
    productId: input.productId,
    seq,
    at: new Date().toISOString(),
    actor: entry.actor,
    kind: entry.kind,
    ...(entry.stepId !== undefined ? { stepId: entry.stepId } : {}),
    label: entry.label,
    fromStatus: state.status,
    toStatus: entry.toStatus,
    toCategory: categoryOf(entry.toStatus),
    ...(entry.process ? { process: entry.process } : {}),
  });

  /** The state follows a recorded event: history, status, and the watches it ends. */
  const applyRecorded = (t: RecordTransitionInput): void => {
    const h: HistoryEntry = {
      seq: t.seq,
      at: t.at,
      actor: t.actor,
      kind: t.kind,
      ...(t.stepId !== undefined ? { stepId: t.stepId } : {}),
      label: t.label,
      fromStatus: t.fromStatus,
      toStatus: t.toStatus,
    };
    state.history.push(h);
    if (state.history.length > HISTORY_KEPT) state.history.splice(0, state.history.length - HISTORY_KEPT);
    state.status = t.toStatus;
    // A watch ends when the product reaches one of its satisfiedBy statuses or an ended status.
    if (categoryOf(state.status) === 'ended') {
      state.watches = [];
    } else {
      state.watches = state.watches.filter((w) => !(w.action.satisfiedBy ?? []).includes(state.status));
    }
    changed = true;
  };

  /** Records an event (history row in PostgreSQL, then in state) and moves to `toStatus`. */
  const record = async (acts: ProductActivities, seq: number, entry: RecordEntry): Promise<void> => {
    const t = transitionOf(seq, entry);
    await acts.recordTransition(t);
    applyRecorded(t);
  };

  /**
   * Serialises steps and deadline firings. `condition` never resolves synchronously and may
   * release several waiters in one pass, so re-check `busy` after every wake-up.
   */
  const withLock = async <T>(fn: () => Promise<T>): Promise<T> => {
    while (busy) await condition(() => !busy);
    busy = true;
    try {
      return await fn();
    } finally {
      busy = false;
      changed = true;
    }
  };

  const registerWatch = (action: WaitForDateAction, stepInput: StepInputValues | undefined, stepId: string, actor: string): void => {
    const date = stepInput?.[action.dateFromInput];
    if (typeof date !== 'string') return; // optional date left empty: nothing to guard
    const now = Date.now();
    const pending: DeadlineWatchState['pending'] = [];
    for (const days of [...action.remindDaysBefore].sort((a, b) => b - a)) {
      const at = instantAt(addDays(date, -days), DEADLINE_HOUR);
      if (at.getTime() > now) pending.push({ at: at.toISOString(), kind: 'reminder', daysBefore: days });
    }
    pending.push({ at: instantAt(date, DEADLINE_HOUR).toISOString(), kind: 'onDate' });
    const watch: DeadlineWatchState = { deadline: action.deadline, date, pending, action, stepId, actor };
    state.watches = [...state.watches.filter((w) => w.deadline !== action.deadline), watch];
  };

  const runAction = async (
    action: Action,
    key: string,
    req: TakeStepRequest,
    stepId: string,
  ): Promise<void> => {
    const base = { key, productId: input.productId, dossierId: input.dossierId };
    switch (action.kind) {
      case 'sendMail':
        await stepActivities.sendTemplatedMail({
          ...base,
          template: action.template,
          to: action.to,
          ...(req.payloadId !== undefined ? { payloadId: req.payloadId } : {}),
          ...(req.input !== undefined ? { input: req.input } : {}),
        });
        return;
      case 'sendPortalActivation':
        await stepActivities.sendPortalActivation({ ...base, template: action.template });
        return;
      case 'createTask': {
        let dueDate: string | undefined;
        if (action.dueFromInput !== undefined) {
          const v = req.input?.[action.dueFromInput];
          if (typeof v === 'string') dueDate = v;
        } else if (action.dueInDays !== undefined) {
          dueDate = addDays(todayInAmsterdam(new Date()), action.dueInDays);
        }
        await stepActivities.createTask({
          ...base,
          title: action.title,
          assignee: action.assignee,
          ...(dueDate !== undefined ? { dueDate } : {}),
        });
        return;
      }
      case 'generateDocument':
        await stepActivities.generateDocument({ ...base, template: action.template, documentType: action.documentType, actor: req.actor });
        return;
      case 'setDossierStatus':
        await stepActivities.setDossierStatus({ key, productId: input.productId, dossierId: input.dossierId, status: action.status, actor: req.actor });
        return;
      case 'createChecklist': {
        const profile = req.input?.[action.profileFromInput];
        if (typeof profile !== 'string') {
          throw ApplicationFailure.nonRetryable(`Input "${action.profileFromInput}" (checklist profile) is missing`, ProductFailure.InvalidStepInput);
        }
        await stepActivities.createChecklist({ ...base, profile });
        return;
      }
      case 'registerContactMoment':
        await stepActivities.registerContactMoment({
          ...base,
          actor: req.actor,
          at: new Date().toISOString(),
          ...(req.payloadId !== undefined ? { payloadId: req.payloadId } : {}),
          ...(req.input !== undefined ? { input: req.input } : {}),
        });
        return;
      case 'waitForDate':
        registerWatch(action, req.input, stepId, req.actor);
        return;
      case 'sendHdnApplication': {
        const sent = await hdnStepActivities.sendHdnApplication({ key, productId: input.productId });
        applicationSent(state, sent, action, { stepId, actor: req.actor }, new Date());
        return;
      }
      default: {
        const never: never = action;
        throw ApplicationFailure.nonRetryable(`Unknown action kind ${JSON.stringify(never)}`);
      }
    }
  };

  const takeStep = async (req: TakeStepRequest): Promise<ProductState> =>
    withLock(async () => {
      // Re-check: another step may have moved the product since the validator ran.
      const check = checkStep(def, state.status, req, guardFacts());
      if (!check.ok) throw ApplicationFailure.nonRetryable(check.reason, ProductFailure.StepNotAllowed);
      const step: ProcessStep = check.step;
      const problems = validateStepInput(step, req.input, req.payloadId !== undefined);
      if (problems.length > 0) throw ApplicationFailure.nonRetryable(problems.join('; '), ProductFailure.InvalidStepInput);

      const seq = ++state.seq;
      for (const [index, action] of step.actions.entries()) {
        if (!conditionHolds(action.when, req.input)) continue;
        await runAction(action, actionKey(workflowId, seq, index), req, step.id);
      }
      await record(stepActivities, seq, {
        kind: 'step',
        actor: req.actor,
        stepId: step.id,
        label: step.label,
        toStatus: step.to ?? state.status,
      });
      return snapshot();
    });

  setHandler(productStateQuery, snapshot);
  setHandler(takeStepUpdate, takeStep, {
    validator: (req: TakeStepRequest): void => {
      if (typeof req !== 'object' || req === null) throw new Error('A step request is required');
      if (typeof req.actor !== 'string' || req.actor.length === 0) throw new Error('The step request needs an actor (user id)');
      const check = checkStep(def, state.status, req, guardFacts());
      if (!check.ok) throw new Error(check.reason);
      const problems = validateStepInput(check.step, req.input, req.payloadId !== undefined);
      if (problems.length > 0) throw new Error(problems.join('; '));
    },
  });

  /** Why the product cannot move to `next` now (undefined = it can). */
  const migrationRefusal = (next: ProcessDefinition): string | undefined => {
    const problems = validateDefinition(next);
    if (problems.length > 0) {
      return `de nieuwe procesversie is ongeldig: ${problems.slice(0, 5).map((p) => `${p.path}: ${p.message}`).join('; ')}`;
    }
    if (next.key !== def.key) return `het product volgt proces "${def.key}", niet "${next.key}"`;
    if (next.version === def.version) return `het product volgt al ${def.key} versie ${def.version}`;
    if (!statusOf(next, state.status)) {
      return `de status "${state.status}" (${statusOf(def, state.status)?.label ?? state.status}) van het product bestaat niet in ${next.key} versie ${next.version}`;
    }
    return undefined;
  };

  const migrate = async (req: MigrateDefinitionRequest): Promise<MigrateDefinitionResult> =>
    withLock(async () => {
      // Re-check under the lock: a step or lender message may have moved the product.
      const refusal = migrationRefusal(req.definition);
      if (refusal) throw ApplicationFailure.nonRetryable(`Migratie geweigerd: ${refusal}`, ProductFailure.MigrationRefused);
      const previous = def;
      const next = cloneState(req.definition);
      const seq = ++state.seq;
      def = next;
      try {
        await record(stepActivities, seq, {
          kind: 'migration',
          actor: req.actor,
          label: `Overgezet van ${previous.name} versie ${previous.version} naar ${next.name} versie ${next.version}`,
          toStatus: state.status,
          process: { key: next.key, version: next.version },
        });
      } catch (err) {
        def = previous;
        throw err;
      }
      state.definition = next;
      return { fromVersion: previous.version, toVersion: next.version, state: snapshot() };
    });
  setHandler(migrateDefinitionUpdate, migrate, {
    validator: (req: MigrateDefinitionRequest): void => {
      if (typeof req !== 'object' || req === null || typeof req.definition !== 'object' || req.definition === null) {
        throw new Error('A migration request needs the target definition');
      }
      if (typeof req.actor !== 'string' || req.actor.length === 0) throw new Error('The migration request needs an actor (user id)');
      const refusal = migrationRefusal(req.definition);
      if (refusal) throw new Error(`Migratie geweigerd: ${refusal}`);
    },
  });

  /** Fires one due deadline item (the earliest); reactions never fail the workflow. */
  const fireDue = async (watch: DeadlineWatchState): Promise<void> => {
    const item = watch.pending[0]!;
    const seq = ++state.seq;
    const reaction = item.kind === 'reminder' ? watch.action.reminder : watch.action.onDate;
    watch.pending = watch.pending.slice(1);
    const base = { productId: input.productId, dossierId: input.dossierId };
    const safely = async (what: string, fn: () => Promise<unknown>): Promise<void> => {
      try {
        await fn();
      } catch (err) {
        log.warn(`Deadline ${watch.deadline}: ${what} failed`, { error: String(err) });
      }
    };
    if (reaction?.task) {
      const title = reaction.task;
      await safely('task', () =>
        backgroundActivities.createTask({ ...base, key: actionKey(workflowId, seq, 0), title, assignee: 'adviser', dueDate: watch.date }),
      );
    }
    if (reaction?.mailTemplate) {
      const template = reaction.mailTemplate;
      await safely('mail', () =>
        backgroundActivities.sendTemplatedMail({ ...base, key: actionKey(workflowId, seq, 1), template, to: 'applicants' }),
      );
    }
    if (watch.pending.length === 0) state.watches = state.watches.filter((w) => w !== watch);
    const toStatus = item.kind === 'onDate' && reaction?.toStatus ? reaction.toStatus : state.status;
    const label =
      item.kind === 'reminder'
        ? `Herinnering ${watch.deadline}: ${watch.date} over ${item.daysBefore ?? 0} dagen`
        : (watch.onDateLabel ?? `Escalatie ${watch.deadline}: datum ${watch.date} bereikt`);
    const kind: HistoryKind = item.kind === 'reminder' ? 'reminder' : (watch.onDateKind ?? 'escalation');
    await safely('record', () => record(backgroundActivities, seq, { kind, actor: 'system', label, toStatus }));
  };

  /** The HDN decisions (workflows/hdn/lender-messages.ts) on this product's state. */
  const lenderContext = (): LenderMessageContext => ({
    definition: def,
    state,
    registerWatch,
    applyDocumentRequest: (messageId) => hdnBackgroundActivities.applyDocumentRequest({ messageId, productId: input.productId }),
  });
  const decideLenderMessage = (m: LenderMessage): Promise<LenderDecision> => decideLender(lenderContext(), m);

  /** One lender message, recorded with its own two activities (histories before LENDER_BATCH_PATCH). */
  const handleLenderMessage = async (m: LenderMessage): Promise<void> => {
    const d = await decideLenderMessage(m);
    await record(backgroundActivities, d.seq, d.entry);
    await hdnBackgroundActivities.markHdnMessage({ messageId: m.messageId, productId: input.productId, outcome: d.outcome, reason: d.reason });
  };

  /**
   * Lender messages in arrival order: each is decided on the state the previous ones left (the
   * same rules and seq numbers as one at a time), then all are recorded in one activity call.
   * Idempotent like the single calls: history rows on their transition key, outcomes on the message id.
   * A message id handled before is skipped (LENDER_DEDUPE_PATCH).
   */
  const handleLenderBatch = async (messages: LenderMessage[]): Promise<void> => {
    const records: LenderMessageRecord[] = [];
    for (const m of messages) {
      const seen = (state.lenderMessagesSeen ??= []);
      if (seen.includes(m.messageId) && patched(LENDER_DEDUPE_PATCH)) {
        log.info('Lender message handled already: skipped', { messageId: m.messageId });
        continue;
      }
      seen.push(m.messageId);
      if (seen.length > LENDER_SEEN_KEPT) seen.splice(0, seen.length - LENDER_SEEN_KEPT);
      const d = await decideLenderMessage(m);
      const transition = transitionOf(d.seq, d.entry);
      applyRecorded(transition);
      records.push({ transition, messageId: m.messageId, outcome: d.outcome, reason: d.reason });
    }
    // Empty only when every message was a skipped duplicate (never in histories before LENDER_DEDUPE_PATCH).
    if (records.length > 0) await hdnBackgroundActivities.recordLenderMessages({ productId: input.productId, records });
  };

  const deliverDocument = async (req: DeliverDocumentRequest): Promise<DeliverDocumentResult> =>
    withLock(async () => {
      if (!state.application) throw ApplicationFailure.nonRetryable('De aanvraag is nog niet naar de maatschappij verstuurd', ProductFailure.StepNotAllowed);
      const attempts = (state.documentAttempts ??= {});
      const attempt = (attempts[req.lineId] ?? 0) + 1;
      const sent = await hdnStepActivities.sendHdnDocument({ productId: input.productId, documentId: req.documentId, lineId: req.lineId, attempt });
      attempts[req.lineId] = attempt;
      const seq = ++state.seq;
      await record(stepActivities, seq, {
        kind: 'step',
        actor: req.actor,
        stepId: 'deliver-document',
        label: `DX ${sent.documentKind} verstuurd (regel ${req.lineId}, poging ${attempt})`,
        toStatus: state.status,
      });
      return { messageId: sent.messageId, lineId: req.lineId, attempt, documentKind: sent.documentKind };
    });
  setHandler(deliverDocumentUpdate, deliverDocument, {
    validator: (req: DeliverDocumentRequest): void => {
      if (typeof req !== 'object' || req === null || !req.documentId || !req.lineId || !req.actor) {
        throw new Error('documentId, lineId and actor are required');
      }
      if (!state.application) throw new Error('De aanvraag is nog niet naar de maatschappij verstuurd');
      if (categoryOf(state.status) === 'ended') throw new Error(`Het product is beëindigd (${statusOf(def, state.status)?.label ?? state.status})`);
    },
  });

  // One message per argument (several when the API sent a product's messages together).
  setHandler(lenderMessageSignal, (...messages: LenderMessage[]): void => {
    lenderInbox.push(...messages);
    changed = true;
  });

  const nextDue = (): { watch: DeadlineWatchState; at: number } | undefined => {
    let best: { watch: DeadlineWatchState; at: number } | undefined;
    for (const w of state.watches) {
      const first = w.pending[0];
      if (!first) continue;
      const at = Date.parse(first.at);
      if (!best || at < best.at) best = { watch: w, at };
    }
    return best;
  };

  if (!input.carried) {
    await withLock(async () => {
      const seq = ++state.seq;
      await record(backgroundActivities, seq, {
        kind: 'started',
        actor: input.startedBy,
        label: `${def.name} gestart (versie ${def.version})`,
        // The current status, not the initial one: a step taken in the very first moment (its
        // update can win the lock) must not be undone by this entry. Without such a step both
        // are the initial status, so recorded histories replay unchanged.
        toStatus: state.status,
      });
    });
  }

  for (;;) {
    const ended =
      categoryOf(state.status) === 'ended' && state.watches.every((w) => w.pending.length === 0) && lenderInbox.length === 0;
    if (ended && !busy && allHandlersFinished()) break;
    // Lender messages not handled yet are not carried over: handle them first.
    if (workflowInfo().continueAsNewSuggested && lenderInbox.length === 0) {
      await condition(() => !busy && allHandlersFinished());
      await continueAsNew<typeof productWorkflow>({ ...input, carried: state });
    }
    const message = lenderInbox.shift();
    if (message) {
      if (patched(LENDER_BATCH_PATCH)) {
        // Taken under the lock: messages that arrive while it is held join this batch.
        await withLock(() => handleLenderBatch([message, ...lenderInbox.splice(0, LENDER_BATCH_MAX - 1)]));
      } else {
        await withLock(() => handleLenderMessage(message));
      }
      continue;
    }
    const due = nextDue();
    if (due && due.at <= Date.now()) {
      await withLock(async () => {
        // Still due? (a step may have satisfied the watch while we waited for the lock)
        const again = nextDue();
        if (again && again.at <= Date.now()) await fireDue(again.watch);
      });
      continue;
    }
    changed = false;
    const wake = (): boolean => changed || workflowInfo().continueAsNewSuggested;
    if (ended) {
      await condition(() => wake() || (!busy && allHandlersFinished()));
    } else if (due) {
      await condition(wake, Math.max(1, due.at - Date.now()));
    } else {
      await condition(wake);
    }
  }
  await condition(allHandlersFinished);
  return snapshot();

}

function cloneState<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
