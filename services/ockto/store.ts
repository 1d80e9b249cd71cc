/**
 * The one writer of the Ockto tables: `ockto_retrievals` (one data retrieval for a person,
 * driven by the workflow `ockto:<id>`), `ockto_source_data` (the raw data, wiped after the
 * retention), `ockto_callbacks` (every callback as received, unique on Ockto's event id) and
 * `risk_class_history` (every change of a person's Wwft risk class; insert-only). Every function
 * runs on the EntityManager it is given, so callers decide the transaction; the writes a
 * workflow repeats are idempotent (the session once, the source data once per retrieval, the
 * data-derived history record once per key, the wipe once).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { newId } from '../../db/ids.js';
import { one, rows, type Row } from '../../db/sql.js';
import type { CallbackOutcome, OcktoCollectStatus, OcktoOutcome, OcktoRetrievalStatus, RiskClassSource, SourceDataVia } from '../../domain/ockto/retrieval.js';
import type { RiskAnswers, RiskClass, RiskReasonCode } from '../../domain/ockto/risk-class.js';
import { workflowIds } from '../../domain/workflow-ids.js';
import { affectedRows, scrubRows } from '../privacy/scrub-rows.js';

export const ownedTables = ['ockto_retrievals', 'ockto_source_data', 'ockto_callbacks', 'risk_class_history'] as const;

/** An `ockto_retrievals` row as raw SQL reads it (`select * ...`). */
export interface RetrievalRow extends Row {
  id: string;
  office_id: string;
  person_id: string;
  dossier_id: string | null;
  status: OcktoRetrievalStatus;
  status_reason: string | null;
  scenario: string | null;
  session_id: string | null;
  session_url: string | null;
  session_qr: string | null;
  reminder_after_seconds: number | null;
  expire_after_seconds: number | null;
  poll_interval_seconds: number | null;
  retention_seconds: number | null;
  answers: RiskAnswers | null;
  derived_class: RiskClass | null;
  derived_reasons: RiskReasonCode[] | null;
  current_class: RiskClass | null;
  requested_by: string;
  reminder_sent_at: Date | null;
  reminder_note: string | null;
  shared_at: Date | null;
  ended_at: Date | null;
  source_deleted_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** A `risk_class_history` row. */
export interface RiskClassHistoryRow extends Row {
  id: string;
  key: string | null;
  office_id: string;
  person_id: string;
  retrieval_id: string | null;
  from_class: RiskClass | null;
  to_class: RiskClass;
  motivation: string | null;
  source: RiskClassSource;
  actor: string;
  created_at: Date;
}

/** A history row as read for display: with the name of the office credential that made it (null for a system actor). */
export interface RiskClassHistoryEntryRow extends RiskClassHistoryRow {
  actor_name: string | null;
}

// The actor is a credential id when an adviser made the change (text: 'system:ockto' is not one).
const historySelect = `select h.*, c.name as actor_name from risk_class_history h
  left join api_credentials c on c.id::text = h.actor and c.office_id = h.office_id`;

/** What is known of a callback event already received. */
export interface ReceivedCallback extends Row {
  outcome: CallbackOutcome;
  session_id: string;
  status: OcktoCollectStatus;
}

// ------------------------------------------------------------------ reads

/** The retrieval (of the office, when given; locked for the caller's transaction with `forUpdate`). */
export async function retrievalById(em: EntityManager, id: string, opts: { officeId?: string; forUpdate?: boolean } = {}): Promise<RetrievalRow | undefined> {
  const office = opts.officeId === undefined ? '' : ' and office_id = ?';
  return one<RetrievalRow>(em, `select * from ockto_retrievals where id = ?${office}${opts.forUpdate ? ' for update' : ''}`, [
    id,
    ...(opts.officeId === undefined ? [] : [opts.officeId]),
  ]);
}

export async function retrievalBySession(em: EntityManager, sessionId: string, officeId: string): Promise<Pick<RetrievalRow, 'id' | 'status'> | undefined> {
  return one<Pick<RetrievalRow, 'id' | 'status'>>(em, `select id, status from ockto_retrievals where session_id = ? and office_id = ?`, [sessionId, officeId]);
}

export async function retrievalsOfPerson(em: EntityManager, officeId: string, personId: string): Promise<Pick<RetrievalRow, 'id' | 'status' | 'current_class' | 'created_at'>[]> {
  return rows(em, `select id, status, current_class, created_at from ockto_retrievals where person_id = ? and office_id = ? order by created_at desc`, [personId, officeId]);
}

/** The stored source data of a retrieval (data null once wiped), if any arrived. */
export async function sourceDataOf(em: EntityManager, retrievalId: string): Promise<{ data: Record<string, unknown> | null; missing: string[]; deleted_at: Date | null } | undefined> {
  return one(em, `select data, missing, deleted_at from ockto_source_data where retrieval_id = ?`, [retrievalId]);
}

/** Whether the source data is there (or was wiped), without reading it. */
export async function sourceDataSummaryOf(em: EntityManager, retrievalId: string): Promise<{ data_present: boolean; missing: string[]; deleted_at: Date | null } | undefined> {
  return one(em, `select data is not null as data_present, missing, deleted_at from ockto_source_data where retrieval_id = ?`, [retrievalId]);
}

/** The first callback that ended the session without data (declined, expired, failed), if any. */
export async function endingCallbackStatus(em: EntityManager, retrievalId: string): Promise<'declined' | 'expired' | 'failed' | undefined> {
  const found = await one<{ status: 'declined' | 'expired' | 'failed' }>(
    em,
    `select status from ockto_callbacks where retrieval_id = ? and status in ('declined','expired','failed') order by received_at limit 1`,
    [retrievalId],
  );
  return found?.status;
}

export async function callbackByEvent(em: EntityManager, eventId: string): Promise<ReceivedCallback | undefined> {
  return one<ReceivedCallback>(em, `select outcome, session_id, status from ockto_callbacks where event_id = ?`, [eventId]);
}

export async function historyOfRetrieval(em: EntityManager, retrievalId: string): Promise<RiskClassHistoryEntryRow[]> {
  return rows<RiskClassHistoryEntryRow>(em, `${historySelect} where h.retrieval_id = ? order by h.created_at, h.id`, [retrievalId]);
}

export async function historyOfPerson(em: EntityManager, officeId: string, personId: string): Promise<RiskClassHistoryEntryRow[]> {
  return rows<RiskClassHistoryEntryRow>(em, `${historySelect} where h.person_id = ? and h.office_id = ? order by h.created_at, h.id`, [personId, officeId]);
}

// ------------------------------------------------------------------ retrievals

export interface NewRetrieval {
  id: string;
  officeId: string;
  personId: string;
  dossierId: string | null;
  scenario: string | null;
  reminderAfterSeconds: number | null;
  expireAfterSeconds: number | null;
  pollIntervalSeconds: number | null;
  retentionSeconds: number | null;
  requestedBy: string;
}

/** A new retrieval (status 'starting'). */
export async function insertRetrieval(em: EntityManager, r: NewRetrieval): Promise<void> {
  await em.execute(
    `insert into ockto_retrievals (id, office_id, person_id, dossier_id, scenario, reminder_after_seconds, expire_after_seconds,
       poll_interval_seconds, retention_seconds, requested_by)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [r.id, r.officeId, r.personId, r.dossierId, r.scenario, r.reminderAfterSeconds, r.expireAfterSeconds, r.pollIntervalSeconds, r.retentionSeconds, r.requestedBy],
    'run',
  );
}

/** Removes a retrieval no process drives (its workflow could not be started). */
export async function deleteRetrieval(em: EntityManager, id: string): Promise<void> {
  await em.execute(`delete from ockto_retrievals where id = ?`, [id], 'run');
}

/** The Ockto session of the retrieval, once (a second session never replaces the first); a starting retrieval is now waiting. */
export async function setSessionOnce(em: EntityManager, id: string, session: { sessionId: string; url: string; qr: string | null }): Promise<void> {
  await em.execute(
    `update ockto_retrievals set session_id = ?, session_url = ?, session_qr = ?,
       status = case when status = 'starting' then 'waiting' else status end, updated_at = now()
     where id = ? and session_id is null`,
    [session.sessionId, session.url, session.qr, id],
    'run',
  );
}

/** Why no reminder went out. */
export async function setReminderNote(em: EntityManager, id: string, note: string): Promise<void> {
  await em.execute(`update ockto_retrievals set reminder_note = ?, updated_at = now() where id = ?`, [note, id], 'run');
}

/** The first time a reminder went out (a second reminder keeps it). */
export async function markReminderSent(em: EntityManager, id: string, at: Date): Promise<void> {
  await em.execute(`update ockto_retrievals set reminder_sent_at = coalesce(reminder_sent_at, ?), updated_at = now() where id = ?`, [at, id], 'run');
}

/**
 * How the retrieval ended (only an open one changes), with the class derived from the data as
 * its current class and, when there is a class, its history record (source 'data', once per
 * retrieval on the key `ockto:<id>/data`). In the caller's transaction.
 */
export async function recordRetrievalOutcome(
  tem: EntityManager,
  row: Pick<RetrievalRow, 'id' | 'office_id' | 'person_id' | 'current_class'>,
  o: { outcome: OcktoOutcome; reason: string | null; answers: RiskAnswers | null; riskClass: RiskClass | null; reasons: RiskReasonCode[] | null; endedAt: Date },
): Promise<void> {
  await tem.execute(
    `update ockto_retrievals set status = ?, status_reason = ?, answers = ?::jsonb, derived_class = ?, derived_reasons = ?::jsonb,
       current_class = coalesce(?, current_class), ended_at = ?, updated_at = now()
     where id = ? and status in ('starting','waiting')`,
    [o.outcome, o.reason, o.answers ? JSON.stringify(o.answers) : null, o.riskClass, o.reasons ? JSON.stringify(o.reasons) : null, o.riskClass, o.endedAt, row.id],
    'run',
  );
  if (!o.riskClass) return;
  await tem.execute(
    `insert into risk_class_history (id, key, office_id, person_id, retrieval_id, from_class, to_class, motivation, source, actor)
     values (?, ?, ?, ?, ?, ?, ?, ?, 'data', 'system:ockto') on conflict (key) do nothing`,
    [newId(), `${workflowIds.ockto(row.id)}/data`, row.office_id, row.person_id, row.id, row.current_class, o.riskClass, o.reason],
    'run',
  );
}

/** An adviser's deviation (*afwijken*): the current class and its history record (source 'manual'), in the caller's transaction. */
export async function changeCurrentClass(
  tem: EntityManager,
  row: Pick<RetrievalRow, 'id' | 'office_id' | 'person_id' | 'current_class'>,
  change: { riskClass: RiskClass; motivation: string; actor: string },
): Promise<void> {
  await tem.execute(`update ockto_retrievals set current_class = ?, updated_at = now() where id = ?`, [change.riskClass, row.id], 'run');
  await insertManualClassRecord(tem, {
    officeId: row.office_id,
    personId: row.person_id,
    retrievalId: row.id,
    from: row.current_class,
    to: change.riskClass,
    motivation: change.motivation,
    actor: change.actor,
  });
}

/**
 * An adviser's class record (source 'manual'): a deviation from a retrieval, or (retrievalId
 * null) a class set on the person directly, for a client without an Ockto retrieval. The person's
 * current class is the latest record, so this is all it takes. In the caller's transaction.
 */
export async function insertManualClassRecord(
  tem: EntityManager,
  r: { officeId: string; personId: string; retrievalId: string | null; from: RiskClass | null; to: RiskClass; motivation: string; actor: string },
): Promise<void> {
  await tem.execute(
    `insert into risk_class_history (id, office_id, person_id, retrieval_id, from_class, to_class, motivation, source, actor)
     values (?, ?, ?, ?, ?, ?, ?, 'manual', ?)`,
    [newId(), r.officeId, r.personId, r.retrievalId, r.from, r.to, r.motivation, r.actor],
    'run',
  );
}

// ------------------------------------------------------------------ source data

/** The raw data, once per retrieval, and the retrieval's `shared_at`; false when data was stored before. In the caller's transaction. */
export async function insertSourceDataOnce(tem: EntityManager, retrievalId: string, data: unknown, missing: readonly string[], via: SourceDataVia): Promise<boolean> {
  const inserted =
    (await affectedRows(
      tem,
      `insert into ockto_source_data (retrieval_id, data, missing, received_via) values (?, ?::jsonb, ?::jsonb, ?)
       on conflict (retrieval_id) do nothing`,
      [retrievalId, JSON.stringify(data), JSON.stringify(missing), via],
    )) > 0;
  if (inserted) await tem.execute(`update ockto_retrievals set shared_at = now(), updated_at = now() where id = ? and shared_at is null`, [retrievalId], 'run');
  return inserted;
}

/** Wipes the raw data at the end of the retention (once) and notes it on the retrieval; false when it was wiped before. In the caller's transaction. */
export async function wipeSourceData(tem: EntityManager, retrievalId: string, at: Date): Promise<boolean> {
  const deleted = (await affectedRows(tem, `update ockto_source_data set data = null, deleted_at = ? where retrieval_id = ? and deleted_at is null`, [at, retrievalId])) > 0;
  if (deleted) await tem.execute(`update ockto_retrievals set source_deleted_at = ?, updated_at = now() where id = ?`, [at, retrievalId], 'run');
  return deleted;
}

// ------------------------------------------------------------------ callbacks

/** The callback as received, once per Ockto event id; false when the event was stored before. */
export async function insertCallbackOnce(
  em: EntityManager,
  cb: { eventId: string; officeId: string; retrievalId: string | null; sessionId: string; status: OcktoCollectStatus; outcome: CallbackOutcome },
): Promise<boolean> {
  return (
    (await affectedRows(
      em,
      `insert into ockto_callbacks (id, event_id, office_id, retrieval_id, session_id, status, outcome) values (?, ?, ?, ?, ?, ?, ?)
       on conflict (event_id) do nothing`,
      [newId(), cb.eventId, cb.officeId, cb.retrievalId, cb.sessionId, cb.status, cb.outcome],
    )) > 0
  );
}

// ------------------------------------------------------------------ anonymisation (GDPR, services/privacy/anonymise.ts)

/**
 * The person's raw source data goes; the answers and the class history stay (Wwft art. 33
 * retention), with the session link gone and their identifiers replaced in free text. Returns
 * changed rows per table (zeros left out).
 */
export async function anonymiseOcktoOfPerson(tem: EntityManager, personId: string, needles: string[]): Promise<Record<string, number>> {
  const sourceData = await affectedRows(
    tem,
    `update ockto_source_data set data = null, deleted_at = now()
      where data is not null and retrieval_id in (select id from ockto_retrievals where person_id = ?)`,
    [personId],
  );
  const sessions = await affectedRows(
    tem,
    `update ockto_retrievals set session_url = null, session_qr = null, updated_at = now()
      where person_id = ? and (session_url is not null or session_qr is not null)`,
    [personId],
  );
  const retrievalTexts = await scrubRows(
    tem,
    'ockto_retrievals',
    'id',
    [
      { name: 'status_reason', kind: 'text' },
      { name: 'reminder_note', kind: 'text' },
    ],
    { sql: 'person_id = ?', params: [personId] },
    needles,
  );
  const history = await scrubRows(tem, 'risk_class_history', 'id', [{ name: 'motivation', kind: 'text' }], { sql: 'person_id = ?', params: [personId] }, needles);
  const changes: Record<string, number> = { ockto_source_data: sourceData, ockto_retrievals: sessions + retrievalTexts, risk_class_history: history };
  return Object.fromEntries(Object.entries(changes).filter(([, n]) => n > 0));
}
