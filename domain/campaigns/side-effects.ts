/**
 * What the campaign workflow asks of the outside world (the campaign activities): their inputs
 * and results. Only the campaign id, person ids (as the batch cursor), counters and statuses
 * cross here: names, addresses and mail texts stay in PostgreSQL and are read at send time.
 */
import type { CampaignStatus } from './campaign.js';

export type { CampaignStatus } from './campaign.js';

/** The counters of a campaign as PostgreSQL has them (recomputed from the recipient rows). */
export interface CampaignProgress {
  total: number;
  sent: number;
  failed: number;
  /** Not mailed on purpose: opted out or no e-mail address (at freeze time or at send time). */
  skipped: number;
  cancelled: number;
  pending: number;
}

export interface LoadedCampaign {
  campaignId: string;
  /** False when the row is gone (deleted with its office): the workflow ends without doing anything. */
  exists: boolean;
  status: CampaignStatus;
  batchSize: number;
  batchIntervalMs: number;
  progress: CampaignProgress;
}

export interface SendCampaignBatchInput {
  campaignId: string;
  /** Person id of the last recipient the previous batch handled (recipients go by position). */
  afterRecipientId?: string;
  batchSize: number;
}

export interface SendCampaignBatchResult {
  /** Recipients this batch looked at (0: nothing pending after the cursor: the campaign is through). */
  processed: number;
  sentNow: number;
  failedNow: number;
  skippedNow: number;
  /** The cursor for the next batch. */
  lastRecipientId?: string;
  progress: CampaignProgress;
}

export interface CampaignActivities {
  /** The campaign's settings and counters (no personal data). */
  loadCampaign(input: { campaignId: string }): Promise<LoadedCampaign>;
  /**
   * Mails the next pending recipients, each on the outbox key `campaign:<id>/person:<pid>`, and
   * marks each row sent / failed / opted_out / no_email with its reason. Idempotent per
   * recipient: a retried or re-run batch finds the rows no longer pending and the mails sent.
   * The opt-out and the address are read again here, so an opt-out after the freeze is respected.
   */
  sendCampaignBatch(input: SendCampaignBatchInput): Promise<SendCampaignBatchResult>;
  /** Writes the campaign status and the recomputed counters. Idempotent. */
  recordCampaignStatus(input: { campaignId: string; status: CampaignStatus }): Promise<CampaignProgress>;
  /** Marks every still-pending recipient 'cancelled' and the campaign 'cancelled'. Idempotent. */
  cancelCampaignRecipients(input: { campaignId: string }): Promise<CampaignProgress>;
}
