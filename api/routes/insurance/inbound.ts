/**
 * POST /risk/messages (the RISK webhook), in its own encapsulated context: SIVI AFD 1.0 XML
 * (application/xml, text/xml) or AFD 2.0 JSON (application/json; its exact shape is not public,
 * see integrations/risk/afd2-json.ts), up to 10 MiB, for a credential with role 'risk'. The
 * content type says which reader is used; a body in the other form is refused.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { defaultRiskParseLimits } from '../../../integrations/risk/codec.js';
import { receiveWebhook } from '../../../services/insurance/inbound.js';
import { principalOf } from '../../plugins/auth.js';
import { acceptXmlBodies, enforcePartyBodyLimit, xmlBodyValidator } from '../../plugins/xml-body.js';
import { problemResponses } from '../../../services/shared/schemas.js';
import { RiskInboundAnswerSchema, RiskWebhookBodySchema } from '../../../services/insurance/schemas.js';
import { riskMappingOf } from './mapping.js';

export const RISK_BODY_LIMIT = 10 * 1024 * 1024;

const inboundRoutes: FastifyPluginAsyncTypebox = async (app) => {
  acceptXmlBodies(app, RISK_BODY_LIMIT, defaultRiskParseLimits);
  // AFD 2.0 JSON: kept as bytes like XML (read by the RISK codec through the mapping, not by Fastify's JSON parser).
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: RISK_BODY_LIMIT }, (_request, body, done) => {
    done(null, new Uint8Array(body as Buffer));
  });
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
        summary: 'Receive a RISK message (SIVI AFD 1.0 XML or AFD 2.0 JSON): quote, final, mutation or cancellation',
        description:
          'The message is checked (well-formed, no DOCTYPE/entities, the AFD shape with its required labels, read through the ' +
          'RISK AFD mapping set by RISK_AFD_MAPPING), checked against RISK\'s AFD XSD when XSD_DIR_AFD is set (XML only; a ' +
          'failing message is stored and `parked` with the validator\'s words), stored once per AL_BERRFNR, and acknowledged ' +
          'with 202. It is delivered to the insurance product with its policy number (or the product of our quote reference, ' +
          'or a new product in the dossier of the matched person), or it waits in the RISK inbox until an adviser matches it. ' +
          'The same message again answers the first answer with `duplicate: true` and has no new effect. 503: stored, but the ' +
          'process engine did not answer; send it again later. AFD 2.0 JSON (application/json): shape unverified (not public).',
        security: [{ bearer: [] }],
        body: RiskWebhookBodySchema,
        response: { 202: RiskInboundAnswerSchema, ...problemResponses(400, 401, 403, 413, 415, 503) },
      },
    },
    async (request, reply) => {
      const body: unknown = request.body;
      if (!(body instanceof Uint8Array)) throw new TypeError('RISK route without its body parsers');
      const declared = /^application\/json\b/i.test(request.headers['content-type'] ?? '') ? 'json' : 'xml';
      const answer = await receiveWebhook(
        {
          em: app.deps.orm.em.fork(),
          temporal: app.deps.temporal,
          xmlPool: app.deps.xml.pool,
          mapping: riskMappingOf(app),
          ...(app.deps.xml.xsd?.afd ? { xsd: app.deps.xml.xsd.afd } : {}),
        },
        principalOf(request),
        body,
        declared,
      );
      return reply.code(202).send(answer);
    },
  );
};

export default inboundRoutes;
