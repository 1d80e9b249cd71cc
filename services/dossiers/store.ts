/**
 * The one writer of the dossier tables: `dossiers`, `dossier_applicants` (*aanvragers*),
 * `dossier_events` (the dossier's history) and `dossier_counters` (dossier numbers). Every
 * function runs on the EntityManager it is given, so callers decide the transaction.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { Dossier, DossierApplicant, DossierEvent, type DossierStatus } from '../../db/entities/index.js';
import { newId } from '../../db/ids.js';
import { one } from '../../db/sql.js';
import { notifyDossierChanged } from '../live/notify.js';

export const ownedTables = ['dossiers', 'dossier_applicants', 'dossier_events', 'dossier_counters'] as const;

export type { Dossier as DossierRecord, DossierApplicant as DossierApplicantRecord, DossierEvent as DossierEventRecord, DossierStatus };

export function formatDossierNumber(year: number, n: number): string {
  return `${year}-${String(n).padStart(6, '0')}`;
}

/**
 * Reserves the next dossier number "YYYY-NNNNNN" of the office (atomic upsert on its counter
 * row per year). Not gapless: a rolled-back transaction may skip a number.
 */
export async function nextDossierNumber(em: EntityManager, officeId: string, year = new Date().getFullYear()): Promise<string> {
  const rows = await em.execute<{ last: number }[]>(
    `insert into dossier_counters (office_id, year, last) values (?, ?, 1)
     on conflict (office_id, year) do update set last = dossier_counters.last + 1
     returning last`,
    [officeId, year],
  );
  const last = rows[0]?.last;
  if (typeof last !== 'number') throw new Error('nextDossierNumber: counter upsert returned nothing');
  return formatDossierNumber(year, last);
}

/**
 * A new dossier (status *prospect*) with its applicants in the given order and its "created"
 * event. Run inside the caller's transaction (with the persons it links).
 */
export async function insertDossier(
  tem: EntityManager,
  input: { officeId: string; personIds: readonly string[]; actor: string; now?: Date },
): Promise<{ id: string; number: string }> {
  const id = newId();
  const now = input.now ?? new Date();
  const number = await nextDossierNumber(tem, input.officeId);
  tem.create(Dossier, { id, officeId: input.officeId, number, status: 'prospect', createdAt: now, updatedAt: now });
  // Foreign keys are scalar columns (no ORM relations), so flush parents before children.
  await tem.flush();
  input.personIds.forEach((personId, i) => tem.create(DossierApplicant, { dossierId: id, position: i + 1, personId }));
  tem.create(DossierEvent, {
    id: newId(),
    dossierId: id,
    key: null,
    at: now,
    actor: input.actor,
    kind: 'created',
    fromStatus: null,
    toStatus: 'prospect',
  });
  await tem.flush();
  return { id, number };
}

/**
 * Sets the dossier's status once per idempotency key, with its history event; nothing when the
 * key was applied before or the status is already the target. Locks the dossier row.
 * Returns false when the dossier does not exist.
 */
export async function setDossierStatusOnce(
  tem: EntityManager,
  input: { dossierId: string; key: string; status: DossierStatus; actor: string; at: Date },
): Promise<boolean> {
  const current = await one<{ status: string }>(tem, 'select status from dossiers where id = ? for update', [input.dossierId]);
  if (!current) return false;
  if (await tem.count(DossierEvent, { key: input.key })) return true; // done before
  if (current.status === input.status) return true; // nothing to change
  await tem.execute('update dossiers set status = ?, updated_at = now() where id = ?', [input.status, input.dossierId]);
  await tem.execute(
    `insert into dossier_events (id, dossier_id, key, at, actor, kind, from_status, to_status)
     values (?, ?, ?, ?, ?, 'status', ?, ?) on conflict (key) do nothing`,
    [newId(), input.dossierId, input.key, input.at, input.actor, current.status, input.status],
  );
  await notifyDossierChanged(tem, input.dossierId);
  return true;
}

/**
 * Removes a person from every dossier they are an applicant of (GDPR delete): the remaining
 * applicant becomes applicant 1 (templates and HDN address "applicant1"), and each dossier
 * records an 'applicant-removed' event. Returns the dossiers touched.
 */
export async function removeApplicantEverywhere(tem: EntityManager, personId: string, actor: string): Promise<string[]> {
  const links = (await tem.execute(
    `select a.dossier_id, a.position, d.status from dossier_applicants a join dossiers d on d.id = a.dossier_id
      where a.person_id = ? order by a.dossier_id for update of a`,
    [personId],
    'all',
  )) as { dossier_id: string; position: number; status: string }[];
  for (const link of links) {
    await tem.execute('delete from dossier_applicants where dossier_id = ? and person_id = ?', [link.dossier_id, personId]);
    await tem.execute('update dossier_applicants set position = 1 where dossier_id = ? and position = 2', [link.dossier_id]);
    await tem.execute(
      `insert into dossier_events (id, dossier_id, key, at, actor, kind, from_status, to_status)
       values (?, ?, null, now(), ?, 'applicant-removed', ?, ?)`,
      [newId(), link.dossier_id, actor, link.status, link.status],
    );
    await tem.execute('update dossiers set updated_at = now() where id = ?', [link.dossier_id]);
  }
  return links.map((l) => l.dossier_id);
}
