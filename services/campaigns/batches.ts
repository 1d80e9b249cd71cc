/**
 * Sending a mail campaign in batches, as its workflow drives it (issue #6 part 3, DOMAIN
 * process 8).
 *
 * The recipients were frozen in `campaign_recipients` when the campaign was created; a batch
 * takes the next pending rows by position, re-reads each person (opt-out, address, anonymised)
 * and mails through the outbox on the key `campaign:<id>/person:<pid>`. Each row leaves
 * 'pending' only after its mail is sent (or the reason it was not is written), so a batch that
 * crashes halfway and is retried, or is run again by a new workflow run, finds the mailed rows
 * done and the outbox rows sent: nobody gets the campaign twice.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { personFullName } from '../../db/entities/index.js';
import { rows } from '../../db/sql.js';
import type { CampaignStatus } from '../../domain/campaigns/campaign.js';
import type { CampaignProgress, LoadedCampaign, SendCampaignBatchInput, SendCampaignBatchResult } from '../../domain/campaigns/side-effects.js';
import { workflowIds } from '../../domain/workflow-ids.js';
import { MailSendError } from '../../integrations/mail/errors.js';
import type { Mailer } from '../../integrations/mail/transport.js';
import type { PersonRow } from '../crm/store.js';
import { formatDateNl } from '../dossiers/context.js';
import { renderTemplate } from '../templates/render.js';
import { loadTemplate, renderOrFail } from '../templates/load.js';
import { deliverMail, enqueueMail } from '../work/mail-outbox.js';
import {
  campaignById,
  campaignWithOffice,
  cancelPendingRecipients,
  markRecipient,
  recipientPosition,
  refreshCampaignCounters,
  type CampaignRecipientRow,
  type RecipientResult,
} from './store.js';

export interface CampaignMailDeps {
  mailer: Mailer;
  mailFrom: string;
}

/** The outbox key of a campaign mail: one per campaign and person, whatever run or attempt sends it. */
export function campaignMailKey(campaignId: string, personId: string): string {
  return `${workflowIds.campaign(campaignId)}/person:${personId}`;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const emptyProgress = (): CampaignProgress => ({ total: 0, sent: 0, failed: 0, skipped: 0, cancelled: 0, pending: 0 });

/** A pending recipient as a batch reads it: the row, the person as they are now, and their dossier's number. */
type BatchRecipient = Pick<CampaignRecipientRow, 'person_id' | 'dossier_id' | 'position'> &
  Pick<PersonRow, 'first_name' | 'infix' | 'last_name' | 'email' | 'mail_opt_out' | 'anonymised_at'> & { dossier_number: string | null };

/** The campaign's settings and counters (no personal data); `exists: false` when the row is gone. */
export async function loadCampaign(em: EntityManager, input: { campaignId: string }): Promise<LoadedCampaign> {
  const { campaignId } = input;
  const c = await campaignById(em, campaignId);
  if (!c) return { campaignId, exists: false, status: 'cancelled', batchSize: 1, batchIntervalMs: 0, progress: emptyProgress() };
  const progress = await refreshCampaignCounters(em, campaignId);
  return { campaignId, exists: true, status: c.status, batchSize: Number(c.batch_size), batchIntervalMs: Number(c.batch_interval_ms), progress };
}

/**
 * Mails the next pending recipients after the cursor and marks each row with its result.
 * A recipient that cannot be mailed (opted out, anonymised, no valid address, dossier gone,
 * template missing or incomplete, address refused by the SMTP peer) is that recipient's result;
 * an unreachable SMTP peer fails the batch (retryable), and the retry continues with the rows
 * still pending.
 */
export async function sendCampaignBatch(em: EntityManager, deps: CampaignMailDeps, input: SendCampaignBatchInput, now: () => Date): Promise<SendCampaignBatchResult> {
  const { campaignId, afterRecipientId, batchSize } = input;
  const c = await campaignWithOffice(em, campaignId);
  if (!c) return { processed: 0, sentNow: 0, failedNow: 0, skippedNow: 0, progress: emptyProgress() };
  const afterPosition = afterRecipientId ? await recipientPosition(em, campaignId, afterRecipientId) : 0;
  const batch = await rows<BatchRecipient>(
    em,
    `select r.person_id, r.dossier_id, r.position, p.first_name, p.infix, p.last_name, p.email, p.mail_opt_out, p.anonymised_at,
            d.number as dossier_number
       from campaign_recipients r
       join persons p on p.id = r.person_id
       left join dossiers d on d.id = r.dossier_id
      where r.campaign_id = ? and r.status = 'pending' and r.position > ?
      order by r.position
      limit ?`,
    [campaignId, afterPosition, Math.max(1, Math.min(500, batchSize))],
  );
  const mark = (personId: string, status: RecipientResult, reason: string | null, mailId: string | null = null): Promise<void> =>
    markRecipient(em, campaignId, personId, { status, reason, mailId });
  let sentNow = 0;
  let failedNow = 0;
  let skippedNow = 0;
  // Loaded once per batch; a missing template fails each recipient with the reason instead of the whole campaign hanging in retries.
  let template: { subject?: string | null | undefined; body: string } | undefined;
  let templateError: string | undefined;
  try {
    template = await loadTemplate(em, c.template, 'mail');
  } catch (err) {
    templateError = err instanceof Error ? err.message : String(err);
  }
  const officeName = String(c.office_name ?? '');
  for (const r of batch) {
    // Re-checked at send time: an opt-out or a removed address after the freeze wins.
    if (r.mail_opt_out) {
      await mark(r.person_id, 'opted_out', 'Afgemeld voor mailings (bij verzending gecontroleerd)');
      skippedNow += 1;
      continue;
    }
    if (r.anonymised_at !== null && r.anonymised_at !== undefined) {
      await mark(r.person_id, 'no_email', 'Persoon is geanonimiseerd');
      skippedNow += 1;
      continue;
    }
    const email = r.email?.trim() ?? '';
    if (!EMAIL.test(email)) {
      await mark(r.person_id, 'no_email', email ? `Ongeldig e-mailadres` : 'Geen e-mailadres');
      skippedNow += 1;
      continue;
    }
    if (!r.dossier_id) {
      await mark(r.person_id, 'failed', 'Het dossier van de ontvanger bestaat niet meer');
      failedNow += 1;
      continue;
    }
    if (!template) {
      await mark(r.person_id, 'failed', templateError ?? `Sjabloon "${c.template}" ontbreekt`);
      failedNow += 1;
      continue;
    }
    const data = {
      today: formatDateNl(now()),
      office: { name: officeName },
      campaign: { name: c.name },
      dossier: { number: r.dossier_number ?? '' },
      recipient: {
        firstName: r.first_name,
        infix: r.infix ?? '',
        lastName: r.last_name,
        fullName: personFullName({ firstName: r.first_name, infix: r.infix, lastName: r.last_name }),
        email,
      },
    };
    const t = template;
    let subject: string;
    let body: string;
    try {
      subject = renderOrFail(() => renderTemplate(t.subject ?? c.name, data, { context: 'text', name: c.template }));
      body = renderOrFail(() => renderTemplate(t.body, data, { context: 'text', name: c.template }));
    } catch (err) {
      await mark(r.person_id, 'failed', err instanceof Error ? err.message : String(err));
      failedNow += 1;
      continue;
    }
    const mail = await enqueueMail(
      em,
      { key: campaignMailKey(campaignId, r.person_id), dossierId: r.dossier_id, productId: null, template: c.template, toAddress: email, subject, bodyText: body },
      deps.mailFrom,
    );
    try {
      await deliverMail(em, deps.mailer, mail.id, deps.mailFrom);
    } catch (err) {
      // A permanent refusal (bad address, 5xx) is this recipient's result; an unreachable
      // SMTP peer fails the attempt, and the retry continues with the rows still pending.
      if (err instanceof MailSendError && !err.retryable) {
        await mark(r.person_id, 'failed', err.message, mail.id);
        failedNow += 1;
        continue;
      }
      await refreshCampaignCounters(em, campaignId);
      throw err;
    }
    await mark(r.person_id, 'sent', null, mail.id);
    sentNow += 1;
  }
  const progress = await refreshCampaignCounters(em, campaignId);
  const last = batch[batch.length - 1];
  return { processed: batch.length, sentNow, failedNow, skippedNow, ...(last ? { lastRecipientId: last.person_id } : {}), progress };
}

/** Writes the campaign status and the recomputed counters. Idempotent. */
export async function recordCampaignStatus(em: EntityManager, input: { campaignId: string; status: CampaignStatus }): Promise<CampaignProgress> {
  return refreshCampaignCounters(em, input.campaignId, input.status);
}

/** Marks every still-pending recipient 'cancelled' and the campaign 'cancelled'. Idempotent. */
export async function cancelCampaignRecipients(em: EntityManager, input: { campaignId: string }): Promise<CampaignProgress> {
  await cancelPendingRecipients(em, input.campaignId);
  return refreshCampaignCounters(em, input.campaignId, 'cancelled');
}
