/** Published process definitions (read-only for now). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { getDefinition, listDefinitions } from '../../lib/definitions.js';
import { problems } from '../../lib/problem.js';
import { problemResponses } from '../../schemas/common.js';

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
};

export default processDefinitionsRoutes;
