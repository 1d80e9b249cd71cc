/**
 * The client's portal session (*portaalsessie*): the activation link from the mail is exchanged
 * for a short-lived bearer token of its own (PORTAL_SESSION_MINUTES), tied to the person, the
 * dossier and the office of the link. The token is `dfp_<32 random bytes>`; only its sha256 is
 * stored. When it expires the client opens the link from the mail again (valid 14 days) for a
 * new one: no password, no refresh token to steal.
 */
import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { refuse } from '../../domain/errors.js';
import type { Principal } from '../../domain/roles.js';
import { newId } from '../../db/ids.js';
import { hashToken } from '../access/tokens.js';
import { deleteExpiredSessions, insertPortalSession, liveSessionByTokenHash, useActivation } from './store.js';

export const PORTAL_SESSION_MINUTES = 30;
/** Portal tokens carry this prefix, so the auth hook knows where to look them up. */
export const PORTAL_TOKEN_PREFIX = 'dfp_';
/** Expired sessions are removed this long after their end (their rows are of no use then). */
const EXPIRED_KEPT_MS = 24 * 3_600_000;

export interface OpenedPortalSession {
  token: string;
  expiresAt: Date;
  dossierId: string;
}

/** A new session for a valid, unexpired activation link; an unknown or expired link is refused as not found. */
export async function openPortalSession(em: EntityManager, activationToken: string, now: Date): Promise<OpenedPortalSession> {
  return em.transactional(async (tem) => {
    const activation = activationToken ? await useActivation(tem, hashToken(activationToken)) : undefined;
    if (!activation) throw refuse.notFoundAs('activation-not-found', 'This activation link is unknown or has expired; ask your adviser for a new one');
    const token = `${PORTAL_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    // Never beyond the link itself: a session cannot outlive what opened it.
    const expiresAt = new Date(Math.min(now.getTime() + PORTAL_SESSION_MINUTES * 60_000, new Date(activation.expires_at).getTime()));
    await insertPortalSession(tem, {
      id: newId(),
      tokenHash: hashToken(token),
      activationId: activation.id,
      officeId: activation.office_id,
      dossierId: activation.dossier_id,
      personId: activation.person_id,
      expiresAt,
      createdAt: now,
    });
    await deleteExpiredSessions(tem, new Date(now.getTime() - EXPIRED_KEPT_MS));
    return { token, expiresAt, dossierId: activation.dossier_id };
  });
}

export function isPortalToken(token: string): boolean {
  return token.startsWith(PORTAL_TOKEN_PREFIX);
}

/** The principal of a live portal session token (role `client`), or undefined (unknown or expired). */
export async function portalPrincipal(em: EntityManager, token: string, now: Date): Promise<Principal | undefined> {
  const session = await liveSessionByTokenHash(em, hashToken(token), now);
  if (!session) return undefined;
  return { credentialId: session.id, officeId: session.office_id, role: 'client', portal: { personId: session.person_id, dossierId: session.dossier_id } };
}
