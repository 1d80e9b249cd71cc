/**
 * What the Ockto workflow asks of the outside world (the Ockto activities): their inputs and
 * results. Only the retrieval id, timings, statuses and the answers/classes (enum values) cross
 * here: the source data stays in PostgreSQL.
 */
import type { RiskAnswers, RiskClass, RiskReasonCode } from './risk-class.js';
import type { OcktoCollectStatus, OcktoOutcome } from './retrieval.js';

export type { OcktoCollectStatus } from './retrieval.js';

/** The timings of one retrieval, resolved from the request and the worker's settings. */
export interface OcktoPolicy {
  reminderAfterMs: number;
  expireAfterMs: number;
  pollIntervalMs: number;
  retentionMs: number;
}

export interface StartedOcktoSession {
  policy: OcktoPolicy;
  /** When the retrieval was requested (ms): timeouts count from here, also after a restart. */
  requestedAtMs: number;
}

export interface CollectedOcktoResult {
  status: OcktoCollectStatus;
  /** When shared: the four answers derived from the stored data. */
  answers?: RiskAnswers;
}

export interface RecordOcktoOutcomeInput {
  retrievalId: string;
  outcome: OcktoOutcome;
  reason?: string;
  answers?: RiskAnswers;
  riskClass?: RiskClass;
  reasons?: RiskReasonCode[];
}

export interface OcktoReminderResult {
  sent: boolean;
  note?: string;
}

export interface OcktoActivities {
  /** Creates the Ockto session (idempotent: a retry or a new run finds the stored one). */
  startOcktoSession(input: { retrievalId: string }): Promise<StartedOcktoSession>;
  /** Reads stored data (from a callback) or asks Ockto (polling); stores shared data atomically. */
  collectOcktoResult(input: { retrievalId: string }): Promise<CollectedOcktoResult>;
  /** Mails the client the link again (mail outbox, idempotent on `key`); sent=false with a note when it cannot. */
  sendOcktoReminder(input: { retrievalId: string; key: string }): Promise<OcktoReminderResult>;
  /** Final status, answers and derived class plus its history record (source 'data'); idempotent. */
  recordOcktoOutcome(input: RecordOcktoOutcomeInput): Promise<void>;
  /** Deletes the raw source data at the end of the retention; the classification stays. Idempotent. */
  deleteOcktoSourceData(input: { retrievalId: string }): Promise<{ deleted: boolean }>;
}
