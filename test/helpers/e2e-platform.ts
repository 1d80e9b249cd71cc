/**
 * The platform as `npm start` runs it, for end-to-end tests: the worker as its own OS process
 * (so a test can SIGKILL it), the API listening on a real port, both on the servers of the
 * vitest global setup (PostgreSQL, Temporal dev server, SMTP peer). Seeded the way `npm start`
 * seeds, but with an office of its own so tests never share rows.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Connection, Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { buildApp, type RiskDeps, type TemporalDeps } from '../../api/app.js';
import { createRiskClient } from '../../integrations/risk/client.js';
import { loadRiskAfdMapping } from '../../integrations/risk/config.js';
import { temporalHealthCheck } from '../../integrations/temporal/health.js';
import { projectRoot } from '../../config/settings.js';
import { newId } from '../../db/ids.js';
import { createOrm, type MikroORM } from '../../db/orm.js';
import { createMailer } from '../../integrations/mail/transport.js';
import { CREDENTIALS_FILE, seed } from '../../scripts/seed.js';
import type { StoredMail } from '../../simulators/smtp/smtp-peer.js';
import { startLenderSimulator, type LenderSimulator, type ScenarioName } from '../../simulators/lender/index.js';
import { DEMO_HDN_NODES, DEMO_LENDER } from '../../scripts/seed.js';
import { buildPlatformListener, PLATFORM_MESSAGES_PATH } from '../../api/platform-listener.js';
import { DEMO_PKI_DIR, ensureDemoPki, type DemoPki } from '../../integrations/hdn/platform/test-pki.js';
import { startOcktoSimulator, type OcktoScenarioName, type OcktoSimulator } from '../../simulators/ockto/index.js';
import { startRiskSimulator, type RiskScenarioName, type RiskSimulator } from '../../simulators/risk/index.js';

/** The SYNTHETIC RISK AFD mapping (integrations/risk/fixtures), matching the simulated RISK's synthetic AFD definition. */
const SYNTHETIC_RISK_MAPPING = `${projectRoot}/integrations/risk/fixtures/afd-mapping.synthetic.json`;

export interface HttpResult {
  status: number;
  // Response bodies are JSON of many shapes; tests read them like a client would.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  contentType: string;
}

export interface E2eApi {
  url: string;
  post(pathname: string, body?: unknown, headers?: Record<string, string>): Promise<HttpResult>;
  get(pathname: string, headers?: Record<string, string>): Promise<HttpResult>;
  getBytes(pathname: string): Promise<{ status: number; bytes: Uint8Array; contentType: string }>;
}

export interface E2ePlatform {
  api: E2eApi;
  officeId: string;
  /** The tokens `npm start` writes to demo-credentials.json, by role. */
  tokens: Record<string, string>;
  /** The worker's task queue (own per platform). */
  taskQueue: string;
  /** What the API uses of Temporal (client on this platform's task queue), for starting what server.ts starts. */
  temporal: TemporalDeps;
  /** The simulated lender, when started with `{ lender }`. */
  lender: LenderSimulator | undefined;
  /** With `lender.transport: 'platform'`: our platform listener and the certificates (ours, the lender's, the advice software's). */
  hdnPlatform: { url: string; pki: DemoPki } | undefined;
  /** The simulated Ockto, when started with `{ ockto }`. */
  ockto: OcktoSimulator | undefined;
  /** The simulated RISK, when started with `{ risk }`. */
  risk: RiskSimulator | undefined;
  /** Raw HTTP to the API with a given token (XML bodies, other parties). */
  send(pathname: string, init: { method?: string; token?: string; contentType?: string; body?: string | Uint8Array }): Promise<HttpResult>;
  /** SIGKILL the worker process and wait until it is gone. */
  killWorker(): Promise<void>;
  /** Start a new worker process and wait until it polls its task queue. */
  startWorker(): Promise<void>;
  /** Mails the SMTP peer received for `email` (envelope or header recipient). */
  mailsTo(email: string): Promise<StoredMail[]>;
  describeWorkflow(workflowId: string): Promise<{ type: string; status: string }>;
  stop(): Promise<void>;
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`e2e: ${name} is not set (the vitest global setup provides it)`);
  return value;
}

export interface E2eOptions {
  /** Start the simulated lender as the HDN gateway. */
  lender?: { scenario?: ScenarioName; stepDelayMs?: number; sx09DelayMs?: number; transport?: 'xml' | 'platform' };
  /** Start the simulated Ockto (callbacks to our /ockto/callbacks with the 'ockto' credential). */
  ockto?: { scenario?: OcktoScenarioName; actAfterMs?: number };
  /** Start the simulated RISK (webhook to our /risk/messages with the 'risk' credential; RISK_URL for worker and API). */
  risk?: { scenario?: RiskScenarioName; stepDelayMs?: number; /** false: RISK sends no webhooks (events only by polling). */ webhook?: boolean };
}

/** Our HDN node in the e2e platform (the settings default). */
export const E2E_HDN_NODE = 'DFL001';

export async function startE2ePlatform(options: E2eOptions = {}): Promise<E2ePlatform> {
  const databaseUrl = required('DATABASE_URL');
  const temporalAddress = required('TEMPORAL_ADDRESS');
  const smtpUrl = required('SMTP_URL');
  const mailUiUrl = required('MAIL_UI_URL');
  const taskQueue = `e2e-${newId().slice(0, 8)}`;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'dossierflow-e2e-'));

  const orm: MikroORM = await createOrm(databaseUrl);
  const seeded = await seed(orm, { dataDir, officeName: `E2E Advies ${taskQueue}`, log: () => undefined });
  const tokens = JSON.parse(readFileSync(path.join(dataDir, CREDENTIALS_FILE), 'utf8')) as Record<string, string>;
  const adviserToken = tokens.adviser;
  if (!adviserToken) throw new Error('e2e: seed wrote no adviser credential');

  const connection = await Connection.connect({ address: temporalAddress });
  const client = new Client({ connection });

  const workerEnv: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporalAddress,
    SMTP_URL: smtpUrl,
    TASK_QUEUE: taskQueue,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    // Invoice runs start at once, whatever the hour the tests run (the 06:00 start is the workflow tests' to check).
    INVOICE_RUN_HOUR: '0',
  };
  let worker: ChildProcess | undefined;
  const workerOutput: string[] = [];

  const startWorker = async (): Promise<void> => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'activities/worker.ts'], {
      cwd: projectRoot,
      env: workerEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    worker = child;
    const running = new Promise<void>((resolve, reject) => {
      const onLine = (line: string) => {
        workerOutput.push(line);
        if (workerOutput.length > 200) workerOutput.shift();
        if (/worker: running on task queue/.test(line)) resolve();
      };
      createInterface({ input: child.stdout! }).on('line', onLine);
      createInterface({ input: child.stderr! }).on('line', onLine);
      child.once('exit', (code, signal) =>
        reject(new Error(`e2e worker exited during start (code ${code}, signal ${signal}):\n${workerOutput.slice(-30).join('\n')}`)),
      );
    });
    await running;
    await waitForPoller(client, taskQueue);
  };

  const killWorker = async (): Promise<void> => {
    const child = worker;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await gone;
  };

  const temporal: TemporalDeps = { client, taskQueue, checkHealth: temporalHealthCheck(connection), invoiceRunHour: 0 };
  // The RISK client of the in-process API is known once the simulated RISK runs (below).
  // RISK's AFD codes are not public: API and worker read with the SYNTHETIC mapping the simulated RISK writes to (as `npm start`).
  const riskDeps: RiskDeps = { client: undefined, mapping: loadRiskAfdMapping(SYNTHETIC_RISK_MAPPING) };
  // As api/server.ts: the API sends its own mails (a checklist rejection) to the same SMTP peer.
  const apiMailer = createMailer(smtpUrl);
  const app: FastifyInstance = buildApp({
    orm,
    temporal,
    mail: { mailer: apiMailer, mailFrom: 'dossierflow <noreply@dossierflow.local>' },
    hdn: { node: E2E_HDN_NODE },
    risk: riskDeps,
    logger: false,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const baseUrl = `http://127.0.0.1:${port}`;

  let lender: LenderSimulator | undefined;
  let hdnPlatform: E2ePlatform['hdnPlatform'];
  let platformListener: FastifyInstance | undefined;
  if (options.lender?.transport === 'platform') {
    // As `npm start` with HDN_TRANSPORT=platform: the demo PKI, our listener next to the API.
    const pki = await ensureDemoPki(path.join(dataDir, DEMO_PKI_DIR), E2E_HDN_NODE, [DEMO_LENDER.node, DEMO_HDN_NODES.advice_software]);
    platformListener = buildPlatformListener({ orm, temporal, ourNode: E2E_HDN_NODE, xmlPool: app.deps.xml.pool, tls: { key: pki.ours.key, cert: pki.ours.cert, ca: pki.ca.cert } });
    await platformListener.listen({ host: '127.0.0.1', port: 0 });
    const listening = platformListener.server.address();
    hdnPlatform = { url: `https://127.0.0.1:${typeof listening === 'object' && listening ? listening.port : 0}${PLATFORM_MESSAGES_PATH}`, pki };
  }
  if (options.lender) {
    const inboundToken = `gw-${newId()}`;
    const lenderCert = hdnPlatform?.pki.nodes[DEMO_LENDER.node];
    lender = await startLenderSimulator({
      ...(hdnPlatform && lenderCert
        ? { platform: { port: 0, tls: { key: lenderCert.key, cert: lenderCert.cert, ca: hdnPlatform.pki.ca.cert }, deliverUrl: hdnPlatform.url } }
        : {}),
      port: 0,
      nodeNumber: DEMO_LENDER.node,
      name: DEMO_LENDER.name,
      inboundToken,
      deliverTo: { url: `${baseUrl}/hdn/messages`, token: tokens.lender ?? '' },
      scenario: options.lender.scenario ?? 'happy',
      stepDelayMs: options.lender.stepDelayMs ?? 200,
      sx09DelayMs: options.lender.sx09DelayMs ?? 100,
      log: () => undefined,
    });
    workerEnv.HDN_NODE = E2E_HDN_NODE;
    if (!hdnPlatform) {
      workerEnv.HDN_GATEWAY_URL = lender.inboundUrl;
      workerEnv.HDN_GATEWAY_TOKEN = inboundToken;
    } else if (lender.platformUrl) {
      // No XML gateway at all: what reaches the lender can only have come over the platform.
      Object.assign(workerEnv, {
        HDN_TRANSPORT: 'platform',
        HDN_PLATFORM_URL: lender.platformUrl,
        HDN_PLATFORM_TLS_KEY: hdnPlatform.pki.ours.keyFile,
        HDN_PLATFORM_TLS_CERT: hdnPlatform.pki.ours.certFile,
        HDN_PLATFORM_TLS_CA: hdnPlatform.pki.ca.certFile,
      });
    }
  }

  let ockto: OcktoSimulator | undefined;
  if (options.ockto) {
    const ocktoToken = `ockto-${newId()}`;
    ockto = await startOcktoSimulator({
      port: 0,
      token: ocktoToken,
      deliverTo: { url: `${baseUrl}/ockto/callbacks`, token: tokens.ockto ?? '' },
      scenario: options.ockto.scenario ?? 'shares',
      actAfterMs: options.ockto.actAfterMs ?? 500,
      log: () => undefined,
    });
    workerEnv.OCKTO_URL = ockto.url;
    workerEnv.OCKTO_TOKEN = ocktoToken;
  }

  let risk: RiskSimulator | undefined;
  if (options.risk) {
    const riskToken = `risk-${newId()}`;
    risk = await startRiskSimulator({
      port: 0,
      token: riskToken,
      ...(options.risk.webhook === false ? {} : { deliverTo: { url: `${baseUrl}/risk/messages`, token: tokens.risk ?? '' } }),
      scenario: options.risk.scenario ?? 'final',
      stepDelayMs: options.risk.stepDelayMs ?? 200,
      log: () => undefined,
    });
    workerEnv.RISK_URL = risk.url;
    workerEnv.RISK_AFD_MAPPING = SYNTHETIC_RISK_MAPPING;
    workerEnv.RISK_TOKEN = riskToken;
    // The in-process API asks the same RISK for the polling fallback (POST /risk/poll).
    riskDeps.client = createRiskClient({ url: risk.url, token: riskToken });
  }

  await startWorker();
  const auth = { authorization: `Bearer ${adviserToken}` };

  const call = async (method: string, pathname: string, body: unknown, headers: Record<string, string>): Promise<HttpResult> => {
    const res = await fetch(`${baseUrl}${pathname}`, {
      method,
      headers: { ...auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const contentType = res.headers.get('content-type') ?? '';
    const text = await res.text();
    return { status: res.status, contentType, body: /json/.test(contentType) && text ? JSON.parse(text) : text };
  };

  const api: E2eApi = {
    url: baseUrl,
    post: (pathname, body, headers = {}) => call('POST', pathname, body ?? {}, headers),
    get: (pathname, headers = {}) => call('GET', pathname, undefined, headers),
    getBytes: async (pathname) => {
      const res = await fetch(`${baseUrl}${pathname}`, { headers: auth });
      return { status: res.status, bytes: new Uint8Array(await res.arrayBuffer()), contentType: res.headers.get('content-type') ?? '' };
    },
  };

  const send: E2ePlatform['send'] = async (pathname, init) => {
    const res = await fetch(`${baseUrl}${pathname}`, {
      method: init.method ?? 'POST',
      headers: {
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
        ...(init.contentType ? { 'content-type': init.contentType } : {}),
      },
      ...(init.body !== undefined ? { body: init.body } : {}),
    });
    const contentType = res.headers.get('content-type') ?? '';
    const text = await res.text();
    return { status: res.status, contentType, body: /json/.test(contentType) && text ? JSON.parse(text) : text };
  };

  return {
    api,
    officeId: seeded.officeId,
    taskQueue,
    temporal,
    tokens,
    lender,
    hdnPlatform,
    ockto,
    risk,
    send,
    killWorker,
    startWorker,
    mailsTo: async (email) => {
      const res = await fetch(`${mailUiUrl}/messages`);
      if (!res.ok) throw new Error(`SMTP peer answered ${res.status} on /messages`);
      const all = (await res.json()) as StoredMail[];
      const wanted = email.toLowerCase();
      return all.filter((m) => [...m.envelopeTo, ...m.to].some((a) => a.toLowerCase() === wanted));
    },
    describeWorkflow: async (workflowId) => {
      const d = await client.workflow.getHandle(workflowId).describe();
      return { type: d.type, status: d.status.name };
    },
    stop: async () => {
      await lender?.stop();
      await ockto?.stop();
      await risk?.stop();
      await platformListener?.close();
      await app.close();
      apiMailer.close();
      await killWorker();
      await connection.close();
      await orm.close(true);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Waits until a worker polls the workflow task queue, so the next call finds it. */
async function waitForPoller(client: Client, taskQueue: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const res = await client.workflowService.describeTaskQueue({
      namespace: client.options.namespace,
      taskQueue: { name: taskQueue },
      taskQueueType: 1, // TASK_QUEUE_TYPE_WORKFLOW
    });
    if ((res.pollers ?? []).length > 0) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`e2e: no worker polls task queue ${taskQueue} after 60 s`);
}
