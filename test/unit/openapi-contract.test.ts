/**
 * The API contract is honest (issue 16 point 3):
 * - the OpenAPI document the routes produce is valid OpenAPI 3.0.3 for a validator library
 *   (@seriousme/openapi-schema-validator): 0 errors;
 * - derived from the route list (an onRoute hook sees every route with its schema and roles, the
 *   declaration the document is made from): every documented operation documents 400 (input:
 *   the text rule checks every query string), 401 and 403 when it has roles, 429 when the party rate limit applies to it,
 *   and 500, each as application/problem+json;
 *   every error answer it documents is problem+json and nothing else; every route is documented
 *   (or hidden on purpose) and every documented operation is a route.
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import type { RouteOptions } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.js';
import { schemaOnlyDeps } from '../../scripts/openapi.js';

interface Operation {
  responses: Record<string, { content?: Record<string, unknown> }>;
}
interface Doc {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
}

let doc: Doc;
const routes: RouteOptions[] = [];

beforeAll(async () => {
  const app = buildApp(schemaOnlyDeps());
  app.addHook('onRoute', (route) => {
    routes.push(route);
  });
  await app.ready();
  doc = app.swagger() as unknown as Doc;
  await app.close();
});

/** `/persons/:id` → `/persons/{id}` (how @fastify/swagger names paths). */
const openApiPath = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
const methodsOf = (route: RouteOptions) => (Array.isArray(route.method) ? route.method : [route.method]).map((m) => String(m).toLowerCase());
const documented = () =>
  routes.filter((r) => {
    const schema = r.schema as { hide?: boolean } | undefined;
    return schema !== undefined && schema.hide !== true && !r.url.startsWith('/docs');
  });

describe('the OpenAPI document', () => {
  it('is valid OpenAPI 3.0.3 (validator library, 0 errors)', async () => {
    expect(doc.openapi).toBe('3.0.3');
    const result = await new Validator().validate(doc as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('has one operation per documented route, and the routes it leaves out are hidden on purpose', () => {
    const fromRoutes = documented()
      .flatMap((r) => methodsOf(r).filter((m) => m !== 'head').map((m) => `${m.toUpperCase()} ${openApiPath(r.url)}`))
      .sort();
    const fromDoc = Object.entries(doc.paths)
      .flatMap(([p, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${p}`))
      .sort();
    expect(fromDoc).toEqual(fromRoutes);
    expect(fromDoc.length).toBeGreaterThan(100);
    // Undocumented: only the UI, its config and redirects, and the docs themselves.
    const undocumented = routes.filter((r) => !documented().includes(r)).map((r) => r.url);
    for (const url of undocumented) expect(url).toMatch(/^\/($|ui($|\/|-config$)|docs)/);
  });

  it('documents 400 (input), 401/403 (roles) and 500 on every operation, each as application/problem+json', () => {
    const missing: string[] = [];
    let checked = 0;
    for (const route of documented()) {
      const config = (route.config ?? {}) as { roles?: readonly string[]; public?: boolean };
      for (const method of methodsOf(route).filter((m) => m !== 'head')) {
        const op = doc.paths[openApiPath(route.url)]?.[method];
        const name = `${method.toUpperCase()} ${route.url}`;
        if (!op) {
          missing.push(`${name}: not in the document`);
          continue;
        }
        checked += 1;
        // 400 on every operation: besides schema validation, the input contract's text rule checks
        // every querystring and path parameter value, declared or not (api/plugins/input-contract.ts).
        const expected = [400, 500];
        if (config.public !== true) expected.push(401, 403);
        if (config.public !== true) expect(config.roles, `${name} has roles`).toBeDefined();
        for (const code of expected) {
          const media = Object.keys(op.responses[String(code)]?.content ?? {});
          if (media.join() !== 'application/problem+json') missing.push(`${name} ${code}: ${media.join(', ') || 'undocumented'}`);
        }
        for (const [code, response] of Object.entries(op.responses)) {
          const media = Object.keys(response.content ?? {});
          if (Number(code) >= 400 && media.join() !== 'application/problem+json') missing.push(`${name} ${code}: documented as ${media.join(', ')}`);
          if (Number(code) < 400 && media.includes('application/problem+json')) missing.push(`${name} ${code}: a success documented as a problem`);
        }
      }
    }
    expect(missing).toEqual([]);
    expect(checked).toBeGreaterThan(100);
  });

  it('documents 429 as application/problem+json on every operation the party rate limit applies to', () => {
    const limited = documented().filter((r) => {
      const config = (r.config ?? {}) as { rateLimit?: unknown };
      return config.rateLimit !== undefined && config.rateLimit !== false;
    });
    const names = limited.flatMap((r) => methodsOf(r).filter((m) => m !== 'head').map((m) => `${m.toUpperCase()} ${r.url}`));
    // The party routes (lender, advice software, RISK, Ockto, bank) and the ones that opt in.
    expect(names).toEqual(expect.arrayContaining(['POST /hdn/messages', 'POST /billing/bank-imports']));
    const missing = limited.flatMap((route) =>
      methodsOf(route)
        .filter((m) => m !== 'head')
        .filter((m) => Object.keys(doc.paths[openApiPath(route.url)]?.[m]?.responses['429']?.content ?? {}).join() !== 'application/problem+json')
        .map((m) => `${m.toUpperCase()} ${route.url}`),
    );
    expect(missing).toEqual([]);
  });

  it('documents 413 on every operation with a body limit (every POST, PUT and PATCH)', () => {
    const missing = Object.entries(doc.paths).flatMap(([p, item]) =>
      Object.entries(item)
        .filter(([m]) => ['post', 'put', 'patch'].includes(m))
        .filter(([, op]) => Object.keys(op.responses['413']?.content ?? {}).join() !== 'application/problem+json')
        .map(([m]) => `${m.toUpperCase()} ${p}`),
    );
    expect(missing).toEqual([]);
  });
});
