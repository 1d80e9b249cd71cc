/** Persons (*relaties*): create with duplicate suggestions, duplicate check while typing, read, search. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { principalOf } from '../../plugins/auth.js';
import { createPerson, findDuplicates, requirePerson, searchPersons } from '../../../services/crm/persons.js';
import { editPerson, fieldHistoryOf, personETag } from '../../../services/crm/person-edit.js';
import { IdParamsSchema, problemResponses, ref } from '../../../services/shared/schemas.js';
import {
  HistoryQuerySchema,
  IfMatchHeadersSchema,
  PersonFieldHistoryPageSchema,
  PersonEditProblemSchema,
  PersonPatchSchema,
  DuplicateListSchema,
  DuplicateProblemSchema,
  DuplicateQuerySchema,
  PersonInputSchema,
  PersonListSchema,
  PersonSchema,
  PersonSearchQuerySchema,
} from '../../../services/crm/persons.schemas.js';

const roles = ['adviser'] as const;

const personsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/persons',
    {
      config: { roles },
      schema: {
        tags: ['persons'],
        summary: 'Create a person (relatie); likely duplicates are answered 409 with suggestions',
        security: [{ bearer: [] }],
        body: ref(PersonInputSchema),
        response: { 201: ref(PersonSchema), 409: ref(DuplicateProblemSchema), ...problemResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const person = await createPerson(app.deps.orm.em.fork(), principalOf(request).officeId, request.body);
      return reply.code(201).header('location', `/persons/${person.id}`).send(person);
    },
  );

  app.get(
    '/persons/duplicates',
    {
      config: { roles },
      schema: {
        tags: ['persons'],
        summary: 'Likely duplicates for what is being typed (same suggestions as POST /persons)',
        security: [{ bearer: [] }],
        querystring: DuplicateQuerySchema,
        response: { 200: DuplicateListSchema, ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const { officeId } = principalOf(request);
      const possibleDuplicates = await findDuplicates(app.deps.orm.em.fork(), officeId, request.query);
      return { possibleDuplicates };
    },
  );

  app.get(
    '/persons/:id',
    {
      config: { roles },
      schema: {
        tags: ['persons'],
        summary: 'A person of the office',
        security: [{ bearer: [] }],
        params: IdParamsSchema,
        response: { 200: ref(PersonSchema), ...problemResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const person = await requirePerson(app.deps.orm.em.fork(), principalOf(request).officeId, request.params.id);
      return reply.header('etag', personETag(person)).send(person);
    },
  );

  app.patch(
    '/persons/:id',
    {
      config: { roles },
      schema: {
        tags: ['persons'],
        summary: 'Edit a person: only the fields sent change, null clears; each changed field gets a history line',
        description:
          'Send the version the edit started from as `If-Match` (the ETag of GET /persons/:id) or as `version`. ' +
          'When the person changed since, 409 `edited-meanwhile` with `currentVersion` and nothing is changed. ' +
          'When the changed name and birth date, e-mail or address make the person look like another one, 409 ' +
          '`possible-duplicate` with `possibleDuplicates` (as POST /persons) unless `allowDuplicate: true`. ' +
          'One person record: the dossiers they are an applicant of show the change too; a mortgage whose AX was ' +
          'sent before shows `axVersionNeeded`.',
        security: [{ bearer: [] }],
        params: IdParamsSchema,
        headers: IfMatchHeadersSchema,
        body: ref(PersonPatchSchema),
        response: { 200: ref(PersonSchema), 409: ref(PersonEditProblemSchema), ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const person = await editPerson(app.deps.orm.em.fork(), principalOf(request), request.params.id, request.body, request.headers['if-match']);
      return reply.header('etag', personETag(person)).send(person);
    },
  );

  app.get(
    '/persons/:id/history',
    {
      config: { roles },
      schema: {
        tags: ['persons'],
        summary: 'Field history of a person (wijzigingshistorie): old → new, who, when; newest first, paged',
        security: [{ bearer: [] }],
        params: IdParamsSchema,
        querystring: HistoryQuerySchema,
        response: { 200: PersonFieldHistoryPageSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { officeId } = principalOf(request);
      const em = app.deps.orm.em.fork();
      await requirePerson(em, officeId, request.params.id);
      const limit = request.query.limit ?? 50;
      const offset = request.query.offset ?? 0;
      return { ...(await fieldHistoryOf(em, officeId, [request.params.id], { limit, offset })), limit, offset };
    },
  );

  app.get(
    '/persons',
    {
      config: { roles },
      schema: {
        tags: ['persons'],
        summary: 'Search persons by name or e-mail (case-insensitive, paged)',
        security: [{ bearer: [] }],
        querystring: PersonSearchQuerySchema,
        response: { 200: PersonListSchema, ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const { officeId } = principalOf(request);
      const limit = request.query.limit ?? 50;
      const offset = request.query.offset ?? 0;
      const found = await searchPersons(app.deps.orm.em.fork(), officeId, request.query.q, limit, offset);
      return { ...found, limit, offset };
    },
  );
};

export default personsRoutes;
