/**
 * Real sign-in of office users (issue 20, deliverable 1): password sign-in sets an httpOnly
 * SameSite session cookie (Secure on TLS), the cookie resolves to a principal that passes the
 * same role checks as a token, unsafe requests with the cookie need the CSRF token, lockout after
 * 5 failures answers the same for unknown e-mails, sessions expire and end at sign-out, TOTP is
 * asked once confirmed, invitations set a password once, and user admin is office-scoped.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import * as OTPAuth from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.js';
import type { MikroORM } from '../../db/orm.js';
import { hashToken } from '../../services/access/tokens.js';
import { ensureActiveUser } from '../../services/access/users.js';
import { bearer, createTestOffice, openOrm, temporalStub, type TestOffice } from './support.js';

let orm: MikroORM;
let app: FastifyInstance;
let office: TestOffice;
let otherOffice: TestOffice;
const run = randomUUID().slice(0, 8);
const email = (who: string) => `${who}-${run}@kantoor.example`;
const password = 'paard-batterij-nietje-42';

beforeAll(async () => {
  orm = await openOrm();
  office = await createTestOffice(orm, 'Inlogkantoor');
  otherOffice = await createTestOffice(orm, 'Anderkantoor');
  app = buildApp({ orm, temporal: temporalStub(), signIn: { idleMinutes: 30, maxMinutes: 720, secureCookie: 'auto', lockout: { maxFailures: 5, windowMinutes: 15, lockMinutes: 15 } } });
  await app.ready();
  for (const [who, roles] of [['anna', ['adviser']], ['bram', ['designer']], ['carla', ['admin']], ['dirk', ['adviser']], ['eva', ['adviser']]] as const) {
    await ensureActiveUser(orm.em.fork(), office.officeId, { email: email(who), name: who, roles, password });
  }
  await ensureActiveUser(orm.em.fork(), otherOffice.officeId, { email: email('olaf'), name: 'olaf', roles: ['admin'], password });
});

afterAll(async () => {
  await app?.close();
  await orm?.close(true);
});

function sessionCookie(res: LightMyRequestResponse): string {
  const c = res.cookies.find((x) => x.name === 'dfl_session');
  if (!c) throw new Error(`no session cookie: ${res.statusCode} ${res.body}`);
  return c.value;
}

async function signIn(who: string, pw = password, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  return app.inject({ method: 'POST', url: '/auth/sign-in', payload: { email: email(who), password: pw, ...extra }, headers });
}

async function session(who: string): Promise<{ cookie: string; csrf: string }> {
  const res = await signIn(who);
  expect(res.statusCode, res.body).toBe(200);
  return { cookie: sessionCookie(res), csrf: res.json().csrfToken };
}

describe('sign-in', () => {
  it('sets an httpOnly, SameSite=Lax session cookie (not Secure over plain HTTP) and answers the session', async () => {
    const res = await signIn('anna');
    expect(res.statusCode, res.body).toBe(200);
    const c = res.cookies.find((x) => x.name === 'dfl_session');
    expect(c).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(c?.secure).toBeFalsy();
    expect(res.json()).toMatchObject({ email: email('anna'), roles: ['adviser'], role: 'adviser', officeId: office.officeId, csrfToken: expect.any(String) });
    // The session id is stored hashed: the cookie value is nowhere in the table.
    const plain = await orm.em.fork().execute<{ n: number }[]>('select count(*)::int as n from user_sessions where token_hash = ?', [c!.value]);
    const hashed = await orm.em.fork().execute<{ n: number }[]>('select count(*)::int as n from user_sessions where token_hash = ?', [hashToken(c!.value)]);
    expect([plain[0]?.n, hashed[0]?.n]).toEqual([0, 1]);
  });

  it('answers a wrong password and an unknown e-mail alike (401 invalid-credentials), e-mail case-insensitive', async () => {
    const wrong = await signIn('anna', 'niet-het-goede-wachtwoord');
    const unknown = await app.inject({ method: 'POST', url: '/auth/sign-in', payload: { email: `niemand-${run}@kantoor.example`, password } });
    for (const res of [wrong, unknown]) {
      expect(res.statusCode).toBe(401);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().type).toMatch(/invalid-credentials$/);
      expect(res.cookies).toEqual([]);
    }
    expect(wrong.json().detail).toBe(unknown.json().detail);
    const upper = await app.inject({ method: 'POST', url: '/auth/sign-in', payload: { email: email('anna').toUpperCase(), password } });
    expect(upper.statusCode).toBe(200);
  });

  it('locks an account after 5 failures (even the right password is refused), and an unknown e-mail the same way', async () => {
    for (let i = 1; i <= 4; i++) expect((await signIn('dirk', `fout-wachtwoord-${i}`)).statusCode).toBe(401);
    const fifth = await signIn('dirk', 'fout-wachtwoord-5');
    expect(fifth.statusCode).toBe(429);
    expect(fifth.json()).toMatchObject({ minutesLeft: 15 });
    expect(fifth.json().type).toMatch(/account-locked$/);
    const right = await signIn('dirk');
    expect(right.statusCode).toBe(429);

    const ghost = `spook-${run}@kantoor.example`;
    const answers: number[] = [];
    for (let i = 1; i <= 6; i++) answers.push((await app.inject({ method: 'POST', url: '/auth/sign-in', payload: { email: ghost, password: `fout-${i}-wachtwoord` } })).statusCode);
    expect(answers).toEqual([401, 401, 401, 401, 429, 429]);

    // Once the lock is over, the right password works and the count starts again.
    await orm.em.fork().execute(`update users set locked_until = now() - interval '1 second' where email = ?`, [email('dirk')]);
    expect((await signIn('dirk')).statusCode).toBe(200);
  });

  it('a success resets the failure count', async () => {
    for (let i = 1; i <= 4; i++) expect((await signIn('eva', `fout-wachtwoord-${i}`)).statusCode).toBe(401);
    expect((await signIn('eva')).statusCode).toBe(200);
    for (let i = 1; i <= 4; i++) expect((await signIn('eva', `fout-wachtwoord-${i}`)).statusCode).toBe(401);
    expect((await signIn('eva')).statusCode).toBe(200);
  });
});

describe('the session cookie as a principal', () => {
  it('passes the role checks like a token: an adviser reads dossiers, a designer does not; an admin may', async () => {
    const anna = await session('anna');
    const bram = await session('bram');
    const carla = await session('carla');
    expect((await app.inject({ method: 'GET', url: '/dossiers', cookies: { dfl_session: anna.cookie } })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/dossiers', cookies: { dfl_session: bram.cookie } })).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: '/dossiers', cookies: { dfl_session: carla.cookie } })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/users', cookies: { dfl_session: anna.cookie } })).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: '/dossiers' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/dossiers', cookies: { dfl_session: 'nep-sessie' } })).statusCode).toBe(401);
  });

  it('refuses an unsafe request with the cookie but without (or with a wrong) CSRF token; a bearer token needs none', async () => {
    const anna = await session('anna');
    const body = { applicants: [{ person: { firstName: 'Csrf', lastName: `Test${run}` } }] };
    const none = await app.inject({ method: 'POST', url: '/dossiers', cookies: { dfl_session: anna.cookie }, payload: body });
    expect(none.statusCode).toBe(403);
    expect(none.json().type).toMatch(/csrf-token-invalid$/);
    const wrong = await app.inject({ method: 'POST', url: '/dossiers', cookies: { dfl_session: anna.cookie }, headers: { 'x-csrf-token': 'x'.repeat(43) }, payload: body });
    expect(wrong.statusCode).toBe(403);
    const ok = await app.inject({ method: 'POST', url: '/dossiers', cookies: { dfl_session: anna.cookie }, headers: { 'x-csrf-token': anna.csrf }, payload: body });
    expect(ok.statusCode, ok.body).toBe(201);
    const token = await app.inject({ method: 'POST', url: '/dossiers', headers: bearer(office.tokens.adviser), payload: body });
    expect(token.statusCode, token.body).toBe(201);
  });

  it('GET /auth/session answers who is signed in and the same CSRF token', async () => {
    const anna = await session('anna');
    const res = await app.inject({ method: 'GET', url: '/auth/session', cookies: { dfl_session: anna.cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ email: email('anna'), name: 'anna', roles: ['adviser'], csrfToken: anna.csrf });
    const viaToken = await app.inject({ method: 'GET', url: '/auth/session', headers: bearer(office.tokens.adviser) });
    expect(viaToken.json()).toMatchObject({ userId: null, role: 'adviser', csrfToken: null });
  });

  it('ends at sign-out (which itself needs the CSRF token)', async () => {
    const anna = await session('anna');
    expect((await app.inject({ method: 'POST', url: '/auth/sign-out', cookies: { dfl_session: anna.cookie } })).statusCode).toBe(403);
    const out = await app.inject({ method: 'POST', url: '/auth/sign-out', cookies: { dfl_session: anna.cookie }, headers: { 'x-csrf-token': anna.csrf } });
    expect(out.statusCode).toBe(204);
    expect(out.cookies.find((c) => c.name === 'dfl_session')?.value).toBe('');
    expect((await app.inject({ method: 'GET', url: '/auth/session', cookies: { dfl_session: anna.cookie } })).statusCode).toBe(401);
  });

  it('expires after the idle timeout and after the absolute lifetime', async () => {
    const idle = await session('anna');
    const live = await app.inject({ method: 'GET', url: '/auth/session', cookies: { dfl_session: idle.cookie } });
    expect(live.statusCode).toBe(200);
    // Idle: the last use was 31 minutes ago (idle timeout 30), signed in 40 minutes ago.
    await orm.em.fork().execute(
      `update user_sessions set created_at = now() - interval '40 minutes', last_seen_at = now() - interval '31 minutes', idle_expires_at = now() - interval '1 minute' where token_hash = ?`,
      [hashToken(idle.cookie)],
    );
    expect((await app.inject({ method: 'GET', url: '/auth/session', cookies: { dfl_session: idle.cookie } })).statusCode).toBe(401);
    // Absolute: used a minute ago, but signed in 12 hours and a minute ago (lifetime 12 hours).
    const absolute = await session('bram');
    await orm.em.fork().execute(
      `update user_sessions set created_at = now() - interval '721 minutes', last_seen_at = now() - interval '1 minute', expires_at = now() - interval '1 minute' where token_hash = ?`,
      [hashToken(absolute.cookie)],
    );
    expect((await app.inject({ method: 'GET', url: '/auth/session', cookies: { dfl_session: absolute.cookie } })).statusCode).toBe(401);
  });
});

describe('invitations and user administration', () => {
  it('an admin invites a user; the invitee sets a password once and signs in; the roles hold', async () => {
    const carla = await session('carla');
    const admin = { cookies: { dfl_session: carla.cookie }, headers: { 'x-csrf-token': carla.csrf } };
    const invited = await app.inject({ method: 'POST', url: '/users', ...admin, payload: { email: email('fleur'), name: 'Fleur de Vries', roles: ['designer'] } });
    expect(invited.statusCode, invited.body).toBe(201);
    const { invitationUrl, user } = invited.json();
    expect(user).toMatchObject({ status: 'invited', roles: ['designer'] });
    const token = String(invitationUrl).split('#')[1]!;
    // Not yet: the invited account has no password.
    expect((await signIn('fleur')).statusCode).toBe(401);
    const weak = await app.inject({ method: 'POST', url: '/auth/accept-invitation', payload: { token, password: 'kort' } });
    expect(weak.statusCode).toBe(400);
    const same = await app.inject({ method: 'POST', url: '/auth/accept-invitation', payload: { token, password: email('fleur') } });
    expect(same.statusCode).toBe(400);
    // A refused password does not use the link up.
    const accepted = await app.inject({ method: 'POST', url: '/auth/accept-invitation', payload: { token, password } });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json()).toMatchObject({ status: 'active' });
    expect((await app.inject({ method: 'POST', url: '/auth/accept-invitation', payload: { token, password: 'nog-een-ander-wachtwoord' } })).statusCode).toBe(404);
    const fleur = await session('fleur');
    expect((await app.inject({ method: 'GET', url: '/process-definitions', cookies: { dfl_session: fleur.cookie } })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/dossiers', cookies: { dfl_session: fleur.cookie } })).statusCode).toBe(403);

    // Roles changed: now also adviser; then disabled: her session ends at once.
    const change = await app.inject({ method: 'PATCH', url: `/users/${user.id}`, ...admin, payload: { roles: ['designer', 'adviser'] } });
    expect(change.statusCode, change.body).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/dossiers', cookies: { dfl_session: fleur.cookie } })).statusCode).toBe(200);
    expect((await app.inject({ method: 'PATCH', url: `/users/${user.id}`, ...admin, payload: { status: 'disabled' } })).json()).toMatchObject({ status: 'disabled' });
    expect((await app.inject({ method: 'GET', url: '/process-definitions', cookies: { dfl_session: fleur.cookie } })).statusCode).toBe(401);
    expect((await signIn('fleur')).statusCode).toBe(401);
  });

  it('is office-scoped: an admin of another office neither sees nor changes the users', async () => {
    const list = await app.inject({ method: 'GET', url: '/users', headers: bearer(otherOffice.tokens.admin) });
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((u: { email: string }) => u.email)).toEqual([email('olaf')]);
    const mine = await app.inject({ method: 'GET', url: '/users', headers: bearer(office.tokens.admin) });
    const anna = mine.json().items.find((u: { email: string }) => u.email === email('anna'));
    expect(anna).toBeDefined();
    const foreign = await app.inject({ method: 'PATCH', url: `/users/${anna.id}`, headers: bearer(otherOffice.tokens.admin), payload: { status: 'disabled' } });
    expect(foreign.statusCode).toBe(404);
    expect((await signIn('anna')).statusCode).toBe(200);
  });

  it('an admin cannot disable their own account', async () => {
    const carla = await session('carla');
    const me = (await app.inject({ method: 'GET', url: '/auth/session', cookies: { dfl_session: carla.cookie } })).json();
    const res = await app.inject({ method: 'PATCH', url: `/users/${me.userId}`, cookies: { dfl_session: carla.cookie }, headers: { 'x-csrf-token': carla.csrf }, payload: { status: 'disabled' } });
    expect(res.statusCode).toBe(409);
  });
});

describe('TOTP', () => {
  it('enrol, confirm with a code, then sign-in asks for it and accepts one step of drift', async () => {
    const bram = await session('bram');
    const auth = { cookies: { dfl_session: bram.cookie }, headers: { 'x-csrf-token': bram.csrf } };
    const enrol = await app.inject({ method: 'POST', url: '/auth/totp/enrol', ...auth });
    expect(enrol.statusCode, enrol.body).toBe(200);
    const totp = OTPAuth.URI.parse(enrol.json().otpauthUri) as OTPAuth.TOTP;
    expect((await app.inject({ method: 'POST', url: '/auth/totp/confirm', ...auth, payload: { code: '000000' === totp.generate() ? '111111' : '000000' } })).statusCode).toBe(400);
    expect((await app.inject({ method: 'POST', url: '/auth/totp/confirm', ...auth, payload: { code: totp.generate() } })).statusCode).toBe(200);

    const without = await signIn('bram');
    expect(without.statusCode).toBe(401);
    expect(without.json().type).toMatch(/totp-required$/);
    const wrongCode = await signIn('bram', password, { totp: totp.generate({ timestamp: Date.now() - 5 * 60_000 }) });
    expect(wrongCode.json().type).toMatch(/totp-invalid$/);
    const drift = await signIn('bram', password, { totp: totp.generate({ timestamp: Date.now() - 30_000 }) });
    expect(drift.statusCode, drift.body).toBe(200);
    // A TOTP code with a wrong password is still a wrong password.
    expect((await signIn('bram', 'fout-wachtwoord-1', { totp: totp.generate() })).json().type).toMatch(/invalid-credentials$/);
  });

  it('a bearer token has no second factor to enrol', async () => {
    expect((await app.inject({ method: 'POST', url: '/auth/totp/enrol', headers: bearer(office.tokens.adviser) })).statusCode).toBe(409);
  });
});

describe('login notices', () => {
  it('an admin announces maintenance; the sign-in page reads it without signing in; another office cannot remove it', async () => {
    const startsAt = new Date(Date.now() + 3_600_000).toISOString();
    const endsAt = new Date(Date.now() + 7_200_000).toISOString();
    const message = `Gepland onderhoud ${run}`;
    const added = await app.inject({ method: 'POST', url: '/login-notices', headers: bearer(office.tokens.admin), payload: { severity: 'maintenance', message, startsAt, endsAt } });
    expect(added.statusCode, added.body).toBe(201);
    const list = await app.inject({ method: 'GET', url: '/login-notices' });
    expect(list.json().items).toContainEqual(expect.objectContaining({ message, severity: 'maintenance' }));
    expect((await app.inject({ method: 'POST', url: '/login-notices', headers: bearer(office.tokens.adviser), payload: { severity: 'outage', message, startsAt, endsAt } })).statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: '/login-notices', headers: bearer(office.tokens.admin), payload: { severity: 'outage', message, startsAt: endsAt, endsAt: startsAt } })).statusCode).toBe(400);
    expect((await app.inject({ method: 'DELETE', url: `/login-notices/${added.json().id}`, headers: bearer(otherOffice.tokens.admin) })).statusCode).toBe(404);
    expect((await app.inject({ method: 'DELETE', url: `/login-notices/${added.json().id}`, headers: bearer(office.tokens.admin) })).statusCode).toBe(204);
    expect((await app.inject({ method: 'GET', url: '/login-notices' })).json().items).not.toContainEqual(expect.objectContaining({ message }));
  });
});
