/**
 * POST /risk/messages (the RISK webhook), in its own encapsulated context: XML only (a JSON
 * body is a 415), up to 10 MiB, for a credential with role 'risk'.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { defaultRiskParseLimits } from '../../../integrations/risk/codec.js';
import { receiveWebhook } from '../../../services/insurance/inbound.js';
import { principalOf } from '../../plugins/auth.js';
import { acceptXmlBodies, enforcePartyBodyLimit, xmlBodyOf, xmlBodyValidator } from '../../plugins/xml-body.js';
import { problemResponses } from '../../../services/shared/schemas.js';
import { RiskInboundAnswerSchema, RiskXmlBodySchema } from '../../../services/insurance/schemas.js';

export const RISK_BODY_LIMIT = 10 * 1024 * 1024;

const inboundRoutes: FastifyPluginAsyncTypebox = async (app) => {
  acceptXmlBodies(app, RISK_BODY_LIMIT, defaultRiskParseLimits);
  const { bodyLimits } = app.deps.xml;
  enforcePartyBodyLimit(app, () => ({ bytes: bodyLimits.risk, setting: 'XML_BODY_LIMIT_RISK', what: 'a RISK message' }));

  app.post(
    '/risk/messages',
    {
      bodyLimit: RISK_BODY_LIMIT,
      ...xmlBodyValidator,
      config: { roles: ['risk'] },
      schema: {
        tags: ['risk'],
        summary: 'Receive a RISK message (AFD 1.0 XML): quote, final, mutation or cancellation',
        description:
          'The message is checked (well-formed, no DOCTYPE/entities, the AFD shape with its required fields), stored once ' +
          'per AL_BERICHTID, and acknowledged with 202. It is delivered to the insurance product with its policy number ' +
          '(or the product of our quote reference AL_ADVREF, or a new product in the dossier of the matched person), or it ' +
          'waits in the RISK inbox until an adviser matches it. The same message again answers the first answer with ' +
          '`duplicate: true` and has no new effect. 503: stored, but the process engine did not answer; send it again later.',
        security: [{ bearer: [] }],
        consumes: ['application/xml', 'text/xml'],
        body: RiskXmlBodySchema,
        response: { 202: RiskInboundAnswerSchema, ...problemResponses(400, 401, 403, 413, 415, 503) },
      },
    },
    async (request, reply) => {
      const answer = await receiveWebhook(
        { em: app.deps.orm.em.fork(), temporal: app.deps.temporal, xmlPool: app.deps.xml.pool },
        principalOf(request),
        xmlBodyOf(request),
      );
      return reply.code(202).send(answer);
    },
  );
};

export default inboundRoutes;
