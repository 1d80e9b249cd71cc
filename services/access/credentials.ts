/** Bearer token lookup through services/access/tokens.ts (sha256 hash in `api_credentials`, not revoked). */
import type { EntityManager } from '@mikro-orm/postgresql';
import { findCredentialByToken } from './tokens.js';

export interface FoundCredential {
  credentialId: string;
  officeId: string;
  role: string;
}

export async function lookupCredential(em: EntityManager, token: string): Promise<FoundCredential | undefined> {
  const found = await findCredentialByToken(em, token);
  return found ? { credentialId: found.id, officeId: found.officeId, role: found.role } : undefined;
}
