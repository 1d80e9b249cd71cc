/**
 * Export of a dossier's client data for advice software (issue 19 deliverable 7): the versioned
 * JSON (its schema is the documented format, docs/advice-export.md) and the HDN-structured
 * client-data document. Both are downloads, and both are audited (privacy_audit, advice_export).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { contentDisposition, sendDownload } from '../../download.js';
import { principalOf } from '../../plugins/auth.js';
import { exportDossierForAdvice, exportDossierForAdviceHdn } from '../../../services/dossiers/advice-export.js';
import { AdviceExportSchema } from '../../../services/dossiers/advice-export.schemas.js';
import { HDN_MESSAGE_VERSION } from '../../../services/hdn/send-to-lender.js';
import { IdParamsSchema, problemResponses } from '../../../services/shared/schemas.js';

const adviser = ['adviser'] as const;
const tags = ['dossiers'];
const security = [{ bearer: [] }];

/** The settings default of HDN_NODE, for apps built without `deps.hdn` (as api/routes/hdn/inbound.ts). */
const DEFAULT_NODE = 'DFL001';

const adviceExportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const em = () => app.deps.orm.em.fork();

  app.get(
    '/dossiers/:id/advice-export',
    {
      config: { roles: adviser },
      schema: {
        tags,
        summary: 'Export the client data for advice software (JSON, versioned format docs/advice-export.md); audited',
        security,
        params: IdParamsSchema,
        response: { 200: AdviceExportSchema, ...problemResponses(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const content = await exportDossierForAdvice(em(), principalOf(request), request.params.id);
      reply.header('content-disposition', contentDisposition(`klantgegevens-${content.dossier.number}.json`)).header('cache-control', 'private, no-store');
      return content;
    },
  );

  app.get(
    '/dossiers/:id/advice-export/hdn',
    {
      config: { roles: adviser },
      schema: {
        tags,
        summary: 'Export the client data as an HDN-structured client-data document (the client parts of an AX, by the HDN mapping); audited',
        security,
        params: IdParamsSchema,
        response: {
          200: { description: 'the client-data document (XML)', content: { 'application/xml': { schema: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }) } } },
          ...problemResponses(401, 403, 404, 409),
        },
      },
    },
    async (request, reply) => {
      const { xml, filename } = await exportDossierForAdviceHdn(em(), principalOf(request), request.params.id, {
        ourNode: app.deps.hdn?.node ?? DEFAULT_NODE,
        version: HDN_MESSAGE_VERSION,
      });
      const body = Buffer.from(xml, 'utf8');
      return sendDownload(reply, { contentType: 'application/xml; charset=utf-8', filename, sizeBytes: body.length, body });
    },
  );
};

export default adviceExportRoutes;
