/**
 * API credentials: opaque bearer tokens `dfl_<role>_<32 random bytes base64url>`. Only the
 * sha256 of a token is stored, so a database leak does not leak tokens.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import type { Role } from '../../domain/roles.js';
import { ApiCredential } from '../../db/entities/index.js';
import { newId } from '../../db/ids.js';

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function generateToken(role: Role): string {
  return `dfl_${role}_${randomBytes(32).toString('base64url')}`;
}

export async function issueCredential(
  em: EntityManager,
  args: { officeId: string; name: string; role: Role },
): Promise<{ token: string; id: string }> {
  const token = generateToken(args.role);
  const id = newId();
  em.create(ApiCredential, {
    id,
    officeId: args.officeId,
    name: args.name,
    role: args.role,
    tokenHash: hashToken(token),
    revokedAt: null,
  });
  await em.flush();
  return { token, id };
}

/** The active (not revoked) credential for a token, or null. */
export async function findCredentialByToken(em: EntityManager, token: string): Promise<ApiCredential | null> {
  if (!token) return null;
  return em.findOne(ApiCredential, { tokenHash: hashToken(token), revokedAt: null });
}
