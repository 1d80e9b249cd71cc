/** A client's credit balance (*tegoed*): read it, refund it, offset it against another invoice of the dossier. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { getClientCredit, offsetClientCredit, refundClientCredit } from '../../../services/billing/client-credits.js';
import {
  ClientCreditMovementResultSchema,
  ClientCreditOffsetSchema,
  ClientCreditRefundSchema,
  ClientCreditSchema,
} from '../../../services/billing/schemas.js';
import { IdParamsSchema, problemResponses, ref } from '../../../services/shared/schemas.js';
import { principalOf } from '../../plugins/auth.js';

const roles = ['adviser'] as const;
const security = [{ bearer: [] }];

const clientCreditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/billing/client-credits/:id',
    {
      config: { roles },
      schema: {
        tags: ['billing'],
        summary: "A client's credit balance (per dossier) and its movements",
        description:
          'Money received beyond what an invoice owes is never absorbed: it becomes the client\'s credit, and the back office ' +
          'gets a task to refund it or offset it. `id` is the dossier id.',
        security,
        params: IdParamsSchema,
        response: { 200: ref(ClientCreditSchema), ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => getClientCredit(app.deps.orm.em.fork(), principalOf(request).officeId, request.params.id),
  );

  app.post(
    '/billing/client-credits/:id/refunds',
    {
      config: { roles },
      schema: {
        tags: ['billing'],
        summary: "Record that (part of) the client's credit was paid back",
        security,
        params: IdParamsSchema,
        body: ref(ClientCreditRefundSchema),
        response: { 201: ref(ClientCreditSchema), ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await refundClientCredit(app.deps.orm.em.fork(), principalOf(request), request.params.id, request.body)),
  );

  app.post(
    '/billing/client-credits/:id/offsets',
    {
      config: { roles },
      schema: {
        tags: ['billing'],
        summary: "Use (part of) the client's credit to pay another invoice of the dossier",
        description:
          "A payment line is booked on the invoice (at most its open amount) and the credit lowered, in one transaction; the invoice's " +
          'process is told like any booking (503: stored, not told yet; POST /billing/deliveries tells it later).',
        security,
        params: IdParamsSchema,
        body: ref(ClientCreditOffsetSchema),
        response: { 201: ClientCreditMovementResultSchema, ...problemResponses(400, 401, 403, 404, 409, 503) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await offsetClientCredit(app.deps.orm.em.fork(), app.deps.temporal, principalOf(request), request.params.id, request.body)),
  );
};

export default clientCreditRoutes;
