/**
 * The one writer of `person_imports`: one row per import (real or dry run), created first so a
 * client can poll it, its progress updated per batch, then its report or its error. The persons
 * an import creates are written by services/crm/store.ts.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { one, type Row } from '../../db/sql.js';
import type { PersonImportFormat, PersonImportStatusCode } from '../../domain/person-import/import.js';
import type { PersonImportReport } from './schemas.js';

export const ownedTables = ['person_imports'] as const;

/** A `person_imports` row. */
export interface PersonImportRow extends Row {
  id: string;
  office_id: string;
  dry_run: boolean;
  format: PersonImportFormat;
  status: PersonImportStatusCode;
  total: number;
  processed: number;
  imported: number;
  report: PersonImportReport | null;
  error: string | null;
  created_by: string;
  created_at: unknown;
  updated_at: unknown;
}

/** The running import's row, once per id; false when an import with this id exists already. */
export async function insertImportOnce(
  em: EntityManager,
  i: { id: string; officeId: string; createdBy: string; dryRun: boolean; format: PersonImportFormat; total: number },
): Promise<boolean> {
  const created = (await em.execute(
    `insert into person_imports (id, office_id, created_by, dry_run, format, status, total) values (?, ?, ?, ?, ?, 'running', ?)
     on conflict (id) do nothing`,
    [i.id, i.officeId, i.createdBy, i.dryRun, i.format, i.total],
    'run',
  )) as { affectedRows?: number };
  return Boolean(created.affectedRows);
}

/** Progress after a batch: rows handled so far and persons imported so far. */
export async function recordImportProgress(em: EntityManager, id: string, processed: number, imported: number): Promise<void> {
  await em.execute(`update person_imports set processed = ?, imported = ?, updated_at = now() where id = ?`, [processed, imported, id], 'run');
}

export async function markImportFailed(em: EntityManager, id: string, error: string): Promise<void> {
  await em.execute(`update person_imports set status = 'failed', error = ?, updated_at = now() where id = ?`, [error.slice(0, 2000), id], 'run');
}

export async function markImportDone(em: EntityManager, id: string, report: PersonImportReport): Promise<void> {
  await em.execute(`update person_imports set status = 'done', report = ?::jsonb, updated_at = now() where id = ?`, [JSON.stringify(report), id], 'run');
}

export async function importOfOffice(em: EntityManager, officeId: string, id: string): Promise<PersonImportRow | undefined> {
  return one<PersonImportRow>(em, `select * from person_imports where office_id = ? and id = ?`, [officeId, id]);
}
