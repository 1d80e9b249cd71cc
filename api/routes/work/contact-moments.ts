/** The contact log (*contactmomenten*) of a dossier and of a person: read only (registered by a process step). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { principalOf } from '../../plugins/auth.js';
import { requirePerson } from '../../../services/crm/persons.js';
import { requireDossier } from '../../../services/dossiers/dossiers.js';
import { listContactMoments } from '../../../services/work/contact-moment-log.js';
import {
  ContactMomentListSchema,
  DossierContactMomentQuerySchema,
  PersonContactMomentQuerySchema,
} from '../../../services/work/contact-moments.schemas.js';
import { IdParamsSchema, problemResponses } from '../../../services/shared/schemas.js';

const roles = ['adviser'] as const;

const contactMomentsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/dossiers/:id/contact-moments',
    {
      config: { roles },
      schema: {
        tags: ['dossiers', 'work'],
        summary: 'Contact moments of the dossier, newest first, e.g. ?productId=',
        description: 'Each with the report mail(s) and follow-up task registered in the same step.',
        security: [{ bearer: [] }],
        params: IdParamsSchema,
        querystring: DossierContactMomentQuerySchema,
        response: { 200: ContactMomentListSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { officeId } = principalOf(request);
      const em = app.deps.orm.em.fork();
      const limit = request.query.limit ?? 50;
      const offset = request.query.offset ?? 0;
      await requireDossier(em, officeId, request.params.id);
      const found = await listContactMoments(em, officeId, { kind: 'dossier', dossierId: request.params.id, productId: request.query.productId }, { limit, offset });
      return { ...found, limit, offset };
    },
  );

  app.get(
    '/persons/:id/contact-moments',
    {
      config: { roles },
      schema: {
        tags: ['persons', 'work'],
        summary: "Contact moments across the person's dossiers in the office, newest first",
        security: [{ bearer: [] }],
        params: IdParamsSchema,
        querystring: PersonContactMomentQuerySchema,
        response: { 200: ContactMomentListSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { officeId } = principalOf(request);
      const em = app.deps.orm.em.fork();
      const limit = request.query.limit ?? 50;
      const offset = request.query.offset ?? 0;
      await requirePerson(em, officeId, request.params.id);
      const found = await listContactMoments(em, officeId, { kind: 'person', personId: request.params.id }, { limit, offset });
      return { ...found, limit, offset };
    },
  );
};

export default contactMomentsRoutes;
