/**
 * Role × route, generated from the route list: every route the app registers (fastify's
 * `onRoute`, so a new route is covered without touching this file) answers 401 problem+json
 * without a credential and 403 problem+json to every role its own declaration
 * (`config.roles`, read with the same rule the auth hook uses: admin may do what adviser and
 * designer may; no roles = admins only) does not allow. Public routes (`config.public`, /docs)
 * answer without a credential. Path parameters get a random id: authorisation comes before
 * validation and lookup (the onRequest hook), so the id never matters.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { FastifyInstance, HTTPMethods, RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.js';
import { allRoles, portalRoles, roleSatisfies, type Role } from '../../domain/roles.js';
import { issueCredential } from '../../services/access/store.js';
import { hashToken } from '../../services/access/tokens.js';
import { insertActivationOnce } from '../../services/portal/store.js';
import { openPortalSession } from '../../services/portal/sessions.js';
import type { MikroORM } from '../../db/orm.js';
import { createTestOffice, openOrm, temporalStub } from './support.js';

interface RouteRow {
  method: HTTPMethods;
  url: string;
  roles: readonly Role[] | undefined;
  public: boolean;
  /** An endless answer (`config.eventStream`, GET /events): read as a stream, only its head. */
  eventStream: boolean;
}

let orm: MikroORM;
let app: FastifyInstance;
const routes: RouteRow[] = [];
const tokens = {} as Record<Role, string>;
/** Every role a caller can have: the credentials' and the portal's (a client's portal session). */
const walkedRoles: readonly Role[] = [...allRoles, ...portalRoles];

beforeAll(async () => {
  orm = await openOrm();
  const office = await createTestOffice(orm, 'Toegangskantoor');
  for (const role of allRoles) tokens[role] = (await issueCredential(orm.em.fork(), { officeId: office.officeId, name: `access ${role}`, role })).token;
  app = buildApp({ orm, temporal: temporalStub() });
  // The route list as fastify registers it (plugins load on ready, after this hook is in place).
  // Read each route's config once the app is ready: a scope's own onRoute hook (the UI's marks
  // its files public) runs after this root hook and may replace the config object.
  const registered: RouteOptions[] = [];
  app.addHook('onRoute', (route: RouteOptions) => {
    registered.push(route);
  });
  await app.ready();
  for (const route of registered) {
    for (const method of Array.isArray(route.method) ? route.method : [route.method]) {
      routes.push({
        method: method as HTTPMethods,
        url: route.url,
        roles: route.config?.roles,
        public: route.config?.public === true || route.url === '/docs' || route.url.startsWith('/docs/'),
        eventStream: route.config?.eventStream === true,
      });
    }
  }
  // The client: a portal session opened with an activation link of a dossier of the office.
  const dossier = await app.inject({
    method: 'POST',
    url: '/dossiers',
    headers: { authorization: `Bearer ${tokens.adviser}` },
    payload: { applicants: [{ person: { firstName: 'Toegang', lastName: `Portaal-${randomUUID().slice(0, 8)}`, birthDate: '1980-01-01' } }] },
  });
  const link = randomUUID().replace(/-/g, '');
  await insertActivationOnce(orm.em.fork(), {
    key: `access-${link}`,
    dossierId: dossier.json().id,
    personId: dossier.json().applicants[0].person.id,
    tokenHash: hashToken(link),
    expiresAt: new Date(Date.now() + 86_400_000),
    createdAt: new Date(),
  });
  tokens.client = (await openPortalSession(orm.em.fork(), link, new Date())).token;
});

afterAll(async () => {
  await app?.close();
  await orm?.close(true);
});

/** A concrete URL for a route pattern: every `:param` a random id, a wildcard a file name. */
function concrete(url: string): string {
  return url.replace(/:[A-Za-z0-9_]+/g, () => randomUUID()).replace(/\*$/, 'x');
}

/**
 * `app.inject` for a route row; an event stream's answer never ends, so it is asked for as a
 * stream: its status and headers, then its body only when it ends by itself (a refusal), else
 * the stream is closed.
 */
async function call(r: RouteRow, headers: Record<string, string> = {}): Promise<{ statusCode: number; headers: Record<string, unknown>; json<T = unknown>(): T }> {
  const url = concrete(r.url);
  if (!r.eventStream) return app.inject({ method: r.method, url, headers });
  const res = await app.inject({ method: r.method, url, headers, payloadAsStream: true });
  const stream = res.stream();
  let body = '';
  if (res.statusCode === 200) stream.destroy();
  else for await (const chunk of stream) body += String(chunk);
  return { statusCode: res.statusCode, headers: res.headers, json: <T>() => JSON.parse(body) as T };
}

function isProblem(res: { headers: Record<string, unknown>; json(): unknown }): boolean {
  return String(res.headers['content-type']).startsWith('application/problem+json');
}

describe('access: role × route, from the route list', () => {
  it('knows the routes (sanity: the list is the app, not empty)', () => {
    expect(routes.length).toBeGreaterThan(50);
    // Secure by default: a route without roles and without `public` is open to admins only.
    const undeclared = routes.filter((r) => !r.public && r.roles === undefined && r.method !== 'HEAD');
    expect(undeclared.map((r) => `${r.method} ${r.url}`)).toEqual([]);
  });

  it('answers 401 problem+json without a credential on every non-public route', async () => {
    const failures: string[] = [];
    for (const r of routes.filter((x) => !x.public)) {
      const res = await call(r);
      if (res.statusCode !== 401 || !isProblem(res) || !String(res.headers['www-authenticate']).startsWith('Bearer')) {
        failures.push(`${r.method} ${r.url}: ${res.statusCode} ${res.headers['content-type']}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('answers 401 to an unknown token on every non-public route', async () => {
    const failures: string[] = [];
    for (const r of routes.filter((x) => !x.public)) {
      const res = await call(r, { authorization: 'Bearer dfl_adviser_not-a-real-token' });
      if (res.statusCode !== 401 || !isProblem(res)) failures.push(`${r.method} ${r.url}: ${res.statusCode}`);
    }
    expect(failures).toEqual([]);
  });

  it('answers 403 problem+json to every role a route does not allow, and never 401/403 to one it allows', async () => {
    const failures: string[] = [];
    let checked = 0;
    for (const r of routes.filter((x) => !x.public)) {
      for (const role of walkedRoles) {
        const allowed = roleSatisfies(role, r.roles ?? []);
        const res = await call(r, { authorization: `Bearer ${tokens[role]}` });
        checked += 1;
        if (!allowed) {
          if (res.statusCode !== 403 || !isProblem(res)) failures.push(`${role} ${r.method} ${r.url}: ${res.statusCode} (want 403)`);
          else if (r.method !== 'HEAD') {
            const body = res.json<{ requiredRoles?: string[] }>();
            if (!Array.isArray(body.requiredRoles)) failures.push(`${role} ${r.method} ${r.url}: 403 without requiredRoles`);
          }
        } else if (res.statusCode === 401) {
          failures.push(`${role} ${r.method} ${r.url}: 401 for an allowed role`);
        } else if (res.statusCode === 403 && r.method !== 'HEAD' && (res.json<{ type?: string }>().type ?? '').endsWith('/forbidden')) {
          failures.push(`${role} ${r.method} ${r.url}: role refused although the route allows it`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBe(routes.filter((x) => !x.public).length * walkedRoles.length);
    console.info(`access table: ${routes.filter((x) => !x.public).length} non-public routes x ${walkedRoles.length} roles = ${checked} requests`);
  });

  it('stores credentials hashed: only the sha256 of a token is in the database, looked up by that hash', async () => {
    const issued = await issueCredential(orm.em.fork(), { officeId: (await createTestOffice(orm, 'Hashkantoor')).officeId, name: 'hash check', role: 'adviser' });
    const rows = await orm.em.fork().execute<Record<string, unknown>[]>('select * from api_credentials where id = ?', [issued.id]);
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row.token_hash).toBe(createHash('sha256').update(issued.token, 'utf8').digest('hex'));
    // No column holds the token itself (or any part of its secret).
    const secret = issued.token.split('_').at(-1)!;
    for (const [column, value] of Object.entries(row)) expect(String(value), column).not.toContain(secret);
    const res = await app.inject({ method: 'GET', url: '/dossiers', headers: { authorization: `Bearer ${issued.token}` } });
    expect(res.statusCode).toBe(200);
  });

  it('keeps public routes public (no credential asked)', async () => {
    for (const r of routes.filter((x) => x.public && (x.method === 'GET' || x.method === 'HEAD'))) {
      const res = await call(r);
      expect(res.statusCode, `${r.method} ${r.url}`).not.toBe(401);
    }
  });
});
