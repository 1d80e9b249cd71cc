/**
 * Shared starter of the platform benchmarks (bench/hdn-ingest.ts, bench/api-reads.ts): the
 * servers the test global setup starts (embedded PostgreSQL in a throw-away folder, or a fresh
 * `dossierflow_bench_<pid>` database on the server of DATABASE_URL; the pinned Temporal dev
 * server in memory; the SMTP peer), seeded like `npm start`, the API in-process on a real
 * port (buildApp, logger off) and, when asked, the worker as its own OS process
 * (`activities/worker.ts`, like test/helpers/e2e-platform.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../api/app.js';
import type { XmlDeps } from '../api/types.js';
import { temporalHealthCheck } from '../integrations/temporal/health.js';
import { freePort } from '../config/ports.js';
import { projectRoot } from '../config/settings.js';
import { createTestDatabase, dropTestDatabase, startEmbeddedPostgres } from '../db/embedded-postgres.js';
import { newId } from '../db/ids.js';
import { migrate } from '../db/migrate.js';
import { createOrm, type MikroORM } from '../db/orm.js';
import { CREDENTIALS_FILE, seed } from '../scripts/seed.js';
import { startTemporalDevServer } from '../integrations/temporal/dev-server.js';
import { toolPaths } from '../integrations/temporal/tools.js';
import { startSmtpPeer } from '../simulators/smtp/smtp-peer.js';

/** Our HDN node (the settings default). */
export const BENCH_HDN_NODE = 'DFL001';

/** Ends a child program: SIGTERM, SIGKILL when it has not exited after 10 s; at once when it already ended. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await gone;
  clearTimeout(timer);
}

export interface BenchPlatform {
  databaseUrl: string;
  temporalAddress: string;
  client: Client;
  orm: MikroORM;
  app: FastifyInstance;
  /** http://127.0.0.1:<port> of the in-process API. */
  baseUrl: string;
  officeId: string;
  /** Credentials by role, as `npm start` writes them. */
  tokens: Record<string, string>;
  taskQueue: string;
  /** Starts the worker process with extra environment, waits until it polls. */
  startWorker(env?: NodeJS.ProcessEnv): Promise<void>;
  stop(): Promise<void>;
}

const quiet = (): undefined => undefined;

/**
 * A fresh database for one benchmark run: `name` recreated on the server of DATABASE_URL, or an
 * embedded PostgreSQL under `dir`. `stop` drops the database, or stops the embedded server.
 */
export async function benchDatabase(name: string, dir: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const external = process.env.DATABASE_URL;
  if (external) {
    await dropTestDatabase(external, name);
    const url = await createTestDatabase(external, name);
    return { url, stop: () => dropTestDatabase(external, name).catch(quiet) };
  }
  const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, 'postgres'), port: await freePort(), fast: true, log: quiet });
  return { url: pg.url, stop: pg.stop };
}

export async function startBenchPlatform(opts: { xml?: XmlDeps } = {}): Promise<BenchPlatform> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dossierflow-bench-'));
  chmodSync(dir, 0o755);
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async (): Promise<void> => {
    for (const stop of stops.reverse()) await stop().catch(quiet);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const tools = toolPaths();
    const [databaseUrl, temporal, smtp] = await Promise.all([
      benchDatabase(`dossierflow_bench_${process.pid}`, dir).then((db) => {
        stops.push(db.stop);
        return db.url;
      }),
      startTemporalDevServer({ cli: tools.temporalCli, port: 0, headless: true, ephemeral: true, log: quiet }).then((t) => {
        stops.push(t.stop);
        return t;
      }),
      startSmtpPeer({ smtpPort: 0, httpPort: 0, dir: path.join(dir, 'mail'), log: quiet }).then((p) => {
        stops.push(p.stop);
        return p;
      }),
    ]);
    await migrate(databaseUrl, quiet);
    const orm = await createOrm(databaseUrl);
    stops.push(() => orm.close(true));
    const dataDir = path.join(dir, 'data');
    const seeded = await seed(orm, { dataDir, hdnNode: BENCH_HDN_NODE, log: quiet });
    const tokens = JSON.parse(readFileSync(path.join(dataDir, CREDENTIALS_FILE), 'utf8')) as Record<string, string>;
    const connection = await Connection.connect({ address: temporal.address });
    stops.push(() => connection.close());
    const client = new Client({ connection });
    const taskQueue = `bench-${newId().slice(0, 8)}`;
    const app = buildApp({
      orm,
      temporal: { client, taskQueue, checkHealth: temporalHealthCheck(connection) },
      hdn: { node: BENCH_HDN_NODE },
      // The benchmarks measure capacity, not the abuse guard: the per-credential party rate
      // limit (PARTY_RATE_LIMIT, api/plugins/rate-limit.ts) is lifted out of the way.
      rateLimit: { partyMax: 1_000_000_000, windowSeconds: 60 },
      ...(opts.xml ? { xml: opts.xml } : {}),
      logger: false,
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    stops.push(() => app.close());
    const address = app.server.address();
    const baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

    const startWorker = async (env: NodeJS.ProcessEnv = {}): Promise<void> => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'activities/worker.ts'], {
        cwd: projectRoot,
        env: {
          ...process.env,
          DATABASE_URL: databaseUrl,
          TEMPORAL_ADDRESS: temporal.address,
          SMTP_URL: smtp.smtpUrl,
          TASK_QUEUE: taskQueue,
          DATA_DIR: dataDir,
          HDN_NODE: BENCH_HDN_NODE,
          LOG_LEVEL: 'warn',
          ...env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      stops.push(() => stopChild(child));
      const output: string[] = [];
      await new Promise<void>((resolve, reject) => {
        const onLine = (line: string): void => {
          output.push(line);
          if (output.length > 50) output.shift();
          if (/worker: running on task queue/.test(line)) resolve();
        };
        createInterface({ input: child.stdout! }).on('line', onLine);
        createInterface({ input: child.stderr! }).on('line', onLine);
        child.once('exit', (code, signal) => reject(new Error(`worker exited (code ${code}, signal ${signal}):\n${output.join('\n')}`)));
      });
      const deadline = Date.now() + 60_000;
      for (;;) {
        const res = await client.workflowService.describeTaskQueue({
          namespace: client.options.namespace,
          taskQueue: { name: taskQueue },
          taskQueueType: 1, // TASK_QUEUE_TYPE_WORKFLOW
        });
        if ((res.pollers ?? []).length > 0) return;
        if (Date.now() > deadline) throw new Error(`no worker polls ${taskQueue} after 60 s`);
        await new Promise((r) => setTimeout(r, 200));
      }
    };

    return {
      databaseUrl,
      temporalAddress: temporal.address,
      client,
      orm,
      app,
      baseUrl,
      officeId: seeded.officeId,
      tokens,
      taskQueue,
      startWorker,
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? Number.NaN;
}

export const round2 = (n: number): number => Math.round(n * 100) / 100;

export function machine(): { cpus: number; cpuModel: string; memoryGb: number; node: string } {
  return { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version };
}

/** Runs `task(i)` for i in 0..count-1 with at most `concurrency` at a time. */
export async function pool(count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
}
