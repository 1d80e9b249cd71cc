/** The reminder module: action groups (designers) and runs over a selection of invoices (advisers). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Readable } from 'node:stream';
import {
  archiveActionGroup,
  createReminderRun,
  deleteActionGroup,
  getReminderLetter,
  getReminderRun,
  listActionGroups,
  listReminderRuns,
  saveActionGroup,
} from '../../../services/billing/reminders.js';
import { principalOf } from '../../plugins/auth.js';
import {
  ActionGroupInputSchema,
  ActionGroupListQuerySchema,
  ActionGroupSchema,
  MAX_RUN_INVOICES,
  ReminderRunCreateSchema,
  ReminderRunHeadersSchema,
  ReminderRunSchema,
} from '../../../services/billing/schemas.js';
import { IdParamsSchema, PagingQuerySchema, problemResponses, ref } from '../../../services/shared/schemas.js';
import { sendDownload } from '../../download.js';

const security = [{ bearer: [] }];
const designers = ['designer'] as const;
const actionsNote =
  'Actions: { name, type: mail | letter | task | handover, template?, daysAfterDue (≥ 1, ascending), statusAfter: ' +
  'reminded | final_notice | handed_over (never lower than before), fourteenDayLetter?, audience?: all | consumer | business }. ' +
  'A hand-over is the last action and, for consumers, comes after a 14-dagenbrief. `isDefault` makes the group the ' +
  "office's ladder for the invoice workflow. Every problem is listed in the 400 answer.";

const reminderRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/billing/action-groups',
    {
      config: { roles: ['designer', 'adviser'] },
      schema: {
        tags: ['billing'],
        summary: "The office's reminder action groups (actiegroepen)",
        description: 'The groups a new run may use; archived groups only with includeArchived=true.',
        security,
        querystring: ActionGroupListQuerySchema,
        response: { 200: Type.Object({ items: Type.Array(ref(ActionGroupSchema)) }), ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => ({ items: await listActionGroups(app.deps.orm.em.fork(), principalOf(request).officeId, request.query) }),
  );

  app.post(
    '/billing/action-groups',
    {
      config: { roles: designers },
      schema: {
        tags: ['billing'],
        summary: 'Create an action group',
        description: actionsNote,
        security,
        body: ref(ActionGroupInputSchema),
        response: { 201: ref(ActionGroupSchema), ...problemResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const group = await saveActionGroup(app.deps.orm.em.fork(), principalOf(request).officeId, undefined, request.body);
      return reply.code(201).send(group);
    },
  );

  app.put(
    '/billing/action-groups/:id',
    {
      config: { roles: designers },
      schema: {
        tags: ['billing'],
        summary: 'Replace an action group',
        description: `${actionsNote} Runs and executions made earlier keep pointing at the group; their history stays as it was.`,
        security,
        params: IdParamsSchema,
        body: ref(ActionGroupInputSchema),
        response: { 200: ref(ActionGroupSchema), ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => saveActionGroup(app.deps.orm.em.fork(), principalOf(request).officeId, request.params.id, request.body),
  );

  app.post(
    '/billing/action-groups/:id/archive',
    {
      config: { roles: designers },
      schema: {
        tags: ['billing'],
        summary: 'Archive an action group (archiveren)',
        description:
          'The group is no longer offered for new runs (a run naming it: 409) and cannot be changed; its runs, their ' +
          "executions and letters stay readable. The office's default ladder is not archived (409): make another group the default first. " +
          'Archiving twice answers the group as it is.',
        security,
        params: IdParamsSchema,
        response: { 200: ref(ActionGroupSchema), ...problemResponses(401, 403, 404, 409) },
      },
    },
    async (request) => archiveActionGroup(app.deps.orm.em.fork(), principalOf(request).officeId, request.params.id),
  );

  app.delete(
    '/billing/action-groups/:id',
    {
      config: { roles: designers },
      schema: {
        tags: ['billing'],
        summary: 'Delete an action group that was never used',
        description: 'Only a group without runs or executions is deleted; one with history answers 409 (archive it instead), as does the default ladder.',
        security,
        params: IdParamsSchema,
        response: { 204: Type.Null({ description: 'deleted' }), ...problemResponses(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await deleteActionGroup(app.deps.orm.em.fork(), principalOf(request).officeId, request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/billing/reminder-runs',
    {
      config: { roles: ['adviser'] },
      schema: {
        tags: ['billing'],
        summary: 'Run one action of a group over the ticked invoices, or over all overdue invoices that match the filter',
        description:
          'Only with reminderMode `module` (409 otherwise: the invoice workflows run the ladder themselves); an archived ' +
          'group: 409. The set is either `invoiceIds` (the ticked invoices, at most ' +
          `${MAX_RUN_INVOICES}) or \`filter\` ("select all": resolved now; 422 above ${MAX_RUN_INVOICES}). It may act on ` +
          'invoices past their due date with an open amount (statuses open, sent, reversed, reminded, final_notice by ' +
          "default) and of the action's audience; a ticked invoice outside that, or held by another unfinished run of the same " +
          'action, is listed in results as skipped with the reason. The run records the invoices it acted on (invoiceIds). ' +
          "Each runs through its invoice's process, which refuses invoices that may not be reminded (paid meanwhile): " +
          'listed with the reason. Send an `Idempotency-Key` header to make retries safe: a repeat answers the first run ' +
          '(200), finishing it if it stopped halfway, and never sends twice.',
        security,
        headers: ReminderRunHeadersSchema,
        body: ref(ReminderRunCreateSchema),
        response: { 200: ref(ReminderRunSchema), 201: ref(ReminderRunSchema), ...problemResponses(400, 401, 403, 404, 409, 422, 503) },
      },
    },
    async (request, reply) => {
      const { run, created } = await createReminderRun(
        app.deps.orm.em.fork(),
        app.deps.temporal,
        principalOf(request),
        request.body,
        request.headers['idempotency-key'],
      );
      return reply.code(created ? 201 : 200).header('location', `/billing/reminder-runs/${run.id}`).send(run);
    },
  );

  app.get(
    '/billing/reminder-runs',
    {
      config: { roles: ['adviser'] },
      schema: {
        tags: ['billing'],
        summary: 'Reminder runs, newest first',
        security,
        querystring: Type.Object({ ...PagingQuerySchema }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(ref(ReminderRunSchema)) }), ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => ({ items: await listReminderRuns(app.deps.orm.em.fork(), principalOf(request).officeId, request.query) }),
  );

  app.get(
    '/billing/reminder-runs/:id',
    {
      config: { roles: ['adviser'] },
      schema: {
        tags: ['billing'],
        summary: 'A reminder run with its outcome per invoice and its executions, each with the link to its letter',
        description: 'Readable for runs of archived groups too.',
        security,
        params: IdParamsSchema,
        response: { 200: ref(ReminderRunSchema), ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => getReminderRun(app.deps.orm.em.fork(), principalOf(request).officeId, request.params.id),
  );

  app.get(
    '/billing/reminder-executions/:id/letter',
    {
      config: { roles: ['adviser'] },
      schema: {
        tags: ['billing'],
        summary: 'The letter a reminder execution made (the stored PDF, e.g. the 14-dagenbrief), as a download',
        description: "404 `reminder-letter-missing` when the execution made no letter (a mail, task or hand-over). The link is in the run's executions (letterUrl).",
        security,
        params: IdParamsSchema,
        response: {
          200: { description: 'the letter', content: { 'application/pdf': { schema: Type.Unsafe<Readable>({ type: 'string', format: 'binary' }) } } },
          ...problemResponses(401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const doc = await getReminderLetter(app.deps.orm.em.fork(), principalOf(request).officeId, request.params.id);
      return sendDownload(reply, { contentType: doc.contentType, filename: doc.filename, sizeBytes: doc.content.length, sha256: doc.sha256, body: doc.content });
    },
  );
};

export default reminderRoutes;
