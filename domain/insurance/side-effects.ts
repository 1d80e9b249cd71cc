/**
 * The side effects the insurance workflows ask for (their activities): inputs and results.
 * The insurance workflow (`insurance:<productId>`) asks RISK for the quote and applies stored
 * RISK events; the RISK poller (`risk-poller`) runs polling rounds. Every call is idempotent:
 * the quote request on the product id (RISK gets it as idempotency key and as our reference),
 * applying an event on the stored message id (history is unique per message, the policy row is
 * guarded by the last-writer rule inside one transaction), a polling round on RISK's message ids
 * (messages deduplicate on them, the cursor is in PostgreSQL). Only ids, codes and counts.
 */
import type { EventDecision } from './events.js';
import type { RiskMessageOutcome } from './risk-messages.js';

export interface RequestRiskQuoteInput {
  productId: string;
}

export interface RequestRiskQuoteResult {
  quoteNumber: string;
}

export interface ApplyRiskEventInput {
  productId: string;
  messageId: string;
  /** The workflow's decision (apply / stale / duplicate) with its reason. */
  decision: EventDecision;
  /** Status before and after, decided by the workflow (domain/insurance statusAfter). */
  fromStatus: string;
  toStatus: string;
}

export interface ApplyRiskEventResult {
  /** What was written: applied (history entry + product updated), or ignored with the reason. */
  outcome: RiskMessageOutcome;
  reason: string;
}

/** The insurance workflow's activities (implemented in activities/insurance.activities.ts). */
export interface InsuranceActivities {
  requestRiskQuote(input: RequestRiskQuoteInput): Promise<RequestRiskQuoteResult>;
  applyRiskEvent(input: ApplyRiskEventInput): Promise<ApplyRiskEventResult>;
}

export interface PollRiskEventsInput {
  /** Only these offices; absent = every office with insurance policies (the platform has one RISK account). */
  officeIds?: string[];
}

/** One polling round: counts and office ids only (the events themselves stay in PostgreSQL). */
export interface PollRiskEventsResult {
  /** Offices polled this round. */
  offices: number;
  /** Events RISK returned, and those newly stored (a duplicate of a webhook message is not). */
  fetched: number;
  stored: number;
  /** Offices whose poll failed (logged by the worker; their cursor did not move, the next round retries). */
  failedOfficeIds: string[];
}

/** What the RISK poller workflow (`risk-poller`) asks: one round over the offices. Idempotent: messages deduplicate on their RISK id, the cursor is in PostgreSQL. */
export interface RiskPollActivities {
  pollRiskEvents(input: PollRiskEventsInput): Promise<PollRiskEventsResult>;
}
