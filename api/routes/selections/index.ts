/**
 * Selections (*querymanager*, DOMAIN process 8): run a query, save it (private to the
 * credential that saved it), export it (CSV / Excel), and make call tasks for the back office.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { principalOf } from '../../plugins/auth.js';
import { createSelectionTasks, runSelection } from '../../../services/selections/query.js';
import {
  exportSavedSelection,
  exportSelection,
  listSavedSelections,
  MAX_TASKS,
  removeSavedSelection,
  saveSelection,
  type SelectionFile,
} from '../../../services/selections/saved.js';
import { todayInAmsterdam } from '../../../domain/dates.js';
import { IdParamsSchema, problemResponses, ref } from '../../../services/shared/schemas.js';
import {
  SavedSelectionCreateSchema,
  SavedSelectionListSchema,
  SavedSelectionSchema,
  SelectionExportCreateSchema,
  SelectionExportQuerySchema,
  SelectionResultSchema,
  SelectionRunSchema,
  SelectionTasksCreateSchema,
  SelectionTasksResultSchema,
} from '../../../services/selections/schemas.js';

const roles = ['adviser'] as const;

const fileResponse = {
  description: 'the file, streamed (chunked; no length known in advance)',
  content: {
    'text/csv': { schema: { type: 'string' } },
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: { type: 'string', format: 'binary' } },
  },
};

const selectionsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/selections/run',
    {
      config: { roles },
      schema: {
        tags: ['selections'],
        summary: 'Run a selection: persons with their (newest) dossier, with / without products, paged',
        description:
          'At most 2 product filters (withProducts and withoutProducts together). Example, clients with a mortgage ' +
          'but without home insurance: `{"withProducts":[{"type":"mortgage"}],"withoutProducts":[{"type":"insurance"}]}` ' +
          '(narrow the insurance by `branch` or `company`). Loan parts, coverages, CRM properties and indicators, e.g. clients ' +
          'with an interest-only loan part and no home insurance: `{"loanParts":[{"repaymentType":"aflossingsvrij"}],"withoutCoverages":["OPSTAL"]}`; ' +
          '`{"properties":[{"type":"number","key":"kinderen","op":"gte","value":2}],"withIndicators":["<id>"]}`. ' +
          'An unknown property or indicator, or a property compared as another type, is a 400. The empty query lists every person ' +
          '(also those without a dossier, with empty dossier fields).',
        security: [{ bearer: [] }],
        body: SelectionRunSchema,
        response: { 200: SelectionResultSchema, ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const { officeId } = principalOf(request);
      const { limit = 50, offset = 0, ...query } = request.body;
      const found = await runSelection(app.deps.orm.em.fork(), officeId, query, { limit, offset });
      return { ...found, limit, offset };
    },
  );

  app.get(
    '/selections/saved',
    {
      config: { roles },
      schema: {
        tags: ['selections'],
        summary: 'My saved selections (colleagues do not see them)',
        security: [{ bearer: [] }],
        response: { 200: SavedSelectionListSchema, ...problemResponses(401, 403) },
      },
    },
    async (request) => ({ items: await listSavedSelections(app.deps.orm.em.fork(), principalOf(request)) }),
  );

  app.post(
    '/selections/saved',
    {
      config: { roles },
      schema: {
        tags: ['selections'],
        summary: 'Save a selection under a name (private to me; the same name again is a 409)',
        security: [{ bearer: [] }],
        body: SavedSelectionCreateSchema,
        response: { 201: ref(SavedSelectionSchema), ...problemResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const saved = await saveSelection(app.deps.orm.em.fork(), principalOf(request), request.body);
      return reply.code(201).header('location', `/selections/saved/${saved.id}`).send(saved);
    },
  );

  app.delete(
    '/selections/saved/:id',
    {
      config: { roles },
      schema: {
        tags: ['selections'],
        summary: 'Delete one of my saved selections',
        security: [{ bearer: [] }],
        params: IdParamsSchema,
        response: { 204: { type: 'null', description: 'deleted' }, ...problemResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await removeSavedSelection(app.deps.orm.em.fork(), principalOf(request), request.params.id);
      return reply.code(204).send();
    },
  );

  app.get(
    '/selections/export',
    {
      config: { roles },
      schema: {
        tags: ['selections'],
        summary: 'Export one of my saved selections as CSV (semicolons, UTF-8) or Excel (xlsx), Dutch headers',
        security: [{ bearer: [] }],
        querystring: SelectionExportQuerySchema,
        response: {
          200: fileResponse,
          ...problemResponses(400, 401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const file = await exportSavedSelection(app.deps.orm.em.fork(), principalOf(request), request.query.savedId, request.query.format, todayInAmsterdam(new Date()));
      return sendFile(request, reply, file, { savedId: request.query.savedId });
    },
  );

  app.post(
    '/selections/export',
    {
      config: { roles },
      schema: {
        tags: ['selections'],
        summary: 'Export a selection, or the whole CRM (no query or {}: every person, also those without a dossier), as CSV or Excel, streamed',
        description:
          'CSV: `;`-separated (Dutch Excel), UTF-8 with BOM, CRLF, RFC 4180 quoting; cells that start with = + - @ tab or CR are ' +
          'prefixed with a quote (no formulas). One row per person and dossier (newest dossier only unless includeOlderDossiers). ' +
          'The rows are read from a database cursor while the file is sent, so there is no row limit.',
        security: [{ bearer: [] }],
        body: SelectionExportCreateSchema,
        response: { 200: fileResponse, ...problemResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const { officeId } = principalOf(request);
      const file = await exportSelection(app.deps.orm.em.fork(), officeId, request.body.query ?? {}, request.body.format, { today: todayInAmsterdam(new Date()) });
      return sendFile(request, reply, file, {});
    },
  );

  app.post(
    '/selections/tasks',
    {
      config: { roles },
      schema: {
        tags: ['selections'],
        summary: 'A call task for the back office per dossier of the selection (idempotent per runKey)',
        security: [{ bearer: [] }],
        body: SelectionTasksCreateSchema,
        response: { 200: SelectionTasksResultSchema, ...problemResponses(400, 401, 403, 422) },
      },
    },
    async (request) => {
      const { officeId } = principalOf(request);
      const { query, runKey, title, dueDate } = request.body;
      const done = await createSelectionTasks(app.deps.orm.em.fork(), officeId, query, { runKey, title: title.trim(), dueDate }, MAX_TASKS);
      return { runKey, dossiers: done.dossiers, created: done.created, existing: done.dossiers - done.created };
    },
  );
};

/**
 * Sends the streamed file. Who exported what is logged (credential, office, the query; no
 * personal values): main has no audit table for exports, the privacy audit records only
 * anonymisations and deletions of one person.
 */
function sendFile(request: FastifyRequest, reply: FastifyReply, file: SelectionFile, extra: { savedId?: string }): FastifyReply {
  const { officeId, credentialId } = principalOf(request);
  request.log.info({ selectionExport: { officeId, credentialId, filename: file.filename, query: file.query, ...extra } }, 'selection export started');
  return reply
    .header('content-type', file.contentType)
    .header('content-disposition', `attachment; filename="${file.filename}"`)
    .header('cache-control', 'no-store')
    .header('x-content-type-options', 'nosniff')
    .send(file.body);
}

export default selectionsRoutes;
