/**
 * Bearer authentication and role checks. The token is looked up by its sha256 hash in
 * `api_credentials` (not revoked), or, for a portal token (`dfp_...`), in `portal_sessions`
 * (not expired; role `client`, services/portal/sessions.ts); the caller becomes `request.principal`. Routes declare the
 * roles they allow in `config.roles`; a route that declares neither roles nor `public: true`
 * is closed to everyone but admins (secure by default).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { isRole, roleSatisfies, type Role } from '../../domain/roles.js';
import { HttpProblem } from '../problem.js';
import type { Principal } from '../types.js';
import { lookupCredential } from '../../services/access/credentials.js';
import { isPortalToken, portalPrincipal } from '../../services/portal/sessions.js';

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

async function principalOfToken(app: FastifyInstance, token: string): Promise<Principal | undefined> {
  const em = app.deps.orm.em.fork();
  if (isPortalToken(token)) return portalPrincipal(em, token, new Date());
  const found = await lookupCredential(em, token);
  if (!found || !isRole(found.role)) return undefined;
  return { credentialId: found.credentialId, officeId: found.officeId, role: found.role };
}

async function authPlugin(app: FastifyInstance): Promise<void> {
  app.decorateRequest('principal', null);

  app.addHook('onRequest', async (request) => {
    if (isPublic(request)) return;
    const header = request.headers.authorization;
    if (!header) throw unauthorized('Missing Authorization header; send "Authorization: Bearer <token>"');
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match?.[1]) throw unauthorized('Authorization header must be "Bearer <token>"', 'invalid_token');
    const principal = await principalOfToken(app, match[1]);
    if (!principal) throw unauthorized('Unknown, revoked or expired token', 'invalid_token');
    request.principal = principal;

    const allowed: readonly Role[] = request.routeOptions.config.roles ?? [];
    if (!roleSatisfies(principal.role, allowed)) {
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

export default fp(authPlugin, { name: 'auth', fastify: '5.x' });

/** The principal of an authenticated route (the auth hook guarantees it is set). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new HttpProblem(401, 'unauthorized', 'Not authenticated', {}, challenge);
  return request.principal;
}
