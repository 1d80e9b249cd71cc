/**
 * Selections (*querymanager*, DOMAIN process 8): run a query, save it (private to the
 * credential that saved it), export it (CSV / Excel), and make call tasks for the back office.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { principalOf } from '../../plugins/auth.js';
import { newId } from '../../../db/ids.js';
import { problems } from '../../problem.js';
import { allRows, checkQuery, createSelectionTasks, runSelection } from '../../../services/selections/query.js';
import { toCsv, toXlsx } from '../../../services/selections/export.js';
import { isoInstant, looksLikeUuid, one, rows } from '../../../db/sql.js';
import { IdParamsSchema, problemResponses, ref } from '../../../services/shared/schemas.js';
import {
  SavedSelectionCreateSchema,
  SavedSelectionListSchema,
  SavedSelectionSchema,
  SelectionExportQuerySchema,
  SelectionResultSchema,
  SelectionRunSchema,
  SelectionTasksCreateSchema,
  SelectionTasksResultSchema,
  type SavedSelection,
  type SelectionQuery,
} from '../../../services/selections/schemas.js';
import type { EntityManager } from '@mikro-orm/postgresql';

const roles = ['adviser'] as const;
/** Export and call tasks work on the whole selection: beyond this, narrow it first. */
export const MAX_EXPORT_ROWS = 50_000;
export const MAX_TASKS = 5_000;

interface SavedRow {
  id: string;
  name: string;
  query: SelectionQuery;
  created_at: unknown;
  [k: string]: unknown;
}

const toSaved = (r: SavedRow): SavedSelection => ({ id: r.id, name: r.name, query: r.query, createdAt: isoInstant(r.created_at) ?? '' });

/** A saved selection of this credential; someone else's answers 404 (it is private, not forbidden). */
async function ownSaved(em: EntityManager, officeId: string, credentialId: string, id: string): Promise<SavedRow> {
  const found = looksLikeUuid(id)
    ? await one<SavedRow>(em, 'select id, name, query, created_at from saved_selections where office_id = ? and credential_id = ? and id = ?', [officeId, credentialId, id])
    : undefined;
  if (!found) throw problems.notFound('Saved selection', id);
  return found;
}

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
          '(narrow the insurance by `branch` or `company`).',
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
    async (request) => {
      const { officeId, credentialId } = principalOf(request);
      const found = await rows<SavedRow>(
        app.deps.orm.em.fork(),
        'select id, name, query, created_at from saved_selections where office_id = ? and credential_id = ? order by name, id',
        [officeId, credentialId],
      );
      return { items: found.map(toSaved) };
    },
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
      const { officeId, credentialId } = principalOf(request);
      checkQuery(request.body.query);
      const em = app.deps.orm.em.fork();
      const id = newId();
      const name = request.body.name.trim();
      const inserted = (await em.execute(
        `insert into saved_selections (id, office_id, credential_id, name, query) values (?, ?, ?, ?, ?::jsonb)
         on conflict (credential_id, name) do nothing`,
        [id, officeId, credentialId, name, JSON.stringify(request.body.query)],
        'run',
      )) as { affectedRows?: number };
      if (!inserted.affectedRows) throw problems.conflict('duplicate-name', `You already saved a selection named "${name}"`);
      const saved = await ownSaved(em, officeId, credentialId, id);
      return reply.code(201).header('location', `/selections/saved/${id}`).send(toSaved(saved));
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
      const { officeId, credentialId } = principalOf(request);
      const em = app.deps.orm.em.fork();
      const saved = await ownSaved(em, officeId, credentialId, request.params.id);
      await em.execute('delete from saved_selections where id = ?', [saved.id]);
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
          200: { description: 'the file', content: { 'text/csv': { schema: { type: 'string' } }, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: { type: 'string', format: 'binary' } } } },
          ...problemResponses(400, 401, 403, 404, 422),
        },
      },
    },
    async (request, reply) => {
      const { officeId, credentialId } = principalOf(request);
      const em = app.deps.orm.em.fork();
      const saved = await ownSaved(em, officeId, credentialId, request.query.savedId);
      const items = await allRows(em, officeId, saved.query, MAX_EXPORT_ROWS);
      const base = `selectie-${saved.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'export'}`;
      if (request.query.format === 'csv') {
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${base}.csv"`)
          .send(toCsv(items));
      }
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="${base}.xlsx"`)
        .send(await toXlsx(items, saved.name));
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

export default selectionsRoutes;
