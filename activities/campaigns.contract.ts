/**
 * The campaign workflow's activity contract: the interface and its data types are defined in
 * domain/campaigns/side-effects.ts (so services can take the same inputs). Campaign activities
 * raise no failure types of their own: a recipient that cannot be mailed is that recipient's
 * result, and a mail failure keeps the outbox's type (MailRejected / MailUnavailable).
 */
export type {
  CampaignActivities,
  CampaignProgress,
  CampaignStatus,
  LoadedCampaign,
  SendCampaignBatchInput,
  SendCampaignBatchResult,
} from '../domain/campaigns/side-effects.js';
