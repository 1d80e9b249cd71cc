/** Track & Trace: the office's products across dossiers by status, category, maatschappij and age in status. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { principalOf } from '../../plugins/auth.js';
import { problemResponses } from '../../../services/shared/schemas.js';
import { trackAndTrace } from '../../../services/products/track-trace.js';
import { TrackTraceListSchema, TrackTraceQuerySchema } from '../../../services/products/track-trace.schemas.js';

const trackTraceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/track-and-trace',
    {
      config: { roles: ['adviser'] },
      schema: {
        tags: ['products'],
        summary: 'Track & Trace: products across dossiers with status, category, maatschappij and days in status, with counts',
        description:
          'Age in status is the whole days since the last status change (the start when the status never changed). ' +
          'The counts cover the products matching maatschappij, type and age; status and category narrow only the list.',
        security: [{ bearer: [] }],
        querystring: TrackTraceQuerySchema,
        response: { 200: TrackTraceListSchema, ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const { officeId } = principalOf(request);
      return trackAndTrace(app.deps.orm.em.fork(), officeId, request.query);
    },
  );
};

export default trackTraceRoutes;
