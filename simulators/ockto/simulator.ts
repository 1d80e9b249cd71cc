/**
 * A simulated Ockto over HTTP (our adapter contract, integrations/ockto/types.ts). Each session
 * follows a scenario: the simulated client shares (clean, PEP, sanction hit, arrears, partial
 * data), declines, or never acts. When it acts, the simulator posts a callback to the platform
 * (authenticated with the platform's 'ockto' party credential) and answers GET /sessions/:id.
 *
 * HTTP API (session endpoints need `authorization: Bearer <token>`; errors are problem+json)
 *   POST /sessions                 {"personRef": string, "scenario"?: name}; header idempotency-key (same key = same session)
 *                                    201 {"sessionId","url","qr","expiresAt"}; 400 bad body; 401
 *   GET  /sessions/:id             {"sessionId","status":"pending|shared|declined|expired|failed","data"?,"missing"?}; 404
 *   GET  /s/:id                    the client's page behind the link/QR (HTML)
 *   GET  /admin/sessions           JSON: every session (scenario, state, callbacks)
 *   PUT  /admin/sessions/:id       {"scenario": name}: change the scenario of a session that has not acted yet
 *   POST /admin/sessions/:id/act   the simulated client acts now (instead of after actAfterMs)
 *   GET/PUT /admin/scenario        {"scenario": name, "actAfterMs"?: n}: defaults for new sessions
 *   GET  /health
 * Scenario per session: the `scenario` hint of POST /sessions, else the admin default (like the
 * lender simulator's OntvangerCode). Admin endpoints have no authentication: loopback only.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { todayInAmsterdam } from '../../domain/dates.js';
import type { OcktoResult } from '../../integrations/ockto/types.js';
import { escapeHtml, hasBearer, readBody, sendJson, sendProblem } from '../lender/http.js';
import { isOcktoScenarioName, ocktoScenarioNames, outcomeOf, type OcktoScenarioName } from './scenarios.js';

export interface OcktoSimulatorOptions {
  /** 0 picks a free port. */
  port: number;
  host?: string;
  /** Bearer token the platform presents on /sessions. */
  token: string;
  /** The platform's callback endpoint and the 'ockto' credential to present there; absent: no callbacks (polling only). */
  deliverTo?: { url: string; token: string };
  scenario?: OcktoScenarioName;
  /** How long the simulated client takes before it acts (default 2000 ms). */
  actAfterMs?: number;
  log?: (line: string) => void;
}

export interface OcktoSessionView {
  sessionId: string;
  personRef: string;
  scenario: OcktoScenarioName;
  status: OcktoResult['status'];
  createdAt: string;
  actedAt?: string;
  callbacks: { eventId: string; httpStatus?: number; error?: string }[];
}

export interface OcktoSimulator {
  url: string;
  sessions(): OcktoSessionView[];
  /** The simulated client acts now. */
  act(sessionId: string): Promise<void>;
  setScenario(sessionId: string, scenario: OcktoScenarioName): void;
  waitFor(predicate: (s: OcktoSessionView) => boolean, timeoutMs?: number): Promise<OcktoSessionView>;
  stop(): Promise<void>;
}

interface Session {
  view: OcktoSessionView;
  result: OcktoResult;
  timer?: NodeJS.Timeout;
}

export async function startOcktoSimulator(opts: OcktoSimulatorOptions): Promise<OcktoSimulator> {
  if (!opts.token || /\s/.test(opts.token)) throw new TypeError('ockto simulator token must be a non-empty string without whitespace');
  const log = opts.log ?? ((line: string) => console.log(`[ockto] ${line}`));
  const defaults = { scenario: opts.scenario ?? 'shares', actAfterMs: opts.actAfterMs ?? 2000 };
  const sessions = new Map<string, Session>();
  const byKey = new Map<string, string>();
  const waiters = new Set<() => void>();
  const changed = (): void => waiters.forEach((w) => w());
  let stopped = false;
  let baseUrl = '';

  async function deliver(session: Session): Promise<void> {
    if (!opts.deliverTo || stopped) return;
    const eventId = `evt-${session.view.sessionId}-${session.result.status}`;
    const entry: OcktoSessionView['callbacks'][number] = { eventId };
    session.view.callbacks.push(entry);
    // A few attempts with backoff: the platform may be restarting; polling covers the rest.
    for (let attempt = 0; attempt < 5 && !stopped; attempt++) {
      try {
        const res = await fetch(opts.deliverTo.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${opts.deliverTo.token}` },
          body: JSON.stringify({ eventId, ...session.result }),
          signal: AbortSignal.timeout(10_000),
        });
        entry.httpStatus = res.status;
        await res.text();
        if (res.status < 500 && res.status !== 429) break;
      } catch (err) {
        entry.error = err instanceof Error ? err.message : String(err);
      }
      await new Promise((r) => setTimeout(r, 250 * 2 ** attempt));
    }
    log(`callback ${eventId}: ${entry.httpStatus ?? entry.error ?? 'not sent'}`);
    changed();
  }

  async function act(session: Session): Promise<void> {
    if (session.result.status !== 'pending') return;
    clearTimeout(session.timer);
    const outcome = outcomeOf(session.view.scenario, todayInAmsterdam(new Date()));
    if (!outcome) return; // 'never': the client does nothing
    session.result = { sessionId: session.view.sessionId, status: outcome.status, ...(outcome.data ? { data: outcome.data } : {}), ...(outcome.missing ? { missing: outcome.missing } : {}) };
    session.view.status = outcome.status;
    session.view.actedAt = new Date().toISOString();
    log(`session ${session.view.sessionId} (${session.view.scenario}): ${outcome.status}`);
    changed();
    await deliver(session);
  }

  function schedule(session: Session): void {
    clearTimeout(session.timer);
    session.timer = setTimeout(() => void act(session).catch((err: unknown) => log(`act failed: ${String(err)}`)), defaults.actAfterMs);
  }

  async function json(req: http.IncomingMessage): Promise<unknown> {
    try {
      return JSON.parse((await readBody(req, 64 * 1024)).toString('utf8'));
    } catch {
      return undefined;
    }
  }
  const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

  async function createSession(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const body = await json(req);
    if (!isRecord(body) || typeof body.personRef !== 'string' || !/^[A-Za-z0-9_-]{1,80}$/.test(body.personRef)) {
      return sendProblem(res, 400, 'Invalid session request', 'expected {"personRef": id, "scenario"?: name}');
    }
    if (body.scenario !== undefined && !isOcktoScenarioName(body.scenario)) {
      return sendProblem(res, 400, 'Unknown scenario', `scenario must be one of ${ocktoScenarioNames.join(', ')}`);
    }
    const key = typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : undefined;
    const existing = key ? sessions.get(byKey.get(key) ?? '') : undefined;
    const session = existing ?? newSession(body.personRef, isOcktoScenarioName(body.scenario) ? body.scenario : defaults.scenario);
    if (key) byKey.set(key, session.view.sessionId);
    const id = session.view.sessionId;
    sendJson(res, existing ? 200 : 201, {
      sessionId: id,
      url: `${baseUrl}/s/${id}`,
      qr: `data:text/plain;base64,${Buffer.from(`${baseUrl}/s/${id}`).toString('base64')}`,
      expiresAt: new Date(Date.now() + 14 * 86_400_000).toISOString(),
    });
  }

  function newSession(personRef: string, scenario: OcktoScenarioName): Session {
    const sessionId = `oc_${randomBytes(9).toString('base64url')}`;
    const session: Session = {
      view: { sessionId, personRef, scenario, status: 'pending', createdAt: new Date().toISOString(), callbacks: [] },
      result: { sessionId, status: 'pending' },
    };
    sessions.set(sessionId, session);
    log(`session ${sessionId} for ${personRef}: scenario '${scenario}'`);
    schedule(session);
    changed();
    return session;
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://ockto.invalid').pathname;
    const method = req.method ?? 'GET';
    if (path === '/health') return sendJson(res, 200, { status: 'ok' });
    if (path === '/sessions' || path.startsWith('/sessions/')) {
      if (!hasBearer(req, opts.token)) {
        req.resume();
        return sendProblem(res, 401, 'Unauthorized', 'a valid bearer token is required', {}, { 'www-authenticate': 'Bearer' });
      }
      if (path === '/sessions' && method === 'POST') return createSession(req, res);
      const m = /^\/sessions\/([A-Za-z0-9_-]+)$/.exec(path);
      if (m && method === 'GET') {
        const s = sessions.get(m[1]!);
        return s ? sendJson(res, 200, s.result) : sendProblem(res, 404, 'Unknown session', `no session ${m[1]}`);
      }
    }
    const page = /^\/s\/([A-Za-z0-9_-]+)$/.exec(path);
    if (page && method === 'GET') {
      const s = sessions.get(page[1]!);
      if (!s) return sendProblem(res, 404, 'Unknown session', 'this link is not valid');
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><title>Ockto (simulatie)</title><h1>Gegevens delen</h1><p>Sessie ${escapeHtml(s.view.sessionId)}: ${escapeHtml(s.view.status)} (scenario ${escapeHtml(s.view.scenario)}).</p>`);
      return;
    }
    if (path === '/admin/sessions' && method === 'GET') return sendJson(res, 200, [...sessions.values()].map((s) => s.view));
    const admin = /^\/admin\/sessions\/([A-Za-z0-9_-]+)(\/act)?$/.exec(path);
    if (admin) {
      const s = sessions.get(admin[1]!);
      if (!s) return sendProblem(res, 404, 'Unknown session', `no session ${admin[1]}`);
      if (admin[2] && method === 'POST') {
        await act(s);
        return sendJson(res, 200, s.view);
      }
      if (!admin[2] && method === 'PUT') {
        const body = await json(req);
        if (!isRecord(body) || !isOcktoScenarioName(body.scenario)) return sendProblem(res, 400, 'Unknown scenario', `scenario must be one of ${ocktoScenarioNames.join(', ')}`);
        if (s.view.status !== 'pending') return sendProblem(res, 409, 'Session acted', `session ${s.view.sessionId} is ${s.view.status} already`);
        s.view.scenario = body.scenario;
        schedule(s);
        return sendJson(res, 200, s.view);
      }
    }
    if (path === '/admin/scenario') {
      if (method === 'GET') return sendJson(res, 200, { ...defaults, scenarios: ocktoScenarioNames });
      if (method === 'PUT') {
        const body = await json(req);
        const delay = isRecord(body) ? body.actAfterMs : undefined;
        if (!isRecord(body) || !isOcktoScenarioName(body.scenario) || (delay !== undefined && (typeof delay !== 'number' || !Number.isInteger(delay) || delay < 0 || delay > 86_400_000))) {
          return sendProblem(res, 400, 'Invalid scenario change', `expected {"scenario": ${ocktoScenarioNames.join('|')}, "actAfterMs"?: 0..86400000}`);
        }
        defaults.scenario = body.scenario;
        if (typeof delay === 'number') defaults.actAfterMs = delay;
        return sendJson(res, 200, defaults);
      }
    }
    req.resume();
    sendProblem(res, 404, 'Not found', `${method} ${path}`);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      log(`internal error: ${err instanceof Error ? err.message : String(err)}`);
      if (!res.headersSent) sendProblem(res, 500, 'Internal error', 'the simulated Ockto failed');
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { address, port } = server.address() as AddressInfo;
  baseUrl = `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
  log(`simulated Ockto on ${baseUrl}${opts.deliverTo ? `, callbacks to ${opts.deliverTo.url}` : ''}`);

  const views = (): OcktoSessionView[] => [...sessions.values()].map((s) => structuredClone(s.view));
  return {
    url: baseUrl,
    sessions: views,
    act: async (id) => {
      const s = sessions.get(id);
      if (!s) throw new Error(`ockto simulator: no session ${id}`);
      await act(s);
    },
    setScenario: (id, scenario) => {
      const s = sessions.get(id);
      if (!s) throw new Error(`ockto simulator: no session ${id}`);
      s.view.scenario = scenario;
      schedule(s);
    },
    waitFor: (predicate, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const check = (): boolean => {
          const hit = views().find(predicate);
          if (hit) {
            waiters.delete(wake);
            clearTimeout(timer);
            resolve(hit);
          }
          return Boolean(hit);
        };
        const wake = (): void => void check();
        const timer = setTimeout(() => {
          waiters.delete(wake);
          reject(new Error(`ockto simulator: no matching session within ${timeoutMs} ms: ${JSON.stringify(views().map((v) => [v.sessionId, v.scenario, v.status]))}`));
        }, timeoutMs);
        waiters.add(wake);
        check();
      }),
    stop: async () => {
      stopped = true;
      for (const s of sessions.values()) clearTimeout(s.timer);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

