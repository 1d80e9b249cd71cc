/**
 * The process designer (*beheerder*): drafts of process definitions (saved even when invalid,
 * answered with their problems), validation, publishing as an immutable numbered version, a
 * dry run of a draft through the real product workflow on a time-skipping test server,
 * moving a running product to another version, and versioned mail/document templates.
 * Writes: designer (and admin); reads: also adviser.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { closeDryRunEnvironment, dryRunDraft } from '../../../services/process/dry-run.js';
import { deleteDraft, diffDraft, publishDraft, requireDraft, saveDraft } from '../../../services/process/drafts.js';
import { migrateProduct } from '../../../services/process/migrate.js';
import {
  getTemplateDraft,
  listTemplates,
  publishTemplateDraft,
  saveTemplateDraft,
  templateVersions,
} from '../../../services/templates/templates.js';
import { IdParamsSchema, INT4_MAX, problemResponses } from '../../../services/shared/schemas.js';
import {
  DefinitionDiffSchema,
  DryRunRequestSchema,
  DryRunResultSchema,
  KeyParamsSchema,
  MigrateProductResultSchema,
  MigrateProductSchema,
  ProcessDraftInputSchema,
  ProcessDraftSchema,
  PublishResultSchema,
  TemplateDraftInputSchema,
  TemplateDraftSchema,
  TemplateSummarySchema,
  TemplateVersionSchema,
  ValidationResultSchema,
} from '../../../services/process/schemas.js';

const write = ['designer'] as const;
const read = ['adviser', 'designer'] as const;
const tags = ['process-designer'];
const security = [{ bearer: [] }];

const processDesignerRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addHook('onClose', async () => {
    await closeDryRunEnvironment();
  });
  const em = () => app.deps.orm.em.fork();

  app.get(
    '/process-drafts/:key',
    {
      config: { roles: read },
      schema: {
        tags,
        security,
        summary: 'The draft of a process, with its validation',
        params: KeyParamsSchema,
        response: { 200: ProcessDraftSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => requireDraft(em(), request.params.key),
  );

  app.put(
    '/process-drafts/:key',
    {
      config: { roles: write },
      schema: {
        tags,
        security,
        summary: 'Create or replace the draft of a process',
        description:
          'Saved even when invalid (work in progress); the answer lists every problem with its JSON pointer. `key` and `version` of the definition are set by the server.',
        params: KeyParamsSchema,
        body: ProcessDraftInputSchema,
        response: { 200: ProcessDraftSchema, ...problemResponses(400, 401, 403, 422) },
      },
    },
    async (request) => saveDraft(em(), request.params.key, request.body, request.principal!.credentialId),
  );

  app.delete(
    '/process-drafts/:key',
    {
      config: { roles: write },
      schema: { tags, security, summary: 'Discard the draft of a process', params: KeyParamsSchema, response: { 204: Type.Null(), ...problemResponses(400, 401, 403, 404) } },
    },
    async (request, reply) => {
      await deleteDraft(em(), request.params.key);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/process-drafts/:key/validate',
    {
      config: { roles: read },
      schema: {
        tags,
        security,
        summary: 'Validate the draft: schema, references, flow (unreachable steps, dead ends), templates',
        params: KeyParamsSchema,
        response: { 200: ValidationResultSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => (await requireDraft(em(), request.params.key)).validation,
  );

  app.get(
    '/process-drafts/:key/diff',
    {
      config: { roles: read },
      schema: {
        tags,
        security,
        summary: 'What the draft changes against a published version (default: its base version)',
        description: 'The same structured diff as between two published versions; `toVersion` is the version publishing would create. 422 while the draft is structurally invalid.',
        params: KeyParamsSchema,
        querystring: Type.Object({ against: Type.Optional(Type.Integer({ minimum: 1, maximum: INT4_MAX })) }, { additionalProperties: false }),
        response: { 200: DefinitionDiffSchema, ...problemResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request) => diffDraft(em(), request.params.key, request.query.against),
  );

  app.post(
    '/process-drafts/:key/publish',
    {
      config: { roles: write },
      schema: {
        tags,
        security,
        summary: 'Publish the draft as the next immutable version',
        description: 'Refused with 422 and every problem (`errors[].path`) when invalid; nothing is published then.',
        params: KeyParamsSchema,
        response: { 201: PublishResultSchema, ...problemResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => reply.code(201).send(await publishDraft(em(), request.params.key)),
  );

  app.post(
    '/process-drafts/:key/dry-run',
    {
      config: { roles: write },
      schema: {
        tags,
        security,
        summary: 'Simulate the draft: the real product workflow on a time-skipping test server, effects recorded, nothing touched',
        params: KeyParamsSchema,
        body: DryRunRequestSchema,
        response: { 200: DryRunResultSchema, ...problemResponses(400, 401, 403, 404, 422, 503) },
      },
    },
    async (request) => {
      return dryRunDraft(em(), request.params.key, request.body.script, request.principal!.credentialId);
    },
  );

  app.post(
    '/products/:id/migrate',
    {
      config: { roles: write },
      schema: {
        tags,
        security,
        summary: 'Move a running product to another published version of its process',
        description: "Refused (409, with the reason; nothing changes) when the product's status does not exist in the target version.",
        params: IdParamsSchema,
        body: MigrateProductSchema,
        response: { 200: MigrateProductResultSchema, ...problemResponses(400, 401, 403, 404, 409, 503) },
      },
    },
    async (request) => migrateProduct(em(), app.deps.temporal, request.principal!, request.params.id, request.body.toVersion),
  );

  app.get(
    '/templates',
    {
      config: { roles: read },
      schema: { tags, security, summary: 'Mail and document templates (newest version per key)', response: { 200: Type.Object({ items: Type.Array(TemplateSummarySchema) }), ...problemResponses(401, 403) } },
    },
    async () => ({ items: await listTemplates(em()) }),
  );

  app.get(
    '/templates/:key/versions',
    {
      config: { roles: read },
      schema: { tags, security, summary: 'Every published version of a template', params: KeyParamsSchema, response: { 200: Type.Object({ items: Type.Array(TemplateVersionSchema) }), ...problemResponses(400, 401, 403, 404) } },
    },
    async (request) => ({ items: await templateVersions(em(), request.params.key) }),
  );

  app.get(
    '/template-drafts/:key',
    {
      config: { roles: read },
      schema: { tags, security, summary: 'The draft of a template', params: KeyParamsSchema, response: { 200: TemplateDraftSchema, ...problemResponses(400, 401, 403, 404) } },
    },
    async (request) => getTemplateDraft(em(), request.params.key),
  );

  app.put(
    '/template-drafts/:key',
    {
      config: { roles: write },
      schema: {
        tags,
        security,
        summary: 'Create or replace the draft of a template',
        params: KeyParamsSchema,
        body: TemplateDraftInputSchema,
        response: { 200: TemplateDraftSchema, ...problemResponses(400, 401, 403, 422) },
      },
    },
    async (request) => saveTemplateDraft(em(), request.params.key, request.body, request.principal!.credentialId),
  );

  app.post(
    '/template-drafts/:key/publish',
    {
      config: { roles: write },
      schema: { tags, security, summary: 'Publish the template draft as the next version', params: KeyParamsSchema, response: { 201: PublishResultSchema, ...problemResponses(400, 401, 403, 404, 409) } },
    },
    async (request, reply) => reply.code(201).send(await publishTemplateDraft(em(), request.params.key)),
  );
};

export default processDesignerRoutes;
