/** OpenAPI 3 document from the route schemas, served with Swagger UI at /docs (JSON at /docs/json). */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * OpenAPI 3.0.3 Schema Objects know `example`, not JSON Schema's `examples` array: @fastify/swagger
 * rewrites it on a schema's properties and items but not inside anyOf/oneOf/allOf (a DateSchema
 * in a union member kept its `examples` and made the document invalid). This copy of the document
 * turns every remaining schema `examples` array into `example` (its first value). A Media Type
 * Object's `examples` is a map, not an array, and stays as it is. Copied, not changed in place:
 * the route schemas (shared TypeBox objects) may be reachable from the document.
 */
export function examplesToExample(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(examplesToExample);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  const source = value as Record<string, unknown>;
  for (const [key, v] of Object.entries(source)) {
    if (key === 'examples' && Array.isArray(v)) {
      if (source.example === undefined && v.length > 0) out.example = v[0];
      continue;
    }
    out[key] = examplesToExample(v);
  }
  return out;
}

async function swaggerPlugin(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'dossierflow API',
        version: '0.1.0',
        description:
          'Process platform for Dutch mortgage and insurance advice offices. Every error answers ' +
          '`application/problem+json`. Authenticate with `Authorization: Bearer <token>`.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'API credential token' },
          session: { type: 'apiKey', in: 'cookie', name: 'dfl_session', description: 'Session cookie of an office user (POST /auth/sign-in); unsafe requests also send the x-csrf-token header' },
        },
      },
      security: [{ bearer: [] }],
      tags: [
        { name: 'health', description: 'Liveness and readiness' },
        { name: 'access', description: 'Sign-in (inloggen), session, users (gebruikers) and login notices' },
        { name: 'persons', description: 'Persons (relaties)' },
        { name: 'dossiers', description: 'Client dossiers (klantdossiers)' },
        { name: 'products', description: 'Products, parts (rechterdelen) and process steps' },
        { name: 'work', description: 'Tasks, documents and mails' },
        { name: 'portal', description: 'Client portal' },
        { name: 'process-definitions', description: 'Published process definitions: versions, diffs, migrations of running products' },
        { name: 'process-designer', description: 'Drafts, validation, publishing, dry runs, product migration, templates' },
        { name: 'hdn', description: 'HDN messages: inbox, lender messages, applications, the lender checklist and documents (DX)' },
        { name: 'billing', description: 'Contracts, invoices, booking lines (storno), SEPA direct debit, bank statements and reminders' },
        { name: 'ockto', description: 'Ockto data retrievals and the risk classification (Laag, Hoog, Onacceptabel) with its history' },
        { name: 'risk', description: 'RISK insurance messages: webhook, RISK inbox, matching by hand, quote requests, policy history, polling fallback' },
        { name: 'privacy', description: 'GDPR: anonymise a person, delete a person when nothing is linked, the privacy audit' },
        { name: 'selections', description: 'Query manager: clients with / without products, saved selections, export, call tasks' },
        { name: 'crm', description: 'The CRM card (relatiekaart): properties, indicators, relations, notes, signals, identification; the work queue' },
        { name: 'campaigns', description: 'Mail campaigns over a selection (workflow campaign:<id>): progress, pause, resume, cancel' },
      ],
    },
    // A route that takes a raw file (its own content-type parser, `consumes`, no body schema to
    // validate a Buffer with) documents its body as binary in those media types.
    transform({ schema, url }) {
      const s = schema as (Record<string, unknown> & { consumes?: string[]; body?: unknown }) | undefined;
      if (s && Array.isArray(s.consumes) && s.consumes.length > 0 && s.body === undefined) {
        return { schema: { ...s, body: { type: 'string', format: 'binary', description: `the file itself (${s.consumes.join(', ')})` } } as never, url };
      }
      return { schema: schema as never, url };
    },
    transformObject: (document) => ('openapiObject' in document ? examplesToExample(document.openapiObject) : document.swaggerObject) as never,
    refResolver: {
      buildLocalReference(json, _baseUri, _fragment, i) {
        return typeof json.$id === 'string' ? json.$id : `def-${i}`;
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
}

export default fp(swaggerPlugin, { name: 'swagger', fastify: '5.x' });
