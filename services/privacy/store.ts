/**
 * The one writer of `privacy_audit`: every anonymisation and deletion of a person, who did it,
 * when, and what changed as counts per table; and every export of a dossier's client data for
 * advice software (`advice_export`: whose data, which dossier, counts of what went out). It never holds a personal value and has no
 * foreign key to persons (the record must outlive a deleted person). Insert-only.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { newId } from '../../db/ids.js';
import { one, rows, type Row } from '../../db/sql.js';
import type { PrivacyAction } from '../../domain/privacy/audit.js';

export const ownedTables = ['privacy_audit'] as const;

/** Changed rows per table. */
export type ChangeCounts = Record<string, number>;

export interface PrivacyAuditRow extends Row {
  id: string;
  office_id: string;
  person_id: string;
  action: PrivacyAction;
  actor: string;
  at: unknown;
  changes: ChangeCounts;
  dossier_id: string | null;
}

/** Records the act in the caller's transaction; returns the audit record's id. */
export async function insertPrivacyAudit(
  tem: EntityManager,
  a: { officeId: string; personId: string; action: PrivacyAction; actor: string; changes: ChangeCounts; dossierId?: string | null },
): Promise<string> {
  const id = newId();
  await tem.execute(`insert into privacy_audit (id, office_id, person_id, action, actor, changes, dossier_id) values (?, ?, ?, ?, ?, ?::jsonb, ?)`, [
    id,
    a.officeId,
    a.personId,
    a.action,
    a.actor,
    JSON.stringify(a.changes),
    a.dossierId ?? null,
  ]);
  return id;
}

/** The first record of this act on the person (e.g. the anonymisation a second call answers with). */
export async function firstAuditOf(em: EntityManager, officeId: string, personId: string, action: PrivacyAction): Promise<Pick<PrivacyAuditRow, 'id' | 'changes'> | undefined> {
  return one<Pick<PrivacyAuditRow, 'id' | 'changes'>>(
    em,
    `select id, changes from privacy_audit where office_id = ? and person_id = ? and action = ? order by at limit 1`,
    [officeId, personId, action],
  );
}

/** The office's records, newest first; of one person when given. */
export async function auditRows(em: EntityManager, officeId: string, personId: string | null, limit: number): Promise<PrivacyAuditRow[]> {
  return rows<PrivacyAuditRow>(
    em,
    `select id, office_id, person_id, action, actor, at, changes, dossier_id from privacy_audit
      where office_id = ? and (?::uuid is null or person_id = ?::uuid) order by at desc limit ?`,
    [officeId, personId, personId, limit],
  );
}
