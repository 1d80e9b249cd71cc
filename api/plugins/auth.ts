/**
 * Bearer authentication and role checks. The token is looked up by its sha256 hash in
 * `api_credentials` (not revoked), or, for a portal token (`dfp_...`), in `portal_sessions`
 * (not expired; role `client`, services/portal/sessions.ts); the caller becomes `request.principal`. Routes declare the
 * roles they allow in `config.roles`; a route that declares neither roles nor `public: true`
 * is closed to everyone but admins (secure by default).
 *
 * Without an Authorization header, an office user's session cookie (`dfl_session`,
 * services/access/users.ts) is looked up instead; it gives the same Principal (the account's
 * credential id, office, primary role) plus all the account's roles, and the role check accepts
 * any of them. A cookie is sent by the browser by itself, so an unsafe request (POST, PUT,
 * PATCH, DELETE) made with it must carry the session's CSRF token in `x-csrf-token`
 * (synchroniser token, from GET /auth/session); a bearer token is never sent by itself and needs none.
 *
 * A bearer credential's look-up is remembered for PRINCIPAL_CACHE_TTL_MS (5 s;
 * `deps.principalCacheTtlMs`, 0 = ask every time): revoking a credential or changing a user's
 * roles through services/access empties the memory of this process at once; a change made by
 * another process (another API replica, `npm run seed`, SQL) empties it at its commit, heard
 * through PostgreSQL LISTEN (services/access/access-listener.ts), or at most those 5 s later
 * while that connection is down (services/access/principal-cache.ts). Session cookies and portal
 * tokens are looked up on every request (their idle timeout and expiry are kept in PostgreSQL).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { isRole, roleSatisfies, type Role } from '../../domain/roles.js';
import { HttpProblem } from '../problem.js';
import type { Principal } from '../types.js';
import { lookupCredential } from '../../services/access/credentials.js';
import { isPortalToken, portalPrincipal } from '../../services/portal/sessions.js';
import { CSRF_HEADER, csrfMatches, defaultSignInSettings, SESSION_COOKIE, sessionPrincipal } from '../../services/access/users.js';
import { PRINCIPAL_CACHE_TTL_MS, PrincipalCache } from '../../services/access/principal-cache.js';
import { AccessListener } from '../../services/access/access-listener.js';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

const challenge = { 'WWW-Authenticate': 'Bearer realm="dossierflow"' };

function unauthorized(detail: string, error?: 'invalid_token'): HttpProblem {
  const header = error ? `Bearer realm="dossierflow", error="${error}"` : challenge['WWW-Authenticate'];
  return new HttpProblem(401, 'unauthorized', detail, {}, { 'WWW-Authenticate': header });
}

function isPublic(request: FastifyRequest): boolean {
  const url = request.routeOptions.url;
  if (url === undefined) return true; // not-found handler answers its own 404 problem
  if (request.routeOptions.config.public === true) return true;
  return url === '/docs' || url.startsWith('/docs/');
}

async function principalOfToken(
  app: FastifyInstance,
  cache: PrincipalCache<Principal>,
  hearingChanges: () => Promise<void>,
  token: string,
): Promise<Principal | undefined> {
  if (isPortalToken(token)) return portalPrincipal(app.deps.orm.em.fork(), token, new Date());
  // Nothing is remembered before other processes' changes can be heard.
  await hearingChanges();
  const key = PrincipalCache.keyOf('bearer', token);
  const cached = cache.get(key);
  if (cached) return cached;
  const generation = cache.generation;
  const found = await lookupCredential(app.deps.orm.em.fork(), token);
  if (!found || !isRole(found.role)) return undefined;
  const principal: Principal = { credentialId: found.credentialId, officeId: found.officeId, role: found.role };
  cache.set(key, principal, generation);
  return principal;
}

async function authPlugin(app: FastifyInstance): Promise<void> {
  app.decorateRequest('principal', null);
  const cache = new PrincipalCache<Principal>(app.deps.principalCacheTtlMs ?? PRINCIPAL_CACHE_TTL_MS).open();
  app.addHook('onClose', async () => cache.close());
  // Opened on the first bearer request, not at registration: an app that never sees one (the
  // OpenAPI build, most tests) opens no connection for it.
  let listener: AccessListener | undefined;
  let listening: Promise<void> | undefined;
  const hearingChanges = (): Promise<void> => {
    if (cache.ttlMs <= 0) return Promise.resolve();
    if (!listening) {
      listener = new AccessListener(String(app.deps.orm.config.get('clientUrl')), app.log);
      listening = listener.start();
    }
    return listening;
  };
  app.addHook('onClose', async () => listener?.close());

  app.addHook('onRequest', async (request) => {
    if (isPublic(request)) return;
    const header = request.headers.authorization;
    const cookie = request.cookies[SESSION_COOKIE];
    let principal: Principal | undefined;
    if (!header && cookie) {
      const session = await sessionPrincipal(app.deps.orm.em.fork(), cookie, new Date(), app.deps.signIn ?? defaultSignInSettings);
      if (!session) throw unauthorized('The session has ended (signed out or expired); sign in again');
      if (!safeMethods.has(request.method)) {
        const sent = request.headers[CSRF_HEADER];
        if (!csrfMatches(typeof sent === 'string' ? sent : undefined, session.csrfToken)) {
          throw new HttpProblem(403, 'csrf-token-invalid', `A ${request.method} with the session cookie needs the session's CSRF token in the ${CSRF_HEADER} header (GET /auth/session)`);
        }
      }
      principal = session.principal;
    } else {
      if (!header) throw unauthorized('Missing Authorization header; send "Authorization: Bearer <token>" (or sign in: POST /auth/sign-in)');
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (!match?.[1]) throw unauthorized('Authorization header must be "Bearer <token>"', 'invalid_token');
      principal = await principalOfToken(app, cache, hearingChanges, match[1]);
      if (!principal) throw unauthorized('Unknown, revoked or expired token', 'invalid_token');
    }
    request.principal = principal;

    const allowed: readonly Role[] = request.routeOptions.config.roles ?? [];
    const held: readonly Role[] = principal.user?.roles ?? [principal.role];
    if (!held.some((r) => roleSatisfies(r, allowed))) {
      const needed = allowed.length === 0 ? 'admin' : allowed.join(' or ');
      throw new HttpProblem(
        403,
        'forbidden',
        `Role '${principal.role}' may not ${request.method} ${request.routeOptions.url}; role needed: ${needed}`,
        { requiredRoles: allowed.length === 0 ? ['admin'] : [...allowed] },
      );
    }
  });
}

export default fp(authPlugin, { name: 'auth', fastify: '5.x', dependencies: ['@fastify/cookie'] });

/** The principal of an authenticated route (the auth hook guarantees it is set). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new HttpProblem(401, 'unauthorized', 'Not authenticated', {}, challenge);
  return request.principal;
}
