/**
 * Per-credential rate limits on the party endpoints (@fastify/rate-limit): every route whose
 * declared roles include a party role (lender, advice software, RISK, Ockto, bank — see
 * domain/roles.ts), and every route that opts in with `config.partyLimit` (the bank-file
 * import, the client portal's activation link). A new party route is limited without a line
 * here. The key is the caller's credential (`request.principal.credentialId`, set by the auth
 * hook, which runs first: instance hooks before route hooks), so one party cannot use up
 * another's budget behind the same address; a public route (the portal link) has no
 * credential and is keyed by the client address. Over the limit: 429 problem+json with
 * `Retry-After` (seconds) and the `x-ratelimit-*` headers, before the body is parsed.
 *
 * Limits come from config/settings.ts (PARTY_RATE_LIMIT requests per PARTY_RATE_WINDOW_SECONDS,
 * passed as `deps.rateLimit`); the counters live in this process (one API instance). Behind
 * several API instances a shared store (Redis) would be passed to the plugin the same way.
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import { RATE_LIMIT_DEFAULTS } from '../../config/settings.js';
import { partyRoles, type Role } from '../../domain/roles.js';
import { HttpProblem } from '../problem.js';

/** True for a route the party limit applies to, from the route's own declaration. */
export function isPartyRoute(config: { roles?: readonly Role[]; partyLimit?: boolean } | undefined): boolean {
  if (config?.partyLimit === true) return true;
  return (config?.roles ?? []).some((r) => (partyRoles as readonly string[]).includes(r));
}

/** True for a route that can answer 429: a party route, or one with its own `config.rateLimit`. */
export function isRateLimitedRoute(config: { roles?: readonly Role[]; partyLimit?: boolean; rateLimit?: unknown } | undefined): boolean {
  return isPartyRoute(config) || (config?.rateLimit !== undefined && config.rateLimit !== false);
}

function keyOf(request: FastifyRequest): string {
  return request.principal ? `credential:${request.principal.credentialId}` : `address:${request.ip}`;
}

async function rateLimitPlugin(app: FastifyInstance): Promise<void> {
  const limits = app.deps.rateLimit ?? { partyMax: RATE_LIMIT_DEFAULTS.partyMax, windowSeconds: RATE_LIMIT_DEFAULTS.windowSeconds };
  // Runs before the plugin's own onRoute hook (registered below), which reads config.rateLimit.
  app.addHook('onRoute', (route: RouteOptions) => {
    if (route.config?.rateLimit === undefined && isPartyRoute(route.config)) {
      route.config = { ...(route.config ?? {}), rateLimit: { max: limits.partyMax, timeWindow: limits.windowSeconds * 1000 } };
    }
  });
  await app.register(rateLimit, {
    global: false,
    hook: 'onRequest',
    keyGenerator: keyOf,
    errorResponseBuilder: (request, context) =>
      new HttpProblem(
        429,
        'too-many-requests',
        `Too many requests from this ${request.principal ? 'credential' : 'address'} on ${request.method} ${request.routeOptions.url ?? request.url}: at most ${context.max} per ${limits.windowSeconds} s; retry in ${context.after}`,
        { limit: context.max, windowSeconds: limits.windowSeconds, retryAfterSeconds: Math.max(1, Math.ceil(context.ttl / 1000)) },
      ),
  });
}

export default fp(rateLimitPlugin, { name: 'rate-limit', fastify: '5.x', dependencies: ['auth'] });
