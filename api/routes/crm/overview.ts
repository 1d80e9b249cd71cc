/** The CRM overview (*CRM | Overzicht*, issue 19 deliverable 8): per component the count and the latest created and updated item, of the caller's office. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { crmOverview } from '../../../services/crm/overview.js';
import { CrmOverviewSchema } from '../../../services/crm/overview.schemas.js';
import { problemResponses } from '../../../services/shared/schemas.js';
import { principalOf } from '../../plugins/auth.js';

const crmOverviewRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/crm/overview',
    {
      config: { roles: ['adviser'] },
      schema: {
        tags: ['crm'],
        summary: 'The CRM overview (Overzicht): per component (persons, dossiers, products, notes, signals, files, documents, contact moments, appointments, tasks) the count and the latest created and latest updated item with its link',
        security: [{ bearer: [] }],
        response: { 200: CrmOverviewSchema, ...problemResponses(401, 403) },
      },
    },
    async (request) => crmOverview(app.deps.orm.em.fork(), principalOf(request).officeId),
  );
};

export default crmOverviewRoutes;
