/**
 * Ockto: an adviser starts a data retrieval for a person, reads it (answers to the four
 * questions, the derived and current risk class, history) and may deviate with a motivation;
 * Ockto posts its callbacks with the office's 'ockto' party credential.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { receiveCallback } from '../../../services/ockto/callbacks.js';
import { changeRiskClass, getRetrieval, personRisk, setPersonRiskClass, startRetrieval } from '../../../services/ockto/retrievals.js';
import { principalOf } from '../../plugins/auth.js';
import { IdParamsSchema, problemResponses, ref } from '../../../services/shared/schemas.js';
import {
  OcktoCallbackAnswerSchema,
  OcktoCallbackSchema,
  OcktoRetrievalCreateSchema,
  OcktoRetrievalSchema,
  PersonRiskClassSetSchema,
  PersonRiskSchema,
  RiskClassChangeSchema,
} from '../../../services/ockto/schemas.js';

const security = [{ bearer: [] }];
const adviser = ['adviser'] as const;

const ocktoRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/persons/:id/ockto-retrievals',
    {
      config: { roles: adviser },
      schema: {
        tags: ['ockto'],
        summary: 'Start an Ockto data retrieval for a person',
        description:
          'Stores the retrieval and starts its process (`ockto:<id>`), which creates the Ockto session: read `session.url` ' +
          '(link/QR for the client) from GET /ockto/retrievals/{id} once present. The process reminds the client, ends ' +
          "'expired' after the timeout, derives the risk class when the data arrives and deletes the raw data after the retention. " +
          '503: the process engine did not answer and nothing was stored.',
        security,
        params: IdParamsSchema,
        body: ref(OcktoRetrievalCreateSchema),
        response: { 202: ref(OcktoRetrievalSchema), ...problemResponses(400, 401, 403, 404, 503) },
      },
    },
    async (request, reply) => {
      const view = await startRetrieval(app.deps.orm.em.fork(), app.deps.temporal, principalOf(request), request.params.id, request.body);
      return reply.code(202).header('location', `/ockto/retrievals/${view.id}`).send(view);
    },
  );

  app.get(
    '/persons/:id/risk-classification',
    {
      config: { roles: adviser },
      schema: {
        tags: ['ockto'],
        summary: "A person's risk class (*risicoclassificatie*), its full history and the retrievals",
        security,
        params: IdParamsSchema,
        response: { 200: ref(PersonRiskSchema), ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => personRisk(app.deps.orm.em.fork(), principalOf(request).officeId, request.params.id),
  );

  app.get(
    '/persons/:id/risk-class',
    {
      config: { roles: adviser },
      schema: {
        tags: ['ockto'],
        summary: "A person's current risk class and its full history (source, Ockto or manual, who, when, motivation)",
        description: 'The same answer as GET /persons/{id}/risk-classification, next to the PUT that sets the class by hand.',
        security,
        params: IdParamsSchema,
        response: { 200: ref(PersonRiskSchema), ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => personRisk(app.deps.orm.em.fork(), principalOf(request).officeId, request.params.id),
  );

  app.put(
    '/persons/:id/risk-class',
    {
      config: { roles: adviser },
      schema: {
        tags: ['ockto'],
        summary: 'Set a person\'s risk class by hand with a motivation (*handmatige risicoclassificatie*), with or without an Ockto retrieval',
        description:
          "A history record with source 'manual' (who, when, from, to, motivation) that becomes the person's current class. " +
          'The motivation is trimmed and must keep at least 10 characters. 400 names the field; 404 for a person of another office.',
        security,
        params: IdParamsSchema,
        body: ref(PersonRiskClassSetSchema),
        response: { 200: ref(PersonRiskSchema), ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => setPersonRiskClass(app.deps.orm.em.fork(), principalOf(request), request.params.id, request.body),
  );

  app.get(
    '/ockto/retrievals/:id',
    {
      config: { roles: adviser },
      schema: {
        tags: ['ockto'],
        summary: 'An Ockto retrieval: status, link, the four questions with their answers, the class and its history',
        security,
        params: IdParamsSchema,
        response: { 200: ref(OcktoRetrievalSchema), ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => getRetrieval(app.deps.orm.em.fork(), principalOf(request).officeId, request.params.id),
  );

  app.put(
    '/ockto/retrievals/:id/risk-class',
    {
      config: { roles: adviser },
      schema: {
        tags: ['ockto'],
        summary: 'Deviate from the risk class with a motivation (a history record: who, when, from, to, motivation)',
        security,
        params: IdParamsSchema,
        body: ref(RiskClassChangeSchema),
        response: { 200: ref(OcktoRetrievalSchema), ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => changeRiskClass(app.deps.orm.em.fork(), principalOf(request), request.params.id, request.body),
  );

  app.post(
    '/ockto/callbacks',
    {
      config: { roles: ['ockto'] },
      schema: {
        tags: ['ockto'],
        summary: 'Ockto reports a session result (party credential ockto)',
        description:
          'Stored first (unique on eventId, in one transaction with the shared data), then acknowledged, then the process is told. ' +
          '202 accepted; 200 duplicate (the same event again) or ignored (the retrieval ended already); 400 invalid payload ' +
          '(nothing stored); 404 unknown session (parked); 409 an event id reused for another session or status.',
        security,
        body: ref(OcktoCallbackSchema),
        response: { 200: OcktoCallbackAnswerSchema, 202: OcktoCallbackAnswerSchema, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const { code, answer } = await receiveCallback(app.deps.orm.em.fork(), app.deps.temporal, principalOf(request), request.body, (msg) =>
        request.log.warn(msg),
      );
      return reply.code(code).send(answer);
    },
  );
};

export default ocktoRoutes;
