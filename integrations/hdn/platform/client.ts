/**
 * Outbound HDN over the API platform: the XML goes in the JSON envelope (envelope.ts) by POST,
 * over mutual TLS with our node certificate. The same contract as the XML gateway (gateway.ts):
 * one attempt, 2xx delivered; network/TLS error, timeout, 5xx, 429 -> GatewayUnavailable
 * (retryable); other answers -> GatewayRejected. Callers pick the transport (router.ts).
 */
import https from 'node:https';
import { readHdnMessage } from '../read.js';
import { HdnGatewayError, type HdnGateway, type HdnGatewayResponse } from '../gateway.js';
import { HdnErrorType } from '../types.js';
import { encodePlatformEnvelope, PlatformEnvelopeError, type PlatformMessageFacts } from './envelope.js';

export interface HdnPlatformTls {
  /** Our node's private key and certificate (PEM). */
  key: Buffer | string;
  cert: Buffer | string;
  /** The CA(s) that sign the platform's server certificate (PEM). */
  ca: Buffer | string;
}

export interface HdnPlatformClientOptions {
  /** The platform's endpoint that takes envelopes by POST (https). */
  url: string;
  tls: HdnPlatformTls;
  /** Whole-request timeout, default 30 s. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const MAX_ANSWER_CHARS = 2_000;

/** The facts of a message when the caller did not give them: read from its own header. */
function factsFromXml(xml: string): PlatformMessageFacts {
  const { header } = readHdnMessage(xml);
  return {
    messageType: header.messageType,
    senderNode: header.senderNode,
    receiverNode: header.receiverNode,
    applicationNumber: header.applicationNumber,
    applicationVersion: header.applicationVersion,
  };
}

export function createHdnPlatformClient(opts: HdnPlatformClientOptions): HdnGateway {
  let url: URL;
  try {
    url = new URL(opts.url);
  } catch {
    throw new TypeError(`HDN platform url is not a URL: ${JSON.stringify(opts.url)}`);
  }
  // Mutual TLS is the platform's authentication: plain http would send no certificate at all.
  if (url.protocol !== 'https:') throw new TypeError(`HDN platform url must be https: ${opts.url}`);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // One agent: TLS sessions and connections are reused between messages.
  const agent = new https.Agent({ key: opts.tls.key, cert: opts.tls.cert, ca: opts.tls.ca, keepAlive: true, minVersion: 'TLSv1.2' });
  const target = url.href;

  return {
    async send(xml, sendOpts = {}): Promise<HdnGatewayResponse> {
      let body: string;
      try {
        body = JSON.stringify(encodePlatformEnvelope(sendOpts.message ?? factsFromXml(xml), xml));
      } catch (err) {
        if (err instanceof PlatformEnvelopeError) throw new HdnGatewayError(HdnErrorType.GatewayRejected, `Not sent over the HDN platform: ${err.message}`, { cause: err });
        throw err;
      }
      const headers: Record<string, string> = {
        'content-type': 'application/json; charset=utf-8',
        accept: 'application/json, application/problem+json;q=0.9',
        'content-length': String(Buffer.byteLength(body)),
      };
      if (sendOpts.idempotencyKey !== undefined) headers['idempotency-key'] = sendOpts.idempotencyKey;
      const signal = sendOpts.signal ? AbortSignal.any([sendOpts.signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs);

      let answer: { status: number; statusText: string; body: string };
      try {
        answer = await new Promise((resolve, reject) => {
          const req = https.request(target, { method: 'POST', headers, agent, signal }, (res) => {
            const chunks: Buffer[] = [];
            let size = 0;
            res.on('data', (c: Buffer) => {
              size += c.length;
              if (size <= 64 * 1024) chunks.push(c);
            });
            res.on('end', () => resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', body: Buffer.concat(chunks).toString('utf8') }));
            res.on('error', reject);
          });
          req.on('error', reject);
          req.end(body);
        });
      } catch (err) {
        if (sendOpts.signal?.aborted) throw sendOpts.signal.reason;
        const why = signal.aborted ? `no answer within ${timeoutMs} ms` : err instanceof Error ? err.message : String(err);
        throw new HdnGatewayError(HdnErrorType.GatewayUnavailable, `HDN platform ${target} unreachable: ${why}`, { cause: err });
      }

      const { status } = answer;
      if (status >= 200 && status < 300) return { status, body: answer.body };
      const text = answer.body.trim();
      const said = `${status}${answer.statusText ? ` ${answer.statusText}` : ''}${text ? `: ${text.length > MAX_ANSWER_CHARS ? `${text.slice(0, MAX_ANSWER_CHARS)}…` : text}` : ''}`;
      if (status >= 500 || status === 429) throw new HdnGatewayError(HdnErrorType.GatewayUnavailable, `HDN platform ${target} unavailable: ${said}`, { status });
      throw new HdnGatewayError(HdnErrorType.GatewayRejected, `HDN platform ${target} rejected the message: ${said}`, { status });
    },
  };
}
