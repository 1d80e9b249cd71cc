/**
 * The one writer of the campaign tables: `campaigns` (a mail campaign over a selection, its
 * status and counters) and `campaign_recipients` (the recipients frozen when it was created,
 * each with its own result). Counters are always recomputed from the recipient rows, never
 * incremented, so a retried batch cannot count twice. Every function runs on the EntityManager
 * it is given, so callers decide the transaction.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { one, rows, type Row } from '../../db/sql.js';
import type { CampaignStatus, RecipientStatus } from '../../domain/campaigns/campaign.js';
import type { CampaignProgress } from '../../domain/campaigns/side-effects.js';
import { workflowIds } from '../../domain/workflow-ids.js';
import type { SelectionQuery } from '../selections/schemas.js';

export const ownedTables = ['campaigns', 'campaign_recipients'] as const;

/** A `campaigns` row (`select * from campaigns`). */
export interface CampaignRow extends Row {
  id: string;
  office_id: string;
  name: string;
  template: string;
  selection: SelectionQuery;
  status: CampaignStatus;
  total: number;
  sent: number;
  failed: number;
  skipped: number;
  cancelled: number;
  batch_size: number;
  batch_interval_ms: number;
  workflow_id: string;
  created_by: string;
  created_at: unknown;
  updated_at: unknown;
}

/** A `campaign_recipients` row. */
export interface CampaignRecipientRow extends Row {
  campaign_id: string;
  person_id: string;
  dossier_id: string | null;
  position: number;
  status: RecipientStatus;
  mail_id: string | null;
  reason: string | null;
  updated_at: unknown;
}

/** The results a send attempt writes on a pending recipient. */
export type RecipientResult = Extract<RecipientStatus, 'sent' | 'failed' | 'opted_out' | 'no_email'>;

const INSERT_CHUNK = 1_000;
const emptyProgress: CampaignProgress = { total: 0, sent: 0, failed: 0, skipped: 0, cancelled: 0, pending: 0 };

// ------------------------------------------------------------------ reads

/** The campaign (of the office, when given). */
export async function campaignById(em: EntityManager, id: string, officeId?: string): Promise<CampaignRow | undefined> {
  return officeId === undefined
    ? one<CampaignRow>(em, 'select * from campaigns where id = ?', [id])
    : one<CampaignRow>(em, 'select * from campaigns where office_id = ? and id = ?', [officeId, id]);
}

/** The campaign with its office's name (for the mail texts). */
export async function campaignWithOffice(em: EntityManager, id: string): Promise<(CampaignRow & { office_name: string | null }) | undefined> {
  return one(em, `select c.*, o.name as office_name from campaigns c join offices o on o.id = c.office_id where c.id = ?`, [id]);
}

/** The office's campaigns, newest first, with the total. */
export async function campaignsOfOffice(em: EntityManager, officeId: string, page: { limit: number; offset: number }): Promise<{ rows: CampaignRow[]; total: number }> {
  const found = await rows<CampaignRow>(em, 'select * from campaigns where office_id = ? order by created_at desc, id limit ? offset ?', [officeId, page.limit, page.offset]);
  const count = await one<{ n: number }>(em, 'select count(*)::int as n from campaigns where office_id = ?', [officeId]);
  return { rows: found, total: Number(count?.n ?? 0) };
}

/** The position of a recipient in the campaign (0 when it is not one). */
export async function recipientPosition(em: EntityManager, campaignId: string, personId: string): Promise<number> {
  const cursor = await one<{ position: number }>(em, `select position from campaign_recipients where campaign_id = ? and person_id = ?`, [campaignId, personId]);
  return cursor ? Number(cursor.position) : 0;
}

// ------------------------------------------------------------------ writes

export interface NewCampaign {
  id: string;
  officeId: string;
  name: string;
  template: string;
  selection: SelectionQuery;
  createdBy: string;
  batchSize: number;
  batchIntervalMs: number;
}

/** A new running campaign (workflow id `campaign:<id>`). */
export async function insertCampaign(em: EntityManager, c: NewCampaign): Promise<void> {
  await em.execute(
    `insert into campaigns (id, office_id, name, template, selection, status, workflow_id, created_by, batch_size, batch_interval_ms)
     values (?, ?, ?, ?, ?::jsonb, 'running', ?, ?, ?, ?)`,
    [c.id, c.officeId, c.name, c.template, JSON.stringify(c.selection), workflowIds.campaign(c.id), c.createdBy, c.batchSize, c.batchIntervalMs],
    'run',
  );
}

/** The frozen recipients, numbered 1..n in this order (in chunks, in the caller's transaction). */
export async function insertRecipients(
  tem: EntityManager,
  campaignId: string,
  recipients: readonly { personId: string; dossierId: string | null; status: RecipientStatus; reason: string | null }[],
): Promise<void> {
  const values = recipients.map((r, i) => [campaignId, r.personId, r.dossierId, i + 1, r.status, r.reason]);
  for (let i = 0; i < values.length; i += INSERT_CHUNK) {
    const chunk = values.slice(i, i + INSERT_CHUNK);
    await tem.execute(
      `insert into campaign_recipients (campaign_id, person_id, dossier_id, position, status, reason) values ${chunk.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')}`,
      chunk.flat() as never[],
      'run',
    );
  }
}

/** Removes a campaign no workflow drives (its recipients cascade). */
export async function deleteCampaign(em: EntityManager, id: string): Promise<void> {
  await em.execute(`delete from campaigns where id = ?`, [id], 'run');
}

/** Counters recomputed from the rows (never incremented: a retried batch cannot count twice) and written to the campaign, with the status when given. */
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

/** A recipient's result; only a pending row changes (a concurrent or earlier attempt's result is never overwritten). */
export async function markRecipient(
  em: EntityManager,
  campaignId: string,
  personId: string,
  result: { status: RecipientResult; reason: string | null; mailId?: string | null },
): Promise<void> {
  await em.execute(
    `update campaign_recipients set status = ?, reason = ?, mail_id = coalesce(?, mail_id), updated_at = now()
      where campaign_id = ? and person_id = ? and status = 'pending'`,
    [result.status, result.reason ? result.reason.slice(0, 500) : null, result.mailId ?? null, campaignId, personId],
    'run',
  );
}

/** Every still-pending recipient 'cancelled' with the reason. */
export async function cancelPendingRecipients(em: EntityManager, campaignId: string): Promise<void> {
  await em.execute(
    `update campaign_recipients set status = 'cancelled', reason = 'Campagne geannuleerd voor verzending', updated_at = now()
      where campaign_id = ? and status = 'pending'`,
    [campaignId],
    'run',
  );
}
