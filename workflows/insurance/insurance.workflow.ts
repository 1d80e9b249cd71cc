/**
 * The insurance workflow (`insurance:<productId>`): one per insurance product, driven by RISK.
 *
 * It asks RISK for the quote when the adviser requested one here, then applies the RISK
 * events signalled to it (quote, final, mutation, cancellation) one at a time, in arrival
 * order, deciding each with the last-writer rule of domain/insurance (version, then event
 * time): a newer event updates the same product, an older or conflicting one is kept as
 * `ignored` with the reason. Because every event for one product goes through this single
 * workflow, two events arriving at the same moment are serialised here; the activity checks
 * the same rule again inside its transaction, so the database never goes back either.
 *
 * The workflow ends when the product has ended (cancellation) and nothing is waiting; a
 * later message for it is recorded by the API, not acted on. No I/O, no clock.
 */
import {
  ActivityFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  log,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { InsuranceActivities, InsuranceActivityFailure } from '../../activities/insurance.contract.js';
import { decideEvent, InsuranceStatus, statusAfter } from '../../domain/insurance/events.js';
import {
  insuranceStateQuery,
  riskEventSignal,
  type InsuranceCarriedState,
  type InsuranceState,
  type InsuranceWorkflowInput,
  type RiskEvent,
} from './insurance.messages.js';

// Only `import type` from activities/ is allowed here; the Record makes the compiler insist on
// a decision for every failure type (true = do not retry).
type FailureType = (typeof InsuranceActivityFailure)[keyof typeof InsuranceActivityFailure];
const nonRetryable: Record<FailureType, boolean> = { RiskNotFound: true, RiskRejected: true, RiskUnavailable: false };
const nonRetryableErrorTypes = Object.entries(nonRetryable)
  .filter(([, no]) => no)
  .map(([type]) => type);

/** Nobody waits on these and a RISK event must never be lost: retry long (RISK may be down for hours). */
const acts = proxyActivities<InsuranceActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes', nonRetryableErrorTypes },
});

export async function insuranceWorkflow(input: InsuranceWorkflowInput): Promise<InsuranceState> {
  const state: InsuranceCarriedState = input.carried
    ? { ...input.carried, ...(input.carried.lastApplied ? { lastApplied: { ...input.carried.lastApplied } } : {}) }
    : { status: input.initialStatus, applied: 0, ignored: 0 };
  const inbox: RiskEvent[] = [];

  setHandler(riskEventSignal, (event) => {
    inbox.push(event);
  });
  setHandler(insuranceStateQuery, (): InsuranceState => ({
    productId: input.productId,
    ...state,
    ...(state.lastApplied ? { lastApplied: { ...state.lastApplied } } : {}),
  }));

  if (input.requestQuote && !input.carried && state.quoteNumber === undefined) {
    try {
      const answer = await acts.requestRiskQuote({ productId: input.productId });
      state.quoteNumber = answer.quoteNumber;
    } catch (err) {
      // RISK refused the request (or no RISK is configured): the product stays "quote requested"
      // and the reason is in the worker log; events RISK sends anyway are still applied below.
      if (!(err instanceof ActivityFailure)) throw err;
      log.warn('RISK quote request failed', { productId: input.productId, reason: err.cause?.message ?? err.message });
    }
  }

  const handle = async (event: RiskEvent): Promise<void> => {
    const decision = decideEvent(state.lastApplied, { version: event.version, eventAt: event.eventAt, messageId: event.messageId });
    const toStatus = decision.outcome === 'apply' ? statusAfter(state.status, event.kind) : state.status;
    const result = await acts.applyRiskEvent({
      productId: input.productId,
      messageId: event.messageId,
      decision,
      fromStatus: state.status,
      toStatus,
    });
    state.quoteNumber ??= event.policyNumber;
    if (result.outcome === 'applied') {
      state.lastApplied = { messageId: event.messageId, version: event.version, eventAt: event.eventAt };
      state.status = toStatus;
      state.applied += 1;
    } else {
      state.ignored += 1;
    }
  };

  for (;;) {
    await condition(() => inbox.length > 0 || state.status === InsuranceStatus.Ended || workflowInfo().continueAsNewSuggested);
    while (inbox.length > 0) {
      const next = inbox.shift()!;
      await handle(next);
    }
    // Signals are handled synchronously (queued), so an empty inbox here means nothing is lost:
    // returning and continuing-as-new happen in this same workflow task.
    if (state.status === InsuranceStatus.Ended) break;
    if (workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof insuranceWorkflow>({ ...input, requestQuote: false, carried: state });
    }
  }
  await condition(allHandlersFinished);
  return { productId: input.productId, ...state };
}
