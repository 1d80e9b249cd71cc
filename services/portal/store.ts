/**
 * The one writer of `portal_activations` (the client-portal activation links, *activatielink*)
 * and `portal_sessions` (the client's short-lived portal credential). Only the sha256 of a
 * link's or a session's token is stored; the plain token exists only in the mail or in the
 * client's browser.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { newId } from '../../db/ids.js';
import { one } from '../../db/sql.js';

export const ownedTables = ['portal_activations', 'portal_sessions'] as const;

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

/** The activation with this token hash, marked activated (the first use counts), with the dossier's office; undefined when unknown or expired. */
export async function useActivation(
  tem: EntityManager,
  tokenHash: string,
): Promise<{ id: string; dossier_id: string; person_id: string; office_id: string; expires_at: string | Date } | undefined> {
  return one(
    tem,
    `update portal_activations a set activated_at = coalesce(a.activated_at, now())
       from dossiers d
      where a.token_hash = ? and a.expires_at > now() and d.id = a.dossier_id
     returning a.id, a.dossier_id, a.person_id, d.office_id, a.expires_at`,
    [tokenHash],
  );
}

export type PortalSessionRow = {
  id: string;
  office_id: string;
  dossier_id: string;
  person_id: string;
  expires_at: string | Date;
};

/** A new portal session. */
export async function insertPortalSession(
  tem: EntityManager,
  s: { id: string; tokenHash: string; activationId: string; officeId: string; dossierId: string; personId: string; expiresAt: Date; createdAt: Date },
): Promise<void> {
  await tem.execute(
    `insert into portal_sessions (id, token_hash, activation_id, office_id, dossier_id, person_id, expires_at, created_at) values (?, ?, ?, ?, ?, ?, ?, ?)`,
    [s.id, s.tokenHash, s.activationId, s.officeId, s.dossierId, s.personId, s.expiresAt, s.createdAt],
  );
}

/** The session with this token hash if it has not expired at `now`. */
export async function liveSessionByTokenHash(em: EntityManager, tokenHash: string, now: Date): Promise<PortalSessionRow | undefined> {
  return one<PortalSessionRow>(em, 'select id, office_id, dossier_id, person_id, expires_at from portal_sessions where token_hash = ? and expires_at > ?', [tokenHash, now]);
}

/** Ends sessions that expired before `before` (kept a while so a client sees "expired", then removed). */
export async function deleteExpiredSessions(em: EntityManager, before: Date): Promise<number> {
  const result = (await em.execute('delete from portal_sessions where expires_at < ?', [before], 'run')) as { affectedRows?: number };
  return result.affectedRows ?? 0;
}

/** Removes every portal session of a person (anonymisation); returns how many. */
export async function deleteSessionsOfPerson(tem: EntityManager, personId: string): Promise<number> {
  const result = (await tem.execute('delete from portal_sessions where person_id = ?', [personId], 'run')) as { affectedRows?: number };
  return result.affectedRows ?? 0;
}
