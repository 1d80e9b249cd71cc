/**
 * The RISK poller (`risk-poller`): the polling fallback next to RISK's webhooks, as one durable
 * workflow for the whole platform, however many API replicas and workers run.
 *
 * It loops: one round (activity `pollRiskEvents`: every office's events since its cursor,
 * through the same store-then-route path as the webhook), then waits `intervalSeconds` (a
 * `riskPollInterval` signal changes it, also during the wait). A round that still fails after
 * its retries is counted and logged; the loop goes on and the next round retries (the cursor
 * is in PostgreSQL and moves only past stored events). Rounds never overlap. It continues as new
 * after `roundsPerRun` rounds or when Temporal suggests it, once all handlers finished.
 *
 * No I/O, no Node built-ins; the clock is the workflow's.
 */
import { ActivityFailure, allHandlersFinished, condition, continueAsNew, log, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { PollRiskEventsResult, RiskPollActivities } from '../../activities/insurance.contract.js';
import { riskPollerStateQuery, riskPollIntervalSignal, type RiskPollerInput, type RiskPollerState } from './risk-poller.messages.js';

/** Rounds per run before continuing as new (about 9 history events each: 500 rounds stay well below Temporal's limits). */
export const ROUNDS_PER_RUN = 500;
export const MAX_INTERVAL_SECONDS = 86_400;

/**
 * A round is idempotent, so a failed one is retried a few times; after that the loop waits for
 * the next round instead (RISK may be down for hours: the interval is the back-off).
 * RiskRejected = no RISK connection on the worker: retrying does not help.
 */
const acts = proxyActivities<RiskPollActivities>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 3, nonRetryableErrorTypes: ['RiskRejected'] },
});

const validInterval = (seconds: unknown): seconds is number =>
  typeof seconds === 'number' && Number.isInteger(seconds) && seconds >= 1 && seconds <= MAX_INTERVAL_SECONDS;

export async function riskPollerWorkflow(input: RiskPollerInput): Promise<never> {
  const roundsPerRun = input.roundsPerRun ?? ROUNDS_PER_RUN;
  const state: RiskPollerState = {
    intervalSeconds: validInterval(input.intervalSeconds) ? input.intervalSeconds : 60,
    rounds: input.carried?.rounds ?? 0,
    failedRounds: input.carried?.failedRounds ?? 0,
    stored: input.carried?.stored ?? 0,
    roundsThisRun: 0,
  };
  if (!validInterval(input.intervalSeconds)) log.warn('risk poller: input interval invalid, polling every 60 s', { intervalSeconds: input.intervalSeconds });
  let intervalChanges = 0;

  setHandler(riskPollIntervalSignal, (seconds) => {
    if (!validInterval(seconds)) {
      log.warn('risk poller: interval ignored (must be an integer 1-86400 seconds)', { seconds });
      return;
    }
    if (seconds === state.intervalSeconds) return;
    state.intervalSeconds = seconds;
    intervalChanges += 1;
  });
  setHandler(riskPollerStateQuery, (): RiskPollerState => ({ ...state, ...(state.lastRound ? { lastRound: { ...state.lastRound } } : {}) }));

  for (;;) {
    let round: PollRiskEventsResult | undefined;
    try {
      round = await acts.pollRiskEvents(input.officeIds ? { officeIds: input.officeIds } : {});
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      state.failedRounds += 1;
      log.warn('risk poller: round failed after its retries; the next round retries', { error: err.cause?.message ?? err.message });
    }
    state.rounds += 1;
    state.roundsThisRun += 1;
    if (round) {
      state.lastRound = round;
      state.stored += round.stored;
    }
    const endedAt = Date.now();
    state.lastRoundAt = new Date(endedAt).toISOString();

    // Wait the interval from the end of this round; a new interval re-plans the wait.
    for (;;) {
      const remainingMs = endedAt + state.intervalSeconds * 1000 - Date.now();
      if (remainingMs <= 0) break;
      const seen = intervalChanges;
      if (!(await condition(() => intervalChanges !== seen, remainingMs))) break;
    }

    if (state.roundsThisRun >= roundsPerRun || workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof riskPollerWorkflow>({
        intervalSeconds: state.intervalSeconds,
        ...(input.officeIds ? { officeIds: input.officeIds } : {}),
        ...(input.roundsPerRun !== undefined ? { roundsPerRun: input.roundsPerRun } : {}),
        carried: { rounds: state.rounds, failedRounds: state.failedRounds, stored: state.stored },
      });
    }
  }
}
