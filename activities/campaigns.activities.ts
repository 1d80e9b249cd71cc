/**
 * The campaign workflow's side effects (CampaignActivities): thin adapters over
 * services/campaigns/batches.ts. Mail campaigns mail each recipient once, through the outbox on
 * the key `campaign:<id>/person:<pid>`; a recipient that cannot be mailed is that recipient's
 * result, not a failure.
 */
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Mailer } from '../integrations/mail/transport.js';
import { cancelCampaignRecipients, loadCampaign, recordCampaignStatus, sendCampaignBatch } from '../services/campaigns/batches.js';
import type { CampaignActivities } from './campaigns.contract.js';
import { sharedFailureTypes, withFailureTypes, type FailureTypes } from './failures.js';

export { campaignMailKey } from '../services/campaigns/batches.js';

export interface CampaignActivitiesDeps {
  orm: MikroORM;
  mailer: Mailer;
  mailFrom: string;
  now?: () => Date;
}

/** The campaign group has no refusals of its own: the failure types every group shares (a mail failure keeps its MailRejected / MailUnavailable). */
const campaignFailureTypes: FailureTypes = sharedFailureTypes;

export function createCampaignActivities(deps: CampaignActivitiesDeps): CampaignActivities {
  const fork = (): EntityManager => deps.orm.em.fork();
  const now = deps.now ?? (() => new Date());
  const mail = { mailer: deps.mailer, mailFrom: deps.mailFrom };
  return withFailureTypes(
    {
      loadCampaign: (input) => loadCampaign(fork(), input),
      sendCampaignBatch: (input) => sendCampaignBatch(fork(), mail, input, now),
      recordCampaignStatus: (input) => recordCampaignStatus(fork(), input),
      cancelCampaignRecipients: (input) => cancelCampaignRecipients(fork(), input),
    },
    campaignFailureTypes,
  );
}
