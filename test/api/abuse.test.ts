/**
 * Abuse at the door: per-credential rate limits on the party endpoints (429 problem+json with
 * Retry-After, keyed by credential — two credentials behind one address have a budget each),
 * generated from the route list like test/api/access.test.ts; and security headers with a
 * content security policy on every answer, refusals included.
 */
import type { FastifyInstance, HTTPMethods, RouteOptions } from 'fastify';
import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.js';
import { isPartyRoute } from '../../api/plugins/rate-limit.js';
import { isRole, partyRoles, type CredentialRole, type Role } from '../../domain/roles.js';
import { issueCredential } from '../../services/access/store.js';
import { generateToken, hashToken } from '../../services/access/tokens.js';
import { insertActivationOnce } from '../../services/portal/store.js';
import type { MikroORM } from '../../db/orm.js';
import { createTestOffice, openOrm, temporalStub, uniquePerson } from './support.js';

const LIMIT = 3;
let orm: MikroORM;
let app: FastifyInstance;
let officeId = '';
const routes: { method: HTTPMethods; url: string; roles: readonly Role[]; public: boolean; party: boolean }[] = [];

beforeAll(async () => {
  orm = await openOrm();
  officeId = (await createTestOffice(orm, 'Misbruikkantoor')).officeId;
  app = buildApp({ orm, temporal: temporalStub(), rateLimit: { partyMax: LIMIT, windowSeconds: 60 } });
  const registered: RouteOptions[] = [];
  app.addHook('onRoute', (route: RouteOptions) => {
    registered.push(route);
  });
  await app.ready();
  // Configs read after ready (a scope's own onRoute hook may still change them; see access.test.ts).
  for (const route of registered) {
    for (const method of Array.isArray(route.method) ? route.method : [route.method]) {
      routes.push({ method: method as HTTPMethods, url: route.url, roles: route.config?.roles ?? [], public: route.config?.public === true, party: isPartyRoute(route.config) });
    }
  }
});

afterAll(async () => {
  await app?.close();
  await orm?.close(true);
});

const token = async (role: CredentialRole) => (await issueCredential(orm.em.fork(), { officeId, name: `abuse ${role} ${randomUUID().slice(0, 6)}`, role })).token;
const concrete = (url: string) => url.replace(/:[A-Za-z0-9_]+/g, () => randomUUID()).replace(/\*$/, 'x');

describe('party endpoint rate limits', () => {
  it('limits every route with a party role (and the opted-in ones) per credential, answering 429 problem+json with Retry-After', async () => {
    const party = routes.filter((r) => r.party && r.method !== 'HEAD');
    // The party routes of the issue are among them: lenders/advice software, RISK, Ockto, bank files, the portal link.
    expect(party.map((r) => `${r.method} ${r.url}`)).toEqual(
      expect.arrayContaining(['POST /hdn/messages', 'POST /risk/messages', 'POST /ockto/callbacks', 'POST /billing/bank-imports', 'GET /portal/activate/:token']),
    );
    for (const r of party) {
      const credentialRoles = r.roles.filter(isRole);
      const role = credentialRoles.find((x) => (partyRoles as readonly string[]).includes(x)) ?? credentialRoles[0];
      const first = role ? await token(role) : undefined;
      const second = role ? await token(role) : undefined;
      const send = (t: string | undefined) => app.inject({ method: r.method, url: concrete(r.url), headers: t ? { authorization: `Bearer ${t}` } : {} });
      for (let i = 0; i < LIMIT; i++) expect((await send(first)).statusCode, `${r.method} ${r.url} request ${i + 1}`).not.toBe(429);
      const over = await send(first);
      expect(over.statusCode, `${r.method} ${r.url}`).toBe(429);
      expect(over.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(Number(over.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(over.headers['x-ratelimit-limit']).toBe(String(LIMIT));
      const body = over.json<{ status: number; type: string; detail: string; limit: number }>();
      expect(body).toMatchObject({ status: 429, type: expect.stringMatching(/too-many-requests$/), limit: LIMIT });
      // Another credential of the same party, from the same address, has its own budget.
      if (second) expect((await send(second)).statusCode, `${r.method} ${r.url} other credential`).not.toBe(429);
    }
  });

  it('does not limit the adviser, designer and admin routes', async () => {
    const adviser = await token('adviser');
    for (let i = 0; i < LIMIT * 3; i++) {
      const res = await app.inject({ method: 'GET', url: '/dossiers', headers: { authorization: `Bearer ${adviser}` } });
      expect(res.statusCode).not.toBe(429);
    }
    const unlimited = routes.filter((r) => !r.party && !r.public && !r.roles.some((x) => (partyRoles as readonly string[]).includes(x)));
    expect(unlimited.length).toBeGreaterThan(0);
  });
});

describe('security headers', () => {
  it('sends a strict content security policy and the helmet headers on answers and refusals alike', async () => {
    for (const res of [
      await app.inject({ method: 'GET', url: '/health/live' }),
      await app.inject({ method: 'GET', url: '/dossiers' }), // 401
      await app.inject({ method: 'GET', url: '/no-such-route' }), // 404
    ]) {
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBeDefined();
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['strict-transport-security']).toBeDefined();
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
  });

  it('gives the portal activation page a policy that allows only its own inline style, by its hash', async () => {
    const adviser = await token('adviser');
    const created = await app.inject({ method: 'POST', url: '/dossiers', headers: { authorization: `Bearer ${adviser}` }, payload: { applicants: [{ person: uniquePerson() }] } });
    expect(created.statusCode, created.body).toBe(201);
    const dossier = created.json<{ id: string; applicants: { person: { id: string } }[] }>();
    const link = generateToken('adviser').replace(/^dfl_adviser_/, '');
    const now = new Date();
    await insertActivationOnce(orm.em.fork(), {
      key: `abuse-test:${randomUUID()}`,
      dossierId: dossier.id,
      personId: dossier.applicants[0]!.person.id,
      tokenHash: hashToken(link),
      expiresAt: new Date(now.getTime() + 86_400_000),
      createdAt: now,
    });
    // Its own client address: the portal link is limited per address, and the test above used this app's.
    const res = await app.inject({ method: 'GET', url: `/portal/activate/${link}`, remoteAddress: '10.0.0.16' });
    expect(res.statusCode, res.body).toBe(200);
    const style = /<style>([\s\S]*?)<\/style>/.exec(res.body)?.[1] ?? '';
    const hash = createHash('sha256').update(style).digest('base64');
    expect(String(res.headers['content-security-policy'])).toBe(`default-src 'none'; style-src 'sha256-${hash}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`);
  });
});
