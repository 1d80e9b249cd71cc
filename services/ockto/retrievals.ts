/**
 * Ockto retrievals seen from the API: start one for a person (row first, then the workflow; if
 * the engine is down the row is removed again, so nothing is stored half), read one with its
 * answers, class and history, and the adviser's deviation with a motivation (one transaction:
 * the class and its history record, under a row lock so two advisers cannot cross).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { newId } from '../../db/ids.js';
import { looksLikeUuid, one } from '../../db/sql.js';
import { riskClassOriginOf } from '../../domain/ockto/retrieval.js';
import { isRiskClass, MIN_MOTIVATION_LENGTH, overrideProblem, riskQuestions, riskReasons } from '../../domain/ockto/risk-class.js';
import { workflowIds } from '../../domain/workflow-ids.js';
import type { ocktoRetrievalWorkflow } from '../../workflows/index.js';
import type { OcktoRetrievalCreate, OcktoRetrievalView, PersonRiskClassSet, PersonRiskView, RiskClassChange } from './schemas.js';
import type { Principal } from '../../domain/roles.js';
import type { TemporalDeps } from '../../integrations/temporal/connection.js';
import { DomainError, refuse } from '../../domain/errors.js';
import {
  changeCurrentClass,
  deleteRetrieval,
  historyOfPerson,
  historyOfRetrieval,
  insertManualClassRecord,
  insertRetrieval,
  retrievalById,
  retrievalsOfPerson,
  sourceDataSummaryOf,
  type RetrievalRow,
  type RiskClassHistoryEntryRow,
} from './store.js';

export const OCKTO_WORKFLOW = 'ocktoRetrievalWorkflow';
const DEADLINE_MS = 10_000;

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

export function historyView(rows: RiskClassHistoryEntryRow[]): OcktoRetrievalView['history'] {
  return rows.map((h) => ({
    id: h.id,
    at: iso(h.created_at)!,
    actor: h.actor,
    actorName: h.actor_name,
    from: h.from_class,
    to: h.to_class,
    motivation: h.motivation,
    source: h.source,
    origin: riskClassOriginOf(h.source, h.retrieval_id),
    retrievalId: h.retrieval_id,
  }));
}

export async function startRetrieval(em: EntityManager, temporal: TemporalDeps, principal: Principal, personId: string, body: OcktoRetrievalCreate): Promise<OcktoRetrievalView> {
  await requirePersonOfOffice(em, principal.officeId, personId);
  if (body.dossierId !== undefined) {
    const link = await one<{ dossier_id: string }>(
      em,
      `select da.dossier_id from dossier_applicants da join dossiers d on d.id = da.dossier_id
        where da.dossier_id = ? and da.person_id = ? and d.office_id = ?`,
      [looksLikeUuid(body.dossierId) ? body.dossierId : null, personId, principal.officeId],
    );
    if (!link) throw refuse.invalid('ockto-dossier', `Dossier ${body.dossierId} is not a dossier of person ${personId}`);
  }
  if (body.reminderAfterSeconds !== undefined && body.expireAfterSeconds !== undefined && body.reminderAfterSeconds >= body.expireAfterSeconds) {
    throw refuse.invalid('ockto-timing', 'reminderAfterSeconds must be shorter than expireAfterSeconds, or the reminder would never go out');
  }
  const id = newId();
  await insertRetrieval(em, {
    id,
    officeId: principal.officeId,
    personId,
    dossierId: body.dossierId ?? null,
    scenario: body.scenario ?? null,
    reminderAfterSeconds: body.reminderAfterSeconds ?? null,
    expireAfterSeconds: body.expireAfterSeconds ?? null,
    pollIntervalSeconds: body.pollIntervalSeconds ?? null,
    retentionSeconds: body.retentionSeconds ?? null,
    requestedBy: principal.credentialId,
  });
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
    await deleteRetrieval(em, id);
    throw new DomainError('unavailable', 'workflow-unavailable', `The retrieval was not started (the process engine did not answer: ${err instanceof Error ? err.message : String(err)})`);
  }
  return getRetrieval(em, principal.officeId, id);
}

/**
 * The person of the office, or refused not-found. `lock`: the person row is locked for the
 * caller's transaction, so two advisers setting the class at once record `from` in turn.
 */
async function requirePersonOfOffice(em: EntityManager, officeId: string, personId: string, lock = false): Promise<void> {
  const person = looksLikeUuid(personId)
    ? await one(em, `select id from persons where id = ? and office_id = ?${lock ? ' for update' : ''}`, [personId, officeId])
    : undefined;
  if (!person) throw refuse.notFound('Person', personId);
}

async function requireRow(em: EntityManager, officeId: string, id: string, lock = false): Promise<RetrievalRow> {
  const row = looksLikeUuid(id) ? await retrievalById(em, id, { officeId, forUpdate: lock }) : undefined;
  if (!row) throw refuse.notFound('Ockto retrieval', id);
  return row;
}

export async function getRetrieval(em: EntityManager, officeId: string, id: string): Promise<OcktoRetrievalView> {
  const row = await requireRow(em, officeId, id);
  const source = await sourceDataSummaryOf(em, id);
  const history = await historyOfRetrieval(em, id);
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
    await changeCurrentClass(tem, row, { riskClass: body.riskClass, motivation: body.motivation.trim(), actor: principal.credentialId });
  });
  return getRetrieval(em, principal.officeId, id);
}

export async function personRisk(em: EntityManager, officeId: string, personId: string): Promise<PersonRiskView> {
  await requirePersonOfOffice(em, officeId, personId);
  const history = await historyOfPerson(em, officeId, personId);
  const retrievals = await retrievalsOfPerson(em, officeId, personId);
  return {
    personId,
    currentClass: history.at(-1)?.to_class ?? null,
    history: historyView(history),
    retrievals: retrievals.map((r) => ({ id: r.id, status: r.status, currentClass: r.current_class, createdAt: iso(r.created_at)! })),
  };
}

/**
 * The adviser sets the person's class by hand (*handmatige risicoclassificatie*), for any person,
 * with or without an Ockto retrieval: a history record (source 'manual', no retrieval) that is
 * from then on the person's current class. Setting the class it already has is allowed: it
 * records a renewed assessment (a periodic Wwft review) with its own motivation.
 */
export async function setPersonRiskClass(em: EntityManager, principal: Principal, personId: string, body: PersonRiskClassSet): Promise<PersonRiskView> {
  const motivation = body.motivation.trim();
  // The schema counts the raw text; spaces around a short word are no motivation.
  if (motivation.length < MIN_MOTIVATION_LENGTH) throw refuse.invalidField('/body/motivation', `must be at least ${MIN_MOTIVATION_LENGTH} characters (without spaces around it)`);
  if (!isRiskClass(body.class)) throw refuse.invalidField('/body/class', 'must be one of the risk classes');
  await em.transactional(async (tem) => {
    await requirePersonOfOffice(tem, principal.officeId, personId, true);
    const current = (await historyOfPerson(tem, principal.officeId, personId)).at(-1)?.to_class ?? null;
    await insertManualClassRecord(tem, {
      officeId: principal.officeId,
      personId,
      retrievalId: null,
      from: current,
      to: body.class,
      motivation,
      actor: principal.credentialId,
    });
  });
  return personRisk(em, principal.officeId, personId);
}
