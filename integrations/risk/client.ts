/**
 * The one transport to RISK (HTTP + JSON envelope, AFD XML inside): request a quote, and
 * fetch the events since a cursor (the polling fallback next to the webhook). Each call is one
 * attempt; Temporal (or the caller) retries. Answers are classified like the HDN gateway:
 *
 * - 2xx                               -> resolved
 * - network error, timeout, 5xx, 429  -> RiskError Unavailable (retryable)
 * - other 4xx, 3xx, an answer that is not the expected JSON -> RiskError Rejected (not retryable)
 */
import { RiskError, RiskErrorType } from './types.js';

export interface RiskClientOptions {
  /** Base URL of RISK's API, e.g. http://127.0.0.1:8094. */
  url: string;
  /** Bearer token of our office at RISK. */
  token: string;
  /** Whole-request timeout, default 30 s. */
  timeoutMs?: number;
}

/** What we ask RISK to quote. Personal data travels here (to RISK), never to Temporal. */
export interface RiskQuoteRequest {
  /** Our reference (the product id): RISK echoes it as AL_ADVREF; also the idempotency key. */
  reference: string;
  /** ADNBRA branch code. */
  branch: string;
  /** PORMAA insurer code, when the adviser chose one. */
  insurerCode?: string;
  /** YYYY-MM-DD */
  startDate: string;
  coverages: { code: string; description: string; insuredAmountCents?: number }[];
  relation: { relationNumber?: string; lastName: string; initials?: string; birthDate: string };
}

export interface RiskQuoteAnswer {
  /** RISK's quote number (PP_NUMMER of every later message about it). */
  quoteNumber: string;
}

export interface RiskEventPage {
  /** Each event's AFD XML and its cursor, oldest first. */
  events: { cursor: string; xml: string }[];
  /** Cursor to ask from next time (the last event's, or the one passed when nothing is new). */
  next: string;
}

export interface RiskClient {
  requestQuote(request: RiskQuoteRequest, opts?: { signal?: AbortSignal }): Promise<RiskQuoteAnswer>;
  eventsSince(cursor: string, opts?: { signal?: AbortSignal; limit?: number }): Promise<RiskEventPage>;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const MAX_ANSWER_CHARS = 2_000;

export function createRiskClient(opts: RiskClientOptions): RiskClient {
  let base: URL;
  try {
    base = new URL(opts.url);
  } catch {
    throw new TypeError(`RISK url is not a URL: ${JSON.stringify(opts.url)}`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new TypeError(`RISK url must be http(s): ${opts.url}`);
  if (!opts.token || /\s/.test(opts.token)) throw new TypeError('RISK token must be a non-empty string without whitespace');
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const root = base.href.endsWith('/') ? base.href : `${base.href}/`;

  const call = async (method: 'GET' | 'POST', path: string, body: unknown, headers: Record<string, string>, signal?: AbortSignal): Promise<unknown> => {
    const target = new URL(path, root).href;
    let status: number;
    let text: string;
    try {
      const res = await fetch(target, {
        method,
        headers: {
          accept: 'application/json',
          authorization: `Bearer ${opts.token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        redirect: 'manual',
        signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs),
      });
      status = res.status;
      text = await res.text();
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      throw new RiskError(RiskErrorType.Unavailable, `RISK ${target} unreachable: ${describe(err, timeoutMs)}`, { cause: err });
    }
    if (status >= 500 || status === 429) throw new RiskError(RiskErrorType.Unavailable, `RISK ${target} unavailable: ${status}${excerpt(text)}`, { status });
    if (status < 200 || status >= 300) throw new RiskError(RiskErrorType.Rejected, `RISK ${target} refused the request: ${status}${excerpt(text)}`, { status });
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new RiskError(RiskErrorType.Rejected, `RISK ${target} answered ${status} without JSON${excerpt(text)}`, { status });
    }
  };

  return {
    async requestQuote(request, callOpts = {}) {
      const answer = await call('POST', 'quotes', request, { 'idempotency-key': request.reference }, callOpts.signal);
      const quoteNumber = isRecord(answer) ? answer.quoteNumber : undefined;
      if (typeof quoteNumber !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/.test(quoteNumber)) {
        throw new RiskError(RiskErrorType.Rejected, 'RISK answered the quote request without a valid quoteNumber');
      }
      return { quoteNumber };
    },
    async eventsSince(cursor, callOpts = {}) {
      const q = new URLSearchParams({ since: cursor, ...(callOpts.limit ? { limit: String(callOpts.limit) } : {}) });
      const answer = await call('GET', `events?${q.toString()}`, undefined, {}, callOpts.signal);
      if (!isRecord(answer) || !Array.isArray(answer.events) || typeof answer.next !== 'string') {
        throw new RiskError(RiskErrorType.Rejected, 'RISK answered GET /events with an unexpected shape');
      }
      const events = answer.events.map((e, i) => {
        if (!isRecord(e) || typeof e.cursor !== 'string' || typeof e.xml !== 'string') {
          throw new RiskError(RiskErrorType.Rejected, `RISK event ${i} has no cursor/xml`);
        }
        return { cursor: e.cursor, xml: e.xml };
      });
      return { events, next: answer.next };
    },
  };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function excerpt(body: string): string {
  const t = body.trim();
  return t ? `: ${t.length > MAX_ANSWER_CHARS ? `${t.slice(0, MAX_ANSWER_CHARS)}…` : t}` : '';
}

function describe(err: unknown, timeoutMs: number): string {
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) return `no answer within ${timeoutMs} ms`;
  if (err instanceof Error) return `${err.message}${err.cause instanceof Error ? `: ${err.cause.message}` : ''}`;
  return String(err);
}
