/** Contracts: periodic costs of a product, invoiced by the workflow `contract:<id>`. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { createContract, getContract, listContracts, patchContract } from '../../../services/billing/contracts.js';
import { principalOf } from '../../plugins/auth.js';
import { ContractCreateSchema, ContractListQuerySchema, ContractListSchema, ContractPatchSchema, ContractSchema } from '../../../services/billing/schemas.js';
import { IdParamsSchema, problemResponses, ref } from '../../../services/shared/schemas.js';

const roles = ['adviser'] as const;
const security = [{ bearer: [] }];

const contractRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/products/:id/contract',
    {
      config: { roles },
      schema: {
        tags: ['billing'],
        summary: "Give a product its contract (periodic costs); starts the contract's invoicing",
        description:
          'One contract per product. `paymentMethod: sepa` needs the signed mandate; its IBAN is checked. ' +
          '201: created and its invoicing process started. 409: the product has a contract already (change it with PATCH). ' +
          '503: the contract is stored but the process engine did not answer; repeat the same request: it then starts ' +
          'the stored contract\'s process and answers 200 with the stored contract (the body of the repeat is not applied).',
        security,
        params: IdParamsSchema,
        body: ref(ContractCreateSchema),
        response: { 200: ref(ContractSchema), 201: ref(ContractSchema), ...problemResponses(400, 401, 403, 404, 409, 503) },
      },
    },
    async (request, reply) => {
      const { contract, created } = await createContract(
        app.deps.orm.em.fork(),
        app.deps.temporal,
        principalOf(request),
        request.params.id,
        request.body,
      );
      return reply.code(created ? 201 : 200).header('location', `/contracts/${contract.id}`).send(contract);
    },
  );

  app.get(
    '/contracts',
    {
      config: { roles },
      schema: {
        tags: ['billing'],
        summary: "The office's contracts, optionally of one product",
        security,
        querystring: ContractListQuerySchema,
        response: { 200: ContractListSchema, ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const q = request.query;
      const items = await listContracts(app.deps.orm.em.fork(), principalOf(request).officeId, {
        productId: q.productId,
        limit: q.limit ?? 50,
        offset: q.offset ?? 0,
      });
      return { items };
    },
  );

  app.get(
    '/contracts/:id',
    {
      config: { roles },
      schema: {
        tags: ['billing'],
        summary: 'A contract with its last and next invoice date and its mandate (IBAN masked)',
        security,
        params: IdParamsSchema,
        response: { 200: ref(ContractSchema), ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => getContract(app.deps.orm.em.fork(), principalOf(request).officeId, request.params.id),
  );

  app.patch(
    '/contracts/:id',
    {
      config: { roles },
      schema: {
        tags: ['billing'],
        summary: 'Change the amount (from the next period), the end date or the delivery of a contract',
        description:
          'A new amount never changes what was invoiced: it is stored as `pendingAmountCents` from `pendingFrom`, the ' +
          'first period start after today. `endDate: null` removes the end date. The invoicing process is told; 503 ' +
          'means the change is stored but the process was not told yet: repeat the request.',
        security,
        params: IdParamsSchema,
        body: ref(ContractPatchSchema),
        response: { 200: ref(ContractSchema), ...problemResponses(400, 401, 403, 404, 409, 503) },
      },
    },
    async (request) =>
      patchContract(app.deps.orm.em.fork(), app.deps.temporal, principalOf(request), request.params.id, request.body),
  );
};

export default contractRoutes;
