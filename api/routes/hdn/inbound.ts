/**
 * POST /hdn/messages, in its own encapsulated context: it takes XML only (the JSON parser is
 * removed here, so a JSON body is a 415), up to 20 MiB.
 */
import { defaultHdnParseLimits } from '../../../integrations/hdn/codec.js';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { receiveInbound } from '../../../services/hdn/inbound.js';
import { StageTimes } from '../../../services/hdn/stage-times.js';
import { principalOf } from '../../plugins/auth.js';
import { acceptXmlBodies, enforcePartyBodyLimit, xmlBodyOf, xmlBodyValidator } from '../../plugins/xml-body.js';
import { problemResponses, ref } from '../../../services/shared/schemas.js';
import { HdnInboundAnswerSchema, HdnXmlBodySchema } from '../../../services/hdn/schemas.js';

/** An OX carries its PDFs inline (base64): 20 MiB fits one, a 30 MB body does not. */
export const HDN_BODY_LIMIT = 20 * 1024 * 1024;

/** The settings default of HDN_NODE, for apps built without `deps.hdn`. */
const DEFAULT_NODE = 'DFL001';

const inboundRoutes: FastifyPluginAsyncTypebox = async (app) => {
  acceptXmlBodies(app, HDN_BODY_LIMIT, defaultHdnParseLimits);
  const { bodyLimits } = app.deps.xml;
  enforcePartyBodyLimit(app, (principal) =>
    principal?.role === 'advice_software'
      ? { bytes: bodyLimits.adviceSoftware, setting: 'XML_BODY_LIMIT_ADVICE_SOFTWARE', what: 'an HDN message from advice software' }
      : { bytes: bodyLimits.lender, setting: 'XML_BODY_LIMIT_LENDER', what: 'an HDN message from a lender' },
  );

  app.post(
    '/hdn/messages',
    {
      bodyLimit: HDN_BODY_LIMIT,
      ...xmlBodyValidator,
      config: { roles: ['advice_software', 'lender'] },
      schema: {
        tags: ['hdn'],
        summary: 'Receive an HDN message: AX from advice software; SX, OX, DA from a lender',
        description:
          'The message is checked (well-formed, no DOCTYPE/entities, known HDN shape, type allowed for the party, ' +
          "VerzenderNrHDN = the credential's HDN node, OntvangerNrHDN = ours), stored once under its identity, and " +
          'acknowledged with 202. An AX waits in the inbox (received). A lender message is delivered to the product ' +
          'of its application (delivered), or parked with a reason when no product has that application. Sending the ' +
          'same message again answers the first answer with `duplicate: true` and has no new effect (a message that ' +
          'could not be delivered yet is delivered again). 503: the message is stored but the process engine did ' +
          'not answer; resend it later.',
        security: [{ bearer: [] }],
        consumes: ['application/xml', 'text/xml'],
        body: HdnXmlBodySchema,
        response: { 202: ref(HdnInboundAnswerSchema), ...problemResponses(400, 401, 403, 409, 413, 415, 503) },
      },
    },
    async (request, reply) => {
      // Stage times from here on; reading the request and authentication are what the client
      // measures beyond their sum.
      const times = new StageTimes();
      const answer = await receiveInbound(
        { em: app.deps.orm.em.fork(), temporal: app.deps.temporal, ourNode: app.deps.hdn?.node ?? DEFAULT_NODE, times, xmlPool: app.deps.xml.pool, xsd: app.deps.xml.xsd?.hdn,
          ...(app.deps.hdn?.enabledUnverifiedCodes ? { enabledUnverifiedCodes: app.deps.hdn.enabledUnverifiedCodes } : {}) },
        principalOf(request),
        xmlBodyOf(request),
      );
      return reply.code(202).header('server-timing', times.header()).send(answer);
    },
  );
};

export default inboundRoutes;
