/**
 * The scenario's HTTP client: a client of the API that lives through outages. A request that
 * fails on the connection, or answers 5xx, is repeated with backoff until a deadline. The
 * caller learns whether an earlier attempt may have reached the API (`uncertain`), because a
 * repeated POST is only safe when the API makes it so (Idempotency-Key, dedup, "exists" answers).
 */
import { setTimeout as sleep } from 'node:timers/promises';

export interface Answer {
  status: number;
  // Response bodies are JSON of many shapes; the scenario reads them like a client would.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  /** True when an earlier attempt failed in a way that may have left its effect behind. */
  uncertain: boolean;
  attempts: number;
}

export interface RequestOptions {
  method?: string;
  token?: string;
  json?: unknown;
  xml?: string;
  headers?: Record<string, string>;
  /** Give up after this long (default 240 s). */
  deadlineMs?: number;
}

export interface RetryStats {
  requests: number;
  retried: number;
  connectionErrors: number;
  serverErrors: number;
  /** Writes repeated after an attempt that may have landed, by route (the cases that test idempotency). */
  uncertainRepeats: Record<string, number>;
}

export class ChaosHttp {
  readonly stats: RetryStats = { requests: 0, retried: 0, connectionErrors: 0, serverErrors: 0, uncertainRepeats: {} };

  constructor(
    private readonly baseUrl: string,
    private readonly defaultToken: string,
  ) {}

  async request(pathname: string, opts: RequestOptions = {}): Promise<Answer> {
    const method = opts.method ?? (opts.json !== undefined || opts.xml !== undefined ? 'POST' : 'GET');
    const deadline = Date.now() + (opts.deadlineMs ?? 240_000);
    const headers: Record<string, string> = { authorization: `Bearer ${opts.token ?? this.defaultToken}`, ...(opts.headers ?? {}) };
    let body: string | undefined;
    if (opts.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.json);
    } else if (opts.xml !== undefined) {
      headers['content-type'] = 'application/xml';
      body = opts.xml;
    }
    this.stats.requests += 1;
    let uncertain = false;
    let lastProblem = '';
    for (let attempt = 1; ; attempt++) {
      if (attempt > 1) this.stats.retried += 1;
      try {
        // A step waits up to 60 s for the process engine inside the API: allow a bit more.
        const res = await fetch(`${this.baseUrl}${pathname}`, { method, headers, body, signal: AbortSignal.timeout(75_000) });
        const text = await res.text();
        const contentType = res.headers.get('content-type') ?? '';
        const parsed: unknown = /json/.test(contentType) && text ? JSON.parse(text) : text;
        if (res.status >= 500) {
          this.stats.serverErrors += 1;
          // A 5xx may come after the effect (stored, then the engine did not answer).
          if (method !== 'GET') uncertain = true;
          lastProblem = `${res.status} ${text.slice(0, 300)}`;
        } else {
          if (uncertain) {
            const route = `${method} ${pathname.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, ':id').replace(/\?.*/, '')} -> ${res.status}`;
            this.stats.uncertainRepeats[route] = (this.stats.uncertainRepeats[route] ?? 0) + 1;
          }
          return { status: res.status, body: parsed, uncertain, attempts: attempt };
        }
      } catch (err) {
        this.stats.connectionErrors += 1;
        // Refused before sending: nothing reached the API; anything else may have.
        const refused = /ECONNREFUSED/.test(String((err as { cause?: unknown }).cause ?? err));
        if (!refused && method !== 'GET') uncertain = true;
        lastProblem = String((err as { cause?: unknown }).cause ?? err);
      }
      if (Date.now() > deadline) throw new Error(`${method} ${pathname}: no answer within the deadline after ${attempt} attempts; last: ${lastProblem}`);
      await sleep(Math.min(3_000, 150 * 2 ** Math.min(attempt - 1, 5)));
    }
  }
}
