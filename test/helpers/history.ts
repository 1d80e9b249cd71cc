/**
 * Explicit synchronisation points read from a workflow's history, for tests that must wait for
 * "the workflow has handled X" instead of sleeping for a while.
 */
/** How many updates the workflow has accepted (passed their validator), from its history. */
export function acceptedUpdates(history: { events?: ReadonlyArray<{ workflowExecutionUpdateAcceptedEventAttributes?: unknown }> | null }): number {
  return (history.events ?? []).filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes).length;
}

type HistoryEvent = {
  workflowExecutionSignaledEventAttributes?: unknown;
  workflowTaskScheduledEventAttributes?: unknown;
  workflowTaskCompletedEventAttributes?: unknown;
  workflowTaskFailedEventAttributes?: unknown;
  workflowTaskTimedOutEventAttributes?: unknown;
  activityTaskScheduledEventAttributes?: unknown;
  activityTaskCompletedEventAttributes?: unknown;
  activityTaskFailedEventAttributes?: unknown;
  activityTaskTimedOutEventAttributes?: unknown;
  activityTaskCanceledEventAttributes?: unknown;
};
type History = { events?: ReadonlyArray<HistoryEvent> | null };

/** A protobuf timestamp or duration (seconds may be a Long). */
type ProtoTime = { seconds?: { toString(): string } | number | null; nanos?: number | null } | null;
type TimedEvent = {
  eventTime?: ProtoTime;
  timerStartedEventAttributes?: { timerId?: string | null; startToFireTimeout?: ProtoTime } | null;
  timerFiredEventAttributes?: { timerId?: string | null } | null;
  timerCanceledEventAttributes?: { timerId?: string | null } | null;
  workflowExecutionCompletedEventAttributes?: unknown;
  workflowExecutionFailedEventAttributes?: unknown;
  workflowExecutionTimedOutEventAttributes?: unknown;
  workflowExecutionTerminatedEventAttributes?: unknown;
  workflowExecutionCanceledEventAttributes?: unknown;
  workflowExecutionContinuedAsNewEventAttributes?: unknown;
};

const protoMs = (t: ProtoTime | undefined): number => Number(String(t?.seconds ?? 0)) * 1000 + Math.floor((t?.nanos ?? 0) / 1e6);

/**
 * When the earliest timer still open in a running run is due (server time, ms), from its history;
 * undefined when no timer is open or the run has closed (a closed run's timers never fire).
 */
export function nextTimerDueMs(history: { events?: ReadonlyArray<TimedEvent> | null }): number | undefined {
  const events = history.events ?? [];
  const closed = events.some(
    (e) =>
      e.workflowExecutionCompletedEventAttributes ??
      e.workflowExecutionFailedEventAttributes ??
      e.workflowExecutionTimedOutEventAttributes ??
      e.workflowExecutionTerminatedEventAttributes ??
      e.workflowExecutionCanceledEventAttributes ??
      e.workflowExecutionContinuedAsNewEventAttributes,
  );
  if (closed) return undefined;
  const open = new Map<string, number>();
  for (const e of events) {
    const started = e.timerStartedEventAttributes;
    if (started) open.set(started.timerId ?? '', protoMs(e.eventTime) + protoMs(started.startToFireTimeout));
    const ended = e.timerFiredEventAttributes ?? e.timerCanceledEventAttributes;
    if (ended) open.delete(ended.timerId ?? '');
  }
  return open.size > 0 ? Math.min(...open.values()) : undefined;
}

/**
 * The run has handled its last signal: a workflow task completed after it, and no workflow
 * task or activity is open. The explicit state to wait for instead of "give it 500 ms".
 */
export function handledSignals(history: History): boolean {
  const events = history.events ?? [];
  const lastSignal = events.findLastIndex((e) => e.workflowExecutionSignaledEventAttributes);
  if (lastSignal < 0) return false;
  if (!events.slice(lastSignal).some((e) => e.workflowTaskCompletedEventAttributes)) return false;
  return historySettled(history);
}

/** No workflow task and no activity open in the history: the run is waiting (or has ended). */
export function historySettled(history: History): boolean {
  const events = history.events ?? [];
  const count = (has: (e: HistoryEvent) => unknown) => events.filter(has).length;
  const tasks = count((e) => e.workflowTaskScheduledEventAttributes);
  const tasksDone = count((e) => e.workflowTaskCompletedEventAttributes ?? e.workflowTaskFailedEventAttributes ?? e.workflowTaskTimedOutEventAttributes);
  const activities = count((e) => e.activityTaskScheduledEventAttributes);
  const activitiesDone = count(
    (e) => e.activityTaskCompletedEventAttributes ?? e.activityTaskFailedEventAttributes ?? e.activityTaskTimedOutEventAttributes ?? e.activityTaskCanceledEventAttributes,
  );
  return tasks === tasksDone && activities === activitiesDone;
}

/** At least `n` signals are in the history and a workflow task completed after the last of them. */
export function signalsSeen(history: History, n: number): boolean {
  const events = history.events ?? [];
  const signals = events.filter((e) => e.workflowExecutionSignaledEventAttributes).length;
  if (signals < n) return false;
  const lastSignal = events.findLastIndex((e) => e.workflowExecutionSignaledEventAttributes);
  return events.slice(lastSignal).some((e) => e.workflowTaskCompletedEventAttributes);
}
