/**
 * Sign-in of office users (*inloggen*): accounts per office with e-mail as login, argon2id
 * password hashes (the `argon2` package's defaults: 64 MiB, 3 passes), optional TOTP, lockout
 * after repeated failures, and the session behind the session cookie. A session resolves to the
 * same Principal as a bearer token (the account's own credential id, office, primary role) plus
 * the account's roles, so every route and role check works unchanged.
 *
 * Passwords and session ids are never logged nor stored: only the argon2id hash of a password
 * and the sha256 of a session id or an invitation token are kept.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import * as argon2 from 'argon2';
import * as OTPAuth from 'otpauth';
import type { EntityManager } from '@mikro-orm/postgresql';
import { refuse } from '../../domain/errors.js';
import { afterFailure, clearedFailures, defaultLockoutPolicy, lockedFor, sessionEnd, type FailureState, type LockoutPolicy } from '../../domain/access/lockout.js';
import { passwordProblem, passwordProblemText } from '../../domain/access/passwords.js';
import { isUserRole, primaryRole, type Principal, type UserRole } from '../../domain/roles.js';
import { hashToken } from './tokens.js';
import { accessChanged } from './principal-cache.js';
import {
  deleteExpiredUserSessions,
  deleteSessionsOfUser,
  deleteUserSession,
  insertInvitation,
  insertUser,
  insertUserSession,
  liveUserSession,
  setUserFailures,
  setUserPassword,
  setUserRoles,
  setUserStatus,
  setUserTotp,
  touchUserSession,
  useInvitation,
  userByEmail,
  userById,
  usersOfOffice,
  type UserRow,
} from './store.js';

/** The name of the session cookie. */
export const SESSION_COOKIE = 'dfl_session';
/** The header that carries the CSRF token on unsafe requests made with the session cookie. */
export const CSRF_HEADER = 'x-csrf-token';
export const INVITATION_DAYS = 7;
/** TOTP: 30-second steps, 6 digits, one step either side accepted (clock drift). */
export const TOTP_WINDOW = 1;
const TOTP_ISSUER = 'dossierflow';

export interface SignInSettings {
  /** Minutes without a request after which a session ends (SESSION_IDLE_MINUTES). */
  idleMinutes: number;
  /** Minutes after sign-in after which a session ends whatever happens (SESSION_MAX_MINUTES). */
  maxMinutes: number;
  /** `auto`: the cookie is Secure when the request came over TLS; `always`: always (SESSION_COOKIE_SECURE). */
  secureCookie: 'auto' | 'always';
  lockout: LockoutPolicy;
}

export const defaultSignInSettings: SignInSettings = { idleMinutes: 30, maxMinutes: 12 * 60, secureCookie: 'auto', lockout: defaultLockoutPolicy };

/** Whether the session cookie gets the Secure flag: always when so set, else when the request came over TLS. */
export function cookieSecure(setting: SignInSettings['secureCookie'], protocol: string): boolean {
  return setting === 'always' || protocol === 'https';
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

/** Refuses a password that breaks the rules (domain/access/passwords.ts), as a field error. */
export function checkPassword(password: string, email: string): void {
  const problem = passwordProblem(password, email);
  if (problem) throw refuse.invalidField('/body/password', passwordProblemText[problem]);
}

// A hash to verify against when the e-mail is unknown, so that answer costs the same work.
let dummyHash: Promise<string> | undefined;
function dummy(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(24).toString('base64url'));
  return dummyHash;
}

/**
 * Failure runs of e-mail addresses without an account, kept in memory: they lock like real
 * accounts, so the lockout answer does not tell whether an account exists. Bounded: cleared
 * when it grows past 10 000 addresses (an attacker spraying addresses only resets its own runs).
 */
const unknownFailures = new Map<string, FailureState>();

export type SignInResult =
  | { ok: true; token: string; csrfToken: string; expiresAt: Date; user: UserRow }
  | { ok: false; reason: 'invalid-credentials' | 'totp-required' | 'totp-invalid' }
  | { ok: false; reason: 'locked'; minutesLeft: number };

function totpOf(secret: string, label: string): OTPAuth.TOTP {
  return new OTPAuth.TOTP({ issuer: TOTP_ISSUER, label, algorithm: 'SHA1', digits: 6, period: 30, secret: OTPAuth.Secret.fromBase32(secret) });
}

/** Whether `code` is the TOTP of `secret` at `now`, one step either side allowed. */
export function totpMatches(secret: string, code: string, now: Date): boolean {
  if (!/^[0-9]{6}$/.test(code)) return false;
  return totpOf(secret, 'x').validate({ token: code, timestamp: now.getTime(), window: TOTP_WINDOW }) !== null;
}

async function openSession(em: EntityManager, user: UserRow, now: Date, settings: SignInSettings): Promise<{ token: string; csrfToken: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + settings.maxMinutes * 60_000);
  const idleExpiresAt = sessionEnd(now, now, settings.idleMinutes, settings.maxMinutes);
  await insertUserSession(em, { tokenHash: hashToken(token), userId: user.id, csrfToken, createdAt: now, idleExpiresAt, expiresAt });
  await deleteExpiredUserSessions(em, new Date(now.getTime() - 24 * 3_600_000));
  return { token, csrfToken, expiresAt };
}

/** Checks e-mail, password (and TOTP when the account has it); a session on success. */
export async function signIn(
  em: EntityManager,
  input: { email: string; password: string; totp?: string | undefined },
  now: Date,
  settings: SignInSettings = defaultSignInSettings,
): Promise<SignInResult> {
  const email = normaliseEmail(input.email);
  const user = await userByEmail(em, email);
  const state: FailureState = user
    ? { failedCount: user.failed_count, firstFailedAt: user.first_failed_at, lockedUntil: user.locked_until }
    : (unknownFailures.get(email) ?? clearedFailures);
  const lock = lockedFor(state, now);
  if (lock.locked) return { ok: false, reason: 'locked', minutesLeft: lock.minutesLeft };

  const fail = async (reason: 'invalid-credentials' | 'totp-invalid'): Promise<SignInResult> => {
    const next = afterFailure(state, now, settings.lockout);
    if (user) await setUserFailures(em, user.id, next);
    else {
      if (unknownFailures.size > 10_000) unknownFailures.clear();
      unknownFailures.set(email, next);
    }
    const locked = lockedFor(next, now);
    return locked.locked ? { ok: false, reason: 'locked', minutesLeft: locked.minutesLeft } : { ok: false, reason };
  };

  // Always one argon2 verification, also for unknown, invited and disabled accounts.
  const usable = user && user.status === 'active' && user.password_hash !== null;
  const passwordOk = await argon2.verify(usable ? user.password_hash! : await dummy(), input.password).catch(() => false);
  if (!usable || !passwordOk) return fail('invalid-credentials');

  if (user.totp_enabled && user.totp_secret) {
    if (!input.totp) return { ok: false, reason: 'totp-required' };
    if (!totpMatches(user.totp_secret, input.totp.trim(), now)) return fail('totp-invalid');
  }
  await setUserFailures(em, user.id, clearedFailures);
  const session = await openSession(em, user, now, settings);
  return { ok: true, ...session, user };
}

export async function signOut(em: EntityManager, token: string): Promise<void> {
  if (token) await deleteUserSession(em, hashToken(token));
}

function rolesOf(user: UserRow): UserRole[] {
  return user.roles.filter(isUserRole);
}

/** The principal of a live session cookie (and its CSRF token), or undefined; a use extends the idle timeout. */
export async function sessionPrincipal(
  em: EntityManager,
  token: string,
  now: Date,
  settings: SignInSettings = defaultSignInSettings,
): Promise<{ principal: Principal; csrfToken: string; expiresAt: Date } | undefined> {
  if (!token) return undefined;
  const session = await liveUserSession(em, hashToken(token), now);
  if (!session) return undefined;
  const roles = rolesOf(session.user);
  if (roles.length === 0) return undefined;
  // Extend the idle timeout, at most once a minute (not a write per request).
  const idleExpiresAt = sessionEnd(new Date(session.created_at), now, settings.idleMinutes, settings.maxMinutes);
  if (now.getTime() - new Date(session.last_seen_at).getTime() > 60_000) await touchUserSession(em, session.id, now, idleExpiresAt);
  return {
    principal: { credentialId: session.user.credential_id, officeId: session.user.office_id, role: primaryRole(roles), user: { userId: session.user.id, roles } },
    csrfToken: session.csrf_token,
    expiresAt: new Date(Math.min(new Date(session.expires_at).getTime(), idleExpiresAt.getTime())),
  };
}

/** Whether the CSRF token sent equals the session's (constant-time). */
export function csrfMatches(sent: string | undefined, expected: string): boolean {
  if (!sent) return false;
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

// ---- accounts (admin) --------------------------------------------------------------------------

export interface UserView {
  id: string;
  email: string;
  name: string;
  roles: UserRole[];
  status: 'invited' | 'active' | 'disabled';
  totpEnabled: boolean;
  locked: boolean;
  createdAt: string;
}

export function userView(u: UserRow, now: Date): UserView {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    roles: rolesOf(u),
    status: u.status,
    totpEnabled: u.totp_enabled,
    locked: lockedFor({ failedCount: u.failed_count, firstFailedAt: u.first_failed_at, lockedUntil: u.locked_until }, now).locked,
    createdAt: new Date(u.created_at).toISOString(),
  };
}

function distinctRoles(roles: readonly UserRole[]): UserRole[] {
  const set = [...new Set(roles)];
  if (set.length === 0) throw refuse.invalidField('/body/roles', 'at least one role');
  return set;
}

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: string }).code === '23505';
}

/** A new account of the office, invited: the one-time token of the invitation link (only its hash kept). */
export async function inviteUser(
  em: EntityManager,
  officeId: string,
  input: { email: string; name: string; roles: readonly UserRole[] },
  now: Date,
): Promise<{ user: UserView; invitationToken: string; expiresAt: Date }> {
  const email = normaliseEmail(input.email);
  const roles = distinctRoles(input.roles);
  return em.transactional(async (tem) => {
    let id: string;
    try {
      ({ id } = await insertUser(tem, { officeId, email, name: input.name.trim(), roles, primaryRole: primaryRole(roles), status: 'invited', passwordHash: null }));
    } catch (err) {
      if (isUniqueViolation(err)) throw refuse.conflict('email-taken', `There is already an account with e-mail ${email}`);
      throw err;
    }
    const invitationToken = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + INVITATION_DAYS * 86_400_000);
    await insertInvitation(tem, { userId: id, tokenHash: hashToken(invitationToken), expiresAt });
    const user = await userById(tem, id);
    return { user: userView(user!, now), invitationToken, expiresAt };
  });
}

/** The invitee sets a password with the link's token (once, before it expires): the account becomes active. */
export async function acceptInvitation(em: EntityManager, input: { token: string; password: string }, now: Date): Promise<UserView> {
  return em.transactional(async (tem) => {
    const userId = input.token ? await useInvitation(tem, hashToken(input.token), now) : undefined;
    const user = userId ? await userById(tem, userId) : undefined;
    if (!user || user.status === 'disabled') throw refuse.notFoundAs('invitation-not-found', 'This invitation link is unknown, used or expired; ask your admin for a new one');
    checkPassword(input.password, user.email);
    await setUserPassword(tem, user.id, await hashPassword(input.password));
    return userView((await userById(tem, user.id))!, now);
  });
}

export async function listUsers(em: EntityManager, officeId: string, now: Date): Promise<UserView[]> {
  return (await usersOfOffice(em, officeId)).map((u) => userView(u, now));
}

/** Changes roles and/or status of an account of the office; an admin cannot lock themselves out. */
export async function changeUser(
  em: EntityManager,
  principal: Principal,
  userId: string,
  patch: { roles?: readonly UserRole[] | undefined; status?: 'active' | 'disabled' | undefined },
  now: Date,
): Promise<UserView> {
  // The store empties the principal cache at each write; once more after the commit, so that a
  // request that read the account between the write and the commit is not remembered either.
  return changeUserInTransaction(em, principal, userId, patch, now).finally(accessChanged);
}

async function changeUserInTransaction(
  em: EntityManager,
  principal: Principal,
  userId: string,
  patch: { roles?: readonly UserRole[] | undefined; status?: 'active' | 'disabled' | undefined },
  now: Date,
): Promise<UserView> {
  return em.transactional(async (tem) => {
    const user = await userById(tem, userId);
    if (!user || user.office_id !== principal.officeId) throw refuse.notFound('User', userId);
    const self = principal.user?.userId === user.id;
    if (patch.roles) {
      const roles = distinctRoles(patch.roles);
      if (self && !roles.includes('admin')) throw refuse.conflict('own-admin-role', 'You cannot take the admin role from your own account');
      await setUserRoles(tem, user.id, roles, primaryRole(roles));
    }
    if (patch.status) {
      if (self && patch.status === 'disabled') throw refuse.conflict('own-account', 'You cannot disable your own account');
      if (patch.status === 'active' && user.password_hash === null) throw refuse.conflict('not-accepted', 'The invitation has not been accepted yet: the account has no password');
      await setUserStatus(tem, user.id, patch.status);
      if (patch.status === 'disabled') await deleteSessionsOfUser(tem, user.id);
    }
    return userView((await userById(tem, user.id))!, now);
  });
}

// ---- TOTP --------------------------------------------------------------------------------------

function sessionUser(principal: Principal): string {
  if (!principal.user) throw refuse.conflict('not-a-user-session', 'Only a signed-in user (session cookie) has a second factor; a bearer token has none');
  return principal.user.userId;
}

/** A fresh TOTP secret for the signed-in user, shown once as an otpauth:// URI; active after confirmTotp. */
export async function enrolTotp(em: EntityManager, principal: Principal): Promise<{ otpauthUri: string }> {
  const user = await userById(em, sessionUser(principal));
  if (!user) throw refuse.notFound('User');
  if (user.totp_enabled) throw refuse.conflict('totp-enabled', 'Two-step verification is already on');
  const secret = new OTPAuth.Secret({ size: 20 }).base32;
  await setUserTotp(em, user.id, secret, false);
  return { otpauthUri: totpOf(secret, user.email).toString() };
}

/** Turns TOTP on when the code matches the enrolled secret. */
export async function confirmTotp(em: EntityManager, principal: Principal, code: string, now: Date): Promise<{ totpEnabled: true }> {
  const user = await userById(em, sessionUser(principal));
  if (!user?.totp_secret || user.totp_enabled) throw refuse.conflict('totp-not-enrolled', 'Start the enrolment first (POST /auth/totp/enrol)');
  if (!totpMatches(user.totp_secret, code.trim(), now)) throw refuse.invalidField('/body/code', 'Onjuiste code');
  await setUserTotp(em, user.id, user.totp_secret, true);
  return { totpEnabled: true };
}

/**
 * An active account with this password (the demo accounts of scripts/seed.ts, tests): created
 * unless the e-mail exists; an existing one gets the password only when `resetPassword` is set.
 */
export async function ensureActiveUser(
  em: EntityManager,
  officeId: string,
  input: { email: string; name: string; roles: readonly UserRole[]; password: string; resetPassword?: boolean },
): Promise<{ created: boolean }> {
  const email = normaliseEmail(input.email);
  const existing = await userByEmail(em, email);
  if (existing) {
    if (existing.office_id !== officeId) throw refuse.conflict('email-taken', `There is already an account with e-mail ${email} in another office`);
    if (input.resetPassword) {
      checkPassword(input.password, email);
      await setUserPassword(em, existing.id, await hashPassword(input.password));
    }
    return { created: false };
  }
  checkPassword(input.password, email);
  await insertUser(em, { officeId, email, name: input.name, roles: input.roles, primaryRole: primaryRole(input.roles), status: 'active', passwordHash: await hashPassword(input.password) });
  return { created: true };
}
