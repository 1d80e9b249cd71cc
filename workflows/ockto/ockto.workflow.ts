/**
 * The Ockto retrieval workflow (`ockto:<retrievalId>`): creates the Ockto session, waits for the
 * client to share (callback signal or polling), reminds the client once after the configured
 * time, ends 'expired' after the timeout, derives the risk class from the four answers
 * (domain/ockto) and keeps running until the retention of the raw source data ends, then has it
 * deleted. The classification and its history stay in PostgreSQL.
 *
 * The workflow only ever sees the retrieval id, statuses and the answers (enum values).
 */
import { ApplicationFailure, allHandlersFinished, condition, continueAsNew, proxyActivities, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import type { CollectedOcktoResult, OcktoActivities } from '../../activities/ockto.contract.js';
import { deriveRiskClass, unknownAnswers } from '../../domain/ockto/risk-class.js';
import { ocktoCallbackSignal, ocktoStateQuery, type OcktoWorkflowInput, type OcktoWorkflowState } from './ockto.messages.js';

const acts = proxyActivities<OcktoActivities>({
  startToCloseTimeout: '1 minute',
  retry: {
    initialInterval: '5 seconds',
    backoffCoefficient: 2,
    maximumInterval: '5 minutes',
    // Not configured, refused by Ockto, unknown retrieval: waiting will not fix these.
    nonRetryableErrorTypes: ['OcktoRetrievalNotFound', 'OcktoNotConfigured', 'OcktoRejected', 'OcktoInvalidResponse', 'OcktoUnknownSession'],
  },
});

/** Polling and reminder activities may fail while Ockto is down: give up on one attempt after a while, the loop polls again. */
const pollActs = proxyActivities<OcktoActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', maximumInterval: '1 minute', maximumAttempts: 3, nonRetryableErrorTypes: ['OcktoRetrievalNotFound', 'OcktoNotConfigured'] },
});

export async function ocktoRetrievalWorkflow(input: OcktoWorkflowInput): Promise<OcktoWorkflowState> {
  const workflowId = workflowInfo().workflowId;
  // Handlers before the first await: a callback may arrive while the session is being made.
  const state: OcktoWorkflowState = { retrievalId: input.retrievalId, status: 'starting', reminded: input.carried?.reminded ?? false, sourceDataDeleted: false };
  let callbacks = 0;
  setHandler(ocktoCallbackSignal, () => {
    callbacks += 1;
  });
  setHandler(ocktoStateQuery, (): OcktoWorkflowState => ({ ...state }));

  const failed = async (reason: string): Promise<OcktoWorkflowState> => {
    state.status = 'failed';
    state.statusReason = reason;
    await acts.recordOcktoOutcome({ retrievalId: input.retrievalId, outcome: 'failed', reason });
    return { ...state };
  };

  let started;
  try {
    started = await acts.startOcktoSession({ retrievalId: input.retrievalId });
  } catch (err) {
    return failed(`De Ockto-sessie kon niet worden gestart: ${failureMessage(err)}`);
  }
  const { policy, requestedAtMs } = started;
  state.status = 'waiting';
  const deadline = requestedAtMs + policy.expireAfterMs;
  const reminderAt = requestedAtMs + policy.reminderAfterMs;
  state.expiresAt = new Date(deadline).toISOString();

  let result: CollectedOcktoResult = { status: 'pending' };
  for (;;) {
    const seen = callbacks;
    try {
      result = await pollActs.collectOcktoResult({ retrievalId: input.retrievalId });
    } catch (err) {
      // Ockto unreachable or answering nonsense for a while: keep waiting until the deadline.
      if (isFatal(err)) return failed(`Ockto-resultaat niet op te halen: ${failureMessage(err)}`);
      result = { status: 'pending' };
    }
    if (result.status !== 'pending') break;
    const now = Date.now();
    if (now >= deadline) break;
    if (!state.reminded && now >= reminderAt && reminderAt < deadline) {
      try {
        await pollActs.sendOcktoReminder({ retrievalId: input.retrievalId, key: `${workflowId}/reminder` });
      } catch {
        // A failed reminder must not stop the retrieval; the adviser sees no reminder_sent_at.
      }
      state.reminded = true;
      continue;
    }
    if (workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof ocktoRetrievalWorkflow>({ retrievalId: input.retrievalId, carried: { reminded: state.reminded } });
    }
    const nextAt = Math.min(now + policy.pollIntervalMs, deadline, state.reminded ? deadline : reminderAt);
    await condition(() => callbacks !== seen, Math.max(1, nextAt - now));
  }

  if (result.status === 'shared' && result.answers) {
    const decision = deriveRiskClass(result.answers);
    Object.assign(state, { status: 'classified', answers: result.answers, riskClass: decision.riskClass, reasons: decision.reasons });
    await acts.recordOcktoOutcome({ retrievalId: input.retrievalId, outcome: 'classified', answers: result.answers, riskClass: decision.riskClass, reasons: decision.reasons });
  } else if (result.status === 'declined') {
    // Refusing the legally required data is Onacceptabel (seed 002); the adviser may deviate.
    const decision = deriveRiskClass(unknownAnswers, { refused: true });
    Object.assign(state, { status: 'declined', answers: unknownAnswers, riskClass: decision.riskClass, reasons: decision.reasons, statusReason: 'De klant heeft het delen van de gegevens geweigerd' });
    await acts.recordOcktoOutcome({ retrievalId: input.retrievalId, outcome: 'declined', answers: unknownAnswers, riskClass: decision.riskClass, reasons: decision.reasons, reason: state.statusReason });
    return { ...state };
  } else if (result.status === 'pending' || result.status === 'expired') {
    const days = Math.round((policy.expireAfterMs / 86_400_000) * 10) / 10;
    state.status = 'expired';
    state.statusReason =
      result.status === 'expired'
        ? 'De Ockto-sessie is verlopen zonder dat de klant gegevens deelde'
        : `De klant heeft binnen ${days >= 1 ? `${days} dagen` : `${Math.round(policy.expireAfterMs / 1000)} seconden`} geen gegevens gedeeld${state.reminded ? ', ook niet na de herinnering' : ''}`;
    await acts.recordOcktoOutcome({ retrievalId: input.retrievalId, outcome: 'expired', reason: state.statusReason });
    return { ...state };
  } else {
    return failed('Ockto meldt dat het ophalen van de gegevens is mislukt');
  }

  // Retention: the raw data goes after the configured time; the class and history stay.
  state.sourceDataDeleteAt = new Date(Date.now() + policy.retentionMs).toISOString();
  await sleep(policy.retentionMs);
  await acts.deleteOcktoSourceData({ retrievalId: input.retrievalId });
  state.sourceDataDeleted = true;
  await condition(allHandlersFinished);
  return { ...state };
}

function failureMessage(err: unknown): string {
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
  return cause instanceof Error ? cause.message : String(cause);
}

/** Failures that polling again will not cure. */
function isFatal(err: unknown): boolean {
  const cause = err instanceof Error && err.cause instanceof ApplicationFailure ? err.cause : undefined;
  return cause?.type === 'OcktoRetrievalNotFound' || cause?.type === 'OcktoNotConfigured';
}
