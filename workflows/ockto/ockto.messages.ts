/**
 * Messages of the Ockto retrieval workflow (`ockto:<retrievalId>`). Only ids, statuses and the
 * answers/classes (enum values) travel here; the source data stays in PostgreSQL.
 */
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { RiskAnswers, RiskClass, RiskReasonCode } from '../../domain/ockto/risk-class.js';

export interface OcktoWorkflowInput {
  retrievalId: string;
  /** Set by the workflow itself when it continues as new. */
  carried?: { reminded: boolean };
}

/** Ockto called back (stored first under `eventId`): look at the result now instead of at the next poll. */
export interface OcktoCallbackEvent {
  eventId: string;
}
export const ocktoCallbackSignal = defineSignal<[OcktoCallbackEvent]>('ocktoCallback');

export type OcktoWorkflowStatus = 'starting' | 'waiting' | 'classified' | 'declined' | 'expired' | 'failed';

export interface OcktoWorkflowState {
  retrievalId: string;
  status: OcktoWorkflowStatus;
  reminded: boolean;
  answers?: RiskAnswers;
  riskClass?: RiskClass;
  reasons?: RiskReasonCode[];
  /** ISO instants of what the workflow waits for. */
  expiresAt?: string;
  sourceDataDeleteAt?: string;
  sourceDataDeleted: boolean;
  statusReason?: string;
}
export const ocktoStateQuery = defineQuery<OcktoWorkflowState>('ocktoState');
