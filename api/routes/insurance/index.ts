/**
 * RISK: the webhook (AFD XML or JSON in), the RISK inbox, matching a waiting message by hand, requesting a
 * quote for a dossier, the insurance view of a product, and the polling fallback.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyError } from 'fastify';
import { matchByHand } from '../../../services/insurance/inbound.js';
import { pollRiskOnce } from '../../../services/insurance/poll.js';
import { getInsuranceView, requestQuote } from '../../../services/insurance/quotes.js';
import { listInbox } from '../../../services/insurance/views.js';
import { riskMappingOf } from './mapping.js';
import { HttpProblem } from '../../problem.js';
import { principalOf } from '../../plugins/auth.js';
import { IdParamsSchema, problemResponses } from '../../../services/shared/schemas.js';
import {
  InsuranceQuoteCreatedSchema,
  InsuranceQuoteRequestSchema,
  InsuranceViewSchema,
  RiskInboundAnswerSchema,
  RiskInboxQuerySchema,
  RiskMatchRequestSchema,
  RiskMessageItemSchema,
  RiskPollResultSchema,
} from '../../../services/insurance/schemas.js';
import inboundRoutes, { RISK_BODY_LIMIT } from './inbound.js';

const adviser = ['adviser'] as const;
const security = [{ bearer: [] }];

const riskRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.setErrorHandler((error: FastifyError) => {
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      throw new HttpProblem(413, 'body-too-large', `A RISK message may be at most ${RISK_BODY_LIMIT} bytes; nothing was stored`);
    }
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      throw new HttpProblem(415, 'unsupported-media-type', `${error.message}; send the RISK message as application/xml or text/xml`);
    }
    throw error;
  });

  await app.register(inboundRoutes);

  app.get(
    '/risk/inbox',
    {
      config: { roles: adviser },
      schema: {
        tags: ['risk'],
        summary: 'The RISK inbox: stored RISK messages with the mapping notes, newest first (default: waiting for a match, parked (failed the AFD XSD) and not yet routed)',
        security,
        querystring: RiskInboxQuerySchema,
        response: { 200: Type.Array(RiskMessageItemSchema), ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => listInbox(app.deps.orm.em.fork(), principalOf(request).officeId, request.query.state, request.query.limit),
  );

  app.post(
    '/risk/messages/:id/match',
    {
      config: { roles: adviser },
      schema: {
        tags: ['risk'],
        summary: 'Complete the match of a waiting RISK message: its dossier (and person); the product is created or found and updated',
        security,
        params: IdParamsSchema,
        body: RiskMatchRequestSchema,
        response: { 200: RiskInboundAnswerSchema, ...problemResponses(400, 401, 403, 404, 409, 503) },
      },
    },
    async (request) =>
      matchByHand({ em: app.deps.orm.em.fork(), temporal: app.deps.temporal, mapping: riskMappingOf(app) }, principalOf(request), request.params.id, request.body),
  );

  app.post(
    '/dossiers/:id/insurance-quotes',
    {
      config: { roles: adviser },
      schema: {
        tags: ['risk'],
        summary: 'Request a non-life quote through RISK: creates one insurance product with the coverages as parts',
        security,
        params: IdParamsSchema,
        body: InsuranceQuoteRequestSchema,
        response: { 201: InsuranceQuoteCreatedSchema, ...problemResponses(400, 401, 403, 404, 409, 422, 503) },
      },
    },
    async (request, reply) => {
      const created = await requestQuote(app.deps.orm.em.fork(), app.deps.temporal, principalOf(request), request.params.id, request.body, request.log);
      return reply.code(201).send(created);
    },
  );

  app.get(
    '/products/:id/insurance',
    {
      config: { roles: adviser },
      schema: {
        tags: ['risk'],
        summary: "An insurance product's policy: RISK number, premium, start date and the history of applied RISK events",
        security,
        params: IdParamsSchema,
        response: { 200: InsuranceViewSchema, ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => getInsuranceView(app.deps.orm.em.fork(), principalOf(request).officeId, request.params.id),
  );

  app.post(
    '/risk/poll',
    {
      config: { roles: ['adviser', 'admin'] },
      schema: {
        tags: ['risk'],
        summary: "Polling fallback: fetch RISK's events since the office's cursor and process them like webhook messages",
        security,
        response: { 200: RiskPollResultSchema, ...problemResponses(401, 403, 502, 503) },
      },
    },
    async (request) =>
      pollRiskOnce(
        { em: app.deps.orm.em.fork(), temporal: app.deps.temporal, mapping: riskMappingOf(app), ...(app.deps.xml.xsd?.afd ? { xsd: app.deps.xml.xsd.afd } : {}) },
        app.deps.risk?.client,
        principalOf(request).officeId,
      ),
  );
};

export default riskRoutes;
