/**
 * The one writer of `portal_activations`: the client-portal activation links (*activatielink*).
 * Only the sha256 of a link's token is stored; the plain token exists only in the mail.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { newId } from '../../db/ids.js';
import { one } from '../../db/sql.js';

export const ownedTables = ['portal_activations'] as const;

/** The activation, once per key; true when it was inserted now (false: it existed). */
export async function insertActivationOnce(
  tem: EntityManager,
  a: { key: string; dossierId: string; personId: string; tokenHash: string; expiresAt: Date; createdAt: Date },
): Promise<boolean> {
  const result = (await tem.execute(
    `insert into portal_activations (id, key, dossier_id, person_id, token_hash, expires_at, activated_at, created_at)
     values (?, ?, ?, ?, ?, ?, null, ?) on conflict (key) do nothing`,
    [newId(), a.key, a.dossierId, a.personId, a.tokenHash, a.expiresAt, a.createdAt],
    'run',
  )) as { affectedRows?: number };
  return (result.affectedRows ?? 0) > 0;
}

/** Marks the link with this token hash activated (the first time counts); undefined when unknown or expired. */
export async function activateByTokenHash(em: EntityManager, tokenHash: string): Promise<{ id: string } | undefined> {
  return one<{ id: string }>(
    em,
    `update portal_activations set activated_at = coalesce(activated_at, now())
     where token_hash = ? and expires_at > now() returning id`,
    [tokenHash],
  );
}

/** Removes every activation link of a person (anonymisation); returns how many. */
export async function deleteActivationsOfPerson(tem: EntityManager, personId: string): Promise<number> {
  const result = (await tem.execute('delete from portal_activations where person_id = ?', [personId], 'run')) as { affectedRows?: number };
  return result.affectedRows ?? 0;
}
