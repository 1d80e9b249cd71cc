/**
 * The one writer of `saved_selections`: query-manager selections saved under a name, private to
 * the credential that saved them (unique per credential and name).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { one, rows, type Row } from '../../db/sql.js';
import type { SelectionQuery } from './schemas.js';

export const ownedTables = ['saved_selections'] as const;

/** A saved selection as read back (without its owner columns). */
export interface SavedSelectionRow extends Row {
  id: string;
  name: string;
  query: SelectionQuery;
  created_at: unknown;
}

/** The selection under its name, unless this credential saved one with that name already (then false). */
export async function insertSavedSelectionOnce(
  em: EntityManager,
  s: { id: string; officeId: string; credentialId: string; name: string; query: SelectionQuery },
): Promise<boolean> {
  const inserted = (await em.execute(
    `insert into saved_selections (id, office_id, credential_id, name, query) values (?, ?, ?, ?, ?::jsonb)
     on conflict (credential_id, name) do nothing`,
    [s.id, s.officeId, s.credentialId, s.name, JSON.stringify(s.query)],
    'run',
  )) as { affectedRows?: number };
  return Boolean(inserted.affectedRows);
}

export async function deleteSavedSelection(em: EntityManager, id: string): Promise<void> {
  await em.execute('delete from saved_selections where id = ?', [id]);
}

/** One saved selection of the credential. */
export async function savedSelectionOf(em: EntityManager, officeId: string, credentialId: string, id: string): Promise<SavedSelectionRow | undefined> {
  return one<SavedSelectionRow>(em, 'select id, name, query, created_at from saved_selections where office_id = ? and credential_id = ? and id = ?', [
    officeId,
    credentialId,
    id,
  ]);
}

/** The credential's saved selections, by name. */
export async function savedSelectionsOf(em: EntityManager, officeId: string, credentialId: string): Promise<SavedSelectionRow[]> {
  return rows<SavedSelectionRow>(em, 'select id, name, query, created_at from saved_selections where office_id = ? and credential_id = ? order by name, id', [
    officeId,
    credentialId,
  ]);
}
