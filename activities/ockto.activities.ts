/**
 * Ockto activities: create the session, collect the result (stored callback data or polling),
 * remind the client, record the outcome with its history record, delete raw data after the
 * retention. Every write is idempotent: the session on the retrieval (and Ockto's
 * idempotency-key), source data on its retrieval id, the history record on its key, the
 * reminder on the mail outbox key, the deletion on `deleted_at is null`.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { newId } from '../db/ids.js';
import { riskReasons, type RiskClass } from '../domain/ockto/risk-class.js';
import type { OcktoClient } from '../integrations/ockto/client.js';
import type { OcktoPolicyDefaults } from '../integrations/ockto/config.js';
import { OcktoError, OcktoErrorType } from '../integrations/ockto/errors.js';
import { answersFromData, missingSections } from '../integrations/ockto/mapping.js';
import type { OcktoResult, OcktoSourceData } from '../integrations/ockto/types.js';
import type { Mailer } from '../integrations/mail/transport.js';
import { workflowIds } from '../domain/workflow-ids.js';
import { deliverMail, enqueueMail } from '../services/work/mail-outbox.js';
import { OcktoActivityFailure, type OcktoActivities, type OcktoPolicy } from './ockto.contract.js';
import { renderTemplate } from '../services/templates/render.js';
import { formatDateNl } from '../services/dossiers/context.js';
import { loadTemplate, renderOrFail } from '../services/templates/load.js';
import { withFailureTypes } from './failures.js';

export interface OcktoActivitiesDeps {
  orm: MikroORM;
  mailer: Mailer;
  mailFrom: string;
  ockto: { client: OcktoClient | undefined; defaults: OcktoPolicyDefaults };
  now?: () => Date;
}

export interface RetrievalRow {
  id: string;
  office_id: string;
  person_id: string;
  dossier_id: string | null;
  status: string;
  scenario: string | null;
  session_id: string | null;
  session_url: string | null;
  reminder_after_seconds: number | null;
  expire_after_seconds: number | null;
  poll_interval_seconds: number | null;
  retention_seconds: number | null;
  current_class: RiskClass | null;
  created_at: Date;
}

/** Rows changed by an `execute(..., 'run')` (its result type does not say so). */
export function affectedRows(result: unknown): number {
  return (result as { affectedRows?: number }).affectedRows ?? 0;
}

/**
 * Stores what Ockto delivered for a session, in one transaction: the raw data (shared) once per
 * retrieval. Used by the callback endpoint and by polling, so both paths store the same way.
 * Returns false when data was stored before (a duplicate delivery changes nothing).
 */
export async function storeOcktoSourceData(em: EntityManager, retrievalId: string, result: OcktoResult, via: 'callback' | 'poll'): Promise<boolean> {
  if (result.status !== 'shared' || !result.data) return false;
  const missing = result.missing ?? missingSections(result.data);
  return em.transactional(async (tem) => {
    const res = await tem.execute(
      `insert into ockto_source_data (retrieval_id, data, missing, received_via) values (?, ?::jsonb, ?::jsonb, ?)
       on conflict (retrieval_id) do nothing`,
      [retrievalId, JSON.stringify(result.data), JSON.stringify(missing), via],
      'run',
    );
    const inserted = affectedRows(res) > 0;
    if (inserted) await tem.execute(`update ockto_retrievals set shared_at = now(), updated_at = now() where id = ? and shared_at is null`, [retrievalId], 'run');
    return inserted;
  });
}

function toFailure(err: unknown): unknown {
  if (!(err instanceof OcktoError)) return err;
  return ApplicationFailure.create({ type: err.type, message: err.message, nonRetryable: !err.retryable });
}

export function createOcktoActivities(deps: OcktoActivitiesDeps): OcktoActivities {
  const now = deps.now ?? (() => new Date());
  const fork = (): EntityManager => deps.orm.em.fork();

  async function load(em: EntityManager, retrievalId: string): Promise<RetrievalRow> {
    const [row] = await em.execute<RetrievalRow[]>(`select * from ockto_retrievals where id = ?`, [retrievalId]);
    if (!row) throw ApplicationFailure.create({ type: OcktoActivityFailure.NotFound, message: `ockto retrieval ${retrievalId} not found`, nonRetryable: true });
    return row;
  }

  const policyOf = (row: RetrievalRow): OcktoPolicy => ({
    reminderAfterMs: (row.reminder_after_seconds ?? deps.ockto.defaults.reminderAfterSeconds) * 1000,
    expireAfterMs: (row.expire_after_seconds ?? deps.ockto.defaults.expireAfterSeconds) * 1000,
    pollIntervalMs: (row.poll_interval_seconds ?? deps.ockto.defaults.pollIntervalSeconds) * 1000,
    retentionMs: (row.retention_seconds ?? deps.ockto.defaults.retentionSeconds) * 1000,
  });

  function client(): OcktoClient {
    if (!deps.ockto.client) {
      throw ApplicationFailure.create({ type: OcktoErrorType.NotConfigured, message: 'no Ockto connection configured (OCKTO_URL / OCKTO_TOKEN)', nonRetryable: true });
    }
    return deps.ockto.client;
  }

  return withFailureTypes({
    async startOcktoSession({ retrievalId }) {
      const em = fork();
      const row = await load(em, retrievalId);
      const started = { policy: policyOf(row), requestedAtMs: new Date(row.created_at).getTime() };
      if (row.session_id) return started;
      let session;
      try {
        // personRef is our retrieval id: Ockto learns who the person is from DigiD, not from us.
        session = await client().createSession(retrievalId, {
          idempotencyKey: `${workflowIds.ockto(retrievalId)}/session`,
          ...(row.scenario ? { scenario: row.scenario } : {}),
        });
      } catch (err) {
        throw toFailure(err);
      }
      await em.execute(
        `update ockto_retrievals set session_id = ?, session_url = ?, session_qr = ?,
           status = case when status = 'starting' then 'waiting' else status end, updated_at = now()
         where id = ? and session_id is null`,
        [session.sessionId, session.url, session.qr ?? null, retrievalId],
        'run',
      );
      return started;
    },

    async collectOcktoResult({ retrievalId }) {
      const em = fork();
      const row = await load(em, retrievalId);
      const [stored] = await em.execute<{ data: OcktoSourceData | null; deleted_at: Date | null }[]>(
        `select data, deleted_at from ockto_source_data where retrieval_id = ?`,
        [retrievalId],
      );
      if (stored?.data) return { status: 'shared', answers: answersFromData(stored.data) };
      // A callback told us the client declined (or the session ended) without data.
      const [ended] = await em.execute<{ status: 'declined' | 'expired' | 'failed' }[]>(
        `select status from ockto_callbacks where retrieval_id = ? and status in ('declined','expired','failed') order by received_at limit 1`,
        [retrievalId],
      );
      if (ended) return { status: ended.status };
      if (!row.session_id) return { status: 'pending' };
      let result: OcktoResult;
      try {
        result = await client().getResult(row.session_id);
      } catch (err) {
        throw toFailure(err);
      }
      if (result.status === 'shared') {
        if (!result.data) return { status: 'failed' };
        await storeOcktoSourceData(em, retrievalId, result, 'poll');
        return { status: 'shared', answers: answersFromData(result.data) };
      }
      return { status: result.status };
    },

    async sendOcktoReminder({ retrievalId, key }) {
      const em = fork();
      const row = await load(em, retrievalId);
      const note = async (text: string): Promise<{ sent: false; note: string }> => {
        await em.execute(`update ockto_retrievals set reminder_note = ?, updated_at = now() where id = ?`, [text, retrievalId], 'run');
        return { sent: false, note: text };
      };
      const [person] = await em.execute<{ first_name: string; email: string | null }[]>(`select first_name, email from persons where id = ?`, [row.person_id]);
      if (!person?.email || !person.email.includes('@')) return note('Geen herinnering verstuurd: de klant heeft geen e-mailadres');
      // The outbox files mails under a dossier: the retrieval's, else the person's newest.
      const [dossier] = await em.execute<{ id: string; number: string }[]>(
        `select d.id, d.number from dossiers d
          where d.id = ? or (?::uuid is null and d.id in (select dossier_id from dossier_applicants where person_id = ?))
          order by d.created_at desc limit 1`,
        [row.dossier_id, row.dossier_id, row.person_id],
      );
      if (!dossier) return note('Geen herinnering verstuurd: de klant heeft geen dossier om de mail in vast te leggen');
      if (!row.session_url) return note('Geen herinnering verstuurd: er is nog geen Ockto-link');
      const [office] = await em.execute<{ name: string }[]>(`select name from offices where id = ?`, [row.office_id]);
      const t = await loadTemplate(em, 'ockto-reminder', 'mail');
      const expiresAt = new Date(new Date(row.created_at).getTime() + policyOf(row).expireAfterMs);
      const data = {
        recipient: { firstName: person.first_name },
        office: { name: office?.name ?? '' },
        dossier: { number: dossier.number },
        ockto: { url: row.session_url, expiresOn: formatDateNl(expiresAt) },
      };
      const subject = renderOrFail(() => renderTemplate(t.subject ?? 'ockto-reminder', data, { context: 'text', name: 'ockto-reminder' }));
      const body = renderOrFail(() => renderTemplate(t.body, data, { context: 'text', name: 'ockto-reminder' }));
      const mail = await enqueueMail(em, { key, dossierId: dossier.id, productId: null, template: 'ockto-reminder', toAddress: person.email, subject, bodyText: body }, deps.mailFrom);
      await deliverMail(em, deps.mailer, mail.id, deps.mailFrom);
      await em.execute(`update ockto_retrievals set reminder_sent_at = coalesce(reminder_sent_at, ?), updated_at = now() where id = ?`, [now(), retrievalId], 'run');
      return { sent: true };
    },

    async recordOcktoOutcome(input) {
      await fork().transactional(async (em) => {
        const row = await load(em, input.retrievalId);
        const reasonText = input.reason ?? (input.reasons?.length ? input.reasons.map((r) => riskReasons[r].nl).join('; ') : null);
        await em.execute(
          `update ockto_retrievals set status = ?, status_reason = ?, answers = ?::jsonb, derived_class = ?, derived_reasons = ?::jsonb,
             current_class = coalesce(?, current_class), ended_at = ?, updated_at = now()
           where id = ? and status in ('starting','waiting')`,
          [
            input.outcome,
            reasonText,
            input.answers ? JSON.stringify(input.answers) : null,
            input.riskClass ?? null,
            input.reasons ? JSON.stringify(input.reasons) : null,
            input.riskClass ?? null,
            now(),
            input.retrievalId,
          ],
          'run',
        );
        if (!input.riskClass) return;
        await em.execute(
          `insert into risk_class_history (id, key, office_id, person_id, retrieval_id, from_class, to_class, motivation, source, actor)
           values (?, ?, ?, ?, ?, ?, ?, ?, 'data', 'system:ockto') on conflict (key) do nothing`,
          [newId(), `${workflowIds.ockto(input.retrievalId)}/data`, row.office_id, row.person_id, input.retrievalId, row.current_class, input.riskClass, reasonText],
          'run',
        );
      });
    },

    async deleteOcktoSourceData({ retrievalId }) {
      return fork().transactional(async (em) => {
        const res = await em.execute(`update ockto_source_data set data = null, deleted_at = ? where retrieval_id = ? and deleted_at is null`, [now(), retrievalId], 'run');
        const deleted = affectedRows(res) > 0;
        if (deleted) await em.execute(`update ockto_retrievals set source_deleted_at = ?, updated_at = now() where id = ?`, [now(), retrievalId], 'run');
        return { deleted };
      });
    },
  });
}
