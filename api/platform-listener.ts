/**
 * The HDN API platform listener: its own HTTPS server on HDN_PLATFORM_PORT (absent = off), next
 * to the API. Parties authenticate with an HDN node certificate (mutual TLS): the TLS layer
 * refuses a certificate that is missing, expired or not from the configured CA before any HTTP
 * (logged here, nothing read or stored); the route then needs a node number in the certificate,
 * a registered party with that node, and an envelope whose sender is that node
 * (services/hdn/platform-inbound.ts). Answers are problem+json on errors, like the API.
 *
 *   POST /hdn/platform/messages   JSON envelope (integrations/hdn/platform/envelope.ts)
 *                                 202 the same answer as POST /hdn/messages
 *
 * unverified: the path. HDN's own platform API paths are not public; this is where the
 * simulated lender and our outbound client post, and an office can put a proxy in front.
 * The bearer-token XML route POST /hdn/messages on the API port stays the second way in.
 */
import type { TLSSocket } from 'node:tls';
import Fastify, { type FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { MikroORM } from '@mikro-orm/postgresql';
import problemPlugin, { problemFrameworkErrors } from './plugins/problem.js';
import { HttpProblem } from './problem.js';
import { XML_BODY_CEILINGS } from '../config/settings.js';
import { nodeOfCertificate } from '../integrations/hdn/platform/node-certificate.js';
import { receivePlatformInbound } from '../services/hdn/platform-inbound.js';
import { StageTimes } from '../services/hdn/stage-times.js';
import type { TemporalDeps } from '../integrations/temporal/connection.js';
import type { XmlParsePool, XsdFolderValidator } from '../integrations/xml/index.js';

export const PLATFORM_MESSAGES_PATH = '/hdn/platform/messages';

export interface PlatformListenerDeps {
  orm: MikroORM;
  temporal: TemporalDeps;
  /** Our HDN node number (HDN_NODE): the envelope's receiverCode must be it. */
  ourNode: string;
  /** The API's XML pool (the listener does not own it: the API closes it). */
  xmlPool: XmlParsePool;
  xsd?: XsdFolderValidator;
  /** Unverified HDN codes this office accepts as known (HDN_ENABLED_UNVERIFIED_CODES), as on the XML route. */
  enabledUnverifiedCodes?: Readonly<Record<string, readonly string[]>>;
  /** The largest XML an envelope may carry (default the lender ceiling, 20 MiB). */
  maxXmlBytes?: number;
  tls: { key: Buffer | string; cert: Buffer | string; ca: Buffer | string };
  logger?: boolean | object;
}

export function buildPlatformListener(deps: PlatformListenerDeps): FastifyInstance {
  const maxXmlBytes = deps.maxXmlBytes ?? XML_BODY_CEILINGS.lender;
  const app = Fastify({
    logger: deps.logger ?? false,
    genReqId: () => crypto.randomUUID(),
    requestIdHeader: false,
    // base64 is 4/3 of the XML, plus the envelope's few fields.
    bodyLimit: Math.ceil((maxXmlBytes * 4) / 3) + 64 * 1024,
    frameworkErrors: problemFrameworkErrors,
    https: {
      key: deps.tls.key,
      cert: deps.tls.cert,
      ca: deps.tls.ca,
      // The node certificate is the only credential: no certificate, no connection.
      requestCert: true,
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2',
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Refused during the handshake (no, expired, foreign or self-signed certificate): no HTTP
  // request exists, so this is the only trace. Logged with the reason, nothing else happens.
  app.server.on('tlsClientError', (err: Error & { code?: string }, socket: TLSSocket) => {
    // A certificate that fails verification is dropped by Node after the handshake: the error is
    // then a bare "socket hang up" and the verification's reason is on the socket.
    const verification = socket.authorizationError;
    app.log.warn(
      { reason: verification ? String(verification) : err.message, code: err.code, remote: socket.remoteAddress },
      'HDN platform: client certificate refused',
    );
  });
  app.register(problemPlugin);

  app.post(PLATFORM_MESSAGES_PATH, async (request, reply) => {
    const socket = request.raw.socket as TLSSocket;
    // rejectUnauthorized already refused unverified peers; checked again so a change of the
    // TLS options can never let one through.
    if (!socket.authorized) throw new HttpProblem(401, 'hdn-platform-certificate', `Client certificate not verified: ${String(socket.authorizationError)}`);
    const node = nodeOfCertificate(socket.getPeerCertificate());
    if (!node) {
      request.log.warn({ subject: socket.getPeerCertificate().subject }, 'HDN platform: certificate without a node number refused');
      throw new HttpProblem(403, 'hdn-platform-certificate', 'The client certificate names no HDN node number (subject CN)');
    }
    const times = new StageTimes();
    try {
      const answer = await receivePlatformInbound(
        { em: deps.orm.em.fork(), temporal: deps.temporal, ourNode: deps.ourNode, times, xmlPool: deps.xmlPool, maxXmlBytes, ...(deps.xsd ? { xsd: deps.xsd } : {}),
          ...(deps.enabledUnverifiedCodes ? { enabledUnverifiedCodes: deps.enabledUnverifiedCodes } : {}) },
        node,
        request.body,
      );
      return await reply.code(202).header('server-timing', times.header()).send(answer);
    } catch (err) {
      request.log.warn({ node, err: err instanceof Error ? err.message : String(err) }, 'HDN platform: message refused');
      throw err;
    }
  });
  return app;
}
