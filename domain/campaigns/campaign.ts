/**
 * The closed lists of mail campaigns (DOMAIN process 8): the migration CHECKs of `campaigns`
 * and `campaign_recipients`, the API schemas and the workflow follow these.
 */

/** The status of a campaign (campaigns.status). */
export const campaignStatuses = ['running', 'paused', 'cancelled', 'completed'] as const;
export type CampaignStatus = (typeof campaignStatuses)[number];

/** The result per recipient (campaign_recipients.status); only 'pending' rows are still to be mailed. */
export const recipientStatuses = ['pending', 'sent', 'opted_out', 'no_email', 'failed', 'cancelled'] as const;
export type RecipientStatus = (typeof recipientStatuses)[number];

/** Recipients not mailed on purpose (they count as `skipped`). */
export const skippedRecipientStatuses = ['opted_out', 'no_email'] as const satisfies readonly RecipientStatus[];

/** What an adviser may ask of a running campaign (a signal to its workflow). */
export const campaignActions = ['pause', 'resume', 'cancel'] as const;
export type CampaignAction = (typeof campaignActions)[number];
