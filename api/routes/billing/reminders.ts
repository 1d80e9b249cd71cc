/** The reminder module: action groups (designers) and runs over a selection of invoices (advisers). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import {
  createReminderRun,
  getReminderRun,
  listActionGroups,
  listReminderRuns,
  saveActionGroup,
} from '../../../services/billing/reminders.js';
import { principalOf } from '../../plugins/auth.js';
import { ActionGroupInputSchema, ActionGroupSchema, ReminderRunCreateSchema, ReminderRunSchema } from '../../../services/billing/schemas.js';
import { IdParamsSchema, PagingQuerySchema, problemResponses, ref } from '../../../services/shared/schemas.js';

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
        security,
        response: { 200: Type.Object({ items: Type.Array(ref(ActionGroupSchema)) }), ...problemResponses(401, 403) },
      },
    },
    async (request) => ({ items: await listActionGroups(app.deps.orm.em.fork(), principalOf(request).officeId) }),
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
    '/billing/reminder-runs',
    {
      config: { roles: ['adviser'] },
      schema: {
        tags: ['billing'],
        summary: 'Run one action of a group over the overdue invoices that match the filter',
        description:
          'Only with reminderMode `module` (409 otherwise: the invoice workflows run the ladder themselves). Selects ' +
          'invoices past their due date with an open amount (default statuses open, sent, reversed, reminded, ' +
          "final_notice) and runs the action through each invoice's process, which refuses invoices that may not be " +
          'reminded (paid meanwhile, credited, handed over): those are listed with the reason. Every execution is in ' +
          'the history of its invoice and of the run.',
        security,
        body: ref(ReminderRunCreateSchema),
        response: { 201: ref(ReminderRunSchema), ...problemResponses(400, 401, 403, 404, 409, 422, 503) },
      },
    },
    async (request, reply) => {
      const run = await createReminderRun(app.deps.orm.em.fork(), app.deps.temporal, principalOf(request), request.body);
      return reply.code(201).send(run);
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
        summary: 'A reminder run with its outcome per invoice and its executions',
        security,
        params: IdParamsSchema,
        response: { 200: ref(ReminderRunSchema), ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => getReminderRun(app.deps.orm.em.fork(), principalOf(request).officeId, request.params.id),
  );
};

export default reminderRoutes;
