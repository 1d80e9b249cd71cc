/**
 * `npm run bench:idle-cases`: what do K running product workflows cost while they only wait on a
 * timer (a waitForDate deadline years away), and how fast does one of them answer when an
 * adviser takes a step?
 *
 * - Starts what it needs itself, in a throw-away folder: an embedded PostgreSQL (or a fresh
 *   `dossierflow_bench_idle` database on the server of DATABASE_URL), the pinned Temporal dev
 *   server with a sqlite file (`--db-filename` in the folder, not in memory, so its size can be
 *   measured), the SMTP peer of simulators/smtp (nothing is mailed here) and the real worker
 *   in-process (`startWorker`, the shipped productWorkflow and activities).
 * - A small definition (open -> waiting -> done): step `wait` takes a date and registers a
 *   waitForDate on it (a reminder 30 days before, a task on the day); step `note` changes
 *   nothing (it only records a history row). K products are inserted with SQL, K
 *   `product:<id>` workflows started, and each is sent `takeStep wait` with a date five years
 *   ahead (concurrency-limited): afterwards every one sleeps on a timer.
 * - Reported once all are idle: the process RSS (worker, client and PostgreSQL driver in this
 *   process; also the growth over the RSS before the K cases), the dev server's sqlite size
 *   (file + WAL) growth ÷ K, and the time to resume an idle case (`takeStep note` on one of
 *   the oldest cases, answered) beside the same first update on a fresh workflow just started
 *   (the ceiling), 20 of each, interleaved → ratio of the p50s.
 *
 * Environment: BENCH_IDLE (default 5000; the full run is 100000),
 * BENCH_START_CONCURRENCY (default 50), BENCH_RESUMES (default 20).
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import pg from 'pg';
import { startWorker } from '../activities/worker.js';
import { benchDatabase } from './support.js';
import { newId } from '../db/ids.js';
import { migrate } from '../db/migrate.js';
import { addDays, todayInAmsterdam } from '../domain/dates.js';
import type { ProcessDefinition } from '../domain/process/definition.js';
import { validateDefinition } from '../domain/process/rules.js';
import { startTemporalDevServer } from '../integrations/temporal/dev-server.js';
import { toolPaths } from '../integrations/temporal/tools.js';
import { startSmtpPeer } from '../simulators/smtp/smtp-peer.js';
import { productStateQuery, takeStepUpdate, type ProductWorkflowInput } from '../workflows/products/product.messages.js';

const K = Number(process.env.BENCH_IDLE ?? 5_000);
const START_CONCURRENCY = Number(process.env.BENCH_START_CONCURRENCY ?? 50);
const RESUMES = Number(process.env.BENCH_RESUMES ?? 20);
const GOAL_CASES = 100_000;
const TASK_QUEUE = 'bench-idle-cases';
const here = path.dirname(fileURLToPath(import.meta.url));

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

/** Runs `fn` over `items` with at most `limit` at once. */
async function pool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
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

async function main(): Promise<void> {
  const problems = validateDefinition(definition);
  if (problems.length > 0) throw new Error(`bench definition invalid: ${JSON.stringify(problems)}`);
  const stops: (() => Promise<void>)[] = [];
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dossierflow-bench-idle-'));
  chmodSync(dir, 0o755);
  const quiet = () => undefined;
  try {
    const database = await benchDatabase('dossierflow_bench_idle', dir);
    stops.unshift(database.stop);
    const url = database.url;
    const temporal = await startTemporalDevServer({ cli: toolPaths().temporalCli, port: 0, headless: true, dataDir: path.join(dir, 'temporal'), log: quiet });
    stops.unshift(temporal.stop);
    const dbFile = temporal.dbFile!;
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

    Runtime.install({ logger: new DefaultLogger('WARN') });
    console.log('starting the worker (bundling the workflows) ...');
    const worker = await startWorker({
      databaseUrl: url,
      temporalAddress: temporal.address,
      temporalNamespace: 'default',
      taskQueue: TASK_QUEUE,
      smtpUrl: smtp.smtpUrl,
      publicUrl: 'http://localhost:3000',
      mailFrom: 'bench@bench.example.nl',
    });
    stops.unshift(worker.stop);
    const connection = await Connection.connect({ address: temporal.address });
    stops.unshift(() => connection.close());
    const client = new Client({ connection, namespace: 'default' });
    const until = addDays(todayInAmsterdam(new Date()), 5 * 365);
    const input = (productId: string): ProductWorkflowInput => ({ productId, dossierId, definition, startedBy: 'bench' });

    const startedRecorded = async (handle: WorkflowHandle): Promise<void> => {
      for (let tries = 0; (await handle.query(productStateQuery)).history.length === 0; tries++) {
        if (tries > 600) throw new Error(`${handle.workflowId} never recorded its start`);
        await sleep(50);
      }
    };
    await sleep(3_000);
    const rssBefore = process.memoryUsage().rss;
    const sqliteBefore = sqliteBytes(dbFile);

    console.log(`starting ${K} product workflows, each taking "wait" (a waitForDate on ${until}) ...`);
    let done = 0;
    const [loadMs] = await time(() =>
      pool(idleIds, START_CONCURRENCY, async (productId) => {
        const handle = await client.workflow.start('productWorkflow', { workflowId: `product:${productId}`, taskQueue: TASK_QUEUE, args: [input(productId)] });
        // An update in the workflow's first activation runs before its "started" record, which
        // then sets the status back to the initial one: wait for "started" (as a real adviser would).
        await startedRecorded(handle);
        const state = await handle.executeUpdate(takeStepUpdate, { args: [{ stepId: 'wait', actor: 'bench', input: { until } }] });
        if (state.status !== 'waiting' || state.deadlines.length !== 1) throw new Error(`product ${productId} is not waiting: ${JSON.stringify(state)}`);
        if (++done % 1000 === 0) console.log(`  ${done} waiting`);
      }),
    );
    console.log(`${K} cases waiting on a timer after ${(loadMs / 1000).toFixed(1)} s`);
    // Let the worker and the server settle (history writes, sticky caches), then measure.
    await sleep(10_000);
    const mem = process.memoryUsage();
    const sqliteAfter = sqliteBytes(dbFile);
    const running = (await client.workflow.count(`WorkflowType = "productWorkflow" AND ExecutionStatus = "Running"`)).count;

    // Resume: the oldest idle cases (most likely out of the worker's cache) against fresh workflows.
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
    const resumeStats = stats(resume);
    const freshStats = stats(fresh);
    const maxCached = worker.worker.options.maxCachedWorkflows;
    const sqlitePerCase = (sqliteAfter.total - sqliteBefore.total) / K;
    const rssPerCase = (mem.rss - rssBefore) / K;
    const result = {
      at: new Date().toISOString(),
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version },
      cases: K,
      runningInTemporal: running,
      generateSeconds: round(genMs / 1000, 2),
      loadSeconds: round(loadMs / 1000),
      casesPerSecond: round(K / (loadMs / 1000)),
      worker: { maxCachedWorkflows: maxCached, cacheHoldsAll: maxCached >= K },
      memoryMb: { rssBefore: mb(rssBefore), rss: mb(mem.rss), heapUsed: mb(mem.heapUsed), external: mb(mem.external), rssGrowthPerCaseKb: round(rssPerCase / 1024, 2) },
      temporalSqlite: {
        beforeMb: mb(sqliteBefore.total),
        afterMb: mb(sqliteAfter.total),
        afterFileMb: mb(sqliteAfter.file),
        afterWalMb: mb(sqliteAfter.wal),
        perCaseKb: round(sqlitePerCase / 1024, 2),
      },
      resumeIdleMs: resumeStats,
      freshFirstUpdateMs: freshStats,
      ratioP50: round(resumeStats.p50 / freshStats.p50, 2),
      extrapolatedTo: {
        cases: GOAL_CASES,
        sqliteGb: round((sqliteBefore.total + sqlitePerCase * GOAL_CASES) / 2 ** 30, 2),
        loadMinutes: round((loadMs / 1000 / K) * GOAL_CASES / 60),
      },
    };
    console.log(`idle cases: ${K} product workflows waiting on a timer (${running} running in Temporal), loaded in ${result.loadSeconds} s (${result.casesPerSecond}/s)`);
    console.log(`  RSS ${result.memoryMb.rss} MB (before the cases ${result.memoryMb.rssBefore} MB, +${result.memoryMb.rssGrowthPerCaseKb} KB per case; worker cache ${maxCached})`);
    console.log(`  Temporal sqlite ${result.temporalSqlite.beforeMb} -> ${result.temporalSqlite.afterMb} MB = ${result.temporalSqlite.perCaseKb} KB per case`);
    console.log(`  resume an idle case (takeStep): p50 ${resumeStats.p50} ms, p95 ${resumeStats.p95} ms`);
    console.log(`  fresh workflow's first update:  p50 ${freshStats.p50} ms, p95 ${freshStats.p95} ms`);
    console.log(`  RATIO resume / fresh (p50): ${result.ratioP50}x`);
    mkdirSync(path.join(here, 'results'), { recursive: true });
    writeFileSync(path.join(here, 'results', 'idle-cases.json'), `${JSON.stringify(result, null, 2)}\n`);
    console.log('written bench/results/idle-cases.json');
  } finally {
    for (const stop of stops) await stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
