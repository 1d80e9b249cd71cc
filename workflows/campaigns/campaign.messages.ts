/**
 * Messages of the campaign workflow (`campaign:<campaignId>`). Only the id, counters and the
 * state travel here; who the recipients are stays in PostgreSQL.
 */
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { CampaignProgress } from '../../domain/campaigns/side-effects.js';

export interface CampaignWorkflowInput {
  campaignId: string;
  /** Set by the workflow itself when it continues as new. */
  carried?: { paused: boolean; cancelRequested: boolean; afterRecipientId?: string; batches: number };
}

/** 'completed' is "done": the name the campaigns table uses. */
export type CampaignWorkflowStatus = 'starting' | 'running' | 'paused' | 'cancelled' | 'completed';

export interface CampaignWorkflowState extends CampaignProgress {
  campaignId: string;
  state: CampaignWorkflowStatus;
  /** Batches sent over all runs of the workflow. */
  batches: number;
}

export const campaignStateQuery = defineQuery<CampaignWorkflowState>('campaignState');
/** Stop after the current batch until resumed. */
export const pauseCampaignSignal = defineSignal('pauseCampaign');
export const resumeCampaignSignal = defineSignal('resumeCampaign');
/** Stop after the current batch for good; the recipients not reached are marked 'cancelled'. */
export const cancelCampaignSignal = defineSignal('cancelCampaign');
