/**
 * Messages of the insurance workflow (`insurance:<productId>`, see domain/workflow-ids.ts): its
 * input and the RISK event signal. Only ids, codes, versions, dates and amounts travel here:
 * the policyholder's name and birth date stay in the stored RISK message in PostgreSQL.
 */
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { InsuranceEventKind } from '../../domain/insurance/events.js';

export interface InsuranceWorkflowInput {
  productId: string;
  dossierId: string;
  /** Status the product starts in (the insurance process's initial status, or later when RISK created it). */
  initialStatus: string;
  /** True when the adviser requested the quote here: the workflow asks RISK for it first. */
  requestQuote: boolean;
  /** Set only when the workflow continues as new. */
  carried?: InsuranceCarriedState;
}

/** A stored RISK message delivered to the product (risk_messages row `messageId`). */
export interface RiskEvent {
  messageId: string;
  kind: InsuranceEventKind;
  policyNumber: string;
  version: number;
  /** ISO instant RISK made the event. */
  eventAt: string;
  premiumCents: number;
}

export interface AppliedEvent {
  messageId: string;
  version: number;
  eventAt: string;
}

export interface InsuranceCarriedState {
  status: string;
  quoteNumber?: string;
  lastApplied?: AppliedEvent;
  applied: number;
  ignored: number;
}

export interface InsuranceState extends InsuranceCarriedState {
  productId: string;
}

export const riskEventSignal = defineSignal<[RiskEvent]>('riskEvent');
export const insuranceStateQuery = defineQuery<InsuranceState>('insuranceState');
