/**
 * The platform for the chaos run, with every part that gets killed as its own OS process:
 *
 * - its own Temporal dev server on a SQLite file in a temp folder and a fixed port, so a
 *   kill -9 and a restart keep the workflows (the suite's shared dev server is never touched);
 * - the API (`api/server.ts`, as `npm start` runs it) on a fixed port;
 * - the worker (the platform's `startWorker` on a prebuilt workflow bundle, see chaos-worker.ts).
 *
 * Scale-out (`apiReplicas`, `workers`; default 1 each): several API processes on the one port
 * (API_REPLICAS, SO_REUSEPORT, as `npm start` runs them) and several workers on the one task
 * queue. The driver then kills one instance of a kind (`kill(target, instance)`), the others
 * keep serving.
 *
 * PostgreSQL and the SMTP peer come from outside (the vitest global setup or run.ts) and are
 * never killed; the simulated lender and bank run in this process. A part that dies on its own
 * (the API cannot reach Temporal while that is down, say) is started again after a second, the
 * way the `npm start` supervisor does; a part the driver killed stays down until it restarts it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import { workflowsPath } from '../../activities/worker.js';
import { freePort } from '../../config/ports.js';
import { projectRoot } from '../../config/settings.js';
import { ibanCheckDigits } from '../../domain/iban.js';
import { newId } from '../../db/ids.js';
import { createOrm } from '../../db/orm.js';
import { CREDENTIALS_FILE, DEMO_LENDER, seed } from '../../scripts/seed.js';
import { startTemporalDevServer, type DevServer } from '../../integrations/temporal/dev-server.js';
import { startBankSimulator, type BankSimulator } from '../../simulators/bank/index.js';
import { startLenderSimulator, type LenderSimulator } from '../../simulators/lender/index.js';

export const chaosTargets = ['worker', 'api', 'temporal'] as const;
export type ChaosTarget = (typeof chaosTargets)[number];

/** Our HDN node (the settings default). */
export const CHAOS_HDN_NODE = 'DFL001';

export interface ChaosPlatformOptions {
  databaseUrl: string;
  smtpUrl: string;
  temporalCli: string;
  /** Time between the simulated lender's messages. */
  lenderStepDelayMs: number;
  /** Worker processes on the task queue (default 1). */
  workers?: number;
  /** API processes on the one port (default 1; more share it with SO_REUSEPORT, Linux). */
  apiReplicas?: number;
  log: (line: string) => void;
}

export interface ChaosPlatform {
  apiUrl: string;
  officeId: string;
  /** Bearer tokens by role, as the seed wrote them. */
  tokens: Record<string, string>;
  taskQueue: string;
  temporalAddress: string;
  lender: LenderSimulator;
  bank: BankSimulator;
  bankToken: string;
  creditorIban: string;
  /** How many processes of a kind run (workers, API replicas; Temporal is one). */
  instances(target: ChaosTarget): number;
  /** SIGKILL one part (its whole process group; `instance` 0-based, default 0) and wait until it is gone. */
  kill(target: ChaosTarget, instance?: number): Promise<void>;
  /** Start a killed part again and wait until it is up. */
  restart(target: ChaosTarget, instance?: number): Promise<void>;
  /** Times a part died without being killed by the driver (and was started again). */
  unexpectedExits(): Record<ChaosTarget, number>;
  /** A Temporal client on the chaos server, connecting with retries (the server may be down). */
  withTemporal<T>(fn: (client: Client) => Promise<T>): Promise<T>;
  stop(): Promise<void>;
}

const iban = (bankCode: string, account: string): string => `NL${ibanCheckDigits('NL', `${bankCode}${account}`)}${bankCode}${account}`;

/** One supervised OS process: started, killed by the driver, or restarted after dying on its own. */
class Part {
  private child: ChildProcess | undefined;
  private temporal: DevServer | undefined;
  private killedByDriver = false;
  private stopped = false;
  private starting: Promise<void> | undefined;
  unexpected = 0;
  private readonly tail: string[] = [];

  constructor(
    /** The kind (`worker`), or the instance when there are several (`worker-2`). */
    readonly name: string,
    private readonly launch: (part: Part) => Promise<ChildProcess | DevServer>,
    private readonly log: (line: string) => void,
  ) {}

  note(line: string): void {
    this.tail.push(line);
    if (this.tail.length > 40) this.tail.shift();
  }

  lastLines(): string {
    return this.tail.join('\n');
  }

  /** Starts and waits until up; retries while it fails to come up (e.g. Temporal is down). */
  start(): Promise<void> {
    this.killedByDriver = false;
    this.starting ??= (async () => {
      try {
        for (let attempt = 1; ; attempt++) {
          if (this.stopped) return;
          try {
            const started = await this.launch(this);
            if ('address' in started) {
              this.temporal = started;
              this.watch(started.child);
            } else {
              this.child = started;
              this.watch(started);
            }
            return;
          } catch (err) {
            if (attempt % 10 === 0) this.log(`${this.name}: still not up after ${attempt} attempts: ${String(err).slice(0, 300)}`);
            if (attempt >= 120) throw new Error(`${this.name} did not come up: ${String(err)}\n${this.lastLines()}`);
            await sleep(500);
          }
        }
      } finally {
        this.starting = undefined;
      }
    })();
    return this.starting;
  }

  private watch(child: ChildProcess): void {
    child.once('exit', (code, signal) => {
      if (this.stopped || this.killedByDriver) return;
      if (this.child !== child && this.temporal?.child !== child) return;
      this.unexpected += 1;
      this.log(`${this.name} exited on its own (code ${code}, signal ${signal}); starting it again`);
      setTimeout(() => {
        if (!this.stopped && !this.killedByDriver) void this.start().catch((err: unknown) => this.log(String(err)));
      }, 1_000);
    });
  }

  private current(): ChildProcess | undefined {
    return this.temporal?.child ?? this.child;
  }

  async kill(): Promise<void> {
    if (this.starting) await this.starting.catch(() => undefined);
    this.killedByDriver = true;
    const child = this.current();
    if (!child || child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
    await gone;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.starting) await this.starting.catch(() => undefined);
    if (this.temporal) {
      await this.temporal.stop();
      return;
    }
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await gone;
    clearTimeout(timer);
  }
}

/**
 * True when process `pid` holds a listening TCP socket on `port` (Linux /proc): with several API
 * replicas on one port a request to it may be answered by another replica, so readiness of one
 * replica is its own socket.
 */
function listensOn(pid: number, port: number): boolean {
  const inodes = new Set<string>();
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      // local_address (ip:PORT), state 0A = LISTEN, inode in column 10.
      if (f.length > 9 && f[1]?.endsWith(`:${hexPort}`) && f[3] === '0A') inodes.add(f[9]!);
    }
  }
  if (inodes.size === 0) return false;
  try {
    return readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return inodes.has(/^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1] ?? '');
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}

/** Spawns `node --import tsx <file>` in its own process group; resolves when `ready` says so. */
function spawnTs(
  part: Part,
  file: string,
  env: NodeJS.ProcessEnv,
  ready: (line: string) => boolean,
  readyCheck?: (child: ChildProcess) => Promise<boolean>,
): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', file], { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  return new Promise<ChildProcess>((resolve, reject) => {
    let done = false;
    const finish = (err?: Error) => {
      if (done) return;
      done = true;
      if (err) reject(err);
      else resolve(child);
    };
    const onLine = (line: string) => {
      part.note(line);
      if (ready(line)) finish();
    };
    createInterface({ input: child.stdout! }).on('line', onLine);
    createInterface({ input: child.stderr! }).on('line', onLine);
    child.once('exit', (code, signal) => finish(new Error(`${part.name} exited while starting (code ${code}, signal ${signal})`)));
    if (readyCheck) {
      void (async () => {
        while (!done && child.exitCode === null) {
          if (await readyCheck(child).catch(() => false)) finish();
          else await sleep(200);
        }
      })();
    }
  });
}

export async function startChaosPlatform(opts: ChaosPlatformOptions): Promise<ChaosPlatform> {
  const { log } = opts;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'dossierflow-chaos-'));
  const taskQueue = `chaos-${newId().slice(0, 8)}`;
  const temporalPort = await freePort();
  const apiPort = await freePort();
  const temporalAddress = `127.0.0.1:${temporalPort}`;
  const apiUrl = `http://127.0.0.1:${apiPort}`;

  // The office, its credentials and the creditor at the simulated bank.
  const orm = await createOrm(opts.databaseUrl);
  let seeded: { officeId: string };
  try {
    seeded = await seed(orm, { dataDir, hdnNode: CHAOS_HDN_NODE, officeName: `Chaos Advies ${taskQueue}`, log: () => undefined });
  } finally {
    await orm.close(true);
  }
  const tokens = JSON.parse(readFileSync(path.join(dataDir, CREDENTIALS_FILE), 'utf8')) as Record<string, string>;
  const creditorIban = iban('INGB', `00${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`);
  const bankToken = `bank-${newId()}`;
  const bank = await startBankSimulator({ port: 0, token: bankToken, accountIban: creditorIban, log: () => undefined });

  const gatewayToken = `gw-${newId()}`;
  const lender = await startLenderSimulator({
    port: 0,
    nodeNumber: DEMO_LENDER.node,
    name: DEMO_LENDER.name,
    inboundToken: gatewayToken,
    deliverTo: { url: `${apiUrl}/hdn/messages`, token: tokens.lender ?? '' },
    scenario: 'happy',
    stepDelayMs: opts.lenderStepDelayMs,
    sx09DelayMs: Math.min(100, opts.lenderStepDelayMs),
    // Short backoff: the API is down for seconds at a time, not minutes.
    retry: { initialMs: 200, maxMs: 1_500 },
    deliveryTimeoutMs: 15_000,
    log: () => undefined,
  });

  // The workflow bundle once, so a restarted worker is polling within seconds.
  const bundle = await bundleWorkflowCode({ workflowsPath, logger: { trace: () => {}, debug: () => {}, info: () => {}, warn: () => {}, error: (m) => log(`bundle: ${m}`), log: () => {} } });
  const bundlePath = path.join(dataDir, 'workflow-bundle.js');
  writeFileSync(bundlePath, bundle.code);

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    DATABASE_URL: opts.databaseUrl,
    TEMPORAL_ADDRESS: temporalAddress,
    TASK_QUEUE: taskQueue,
    SMTP_URL: opts.smtpUrl,
    HOST: '127.0.0.1',
    PORT: String(apiPort),
    PUBLIC_URL: apiUrl,
    HDN_NODE: CHAOS_HDN_NODE,
    HDN_GATEWAY_URL: lender.inboundUrl,
    HDN_GATEWAY_TOKEN: gatewayToken,
    LOG_LEVEL: 'error',
    CHAOS_WORKFLOW_BUNDLE: bundlePath,
    // Invoice runs start at once, whatever the hour the test runs.
    INVOICE_RUN_HOUR: '0',
    // The chaos run measures recovery, not the abuse guard: the lender's deliveries and the
    // bank files must not be answered 429 (PARTY_RATE_LIMIT, api/plugins/rate-limit.ts).
    PARTY_RATE_LIMIT: '1000000',
  };
  delete env.RISK_URL;
  delete env.RISK_TOKEN;

  const temporalDir = path.join(dataDir, 'temporal');
  const temporal = new Part(
    'temporal',
    (part) =>
      startTemporalDevServer({ cli: opts.temporalCli, port: temporalPort, headless: true, dataDir: temporalDir, log: (line) => part.note(line) }),
    log,
  );
  const apiReplicas = opts.apiReplicas ?? 1;
  const workerCount = opts.workers ?? 1;
  const nameOf = (kind: ChaosTarget, i: number, n: number) => (n === 1 ? kind : `${kind}-${i + 1}`);
  const apiEnv: NodeJS.ProcessEnv = { ...env, API_REPLICAS: String(apiReplicas) };
  const apis = Array.from(
    { length: apiReplicas },
    (_, i) =>
      new Part(
        nameOf('api', i, apiReplicas),
        (part) =>
          spawnTs(part, 'api/server.ts', apiEnv, () => false, async (child) => {
            // One replica: it answers. Several: this one holds its own listening socket (another may answer).
            if (apiReplicas > 1) return child.pid !== undefined && listensOn(child.pid, apiPort);
            const res = await fetch(`${apiUrl}/health/live`, { signal: AbortSignal.timeout(1_000) });
            return res.ok;
          }),
        log,
      ),
  );
  const workers = Array.from(
    { length: workerCount },
    (_, i) => new Part(nameOf('worker', i, workerCount), (part) => spawnTs(part, 'test/chaos/chaos-worker.ts', env, (line) => /worker: running on task queue/.test(line)), log),
  );
  const parts: Record<ChaosTarget, Part[]> = { temporal: [temporal], api: apis, worker: workers };
  const partOf = (target: ChaosTarget, instance = 0): Part => {
    const part = parts[target][instance];
    if (!part) throw new Error(`no ${target} number ${instance + 1} (there are ${parts[target].length})`);
    return part;
  };
  const sum = (list: Part[]) => list.reduce((n, p) => n + p.unexpected, 0);

  await temporal.start();
  await Promise.all([...apis, ...workers].map((p) => p.start()));

  let connection: Connection | undefined;
  let client: Client | undefined;
  const withTemporal = async <T>(fn: (c: Client) => Promise<T>): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      try {
        if (!client) {
          connection = await Connection.connect({ address: temporalAddress, connectTimeout: 2_000 });
          client = new Client({ connection });
        }
        const c = client;
        return await c.withDeadline(Date.now() + 15_000, () => fn(c));
      } catch (err) {
        if (attempt >= 60) throw err;
        await connection?.close().catch(() => undefined);
        connection = undefined;
        client = undefined;
        await sleep(500);
      }
    }
  };

  return {
    apiUrl,
    officeId: seeded.officeId,
    tokens,
    taskQueue,
    temporalAddress,
    lender,
    bank,
    bankToken,
    creditorIban,
    instances: (target) => parts[target].length,
    kill: (target, instance) => partOf(target, instance).kill(),
    restart: (target, instance) => partOf(target, instance).start(),
    unexpectedExits: () => ({ worker: sum(workers), api: sum(apis), temporal: temporal.unexpected }),
    withTemporal,
    stop: async () => {
      await lender.stop().catch(() => undefined);
      await bank.stop().catch(() => undefined);
      await connection?.close().catch(() => undefined);
      await Promise.all([...apis, ...workers].map((p) => p.stop()));
      await temporal.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
