/**
 * Published process definitions: every version (immutable), a structured diff of two
 * versions, and moving the office's running products from one version to another. Drafts
 * and publishing live in routes/process/designer.ts.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { diffDefinitions } from '../../../domain/process/diff.js';
import { getDefinition, listDefinitions, listVersions } from '../../../services/process/definitions.js';
import { migrateProducts, previewMigration } from '../../../services/process/migrate.js';
import { problems } from '../../problem.js';
import { problemResponses } from '../../../services/shared/schemas.js';
import {
  BulkMigrationResultSchema,
  BulkMigrationSchema,
  DefinitionDiffSchema,
  KeyParamsSchema,
  MigrationPreviewQuerySchema,
  MigrationPreviewSchema,
  VersionSummarySchema,
} from '../../../services/process/schemas.js';

const roles = ['adviser', 'designer'] as const;

const DefinitionSummarySchema = Type.Object({
  key: Type.String(),
  version: Type.Integer(),
  name: Type.String(),
  productType: Type.String(),
  publishedAt: Type.String({ format: 'date-time' }),
});

const processDefinitionsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/process-definitions',
    {
      config: { roles },
      schema: {
        tags: ['process-definitions'],
        summary: 'Published process definitions (all versions)',
        security: [{ bearer: [] }],
        response: { 200: Type.Object({ items: Type.Array(DefinitionSummarySchema) }), ...problemResponses(401, 403) },
      },
    },
    async () => ({ items: await listDefinitions(app.deps.orm.em.fork()) }),
  );

  app.get(
    '/process-definitions/:key/:version',
    {
      config: { roles },
      schema: {
        tags: ['process-definitions'],
        summary: 'One published version of a process definition',
        security: [{ bearer: [] }],
        params: Type.Object(
          { key: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$' }), version: Type.Integer({ minimum: 1, maximum: 1_000_000 }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Unsafe({ $ref: 'ProcessDefinition#' }), ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { key, version } = request.params;
      const def = await getDefinition(app.deps.orm.em.fork(), key, version);
      if (!def) throw problems.notFound('Process definition', `${key} version ${version}`);
      return def;
    },
  );

  const versionParams = Type.Object(
    { key: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$' }), v: Type.Integer({ minimum: 1, maximum: 1_000_000 }) },
    { additionalProperties: false },
  );

  app.get(
    '/process-definitions/:key/versions',
    {
      config: { roles },
      schema: {
        tags: ['process-definitions'],
        summary: "Every published version of a process, oldest first, with the number of the office's products on each",
        security: [{ bearer: [] }],
        params: KeyParamsSchema,
        response: { 200: Type.Object({ items: Type.Array(VersionSummarySchema) }), ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const items = await listVersions(app.deps.orm.em.fork(), request.params.key, request.principal!.officeId);
      if (items.length === 0) throw problems.notFound('Process definition', request.params.key);
      return { items };
    },
  );

  app.get(
    '/process-definitions/:key/versions/:v',
    {
      config: { roles },
      schema: {
        tags: ['process-definitions'],
        summary: 'One published version of a process definition',
        security: [{ bearer: [] }],
        params: versionParams,
        response: { 200: Type.Unsafe({ $ref: 'ProcessDefinition#' }), ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { key, v } = request.params;
      const def = await getDefinition(app.deps.orm.em.fork(), key, v);
      if (!def) throw problems.notFound('Process definition', `${key} version ${v}`);
      return def;
    },
  );

  app.get(
    '/process-definitions/:key/diff',
    {
      config: { roles },
      schema: {
        tags: ['process-definitions'],
        summary: 'What changed between two published versions: statuses, steps (with the changed fields), lender statuses, offer deadlines',
        security: [{ bearer: [] }],
        params: KeyParamsSchema,
        querystring: Type.Object(
          { from: Type.Integer({ minimum: 1, maximum: 1_000_000 }), to: Type.Integer({ minimum: 1, maximum: 1_000_000 }) },
          { additionalProperties: false },
        ),
        response: { 200: DefinitionDiffSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { key } = request.params;
      const em = app.deps.orm.em.fork();
      const [from, to] = await Promise.all([getDefinition(em, key, request.query.from), getDefinition(em, key, request.query.to)]);
      if (!from) throw problems.notFound('Process definition', `${key} version ${request.query.from}`);
      if (!to) throw problems.notFound('Process definition', `${key} version ${request.query.to}`);
      return diffDefinitions(from, to);
    },
  );

  app.get(
    '/process-definitions/:key/migrations/preview',
    {
      config: { roles: ['designer'] },
      schema: {
        tags: ['process-definitions'],
        summary: "Which of the office's products a migration from one version to another would move, and which cannot (with the reason)",
        description: 'Reads only. Every product of the office on `from`, oldest first; ended products and products whose status does not exist in `to` are not movable.',
        security: [{ bearer: [] }],
        params: KeyParamsSchema,
        querystring: MigrationPreviewQuerySchema,
        response: { 200: MigrationPreviewSchema, ...problemResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request) => previewMigration(app.deps.orm.em.fork(), request.principal!, request.params.key, request.query.from, request.query.to),
  );

  app.post(
    '/process-definitions/:key/migrations',
    {
      config: { roles: ['designer'] },
      schema: {
        tags: ['process-definitions'],
        summary: "Move the office's running products from one version to another",
        description:
          "Validated first: if a selected product's status does not exist in the target version, nothing is migrated (409 naming the statuses; narrow with filter.status). Ended products keep their version.",
        security: [{ bearer: [] }],
        params: KeyParamsSchema,
        body: BulkMigrationSchema,
        response: { 200: BulkMigrationResultSchema, ...problemResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => migrateProducts(app.deps.orm.em.fork(), app.deps.temporal, request.principal!, request.params.key, request.body),
  );
};

export default processDefinitionsRoutes;
