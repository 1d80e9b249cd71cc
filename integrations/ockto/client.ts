/**
 * The one transport to Ockto (our JSON adapter contract, see types.ts):
 *
 *   createSession(personRef) -> POST   {url}/sessions         { personRef, scenario? }   -> 201 { sessionId, url, qr? }
 *   getResult(sessionId)     -> GET    {url}/sessions/:id                                -> 200 { sessionId, status, data?, missing? }
 *
 * `personRef` is our retrieval id: Ockto learns who the person is from DigiD, never from us.
 * Answers are classified so activities only decide retry or give up:
 *   network error, timeout, 5xx, 429 -> OcktoError Unavailable (retryable)
 *   404 on a session                 -> UnknownSession;   other 4xx/3xx -> Rejected
 *   2xx that does not match the schema -> InvalidResponse
 * One attempt per call: retrying is Temporal's business.
 */
import { Value } from '@sinclair/typebox/value';
import type { TSchema, Static } from '@sinclair/typebox';
import { OcktoError, OcktoErrorType } from './errors.js';
import { OcktoResultSchema, OcktoSessionCreatedSchema, type OcktoResult, type OcktoSessionCreated } from './types.js';

export interface OcktoClientOptions {
  /** Base URL of the Ockto adapter (the simulated Ockto in development). */
  url: string;
  /** Bearer token of our Ockto account. */
  token: string;
  /** Whole-request timeout, default 15 s. */
  timeoutMs?: number;
}

export interface CreateSessionOptions {
  /** Sent as `idempotency-key`: a retried activity gets the same session, not a second one. */
  idempotencyKey: string;
  /** Simulator only: the scenario the simulated client follows (ignored by a real Ockto). */
  scenario?: string;
}

export interface OcktoClient {
  createSession(personRef: string, opts: CreateSessionOptions): Promise<OcktoSessionCreated>;
  getResult(sessionId: string): Promise<OcktoResult>;
}

const MAX_EXCERPT = 500;

export function createOcktoClient(opts: OcktoClientOptions): OcktoClient {
  let base: URL;
  try {
    base = new URL(opts.url.endsWith('/') ? opts.url : `${opts.url}/`);
  } catch {
    throw new TypeError(`Ockto url is not a URL: ${JSON.stringify(opts.url)}`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new TypeError(`Ockto url must be http(s): ${opts.url}`);
  if (!opts.token || /\s/.test(opts.token)) throw new TypeError('Ockto token must be a non-empty string without whitespace');
  const timeoutMs = opts.timeoutMs ?? 15_000;

  async function call<T extends TSchema>(method: 'GET' | 'POST', path: string, schema: T, body?: unknown, headers: Record<string, string> = {}): Promise<Static<T>> {
    const target = new URL(path, base).href;
    let res: Response;
    let text: string;
    try {
      res = await fetch(target, {
        method,
        headers: {
          accept: 'application/json',
          authorization: `Bearer ${opts.token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await res.text();
    } catch (err) {
      throw new OcktoError(OcktoErrorType.Unavailable, `Ockto ${method} ${target} unreachable: ${describe(err, timeoutMs)}`, { cause: err });
    }
    const answer = `${res.status}${text.trim() ? `: ${text.trim().slice(0, MAX_EXCERPT)}` : ''}`;
    if (res.status >= 500 || res.status === 429) throw new OcktoError(OcktoErrorType.Unavailable, `Ockto ${method} ${target} unavailable: ${answer}`, { status: res.status });
    if (res.status === 404 && path.startsWith('sessions/')) throw new OcktoError(OcktoErrorType.UnknownSession, `Ockto does not know ${path}: ${answer}`, { status: 404 });
    if (res.status < 200 || res.status >= 300) throw new OcktoError(OcktoErrorType.Rejected, `Ockto ${method} ${target} refused: ${answer}`, { status: res.status });
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new OcktoError(OcktoErrorType.InvalidResponse, `Ockto ${method} ${target} answered no JSON`, { status: res.status });
    }
    if (!Value.Check(schema, json)) {
      const first = [...Value.Errors(schema, json)].slice(0, 3).map((e) => `${e.path || '/'} ${e.message}`);
      throw new OcktoError(OcktoErrorType.InvalidResponse, `Ockto ${method} ${target} answered outside the contract: ${first.join('; ')}`, { status: res.status });
    }
    return json;
  }

  return {
    createSession: (personRef, sessionOpts) =>
      call('POST', 'sessions', OcktoSessionCreatedSchema, { personRef, ...(sessionOpts.scenario ? { scenario: sessionOpts.scenario } : {}) }, { 'idempotency-key': sessionOpts.idempotencyKey }),
    getResult: (sessionId) => {
      if (!/^[A-Za-z0-9_-]{6,80}$/.test(sessionId)) throw new OcktoError(OcktoErrorType.UnknownSession, `not an Ockto session id: ${JSON.stringify(sessionId)}`);
      return call('GET', `sessions/${sessionId}`, OcktoResultSchema);
    },
  };
}

function describe(err: unknown, timeoutMs: number): string {
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) return `no answer within ${timeoutMs} ms`;
  if (err instanceof Error) return `${err.message}${err.cause instanceof Error ? `: ${err.cause.message}` : ''}`;
  return String(err);
}
