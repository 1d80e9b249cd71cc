/**
 * Uploads over tus 1.0.0 (core + creation + termination; tus.io/protocols/resumable-upload):
 * OPTIONS (discovery), POST (create with Upload-Length), HEAD (the stored offset), PATCH (bytes
 * at an offset, streamed: the body is handed over as the request stream, never buffered whole),
 * DELETE. Every refusal is problem+json and carries Tus-Resumable. The logic is
 * services/uploads/receive.ts.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { principalOf } from '../../plugins/auth.js';
import { HttpProblem } from '../../problem.js';
import { problemResponses } from '../../../services/shared/schemas.js';
import { MAX_FILE_BYTES } from '../../../domain/uploads/uploads.js';
import { createUpload, receiveBytes, terminateUpload, uploadStateOf, type UploadDeps } from '../../../services/uploads/receive.js';
import {
  UploadCreatedSchema,
  UploadCreateHeadersSchema,
  UploadParamsSchema,
  UploadPatchHeadersSchema,
  UploadTusHeadersSchema,
} from '../../../services/uploads/schemas.js';
import { scanStream } from '../../../integrations/clamd/client.js';

const TUS_VERSION = '1.0.0';
const TUS_EXTENSIONS = 'creation,termination';
const OFFSET_STREAM = 'application/offset+octet-stream';
const tags = ['uploads'];
const security = [{ bearer: [] }];
const roles = ['adviser', 'client'] as const;

/** tus metadata `key base64,key2 base64`: the filename, if any. */
export function filenameOf(metadata: string | undefined): string | undefined {
  for (const pair of (metadata ?? '').split(',')) {
    const [key, value] = pair.trim().split(' ');
    if (key === 'filename' && value) return Buffer.from(value, 'base64').toString('utf8');
  }
  return undefined;
}

const uploadsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // The PATCH body is the request stream itself: services/uploads/receive.ts writes it to
  // PostgreSQL part by part, so a 25 MB file is never in memory whole (no parseAs, no bodyLimit
  // buffering: the length guard is the upload's declared length).
  app.addContentTypeParser(OFFSET_STREAM, (_request, payload, done) => done(null, payload));

  // Every answer, refusals included, says which tus version it speaks.
  app.addHook('onSend', async (_request, reply) => {
    reply.header('tus-resumable', TUS_VERSION);
  });
  // A client speaking another tus version is refused (tus: 412 with Tus-Version).
  app.addHook('preHandler', async (request) => {
    const version = request.headers['tus-resumable'];
    if (request.method !== 'OPTIONS' && version !== undefined && version !== TUS_VERSION) {
      throw new HttpProblem(412, 'tus-version-unsupported', `This server speaks tus ${TUS_VERSION}, not ${String(version)}`, {}, { 'tus-version': TUS_VERSION });
    }
  });

  const clamdAddress = app.deps.uploads?.clamdAddress;
  const deps = (request: FastifyRequest): UploadDeps => ({
    ...(clamdAddress ? { scan: (source: AsyncIterable<Buffer>) => scanStream({ address: clamdAddress }, source) } : {}),
    log: (message, facts) => request.log.info(facts, message),
    ...(app.deps.uploads?.flushBytes ? { flushBytes: app.deps.uploads.flushBytes } : {}),
  });

  app.options(
    '/uploads',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'tus discovery: the version, extensions and largest file size this server accepts',
        security: [],
        response: { 204: Type.Null({ description: 'Tus-Version, Tus-Extension and Tus-Max-Size headers' }) },
      },
    },
    async (_request, reply) => {
      reply.header('tus-version', TUS_VERSION).header('tus-extension', TUS_EXTENSIONS).header('tus-max-size', String(MAX_FILE_BYTES));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/uploads',
    {
      config: { roles },
      schema: {
        tags,
        summary: 'Start an upload (tus creation): its size in Upload-Length, its name in Upload-Metadata',
        description:
          'Files up to 26214400 bytes (25 MB): a larger Upload-Length is refused with 413 and nothing is stored. ' +
          'Send the bytes with PATCH to the Location. The type is sniffed from the content (PDF, JPEG, PNG, HEIC, DOCX); ' +
          'an upload not completed within 24 hours is removed.',
        security,
        headers: UploadCreateHeadersSchema,
        response: { 201: UploadCreatedSchema, ...problemResponses(412, 413) },
      },
    },
    async (request, reply) => {
      const length = Number(request.headers['upload-length']);
      const filename = filenameOf(request.headers['upload-metadata']);
      const state = await createUpload(app.deps.orm.em.fork(), principalOf(request), filename === undefined ? { length } : { length, filename });
      const location = `/uploads/${state.id}`;
      reply.header('location', location).header('upload-offset', '0');
      return reply.code(201).send({ id: state.id, location, length: state.length, offset: state.offset, status: state.status });
    },
  );

  app.route({
    method: 'HEAD',
    url: '/uploads/:id',
    config: { roles },
    schema: {
      tags,
      summary: 'Where an upload is (tus): Upload-Offset (bytes stored) and Upload-Length; resume a cut-off upload from Upload-Offset',
      security,
      params: UploadParamsSchema,
      headers: UploadTusHeadersSchema,
      response: { 200: Type.Null({ description: 'Upload-Offset and Upload-Length headers' }), ...problemResponses(412, 422) },
    },
    handler: async (request, reply) => {
      const state = await uploadStateOf(app.deps.orm.em.fork(), principalOf(request), (request.params as { id: string }).id);
      reply.header('upload-offset', String(state.offset)).header('upload-length', String(state.length)).header('cache-control', 'no-store');
      return reply.code(200).send(null);
    },
  });

  app.patch(
    '/uploads/:id',
    {
      config: { roles },
      schema: {
        tags,
        summary: 'Send bytes of an upload (tus), from Upload-Offset; the last byte completes it',
        description:
          `The body (${OFFSET_STREAM}) is stored as it arrives; a connection cut mid-way keeps what arrived (HEAD tells the offset to resume from). ` +
          'Upload-Offset must be the stored offset (409 otherwise); bytes past Upload-Length are refused (413). ' +
          'A type not accepted is refused (415) and the upload removed; at the last byte the file is scanned for viruses: ' +
          'infected is refused (422) and its bytes deleted; when the scanner does not answer (503) all bytes are kept and an empty PATCH at the last offset retries.',
        security,
        params: UploadParamsSchema,
        headers: UploadPatchHeadersSchema,
        consumes: [OFFSET_STREAM],
        response: { 204: Type.Null({ description: 'Upload-Offset: the new offset' }), ...problemResponses(409, 412, 422, 503) },
      },
    },
    async (request, reply) => {
      // tus: the bytes come as application/offset+octet-stream only (another type parsed as JSON or text must not count as bytes).
      const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (type !== OFFSET_STREAM) throw new HttpProblem(415, 'unsupported-media-type', `Send the bytes as ${OFFSET_STREAM}`);
      const contentLength = request.headers['content-length'] === undefined ? undefined : Number(request.headers['content-length']);
      const state = await receiveBytes(
        app.deps.orm.em.fork(),
        deps(request),
        principalOf(request),
        request.params.id,
        Number(request.headers['upload-offset']),
        request.body as AsyncIterable<Buffer>,
        Number.isSafeInteger(contentLength) ? contentLength : undefined,
      );
      reply.header('upload-offset', String(state.offset));
      return reply.code(204).send(null);
    },
  );

  app.delete(
    '/uploads/:id',
    {
      config: { roles },
      schema: {
        tags,
        summary: 'Remove an upload and its bytes (tus termination)',
        security,
        params: UploadParamsSchema,
        headers: UploadTusHeadersSchema,
        response: { 204: Type.Null(), ...problemResponses(412) },
      },
    },
    async (request, reply) => {
      await terminateUpload(app.deps.orm.em.fork(), principalOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
};

export default uploadsRoutes;
