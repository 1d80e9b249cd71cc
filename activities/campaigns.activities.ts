/**
 * CRM activities: the mail campaign's batches (issue #6 part 3, DOMAIN process 8).
 *
 * The recipients were frozen in `campaign_recipients` when the campaign was created; a batch
 * takes the next pending rows by position, re-reads each person (opt-out, address, anonymised)
 * and mails through the outbox on the key `campaign:<id>/person:<pid>`. Each row leaves
 * 'pending' only after its mail is sent (or the reason it was not is written), so a batch that
 * crashes halfway and is retried, or is run again by a new workflow run, finds the mailed rows
 * done and the outbox rows sent: nobody gets the campaign twice.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { personFullName } from '../db/entities/index.js';
import type { Mailer } from '../integrations/mail/transport.js';
import { workflowIds } from '../domain/workflow-ids.js';
import type { CampaignProgress, CampaignStatus, CrmActivities, LoadedCampaign, SendCampaignBatchResult } from './campaigns.contract.js';
import { deliverMail, enqueueMail } from '../services/work/mail-outbox.js';
import { renderTemplate } from '../services/templates/render.js';
import { formatDateNl } from '../services/dossiers/context.js';
import { loadTemplate, renderOrFail } from '../services/templates/load.js';
import { withFailureTypes } from './failures.js';

export interface CrmActivitiesDeps {
  orm: MikroORM;
  mailer: Mailer;
  mailFrom: string;
  now?: () => Date;
}

/** The outbox key of a campaign mail: one per campaign and person, whatever run or attempt sends it. */
export function campaignMailKey(campaignId: string, personId: string): string {
  return `${workflowIds.campaign(campaignId)}/person:${personId}`;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

interface CampaignRow {
  id: string;
  office_id: string;
  name: string;
  template: string;
  status: CampaignStatus;
  batch_size: number;
  batch_interval_ms: number;
  [k: string]: unknown;
}

interface RecipientRow {
  person_id: string;
  dossier_id: string | null;
  position: number;
  first_name: string;
  infix: string | null;
  last_name: string;
  email: string | null;
  mail_opt_out: boolean;
  anonymised_at: unknown;
  dossier_number: string | null;
  [k: string]: unknown;
}

const emptyProgress: CampaignProgress = { total: 0, sent: 0, failed: 0, skipped: 0, cancelled: 0, pending: 0 };

/** Counters recomputed from the rows (never incremented: a retried batch cannot count twice) and written to the campaign. */
export async function refreshCampaignCounters(em: EntityManager, campaignId: string, status?: CampaignStatus): Promise<CampaignProgress> {
  const [p] = await em.execute<Record<keyof CampaignProgress, number>[]>(
    `select count(*)::int as total,
            count(*) filter (where status = 'sent')::int as sent,
            count(*) filter (where status = 'failed')::int as failed,
            count(*) filter (where status in ('opted_out', 'no_email'))::int as skipped,
            count(*) filter (where status = 'cancelled')::int as cancelled,
            count(*) filter (where status = 'pending')::int as pending
       from campaign_recipients where campaign_id = ?`,
    [campaignId],
  );
  const progress: CampaignProgress = p
    ? { total: Number(p.total), sent: Number(p.sent), failed: Number(p.failed), skipped: Number(p.skipped), cancelled: Number(p.cancelled), pending: Number(p.pending) }
    : { ...emptyProgress };
  await em.execute(
    `update campaigns set total = ?, sent = ?, failed = ?, skipped = ?, cancelled = ?, status = coalesce(?, status), updated_at = now() where id = ?`,
    [progress.total, progress.sent, progress.failed, progress.skipped, progress.cancelled, status ?? null, campaignId],
    'run',
  );
  return progress;
}

export function createCrmActivities(deps: CrmActivitiesDeps): CrmActivities {
  const fork = (): EntityManager => deps.orm.em.fork();
  const now = deps.now ?? (() => new Date());

  const mark = async (em: EntityManager, campaignId: string, personId: string, status: 'sent' | 'failed' | 'opted_out' | 'no_email', reason: string | null, mailId: string | null = null): Promise<void> => {
    // Only a pending row changes: a concurrent or earlier attempt's result is never overwritten.
    await em.execute(
      `update campaign_recipients set status = ?, reason = ?, mail_id = coalesce(?, mail_id), updated_at = now()
        where campaign_id = ? and person_id = ? and status = 'pending'`,
      [status, reason ? reason.slice(0, 500) : null, mailId, campaignId, personId],
      'run',
    );
  };

  return withFailureTypes({
    async loadCampaign({ campaignId }): Promise<LoadedCampaign> {
      const em = fork();
      const [c] = await em.execute<CampaignRow[]>(`select * from campaigns where id = ?`, [campaignId]);
      if (!c) return { campaignId, exists: false, status: 'cancelled', batchSize: 1, batchIntervalMs: 0, progress: { ...emptyProgress } };
      const progress = await refreshCampaignCounters(em, campaignId);
      return { campaignId, exists: true, status: c.status, batchSize: Number(c.batch_size), batchIntervalMs: Number(c.batch_interval_ms), progress };
    },

    async sendCampaignBatch({ campaignId, afterRecipientId, batchSize }): Promise<SendCampaignBatchResult> {
      const em = fork();
      const [c] = await em.execute<CampaignRow[]>(
        `select c.*, o.name as office_name from campaigns c join offices o on o.id = c.office_id where c.id = ?`,
        [campaignId],
      );
      if (!c) return { processed: 0, sentNow: 0, failedNow: 0, skippedNow: 0, progress: { ...emptyProgress } };
      let afterPosition = 0;
      if (afterRecipientId) {
        const [cursor] = await em.execute<{ position: number }[]>(`select position from campaign_recipients where campaign_id = ? and person_id = ?`, [campaignId, afterRecipientId]);
        afterPosition = cursor ? Number(cursor.position) : 0;
      }
      const batch = await em.execute<RecipientRow[]>(
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
          await mark(em, campaignId, r.person_id, 'opted_out', 'Afgemeld voor mailings (bij verzending gecontroleerd)');
          skippedNow += 1;
          continue;
        }
        if (r.anonymised_at !== null && r.anonymised_at !== undefined) {
          await mark(em, campaignId, r.person_id, 'no_email', 'Persoon is geanonimiseerd');
          skippedNow += 1;
          continue;
        }
        const email = r.email?.trim() ?? '';
        if (!EMAIL.test(email)) {
          await mark(em, campaignId, r.person_id, 'no_email', email ? `Ongeldig e-mailadres` : 'Geen e-mailadres');
          skippedNow += 1;
          continue;
        }
        if (!r.dossier_id) {
          await mark(em, campaignId, r.person_id, 'failed', 'Het dossier van de ontvanger bestaat niet meer');
          failedNow += 1;
          continue;
        }
        if (!template) {
          await mark(em, campaignId, r.person_id, 'failed', templateError ?? `Sjabloon "${c.template}" ontbreekt`);
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
          await mark(em, campaignId, r.person_id, 'failed', err instanceof Error ? err.message : String(err));
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
          if (err instanceof ApplicationFailure && err.nonRetryable) {
            await mark(em, campaignId, r.person_id, 'failed', err.message, mail.id);
            failedNow += 1;
            continue;
          }
          await refreshCampaignCounters(em, campaignId);
          throw err;
        }
        await mark(em, campaignId, r.person_id, 'sent', null, mail.id);
        sentNow += 1;
      }
      const progress = await refreshCampaignCounters(em, campaignId);
      const last = batch[batch.length - 1];
      return { processed: batch.length, sentNow, failedNow, skippedNow, ...(last ? { lastRecipientId: last.person_id } : {}), progress };
    },

    async recordCampaignStatus({ campaignId, status }): Promise<CampaignProgress> {
      return refreshCampaignCounters(fork(), campaignId, status);
    },

    async cancelCampaignRecipients({ campaignId }): Promise<CampaignProgress> {
      const em = fork();
      await em.execute(
        `update campaign_recipients set status = 'cancelled', reason = 'Campagne geannuleerd voor verzending', updated_at = now()
          where campaign_id = ? and status = 'pending'`,
        [campaignId],
        'run',
      );
      return refreshCampaignCounters(em, campaignId, 'cancelled');
    },
  });
}
