/**
 * A simulated RISK (insurance wholesaler) that speaks SIVI AFD over HTTP: it takes quote
 * requests, answers each with a quote number, then sends that quote's events to the platform's
 * webhook following a scenario, and serves the same events for polling. It writes its messages
 * with its OWN writer (afd-writer.ts: AFD 1.0 XML by default, AFD 2.0 JSON with `afdVersion:
 * '2.0'`) from a SYNTHETIC AFD definition, and reads quote requests with its own reader; nothing
 * of integrations/risk or integrations/afd, so the platform's codec is tested, not mirrored.
 *
 * HTTP API
 *   POST /quotes          JSON RiskQuoteRequest, `authorization: Bearer <token>`, `idempotency-key`
 *                           200 {"quoteNumber"}  (the same key again: the same number, no second flow)
 *                           401 wrong token, 400 not a quote request, 503 scenario '5xx' (first attempt)
 *   GET  /events?since=n  JSON {"events":[{"cursor","xml"}],"next"}: every event it made, after cursor n
 *   GET  /admin/quotes    JSON: quotes and the events sent for them
 *   PUT  /admin/scenario  JSON {"scenario"?, "stepDelayMs"?}: defaults for quotes that arrive afterwards
 *   GET  /health
 *
 * Scenarios (events per quote after the quote answer itself, which is version 1; event version in brackets, label AL_SYNVOLG):
 *   final          final (2, with the policy PDF)
 *   mutation       final (2), mutation (3: premium +10%, start date a month later)
 *   cancellation   final (2), cancellation (3)
 *   duplicate      final (2), mutation (3), the same mutation message again
 *   out-of-order   final (2), mutation (4: +20%) sent before mutation (3: +10%)
 *   slow           like final, but the quote answer takes `slowMs` (default 3 s)
 *   5xx            like final, but the first POST /quotes of each request answers 503
 * Admin endpoints have no authentication: the simulator listens on loopback.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readSimQuoteRequest, writeSimAfd1, writeSimAfd2Json, type SimEventKind, type SimMessage, type SimQuoteRequest } from './afd-writer.js';

export const riskScenarioNames = ['final', 'mutation', 'cancellation', 'duplicate', 'out-of-order', 'slow', '5xx'] as const;
export type RiskScenarioName = (typeof riskScenarioNames)[number];
export function isRiskScenarioName(value: string): value is RiskScenarioName {
  return (riskScenarioNames as readonly string[]).includes(value);
}

export interface RiskSimulatorOptions {
  port: number;
  host?: string;
  /** Bearer token it requires on POST /quotes and GET /events. */
  token: string;
  /** The platform's webhook; absent = events only by polling. */
  deliverTo?: { url: string; token: string };
  scenario?: RiskScenarioName;
  /** Delay between a quote's events (default 1000 ms). */
  stepDelayMs?: number;
  /** Quote answer delay of scenario 'slow' (default 3000 ms). */
  slowMs?: number;
  log?: (line: string) => void;
  /** The AFD version its messages are written in: '1.0' XML (default) or '2.0' JSON (shape unverified). */
  afdVersion?: '1.0' | '2.0';
}

export interface SimulatedQuote {
  quoteNumber: string;
  reference: string;
  scenario: RiskScenarioName;
  sent: { messageId: string; kind: SimEventKind; version: number; status: number | string }[];
}

export interface RiskSimulator {
  url: string;
  stop(): Promise<void>;
  quotes(): SimulatedQuote[];
  /** Resolves when `predicate` holds for some quote (now or later); rejects after `timeoutMs` (default 10 s). */
  waitFor(predicate: (q: SimulatedQuote) => boolean, timeoutMs?: number): Promise<SimulatedQuote>;
}

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n').toString('base64');
const digest = (v: string) => createHash('sha256').update(v).digest();

export async function startRiskSimulator(opts: RiskSimulatorOptions): Promise<RiskSimulator> {
  const log = opts.log ?? (() => undefined);
  const defaults = { scenario: opts.scenario ?? 'final', stepDelayMs: opts.stepDelayMs ?? 1000 };
  const quotes = new Map<string, SimulatedQuote>();
  const failedOnce = new Set<string>();
  const feed: string[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const waiters = new Set<() => void>();
  let counter = 0;
  let stopped = false;

  const notify = () => waiters.forEach((w) => w());
  const later = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  const authorised = (req: http.IncomingMessage) => {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    return m !== null && timingSafeEqual(digest(m[1]!), digest(opts.token));
  };

  const json = opts.afdVersion === '2.0';
  const deliver = async (q: SimulatedQuote, m: SimMessage) => {
    const xml = json ? writeSimAfd2Json(m) : writeSimAfd1(m);
    feed.push(xml);
    const entry = { messageId: m.reference, kind: m.kind, version: m.version, status: 'feed only' as number | string };
    q.sent.push(entry);
    if (opts.deliverTo) {
      for (let attempt = 1; attempt <= 5 && !stopped; attempt += 1) {
        try {
          const res = await fetch(opts.deliverTo.url, {
            method: 'POST',
            headers: { authorization: `Bearer ${opts.deliverTo.token}`, 'content-type': json ? 'application/json' : 'application/xml' },
            body: xml,
            signal: AbortSignal.timeout(10_000),
          });
          await res.text();
          entry.status = res.status;
          if (res.status < 500) break;
        } catch (err) {
          entry.status = err instanceof Error ? err.message : String(err);
        }
        await later(200 * attempt);
      }
    }
    log(`${q.quoteNumber}: ${m.kind} v${m.version} (${m.reference}) → ${entry.status}`);
    notify();
  };

  const runFlow = async (q: SimulatedQuote, req: SimQuoteRequest) => {
    const coverages = req.coverages.map((c, i) => ({ code: c.code, description: c.description, premiumCents: 1500 + 750 * i, ...(c.insuredAmountCents !== undefined ? { insuredAmountCents: c.insuredAmountCents } : {}) }));
    const total = coverages.reduce((s, c) => s + c.premiumCents, 0);
    const base = (kind: SimEventKind, version: number, extra: Partial<SimMessage> = {}): SimMessage => ({
      reference: `${q.quoteNumber}-${version}-${kind.slice(0, 3).toUpperCase()}`,
      kind,
      version,
      eventAt: new Date(Date.now() + version * 1000).toISOString().replace(/\.\d{3}Z$/, '.000Z'),
      adviserReference: req.reference,
      policyNumber: q.quoteNumber,
      insurer: req.insurerCode ?? 'RISK',
      branch: req.branch,
      startDate: req.startDate,
      premiumCents: total,
      paymentTermMonths: 1,
      holder: req.relation,
      coverages,
      documents: [],
      ...extra,
    });
    const mutated = (version: number, pct: number): SimMessage => {
      const cov = coverages.map((c) => ({ ...c, premiumCents: Math.round((c.premiumCents * (100 + pct)) / 100) }));
      const start = new Date(`${req.startDate}T00:00:00Z`);
      start.setUTCMonth(start.getUTCMonth() + 1);
      return base('mutation', version, { coverages: cov, premiumCents: cov.reduce((s, c) => s + c.premiumCents, 0), startDate: start.toISOString().slice(0, 10) });
    };
    const steps: SimMessage[] = [base('final', 2, { documents: [{ name: `polis-${q.quoteNumber}.pdf`, mimeType: 'application/pdf', contentBase64: PDF }] })];
    switch (q.scenario) {
      case 'mutation':
        steps.push(mutated(3, 10));
        break;
      case 'cancellation':
        steps.push(base('cancellation', 3));
        break;
      case 'duplicate': {
        const m = mutated(3, 10);
        steps.push(m, m);
        break;
      }
      case 'out-of-order':
        steps.push(mutated(4, 20), mutated(3, 10));
        break;
      default:
        break;
    }
    for (const m of steps) {
      await later(defaults.stepDelayMs);
      if (stopped) return;
      await deliver(q, m);
    }
  };

  const readJson = async (req: http.IncomingMessage): Promise<unknown> => {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req) {
      size += (c as Buffer).length;
      if (size > 1024 * 1024) throw new Error('body too large');
      chunks.push(c as Buffer);
    }
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  };

  const send = (res: http.ServerResponse, status: number, body: unknown, type = 'application/json') => {
    res.writeHead(status, { 'content-type': `${type}; charset=utf-8` });
    res.end(JSON.stringify(body));
  };
  const problem = (res: http.ServerResponse, status: number, detail: string) =>
    send(res, status, { type: 'about:blank', title: http.STATUS_CODES[status], status, detail }, 'application/problem+json');

  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://risk.local');
      try {
        if (req.method === 'GET' && url.pathname === '/health') return send(res, 200, { status: 'ok' });
        if (req.method === 'GET' && url.pathname === '/admin/quotes') return send(res, 200, [...quotes.values()]);
        if (req.method === 'PUT' && url.pathname === '/admin/scenario') {
          const body = (await readJson(req)) as { scenario?: string; stepDelayMs?: number };
          if (body.scenario !== undefined) {
            if (!isRiskScenarioName(body.scenario)) return problem(res, 400, `unknown scenario; known: ${riskScenarioNames.join(', ')}`);
            defaults.scenario = body.scenario;
          }
          if (typeof body.stepDelayMs === 'number' && body.stepDelayMs >= 0) defaults.stepDelayMs = body.stepDelayMs;
          return send(res, 200, defaults);
        }
        if (url.pathname === '/quotes' || url.pathname === '/events') {
          if (!authorised(req)) return problem(res, 401, 'wrong or missing bearer token');
        }
        if (req.method === 'GET' && url.pathname === '/events') {
          const since = Number(url.searchParams.get('since') ?? '0');
          if (!Number.isInteger(since) || since < 0) return problem(res, 400, 'since must be a cursor from an earlier answer');
          const events = feed.slice(since).map((xml, i) => ({ cursor: String(since + i + 1), xml }));
          return send(res, 200, { events, next: String(feed.length) });
        }
        if (req.method === 'POST' && url.pathname === '/quotes') {
          const key = req.headers['idempotency-key'];
          const read = readSimQuoteRequest(await readJson(req));
          if (typeof key !== 'string' || !key) return problem(res, 400, 'a quote request needs an idempotency-key');
          if (typeof read === 'string') return problem(res, 400, `not a quote request: ${read}`);
          const body = read;
          const known = [...quotes.values()].find((q) => q.reference === key);
          if (known) return send(res, 200, { quoteNumber: known.quoteNumber });
          const scenario = defaults.scenario;
          if (scenario === '5xx' && !failedOnce.has(key)) {
            failedOnce.add(key);
            return problem(res, 503, 'RISK is busy (scenario 5xx); try again');
          }
          if (scenario === 'slow') await later(opts.slowMs ?? 3000);
          counter += 1;
          const q: SimulatedQuote = { quoteNumber: `RQ-${Date.now().toString(36).toUpperCase()}-${counter}`, reference: key, scenario, sent: [] };
          quotes.set(q.quoteNumber, q);
          log(`quote ${q.quoteNumber} for ${key} (scenario ${scenario})`);
          void runFlow(q, body);
          return send(res, 200, { quoteNumber: q.quoteNumber });
        }
        return problem(res, 404, `no ${req.method} ${url.pathname}`);
      } catch (err) {
        return problem(res, 400, err instanceof Error ? err.message : String(err));
      }
    })();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://${opts.host ?? '127.0.0.1'}:${port}`;

  return {
    url: baseUrl,
    quotes: () => [...quotes.values()].map((q) => ({ ...q, sent: q.sent.map((s) => ({ ...s })) })),
    waitFor: (predicate, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const hit = [...quotes.values()].find(predicate);
          if (hit) {
            waiters.delete(check);
            clearTimeout(t);
            resolve({ ...hit, sent: hit.sent.map((s) => ({ ...s })) });
          }
        };
        const t = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`RISK simulator: no quote matched within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
    stop: async () => {
      stopped = true;
      timers.forEach((t) => clearTimeout(t));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
