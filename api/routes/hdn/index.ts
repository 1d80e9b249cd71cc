/**
 * HDN: messages from advice software and lenders (XML in), the adviser's inbox, converting an
 * AX into a mortgage product, routing a parked lender message by hand, and a product's HDN
 * messages and lender checklist.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyError } from 'fastify';
import { convertApplication } from '../../../services/hdn/convert.js';
import { routeByHand } from '../../../services/hdn/manual-route.js';
import { getMessageDetail, listDocumentLines, listInbox, listProductMessages } from '../../../services/hdn/views.js';
import { HttpProblem } from '../../problem.js';
import { principalOf } from '../../plugins/auth.js';
import { IdParamsSchema, problemResponses, ref } from '../../../services/shared/schemas.js';
import {
  HdnConvertRequestSchema,
  HdnConvertResultSchema,
  HdnDocumentLinesSchema,
  HdnInboxQuerySchema,
  HdnInboxSchema,
  HdnMessageDetailSchema,
  HdnRouteRequestSchema,
  HdnInboundAnswerSchema,
  ProductHdnMessagesQuerySchema,
  ProductHdnMessagesSchema,
} from '../../../services/hdn/schemas.js';
import inboundRoutes, { HDN_BODY_LIMIT } from './inbound.js';

const adviser = ['adviser'] as const;
const security = [{ bearer: [] }];

const hdnRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // Body-parsing failures of these routes get a readable detail; rethrown as HttpProblem,
  // they still reach the app's problem plugin, which writes every problem+json answer.
  app.setErrorHandler((error: FastifyError) => {
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      throw new HttpProblem(
        413,
        'body-too-large',
        `Request body is too large: an HDN message may be at most ${HDN_BODY_LIMIT / (1024 * 1024)} MiB (${HDN_BODY_LIMIT} bytes); nothing was stored`,
      );
    }
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      throw new HttpProblem(415, 'unsupported-media-type', `${error.message}; send the HDN message as application/xml or text/xml`);
    }
    throw error;
  });

  await app.register(inboundRoutes);

  app.get(
    '/hdn/inbox',
    {
      config: { roles: adviser },
      schema: {
        tags: ['hdn'],
        summary: 'Inbound HDN messages of the office, newest first (default: received and parked)',
        security,
        querystring: HdnInboxQuerySchema,
        response: { 200: HdnInboxSchema, ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const { officeId } = principalOf(request);
      const q = request.query;
      return listInbox(app.deps.orm.em.fork(), officeId, {
        states: q.state,
        types: q.type,
        limit: q.limit ?? 50,
        offset: q.offset ?? 0,
      });
    },
  );

  app.get(
    '/hdn/messages/:id',
    {
      config: { roles: adviser },
      schema: {
        tags: ['hdn'],
        summary: 'One HDN message with its raw XML (and, for an AX, the parsed application)',
        security,
        params: IdParamsSchema,
        response: { 200: ref(HdnMessageDetailSchema), ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => getMessageDetail(app.deps.orm.em.fork(), principalOf(request).officeId, request.params.id),
  );

  app.post(
    '/hdn/messages/:id/convert',
    {
      config: { roles: adviser },
      schema: {
        tags: ['hdn'],
        summary: 'Turn a received AX into a mortgage product (persons, dossier, product, parts); idempotent',
        description:
          'Each applicant is matched to a person of the office (same birth date, last and first name; else same ' +
          'e-mail), whose missing e-mail, phone or address is filled in; unmatched applicants become new persons. ' +
          'The product goes into `dossierId` when given (its applicants must include these persons, else 409), else ' +
          'into a dossier with exactly these applicants, else into a new dossier. Converting again answers the same ' +
          'product with 200. A newer AX version of an application that is already a product is linked to that ' +
          'product (no second product) and becomes the application version. An applicant whose name, contact data ' +
          'or address holds a control character or bidi override, or whose birth date lies outside 1900-01-01 to ' +
          '2200-12-31, is refused with 422 naming the field (`/applicants/<position>/<field>`); nothing is made.',
        security,
        params: IdParamsSchema,
        body: ref(HdnConvertRequestSchema),
        response: {
          200: ref(HdnConvertResultSchema),
          201: ref(HdnConvertResultSchema),
          ...problemResponses(400, 401, 403, 404, 409, 422, 503),
        },
      },
      preValidation: async (request) => {
        if (request.body === undefined || request.body === null) request.body = {};
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const { result, created } = await convertApplication(
        app.deps.orm.em.fork(),
        app.deps.temporal,
        principal,
        request.params.id,
        request.body,
      );
      if (created) reply.header('location', `/products/${result.productId}`);
      return reply.code(created ? 201 : 200).send(result);
    },
  );

  app.post(
    '/hdn/messages/:id/route',
    {
      config: { roles: adviser },
      schema: {
        tags: ['hdn'],
        summary: 'Deliver a parked lender message to a mortgage product with the same HDN application',
        security,
        params: IdParamsSchema,
        body: ref(HdnRouteRequestSchema),
        response: { 200: ref(HdnInboundAnswerSchema), ...problemResponses(400, 401, 403, 404, 409, 503) },
      },
    },
    async (request) =>
      routeByHand(app.deps.orm.em.fork(), app.deps.temporal, principalOf(request), request.params.id, request.body.productId, app.deps.hdn?.enabledUnverifiedCodes),
  );

  app.get(
    '/products/:id/hdn-messages',
    {
      config: { roles: adviser },
      schema: {
        tags: ['hdn'],
        summary: "The product's HDN messages, in and out, oldest first",
        security,
        params: IdParamsSchema,
        querystring: ProductHdnMessagesQuerySchema,
        response: { 200: ProductHdnMessagesSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { officeId } = principalOf(request);
      const items = await listProductMessages(app.deps.orm.em.fork(), officeId, request.params.id, request.query.includeXml === true);
      return { items };
    },
  );

  app.get(
    '/products/:id/document-lines',
    {
      config: { roles: adviser },
      schema: {
        tags: ['hdn'],
        summary: "The lender's document checklist (stukkenlijst) of a mortgage product, from its DA messages",
        security,
        params: IdParamsSchema,
        response: { 200: HdnDocumentLinesSchema, ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const { officeId } = principalOf(request);
      return { items: await listDocumentLines(app.deps.orm.em.fork(), officeId, request.params.id) };
    },
  );
};

export default hdnRoutes;
