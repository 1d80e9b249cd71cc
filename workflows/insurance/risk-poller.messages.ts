/**
 * Messages of the RISK poller workflow (`risk-poller`, see domain/workflow-ids.ts): one for the
 * platform. Its input, signal, query and results carry an interval, office ids and counts
 * only: the polled RISK messages themselves are stored in PostgreSQL by the activity.
 */
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { PollRiskEventsResult } from '../../activities/insurance.contract.js';

export interface RiskPollerInput {
  /** Seconds from the end of one round to the start of the next (settings RISK_POLL_SECONDS). */
  intervalSeconds: number;
  /** Only these offices; absent = every office with insurance policies (what the platform runs). */
  officeIds?: string[];
  /** Continue as new after this many rounds (default ROUNDS_PER_RUN), or earlier when Temporal suggests it. */
  roundsPerRun?: number;
  /** Set only when the workflow continues as new. */
  carried?: RiskPollerTotals;
}

/** Totals since the poller first started (carried across continue-as-new). */
export interface RiskPollerTotals {
  rounds: number;
  /** Rounds whose activity failed after its retries (the loop went on). */
  failedRounds: number;
  /** RISK events newly stored by polling. */
  stored: number;
}

export interface RiskPollerState extends RiskPollerTotals {
  intervalSeconds: number;
  /** Rounds in this run (continue-as-new starts again at 0). */
  roundsThisRun: number;
  lastRound?: PollRiskEventsResult;
  /** ISO instant (workflow time) the last round ended, successful or not. */
  lastRoundAt?: string;
}

/** A new interval in seconds (an integer 1-86400; anything else is ignored). Takes effect for the wait in progress. */
export const riskPollIntervalSignal = defineSignal<[number]>('riskPollInterval');
export const riskPollerStateQuery = defineQuery<RiskPollerState>('riskPollerState');
