/**
 * The insurance workflows' activity contract: the interfaces and their data types are defined
 * in domain/insurance/side-effects.ts (so services can take the same inputs); the failure types
 * the workflows decide on are defined here.
 */
export type {
  ApplyRiskEventInput,
  ApplyRiskEventResult,
  InsuranceActivities,
  PollRiskEventsInput,
  PollRiskEventsResult,
  RequestRiskQuoteInput,
  RequestRiskQuoteResult,
  RiskPollActivities,
} from '../domain/insurance/side-effects.js';

/** Failure types the insurance activities raise (ApplicationFailure.type). */
export const InsuranceActivityFailure = {
  NotFound: 'RiskNotFound',
  /** No RISK client configured, or RISK refused the request: retrying does not help. */
  RiskRejected: 'RiskRejected',
  RiskUnavailable: 'RiskUnavailable',
} as const;
export type InsuranceActivityFailureType = (typeof InsuranceActivityFailure)[keyof typeof InsuranceActivityFailure];
