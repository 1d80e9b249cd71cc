/**
 * `npm run bench:invoice-run`: how long does a monthly invoice run take when N contracts are due
 * on one date, from starting their contract workflows until every invoice exists (numbered,
 * PDF stored, mailed, its invoice workflow started) and the pain.008 batch is written?
 *
 * - Starts what it needs itself, in a throw-away folder: an embedded PostgreSQL (or a fresh
 *   `dossierflow_bench_invoices` database on the server of DATABASE_URL), the pinned Temporal
 *   dev server (in memory), an SMTP sink (smtp-server that counts and discards; the SMTP
 *   peer of simulators/smtp rewrites its whole index.json per message, O(N²) at this volume)
 *   and the real worker in-process (`startWorker`, the shipped activities and workflows).
 * - One office with a SEPA creditor; N persons (with e-mail), dossiers, service products and
 *   monthly SEPA contracts starting today (valid IBANs from `ibanCheckDigits`), inserted with
 *   SQL inside PostgreSQL. Then `contract:<id>` is started for each (as the API does,
 *   concurrency-limited) and the run is timed until `invoices` holds N rows with a PDF, the SMTP
 *   sink has N mails and Temporal counts N invoice workflows; then `createSepaExport` (the
 *   code path of POST /billing/sepa-exports: pain.008 built, stored, invoices marked, every
 *   invoice workflow signalled) writes the batch.
 * - Where the time goes: the summed duration of each activity type (an activity interceptor)
 *   and, after the run, PDF rendering and one SMTP mail measured alone (serially, 50 each).
 * - Ceiling in the same run: the raw PostgreSQL insert rate of N invoice-shaped rows (multi-row
 *   INSERTs of 1,000 rows into a scratch copy of `invoices`). Ratio = raw rows/s ÷ invoices/s.
 * - Prints the figures and writes bench/results/invoice-run.json.
 *
 * Environment: BENCH_CONTRACTS (default 2000; the issue's full run is 100000),
 * BENCH_START_CONCURRENCY (default 50), BENCH_TIMEOUT_S (default 3600).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime, type ActivityInboundCallsInterceptor } from '@temporalio/worker';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { startWorker } from '../activities/worker.js';
import { createSepaExport } from '../services/billing/sepa-export.js';
import { freePort } from '../config/ports.js';
import { defaultTemplates } from '../services/templates/defaults.js';
import { benchDatabase } from './support.js';
import { newId } from '../db/ids.js';
import { migrate } from '../db/migrate.js';
import { createOrm, type MikroORM } from '../db/orm.js';
import { todayInAmsterdam } from '../domain/dates.js';
import { ibanCheckDigits } from '../domain/iban.js';
import { shippedProcesses } from '../domain/processes/index.js';
import { createMailer, type Mailer } from '../integrations/mail/transport.js';
import { renderDocumentPdf } from '../integrations/pdf/render.js';
import { nextTargetBusinessDay } from '../integrations/sepa/calendar.js';
import { creditorIdCheckDigits } from '../integrations/sepa/creditor-id.js';
import { startTemporalDevServer } from '../integrations/temporal/dev-server.js';
import { toolPaths } from '../integrations/temporal/tools.js';

const N = Number(process.env.BENCH_CONTRACTS ?? 2_000);
const START_CONCURRENCY = Number(process.env.BENCH_START_CONCURRENCY ?? 50);
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_S ?? 3_600) * 1000;
const GOAL_CONTRACTS = 100_000;
const GOAL_SECONDS = 300;
const TASK_QUEUE = 'bench-invoice-run';
const SAMPLES = 50;
const here = path.dirname(fileURLToPath(import.meta.url));

const iban = (bankCode: string, account: string): string => `NL${ibanCheckDigits('NL', `${bankCode}${account}`)}${bankCode}${account}`;
const round = (n: number, digits = 1): number => Math.round(n * 10 ** digits) / 10 ** digits;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function time<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const start = process.hrtime.bigint();
  const value = await fn();
  return [Number(process.hrtime.bigint() - start) / 1e6, value];
}

/** Runs `fn` over `items` with at most `limit` at once. */
async function pool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  });
  await Promise.all(runners);
}

/** An SMTP server that accepts every message, counts it and throws it away. */
async function startSmtpSink(): Promise<{ url: string; received: () => number; stop: () => Promise<void> }> {
  let received = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    disableReverseLookup: true,
    onData(stream, _session, callback) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        received += 1;
        callback();
      });
    },
  });
  const port = await freePort();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return { url: `smtp://127.0.0.1:${port}?tls=off`, received: () => received, stop: () => new Promise<void>((r) => server.close(() => r())) };
}

async function generate(client: pg.Client, officeId: string, today: string): Promise<void> {
  for (const def of shippedProcesses) {
    await client.query(
      `insert into process_definitions (id, key, version, product_type, name, definition) values ($1, $2, $3, $4, $5, $6::jsonb)
       on conflict (key, version) do nothing`,
      [newId(), def.key, def.version, def.productType, def.name, JSON.stringify(def)],
    );
  }
  for (const t of defaultTemplates) {
    await client.query(`insert into templates (id, key, version, kind, subject, body) values ($1, $2, 1, $3, $4, $5) on conflict (key, version) do nothing`, [
      newId(), t.key, t.kind, t.subject, t.body,
    ]);
  }
  const service = shippedProcesses.find((d) => d.productType === 'service') ?? shippedProcesses[0]!;
  const nationalId = '123456780000';
  await client.query(`insert into offices (id, name) values ($1, 'Benchkantoor Incasso')`, [officeId]);
  await client.query(
    `insert into office_billing_settings (office_id, reminder_mode, creditor_name, creditor_iban, creditor_id, payment_term_days)
     values ($1, 'workflow', 'Benchkantoor Incasso B.V.', $2, $3, 14)`,
    [officeId, iban('ABNA', '0417164300'), `NL${creditorIdCheckDigits('NL', nationalId)}ZZZ${nationalId}`],
  );
  const ibans = Array.from({ length: N }, (_, i) => iban('RABO', String(300_000_000 + i).padStart(10, '0')));
  await client.query(
    `create temp table g as
       select i, gen_random_uuid() as person, gen_random_uuid() as dossier, gen_random_uuid() as product, gen_random_uuid() as contract, iban
         from unnest($1::text[]) with ordinality as u(iban, i)`,
    [ibans],
  );
  await client.query(
    `insert into persons (id, office_id, first_name, last_name, birth_date, email, street, house_number, postcode, city, created_at, updated_at)
     select person, $1, 'Klant', 'Incasso' || lpad(i::text, 6, '0'), date '1960-01-01' + (i % 15000)::int, 'klant' || i || '@bench.example.nl',
            'Benchstraat', 1 + (i % 200), (1000 + (i % 8999))::text || 'AB', 'Benchstad', now(), now() from g`,
    [officeId],
  );
  await client.query(
    `insert into dossiers (id, office_id, number, status, created_at, updated_at)
     select dossier, $1, '2026-' || lpad(i::text, 7, '0'), 'client', now(), now() from g`,
    [officeId],
  );
  await client.query(`insert into dossier_applicants (dossier_id, person_id, position) select dossier, person, 1 from g`);
  await client.query(
    `insert into products (id, office_id, dossier_id, type, company, process_key, process_version, status, category, workflow_id, created_at, updated_at)
     select product, $1, dossier, 'service', null, $2, $3, 'agreed', 'running', 'bench:' || product, now(), now() from g`,
    [officeId, service.key, service.version],
  );
  await client.query(
    `insert into contracts (id, office_id, product_id, dossier_id, description, amount_cents, vat_rate, period, start_date, payment_method,
       mandate_id, mandate_signed_on, debtor_iban, debtor_name, delivery, consumer, workflow_id)
     select contract, $1, product, dossier, 'Servicepakket hypotheek', 2500, 21, 'month', $2::date, 'sepa',
            'MANDAAT-' || i, $2::date - 10, iban, 'Klant Incasso' || i, 'email', true, 'contract:' || contract from g`,
    [officeId, today],
  );
  await client.query('analyze');
}

/** The ceiling: N invoice-shaped rows into a scratch copy of `invoices`, 1,000 per INSERT. */
async function rawInsert(client: pg.Client, officeId: string, today: string): Promise<number> {
  await client.query('create table bench_invoices (like invoices including defaults including constraints including indexes)');
  const dossier = (await client.query<{ id: string }>('select id from dossiers limit 1')).rows[0]!.id;
  const columns = ['id', 'key', 'office_id', 'dossier_id', 'number', 'invoice_date', 'due_date', 'period_start', 'period_end', 'net_cents', 'vat_cents', 'total_cents', 'status', 'payment_method', 'delivery', 'consumer', 'workflow_id'];
  const [ms] = await time(async () => {
    for (let from = 0; from < N; from += 1000) {
      const params: unknown[] = [];
      const tuples: string[] = [];
      for (let i = from; i < Math.min(N, from + 1000); i++) {
        const id = newId();
        const row = [id, `raw:${i}`, officeId, dossier, `R-${i}`, today, today, today, today, 2500, 525, 3025, 'open', 'sepa', 'email', true, `invoice:${id}`];
        tuples.push(`(${row.map((v) => `$${params.push(v)}`).join(', ')})`);
      }
      await client.query(`insert into bench_invoices (${columns.join(', ')}) values ${tuples.join(', ')}`, params);
    }
  });
  await client.query('drop table bench_invoices');
  return ms;
}

/**
 * Where one activity's time goes, by activity type: its own queries (count and time on the
 * connection), the wait for a pooled connection, the SMTP send, and the time its task waited
 * between being scheduled and starting (worker slots, Temporal matching). The rest of the busy
 * time is CPU (templates, PDF) and event-loop waiting on this one shared process.
 */
interface ActivityProfile {
  calls: number;
  busyMs: number;
  scheduleToStartMs: number;
  queries: number;
  queryMs: number;
  poolWaits: number;
  poolWaitMs: number;
  mails: number;
  mailMs: number;
}

function createProfiler() {
  const current = new AsyncLocalStorage<string>();
  const byType = new Map<string, ActivityProfile>();
  const of = (type: string): ActivityProfile => {
    let p = byType.get(type);
    if (!p) {
      p = { calls: 0, busyMs: 0, scheduleToStartMs: 0, queries: 0, queryMs: 0, poolWaits: 0, poolWaitMs: 0, mails: 0, mailMs: 0 };
      byType.set(type, p);
    }
    return p;
  };
  const elapsedMs = (since: bigint): number => Number(process.hrtime.bigint() - since) / 1e6;
  const outside = '(outside activities)';

  const interceptor = (ctx: { info: { activityType: string; currentAttemptScheduledTimestampMs: number } }): { inbound: ActivityInboundCallsInterceptor } => ({
    inbound: {
      async execute(input, next) {
        const type = ctx.info.activityType;
        const p = of(type);
        p.scheduleToStartMs += Math.max(0, Date.now() - ctx.info.currentAttemptScheduledTimestampMs);
        const start = process.hrtime.bigint();
        try {
          return await current.run(type, () => next(input));
        } finally {
          p.calls += 1;
          p.busyMs += elapsedMs(start);
        }
      },
    },
  });

  interface QueryEvent { __knexQueryUid?: string }
  interface KnexClient {
    on(event: 'query', fn: (q: QueryEvent) => void): void;
    on(event: 'query-response', fn: (r: unknown, q: QueryEvent) => void): void;
    on(event: 'query-error', fn: (e: unknown, q: QueryEvent) => void): void;
    pool?: { on(event: 'acquireRequest' | 'acquireSuccess' | 'acquireFail', fn: (eventId: number) => void): void };
  }
  /** Hooks the ORM's knex client: query start/end by uid, pool acquire request/success by event id. */
  const attachOrm = (orm: MikroORM): void => {
    const client = (orm.em.getConnection().getKnex() as unknown as { client: KnexClient }).client;
    const queries = new Map<string, { start: bigint; type: string }>();
    client.on('query', (q) => {
      if (q.__knexQueryUid) queries.set(q.__knexQueryUid, { start: process.hrtime.bigint(), type: current.getStore() ?? outside });
    });
    const done = (q: QueryEvent): void => {
      const e = q.__knexQueryUid ? queries.get(q.__knexQueryUid) : undefined;
      if (!e) return;
      queries.delete(q.__knexQueryUid!);
      const p = of(e.type);
      p.queries += 1;
      p.queryMs += elapsedMs(e.start);
    };
    client.on('query-response', (_r, q) => done(q));
    client.on('query-error', (_e, q) => done(q));
    const acquiring = new Map<number, { start: bigint; type: string }>();
    client.pool?.on('acquireRequest', (id) => acquiring.set(id, { start: process.hrtime.bigint(), type: current.getStore() ?? outside }));
    const acquired = (id: number): void => {
      const e = acquiring.get(id);
      if (!e) return;
      acquiring.delete(id);
      const p = of(e.type);
      p.poolWaits += 1;
      p.poolWaitMs += elapsedMs(e.start);
    };
    client.pool?.on('acquireSuccess', acquired);
    client.pool?.on('acquireFail', acquired);
  };

  /** The worker's mailer, timed per send. */
  const timedMailer = (inner: Mailer): Mailer => ({
    async send(mail) {
      const p = of(current.getStore() ?? outside);
      const start = process.hrtime.bigint();
      try {
        return await inner.send(mail);
      } finally {
        p.mails += 1;
        p.mailMs += elapsedMs(start);
      }
    },
    verify: () => inner.verify(),
    close: () => inner.close(),
  });

  const report = () =>
    Object.fromEntries(
      [...byType.entries()]
        .sort((a, b) => b[1].busyMs - a[1].busyMs)
        .map(([type, p]) => {
          const per = (v: number): number => (p.calls ? round(v / p.calls, 2) : round(v, 1));
          return [
            type,
            {
              calls: p.calls,
              busyTotalS: round(p.busyMs / 1000),
              // Per call (for the pseudo-type outside activities: totals).
              perCall: {
                busyMs: per(p.busyMs),
                scheduleToStartMs: per(p.scheduleToStartMs),
                queries: per(p.queries),
                queryMs: per(p.queryMs),
                poolWaitMs: per(p.poolWaitMs),
                mails: per(p.mails),
                mailMs: per(p.mailMs),
                restMs: per(Math.max(0, p.busyMs - p.queryMs - p.poolWaitMs - p.mailMs)),
              },
            },
          ];
        }),
    );
  return { interceptor, attachOrm, timedMailer, report };
}

/**
 * CPU seconds used so far by this process (the worker, its workflow threads, the SMTP sink and
 * the bench itself) and by its child processes by name (PostgreSQL with its backends, the
 * Temporal dev server), from /proc (Linux; elsewhere only this process). On 2 cores the run
 * can use at most 2 CPU seconds per second, whatever else waits.
 */
function cpuSeconds(): Record<string, number> {
  const own = process.cpuUsage();
  const out: Record<string, number> = { node: (own.user + own.system) / 1e6 };
  let procs: { pid: number; ppid: number; comm: string; ticks: number }[] = [];
  try {
    procs = readdirSync('/proc')
      .filter((d) => /^\d+$/.test(d))
      .flatMap((d) => {
        try {
          const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
          const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
          // Fields after the name: state ppid ... utime(12) stime(13) cutime(14) cstime(15).
          const ticks = Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
          return [{ pid: Number(d), ppid: Number(f[1]), comm, ticks }];
        } catch {
          return [];
        }
      });
  } catch {
    return out;
  }
  const mine = new Set([process.pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of procs) {
      if (!mine.has(p.pid) && mine.has(p.ppid)) {
        mine.add(p.pid);
        grew = true;
      }
    }
  }
  for (const p of procs) {
    if (p.pid === process.pid || !mine.has(p.pid)) continue;
    const name = p.comm.startsWith('postgres') ? 'postgres' : p.comm.startsWith('temporal') ? 'temporal' : 'other';
    out[name] = (out[name] ?? 0) + p.ticks / 100;
  }
  return out;
}

interface Timeline {
  startsDoneS?: number;
  invoicesNumberedS?: number;
  pdfsStoredS?: number;
  mailsSentS?: number;
  invoiceWorkflowsS?: number;
}

async function main(): Promise<void> {
  const stops: (() => Promise<void>)[] = [];
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dossierflow-bench-invoices-'));
  chmodSync(dir, 0o755);
  const quiet = () => undefined;
  // The machine is shared: the load before and after says how much else ran.
  const loadAtStart = os.loadavg().map((l) => round(l, 2));
  try {
    const database = await benchDatabase('dossierflow_bench_invoices', dir);
    stops.unshift(database.stop);
    const url = database.url;
    const temporal = await startTemporalDevServer({ cli: toolPaths().temporalCli, port: 0, headless: true, ephemeral: true, log: quiet });
    stops.unshift(temporal.stop);
    const smtp = await startSmtpSink();
    stops.unshift(smtp.stop);
    await migrate(url, quiet);

    const db = new pg.Client({ connectionString: url });
    await db.connect();
    stops.unshift(() => db.end());
    const officeId = newId();
    const today = todayInAmsterdam(new Date());
    console.log(`generating ${N} SEPA contracts starting ${today} ...`);
    const [genMs] = await time(() => generate(db, officeId, today));
    console.log(`generated in ${(genMs / 1000).toFixed(1)} s`);

    // Where the time goes: every activity's busy time, queries, pool waits and mails, by type.
    const profiler = createProfiler();
    const workerOrm = await createOrm(url);
    stops.unshift(() => workerOrm.close(true));
    profiler.attachOrm(workerOrm);
    const workerMailer = profiler.timedMailer(createMailer(smtp.url));
    stops.unshift(async () => workerMailer.close());
    const loopDelay = monitorEventLoopDelay({ resolution: 20 });
    Runtime.install({ logger: new DefaultLogger('WARN') });
    console.log('starting the worker (bundling the workflows) ...');
    const worker = await startWorker({
      databaseUrl: url,
      temporalAddress: temporal.address,
      temporalNamespace: 'default',
      taskQueue: TASK_QUEUE,
      smtpUrl: smtp.url,
      publicUrl: 'http://localhost:3000',
      mailFrom: 'facturen@bench.example.nl',
      orm: workerOrm,
      mailer: workerMailer,
      workerOptions: { interceptors: { activity: [profiler.interceptor] } },
    });
    stops.unshift(worker.stop);
    const connection = await Connection.connect({ address: temporal.address });
    stops.unshift(() => connection.close());
    const client = new Client({ connection, namespace: 'default' });
    const contractIds = (await db.query<{ id: string }>('select id from contracts order by id')).rows.map((r) => r.id);

    const counts = async () =>
      (await db.query<{ invoices: number; pdfs: number }>(
        'select count(*)::int as invoices, count(pdf_document_id)::int as pdfs from invoices',
      )).rows[0]!;
    const invoiceWorkflows = async () => (await client.workflow.count('WorkflowType = "invoiceWorkflow"')).count;

    console.log(`starting ${N} contract workflows (${START_CONCURRENCY} at once) ...`);
    loopDelay.enable();
    const cpuAtStart = cpuSeconds();
    const t0 = Date.now();
    const since = () => (Date.now() - t0) / 1000;
    const timeline: Timeline = {};
    const starting = pool(contractIds, START_CONCURRENCY, async (contractId) => {
      await client.workflow.start('contractWorkflow', {
        workflowId: `contract:${contractId}`,
        taskQueue: TASK_QUEUE,
        args: [{ contractId }],
        workflowIdConflictPolicy: 'USE_EXISTING',
      });
    }).then(() => {
      timeline.startsDoneS = since();
    });
    let lastLog = 0;
    for (;;) {
      const c = await counts();
      const mails = smtp.received();
      if (timeline.invoicesNumberedS === undefined && c.invoices >= N) timeline.invoicesNumberedS = since();
      if (timeline.pdfsStoredS === undefined && c.pdfs >= N) timeline.pdfsStoredS = since();
      if (timeline.mailsSentS === undefined && mails >= N) timeline.mailsSentS = since();
      if (timeline.pdfsStoredS !== undefined && timeline.mailsSentS !== undefined && timeline.startsDoneS !== undefined) {
        const wf = await invoiceWorkflows();
        if (wf >= N) {
          timeline.invoiceWorkflowsS = since();
          break;
        }
      }
      if (Date.now() - lastLog > 10_000) {
        lastLog = Date.now();
        console.log(`  ${since().toFixed(0)} s: ${c.invoices} invoices, ${c.pdfs} PDFs, ${mails} mails`);
      }
      if (Date.now() - t0 > TIMEOUT_MS) throw new Error(`timed out after ${TIMEOUT_MS / 1000} s: ${JSON.stringify({ ...c, mails })}`);
      await sleep(250);
    }
    await starting;
    const invoicesMs = Date.now() - t0;
    loopDelay.disable();
    const cpuAtEnd = cpuSeconds();
    const cpuPerInvoiceMs = Object.fromEntries(
      Object.entries(cpuAtEnd).map(([k, v]) => [k, round(((v - (cpuAtStart[k] ?? 0)) * 1000) / N, 2)]),
    );
    const cpuUsedS = Object.entries(cpuAtEnd).reduce((sum, [k, v]) => sum + v - (cpuAtStart[k] ?? 0), 0);
    console.log(`all ${N} invoices numbered, stored, mailed and their workflows started in ${(invoicesMs / 1000).toFixed(1)} s`);

    const orm = await createOrm(url, { pool: { min: 1, max: 2 } });
    stops.unshift(() => orm.close(true));
    const collectionDate = nextTargetBusinessDay(today, true);
    const [exportMs, exported] = await time(() =>
      createSepaExport(
        orm.em.fork(),
        { client, taskQueue: TASK_QUEUE, checkHealth: async () => undefined },
        { credentialId: 'bench', officeId, role: 'admin' },
        collectionDate,
      ),
    );
    const totalMs = invoicesMs + exportMs;
    const xmlBytes = (await db.query<{ n: number }>('select length(xml)::int as n from sepa_exports where id = $1', [exported.id])).rows[0]?.n ?? 0;
    const numbers = (await db.query<{ min: string; max: string; n: number }>('select min(number), max(number), count(distinct number)::int as n from invoices')).rows[0]!;
    console.log(`pain.008 export: ${exported.transactions} transactions, ${xmlBytes} bytes, in ${(exportMs / 1000).toFixed(1)} s`);

    // After the run (nothing else busy): one PDF and one mail, measured alone.
    const [pdfMs] = await time(async () => {
      for (let i = 0; i < SAMPLES; i++) {
        await renderDocumentPdf({
          title: `Factuur 2026-${String(i).padStart(5, '0')}`,
          paragraphs: Array.from({ length: 12 }, (_, p) => `Regel ${p}: Servicepakket hypotheek 1 november 2026 t/m 30 november 2026, EUR 25,00 (btw 21%).`),
          author: 'Benchkantoor Incasso',
          footer: 'Benchkantoor Incasso - 2026-00001',
        });
      }
    });
    const mailer = createMailer(smtp.url);
    const [mailMs] = await time(async () => {
      for (let i = 0; i < SAMPLES; i++) {
        await mailer.send({ from: 'facturen@bench.example.nl', to: `sample${i}@bench.example.nl`, subject: `Factuur ${i}`, text: 'x'.repeat(1200), messageId: `<bench.${i}@bench.example.nl>` });
      }
    });
    mailer.close();

    const rawMs = await rawInsert(db, officeId, today);
    const invoicesPerS = N / (totalMs / 1000);
    const rawPerS = N / (rawMs / 1000);
    const extrapolatedS = GOAL_CONTRACTS / invoicesPerS;
    const activities = profiler.report();
    const eventLoopDelayMs = { p50: round(loopDelay.percentile(50) / 1e6), p99: round(loopDelay.percentile(99) / 1e6), max: round(loopDelay.max / 1e6) };
    const result = {
      at: new Date().toISOString(),
      machine: {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model ?? 'unknown',
        memoryGb: Math.round(os.totalmem() / 2 ** 30),
        node: process.version,
        postgres: (await db.query<{ v: string }>("select current_setting('server_version') as v")).rows[0]?.v,
        loadAverage1_5_15: { atStart: loadAtStart, atEnd: os.loadavg().map((l) => round(l, 2)) },
      },
      contracts: N,
      generateSeconds: round(genMs / 1000),
      startConcurrency: START_CONCURRENCY,
      timelineSeconds: { ...timeline, sepaExport: round(exportMs / 1000, 2), total: round(totalMs / 1000) },
      invoiceNumbers: numbers,
      sepaExport: { transactions: exported.transactions, deferred: exported.deferred.length, xmlBytes, collectionDate },
      invoicesPerSecond: round(invoicesPerS),
      rawInsertRowsPerSecond: Math.round(rawPerS),
      rawInsertSeconds: round(rawMs / 1000, 2),
      ratioRawOverInvoices: Math.round(rawPerS / invoicesPerS),
      activities,
      workerEventLoopDelayMs: eventLoopDelayMs,
      // Until every invoice exists: CPU time per invoice by process, and the share of the machine used.
      cpuPerInvoiceMs,
      cpuShareOfMachine: round(cpuUsedS / ((invoicesMs / 1000) * os.cpus().length), 2),
      alone: { pdfRenderMs: round(pdfMs / SAMPLES, 2), smtpMailMs: round(mailMs / SAMPLES, 2), samples: SAMPLES },
      goal: {
        contracts: GOAL_CONTRACTS,
        seconds: GOAL_SECONDS,
        extrapolatedSeconds: Math.round(extrapolatedS),
        met: N >= GOAL_CONTRACTS ? totalMs / 1000 <= GOAL_SECONDS : extrapolatedS <= GOAL_SECONDS,
        measuredAtFullSize: N >= GOAL_CONTRACTS,
      },
    };
    console.log(`invoice run: ${N} contracts -> ${N} invoices + pain.008 in ${(totalMs / 1000).toFixed(1)} s = ${result.invoicesPerSecond} invoices/s`);
    console.log(`  timeline (s):`, result.timelineSeconds);
    console.log(`  activities (per call):`);
    console.log(JSON.stringify(activities, null, 1));
    console.log(`  event loop delay of the worker process (ms):`, eventLoopDelayMs);
    console.log(`  CPU per invoice (ms):`, cpuPerInvoiceMs, `share of the machine: ${result.cpuShareOfMachine}`);
    console.log(`  alone: one PDF ${result.alone.pdfRenderMs} ms, one SMTP mail ${result.alone.smtpMailMs} ms`);
    console.log(`  ceiling: raw multi-row INSERT of ${N} invoice rows ${result.rawInsertSeconds} s = ${result.rawInsertRowsPerSecond} rows/s`);
    console.log(`  RATIO raw rows/s / invoices/s: ${result.ratioRawOverInvoices}x`);
    console.log(`  goal ${GOAL_CONTRACTS} in ${GOAL_SECONDS} s: ${result.goal.met ? 'met' : 'NOT met'} (${result.goal.measuredAtFullSize ? 'measured' : 'extrapolated'}: ${result.goal.extrapolatedSeconds} s)`);
    mkdirSync(path.join(here, 'results'), { recursive: true });
    writeFileSync(path.join(here, 'results', 'invoice-run.json'), `${JSON.stringify(result, null, 2)}\n`);
    console.log('written bench/results/invoice-run.json');
  } finally {
    for (const stop of stops) await stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
