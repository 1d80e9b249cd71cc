/** Mails the platform sent (the outbox read model), optionally for one dossier. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { principalOf } from '../../plugins/auth.js';
import { requireDossier } from '../../../services/dossiers/dossiers.js';
import { listMails } from '../../../services/work/mails.js';
import { problemResponses } from '../../../services/shared/schemas.js';
import { MailListSchema, MailQuerySchema } from '../../../services/work/schemas.js';

const mailsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/mails',
    {
      config: { roles: ['adviser'] },
      schema: {
        tags: ['work'],
        summary: 'Mails sent by the platform, e.g. ?dossierId=',
        security: [{ bearer: [] }],
        querystring: MailQuerySchema,
        response: { 200: MailListSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { officeId } = principalOf(request);
      const em = app.deps.orm.em.fork();
      const limit = request.query.limit ?? 50;
      const offset = request.query.offset ?? 0;
      if (request.query.dossierId !== undefined) await requireDossier(em, officeId, request.query.dossierId);
      const found = await listMails(em, officeId, { dossierId: request.query.dossierId, limit, offset });
      return { ...found, limit, offset };
    },
  );
};

export default mailsRoutes;
