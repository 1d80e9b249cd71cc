/**
 * The invoice workflow (`invoice:<id>`): follows one invoice through collection, payment,
 * storno and reminders.
 *
 * Booking lines (payment, collection, reversal) and SEPA exports arrive as signals after they
 * were stored in PostgreSQL; the workflow applies them with the pure status rules
 * (domain/billing/invoice-status), so payment and storno in any order end in the right status
 * and the open amount is always total + costs − money received (a return counts once, and only
 * against money that came in; money beyond what is owed is the client's credit).
 * A storno asks the office's storno policy what follows (re-collection, reminder, mandate flag).
 * When the office runs reminders in the workflow, the ladder of its default action group runs
 * here, one step at a time on its date, never for a paid invoice and never while a collection
 * is pending; when the office uses the reminder module instead, users run action groups through
 * the `runReminderAction` update, whose validator refuses paid invoices. One mode, never both.
 *
 * The workflow ends once the invoice is settled; a later booking (a storno weeks after the
 * collection) starts a new run with signal-with-start, which reads the state from PostgreSQL.
 */
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { BillingActivities, InvoiceFacts } from '../../activities/billing.contract.js';
import { instantAt, todayInAmsterdam } from '../../domain/dates.js';
import { maxDate } from '../../domain/billing/calendar.js';
import {
  applyInvoiceEvent,
  eventOfMoneyFact,
  isEscalationStatus,
  isInvoiceStatus,
  ledgerOf,
  moneyFactOfBooking,
  moneyOf,
  openCents,
  type InvoiceEvent,
  type InvoiceState as DomainInvoiceState,
} from '../../domain/billing/invoice-status.js';
import { nextReminderStep, type ReminderAction } from '../../domain/billing/reminder-ladder.js';
import { decideStorno } from '../../domain/billing/storno-policy.js';
import { LOCAL_BILLING_PATCH } from './contract.workflow.js';
import {
  BillingFailure,
  bookingSignal,
  exportedSignal,
  invoiceStateQuery,
  runReminderActionUpdate,
  type BookingEvent,
  type ExportedEvent,
  type InvoiceState,
  type InvoiceWorkflowInput,
  type RunReminderActionRequest,
  type RunReminderActionResult,
} from './billing.messages.js';

/**
 * Since this patch the invoice's charged collection costs count in what it owes (the facts'
 * costsCents and the 14-dagenbrief's costs): total + costs must be received before it is
 * settled. Runs begun before it keep settling on the total alone (their histories decided so).
 */
export const MONEY_INVARIANT_PATCH = 'invoice-money-invariant';

/** Reminder steps go out at 09:00 Amsterdam time on their date. */
export const REMINDER_HOUR = 9;
const EVENTS_KEPT = 50;

const acts = proxyActivities<BillingActivities>({
  startToCloseTimeout: '1 minute',
  retry: {
    initialInterval: '5 seconds',
    backoffCoefficient: 2,
    maximumInterval: '10 minutes',
    nonRetryableErrorTypes: ['BillingNotFound', 'BillingNotRemindable', 'NoRecipient', 'TemplateMissing', 'TemplateInvalid', 'MailRejected'],
  },
});

/** Reading the facts is a short query: a local activity since LOCAL_BILLING_PATCH (see contract.workflow). */
const local = proxyLocalActivities<Pick<BillingActivities, 'loadInvoiceFacts'>>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes', nonRetryableErrorTypes: ['BillingNotFound'] },
});

/** The mail that tells the client a direct debit was reversed (*gestorneerd*). */
const stornoReminder: ReminderAction = {
  name: 'Herinnering na storno',
  type: 'mail',
  template: 'storno-reminder',
  daysAfterDue: 0,
  // Sent as a notification (the status stays 'reversed'); the ladder escalates from there.
  statusAfter: 'reminded',
};

type Queued = { kind: 'booking'; event: BookingEvent } | { kind: 'exported'; event: ExportedEvent };

export async function invoiceWorkflow(input: InvoiceWorkflowInput): Promise<InvoiceState> {
  const workflowId = workflowInfo().workflowId;
  // Handlers are registered before the first activity so that no early signal, query or update
  // finds the workflow without them; until the facts are loaded they see a neutral state.
  let facts: InvoiceFacts | undefined;
  let inv: DomainInvoiceState = { status: 'open', totalCents: 0, paidCents: 0 };
  let remindersDone = 0;
  let recollections = 0;
  let letterPayBy: string | undefined;
  let mandateFlagged = false;
  /** The ladder counts its days from here: the due date, or the day of a storno. */
  let ladderBase = '1970-01-01';
  let lastStepOn: string | undefined;
  let nextReminderAt: string | undefined;
  const queue: Queued[] = [];
  /** `<bookingId>:<kind>` already applied: a booking delivered twice counts once. */
  const applied = new Set<string>();
  const events: InvoiceState['events'] = [];
  let busy = false;
  let costsCount = false;

  const note = (what: string): void => {
    events.push({ at: new Date().toISOString(), what, status: inv.status });
    if (events.length > EVENTS_KEPT) events.splice(0, events.length - EVENTS_KEPT);
  };
  const today = (): string => todayInAmsterdam(new Date());
  const settled = (): boolean => ['paid', 'collected', 'credited'].includes(inv.status) || (openCents(inv) <= 0 && inv.status !== 'collection_pending');

  const withLock = async <T>(fn: () => Promise<T>): Promise<T> => {
    while (busy) await condition(() => !busy);
    busy = true;
    try {
      return await fn();
    } finally {
      busy = false;
    }
  };

  const apply = async (event: InvoiceEvent, what: string, booking?: BookingEvent): Promise<ReturnType<typeof applyInvoiceEvent>> => {
    const t = applyInvoiceEvent(inv, event);
    if (!t.ok) {
      note(`${what}: niet verwerkt (${t.reason})`);
      return t;
    }
    inv = t.state;
    const money = moneyOf(inv);
    await acts.recordInvoiceStatus({
      invoiceId: input.invoiceId,
      status: inv.status,
      paidCents: money.paidCents,
      creditCents: money.overpaidCents,
      ...(booking ? { applied: { bookingId: booking.bookingId, kind: booking.kind } } : {}),
    });
    if (booking) applied.add(`${booking.bookingId}:${booking.kind}`);
    note(t.effects.duplicate ? `${what}: al bekend (telt één keer)` : what);
    return t;
  };

  /** Collection costs a reminder action charged now count in what the invoice owes (no activity: the action wrote them). */
  const chargeCosts = (costsCents: number | undefined): void => {
    if (!costsCount || !costsCents) return;
    const t = applyInvoiceEvent(inv, { type: 'costs', amountCents: costsCents });
    if (t.ok) inv = t.state;
    else note(`Incassokosten: niet verwerkt (${t.reason})`);
  };

  const stornoFollowUp = async (booking: BookingEvent): Promise<void> => {
    const code = booking.reasonCode ?? 'MS03';
    const decision = decideStorno(facts!.stornoPolicy, code, recollections);
    note(`Storno ${decision.code}: ${decision.reason}`);
    if (decision.action === 'recollect') {
      recollections += 1;
      await acts.scheduleRecollection({ invoiceId: input.invoiceId, recollection: recollections, sequenceType: decision.sequenceType ?? 'RCUR' });
      inv = { ...inv, status: 'open' };
      return;
    }
    if (decision.action === 'flag-mandate' && !mandateFlagged) {
      await acts.flagMandate({ invoiceId: input.invoiceId, reasonCode: decision.code, key: `${workflowId}/mandate:${booking.bookingId}` });
      mandateFlagged = true;
    }
    // Remind (also after a flagged mandate: the client now has to pay by transfer).
    const done = await acts.executeReminderAction({
      key: `${workflowId}/storno:${booking.bookingId}`,
      invoiceId: input.invoiceId,
      action: stornoReminder,
      actor: 'system',
      notification: true,
      stornoReason: `${decision.code}: ${decision.description.nl}`,
    });
    note(`${stornoReminder.name} verstuurd (${done.executionId})`);
    ladderBase = maxDate(ladderBase, today());
  };

  const handle = async (item: Queued): Promise<void> => {
    if (item.kind === 'exported') {
      await apply({ type: 'exported' }, `In incassobestand (${item.event.sequenceType})`);
      return;
    }
    const b = item.event;
    if (applied.has(`${b.bookingId}:${b.kind}`)) {
      note(`Boeking ${b.bookingId} (${b.kind}) was al verwerkt`);
      return;
    }
    // A new booking kind (issue 15): no recorded history holds a 'rejection' booking, so the
    // histories replay unchanged without a patch; a worker of before would have taken it for a
    // collection, so workers are deployed before the API that books rejections.
    if (b.kind === 'rejection') {
      const t = await apply({ type: 'rejected', reason: b.reasonCode ?? 'MS03' }, `Afkeuring ${b.reasonCode ?? ''}`.trim(), b);
      if (t.ok && t.effects.stornoFollowUp && !settled()) await stornoFollowUp(b);
      return;
    }
    // Which money the line is about: its reference, else (a payment reversed by hand, told
    // without one) the line's own money when this invoice applied its credit.
    let fact = moneyFactOfBooking({ bookingId: b.bookingId, kind: b.kind, amountCents: b.amountCents, reference: b.reference }, applied.has(`${b.bookingId}:payment`) || applied.has(`${b.bookingId}:collection`));
    if (fact.kind === 'return' && b.reference === undefined && fact.ref !== undefined && !ledgerOf(inv).entries[fact.ref]) {
      // Its credit is in an opening balance of a state from before references: take it back from that.
      fact = { kind: 'return', amountCents: fact.amountCents };
    }
    if (b.kind === 'reversal') {
      const t = await apply(eventOfMoneyFact(fact, b.reasonCode ?? 'MS03'), `Storno ${b.reasonCode ?? ''}`.trim(), b);
      if (t.ok && t.effects.stornoFollowUp && !settled()) await stornoFollowUp(b);
      return;
    }
    await apply(eventOfMoneyFact(fact), b.kind === 'payment' ? 'Betaling ontvangen' : 'Incasso ontvangen', b);
  };

  const remindable = (): boolean => !settled() && isInvoiceStatus(inv.status) && ['sent', 'reversed', 'reminded', 'final_notice'].includes(inv.status);

  setHandler(bookingSignal, (event: BookingEvent) => {
    queue.push({ kind: 'booking', event });
  });
  setHandler(exportedSignal, (event: ExportedEvent) => {
    queue.push({ kind: 'exported', event });
  });
  setHandler(invoiceStateQuery, (): InvoiceState => ({
    invoiceId: input.invoiceId,
    status: inv.status,
    totalCents: inv.totalCents,
    paidCents: moneyOf(inv).paidCents,
    openCents: openCents(inv),
    costsCents: inv.costsCents ?? 0,
    overpaidCents: moneyOf(inv).overpaidCents,
    remindersDone,
    recollections,
    ...(nextReminderAt ? { nextReminderAt } : {}),
    mandateFlagged,
    events: events.map((e) => ({ ...e })),
  }));
  setHandler(
    runReminderActionUpdate,
    (req: RunReminderActionRequest): Promise<RunReminderActionResult> =>
      withLock(async () => {
        if (!remindable()) throw ApplicationFailure.nonRetryable(`The invoice is ${inv.status}: no reminder`, BillingFailure.ReminderNotAllowed);
        const done = await acts.executeReminderAction({
          key: `run:${req.runId}/invoice:${input.invoiceId}`,
          invoiceId: input.invoiceId,
          actionGroupId: req.actionGroupId,
          actionIndex: req.actionIndex,
          runId: req.runId,
          actor: req.actor,
          ...(facts?.recurringMonthlyCents ? { recurringMonthlyCents: facts.recurringMonthlyCents } : {}),
        });
        chargeCosts(done.costsCents);
        if (isEscalationStatus(done.statusAfter)) await apply({ type: 'reminderAction', statusAfter: done.statusAfter }, `Actie uit actiegroep (run ${req.runId})`);
        if (done.payBy) letterPayBy = done.payBy;
        return { executionId: done.executionId, statusAfter: done.statusAfter };
      }),
    {
      validator: (req: RunReminderActionRequest): void => {
        // A rejected update is not in the history, so this refusal's type changes no replay.
        if (!facts) throw ApplicationFailure.retryable('The invoice is still being loaded; try again', BillingFailure.InvoiceLoading);
        if (facts.reminderMode !== 'module') throw new Error('This office runs reminders in the invoice workflow, not from the reminder module');
        if (!req || !req.runId || req.actionIndex === undefined || !req.actionGroupId) throw new Error('runId, actionGroupId and actionIndex are required');
        if (!remindable()) throw new Error(`The invoice is ${inv.status}: no reminder`);
      },
    },
  );

  facts = await (patched(LOCAL_BILLING_PATCH) ? local : acts).loadInvoiceFacts({ invoiceId: input.invoiceId });
  costsCount = patched(MONEY_INVARIANT_PATCH);
  inv = {
    status: isInvoiceStatus(facts.status) ? facts.status : 'open',
    totalCents: facts.totalCents,
    paidCents: facts.paidCents,
    transferredCents: facts.transferredCents,
    // Facts from before the ledger have none: the paid amounts are read as an opening balance.
    ...(facts.ledger ? { ledger: facts.ledger } : {}),
    ...(costsCount && facts.costsCents ? { costsCents: facts.costsCents } : {}),
  };
  remindersDone = facts.remindersDone;
  recollections = facts.recollections;
  letterPayBy = facts.letterPayBy;
  mandateFlagged = facts.mandateFlagged;
  ladderBase = facts.dueDate;
  for (const key of facts.appliedBookings) applied.add(key);

  for (;;) {
    const item = queue.shift();
    if (item) {
      await withLock(() => handle(item));
      continue;
    }
    if (settled()) {
      nextReminderAt = undefined;
      await condition(() => !busy && allHandlersFinished());
      if (queue.length === 0) break;
      continue;
    }
    if (workflowInfo().continueAsNewSuggested) {
      await condition(() => !busy && allHandlersFinished());
      if (queue.length === 0) await continueAsNew<typeof invoiceWorkflow>(input);
      continue;
    }

    // The ladder, when this office runs reminders in the workflow.
    const step =
      facts.reminderMode === 'workflow' && remindable()
        ? nextReminderStep(
            { id: facts.ladderGroupId ?? 'default', name: 'ladder', actions: facts.ladder },
            {
              dueDate: ladderBase,
              stepsDone: remindersDone,
              today: today(),
              consumer: facts.consumer,
              ...(lastStepOn ? { lastStepOn } : {}),
              ...(letterPayBy ? { letterPayBy } : {}),
            },
          )
        : undefined;
    if (!step || step.kind !== 'action') {
      if (step?.kind === 'blocked') note(`Aanmaningstraject staat stil: ${step.reason}`);
      nextReminderAt = undefined;
      await condition(() => queue.length > 0 || workflowInfo().continueAsNewSuggested);
      continue;
    }
    const at = instantAt(step.date, REMINDER_HOUR).getTime();
    nextReminderAt = new Date(at).toISOString();
    if (at > Date.now() && (await condition(() => queue.length > 0, at - Date.now()))) continue;

    await withLock(async () => {
      // The office may have switched modes, or a payment may have been booked meanwhile.
      facts = await (patched(LOCAL_BILLING_PATCH) ? local : acts).loadInvoiceFacts({ invoiceId: input.invoiceId });
      if (facts.reminderMode !== 'workflow' || !remindable() || queue.length > 0) return;
      const done = await acts.executeReminderAction({
        key: `${workflowId}/reminder:${step.index + 1}`,
        invoiceId: input.invoiceId,
        action: step.action,
        ...(facts.ladderGroupId ? { actionGroupId: facts.ladderGroupId } : {}),
        actor: 'system',
        ...(facts.recurringMonthlyCents ? { recurringMonthlyCents: facts.recurringMonthlyCents } : {}),
      });
      remindersDone = step.index + 1;
      lastStepOn = today();
      if (done.payBy) letterPayBy = done.payBy;
      chargeCosts(done.costsCents);
      if (isEscalationStatus(done.statusAfter)) await apply({ type: 'reminderAction', statusAfter: done.statusAfter }, step.action.name);
    });
  }
  return {
    invoiceId: input.invoiceId,
    status: inv.status,
    totalCents: inv.totalCents,
    paidCents: moneyOf(inv).paidCents,
    openCents: openCents(inv),
    costsCents: inv.costsCents ?? 0,
    overpaidCents: moneyOf(inv).overpaidCents,
    remindersDone,
    recollections,
    mandateFlagged,
    events,
  };
}
