/**
 * Organisations in the CRM (*organisaties*): CRUD with the KvK duplicate check and versioned
 * edits, search, contact persons, and links to dossiers and products (*betrokken partijen*).
 * Thin: services/crm/organisations.ts decides.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { principalOf } from '../../plugins/auth.js';
import {
  addContact,
  addPartyLink,
  contactsOfOrganisation,
  createOrganisation,
  deleteOrganisation,
  editOrganisation,
  organisationETag,
  organisationsOfPerson,
  partiesOfDossier,
  partiesOfOrganisation,
  removeContact,
  removePartyLink,
  requireOrganisation,
  searchOrganisations,
  updateContact,
} from '../../../services/crm/organisations.js';
import {
  ContactInputSchema,
  ContactListSchema,
  ContactPatchSchema,
  ContactSchema,
  OrganisationInputSchema,
  OrganisationListSchema,
  OrganisationPatchSchema,
  OrganisationProblemSchema,
  OrganisationSchema,
  OrganisationSearchQuerySchema,
  PartyLinkInputSchema,
  PartyLinkListSchema,
  PartyLinkSchema,
} from '../../../services/crm/organisations.schemas.js';
import { IfMatchHeadersSchema } from '../../../services/crm/persons.schemas.js';
import { SubIdParamsSchema } from '../../../services/crm/card.schemas.js';
import { IdParamsSchema, problemResponse, problemResponses } from '../../../services/shared/schemas.js';

const adviser = ['adviser'] as const;
const admin = ['admin'] as const;
const tags = ['crm'];
const security = [{ bearer: [] }];

const organisationsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const em = () => app.deps.orm.em.fork();

  app.get(
    '/organisations',
    {
      config: { roles: adviser },
      schema: {
        tags,
        summary: 'Search organisations (organisaties) by name, KvK number or city, by kind; archived ones only with includeArchived; paged, by name',
        security,
        querystring: OrganisationSearchQuerySchema,
        response: { 200: OrganisationListSchema, ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const limit = request.query.limit ?? 50;
      const offset = request.query.offset ?? 0;
      const found = await searchOrganisations(em(), principalOf(request).officeId, { ...request.query, limit, offset });
      return { ...found, limit, offset };
    },
  );

  app.post(
    '/organisations',
    {
      config: { roles: adviser },
      schema: {
        tags,
        summary: 'Create an organisation; a KvK number already used in the office answers 409 possible-duplicate naming it (unless allowDuplicate)',
        description: 'The KvK number (8 digits) and vestigingsnummer (12 digits) are taken as typed and stored without spaces, dots or hyphens.',
        security,
        body: OrganisationInputSchema,
        response: { 201: OrganisationSchema, ...problemResponses(400, 401, 403), 409: problemResponse(OrganisationProblemSchema) },
      },
    },
    async (request, reply) => {
      const created = await createOrganisation(em(), principalOf(request), request.body);
      return reply.code(201).header('location', `/organisations/${created.id}`).header('etag', organisationETag(created)).send(created);
    },
  );

  app.get(
    '/organisations/:id',
    {
      config: { roles: adviser },
      schema: { tags, summary: 'An organisation of the office (ETag: its version)', security, params: IdParamsSchema, response: { 200: OrganisationSchema, ...problemResponses(401, 403, 404) } },
    },
    async (request, reply) => {
      const found = await requireOrganisation(em(), principalOf(request).officeId, request.params.id);
      return reply.header('etag', organisationETag(found)).send(found);
    },
  );

  app.patch(
    '/organisations/:id',
    {
      config: { roles: adviser },
      schema: {
        tags,
        summary: 'Edit an organisation (only the fields sent; null clears); archive it with archived: true',
        description:
          'Send the version the edit started from as `If-Match` (the ETag of GET) or `version`: when it changed since, 409 `edited-meanwhile` with ' +
          '`currentVersion`. A new KvK number used by another organisation of the office answers 409 `possible-duplicate` unless `allowDuplicate`.',
        security,
        params: IdParamsSchema,
        headers: IfMatchHeadersSchema,
        body: OrganisationPatchSchema,
        response: { 200: OrganisationSchema, ...problemResponses(400, 401, 403, 404), 409: problemResponse(OrganisationProblemSchema) },
      },
    },
    async (request, reply) => {
      const saved = await editOrganisation(em(), principalOf(request), request.params.id, request.body, request.headers['if-match']);
      return reply.header('etag', organisationETag(saved)).send(saved);
    },
  );

  app.delete(
    '/organisations/:id',
    {
      config: { roles: admin },
      schema: {
        tags,
        summary: 'Delete an organisation (admins) that has no contact persons and no dossier or product links; otherwise 409 organisation-still-linked: archive it instead',
        security,
        params: IdParamsSchema,
        response: { 204: Type.Null(), ...problemResponses(401, 403, 404), 409: problemResponse(OrganisationProblemSchema) },
      },
    },
    async (request, reply) => {
      await deleteOrganisation(em(), principalOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  // ---- contact persons ----------------------------------------------------------------------

  app.get(
    '/organisations/:id/contacts',
    {
      config: { roles: adviser },
      schema: { tags, summary: 'Contact persons of the organisation (current ones first)', security, params: IdParamsSchema, response: { 200: ContactListSchema, ...problemResponses(401, 403, 404) } },
    },
    async (request) => ({ items: await contactsOfOrganisation(em(), principalOf(request).officeId, request.params.id) }),
  );

  app.post(
    '/organisations/:id/contacts',
    {
      config: { roles: adviser },
      schema: {
        tags,
        summary: 'Link a CRM person as contact person (role, function title, start/end)',
        security,
        params: IdParamsSchema,
        body: ContactInputSchema,
        response: { 201: ContactSchema, ...problemResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => reply.code(201).send(await addContact(em(), principalOf(request), request.params.id, request.body)),
  );

  app.patch(
    '/organisations/:id/contacts/:itemId',
    {
      config: { roles: adviser },
      schema: {
        tags,
        summary: 'Change a contact person (role, function title, period; e.g. the end date when they leave)',
        security,
        params: SubIdParamsSchema,
        body: ContactPatchSchema,
        response: { 200: ContactSchema, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => updateContact(em(), principalOf(request).officeId, request.params.id, request.params.itemId, request.body),
  );

  app.delete(
    '/organisations/:id/contacts/:itemId',
    {
      config: { roles: adviser },
      schema: { tags, summary: 'Remove a contact person from the organisation (the person stays in the CRM)', security, params: SubIdParamsSchema, response: { 204: Type.Null(), ...problemResponses(401, 403, 404) } },
    },
    async (request, reply) => {
      await removeContact(em(), principalOf(request).officeId, request.params.id, request.params.itemId);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/persons/:id/organisations',
    {
      config: { roles: adviser },
      schema: { tags, summary: "The organisations the person is contact person of (the person card's Organisaties)", security, params: IdParamsSchema, response: { 200: ContactListSchema, ...problemResponses(401, 403, 404) } },
    },
    async (request) => ({ items: await organisationsOfPerson(em(), principalOf(request).officeId, request.params.id) }),
  );

  // ---- parties of dossiers and products -----------------------------------------------------

  app.get(
    '/organisations/:id/links',
    {
      config: { roles: adviser },
      schema: {
        tags,
        summary: "Dossiers and products the organisation is a party of: stored links and derived ones (a product's company is this lender or insurer)",
        security,
        params: IdParamsSchema,
        response: { 200: PartyLinkListSchema, ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => ({ items: await partiesOfOrganisation(em(), principalOf(request).officeId, request.params.id) }),
  );

  app.post(
    '/organisations/:id/links',
    {
      config: { roles: adviser },
      schema: {
        tags,
        summary: 'Link the organisation to a dossier or a product in a role (the notary of a purchase, the employer of an applicant)',
        description: "The lender or insurer of a product is the product's company and is derived, never stored: such a role on a product answers 422 role-derived-from-product.",
        security,
        params: IdParamsSchema,
        body: PartyLinkInputSchema,
        response: { 201: PartyLinkSchema, ...problemResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => reply.code(201).send(await addPartyLink(em(), principalOf(request), request.params.id, request.body)),
  );

  app.delete(
    '/organisations/:id/links/:itemId',
    {
      config: { roles: adviser },
      schema: { tags, summary: 'Remove a stored dossier or product link', security, params: SubIdParamsSchema, response: { 204: Type.Null(), ...problemResponses(401, 403, 404) } },
    },
    async (request, reply) => {
      await removePartyLink(em(), principalOf(request).officeId, request.params.id, request.params.itemId);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/dossiers/:id/parties',
    {
      config: { roles: adviser },
      schema: {
        tags,
        summary: 'Betrokken partijen: organisations linked to the dossier or its products, with the derived lender/insurer of its products',
        security,
        params: IdParamsSchema,
        response: { 200: PartyLinkListSchema, ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => ({ items: await partiesOfDossier(em(), principalOf(request).officeId, request.params.id) }),
  );
};

export default organisationsRoutes;
