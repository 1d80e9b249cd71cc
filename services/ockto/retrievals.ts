/**
 * Ockto retrievals seen from the API: start one for a person (row first, then the workflow; if
 * the engine is down the row is removed again, so nothing is stored half), read one with its
 * answers, class and history, and the adviser's deviation with a motivation (one transaction:
 * the class and its history record, under a row lock so two advisers cannot cross).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { newId } from '../../db/ids.js';
import type { OcktoRetrievalStatus } from '../../db/entities/ockto.entity.js';
import { isRiskClass, overrideProblem, riskQuestions, riskReasons, type RiskAnswers, type RiskClass, type RiskReasonCode } from '../../domain/ockto/risk-class.js';
import { workflowIds } from '../../domain/workflow-ids.js';
import type { ocktoRetrievalWorkflow } from '../../workflows/index.js';
import type { OcktoRetrievalCreate, OcktoRetrievalView, RiskClassChange } from './schemas.js';
import type { Principal } from '../../domain/roles.js';
import type { TemporalDeps } from '../../integrations/temporal/connection.js';
import { DomainError, refuse } from '../../domain/errors.js';

export const OCKTO_WORKFLOW = 'ocktoRetrievalWorkflow';
const DEADLINE_MS = 10_000;

interface Row {
  id: string;
  office_id: string;
  person_id: string;
  dossier_id: string | null;
  status: OcktoRetrievalStatus;
  status_reason: string | null;
  session_url: string | null;
  session_qr: string | null;
  answers: RiskAnswers | null;
  derived_class: RiskClass | null;
  derived_reasons: RiskReasonCode[] | null;
  current_class: RiskClass | null;
  reminder_sent_at: Date | null;
  reminder_note: string | null;
  shared_at: Date | null;
  ended_at: Date | null;
  created_at: Date;
}

interface HistoryRow {
  id: string;
  created_at: Date;
  actor: string;
  from_class: RiskClass | null;
  to_class: RiskClass;
  motivation: string | null;
  source: 'data' | 'manual';
  retrieval_id: string | null;
}

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function historyView(rows: HistoryRow[]): OcktoRetrievalView['history'] {
  return rows.map((h) => ({
    id: h.id,
    at: iso(h.created_at)!,
    actor: h.actor,
    from: h.from_class,
    to: h.to_class,
    motivation: h.motivation,
    source: h.source,
    retrievalId: h.retrieval_id,
  }));
}

export async function startRetrieval(em: EntityManager, temporal: TemporalDeps, principal: Principal, personId: string, body: OcktoRetrievalCreate): Promise<OcktoRetrievalView> {
  if (!UUID.test(personId)) throw refuse.notFound('Person', personId);
  const [person] = await em.execute<{ id: string }[]>(`select id from persons where id = ? and office_id = ?`, [personId, principal.officeId]);
  if (!person) throw refuse.notFound('Person', personId);
  if (body.dossierId !== undefined) {
    const [link] = await em.execute<{ dossier_id: string }[]>(
      `select da.dossier_id from dossier_applicants da join dossiers d on d.id = da.dossier_id
        where da.dossier_id = ? and da.person_id = ? and d.office_id = ?`,
      [UUID.test(body.dossierId) ? body.dossierId : null, personId, principal.officeId],
    );
    if (!link) throw refuse.invalid('ockto-dossier', `Dossier ${body.dossierId} is not a dossier of person ${personId}`);
  }
  if (body.reminderAfterSeconds !== undefined && body.expireAfterSeconds !== undefined && body.reminderAfterSeconds >= body.expireAfterSeconds) {
    throw refuse.invalid('ockto-timing', 'reminderAfterSeconds must be shorter than expireAfterSeconds, or the reminder would never go out');
  }
  const id = newId();
  await em.execute(
    `insert into ockto_retrievals (id, office_id, person_id, dossier_id, scenario, reminder_after_seconds, expire_after_seconds,
       poll_interval_seconds, retention_seconds, requested_by)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      id,
      principal.officeId,
      personId,
      body.dossierId ?? null,
      body.scenario ?? null,
      body.reminderAfterSeconds ?? null,
      body.expireAfterSeconds ?? null,
      body.pollIntervalSeconds ?? null,
      body.retentionSeconds ?? null,
      principal.credentialId,
    ],
    'run',
  );
  try {
    const { client, taskQueue } = temporal;
    await client.withDeadline(Date.now() + DEADLINE_MS, () =>
      client.workflow.start<typeof ocktoRetrievalWorkflow>(OCKTO_WORKFLOW, {
        workflowId: workflowIds.ockto(id),
        taskQueue,
        args: [{ retrievalId: id }],
      }),
    );
  } catch (err) {
    // No process drives the row: remove it, so a retry starts clean and nothing half remains.
    await em.execute(`delete from ockto_retrievals where id = ?`, [id], 'run');
    throw new DomainError('unavailable', 'workflow-unavailable', `The retrieval was not started (the process engine did not answer: ${err instanceof Error ? err.message : String(err)})`);
  }
  return getRetrieval(em, principal.officeId, id);
}

async function requireRow(em: EntityManager, officeId: string, id: string, lock = false): Promise<Row> {
  if (!UUID.test(id)) throw refuse.notFound('Ockto retrieval', id);
  const [row] = await em.execute<Row[]>(`select * from ockto_retrievals where id = ? and office_id = ?${lock ? ' for update' : ''}`, [id, officeId]);
  if (!row) throw refuse.notFound('Ockto retrieval', id);
  return row;
}

export async function getRetrieval(em: EntityManager, officeId: string, id: string): Promise<OcktoRetrievalView> {
  const row = await requireRow(em, officeId, id);
  const [source] = await em.execute<{ data_present: boolean; missing: string[]; deleted_at: Date | null }[]>(
    `select data is not null as data_present, missing, deleted_at from ockto_source_data where retrieval_id = ?`,
    [id],
  );
  const history = await em.execute<HistoryRow[]>(`select * from risk_class_history where retrieval_id = ? order by created_at, id`, [id]);
  return {
    id: row.id,
    personId: row.person_id,
    dossierId: row.dossier_id,
    workflowId: workflowIds.ockto(row.id),
    status: row.status,
    statusReason: row.status_reason,
    session: row.session_url ? { url: row.session_url, qr: row.session_qr } : null,
    questions: riskQuestions.map((q) => ({ key: q.key, question: q.nl, answer: row.answers?.[q.key] ?? null })),
    answers: row.answers,
    derivedClass: row.derived_class,
    reasons: (row.derived_reasons ?? []).map((code) => ({ code, text: riskReasons[code].nl })),
    currentClass: row.current_class,
    reminderSentAt: iso(row.reminder_sent_at),
    reminderNote: row.reminder_note,
    sharedAt: iso(row.shared_at),
    endedAt: iso(row.ended_at),
    sourceData: {
      state: !source ? 'none' : source.data_present ? 'stored' : 'deleted',
      missing: source?.missing ?? [],
      deletedAt: iso(source?.deleted_at ?? null),
    },
    history: historyView(history),
    createdAt: iso(row.created_at)!,
  };
}

/** The adviser deviates from the class (*afwijken*): class + history record in one transaction. */
export async function changeRiskClass(em: EntityManager, principal: Principal, id: string, body: RiskClassChange): Promise<OcktoRetrievalView> {
  await em.transactional(async (tem) => {
    const row = await requireRow(tem, principal.officeId, id, true);
    if (row.status !== 'classified' && row.status !== 'declined') {
      throw refuse.conflict('ockto-not-classified', `The retrieval is ${row.status}: there is no class to deviate from yet`);
    }
    const problem = overrideProblem(row.current_class, body.riskClass, body.motivation);
    if (problem) throw refuse.invalid('risk-class-change', problem);
    if (!isRiskClass(body.riskClass)) throw refuse.invalid('risk-class-change', 'unknown class');
    await tem.execute(`update ockto_retrievals set current_class = ?, updated_at = now() where id = ?`, [body.riskClass, id], 'run');
    await tem.execute(
      `insert into risk_class_history (id, office_id, person_id, retrieval_id, from_class, to_class, motivation, source, actor)
       values (?, ?, ?, ?, ?, ?, ?, 'manual', ?)`,
      [newId(), row.office_id, row.person_id, id, row.current_class, body.riskClass, body.motivation.trim(), principal.credentialId],
      'run',
    );
  });
  return getRetrieval(em, principal.officeId, id);
}

export async function personRisk(em: EntityManager, officeId: string, personId: string) {
  if (!UUID.test(personId)) throw refuse.notFound('Person', personId);
  const [person] = await em.execute<{ id: string }[]>(`select id from persons where id = ? and office_id = ?`, [personId, officeId]);
  if (!person) throw refuse.notFound('Person', personId);
  const history = await em.execute<HistoryRow[]>(`select * from risk_class_history where person_id = ? and office_id = ? order by created_at, id`, [personId, officeId]);
  const retrievals = await em.execute<{ id: string; status: OcktoRetrievalStatus; current_class: RiskClass | null; created_at: Date }[]>(
    `select id, status, current_class, created_at from ockto_retrievals where person_id = ? and office_id = ? order by created_at desc`,
    [personId, officeId],
  );
  return {
    personId,
    currentClass: history.at(-1)?.to_class ?? null,
    history: historyView(history),
    retrievals: retrievals.map((r) => ({ id: r.id, status: r.status, currentClass: r.current_class, createdAt: iso(r.created_at)! })),
  };
}
