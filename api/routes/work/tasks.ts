/** The work queue: tasks that workflows create (read model kept current by activities). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { principalOf } from '../../plugins/auth.js';
import { looksLikeUuid } from '../../../db/sql.js';
import { listTasks } from '../../../services/work/tasks.js';
import { problemResponses } from '../../../services/shared/schemas.js';
import { TaskListSchema, TaskQuerySchema } from '../../../services/work/schemas.js';

const tasksRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/tasks',
    {
      config: { roles: ['adviser'] },
      schema: {
        tags: ['work'],
        summary: 'Tasks of the office, e.g. ?status=open (ordered by due date)',
        security: [{ bearer: [] }],
        querystring: TaskQuerySchema,
        response: { 200: TaskListSchema, ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const { officeId } = principalOf(request);
      const limit = request.query.limit ?? 50;
      const offset = request.query.offset ?? 0;
      const { dossierId } = request.query;
      if (dossierId !== undefined && !looksLikeUuid(dossierId)) return { items: [], total: 0, limit, offset };
      const found = await listTasks(app.deps.orm.em.fork(), officeId, { ...request.query, limit, offset });
      return { ...found, limit, offset };
    },
  );
};

export default tasksRoutes;
