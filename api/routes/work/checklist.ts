/**
 * The client's document checklist (*stukkenlijst*) of a dossier, for the adviser: read, attach an
 * upload, approve, reject with a reason (mailed to the client), download a line's file, send it
 * on to the lender as DX. The client's own view is in routes/portal/.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Readable } from 'node:stream';
import { Type } from '@sinclair/typebox';
import { principalOf } from '../../plugins/auth.js';
import { approveLine, attachUploadToLine, dossierChecklist, lineFile, rejectLine, sendLineToLender } from '../../../services/work/checklist-lines.js';
import {
  AttachUploadBodySchema,
  ChecklistLineParamsSchema,
  ChecklistLineSchema,
  ChecklistSchema,
  RejectLineBodySchema,
  SendToLenderBodySchema,
  SendToLenderResultSchema,
} from '../../../services/work/checklist.schemas.js';
import { IdParamsSchema, problemResponses } from '../../../services/shared/schemas.js';
import { sendDownload } from '../../download.js';

const roles = ['adviser'] as const;
const tags = ['dossiers', 'work'];
const security = [{ bearer: [] }];

/** The types a checklist file can have (the upload engine sniffs them from the content). */
export const checklistFileTypes = [
  'application/pdf',
  'image/jpeg',
  'image/png',
  'image/heic',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
] as const;

const checklistRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/dossiers/:id/checklist',
    {
      config: { roles },
      schema: {
        tags,
        summary: "The client's document checklist of the dossier: every line with its status, file, review and matching lender (DA) lines",
        security,
        params: IdParamsSchema,
        response: { 200: ChecklistSchema, ...problemResponses(404) },
      },
    },
    async (request) => dossierChecklist(app.deps.orm.em.fork(), principalOf(request).officeId, request.params.id, new Date()),
  );

  app.post(
    '/dossiers/:id/checklist/lines/:lineId/files',
    {
      config: { roles },
      schema: {
        tags,
        summary: 'Attach a completed upload (POST /uploads, made with this same credential) to a line: the line becomes "uploaded"',
        security,
        params: ChecklistLineParamsSchema,
        body: AttachUploadBodySchema,
        response: { 200: ChecklistLineSchema, ...problemResponses(404, 409) },
      },
    },
    async (request) =>
      attachUploadToLine(app.deps.orm.em.fork(), principalOf(request), { dossierId: request.params.id, itemId: request.params.lineId, uploadId: request.body.uploadId }, new Date()),
  );

  app.post(
    '/dossiers/:id/checklist/lines/:lineId/approve',
    {
      config: { roles },
      schema: { tags, summary: "Approve the line's current file", security, params: ChecklistLineParamsSchema, response: { 200: ChecklistLineSchema, ...problemResponses(404, 409) } },
    },
    async (request) => approveLine(app.deps.orm.em.fork(), principalOf(request), { dossierId: request.params.id, itemId: request.params.lineId }, new Date()),
  );

  app.post(
    '/dossiers/:id/checklist/lines/:lineId/reject',
    {
      config: { roles },
      schema: {
        tags,
        summary: "Reject the line's current file with a reason; the dossier's applicants are mailed (once per file)",
        security,
        params: ChecklistLineParamsSchema,
        body: RejectLineBodySchema,
        response: {
          200: Type.Object({
            line: ChecklistLineSchema,
            mailIds: Type.Array(Type.String({ format: 'uuid' }), { description: 'the outbox rows of the rejection mail, one per applicant with an e-mail address' }),
            mailsSent: Type.Boolean({ description: 'true: every rejection mail went out now' }),
            mailsRetrying: Type.Array(Type.String({ format: 'uuid' }), {
              description: 'the rows that did not go out now (SMTP away) and are delivered with retries for about two days (mail:<id>); one not here nor sent waits in the outbox (GET /mails) until the rejection is sent again',
            }),
          }),
          ...problemResponses(404, 409, 422),
        },
      },
    },
    async (request) =>
      rejectLine(app.deps.orm.em.fork(), principalOf(request), app.deps.mail, app.deps.temporal, { dossierId: request.params.id, itemId: request.params.lineId, reason: request.body.reason }, new Date()),
  );

  app.get(
    '/dossiers/:id/checklist/lines/:lineId/file',
    {
      config: { roles },
      schema: {
        tags,
        summary: "The line's current file as a download (streamed)",
        security,
        params: ChecklistLineParamsSchema,
        response: {
          200: {
            description: 'the file with the type sniffed from its content',
            content: Object.fromEntries(checklistFileTypes.map((type) => [type, { schema: Type.Unsafe<Readable>({ type: 'string', format: 'binary' }) }])),
          },
          ...problemResponses(404),
        },
      },
    },
    async (request, reply) => {
      const file = await lineFile(app.deps.orm.em.fork(), principalOf(request), { dossierId: request.params.id, itemId: request.params.lineId });
      return sendDownload(reply, { contentType: file.contentType, filename: file.filename, sizeBytes: file.sizeBytes, body: file.chunks });
    },
  );

  app.post(
    '/dossiers/:id/checklist/lines/:lineId/send-to-lender',
    {
      config: { roles },
      schema: {
        tags: [...tags, 'hdn'],
        summary: "Send the line's file on to the lender as DX, for the DA line of a product of the dossier that asks for the same document",
        description: 'The lender takes PDF, JPEG and PNG; other files are refused 415. Without productId/lineId exactly one open DA line must match.',
        security,
        params: ChecklistLineParamsSchema,
        body: SendToLenderBodySchema,
        response: { 200: SendToLenderResultSchema, ...problemResponses(404, 409, 415, 503) },
      },
    },
    async (request) =>
      sendLineToLender(app.deps.orm.em.fork(), app.deps.temporal, principalOf(request), {
        dossierId: request.params.id,
        itemId: request.params.lineId,
        productId: request.body.productId,
        lineId: request.body.lineId,
      }),
  );
};

export default checklistRoutes;
