/**
 * Documents for the lender: upload a file (PDF, JPEG, PNG; up to 25 MB) against a line of the
 * lender's checklist (DA); it is stored, then sent as DX by the product workflow.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { MAX_UPLOAD_BYTES, uploadForLine, uploadTypes } from '../../../services/hdn/lender-documents.js';
import { principalOf } from '../../plugins/auth.js';
import { problemResponses } from '../../../services/shared/schemas.js';
import { LenderDocumentParamsSchema, LenderDocumentQuerySchema, LenderDocumentUploadSchema } from '../../../services/hdn/schemas.js';

const lenderDocumentsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // Raw file bodies (encapsulated in this plugin).
  app.addContentTypeParser(Object.keys(uploadTypes), { parseAs: 'buffer', bodyLimit: MAX_UPLOAD_BYTES }, (_req, body, done) => done(null, body));

  app.post(
    '/products/:id/document-lines/:lineId/file',
    {
      bodyLimit: MAX_UPLOAD_BYTES,
      config: { roles: ['adviser'] },
      schema: {
        tags: ['hdn'],
        summary: "Upload a document for a line of the lender's checklist; it is sent to the lender as DX",
        description:
          'The body is the file itself with its content type (application/pdf, image/jpeg or image/png), up to 25 MB. ' +
          'The first bytes must match the type. Lines the lender fetched itself or already approved are refused (409). ' +
          'Uploading the same file again for the same line answers the same result and sends nothing new.',
        security: [{ bearer: [] }],
        params: LenderDocumentParamsSchema,
        querystring: LenderDocumentQuerySchema,
        consumes: Object.keys(uploadTypes),
        response: { 201: LenderDocumentUploadSchema, ...problemResponses(400, 401, 403, 404, 409, 413, 415, 503) },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const contentType = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      const result = await uploadForLine(app.deps.orm.em.fork(), app.deps.temporal, principal, request.params.id, request.params.lineId, {
        bytes: request.body as Buffer,
        contentType,
        filename: request.query.filename,
      });
      return reply.code(201).send(result);
    },
  );
};

export default lenderDocumentsRoutes;
