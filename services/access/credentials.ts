/** Bearer token lookup: the active (not revoked) credential whose sha256 matches the token. */
import type { EntityManager } from '@mikro-orm/core';
import { ApiCredential } from '../../db/entities/index.js';
import { hashToken } from './tokens.js';

export interface FoundCredential {
  credentialId: string;
  officeId: string;
  role: string;
}

/** The active (not revoked) credential for a token, or null. */
export async function findCredentialByToken(em: EntityManager, token: string): Promise<ApiCredential | null> {
  if (!token) return null;
  return em.findOne(ApiCredential, { tokenHash: hashToken(token), revokedAt: null });
}

export async function lookupCredential(em: EntityManager, token: string): Promise<FoundCredential | undefined> {
  const found = await findCredentialByToken(em, token);
  return found ? { credentialId: found.id, officeId: found.officeId, role: found.role } : undefined;
}
