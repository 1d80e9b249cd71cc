/**
 * Person files (*bestanden* on the CRM card, issue 19 deliverable 4): attach a completed upload
 * to a person, list, download (streamed), move to one of the person's dossiers (audited), delete
 * (audited); and the files moved to a dossier, for the dossier page. Adviser work; thin over
 * services/person-files.
 */
import type { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { uploadContentTypes } from '../../../domain/uploads/uploads.js';
import { attachPersonFile, deletePersonFile, dossierPersonFiles, listPersonFiles, movePersonFile, personFileContent } from '../../../services/person-files/files.js';
import { PersonFileAttachSchema, PersonFileListSchema, PersonFileMoveSchema, PersonFileParamsSchema, PersonFileSchema } from '../../../services/person-files/schemas.js';
import { IdParamsSchema, problemResponses } from '../../../services/shared/schemas.js';
import { sendDownload } from '../../download.js';
import { principalOf } from '../../plugins/auth.js';

const roles = ['adviser'] as const;
const tags = ['crm'];
const security = [{ bearer: [] }];

const personFilesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const em = () => app.deps.orm.em.fork();

  app.get(
    '/persons/:id/files',
    {
      config: { roles },
      schema: {
        tags,
        summary: "The person's files (bestanden), newest first, each with where it is now and its history (attached, moved, deleted: who, when, from, to)",
        security,
        params: IdParamsSchema,
        response: { 200: PersonFileListSchema, ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => ({ items: await listPersonFiles(em(), principalOf(request).officeId, request.params.id) }),
  );

  app.post(
    '/persons/:id/files',
    {
      config: { roles },
      schema: {
        tags,
        summary: 'Attach a completed upload (POST /uploads, tus) to the person, before or without a dossier; the same upload again answers the same file (200)',
        security,
        params: IdParamsSchema,
        body: PersonFileAttachSchema,
        response: { 200: PersonFileSchema, 201: PersonFileSchema, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const { file, created } = await attachPersonFile(em(), principalOf(request), request.params.id, request.body.uploadId, new Date());
      return reply.code(created ? 201 : 200).send(file);
    },
  );

  app.get(
    '/persons/:id/files/:fileId/content',
    {
      config: { roles },
      schema: {
        tags,
        summary: "The file's bytes as a download (streamed from the upload engine)",
        security,
        params: PersonFileParamsSchema,
        response: {
          200: {
            description: 'the file with the type sniffed from its content',
            content: Object.fromEntries(uploadContentTypes.map((type) => [type, { schema: Type.Unsafe<Readable>({ type: 'string', format: 'binary' }) }])),
          },
          ...problemResponses(401, 403, 404, 409),
        },
      },
    },
    async (request, reply) => {
      const file = await personFileContent(em(), principalOf(request).officeId, request.params.id, request.params.fileId);
      return sendDownload(reply, { contentType: file.contentType, filename: file.filename, sizeBytes: file.sizeBytes, sha256: file.sha256, body: file.chunks });
    },
  );

  app.post(
    '/persons/:id/files/:fileId/move',
    {
      config: { roles },
      schema: {
        tags,
        summary: "Move the file to one of the person's dossiers (where they are an applicant), between them, or back to the card (null); audited",
        security,
        params: PersonFileParamsSchema,
        body: PersonFileMoveSchema,
        response: { 200: PersonFileSchema, ...problemResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => movePersonFile(em(), principalOf(request), request.params.id, request.params.fileId, request.body.dossierId, new Date()),
  );

  app.delete(
    '/persons/:id/files/:fileId',
    {
      config: { roles },
      schema: {
        tags,
        summary: 'Delete the file: its bytes go, its history stays (with who deleted it and when)',
        security,
        params: PersonFileParamsSchema,
        response: { 204: Type.Null(), ...problemResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await deletePersonFile(em(), principalOf(request), request.params.id, request.params.fileId, new Date());
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/dossiers/:id/person-files',
    {
      config: { roles },
      schema: {
        tags: ['dossiers', 'crm'],
        summary: "Files moved to this dossier from its applicants' CRM cards",
        security,
        params: IdParamsSchema,
        response: { 200: PersonFileListSchema, ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => ({ items: await dossierPersonFiles(em(), principalOf(request).officeId, request.params.id) }),
  );
};

export default personFilesRoutes;
