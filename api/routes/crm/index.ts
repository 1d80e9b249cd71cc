/**
 * The CRM card (*relatiekaart*, issue #6 part 4): the card, admin definitions (free properties,
 * indicators), and per person: property values, indicators, relations, notes, signals, the
 * identification record and a new dossier. Also the work queue that merges due signals with
 * open tasks. Definitions are for admins (they shape every card of the office); the rest is
 * adviser work (an admin may do it too).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { principalOf } from '../../plugins/auth.js';
import { dossierHighlights, getCard, listIndicators, listPropertyDefinitions, notesOfPerson } from '../../../services/crm/card.js';
import { createDossierForPerson } from '../../../services/crm/person-dossier.js';
import {
  addRelation,
  createIndicator,
  createNote,
  createPropertyDefinition,
  createSignal,
  deleteNote,
  deleteRelation,
  deleteSignal,
  putIdentification,
  setPersonIndicators,
  setPropertyValue,
  updateNote,
  updateSignal,
} from '../../../services/crm/card-write.js';
import { workQueue } from '../../../services/crm/work-queue.js';
import { IdParamsSchema, problemResponses, ref } from '../../../services/shared/schemas.js';
import { DossierSchema } from '../../../services/dossiers/schemas.js';
import {
  CrmCardSchema,
  DossierHighlightsSchema,
  IdentificationInputSchema,
  IdentificationSchema,
  IndicatorInputSchema,
  IndicatorSchema,
  NoteInputSchema,
  NoteQuerySchema,
  NoteSchema,
  PersonDossierInputSchema,
  PersonIndicatorsInputSchema,
  PropertyDefinitionInputSchema,
  PropertyDefinitionSchema,
  PropertyKeyParamsSchema,
  PropertyValueInputSchema,
  PropertyValueSchema,
  RelationInputSchema,
  RelationSchema,
  SignalInputSchema,
  SignalPatchSchema,
  SignalSchema,
  SubIdParamsSchema,
  WorkQueueQuerySchema,
  WorkQueueSchema,
} from '../../../services/crm/card.schemas.js';

const adviser = ['adviser'] as const;
const admin = ['admin'] as const;
const tags = ['crm'];
const security = [{ bearer: [] }];

const crmRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const em = () => app.deps.orm.em.fork();

  // ---- the card ----------------------------------------------------------------------------

  app.get(
    '/persons/:id/card',
    {
      config: { roles: adviser },
      schema: {
        tags,
        summary: 'The CRM card (relatiekaart): data, properties, indicators, relations, notes, signals, identification, files, mails, same address, dossiers',
        security,
        params: IdParamsSchema,
        response: { 200: CrmCardSchema, ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => getCard(em(), principalOf(request).officeId, request.params.id),
  );

  // ---- admin definitions -------------------------------------------------------------------

  app.get(
    '/crm/properties',
    {
      config: { roles: adviser },
      schema: { tags, summary: 'Free property definitions of the office', security, response: { 200: Type.Object({ items: Type.Array(PropertyDefinitionSchema) }), ...problemResponses(401, 403) } },
    },
    async (request) => ({ items: await listPropertyDefinitions(em(), principalOf(request).officeId) }),
  );

  app.post(
    '/crm/properties',
    {
      config: { roles: admin },
      schema: {
        tags,
        summary: 'Define a free property (admins): key, label, type text|number|date|boolean|choice, choices for choice',
        security,
        body: PropertyDefinitionInputSchema,
        response: { 201: PropertyDefinitionSchema, ...problemResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await createPropertyDefinition(em(), principalOf(request).officeId, request.body)),
  );

  app.get(
    '/crm/indicators',
    {
      config: { roles: adviser },
      schema: { tags, summary: 'Indicators of the office (e.g. Lead, Oud-medewerker)', security, response: { 200: Type.Object({ items: Type.Array(IndicatorSchema) }), ...problemResponses(401, 403) } },
    },
    async (request) => ({ items: await listIndicators(em(), principalOf(request).officeId) }),
  );

  app.post(
    '/crm/indicators',
    {
      config: { roles: admin },
      schema: {
        tags,
        summary: 'Define an indicator (admins); showInDossier shows it behind the person name in the dossier',
        security,
        body: IndicatorInputSchema,
        response: { 201: IndicatorSchema, ...problemResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await createIndicator(em(), principalOf(request).officeId, request.body)),
  );

  // ---- per person --------------------------------------------------------------------------

  app.put(
    '/persons/:id/properties/:key',
    {
      config: { roles: adviser },
      schema: {
        tags,
        summary: "Set a person's free property (checked against its type; null clears it)",
        security,
        params: PropertyKeyParamsSchema,
        body: PropertyValueInputSchema,
        response: { 200: Type.Object({ key: Type.String(), value: PropertyValueSchema }), ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => setPropertyValue(em(), principalOf(request), request.params.id, request.params.key, request.body.value),
  );

  app.put(
    '/persons/:id/indicators',
    {
      config: { roles: adviser },
      schema: {
        tags,
        summary: "Set the person's active indicators (the complete set)",
        security,
        params: IdParamsSchema,
        body: PersonIndicatorsInputSchema,
        response: { 200: Type.Object({ items: Type.Array(IndicatorSchema) }), ...problemResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request) => ({ items: await setPersonIndicators(em(), principalOf(request).officeId, request.params.id, request.body.indicatorIds) }),
  );

  app.post(
    '/persons/:id/relations',
    {
      config: { roles: adviser },
      schema: {
        tags,
        summary: 'Relate another person (personId is the <type> of this person); partner, ouder↔kind and collega are mirrored on the other card',
        security,
        params: IdParamsSchema,
        body: RelationInputSchema,
        response: { 201: RelationSchema, ...problemResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await addRelation(em(), principalOf(request), request.params.id, request.body.personId, request.body.type)),
  );

  app.delete(
    '/persons/:id/relations/:itemId',
    {
      config: { roles: adviser },
      schema: { tags, summary: 'Remove a relation (and its mirror on the other card)', security, params: SubIdParamsSchema, response: { 204: Type.Null(), ...problemResponses(401, 403, 404) } },
    },
    async (request, reply) => {
      await deleteRelation(em(), principalOf(request).officeId, request.params.id, request.params.itemId);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/persons/:id/notes',
    {
      config: { roles: adviser },
      schema: {
        tags,
        summary: 'Notes (notities): always-first ones first, then newest first (sort=date), highest priority first (sort=priority) or by author (sort=author)',
        security,
        params: IdParamsSchema,
        querystring: NoteQuerySchema,
        response: { 200: Type.Object({ items: Type.Array(NoteSchema) }), ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ items: await notesOfPerson(em(), principalOf(request).officeId, request.params.id, request.query.sort ?? 'date') }),
  );

  app.post(
    '/persons/:id/notes',
    {
      config: { roles: adviser },
      schema: { tags, summary: 'Add a note', security, params: IdParamsSchema, body: NoteInputSchema, response: { 201: NoteSchema, ...problemResponses(400, 401, 403, 404) } },
    },
    async (request, reply) => reply.code(201).send(await createNote(em(), principalOf(request), request.params.id, request.body)),
  );

  app.put(
    '/persons/:id/notes/:itemId',
    {
      config: { roles: adviser },
      schema: { tags, summary: 'Change a note (all fields)', security, params: SubIdParamsSchema, body: NoteInputSchema, response: { 200: NoteSchema, ...problemResponses(400, 401, 403, 404) } },
    },
    async (request) => updateNote(em(), principalOf(request).officeId, request.params.id, request.params.itemId, request.body),
  );

  app.delete(
    '/persons/:id/notes/:itemId',
    {
      config: { roles: adviser },
      schema: { tags, summary: 'Delete a note', security, params: SubIdParamsSchema, response: { 204: Type.Null(), ...problemResponses(401, 403, 404) } },
    },
    async (request, reply) => {
      await deleteNote(em(), principalOf(request).officeId, request.params.id, request.params.itemId);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/persons/:id/signals',
    {
      config: { roles: adviser },
      schema: {
        tags,
        summary: 'Add a signal (signalering): a manual reminder that lands in the work queue on its date (and time)',
        security,
        params: IdParamsSchema,
        body: SignalInputSchema,
        response: { 201: SignalSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => reply.code(201).send(await createSignal(em(), principalOf(request), request.params.id, request.body)),
  );

  app.patch(
    '/persons/:id/signals/:itemId',
    {
      config: { roles: adviser },
      schema: { tags, summary: 'Change a signal or mark it done', security, params: SubIdParamsSchema, body: SignalPatchSchema, response: { 200: SignalSchema, ...problemResponses(400, 401, 403, 404) } },
    },
    async (request) => updateSignal(em(), principalOf(request).officeId, request.params.id, request.params.itemId, request.body),
  );

  app.delete(
    '/persons/:id/signals/:itemId',
    {
      config: { roles: adviser },
      schema: { tags, summary: 'Delete a signal', security, params: SubIdParamsSchema, response: { 204: Type.Null(), ...problemResponses(401, 403, 404) } },
    },
    async (request, reply) => {
      await deleteSignal(em(), principalOf(request).officeId, request.params.id, request.params.itemId);
      return reply.code(204).send(null);
    },
  );

  app.put(
    '/persons/:id/identification',
    {
      config: { roles: adviser },
      schema: {
        tags,
        summary: 'Record how the identity was checked (klantidentificatie); checked by = the calling credential; the document number is answered masked',
        security,
        params: IdParamsSchema,
        body: IdentificationInputSchema,
        response: { 200: IdentificationSchema, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => putIdentification(em(), principalOf(request), request.params.id, request.body),
  );

  app.post(
    '/persons/:id/dossiers',
    {
      config: { roles: adviser },
      schema: {
        tags,
        summary: 'New dossier with this person as applicant 1 (optionally a partner as applicant 2)',
        security,
        params: IdParamsSchema,
        body: PersonDossierInputSchema,
        response: { 201: ref(DossierSchema), ...problemResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const dossier = await createDossierForPerson(em(), principalOf(request), request.params.id, request.body.partnerPersonId);
      return reply.code(201).header('location', `/dossiers/${dossier.id}`).send(dossier);
    },
  );

  app.get(
    '/dossiers/:id/crm-highlights',
    {
      config: { roles: adviser },
      schema: {
        tags,
        summary: "What the dossier shows of its applicants' CRM cards: indicators and notes flagged show-in-dossier",
        security,
        params: IdParamsSchema,
        response: { 200: DossierHighlightsSchema, ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => ({ applicants: await dossierHighlights(em(), principalOf(request).officeId, request.params.id) }),
  );

  // ---- work queue --------------------------------------------------------------------------

  app.get(
    '/work-queue',
    {
      config: { roles: adviser },
      schema: {
        tags: ['work'],
        summary: 'The work queue: open tasks and due CRM signals (werkvoorraad | CRM), by due date',
        security,
        querystring: WorkQueueQuerySchema,
        response: { 200: WorkQueueSchema, ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const limit = request.query.limit ?? 50;
      const offset = request.query.offset ?? 0;
      const found = await workQueue(em(), principalOf(request).officeId, { ...request.query, limit, offset });
      return { ...found, limit, offset };
    },
  );
};

export default crmRoutes;
