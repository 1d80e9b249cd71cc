/** Downloads a dossier document (e.g. the service agreement PDF). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { sendDownload } from '../../download.js';
import { principalOf } from '../../plugins/auth.js';
import { problems } from '../../problem.js';
import { looksLikeUuid } from '../../../db/sql.js';
import { getDocumentContent } from '../../../services/work/documents.js';
import { uploadTypes } from '../../../services/hdn/lender-documents.js';
import { IdParamsSchema, problemResponses } from '../../../services/shared/schemas.js';

const documentsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/documents/:id',
    {
      config: { roles: ['adviser'] },
      schema: {
        tags: ['work'],
        summary: 'The document content (PDF) as a download',
        security: [{ bearer: [] }],
        params: IdParamsSchema,
        response: {
          200: {
            description: 'the file with its own content type: a PDF the platform made, or a PDF, JPEG or PNG uploaded for the lender',
            content: Object.fromEntries(
              Object.keys(uploadTypes).map((type) => [type, { schema: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }) }]),
            ),
          },
          ...problemResponses(401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const { officeId } = principalOf(request);
      const { id } = request.params;
      const doc = looksLikeUuid(id) ? await getDocumentContent(app.deps.orm.em.fork(), officeId, id) : undefined;
      if (!doc) throw problems.notFound('Document', id);
      return sendDownload(reply, { contentType: doc.contentType, filename: doc.filename, sizeBytes: doc.content.length, sha256: doc.sha256, body: doc.content });
    },
  );
};

export default documentsRoutes;
