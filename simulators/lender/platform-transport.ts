/**
 * The simulated lender on the HDN API platform: it receives AX/DX in the platform's JSON envelope
 * over mutual TLS (its own HTTPS listener) and delivers its SX/OX/DA the same way, with its node
 * certificate. Written apart from the product's platform code (integrations/hdn/platform) on
 * purpose: its own envelope reader and writer, from the same public description, so a drift in
 * either side's field names fails the tests instead of agreeing with itself.
 *
 * Envelope (public: header.requestSchema.{messageType, receiverCode, requestVersion,
 * requestTraceNumber}; unverified, our choice: header.senderCode and payload {contentType,
 * encoding: base64, data}).
 *
 *   POST /hdn/platform/messages   envelope with an AX or DX; client certificate required
 *                                 (CN = the sender's node number, chained to the configured CA)
 */
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type http from 'node:http';
import { readPublicHeader } from './public-ax-reader.js';
import { HdnGatewayError, type HdnGateway } from '../../integrations/hdn/gateway.js';
import { HdnErrorType } from '../../integrations/hdn/types.js';
import { BodyTooLargeError, readBody, sendProblem } from './http.js';

export interface LenderPlatformTls {
  /** The lender's node key and certificate (CN = its node number), PEM. */
  key: Buffer | string;
  cert: Buffer | string;
  /** The CA that signs every node certificate on this (test) platform, PEM. */
  ca: Buffer | string;
}

export interface LenderPlatformOptions {
  /** Port of the lender's platform listener (0 = any free port). */
  port: number;
  tls: LenderPlatformTls;
  /** Where the lender posts its envelopes: the product's platform listener. */
  deliverUrl: string;
}

export const LENDER_PLATFORM_PATH = '/hdn/platform/messages';

interface Facts {
  messageType: string;
  senderCode: string;
  receiverCode: string;
  requestVersion: number;
  requestTraceNumber: string;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The lender's own envelope reader: the facts and the XML, or the reason it is not one. */
export function openEnvelope(body: unknown): { facts: Facts; xml: Buffer } | { problem: string } {
  if (!isRecord(body) || !isRecord(body.header) || !isRecord(body.header.requestSchema) || !isRecord(body.payload)) {
    return { problem: 'expected {header: {requestSchema: {...}, senderCode}, payload: {...}}' };
  }
  const rs = body.header.requestSchema;
  const { payload } = body;
  if (typeof rs.messageType !== 'string' || typeof rs.receiverCode !== 'string' || typeof rs.requestTraceNumber !== 'string') {
    return { problem: 'requestSchema needs messageType, receiverCode and requestTraceNumber as text' };
  }
  if (typeof rs.requestVersion !== 'number' || !Number.isInteger(rs.requestVersion) || rs.requestVersion < 1) return { problem: 'requestVersion must be a positive integer' };
  if (typeof body.header.senderCode !== 'string') return { problem: 'header.senderCode is missing' };
  if (payload.encoding !== 'base64' || payload.contentType !== 'application/xml' || typeof payload.data !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(payload.data)) {
    return { problem: 'payload must be {contentType: "application/xml", encoding: "base64", data}' };
  }
  return {
    facts: { messageType: rs.messageType, senderCode: body.header.senderCode, receiverCode: rs.receiverCode, requestVersion: rs.requestVersion, requestTraceNumber: rs.requestTraceNumber },
    xml: Buffer.from(payload.data, 'base64'),
  };
}

/** The lender's own envelope writer, from the facts of the message's header. */
export function wrapInEnvelope(xml: string): string {
  // Its own reader of the header it wrote (public shape), not our codec.
  const header = readPublicHeader(xml, { maxBytes: Number.MAX_SAFE_INTEGER });
  return JSON.stringify({
    header: {
      requestSchema: {
        messageType: header.messageType,
        receiverCode: header.receiverNode,
        requestVersion: Number(header.applicationVersion),
        requestTraceNumber: header.applicationNumber,
      },
      senderCode: header.senderNode,
    },
    payload: { contentType: 'application/xml', encoding: 'base64', data: Buffer.from(xml, 'utf8').toString('base64') },
  });
}

/**
 * The lender's platform listener. `handle` gets the XML of an accepted envelope and answers it
 * (the simulator's own AX/DX handling, as for its bearer-token endpoint).
 */
export async function startLenderPlatformListener(opts: {
  port: number;
  host: string;
  tls: LenderPlatformTls;
  nodeNumber: string;
  maxBodyBytes: number;
  handle: (xml: Buffer, res: http.ServerResponse) => Promise<void>;
  log: (line: string) => void;
}): Promise<{ url: string; stop: () => Promise<void> }> {
  const server = https.createServer({ key: opts.tls.key, cert: opts.tls.cert, ca: opts.tls.ca, requestCert: true, rejectUnauthorized: true, minVersion: 'TLSv1.2' });
  server.on('tlsClientError', (err, socket: TLSSocket) => opts.log(`platform: refused a client certificate: ${String(socket.authorizationError ?? err.message)}`));
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const receive = async (): Promise<void> => {
      const path = new URL(req.url ?? '/', 'https://lender').pathname;
      if (path !== LENDER_PLATFORM_PATH) {
        req.resume();
        return sendProblem(res, 404, 'Not found', `no ${path} here`);
      }
      if (req.method !== 'POST') {
        req.resume();
        return sendProblem(res, 405, 'Method not allowed', 'use POST', {}, { allow: 'POST' });
      }
      const cn = (req.socket as TLSSocket).getPeerCertificate().subject?.CN;
      const certNode = typeof cn === 'string' ? cn : '';
      let raw: Buffer;
      try {
        raw = await readBody(req, Math.ceil((opts.maxBodyBytes * 4) / 3) + 64 * 1024);
      } catch (err) {
        if (err instanceof BodyTooLargeError) return sendProblem(res, 413, 'Message too large', err.message);
        throw err;
      }
      let json: unknown;
      try {
        json = JSON.parse(raw.toString('utf8'));
      } catch {
        return sendProblem(res, 400, 'Invalid JSON', 'the body is not JSON');
      }
      const opened = openEnvelope(json);
      if ('problem' in opened) return sendProblem(res, 400, 'Not a platform envelope', opened.problem);
      if (opened.facts.senderCode !== certNode) {
        opts.log(`platform: envelope from ${opened.facts.senderCode} over the certificate of ${certNode || '(no node)'}: refused`);
        return sendProblem(res, 403, 'Sender is not the certificate', `senderCode ${opened.facts.senderCode} is not the certificate's node ${certNode || '(none)'}`);
      }
      if (opened.facts.receiverCode !== opts.nodeNumber) {
        return sendProblem(res, 400, 'Wrong receiver', `receiverCode ${opened.facts.receiverCode} is not this lender (${opts.nodeNumber})`);
      }
      return opts.handle(opened.xml, res);
    };
    receive().catch((err: unknown) => {
      opts.log(`platform: error on ${req.method ?? ''} ${req.url ?? ''}: ${err instanceof Error ? err.message : String(err)}`);
      if (!res.headersSent) sendProblem(res, 500, 'Internal error', err instanceof Error ? err.message : String(err));
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = opts.host === '0.0.0.0' || opts.host === '::' ? '127.0.0.1' : opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return {
    url: `https://${urlHost}:${port}${LENDER_PLATFORM_PATH}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * How the lender delivers over the platform: its own envelope by POST with its node certificate.
 * Same outcome classes as the XML gateway (the deliverer retries what is retryable).
 */
export function createLenderPlatformSender(opts: { url: string; tls: LenderPlatformTls; timeoutMs: number }): HdnGateway {
  const agent = new https.Agent({ key: opts.tls.key, cert: opts.tls.cert, ca: opts.tls.ca, keepAlive: true });
  return {
    async send(xml, sendOpts = {}) {
      const body = wrapInEnvelope(xml);
      const signal = sendOpts.signal ? AbortSignal.any([sendOpts.signal, AbortSignal.timeout(opts.timeoutMs)]) : AbortSignal.timeout(opts.timeoutMs);
      let answer: { status: number; body: string };
      try {
        answer = await new Promise((resolve, reject) => {
          const req = https.request(
            opts.url,
            { method: 'POST', agent, signal, headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } },
            (res) => {
              const chunks: Buffer[] = [];
              res.on('data', (c: Buffer) => chunks.push(c));
              res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8').slice(0, 2000) }));
              res.on('error', reject);
            },
          );
          req.on('error', reject);
          req.end(body);
        });
      } catch (err) {
        if (sendOpts.signal?.aborted) throw sendOpts.signal.reason;
        throw new HdnGatewayError(HdnErrorType.GatewayUnavailable, `platform ${opts.url} unreachable: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      }
      if (answer.status >= 200 && answer.status < 300) return answer;
      const type = answer.status >= 500 || answer.status === 429 ? HdnErrorType.GatewayUnavailable : HdnErrorType.GatewayRejected;
      throw new HdnGatewayError(type, `platform ${opts.url} answered ${answer.status}: ${answer.body}`, { status: answer.status });
    },
  };
}
