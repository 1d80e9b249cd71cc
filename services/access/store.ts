/**
 * The one writer of `offices` (the tenants) and `api_credentials` (bearer credentials of user
 * roles and external parties; only the sha256 of a token is kept), and of the office users'
 * sign-in: `users` (accounts, argon2id hashes, lockout counters), `user_sessions` (the session
 * cookie, only the sha256 of its id), `user_invitations` (hashed one-time links) and
 * `login_notices` (announcements on the sign-in page).
 *
 * Every write here that can end or narrow access (a credential revoked, roles or status of a
 * user changed, sessions deleted) empties the auth plugin's principal cache of this process
 * (`accessChanged`, services/access/principal-cache.ts).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { ApiCredential, Office } from '../../db/entities/index.js';
import { newId } from '../../db/ids.js';
import { one, rows } from '../../db/sql.js';
import type { CredentialRole } from '../../domain/roles.js';
import { generateToken, hashToken } from './tokens.js';
import { accessChanged } from './principal-cache.js';

export const ownedTables = ['offices', 'api_credentials', 'users', 'user_sessions', 'user_invitations', 'login_notices'] as const;

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
  const revoked = await em.nativeUpdate(ApiCredential, { officeId, name, revokedAt: null }, { revokedAt: new Date() });
  accessChanged();
  return revoked;
}

/** Gives the office's credential with this name its HDN node number, unless it has one. */
export async function setHdnNodeIfMissing(em: EntityManager, officeId: string, name: string, node: string): Promise<void> {
  await em.getConnection().execute(`update api_credentials set hdn_node = ? where office_id = ? and name = ? and hdn_node is null`, [node, officeId, name]);
}

// ---- office users ------------------------------------------------------------------------------

export type UserRow = {
  id: string;
  office_id: string;
  credential_id: string;
  email: string;
  name: string;
  roles: string[];
  status: 'invited' | 'active' | 'disabled';
  password_hash: string | null;
  totp_secret: string | null;
  totp_enabled: boolean;
  failed_count: number;
  first_failed_at: Date | null;
  locked_until: Date | null;
  created_at: Date;
}

const userColumns = `id, office_id, credential_id, email, name, roles, status, password_hash, totp_secret, totp_enabled,
  failed_count, first_failed_at, locked_until, created_at`;

/** A new account with its own credential (role = the primary role; its token is never handed out). */
export async function insertUser(
  em: EntityManager,
  u: { officeId: string; email: string; name: string; roles: readonly string[]; primaryRole: CredentialRole; status: 'invited' | 'active'; passwordHash: string | null },
): Promise<{ id: string; credentialId: string }> {
  // The credential of the account: its token is thrown away, only sessions act with its id.
  const { id: credentialId } = await registerCredential(em, { officeId: u.officeId, name: 'user account', role: u.primaryRole, token: generateToken(u.primaryRole) });
  const id = newId();
  await em.execute(
    `insert into users (id, office_id, credential_id, email, name, roles, status, password_hash) values (?, ?, ?, ?, ?, ?::text[], ?, ?)`,
    [id, u.officeId, credentialId, u.email, u.name, `{${u.roles.join(',')}}`, u.status, u.passwordHash],
  );
  return { id, credentialId };
}

const asDate = (v: unknown): Date | null => (v === null || v === undefined ? null : v instanceof Date ? v : new Date(String(v)));
/** The row with its timestamps as Dates, whatever the driver answered. */
function userRow(r: UserRow | undefined): UserRow | undefined {
  if (!r) return undefined;
  return { ...r, first_failed_at: asDate(r.first_failed_at), locked_until: asDate(r.locked_until), created_at: asDate(r.created_at)! };
}

export async function userByEmail(em: EntityManager, email: string): Promise<UserRow | undefined> {
  return userRow(await one<UserRow>(em, `select ${userColumns} from users where email = ?`, [email]));
}

export async function userById(em: EntityManager, id: string): Promise<UserRow | undefined> {
  return userRow(await one<UserRow>(em, `select ${userColumns} from users where id = ?`, [id]));
}

export async function usersOfOffice(em: EntityManager, officeId: string): Promise<UserRow[]> {
  return (await rows<UserRow>(em, `select ${userColumns} from users where office_id = ? order by lower(name), email`, [officeId])).map((r) => userRow(r)!);
}

export async function setUserFailures(em: EntityManager, id: string, s: { failedCount: number; firstFailedAt: Date | null; lockedUntil: Date | null }): Promise<void> {
  await em.execute(`update users set failed_count = ?, first_failed_at = ?, locked_until = ? where id = ?`, [s.failedCount, s.firstFailedAt, s.lockedUntil, id]);
}

export async function setUserPassword(em: EntityManager, id: string, passwordHash: string): Promise<void> {
  await em.execute(
    `update users set password_hash = ?, status = 'active', failed_count = 0, first_failed_at = null, locked_until = null, updated_at = now() where id = ?`,
    [passwordHash, id],
  );
}

/** New roles (and the credential's primary role with them). */
export async function setUserRoles(em: EntityManager, id: string, roles: readonly string[], primaryRole: CredentialRole): Promise<void> {
  await em.execute(`update users set roles = ?::text[], updated_at = now() where id = ?`, [`{${roles.join(',')}}`, id]);
  await em.execute(`update api_credentials set role = ? where id = (select credential_id from users where id = ?)`, [primaryRole, id]);
  accessChanged();
}

export async function setUserStatus(em: EntityManager, id: string, status: 'active' | 'disabled'): Promise<void> {
  await em.execute(`update users set status = ?, updated_at = now() where id = ?`, [status, id]);
  accessChanged();
}

export async function setUserTotp(em: EntityManager, id: string, secret: string | null, enabled: boolean): Promise<void> {
  await em.execute(`update users set totp_secret = ?, totp_enabled = ?, updated_at = now() where id = ?`, [secret, enabled, id]);
}

// ---- sessions ----------------------------------------------------------------------------------

export type UserSessionRow = {
  id: string;
  user_id: string;
  csrf_token: string;
  created_at: Date;
  last_seen_at: Date;
  idle_expires_at: Date;
  expires_at: Date;
}

export async function insertUserSession(
  em: EntityManager,
  s: { tokenHash: string; userId: string; csrfToken: string; createdAt: Date; idleExpiresAt: Date; expiresAt: Date },
): Promise<string> {
  const id = newId();
  await em.execute(
    `insert into user_sessions (id, token_hash, user_id, csrf_token, created_at, last_seen_at, idle_expires_at, expires_at) values (?, ?, ?, ?, ?, ?, ?, ?)`,
    [id, s.tokenHash, s.userId, s.csrfToken, s.createdAt, s.createdAt, s.idleExpiresAt, s.expiresAt],
  );
  return id;
}

/** The live session (not past either expiry) with this token hash, with its active user. */
export async function liveUserSession(em: EntityManager, tokenHash: string, now: Date): Promise<(UserSessionRow & { user: UserRow }) | undefined> {
  const found = await one<Record<string, unknown>>(
    em,
    `select s.id as s_id, s.csrf_token, s.created_at as s_created_at, s.last_seen_at, s.idle_expires_at, s.expires_at, u.*
       from user_sessions s join users u on u.id = s.user_id
      where s.token_hash = ? and s.idle_expires_at > ? and s.expires_at > ? and u.status = 'active'`,
    [tokenHash, now, now],
  );
  if (!found) return undefined;
  const user = userRow(found as unknown as UserRow)!;
  return {
    id: found.s_id as string,
    user_id: user.id,
    csrf_token: found.csrf_token as string,
    created_at: found.s_created_at as Date,
    last_seen_at: found.last_seen_at as Date,
    idle_expires_at: found.idle_expires_at as Date,
    expires_at: found.expires_at as Date,
    user,
  };
}

export async function touchUserSession(em: EntityManager, id: string, now: Date, idleExpiresAt: Date): Promise<void> {
  await em.execute(`update user_sessions set last_seen_at = ?, idle_expires_at = ? where id = ?`, [now, idleExpiresAt, id]);
}

export async function deleteUserSession(em: EntityManager, tokenHash: string): Promise<void> {
  await em.execute(`delete from user_sessions where token_hash = ?`, [tokenHash]);
  accessChanged();
}

/** Ends every session of a user (disabled, new password); and sessions long past their end. */
export async function deleteSessionsOfUser(em: EntityManager, userId: string): Promise<void> {
  await em.execute(`delete from user_sessions where user_id = ?`, [userId]);
  accessChanged();
}

export async function deleteExpiredUserSessions(em: EntityManager, before: Date): Promise<void> {
  await em.execute(`delete from user_sessions where expires_at < ? or idle_expires_at < ?`, [before, before]);
}

// ---- invitations -------------------------------------------------------------------------------

export async function insertInvitation(em: EntityManager, i: { userId: string; tokenHash: string; expiresAt: Date }): Promise<void> {
  await em.execute(`insert into user_invitations (id, user_id, token_hash, expires_at) values (?, ?, ?, ?)`, [newId(), i.userId, i.tokenHash, i.expiresAt]);
}

/** Uses the unexpired, unused invitation with this token hash (once); the invited user's id, or undefined. */
export async function useInvitation(em: EntityManager, tokenHash: string, now: Date): Promise<string | undefined> {
  const used = await one<{ user_id: string }>(
    em,
    `update user_invitations set used_at = ? where token_hash = ? and used_at is null and expires_at > ? returning user_id`,
    [now, tokenHash, now],
  );
  return used?.user_id;
}

// ---- login notices -----------------------------------------------------------------------------

export type LoginNoticeRow = {
  id: string;
  office_id: string;
  severity: string;
  message: string;
  starts_at: Date;
  ends_at: Date;
}

export async function insertLoginNotice(em: EntityManager, n: { officeId: string; severity: string; message: string; startsAt: Date; endsAt: Date }): Promise<string> {
  const id = newId();
  await em.execute(`insert into login_notices (id, office_id, severity, message, starts_at, ends_at) values (?, ?, ?, ?, ?, ?)`, [
    id, n.officeId, n.severity, n.message, n.startsAt, n.endsAt,
  ]);
  return id;
}

export async function deleteLoginNotice(em: EntityManager, officeId: string, id: string): Promise<boolean> {
  const r = (await em.execute(`delete from login_notices where office_id = ? and id = ?`, [officeId, id], 'run')) as { affectedRows?: number };
  return (r.affectedRows ?? 0) > 0;
}

/** Notices not yet over at `now` (all offices when officeId is null: the sign-in page knows no office yet). */
export async function currentLoginNotices(em: EntityManager, officeId: string | null, now: Date): Promise<LoginNoticeRow[]> {
  return rows<LoginNoticeRow & Record<string, unknown>>(
    em,
    `select id, office_id, severity, message, starts_at, ends_at from login_notices where ends_at > ? and (?::uuid is null or office_id = ?::uuid) order by starts_at, id`,
    [now, officeId, officeId],
  );
}
