/** Privacy (GDPR, DOMAIN process 9): anonymise a person, delete a person, read the audit. Admins only. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { principalOf } from '../../plugins/auth.js';
import { anonymisePerson } from '../../../services/privacy/anonymise.js';
import { deletePerson } from '../../../services/privacy/delete.js';
import { listPrivacyAudit } from '../../../services/privacy/audit.js';
import { privacyPreview } from '../../../services/privacy/preview.js';
import { IdParamsSchema, problemResponses, ref } from '../../../services/shared/schemas.js';
import {
  AnonymiseResultSchema,
  DeletePersonResultSchema,
  PersonLinkedProblemSchema,
  PrivacyAuditQuerySchema,
  PrivacyAuditSchema,
  PrivacyPreviewSchema,
} from '../../../services/privacy/schemas.js';

const roles = ['admin'] as const;

const privacyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/persons/:id/anonymise',
    {
      config: { roles },
      schema: {
        tags: ['privacy'],
        summary: 'Anonymise a person everywhere (GDPR); idempotent, audited',
        description:
          'Replaces or removes every personal field of the person in every table (see README "Privacy" for what is ' +
          'replaced, removed or kept by law). A second call changes nothing and answers the first audit record.',
        security: [{ bearer: [] }],
        params: IdParamsSchema,
        response: { 200: ref(AnonymiseResultSchema), ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => anonymisePerson(app.deps.orm.em.fork(), principalOf(request), request.params.id),
  );

  app.delete(
    '/persons/:id',
    {
      config: { roles },
      schema: {
        tags: ['privacy'],
        summary: 'Delete a person when nothing is linked any more; dossiers stay without this applicant',
        security: [{ bearer: [] }],
        params: IdParamsSchema,
        response: { 200: DeletePersonResultSchema, 409: PersonLinkedProblemSchema, ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => deletePerson(app.deps.orm.em.fork(), principalOf(request), request.params.id),
  );

  app.get(
    '/persons/:id/privacy-preview',
    {
      config: { roles },
      schema: {
        tags: ['privacy'],
        summary: 'Before anonymising or deleting: the dossiers and linked data per kind (counts only), and whether deletion is possible',
        security: [{ bearer: [] }],
        params: IdParamsSchema,
        response: { 200: PrivacyPreviewSchema, ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => privacyPreview(app.deps.orm.em.fork(), principalOf(request).officeId, request.params.id),
  );

  app.get(
    '/privacy/audit',
    {
      config: { roles },
      schema: {
        tags: ['privacy'],
        summary: 'Audit records of anonymisations and deletions (counts per table, no personal values)',
        security: [{ bearer: [] }],
        querystring: PrivacyAuditQuerySchema,
        response: { 200: PrivacyAuditSchema, ...problemResponses(400, 401, 403) },
      },
    },
    async (request) =>
      listPrivacyAudit(app.deps.orm.em.fork(), principalOf(request).officeId, { personId: request.query.personId, limit: request.query.limit ?? 100 }),
  );
};

export default privacyRoutes;
