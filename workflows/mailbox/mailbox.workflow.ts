/**
 * The poller of one office's IMAP mailbox (`mailbox:<officeId>`): inbound mail
 * (*inkomende mail*), durable however many API replicas and workers run.
 *
 * It loops: one poll (activity `pollMailbox`: the new messages by UID, each stored and linked
 * before the UID cursor in PostgreSQL passes it), then waits `intervalSeconds` (a
 * `mailboxInterval` signal changes it, `mailboxPollNow` ends the wait). A poll that still fails
 * after its retries is counted and the loop goes on: the next poll starts from the cursor, and
 * the unique Message-ID makes a mail read twice a duplicate. Polls never overlap. It continues
 * as new after `pollsPerRun` polls or when Temporal suggests it, once all handlers finished.
 *
 * History holds the office id and counts only. No I/O, no Node built-ins; the clock is the workflow's.
 */
import { ActivityFailure, allHandlersFinished, condition, continueAsNew, log, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { MailboxActivities, PollMailboxResult } from '../../activities/mailbox.contract.js';
import { mailboxIntervalSignal, mailboxPollNowSignal, mailboxStateQuery, type MailboxPollerInput, type MailboxPollerState } from './mailbox.messages.js';

/** Polls per run before continuing as new (about 9 history events each). */
export const POLLS_PER_RUN = 500;
export const MIN_INTERVAL_SECONDS = 5;
export const MAX_INTERVAL_SECONDS = 86_400;

/**
 * A poll is idempotent, so a failed one is retried a few times; after that the loop waits for the
 * next poll (the server may be down for hours: the interval is the back-off). A worker that dies
 * mid-poll is noticed by the start-to-close timeout and the poll retried on another worker.
 */
const acts = proxyActivities<MailboxActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 3, nonRetryableErrorTypes: ['MailboxNotConfigured'] },
});

const validInterval = (seconds: unknown): seconds is number =>
  typeof seconds === 'number' && Number.isInteger(seconds) && seconds >= MIN_INTERVAL_SECONDS && seconds <= MAX_INTERVAL_SECONDS;

export async function mailboxWorkflow(input: MailboxPollerInput): Promise<never> {
  const pollsPerRun = input.pollsPerRun ?? POLLS_PER_RUN;
  const state: MailboxPollerState = {
    intervalSeconds: validInterval(input.intervalSeconds) ? input.intervalSeconds : 60,
    polls: input.carried?.polls ?? 0,
    failedPolls: input.carried?.failedPolls ?? 0,
    stored: input.carried?.stored ?? 0,
    pollsThisRun: 0,
  };
  let wakeUps = 0;
  let pollNow = false;

  setHandler(mailboxIntervalSignal, (seconds) => {
    if (!validInterval(seconds) || seconds === state.intervalSeconds) return;
    state.intervalSeconds = seconds;
    wakeUps += 1;
  });
  setHandler(mailboxPollNowSignal, () => {
    wakeUps += 1;
    pollNow = true;
  });
  setHandler(mailboxStateQuery, (): MailboxPollerState => ({ ...state, ...(state.lastPoll ? { lastPoll: { ...state.lastPoll } } : {}) }));

  for (;;) {
    pollNow = false;
    let poll: PollMailboxResult | undefined;
    try {
      poll = await acts.pollMailbox({ officeId: input.officeId });
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      state.failedPolls += 1;
      log.warn('mailbox: poll failed after its retries; the next poll retries', { officeId: input.officeId, failure: err.cause?.name });
    }
    state.polls += 1;
    state.pollsThisRun += 1;
    if (poll) {
      state.lastPoll = poll;
      state.stored += poll.stored;
    }
    const endedAt = Date.now();
    state.lastPollAt = new Date(endedAt).toISOString();

    // Wait the interval from the end of this poll; a new interval re-plans the wait, "poll now" ends it.
    while (!pollNow) {
      const remainingMs = endedAt + state.intervalSeconds * 1000 - Date.now();
      if (remainingMs <= 0) break;
      const seen = wakeUps;
      if (!(await condition(() => wakeUps !== seen, remainingMs))) break;
    }

    if (state.pollsThisRun >= pollsPerRun || workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof mailboxWorkflow>({
        officeId: input.officeId,
        intervalSeconds: state.intervalSeconds,
        ...(input.pollsPerRun !== undefined ? { pollsPerRun: input.pollsPerRun } : {}),
        carried: { polls: state.polls, failedPolls: state.failedPolls, stored: state.stored },
      });
    }
  }
}
