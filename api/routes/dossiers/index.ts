/** Client dossiers (*klantdossiers*): create with applicants, read, search, documents. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { principalOf } from '../../plugins/auth.js';
import { createDossier, getDossier, requireDossier, searchDossiers } from '../../../services/dossiers/dossiers.js';
import { problems } from '../../problem.js';
import { listDocuments } from '../../../services/work/documents.js';
import { IdParamsSchema, problemResponses, ref } from '../../../services/shared/schemas.js';
import { dossierFieldHistory, editDossier } from '../../../services/dossiers/edit.js';
import { HistoryQuerySchema, PersonEditProblemSchema } from '../../../services/crm/persons.schemas.js';
import {
  DossierFieldHistoryPageSchema,
  DossierPatchSchema,
  DocumentSummarySchema,
  DossierCreateSchema,
  DossierListSchema,
  DossierSchema,
  DossierSearchQuerySchema,
} from '../../../services/dossiers/schemas.js';
import { DuplicateProblemSchema } from '../../../services/crm/persons.schemas.js';

const roles = ['adviser'] as const;

const dossiersRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/dossiers',
    {
      config: { roles },
      schema: {
        tags: ['dossiers'],
        summary: 'Create a dossier (status prospect) with one or two applicants',
        description:
          'Each applicant is an existing person (`personId`) or a new one (`person`). Likely duplicates of a new ' +
          'person answer 409 with `possibleDuplicates` and nothing is created (one transaction).',
        security: [{ bearer: [] }],
        body: ref(DossierCreateSchema),
        response: { 201: ref(DossierSchema), 409: ref(DuplicateProblemSchema), ...problemResponses(400, 401, 403, 422) },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const em = app.deps.orm.em.fork();
      const id = await createDossier(em, principal, request.body);
      const dossier = await getDossier(em.fork(), principal.officeId, id);
      if (!dossier) throw new Error(`dossier ${id} vanished right after it was created`);
      return reply.code(201).header('location', `/dossiers/${id}`).send(dossier);
    },
  );

  app.get(
    '/dossiers/:id',
    {
      config: { roles },
      schema: {
        tags: ['dossiers'],
        summary: 'A dossier: applicants, status, products, documents, tasks, mails and history',
        security: [{ bearer: [] }],
        params: IdParamsSchema,
        response: { 200: ref(DossierSchema), ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const { officeId } = principalOf(request);
      const dossier = await getDossier(app.deps.orm.em.fork(), officeId, request.params.id);
      if (!dossier) throw problems.notFound('Dossier', request.params.id);
      return dossier;
    },
  );

  app.patch(
    '/dossiers/:id',
    {
      config: { roles },
      schema: {
        tags: ['dossiers'],
        summary: "Edit the applicants' data in the dossier (the one person record: the CRM card shows it too)",
        description:
          'Each applicant (position 1 or 2) with the fields of PATCH /persons/:id, including `version` (the ' +
          '`person.version` of GET /dossiers/:id). All or nothing: a refusal names the applicant (`applicantIndex`). ' +
          '409 `edited-meanwhile` when the person changed since, 409 `possible-duplicate` as on PATCH /persons/:id.',
        security: [{ bearer: [] }],
        params: IdParamsSchema,
        body: ref(DossierPatchSchema),
        response: { 200: ref(DossierSchema), 409: ref(PersonEditProblemSchema), ...problemResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const em = app.deps.orm.em.fork();
      await editDossier(em, principal, request.params.id, request.body);
      const dossier = await getDossier(em.fork(), principal.officeId, request.params.id);
      if (!dossier) throw problems.notFound('Dossier', request.params.id);
      return dossier;
    },
  );

  app.get(
    '/dossiers/:id/history',
    {
      config: { roles },
      schema: {
        tags: ['dossiers'],
        summary: "Field history of the dossier's applicants (edited here or on their card), newest first, paged",
        security: [{ bearer: [] }],
        params: IdParamsSchema,
        querystring: HistoryQuerySchema,
        response: { 200: DossierFieldHistoryPageSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { officeId } = principalOf(request);
      const limit = request.query.limit ?? 50;
      const offset = request.query.offset ?? 0;
      const found = await dossierFieldHistory(app.deps.orm.em.fork(), officeId, request.params.id, { limit, offset });
      return { ...found, limit, offset };
    },
  );

  app.get(
    '/dossiers',
    {
      config: { roles },
      schema: {
        tags: ['dossiers'],
        summary: 'Search dossiers by applicant name or e-mail, and status',
        security: [{ bearer: [] }],
        querystring: DossierSearchQuerySchema,
        response: { 200: DossierListSchema, ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const { officeId } = principalOf(request);
      const limit = request.query.limit ?? 50;
      const offset = request.query.offset ?? 0;
      const found = await searchDossiers(app.deps.orm.em.fork(), officeId, { ...request.query, limit, offset });
      return { ...found, limit, offset };
    },
  );

  app.get(
    '/dossiers/:id/documents',
    {
      config: { roles },
      schema: {
        tags: ['dossiers', 'work'],
        summary: 'Documents in the dossier (download each at /documents/:id)',
        security: [{ bearer: [] }],
        params: IdParamsSchema,
        response: { 200: Type.Object({ items: Type.Array(DocumentSummarySchema) }), ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const { officeId } = principalOf(request);
      const em = app.deps.orm.em.fork();
      await requireDossier(em, officeId, request.params.id);
      return { items: await listDocuments(em, officeId, request.params.id) };
    },
  );
};

export default dossiersRoutes;
