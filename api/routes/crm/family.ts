/**
 * Family data on the person card (*gezin*, issue 19 deliverable 6): the family part of the card,
 * partnerships (current, ex, ended by death) and child records. Gender, marital status and date
 * of death are edited with PATCH /persons/:id like every person field. Adviser work.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { principalOf } from '../../plugins/auth.js';
import { addChild, addPartnership, deleteChild, deletePartnership, getFamily, updateChild, updatePartnership } from '../../../services/crm/family.js';
import { ChildInputSchema, ChildSchema, FamilySchema, PartnershipInputSchema, PartnershipSchema, PartnershipUpdateSchema } from '../../../services/crm/family.schemas.js';
import { SubIdParamsSchema } from '../../../services/crm/card.schemas.js';
import { IdParamsSchema, problemResponses } from '../../../services/shared/schemas.js';

const adviser = ['adviser'] as const;
const tags = ['crm'];
const security = [{ bearer: [] }];

const familyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const em = () => app.deps.orm.em.fork();

  app.get(
    '/persons/:id/family',
    {
      config: { roles: adviser },
      schema: {
        tags,
        summary: 'Family (gezin): gender, marital status, date of death, current partner, ex-partners and children',
        security,
        params: IdParamsSchema,
        response: { 200: FamilySchema, ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => getFamily(em(), principalOf(request).officeId, request.params.id),
  );

  app.post(
    '/persons/:id/partnerships',
    {
      config: { roles: adviser },
      schema: {
        tags,
        summary: 'Record a partnership with another person of the office (one current partner at a time; ended by death records the date of death on the deceased)',
        security,
        params: IdParamsSchema,
        body: PartnershipInputSchema,
        response: { 201: PartnershipSchema, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await addPartnership(em(), principalOf(request), request.params.id, request.body)),
  );

  app.put(
    '/persons/:id/partnerships/:itemId',
    {
      config: { roles: adviser },
      schema: {
        tags,
        summary: 'Change a partnership as a whole, e.g. end it (divorce, separation, death)',
        security,
        params: SubIdParamsSchema,
        body: PartnershipUpdateSchema,
        response: { 200: PartnershipSchema, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => updatePartnership(em(), principalOf(request), request.params.id, request.params.itemId, request.body),
  );

  app.delete(
    '/persons/:id/partnerships/:itemId',
    {
      config: { roles: adviser },
      schema: { tags, summary: 'Remove a partnership recorded by mistake', security, params: SubIdParamsSchema, response: { 204: Type.Null(), ...problemResponses(401, 403, 404) } },
    },
    async (request, reply) => {
      await deletePartnership(em(), principalOf(request), request.params.id, request.params.itemId);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/persons/:id/children',
    {
      config: { roles: adviser },
      schema: {
        tags,
        summary: 'Record a child (kind) of the person: name and birth date',
        security,
        params: IdParamsSchema,
        body: ChildInputSchema,
        response: { 201: ChildSchema, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await addChild(em(), principalOf(request), request.params.id, request.body)),
  );

  app.put(
    '/persons/:id/children/:itemId',
    {
      config: { roles: adviser },
      schema: {
        tags,
        summary: 'Change a child record as a whole',
        security,
        params: SubIdParamsSchema,
        body: ChildInputSchema,
        response: { 200: ChildSchema, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => updateChild(em(), principalOf(request), request.params.id, request.params.itemId, request.body),
  );

  app.delete(
    '/persons/:id/children/:itemId',
    {
      config: { roles: adviser },
      schema: { tags, summary: 'Remove a child record', security, params: SubIdParamsSchema, response: { 204: Type.Null(), ...problemResponses(401, 403, 404) } },
    },
    async (request, reply) => {
      await deleteChild(em(), principalOf(request), request.params.id, request.params.itemId);
      return reply.code(204).send(null);
    },
  );
};

export default familyRoutes;
