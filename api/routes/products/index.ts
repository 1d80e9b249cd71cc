/** Products: create in a dossier (starts `product:<id>`), read, parts, and take process steps. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { principalOf } from '../../plugins/auth.js';
import { createProduct, getPartView, getProductView, takeStep } from '../../../services/products/products.js';
import { problems } from '../../problem.js';
import { IdParamsSchema, problemResponses, ref } from '../../../services/shared/schemas.js';
import {
  ProductCreateSchema,
  ProductPartParamsSchema,
  ProductPartSchema,
  ProductSchema,
  StepHeadersSchema,
  StepParamsSchema,
  StepRequestSchema,
  StepResultSchema,
} from '../../../services/products/schemas.js';

const roles = ['adviser'] as const;

const productsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/dossiers/:id/products',
    {
      config: { roles },
      schema: {
        tags: ['products'],
        summary: 'Create a product with its parts; starts its process (newest published definition for the type)',
        security: [{ bearer: [] }],
        description:
          'Send an `Idempotency-Key` header to make retries safe: a repeat with the same key answers 200 with the ' +
          'product the first attempt made (starting its process if that attempt stopped before), never a second product.',
        params: IdParamsSchema,
        headers: StepHeadersSchema,
        body: ref(ProductCreateSchema),
        response: { 200: ref(ProductSchema), 201: ref(ProductSchema), ...problemResponses(400, 401, 403, 404, 409, 422, 503) },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const em = app.deps.orm.em.fork();
      const { id, created } = await createProduct(
        em,
        app.deps.temporal,
        principal,
        request.params.id,
        request.body,
        request.log,
        request.headers['idempotency-key'],
      );
      const product = await getProductView(em.fork(), principal.officeId, id);
      if (!product) throw new Error(`product ${id} vanished right after it was created`);
      return reply.code(created ? 201 : 200).header('location', `/products/${id}`).send(product);
    },
  );

  app.get(
    '/products/:id',
    {
      config: { roles },
      schema: {
        tags: ['products'],
        summary: 'A product: status and category, parts, the steps available now (with inputs), history',
        security: [{ bearer: [] }],
        params: IdParamsSchema,
        response: { 200: ref(ProductSchema), ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const { officeId } = principalOf(request);
      const product = await getProductView(app.deps.orm.em.fork(), officeId, request.params.id);
      if (!product) throw problems.notFound('Product', request.params.id);
      return product;
    },
  );

  app.get(
    '/products/:id/parts/:partId',
    {
      config: { roles: ['adviser', 'lender'] },
      schema: {
        tags: ['products'],
        summary: 'The status of a part (rechterdeel)',
        security: [{ bearer: [] }],
        params: ProductPartParamsSchema,
        response: { 200: ref(ProductPartSchema), ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const { officeId } = principalOf(request);
      return getPartView(app.deps.orm.em.fork(), officeId, request.params.id, request.params.partId);
    },
  );

  app.post(
    '/products/:id/steps/:stepId',
    {
      config: { roles },
      schema: {
        tags: ['products'],
        summary: 'Take a process step (a Temporal Update with a validator)',
        description:
          'A step not allowed now, or with invalid input, answers 409 with the reason and changes nothing. ' +
          'Send an `Idempotency-Key` header to make retries safe: the same key returns the same outcome. ' +
          'Text inputs are stored in PostgreSQL; only their id travels to the process engine.',
        security: [{ bearer: [] }],
        params: StepParamsSchema,
        headers: StepHeadersSchema,
        body: ref(StepRequestSchema),
        response: { 200: StepResultSchema, ...problemResponses(400, 401, 403, 404, 409, 422, 503) },
      },
      // A step without inputs may be posted without a body.
      preValidation: async (request) => {
        if (request.body === undefined || request.body === null) request.body = {};
      },
    },
    async (request) => {
      const principal = principalOf(request);
      return takeStep(
        app.deps.orm.em.fork(),
        app.deps.temporal,
        principal,
        request.params.id,
        request.params.stepId,
        request.body?.input,
        request.headers['idempotency-key'],
      );
    },
  );
};

export default productsRoutes;
