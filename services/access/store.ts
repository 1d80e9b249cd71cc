/**
 * The one writer of `offices` (the tenants) and `api_credentials` (bearer credentials of user
 * roles and external parties; only the sha256 of a token is kept).
 */
import type { EntityManager } from '@mikro-orm/core';
import { ApiCredential, Office } from '../../db/entities/index.js';
import { newId } from '../../db/ids.js';
import type { CredentialRole } from '../../domain/roles.js';
import { generateToken, hashToken } from './tokens.js';

export const ownedTables = ['offices', 'api_credentials'] as const;

export type { Office as OfficeRecord, ApiCredential as ApiCredentialRecord };

/** The office with this name (the oldest one), created when there is none. */
export async function ensureOffice(em: EntityManager, name: string): Promise<{ office: Office; created: boolean }> {
  const existing = await em.findOne(Office, { name }, { orderBy: { createdAt: 'asc' } });
  if (existing) return { office: existing, created: false };
  const office = em.create(Office, { id: newId(), name });
  await em.flush();
  return { office, created: true };
}

/** A new credential with a fresh token; the token is returned once and never stored. */
export async function issueCredential(em: EntityManager, args: { officeId: string; name: string; role: CredentialRole }): Promise<{ token: string; id: string }> {
  const token = generateToken(args.role);
  const { id } = await registerCredential(em, { ...args, token });
  return { token, id };
}

/** A credential for a token the caller already holds (e.g. the demo tokens in the data folder). */
export async function registerCredential(em: EntityManager, args: { officeId: string; name: string; role: CredentialRole; token: string }): Promise<{ id: string }> {
  const id = newId();
  em.create(ApiCredential, { id, officeId: args.officeId, name: args.name, role: args.role, tokenHash: hashToken(args.token), revokedAt: null });
  await em.flush();
  return { id };
}

/** Revokes the office's active credentials with this name; returns how many. */
export async function revokeCredentialsNamed(em: EntityManager, officeId: string, name: string): Promise<number> {
  return em.nativeUpdate(ApiCredential, { officeId, name, revokedAt: null }, { revokedAt: new Date() });
}

/** Gives the office's credential with this name its HDN node number, unless it has one. */
export async function setHdnNodeIfMissing(em: EntityManager, officeId: string, name: string, node: string): Promise<void> {
  await em.getConnection().execute(`update api_credentials set hdn_node = ? where office_id = ? and name = ? and hdn_node is null`, [node, officeId, name]);
}
