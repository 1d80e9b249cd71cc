/**
 * Mail campaigns over a selection (issue #6 part 3, DOMAIN process 8). Creating one freezes the
 * recipients in one transaction (the selection as it is now, each person once with the newest
 * dossier the selection gave; opted-out persons and persons without an e-mail address recorded
 * as skipped with the reason), then starts `campaign:<id>` with only the campaign id. Pause,
 * resume and cancel are signals: the workflow acts on them between batches.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { WorkflowNotFoundError } from '@temporalio/client';
import { newId } from '../../db/ids.js';
import { setMailOptOut as storeMailOptOut, type PersonRow } from '../crm/store.js';
import { personFullName } from '../../db/entities/index.js';
import type { CampaignAction, RecipientStatus } from '../../domain/campaigns/campaign.js';
import { workflowIds } from '../../domain/workflow-ids.js';
import type { campaignWorkflow } from '../../workflows/index.js';
import { cancelCampaignSignal, pauseCampaignSignal, resumeCampaignSignal } from '../../workflows/campaigns/campaign.messages.js';
import type { Principal } from '../../domain/roles.js';
import type { TemporalDeps } from '../../integrations/temporal/connection.js';
import type { Campaign, CampaignCreate, CampaignRecipient } from './schemas.js';
import { DomainError, refuse } from '../../domain/errors.js';
import { allRows } from '../selections/query.js';
import { isoInstant, looksLikeUuid, one, rows } from '../../db/sql.js';
import {
  campaignById,
  campaignsOfOffice,
  deleteCampaign,
  insertCampaign,
  insertRecipients,
  refreshCampaignCounters,
  type CampaignRecipientRow,
  type CampaignRow,
} from './store.js';

/** A campaign is frozen whole; beyond this, narrow the selection first (same limit as the export). */
export const MAX_CAMPAIGN_RECIPIENTS = 50_000;
const DEADLINE_MS = 5_000;
const CAMPAIGN_WORKFLOW = 'campaignWorkflow';

function toCampaign(r: CampaignRow): Campaign {
  const [total, sent, failed, skipped, cancelled] = [r.total, r.sent, r.failed, r.skipped, r.cancelled].map(Number) as [number, number, number, number, number];
  return {
    id: r.id,
    name: r.name,
    template: r.template,
    query: r.selection,
    status: r.status,
    total,
    sent,
    failed,
    skipped,
    cancelled,
    pending: Math.max(0, total - sent - failed - skipped - cancelled),
    batchSize: Number(r.batch_size),
    batchIntervalSeconds: Number(r.batch_interval_ms) / 1000,
    workflowId: r.workflow_id,
    createdBy: r.created_by,
    createdAt: isoInstant(r.created_at) ?? '',
    updatedAt: isoInstant(r.updated_at) ?? '',
  };
}

async function requireCampaign(em: EntityManager, officeId: string, id: string): Promise<CampaignRow> {
  const found = looksLikeUuid(id) ? await campaignById(em, id, officeId) : undefined;
  if (!found) throw refuse.notFound('Campaign', id);
  return found;
}

export async function createCampaign(em: EntityManager, temporal: TemporalDeps, principal: Principal, body: CampaignCreate): Promise<Campaign> {
  const template = body.template ?? 'campaign-newsletter';
  const known = await one(em, `select 1 as ok from templates where key = ? and kind = 'mail' limit 1`, [template]);
  if (!known) throw refuse.invalid('unknown-template', `There is no mail template "${template}"`);
  const id = newId();
  await em.transactional(async (tem) => {
    // The selection runs inside the transaction that stores its result: the recipients are
    // exactly the selection at this moment, and a failure leaves no half-frozen campaign.
    const selected = await allRows(tem, principal.officeId, body.query, MAX_CAMPAIGN_RECIPIENTS);
    await insertCampaign(tem, {
      id,
      officeId: principal.officeId,
      name: body.name.trim(),
      template,
      selection: body.query,
      createdBy: principal.credentialId,
      batchSize: body.batchSize ?? 50,
      batchIntervalMs: (body.batchIntervalSeconds ?? 0) * 1000,
    });
    // Rows come per (person, dossier) newest dossier first: the first row of a person is the one kept.
    const seen = new Set<string>();
    const recipients: { personId: string; dossierId: string | null; status: RecipientStatus; reason: string | null }[] = [];
    for (const r of selected) {
      if (seen.has(r.personId)) continue;
      seen.add(r.personId);
      const [status, reason]: [RecipientStatus, string | null] = r.mailOptOut
        ? ['opted_out', 'Afgemeld voor mailings']
        : !r.email || !r.email.includes('@')
          ? ['no_email', 'Geen e-mailadres']
          : ['pending', null];
      recipients.push({ personId: r.personId, dossierId: r.dossierId, status, reason });
    }
    await insertRecipients(tem, id, recipients);
    const progress = await refreshCampaignCounters(tem, id);
    // Nothing to mail (empty selection or everyone skipped): done at once, no workflow needed to say so.
    if (progress.pending === 0) await refreshCampaignCounters(tem, id, 'completed');
  });
  try {
    const { client, taskQueue } = temporal;
    await client.withDeadline(Date.now() + DEADLINE_MS, () =>
      client.workflow.start<typeof campaignWorkflow>(CAMPAIGN_WORKFLOW, { workflowId: workflowIds.campaign(id), taskQueue, args: [{ campaignId: id }] }),
    );
  } catch (err) {
    // No workflow drives the rows: remove them (recipients cascade), so nothing half remains.
    await deleteCampaign(em, id);
    throw new DomainError('unavailable', 'workflow-unavailable', `The campaign was not started (the process engine did not answer: ${err instanceof Error ? err.message : String(err)})`);
  }
  return toCampaign(await requireCampaign(em, principal.officeId, id));
}

export async function listCampaigns(em: EntityManager, officeId: string, page: { limit: number; offset: number }): Promise<{ items: Campaign[]; total: number }> {
  const found = await campaignsOfOffice(em, officeId, page);
  return { items: found.rows.map(toCampaign), total: found.total };
}

/** A recipient with the name the person has now. */
type RecipientRow = Pick<CampaignRecipientRow, 'position' | 'person_id' | 'dossier_id' | 'status' | 'reason' | 'mail_id' | 'updated_at'> &
  Pick<PersonRow, 'first_name' | 'infix' | 'last_name'>;

export async function getCampaign(
  em: EntityManager,
  officeId: string,
  id: string,
  page: { limit: number; offset: number; status?: RecipientStatus | undefined },
): Promise<{ campaign: Campaign; recipients: { items: CampaignRecipient[]; total: number; limit: number; offset: number } }> {
  const c = await requireCampaign(em, officeId, id);
  const filter = page.status ? ' and r.status = ?' : '';
  const params: unknown[] = page.status ? [c.id, page.status] : [c.id];
  const found = await rows<RecipientRow>(
    em,
    `select r.position, r.person_id, r.dossier_id, r.status, r.reason, r.mail_id, r.updated_at, p.first_name, p.infix, p.last_name
       from campaign_recipients r join persons p on p.id = r.person_id
      where r.campaign_id = ?${filter} order by r.position limit ? offset ?`,
    [...params, page.limit, page.offset],
  );
  const count = await one<{ n: number }>(em, `select count(*)::int as n from campaign_recipients r where r.campaign_id = ?${filter}`, params);
  return {
    campaign: toCampaign(c),
    recipients: {
      items: found.map((r) => ({
        position: Number(r.position),
        personId: r.person_id,
        name: personFullName({ firstName: r.first_name, infix: r.infix, lastName: r.last_name }),
        dossierId: r.dossier_id,
        status: r.status,
        reason: r.reason,
        mailId: r.mail_id,
        updatedAt: isoInstant(r.updated_at) ?? '',
      })),
      total: Number(count?.n ?? 0),
      limit: page.limit,
      offset: page.offset,
    },
  };
}

export type { CampaignAction } from '../../domain/campaigns/campaign.js';
const signals = { pause: pauseCampaignSignal, resume: resumeCampaignSignal, cancel: cancelCampaignSignal } as const;

/** Tells the workflow; refused (409) once the campaign has ended, because no signal can change that. */
export async function signalCampaign(em: EntityManager, temporal: TemporalDeps, officeId: string, id: string, action: CampaignAction): Promise<Campaign> {
  const c = await requireCampaign(em, officeId, id);
  if (c.status === 'completed' || c.status === 'cancelled') {
    throw refuse.conflict('campaign-ended', `Campaign ${id} is ${c.status === 'completed' ? 'completed' : 'cancelled'}; it cannot be ${action === 'pause' ? 'paused' : action === 'resume' ? 'resumed' : 'cancelled'} any more`);
  }
  const { client } = temporal;
  try {
    await client.withDeadline(Date.now() + DEADLINE_MS, () => client.workflow.getHandle(c.workflow_id).signal(signals[action]));
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw refuse.conflict('campaign-ended', `The workflow of campaign ${id} is no longer running`);
    throw new DomainError('unavailable', 'workflow-unavailable', `The campaign was not told (the process engine did not answer: ${err instanceof Error ? err.message : String(err)})`);
  }
  return toCampaign(await requireCampaign(em, officeId, id));
}

/** A person's wish not to receive campaign mails; the campaign activity reads it again at send time. */
export async function setMailOptOut(em: EntityManager, officeId: string, personId: string, optOut: boolean): Promise<void> {
  const updated = looksLikeUuid(personId) && (await storeMailOptOut(em, officeId, personId, optOut));
  if (!updated) throw refuse.notFound('Person', personId);
}
