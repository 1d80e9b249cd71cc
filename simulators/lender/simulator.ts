/**
 * A simulated lender that speaks HDN XML over HTTP like a real one: it receives AX and DX (public
 * shape, read by its own reader: public-ax-reader.ts) on
 * POST /hdn and answers each application by posting SX/OX/DA to the platform's inbound HDN
 * endpoint, following a named scenario. Used by `npm start`, tests and benchmarks.
 *
 * HTTP API
 *   POST /hdn                  AX or DX (HDN XML), `authorization: Bearer <inboundToken>`
 *                                202 {"status":"accepted","messageType":"AX"|"DX",...}  new AX / DX
 *                                200 {"status":"duplicate",...}  the same AX again (no second flow)
 *                                401 wrong/missing token, 400 not HDN / not for this node / not AX or DX /
 *                                unknown application or DA line, 409 an AX older than one already placed,
 *                                413 body over the size limit (errors are application/problem+json)
 *   GET  /admin/applications   JSON ApplicationView[]
 *   GET  /admin/scenario       JSON current defaults
 *   PUT  /admin/scenario       JSON {"scenario": name, "stepDelayMs"?: n, "waitForDocuments"?: b}
 *                                changes the defaults for applications that arrive afterwards
 *   GET  /health               JSON {"status":"ok"}
 *   GET  /                     HTML overview
 *
 * Scenario per application: the AX's OntvangerCode, when it is a scenario name; otherwise the
 * current default. Admin endpoints have no authentication: the simulator listens on loopback.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readPublicLenderInbound } from './public-ax-reader.js';
import { HdnError, type HdnApplication, type HdnDocumentDelivery, type HdnMessage } from '../../integrations/hdn/types.js';
import { todayInAmsterdam } from '../../domain/dates.js';
import { createDeliverer, type DeliveryTarget, type RetryPolicy } from './delivery.js';
import { runFlow } from './flow.js';
import { BodyTooLargeError, hasBearer, readBody, sendJson, sendProblem } from './http.js';
import { renderPage } from './page.js';
import { isScenarioName, planFor, scenarioNames, type ScenarioName } from './scenarios.js';
import { CancelledError, createScheduler } from './scheduler.js';
import { applicationKey, type ApplicationState, type ApplicationView } from './state.js';
import { createLenderPlatformSender, startLenderPlatformListener, type LenderPlatformOptions } from './platform-transport.js';

export interface LenderSimulatorOptions {
  /** 0 picks a free port. */
  port: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Its own 6-character HDN node number (default "LND001"). */
  nodeNumber?: string;
  /** Default "Voorbeeld Hypotheken N.V.". */
  name?: string;
  /** Bearer token it requires on POST /hdn. */
  inboundToken: string;
  /** The platform's inbound HDN endpoint, where it posts its SX/OX/DA. */
  deliverTo: DeliveryTarget;
  /** Default scenario (default 'happy'); see PUT /admin/scenario and OntvangerCode. */
  scenario?: ScenarioName;
  /** Delay between consecutive lender messages (default 2000; 0 allowed). */
  stepDelayMs?: number;
  /** Delay before the first answer (SX09), default 1000. */
  sx09DelayMs?: number;
  /** Happy flow: after SX12, wait for a DX per DA line the lender did not fetch itself (default false). */
  waitForDocuments?: boolean;
  /** Delivery backoff on network errors/5xx/429: default 500 ms doubling up to 30 s. */
  retry?: Partial<RetryPolicy>;
  /** Timeout of one delivery attempt, default 10 s. */
  deliveryTimeoutMs?: number;
  /** Largest accepted request body, default 20 MiB (an OX/DX with PDFs fits). */
  maxBodyBytes?: number;
  /** Also speak the HDN API platform (platform-transport.ts): listen for envelopes and deliver in them. */
  platform?: LenderPlatformOptions;
  log?: (line: string) => void;
}

export interface LenderSimulator {
  /** Base URL, e.g. http://127.0.0.1:8090. */
  url: string;
  /** Where AX and DX go: `${url}/hdn`. */
  inboundUrl: string;
  /** Where AX and DX go in the platform envelope (mutual TLS), when `platform` was given. */
  platformUrl?: string;
  nodeNumber: string;
  /** Cancels pending steps, timers and in-flight deliveries, closes the server. */
  stop(): Promise<void>;
  /** Snapshot of every application, in arrival order. */
  applications(): ApplicationView[];
  /** Resolves with the first application (snapshot) matching `predicate`, now or later; rejects after `timeoutMs` (default 10 s). */
  waitFor(predicate: (app: ApplicationView) => boolean, timeoutMs?: number): Promise<ApplicationView>;
}

interface Defaults {
  scenario: ScenarioName;
  stepDelayMs: number;
  waitForDocuments: boolean;
}

const NODE_RE = /^[A-Za-z0-9]{6}$/;

const MAX_DELAY_MS = 24 * 60 * 60 * 1000;

export async function startLenderSimulator(opts: LenderSimulatorOptions): Promise<LenderSimulator> {
  const host = opts.host ?? '127.0.0.1';
  const nodeNumber = opts.nodeNumber ?? 'LND001';
  const name = opts.name ?? 'Voorbeeld Hypotheken N.V.';
  const log = opts.log ?? ((line: string) => console.log(`[lender] ${line}`));
  const sx09DelayMs = opts.sx09DelayMs ?? 1000;
  const maxBodyBytes = opts.maxBodyBytes ?? 20 * 1024 * 1024;
  const defaults: Defaults = {
    scenario: opts.scenario ?? 'happy',
    stepDelayMs: opts.stepDelayMs ?? 2000,
    waitForDocuments: opts.waitForDocuments ?? false,
  };
  validateOptions(opts, { nodeNumber, sx09DelayMs, defaults });

  const scheduler = createScheduler();
  const deliverer = createDeliverer({
    target: opts.deliverTo,
    scheduler,
    retry: { initialMs: opts.retry?.initialMs ?? 500, maxMs: opts.retry?.maxMs ?? 30_000 },
    requestTimeoutMs: opts.deliveryTimeoutMs ?? 10_000,
    ...(opts.platform ? { transport: createLenderPlatformSender({ url: opts.platform.deliverUrl, tls: opts.platform.tls, timeoutMs: opts.deliveryTimeoutMs ?? 10_000 }) } : {}),
  });
  const apps = new Map<string, ApplicationState>();
  const views = () => [...apps.values()].map((a) => structuredClone(a.view));
  const lender = { nodeNumber, name };

  const acceptApplication = (ax: HdnApplication, res: http.ServerResponse): void => {
    const h = ax.header;
    const key = applicationKey(h.senderNode, h.applicationNumber, h.applicationVersion);
    const ack = { messageType: 'AX', applicationNumber: h.applicationNumber, applicationVersion: h.applicationVersion };
    const existing = apps.get(key);
    if (existing) {
      // The same AX may not be placed twice: acknowledge again, do not start over.
      existing.view.axReceived += 1;
      scheduler.wake();
      log(`AX ${h.applicationNumber} v${h.applicationVersion} from ${h.senderNode} again: acknowledged, no second flow`);
      return sendJson(res, 200, { status: 'duplicate', ...ack, scenario: existing.view.scenario });
    }
    const siblings = [...apps.values()].filter((a) => a.view.senderNode === h.senderNode && a.view.applicationNumber === h.applicationNumber);
    const newer = siblings.find((a) => compareVersions(a.view.applicationVersion, h.applicationVersion) > 0);
    if (newer) {
      return sendProblem(res, 409, 'Outdated application version', `application ${h.applicationNumber} already has version ${newer.view.applicationVersion}`);
    }
    // A new version replaces the old one: the lender stops acting on the old version.
    for (const old of siblings) {
      if (old.view.state === 'running' || old.view.state === 'waiting-for-documents') {
        old.view.state = 'superseded';
        old.controller.abort(new CancelledError(`superseded by version ${h.applicationVersion}`));
      }
    }

    const scenario = isScenarioName(h.receiverCode) ? h.receiverCode : defaults.scenario;
    const now = new Date();
    const app: ApplicationState = {
      application: ax,
      receivedOn: todayInAmsterdam(now),
      plan: planFor(scenario, { waitForDocuments: defaults.waitForDocuments }),
      stepDelayMs: defaults.stepDelayMs,
      controller: new AbortController(),
      view: {
        senderNode: h.senderNode,
        applicationNumber: h.applicationNumber,
        applicationVersion: h.applicationVersion,
        messageVersion: h.messageVersion,
        scenario,
        state: 'running',
        receivedAt: now.toISOString(),
        axReceived: 1,
        messages: [],
        documentLines: [],
        dxReceived: [],
      },
    };
    apps.set(key, app);
    log(`AX ${h.applicationNumber} v${h.applicationVersion} from ${h.senderNode}: scenario '${scenario}'`);
    scheduler.run(
      () => runFlow(app, { lender, scheduler, deliverer, sx09DelayMs, changed: () => scheduler.wake(), log }),
      (err) => {
        app.view.state = 'failed';
        app.view.error = err instanceof Error ? err.message : String(err);
        scheduler.wake();
        log(`AX ${h.applicationNumber} v${h.applicationVersion}: scenario failed: ${app.view.error}`);
      },
    );
    scheduler.wake();
    sendJson(res, 202, { status: 'accepted', ...ack, scenario });
  };

  const acceptDocument = (dx: HdnDocumentDelivery, res: http.ServerResponse): void => {
    const h = dx.header;
    const app = apps.get(applicationKey(h.senderNode, h.applicationNumber, h.applicationVersion));
    if (!app) {
      return sendProblem(res, 400, 'Unknown application', `no application ${h.applicationNumber} version ${h.applicationVersion} from ${h.senderNode}`);
    }
    const line = app.view.documentLines.find((l) => l.lineId === dx.lineId);
    if (!line) return sendProblem(res, 400, 'Unknown document line', `application ${h.applicationNumber} has no DA line ${dx.lineId}`);
    if (line.fetchedByLender) {
      return sendProblem(res, 400, 'Document fetched by lender', `DA line ${dx.lineId} (${line.documentKind}) was fetched by the lender: no DX may be sent for it`);
    }
    if (!app.view.dxReceived.includes(dx.lineId)) app.view.dxReceived.push(dx.lineId);
    log(`DX ${h.applicationNumber} v${h.applicationVersion} line ${dx.lineId} (${dx.documentKind}, ${dx.attachment.filename})`);
    scheduler.wake();
    sendJson(res, 202, {
      status: 'accepted',
      messageType: 'DX',
      applicationNumber: h.applicationNumber,
      applicationVersion: h.applicationVersion,
      lineId: dx.lineId,
    });
  };

  const receiveHdn = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    if (!hasBearer(req, opts.inboundToken)) {
      req.resume();
      return sendProblem(res, 401, 'Unauthorized', 'a valid bearer token is required', {}, { 'www-authenticate': 'Bearer realm="hdn"' });
    }
    let body: Buffer;
    try {
      body = await readBody(req, maxBodyBytes);
    } catch (err) {
      if (err instanceof BodyTooLargeError) return sendProblem(res, 413, 'Message too large', err.message);
      throw err;
    }
    return handleHdn(body, res);
  };

  /** An AX or DX as received (over bearer-token HTTP or out of a platform envelope). */
  const handleHdn = async (body: Buffer, res: http.ServerResponse): Promise<void> => {
    let message: HdnMessage;
    try {
      // The public shape, read by the lender's own reader (not our codec), so a wrong path on
      // either side fails a test instead of agreeing with itself.
      message = readPublicLenderInbound(body, { maxBytes: maxBodyBytes });
    } catch (err) {
      if (!(err instanceof HdnError)) throw err;
      log(`refused a message: ${err.message}`);
      return sendProblem(res, 400, 'Invalid HDN message', err.message, { errorType: err.type, ...(err.element ? { element: err.element } : {}) });
    }
    if (message.header.receiverNode !== nodeNumber) {
      return sendProblem(res, 400, 'Wrong receiver', `OntvangerNrHDN ${message.header.receiverNode} is not this lender (${nodeNumber})`);
    }
    // The reader refuses every other root (SX/OX/DA are what a lender sends, not receives).
    if (message.type === 'AX') return acceptApplication(message, res);
    return acceptDocument(message, res);
  };

  const changeScenario = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    let input: unknown;
    try {
      input = JSON.parse((await readBody(req, 64 * 1024)).toString('utf8'));
    } catch {
      return sendProblem(res, 400, 'Invalid JSON', 'expected {"scenario": name, "stepDelayMs"?: number, "waitForDocuments"?: boolean}');
    }
    const problems = scenarioChangeProblems(input);
    if (problems.length > 0 || !isRecord(input)) return sendProblem(res, 400, 'Invalid scenario change', problems.join('; '));
    defaults.scenario = input.scenario as ScenarioName;
    if (typeof input.stepDelayMs === 'number') defaults.stepDelayMs = input.stepDelayMs;
    if (typeof input.waitForDocuments === 'boolean') defaults.waitForDocuments = input.waitForDocuments;
    log(`default scenario now '${defaults.scenario}', ${defaults.stepDelayMs} ms between messages`);
    sendJson(res, 200, settingsView());
  };

  const settingsView = () => ({ nodeNumber, name, ...defaults, sx09DelayMs, scenarios: scenarioNames });

  const route = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://lender').pathname;
    const method = req.method ?? 'GET';
    const allow = (methods: string): void => {
      req.resume();
      sendProblem(res, 405, 'Method not allowed', `${method} ${path}: use ${methods}`, {}, { allow: methods });
    };
    switch (path) {
      case '/hdn':
        return method === 'POST' ? receiveHdn(req, res) : allow('POST');
      case '/admin/applications':
        return method === 'GET' ? sendJson(res, 200, views()) : allow('GET');
      case '/admin/scenario':
        if (method === 'GET') return sendJson(res, 200, settingsView());
        return method === 'PUT' ? changeScenario(req, res) : allow('GET, PUT');
      case '/health':
        return sendJson(res, 200, { status: 'ok', nodeNumber });
      case '/':
        if (method !== 'GET') return allow('GET');
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(renderPage(views(), { nodeNumber, name, ...defaults }));
        return;
      default:
        req.resume();
        return sendProblem(res, 404, 'Not found', `no ${path} here`);
    }
  };

  const server = http.createServer((req, res) => {
    route(req, res).catch((err: unknown) => {
      log(`error on ${req.method ?? ''} ${req.url ?? ''}: ${err instanceof Error ? err.stack : String(err)}`);
      if (!res.headersSent) sendProblem(res, 500, 'Internal error', err instanceof Error ? err.message : String(err));
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const url = `http://${urlHost}:${port}`;
  const platform = opts.platform
    ? await startLenderPlatformListener({ port: opts.platform.port, host, tls: opts.platform.tls, nodeNumber, maxBodyBytes, handle: handleHdn, log }).catch(async (err: unknown) => {
        server.close();
        throw err;
      })
    : undefined;
  log(
    platform
      ? `${name} (HDN ${nodeNumber}) listening on ${url} and on the HDN platform at ${platform.url}, delivering over the platform to ${opts.platform?.deliverUrl ?? ''}`
      : `${name} (HDN ${nodeNumber}) listening on ${url}, delivering to ${opts.deliverTo.url}`,
  );

  let stopping: Promise<void> | undefined;
  return {
    url,
    inboundUrl: `${url}/hdn`,
    ...(platform ? { platformUrl: platform.url } : {}),
    nodeNumber,
    applications: views,
    waitFor(predicate, timeoutMs = 10_000) {
      return scheduler.waitUntil(() => views().find(predicate), {
        timeoutMs,
        describe: () => JSON.stringify(views().map(summary)),
      });
    },
    stop() {
      stopping ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await platform?.stop();
        await scheduler.stop();
        for (const app of apps.values()) {
          if (app.view.state === 'running' || app.view.state === 'waiting-for-documents') app.view.state = 'stopped';
        }
        await closed;
      })();
      return stopping;
    },
  };
}

/** A short line per application for timeout messages: what did arrive, what is still pending. */
function summary(app: ApplicationView): string {
  const msgs = app.messages.map((m) => `${m.type}${m.code ?? ''}${m.delivered ? '' : '?'}`).join(',');
  return `${app.applicationNumber}v${app.applicationVersion} ${app.scenario} ${app.state} [${msgs}] dx=[${app.dxReceived.join(',')}]`;
}

/** Application versions are "1", "2", ...: numeric when both are numbers. */
function compareVersions(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) return Number(a) - Number(b);
  return a.localeCompare(b, 'en', { numeric: true });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isDelay(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_DELAY_MS;
}

function scenarioChangeProblems(input: unknown): string[] {
  if (!isRecord(input)) return ['expected a JSON object'];
  const problems: string[] = [];
  if (!isScenarioName(input.scenario)) problems.push(`scenario must be one of ${scenarioNames.join(', ')}`);
  if (input.stepDelayMs !== undefined && !isDelay(input.stepDelayMs)) problems.push(`stepDelayMs must be an integer 0..${MAX_DELAY_MS}`);
  if (input.waitForDocuments !== undefined && typeof input.waitForDocuments !== 'boolean') problems.push('waitForDocuments must be true or false');
  const known = new Set(['scenario', 'stepDelayMs', 'waitForDocuments']);
  for (const key of Object.keys(input)) if (!known.has(key)) problems.push(`unknown field ${key}`);
  return problems;
}

function validateOptions(opts: LenderSimulatorOptions, resolved: { nodeNumber: string; sx09DelayMs: number; defaults: Defaults }): void {
  const problems: string[] = [];
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) problems.push(`port must be 0..65535, got ${opts.port}`);
  if (!NODE_RE.test(resolved.nodeNumber)) problems.push(`nodeNumber must be 6 letters/digits, got ${JSON.stringify(resolved.nodeNumber)}`);
  if (!opts.inboundToken || /\s/.test(opts.inboundToken)) problems.push('inboundToken must be a non-empty string without whitespace');
  if (!isScenarioName(resolved.defaults.scenario)) problems.push(`scenario must be one of ${scenarioNames.join(', ')}`);
  if (!isDelay(resolved.defaults.stepDelayMs)) problems.push(`stepDelayMs must be an integer 0..${MAX_DELAY_MS}`);
  if (!isDelay(resolved.sx09DelayMs)) problems.push(`sx09DelayMs must be an integer 0..${MAX_DELAY_MS}`);
  if (problems.length > 0) throw new TypeError(`lender simulator: ${problems.join('; ')}`);
}
