/**
 * Outbound HDN transport: posts one HDN XML message to the HDN gateway (or a lender's endpoint)
 * and classifies the answer, so callers (activities) only decide between "retry" and "give up":
 *
 * - 2xx                          -> resolved with status and body
 * - network error, timeout, 5xx, 429 -> HdnError GatewayUnavailable (retryable)
 * - other 4xx, 3xx               -> HdnError GatewayRejected (not retryable; the answer's text is in the message)
 *
 * Errors are HdnGatewayError (an HdnError with the HTTP `status` when there was an answer).
 *
 * Retrying is the caller's business (Temporal retries the activity); this module makes one attempt.
 */
import { HdnError, HdnErrorType, type HdnMessageType } from './types.js';

export interface HdnGatewayOptions {
  /** Endpoint that accepts HDN XML by POST, e.g. https://gateway.example/hdn. */
  url: string;
  /** Bearer token sent as `authorization: Bearer <token>`. */
  token: string;
  /** Whole-request timeout (connect, send, answer and body), default 30 s. */
  timeoutMs?: number;
}

export interface HdnGatewaySendOptions {
  /**
   * Sent as `idempotency-key`: the same AX may not be placed twice (REFERENCE: outbound sending
   * is idempotent on type, receiver, sender, version), so a retried send carries the same key.
   */
  idempotencyKey?: string;
  /** Cancels the request (e.g. on shutdown); the send then rejects with the signal's reason. */
  signal?: AbortSignal;
  /**
   * What the message is, for a transport that carries it next to the XML (the HDN API platform's
   * envelope, integrations/hdn/platform) and for choosing the transport by receiver. The XML
   * gateway ignores it; absent = read from the XML's own header where needed.
   */
  message?: HdnOutboundFacts;
}

/** The facts of a message a transport may need besides its XML (the platform envelope's fields). */
export interface HdnOutboundFacts {
  messageType: HdnMessageType;
  senderNode: string;
  receiverNode: string;
  applicationNumber: string;
  applicationVersion: string;
}

export interface HdnGatewayResponse {
  status: number;
  body: string;
}

export interface HdnGateway {
  send(xml: string, opts?: HdnGatewaySendOptions): Promise<HdnGatewayResponse>;
}

/** An HdnError from the gateway that also says which HTTP status it answered, when it answered. */
export class HdnGatewayError extends HdnError {
  readonly status?: number;
  constructor(type: HdnErrorType, message: string, options: { status?: number; cause?: unknown } = {}) {
    super(type, message, { cause: options.cause });
    this.name = 'HdnGatewayError';
    this.status = options.status;
  }
}

const DEFAULT_TIMEOUT_MS = 30_000;
/** Enough of an error answer to diagnose it, without copying a whole HTML error page into logs. */
const MAX_ANSWER_CHARS = 2_000;

export function createHdnGateway(opts: HdnGatewayOptions): HdnGateway {
  const url = parseEndpoint(opts.url);
  if (!opts.token || /\s/.test(opts.token)) {
    throw new TypeError('HDN gateway token must be a non-empty string without whitespace');
  }
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
    throw new TypeError(`HDN gateway timeoutMs must be a positive integer, got ${String(opts.timeoutMs)}`);
  }
  const target = url.href;

  return {
    async send(xml, sendOpts = {}) {
      const headers: Record<string, string> = {
        'content-type': 'application/xml; charset=utf-8',
        accept: 'application/xml, application/json;q=0.9, */*;q=0.8',
        authorization: `Bearer ${opts.token}`,
      };
      if (sendOpts.idempotencyKey !== undefined) headers['idempotency-key'] = sendOpts.idempotencyKey;

      let status: number;
      let statusText: string;
      let body: string;
      let location: string | null;
      try {
        const res = await fetch(target, {
          method: 'POST',
          headers,
          body: xml,
          // A redirected POST would silently turn into a GET: a misconfigured URL must be visible.
          redirect: 'manual',
          signal: sendOpts.signal ? AbortSignal.any([sendOpts.signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs),
        });
        status = res.status;
        statusText = res.statusText;
        location = res.headers.get('location');
        body = await res.text();
      } catch (err) {
        // Cancelled by the caller: not the gateway's fault, so not a (retryable) gateway error.
        if (sendOpts.signal?.aborted) throw sendOpts.signal.reason;
        throw new HdnGatewayError(HdnErrorType.GatewayUnavailable, `HDN gateway ${target} unreachable: ${describeFetchError(err, timeoutMs)}`, {
          cause: err,
        });
      }

      if (status >= 200 && status < 300) return { status, body };
      const answer = `${status}${statusText ? ` ${statusText}` : ''}${excerpt(body)}`;
      if (status >= 500 || status === 429) {
        throw new HdnGatewayError(HdnErrorType.GatewayUnavailable, `HDN gateway ${target} unavailable: ${answer}`, { status });
      }
      if (status >= 300 && status < 400) {
        throw new HdnGatewayError(
          HdnErrorType.GatewayRejected,
          `HDN gateway ${target} redirected to ${location ?? '(no location)'} (not followed): ${answer}`,
          { status },
        );
      }
      throw new HdnGatewayError(HdnErrorType.GatewayRejected, `HDN gateway ${target} rejected the message: ${answer}`, { status });
    },
  };
}

function parseEndpoint(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TypeError(`HDN gateway url is not a URL: ${JSON.stringify(raw)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`HDN gateway url must be http(s): ${raw}`);
  }
  return url;
}

function excerpt(body: string): string {
  const text = body.trim();
  if (!text) return '';
  return `: ${text.length > MAX_ANSWER_CHARS ? `${text.slice(0, MAX_ANSWER_CHARS)}…` : text}`;
}

function describeFetchError(err: unknown, timeoutMs: number): string {
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) return `no answer within ${timeoutMs} ms`;
  if (err instanceof Error) {
    // undici reports "fetch failed" and hides the useful part (ECONNREFUSED, ...) in the cause.
    const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
    return `${err.message}${cause}`;
  }
  return String(err);
}
