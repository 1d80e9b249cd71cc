/**
 * `npm run bench:idle-cases`: what do K running product workflows cost while they only wait on a
 * timer (a waitForDate deadline years away), and how fast does one of them answer when an
 * adviser takes a step?
 *
 * - Starts what it needs itself, in a throw-away folder: an embedded PostgreSQL (or fresh
 *   databases on the server of DATABASE_URL), a Temporal server, the SMTP peer of simulators/smtp
 *   (nothing is mailed here) and the real worker as its own OS process (`activities/worker.ts`,
 *   the shipped productWorkflow and activities), so its RSS is the worker's alone and the load
 *   driver does not share its event loop.
 * - Temporal (BENCH_TEMPORAL): `dev` (default), the pinned CLI's dev server with a sqlite file
 *   (`--db-filename` in the folder, so its size can be measured); or `postgres`, the Temporal
 *   server on PostgreSQL (`bash scripts/temporal-postgres.sh build` first;
 *   integrations/temporal/postgres-server.ts) with its databases `temporal_bench_idle*` on the
 *   same PostgreSQL server as the platform's.
 * - A small definition (open -> waiting -> done): step `wait` takes a date and registers a
 *   waitForDate on it (a reminder 30 days before, a task on the day); step `note` changes
 *   nothing (it only records a history row). K products are inserted with SQL; each gets its
 *   `product:<id>` workflow and the step `wait` with a date five years ahead, BENCH_START_CONCURRENCY
 *   at a time: afterwards every one sleeps on a timer. BENCH_LOAD says how a case is loaded:
 *   `start-then-update` (default: start, poll the state Query until the "started" history row is
 *   there, then the Update) or `update-with-start` (start and the first step in one call; the
 *   same CPU per case, and slower in the one side-by-side run: see bench/README.md).
 * - Sampled every BENCH_SAMPLE_S (15) seconds during the load, the settling (BENCH_SETTLE_S, 60 s)
 *   and the resumes: the worker's RSS (VmRSS), the cases loaded, the load average. Reported: the
 *   load time and rate, CPU per case per process during the load (bench = load driver and SMTP
 *   peer, worker, temporal, postgres), Temporal's storage growth ÷ K (sqlite file + WAL, or
 *   pg_database_size of its two databases and its largest tables), and the time to resume an
 *   idle case (`takeStep note` on one of the oldest cases, long out of the worker's cache)
 *   beside the same first update on a fresh workflow just started (the ceiling), BENCH_RESUMES
 *   (20) of each, interleaved → ratio of the p50s.
 * - BENCH_LOAD_MINUTES (default none): stop starting cases after that long, and measure with the
 *   cases loaded by then (the result says how many; nothing is extrapolated).
 *
 * Environment: BENCH_IDLE (default 5000; the full run is 100000), BENCH_TEMPORAL,
 * BENCH_LOAD, BENCH_START_CONCURRENCY (default 50), BENCH_RESUMES, BENCH_SAMPLE_S,
 * BENCH_SETTLE_S, BENCH_LOAD_MINUTES, BENCH_RESULT (default bench/results/idle-cases.json).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Client, Connection, WithStartWorkflowOperation, type WorkflowHandle } from '@temporalio/client';
import pg from 'pg';
import { projectRoot } from '../config/settings.js';
import { temporalServerDir } from '../config/tools.js';
import { cpuSeconds, rssMb } from './proc-stats.js';
import { benchDatabase, stopChild } from './support.js';
import { dropTestDatabase, withDatabase } from '../db/embedded-postgres.js';
import { newId } from '../db/ids.js';
import { migrate } from '../db/migrate.js';
import { addDays, todayInAmsterdam } from '../domain/dates.js';
import type { ProcessDefinition } from '../domain/process/definition.js';
import { validateDefinition } from '../domain/process/rules.js';
import { startTemporalDevServer } from '../integrations/temporal/dev-server.js';
import { startTemporalPostgresServer } from '../integrations/temporal/postgres-server.js';
import { toolPaths } from '../integrations/temporal/tools.js';
import { startSmtpPeer } from '../simulators/smtp/smtp-peer.js';
import { productStateQuery, takeStepUpdate, type ProductState, type ProductWorkflowInput } from '../workflows/products/product.messages.js';

const K = Number(process.env.BENCH_IDLE ?? 5_000);
const TEMPORAL = (process.env.BENCH_TEMPORAL ?? 'dev') as 'dev' | 'postgres';
const LOAD = (process.env.BENCH_LOAD ?? 'start-then-update') as 'update-with-start' | 'start-then-update';
const START_CONCURRENCY = Number(process.env.BENCH_START_CONCURRENCY ?? 50);
const RESUMES = Number(process.env.BENCH_RESUMES ?? 20);
const SAMPLE_S = Number(process.env.BENCH_SAMPLE_S ?? 15);
const SETTLE_S = Number(process.env.BENCH_SETTLE_S ?? 60);
const LOAD_MINUTES = Number(process.env.BENCH_LOAD_MINUTES ?? 0);
const TASK_QUEUE = 'bench-idle-cases';
const TEMPORAL_DB = 'temporal_bench_idle';
const here = path.dirname(fileURLToPath(import.meta.url));
const RESULT = path.resolve(process.env.BENCH_RESULT ?? path.join(here, 'results', 'idle-cases.json'));

if (!['dev', 'postgres'].includes(TEMPORAL)) throw new Error(`BENCH_TEMPORAL must be dev or postgres, got ${TEMPORAL}`);
if (!['update-with-start', 'start-then-update'].includes(LOAD)) throw new Error(`BENCH_LOAD must be update-with-start or start-then-update, got ${LOAD}`);

const definition: ProcessDefinition = {
  key: 'bench-idle',
  version: 1,
  name: 'Bench: wachten op een datum',
  productType: 'service',
  initialStatus: 'open',
  statuses: [
    { code: 'open', label: 'Open', category: 'new' },
    { code: 'waiting', label: 'Wacht op datum', category: 'running' },
    { code: 'done', label: 'Klaar', category: 'ended' },
  ],
  steps: [
    {
      id: 'wait',
      label: 'Wachten tot de datum',
      from: ['open'],
      to: 'waiting',
      input: [{ name: 'until', label: 'Datum', type: 'date', required: true }],
      actions: [
        {
          kind: 'waitForDate',
          deadline: 'far-date',
          dateFromInput: 'until',
          remindDaysBefore: [30],
          reminder: { task: 'De datum nadert' },
          onDate: { task: 'De datum is bereikt' },
          satisfiedBy: ['done'],
        },
      ],
    },
    { id: 'note', label: 'Notitie', from: ['open', 'waiting'], actions: [] },
    { id: 'finish', label: 'Afronden', from: ['waiting'], to: 'done', actions: [] },
  ],
};

const round = (n: number, digits = 1): number => Math.round(n * 10 ** digits) / 10 ** digits;
const mb = (bytes: number): number => round(bytes / 2 ** 20);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const loadAverage = (): number[] => os.loadavg().map((l) => round(l, 2));

async function time<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const start = process.hrtime.bigint();
  const value = await fn();
  return [Number(process.hrtime.bigint() - start) / 1e6, value];
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? Number.NaN;
}

function stats(samples: number[]): { p50: number; p95: number; min: number; max: number; runs: number } {
  const s = [...samples].sort((a, b) => a - b);
  return { p50: round(percentile(s, 50), 2), p95: round(percentile(s, 95), 2), min: round(s[0] ?? 0, 2), max: round(s[s.length - 1] ?? 0, 2), runs: s.length };
}

/** Runs `fn` over `items` with at most `limit` at once, until `stop()` says no more. */
async function pool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>, stop: () => boolean): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length && !stop()) await fn(items[next++]!);
  });
  await Promise.all(runners);
}

/** The sqlite store: main file, WAL and shared memory. */
function sqliteBytes(file: string): { file: number; wal: number; total: number } {
  const size = (f: string) => (existsSync(f) ? statSync(f).size : 0);
  const main = size(file);
  const wal = size(`${file}-wal`) + size(`${file}-shm`);
  return { file: main, wal, total: main + wal };
}

interface Storage {
  totalBytes: number;
  parts: Record<string, number>;
}

/** The worker as its own OS process; resolves with it and its workflow cache size once it polls. */
async function startWorkerProcess(env: NodeJS.ProcessEnv, stops: (() => Promise<void>)[]): Promise<{ child: ChildProcess; cache: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'activities/worker.ts'], { cwd: projectRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  stops.unshift(() => stopChild(child));
  const output: string[] = [];
  const cache = await new Promise<number>((resolve, reject) => {
    const onLine = (line: string): void => {
      output.push(line);
      if (output.length > 50) output.shift();
      const m = /worker: running on task queue .*\(workflow cache (\d+)\)/.exec(line);
      if (m) resolve(Number(m[1]));
      else if (/error|warn/i.test(line) && !/ExperimentalWarning/.test(line)) console.log(`  [worker] ${line.slice(0, 300)}`);
    };
    createInterface({ input: child.stdout! }).on('line', onLine);
    createInterface({ input: child.stderr! }).on('line', onLine);
    child.once('exit', (code, signal) => reject(new Error(`worker exited (code ${code}, signal ${signal}):\n${output.join('\n')}`)));
  });
  return { child, cache };
}

async function main(): Promise<void> {
  const problems = validateDefinition(definition);
  if (problems.length > 0) throw new Error(`bench definition invalid: ${JSON.stringify(problems)}`);
  const stops: (() => Promise<void>)[] = [];
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dossierflow-bench-idle-'));
  chmodSync(dir, 0o755);
  const quiet = () => undefined;
  const startedAt = new Date();
  const loadAverageAtStart = loadAverage();
  let sampler: NodeJS.Timeout | undefined;
  try {
    const database = await benchDatabase('dossierflow_bench_idle', dir);
    stops.unshift(database.stop);
    const url = database.url;

    // ---------------------------------------------------------------- Temporal
    let temporalAddress: string;
    let storage: () => Promise<Storage>;
    let temporalInfo: string;
    if (TEMPORAL === 'postgres') {
      const u = new URL(url);
      const server = { host: u.hostname, port: Number(u.port || 5432), user: decodeURIComponent(u.username), password: decodeURIComponent(u.password) };
      const dbs = { main: TEMPORAL_DB, visibility: `${TEMPORAL_DB}_visibility` };
      for (const db of [dbs.main, dbs.visibility]) {
        await dropTestDatabase(url, db);
        stops.unshift(() => dropTestDatabase(url, db).catch(quiet));
      }
      const temporal = await startTemporalPostgresServer({ binDir: temporalServerDir(), postgres: server, databases: dbs, port: 0, dataDir: path.join(dir, 'temporal'), log: quiet });
      stops.unshift(temporal.stop);
      temporalAddress = temporal.address;
      temporalInfo = `Temporal server on PostgreSQL (pid ${temporal.pid}, 4 history shards)`;
      const tdb = new pg.Client({ connectionString: withDatabase(url, dbs.main) });
      await tdb.connect();
      stops.unshift(() => tdb.end());
      storage = async () => {
        const sizes = await tdb.query<{ name: string; bytes: string }>(`select datname as name, pg_database_size(datname)::text as bytes from pg_database where datname = any($1)`, [[dbs.main, dbs.visibility]]);
        const tables = await tdb.query<{ name: string; bytes: string }>(
          `select c.relname as name, pg_total_relation_size(c.oid)::text as bytes from pg_class c join pg_namespace n on n.oid = c.relnamespace
            where c.relkind = 'r' and n.nspname = 'public' order by pg_total_relation_size(c.oid) desc limit 8`,
        );
        const parts: Record<string, number> = {};
        for (const r of sizes.rows) parts[`database ${r.name}`] = Number(r.bytes);
        for (const r of tables.rows) parts[`table ${r.name}`] = Number(r.bytes);
        return { totalBytes: sizes.rows.reduce((s, r) => s + Number(r.bytes), 0), parts };
      };
    } else {
      const temporal = await startTemporalDevServer({ cli: toolPaths().temporalCli, port: 0, headless: true, dataDir: path.join(dir, 'temporal'), log: quiet });
      stops.unshift(temporal.stop);
      temporalAddress = temporal.address;
      temporalInfo = `CLI dev server on sqlite (pid ${temporal.pid})`;
      const dbFile = temporal.dbFile!;
      storage = async () => {
        const s = sqliteBytes(dbFile);
        return { totalBytes: s.total, parts: { 'sqlite file': s.file, 'sqlite WAL + shm': s.wal } };
      };
    }
    console.log(`Temporal: ${temporalInfo} on ${temporalAddress}`);
    const smtp = await startSmtpPeer({ smtpPort: 0, httpPort: 0, dir: path.join(dir, 'mail'), log: quiet });
    stops.unshift(smtp.stop);
    await migrate(url, quiet);

    const db = new pg.Client({ connectionString: url });
    await db.connect();
    stops.unshift(() => db.end());
    const officeId = newId();
    const dossierId = newId();
    const [genMs] = await time(async () => {
      await db.query(
        `insert into process_definitions (id, key, version, product_type, name, definition) values ($1, $2, $3, $4, $5, $6::jsonb)`,
        [newId(), definition.key, definition.version, definition.productType, definition.name, JSON.stringify(definition)],
      );
      await db.query(`insert into offices (id, name) values ($1, 'Benchkantoor Wachten')`, [officeId]);
      await db.query(`insert into dossiers (id, office_id, number, status, created_at, updated_at) values ($1, $2, '2026-0000001', 'client', now(), now())`, [
        dossierId, officeId,
      ]);
      // K + the fresh ones for the ceiling.
      await db.query(
        `insert into products (id, office_id, dossier_id, type, company, process_key, process_version, status, category, workflow_id, created_at, updated_at)
         select id, $1, $2, 'service', null, $3, $4, 'open', 'new', 'product:' || id, now(), now()
           from (select gen_random_uuid() as id from generate_series(1, $5::int)) g`,
        [officeId, dossierId, definition.key, definition.version, K + RESUMES],
      );
      await db.query('analyze');
    });
    const productIds = (await db.query<{ id: string }>('select id from products order by id')).rows.map((r) => r.id);
    const idleIds = productIds.slice(0, K);
    const freshIds = productIds.slice(K);

    console.log('starting the worker (its own process; bundling the workflows) ...');
    const { child: workerChild, cache: workerCache } = await startWorkerProcess(
      {
        DATABASE_URL: url,
        TEMPORAL_ADDRESS: temporalAddress,
        TEMPORAL_NAMESPACE: 'default',
        SMTP_URL: smtp.smtpUrl,
        TASK_QUEUE,
        DATA_DIR: path.join(dir, 'data'),
        MAIL_FROM: 'bench@bench.example.nl',
        LOG_LEVEL: 'warn',
      },
      stops,
    );
    const workerPid = workerChild.pid!;
    const roles = { worker: workerPid };
    const connection = await Connection.connect({ address: temporalAddress });
    stops.unshift(() => connection.close());
    const client = new Client({ connection, namespace: 'default' });
    const until = addDays(todayInAmsterdam(new Date()), 5 * 365);
    const input = (productId: string): ProductWorkflowInput => ({ productId, dossierId, definition, startedBy: 'bench' });
    const stepWait = { stepId: 'wait', actor: 'bench', input: { until } };

    const startedRecorded = async (handle: WorkflowHandle): Promise<void> => {
      for (let tries = 0; (await handle.query(productStateQuery)).history.length === 0; tries++) {
        if (tries > 600) throw new Error(`${handle.workflowId} never recorded its start`);
        await sleep(50);
      }
    };
    await sleep(3_000);

    // ---------------------------------------------------------------- samples
    let done = 0;
    let phase: 'load' | 'settle' | 'resume' = 'load';
    const t0 = Date.now();
    const samples: { t: number; phase: string; cases: number; workerRssMb: number; load1m: number }[] = [];
    const sample = (): void => {
      const s = { t: Math.round((Date.now() - t0) / 1000), phase, cases: done, workerRssMb: rssMb(workerPid), load1m: round(os.loadavg()[0] ?? 0, 2) };
      samples.push(s);
      console.log(`  [${String(s.t).padStart(5)} s] ${s.phase.padEnd(6)} ${String(s.cases).padStart(6)} cases  worker RSS ${s.workerRssMb} MB  load ${s.load1m}`);
    };
    const workerRssBefore = rssMb(workerPid);
    const storageBefore = await storage();
    const cpuBefore = cpuSeconds(roles);
    sample();
    sampler = setInterval(sample, SAMPLE_S * 1000);

    // ---------------------------------------------------------------- load
    console.log(`loading ${K} cases (${LOAD}, ${START_CONCURRENCY} at a time), each taking "wait" (a waitForDate on ${until}) ...`);
    const loadDeadline = LOAD_MINUTES > 0 ? Date.now() + LOAD_MINUTES * 60_000 : Number.POSITIVE_INFINITY;
    // A case whose call fails (a timeout or an overloaded server) is tried again, at most 3
    // times; the errors are counted by message and reported, and a case that never got to
    // "waiting" is not counted as loaded.
    const failures = new Map<string, number>();
    let failedCases = 0;
    const loadAttempt = async (productId: string, retry: boolean): Promise<ProductState> => {
      const workflowId = `product:${productId}`;
      if (retry) {
        // An earlier attempt may have started the workflow (and even taken the step).
        const handle = client.workflow.getHandle(workflowId);
        const exists = await handle.describe().then(() => true, () => false);
        if (exists) {
          const now = await handle.query(productStateQuery);
          return now.status === 'waiting' ? now : handle.executeUpdate(takeStepUpdate, { args: [stepWait] });
        }
      }
      if (LOAD === 'update-with-start') {
        const startWorkflowOperation = new WithStartWorkflowOperation('productWorkflow', { workflowId, taskQueue: TASK_QUEUE, args: [input(productId)], workflowIdConflictPolicy: 'FAIL' });
        return client.workflow.executeUpdateWithStart(takeStepUpdate, { args: [stepWait], startWorkflowOperation });
      }
      const handle = await client.workflow.start('productWorkflow', { workflowId, taskQueue: TASK_QUEUE, args: [input(productId)] });
      await startedRecorded(handle);
      return handle.executeUpdate(takeStepUpdate, { args: [stepWait] });
    };
    const loadOne = async (productId: string): Promise<void> => {
      for (let attempt = 1; ; attempt++) {
        try {
          const state = await loadAttempt(productId, attempt > 1);
          if (state.status !== 'waiting' || state.deadlines.length !== 1) throw new Error(`product ${productId} is not waiting: ${JSON.stringify(state)}`);
          break;
        } catch (err) {
          const key = (err instanceof Error ? `${err.name}: ${err.message}` : String(err)).slice(0, 200);
          const seen = failures.get(key) ?? 0;
          failures.set(key, seen + 1);
          if (seen === 0) console.log(`  attempt ${attempt} for ${productId} failed: ${key}`);
          if (attempt >= 3) {
            failedCases++;
            return;
          }
          await sleep(2_000 * attempt);
        }
      }
      if (++done % 5000 === 0) console.log(`  ${done} waiting after ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    };
    const [loadMs] = await time(() => pool(idleIds, START_CONCURRENCY, loadOne, () => Date.now() > loadDeadline));
    const loaded = done;
    const cpuAfterLoad = cpuSeconds(roles);
    const loadAverageAfterLoad = loadAverage();
    console.log(
      `${loaded} of ${K} cases waiting on a timer after ${(loadMs / 1000).toFixed(1)} s${Date.now() > loadDeadline ? ' (BENCH_LOAD_MINUTES reached: stopped loading)' : ''}` +
        `; ${failedCases} cases failed 3 times; failed calls: ${JSON.stringify(Object.fromEntries(failures))}`,
    );

    // ---------------------------------------------------------------- settle
    phase = 'settle';
    await sleep(SETTLE_S * 1000);
    const storageAfter = await storage();
    const running = (await client.workflow.count(`WorkflowType = "productWorkflow" AND ExecutionStatus = "Running"`)).count;
    const waitingRows = Number((await db.query<{ n: string }>(`select count(*)::text as n from products where status = 'waiting'`)).rows[0]?.n ?? 0);
    const workerRssSettled = rssMb(workerPid);

    // ---------------------------------------------------------------- resume
    // The oldest idle cases (long out of the worker's cache) against fresh workflows.
    phase = 'resume';
    const resume: number[] = [];
    const fresh: number[] = [];
    for (let i = 0; i < RESUMES; i++) {
      const idle = client.workflow.getHandle(`product:${idleIds[i]!}`);
      const [ms, state] = await time(() => idle.executeUpdate(takeStepUpdate, { args: [{ stepId: 'note', actor: 'bench' }] }));
      if (state.status !== 'waiting') throw new Error(`resumed case is ${state.status}`);
      resume.push(ms);
      const handle = await client.workflow.start('productWorkflow', { workflowId: `product:${freshIds[i]!}`, taskQueue: TASK_QUEUE, args: [input(freshIds[i]!)] });
      // Its first task (the "started" history row) done, so only the update is timed.
      await startedRecorded(handle);
      const [freshMs] = await time(() => handle.executeUpdate(takeStepUpdate, { args: [{ stepId: 'note', actor: 'bench' }] }));
      fresh.push(freshMs);
    }
    clearInterval(sampler);
    sample();
    const resumeStats = stats(resume);
    const freshStats = stats(fresh);

    const loadSamples = samples.filter((s) => s.phase === 'load');
    const peakRss = Math.max(...samples.map((s) => s.workerRssMb));
    const cpuPerCaseMs = Object.fromEntries(Object.entries(cpuAfterLoad).map(([role, s]) => [role, round(((s - (cpuBefore[role] ?? 0)) * 1000) / Math.max(loaded, 1), 2)]));
    const cpuUsedS = Object.entries(cpuAfterLoad).reduce((sum, [role, s]) => sum + s - (cpuBefore[role] ?? 0), 0);
    const perCase = (before: number, after: number) => round((after - before) / Math.max(loaded, 1) / 1024, 2);
    const result = {
      at: new Date().toISOString(),
      startedAt: startedAt.toISOString(),
      machine: {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model ?? 'unknown',
        memoryGb: Math.round(os.totalmem() / 2 ** 30),
        node: process.version,
        loadAverage1m5m15m: { atStart: loadAverageAtStart, afterLoad: loadAverageAfterLoad, atEnd: loadAverage() },
      },
      temporal: TEMPORAL,
      temporalServer: temporalInfo,
      load: LOAD,
      startConcurrency: START_CONCURRENCY,
      casesAsked: K,
      cases: loaded,
      complete: loaded === K,
      failedCases,
      failedCalls: Object.fromEntries(failures),
      runningInTemporal: running,
      productsWaitingInPostgres: waitingRows,
      generateSeconds: round(genMs / 1000, 2),
      loadSeconds: round(loadMs / 1000),
      casesPerSecond: round(loaded / (loadMs / 1000)),
      // CPU seconds per case during the load, by process (2 cores: at most 2 s per second of load).
      cpuPerCaseMs,
      cpuShareOfMachineDuringLoad: round(cpuUsedS / ((loadMs / 1000) * os.cpus().length), 2),
      worker: {
        process: 'activities/worker.ts, own OS process',
        maxCachedWorkflows: workerCache,
        cacheHoldsAll: workerCache >= loaded,
        rssMb: { beforeLoad: workerRssBefore, peak: peakRss, afterSettling: workerRssSettled, atEnd: samples[samples.length - 1]?.workerRssMb },
      },
      storage: {
        what: TEMPORAL === 'postgres' ? 'pg_database_size of Temporal\'s two databases (+ its largest tables)' : 'sqlite file + WAL + shm',
        beforeMb: mb(storageBefore.totalBytes),
        afterMb: mb(storageAfter.totalBytes),
        perCaseKb: perCase(storageBefore.totalBytes, storageAfter.totalBytes),
        partsAfterMb: Object.fromEntries(Object.entries(storageAfter.parts).map(([k, v]) => [k, mb(v)])),
      },
      resumeIdleMs: resumeStats,
      freshFirstUpdateMs: freshStats,
      ratioP50: round(resumeStats.p50 / freshStats.p50, 2),
      // Cases per second between consecutive samples of the load.
      loadRateSeries: loadSamples.slice(1).map((s, i) => ({ t: s.t, casesPerSecond: round((s.cases - loadSamples[i]!.cases) / Math.max(s.t - loadSamples[i]!.t, 1)) })),
      samples,
    };
    console.log(
      `idle cases: ${loaded} product workflows waiting on a timer (${running} running in Temporal, ${waitingRows} waiting in PostgreSQL), ` +
        `loaded in ${result.loadSeconds} s (${result.casesPerSecond}/s, ${LOAD}, ${START_CONCURRENCY} at a time, ${temporalInfo})`,
    );
    console.log(`  CPU per case during the load (ms): ${JSON.stringify(cpuPerCaseMs)}; ${result.cpuShareOfMachineDuringLoad} of the machine`);
    console.log(`  worker RSS ${workerRssBefore} MB before, peak ${peakRss} MB, ${workerRssSettled} MB after settling (workflow cache ${workerCache})`);
    console.log(`  Temporal storage ${result.storage.beforeMb} -> ${result.storage.afterMb} MB = ${result.storage.perCaseKb} KB per case ${JSON.stringify(result.storage.partsAfterMb)}`);
    console.log(`  resume an idle case (takeStep): p50 ${resumeStats.p50} ms, p95 ${resumeStats.p95} ms`);
    console.log(`  fresh workflow's first update:  p50 ${freshStats.p50} ms, p95 ${freshStats.p95} ms`);
    console.log(`  RATIO resume / fresh (p50): ${result.ratioP50}x; load average ${JSON.stringify(result.machine.loadAverage1m5m15m)}`);
    mkdirSync(path.dirname(RESULT), { recursive: true });
    writeFileSync(RESULT, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`written ${path.relative(process.cwd(), RESULT)}`);
  } catch (err) {
    // Printed before the servers stop (their shutdown can end the process first).
    console.error(err);
    throw err;
  } finally {
    clearInterval(sampler);
    for (const stop of stops) await stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
