/** SEPA direct-debit exports (pain.008.001.02). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { createSepaExport, getSepaExportXml } from '../../../services/billing/sepa-export.js';
import { principalOf } from '../../plugins/auth.js';
import { SepaExportCreateSchema, SepaExportResultSchema } from '../../../services/billing/schemas.js';
import { IdParamsSchema, problemResponses, ref } from '../../../services/shared/schemas.js';

const roles = ['adviser'] as const;
const security = [{ bearer: [] }];

const sepaExportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/billing/sepa-exports',
    {
      config: { roles },
      schema: {
        tags: ['billing'],
        summary: 'Make the direct-debit file (pain.008) of every open SEPA invoice dated on or before the collection date',
        description:
          'Invoices of flagged mandates are left out. FRST for a mandate never collected, RCUR after; one first collection ' +
          'per mandate per file (a second invoice of a new mandate follows in the next export, listed in `deferred`). ' +
          '409: nothing to collect, or no creditor set in /billing/settings. 422: the file would break a SEPA rule (the ' +
          'message names it); nothing is stored. 503: the export is stored but the invoice processes were not told yet.',
        security,
        body: ref(SepaExportCreateSchema),
        response: { 201: ref(SepaExportResultSchema), ...problemResponses(400, 401, 403, 409, 422, 503) },
      },
    },
    async (request, reply) => {
      const result = await createSepaExport(app.deps.orm.em.fork(), app.deps.temporal, principalOf(request), request.body.collectionDate);
      return reply.code(201).header('location', result.xmlUrl).send(result);
    },
  );

  app.get(
    '/billing/sepa-exports/:id/xml',
    {
      config: { roles },
      schema: {
        tags: ['billing'],
        summary: 'The pain.008 XML of an export, as sent to the bank',
        security,
        params: IdParamsSchema,
        response: {
          200: { description: 'pain.008.001.02 XML', content: { 'application/xml': { schema: Type.String({ description: 'pain.008.001.02 XML' }) } } },
          ...problemResponses(401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const { xml, messageId } = await getSepaExportXml(app.deps.orm.em.fork(), principalOf(request).officeId, request.params.id);
      return reply
        .header('content-type', 'application/xml; charset=utf-8')
        .header('content-disposition', `attachment; filename="${messageId}.xml"`)
        .send(xml);
    },
  );
};

export default sepaExportRoutes;
