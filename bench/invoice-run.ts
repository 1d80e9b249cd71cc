/**
 * `npm run bench:invoice-run`: how long does the monthly invoice run take when N contracts are
 * due on one date, from starting the office's run (`invoice-run:<officeId>:<date>`) until every
 * invoice is numbered, its PDF stored and its mail sent, and the pain.008 is written?
 *
 * - Starts what it needs itself, in a throw-away folder: an embedded PostgreSQL (or a fresh
 *   `dossierflow_bench_invoices` database on the server of DATABASE_URL), the pinned Temporal
 *   dev server (in memory), an SMTP sink in this process (smtp-server that counts Message-IDs
 *   and discards; the SMTP peer of simulators/smtp rewrites its whole index.json per message,
 *   O(N²) at this volume), the real worker (`activities/worker.ts`) and the real API
 *   (`api/server.ts`) each as its own OS process, so that CPU and memory are measured per process.
 * - One office with a SEPA creditor; N persons (with e-mail), dossiers, service products and
 *   monthly SEPA contracts starting today, planned for today (`next_invoice_date`, as the
 *   contract workflow's hand-over leaves them), inserted with SQL inside PostgreSQL. Then the
 *   office's run of today is started with `ensureInvoiceRun` (the code path of a hand-over) and
 *   timed until `invoices` holds N rows with a PDF and the SMTP sink has N distinct Message-IDs;
 *   then POST /billing/sepa-exports on the API writes the pain.008 of all N.
 * - Where the time goes: the run workflow's history (activities by type: count, summed and mean
 *   duration), CPU per invoice per process from /proc, peak memory per process (the largest
 *   sampled sum of PSS of its processes, every second), and PDF rendering and one SMTP mail
 *   measured alone afterwards (serially, 50 each).
 * - Ceiling in the same run: the raw PostgreSQL insert of the same rows (each invoice and its
 *   line, multi-row INSERTs of 1,000 rows into the real `invoices` and `invoice_lines`, with
 *   their indexes and foreign keys, rolled back afterwards) from a plain `pg` client; and, for
 *   comparison with earlier results, into scratch copies without foreign keys. Ratios, raw ÷ ours
 *   (goal ≥ 0.3 for the numbering stage, the stage that writes those rows):
 *   - numbering stage alone: after the run, with nothing else busy, a second office's N due
 *     contracts numbered by the run's own chunks (createRunInvoices: claim and lock the due
 *     contracts, read what they billed, number gaplessly, insert the invoices and their lines
 *     in multi-row statements, set the contracts' next dates), one chunk after the other;
 *   - the same chunks inside the run (their summed time in the run's history, while issuing
 *     shares the cores);
 *   - end to end (numbered, PDF stored, mailed, pain.008 written): not comparable to an insert
 *     of two rows, printed so nobody mistakes one for the other.
 * - Prints the figures and writes bench/results/invoice-run.json (and invoice-run-<N>.json).
 *
 * Environment: BENCH_CONTRACTS (default 2000; the issue's full run is 100000), BENCH_WORKERS (worker processes,
 * default 1; with more, CPU and memory are given per worker and the results file names say so), BENCH_CPU_PROF (a folder: V8 CPU
 * profiles of the worker and the API), BENCH_TIMEOUT_S
 * (default 3600).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { freePort } from '../config/ports.js';
import { projectRoot } from '../config/settings.js';
import { defaultTemplates } from '../services/templates/defaults.js';
import { ensureInvoiceRun } from '../services/billing/workflows.js';
import { createRunInvoices } from '../services/billing/invoice-run.js';
import { issueCredential } from '../services/access/store.js';
import { invoiceRunStateQuery } from '../workflows/billing/billing.messages.js';
import { benchDatabase, stopChild } from './support.js';
import { newId } from '../db/ids.js';
import { migrate } from '../db/migrate.js';
import { createOrm } from '../db/orm.js';
import { todayInAmsterdam } from '../domain/dates.js';
import { ibanCheckDigits } from '../domain/iban.js';
import { workflowIds } from '../domain/workflow-ids.js';
import { shippedProcesses } from '../domain/processes/index.js';
import { createMailer } from '../integrations/mail/transport.js';
import { renderDocumentPdf } from '../integrations/pdf/render.js';
import { nextTargetBusinessDay } from '../integrations/sepa/calendar.js';
import { creditorIdCheckDigits } from '../integrations/sepa/creditor-id.js';
import { startTemporalDevServer } from '../integrations/temporal/dev-server.js';
import { toolPaths } from '../integrations/temporal/tools.js';
import { cpuSeconds, pssMb } from './proc-stats.js';

const N = Number(process.env.BENCH_CONTRACTS ?? 2_000);
/** Worker processes on the task queue (BENCH_WORKERS): scale-out, as `npm start` with WORKERS. */
const WORKERS = Number(process.env.BENCH_WORKERS ?? 1);
if (!Number.isInteger(WORKERS) || WORKERS < 1 || WORKERS > 32) throw new Error(`BENCH_WORKERS: must be an integer 1-32, got ${process.env.BENCH_WORKERS}`);
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_S ?? 3_600) * 1000;
const GOAL_CONTRACTS = 100_000;
const GOAL_SECONDS = 300;
const GOAL_RATIO = 0.3;
const TASK_QUEUE = 'bench-invoice-run';
const SAMPLES = 50;
/** Contracts per numbering chunk: RUN_CHUNK of workflows/billing/invoice-run.workflow.ts (not imported: a workflow module). */
const RUN_CHUNK = 1000;
const here = path.dirname(fileURLToPath(import.meta.url));

const iban = (bankCode: string, account: string): string => `NL${ibanCheckDigits('NL', `${bankCode}${account}`)}${bankCode}${account}`;
const round = (n: number, digits = 1): number => Math.round(n * 10 ** digits) / 10 ** digits;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function time<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const start = process.hrtime.bigint();
  const value = await fn();
  return [Number(process.hrtime.bigint() - start) / 1e6, value];
}

/** An SMTP server that accepts every message, counts it and its distinct Message-IDs, and throws it away. */
async function startSmtpSink(): Promise<{ url: string; received: () => number; distinct: () => number; stop: () => Promise<void> }> {
  let received = 0;
  const ids = new Set<string>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    disableReverseLookup: true,
    onData(stream, _session, callback) {
      let head = '';
      stream.on('data', (chunk: Buffer) => {
        if (head.length < 4096) head += chunk.toString('latin1');
      });
      stream.on('end', () => {
        received += 1;
        const m = /^Message-ID:\s*(<[^>]+>)/im.exec(head);
        if (m?.[1]) ids.add(m[1]);
        callback();
      });
    },
  });
  const port = await freePort();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    url: `smtp://127.0.0.1:${port}?tls=off`,
    received: () => received,
    distinct: () => ids.size,
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}

async function generate(client: pg.Client, officeId: string, today: string, officeName = 'Benchkantoor Incasso'): Promise<void> {
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
  await client.query(`insert into offices (id, name) values ($1, $2)`, [officeId, officeName]);
  await client.query(
    `insert into office_billing_settings (office_id, reminder_mode, creditor_name, creditor_iban, creditor_id, payment_term_days)
     values ($1, 'workflow', 'Benchkantoor Incasso B.V.', $2, $3, 14)`,
    [officeId, iban('ABNA', '0417164300'), `NL${creditorIdCheckDigits('NL', nationalId)}ZZZ${nationalId}`],
  );
  const ibans = Array.from({ length: N }, (_, i) => iban('RABO', String(300_000_000 + i).padStart(10, '0')));
  await client.query(
    `drop table if exists g`,
  );
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
       mandate_id, mandate_signed_on, debtor_iban, debtor_name, delivery, consumer, workflow_id, next_invoice_date)
     select contract, $1, product, dossier, 'Servicepakket hypotheek', 2500, 21, 'month', $2::date, 'sepa',
            'MANDAAT-' || i, $2::date - 10, iban, 'Klant Incasso' || i, 'email', true, 'contract:' || contract, $2::date from g`,
    [officeId, today],
  );
  await client.query('analyze');
}

/**
 * The ceiling: the rows a run writes per invoice (the invoice and its line), 1,000 per multi-row
 * INSERT, from a plain `pg` client: no numbering, no contract read or updated, no idempotency.
 * - `tables`: into the real `invoices` and `invoice_lines`, with their indexes, unique keys and
 *   foreign keys (each row names a real office, dossier, product and contract, as the run's rows
 *   do), in one transaction that is rolled back afterwards: the same rows into the same tables.
 * - `scratch`: into scratch copies of the two tables (`like ... including indexes`: indexes and
 *   checks, no foreign keys), as earlier versions of this benchmark measured.
 */
async function rawInsert(client: pg.Client, officeId: string, today: string, into: 'tables' | 'scratch'): Promise<number> {
  const [invoices, lines] = into === 'tables' ? ['invoices', 'invoice_lines'] : ['bench_invoices', 'bench_invoice_lines'];
  if (into === 'scratch') {
    await client.query('create table bench_invoices (like invoices including defaults including constraints including indexes)');
    await client.query('create table bench_invoice_lines (like invoice_lines including defaults including constraints including indexes)');
  }
  const refs = (
    await client.query<{ id: string; dossier_id: string; product_id: string }>('select id, dossier_id, product_id from contracts where office_id = $1 order by id limit $2', [
      officeId,
      N,
    ])
  ).rows;
  const columns = ['id', 'key', 'office_id', 'contract_id', 'dossier_id', 'product_id', 'number', 'invoice_date', 'due_date', 'period_start', 'period_end', 'net_cents', 'vat_cents', 'total_cents', 'status', 'payment_method', 'delivery', 'consumer', 'workflow_id'];
  await client.query('begin');
  try {
    const [ms] = await time(async () => {
      for (let from = 0; from < N; from += 1000) {
        const params: unknown[] = [];
        const tuples: string[] = [];
        const ids: string[] = [];
        for (let i = from; i < Math.min(N, from + 1000); i++) {
          const id = newId();
          ids.push(id);
          const ref = refs[i % refs.length]!;
          const row = [id, `raw:${i}`, officeId, ref.id, ref.dossier_id, ref.product_id, `R-${i}`, today, today, today, today, 2500, 525, 3025, 'open', 'sepa', 'email', true, `invoice:${id}`];
          tuples.push(`(${row.map((v) => `$${params.push(v)}`).join(', ')})`);
        }
        await client.query(`insert into ${invoices} (${columns.join(', ')}) values ${tuples.join(', ')}`, params);
        const lineParams: unknown[] = [];
        const lineTuples: string[] = [];
        for (const [k, id] of ids.entries()) {
          const row = [newId(), id, 1, `Servicepakket hypotheek ${from + k}`, 2500, 21, 525];
          lineTuples.push(`(${row.map((v) => `$${lineParams.push(v)}`).join(', ')})`);
        }
        await client.query(`insert into ${lines} (id, invoice_id, position, description, net_cents, vat_rate, vat_cents) values ${lineTuples.join(', ')}`, lineParams);
      }
    });
    return ms;
  } finally {
    await client.query('rollback');
    if (into === 'scratch') {
      await client.query('drop table bench_invoices');
      await client.query('drop table bench_invoice_lines');
    }
  }
}

/** Starts a platform program (`activities/worker.ts`, `api/server.ts`) as its own process; resolves when `ready` matches a line. */
async function startProgram(
  file: string,
  env: NodeJS.ProcessEnv,
  ready: RegExp,
  stops: (() => Promise<void>)[],
): Promise<ChildProcess> {
  // BENCH_CPU_PROF=<dir>: a V8 CPU profile of each program (and its threads) into that folder.
  const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(process.env.BENCH_CPU_PROF)] : [];
  const child = spawn(process.execPath, [...prof, '--import', 'tsx', file], { cwd: projectRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  stops.unshift(() => stopChild(child));
  const output: string[] = [];
  await new Promise<void>((resolve, reject) => {
    const onLine = (line: string): void => {
      output.push(line);
      if (output.length > 50) output.shift();
      if (ready.test(line)) resolve();
      if (/error|warn/i.test(line) && !/ExperimentalWarning/.test(line)) console.log(`  [${path.basename(file)}] ${line.slice(0, 300)}`);
    };
    createInterface({ input: child.stdout! }).on('line', onLine);
    createInterface({ input: child.stderr! }).on('line', onLine);
    child.once('exit', (code, signal) => reject(new Error(`${file} exited (code ${code}, signal ${signal}):\n${output.join('\n')}`)));
  });
  return child;
}

interface Timeline {
  invoicesNumberedS?: number;
  pdfsStoredS?: number;
  mailsSentS?: number;
  runPassDoneS?: number;
}

/** Activities of a workflow's history by type: count, summed and mean time from start to completion. */
async function activityTimes(client: Client, workflowId: string): Promise<Record<string, { calls: number; totalS: number; meanMs: number; maxMs: number }>> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const ms = (t: { seconds?: unknown; nanos?: number | null } | null | undefined): number => Number(t?.seconds ?? 0) * 1000 + (t?.nanos ?? 0) / 1e6;
  const scheduled = new Map<string, string>();
  const started = new Map<string, number>();
  const out: Record<string, { calls: number; totalS: number; meanMs: number; maxMs: number }> = {};
  for (const e of history.events ?? []) {
    const id = String(e.eventId);
    if (e.activityTaskScheduledEventAttributes) scheduled.set(id, e.activityTaskScheduledEventAttributes.activityType?.name ?? '?');
    if (e.activityTaskStartedEventAttributes) started.set(String(e.activityTaskStartedEventAttributes.scheduledEventId), ms(e.eventTime as never));
    if (e.activityTaskCompletedEventAttributes) {
      const sid = String(e.activityTaskCompletedEventAttributes.scheduledEventId);
      const type = scheduled.get(sid) ?? '?';
      const took = ms(e.eventTime as never) - (started.get(sid) ?? ms(e.eventTime as never));
      const o = (out[type] ??= { calls: 0, totalS: 0, meanMs: 0, maxMs: 0 });
      o.calls += 1;
      o.totalS += took / 1000;
      o.maxMs = Math.max(o.maxMs, Math.round(took));
    }
  }
  for (const o of Object.values(out)) {
    o.meanMs = Math.round((o.totalS * 1000) / o.calls);
    o.totalS = round(o.totalS);
  }
  return out;
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
    const orm = await createOrm(url, { pool: { min: 1, max: 2 } });
    stops.unshift(() => orm.close(true));
    const { token } = await issueCredential(orm.em.fork(), { officeId, name: 'bench', role: 'admin' });

    const env = {
      DATABASE_URL: url,
      TEMPORAL_ADDRESS: temporal.address,
      TASK_QUEUE,
      SMTP_URL: smtp.url,
      DATA_DIR: path.join(dir, 'data'),
      MAIL_FROM: 'Benchkantoor <facturen@bench.example.nl>',
      LOG_LEVEL: 'warn',
      // Capacity, not the abuse guard: the party rate limit (PARTY_RATE_LIMIT) is lifted.
      PARTY_RATE_LIMIT: '1000000',
    };
    console.log(`starting ${WORKERS === 1 ? 'the worker' : `${WORKERS} workers`} and the API (each its own process) ...`);
    const apiPort = await freePort();
    const [api, ...workers] = await Promise.all([
      startProgram('api/server.ts', { ...env, PORT: String(apiPort), HOST: '127.0.0.1', LOG_LEVEL: 'info' }, /Server listening/, stops),
      ...Array.from({ length: WORKERS }, () => startProgram('activities/worker.ts', env, /worker: running on task queue/, stops)),
    ]);
    // Roles as `npm start` names the children: worker, worker-2, ...
    const roles: Record<string, number> = { api: api!.pid! };
    workers.forEach((w, i) => (roles[i === 0 ? 'worker' : `worker-${i + 1}`] = w.pid!));
    const connection = await Connection.connect({ address: temporal.address });
    stops.unshift(() => connection.close());
    const client = new Client({ connection, namespace: 'default' });
    const temporalDeps = { client, taskQueue: TASK_QUEUE, checkHealth: async () => undefined, invoiceRunHour: 0 };
    const runId = workflowIds.invoiceRun(officeId, today);

    const counts = async () =>
      (await db.query<{ invoices: number; pdfs: number }>('select count(*)::int as invoices, count(pdf_document_id)::int as pdfs from invoices')).rows[0]!;
    const phase = async (): Promise<string> => {
      try {
        return (await client.workflow.getHandle(runId).query(invoiceRunStateQuery)).phase;
      } catch {
        return 'starting';
      }
    };

    const peak: Record<string, number> = {};
    const sampleMemory = (): void => {
      for (const [role, mb] of Object.entries(pssMb(roles))) peak[role] = Math.max(peak[role] ?? 0, mb);
    };
    sampleMemory();
    const sampler = setInterval(sampleMemory, 1000);
    stops.unshift(async () => clearInterval(sampler));

    console.log(`starting the office's invoice run of ${today} (${runId}) ...`);
    const cpuAtStart = cpuSeconds(roles);
    const t0 = Date.now();
    const since = () => (Date.now() - t0) / 1000;
    const timeline: Timeline = {};
    await ensureInvoiceRun(temporalDeps, officeId, today);
    let lastLog = 0;
    for (;;) {
      const c = await counts();
      const mails = smtp.distinct();
      if (timeline.invoicesNumberedS === undefined && c.invoices >= N) timeline.invoicesNumberedS = since();
      if (timeline.pdfsStoredS === undefined && c.pdfs >= N) timeline.pdfsStoredS = since();
      if (timeline.mailsSentS === undefined && mails >= N) timeline.mailsSentS = since();
      if (timeline.pdfsStoredS !== undefined && timeline.mailsSentS !== undefined) {
        const p = await phase();
        if (p === 'following' || p === 'done') {
          timeline.runPassDoneS = since();
          break;
        }
      }
      if (Date.now() - lastLog > 10_000) {
        lastLog = Date.now();
        console.log(`  ${since().toFixed(0)} s: ${c.invoices} invoices, ${c.pdfs} PDFs, ${mails} mails (${smtp.received()} received)`);
      }
      if (Date.now() - t0 > TIMEOUT_MS) throw new Error(`timed out after ${TIMEOUT_MS / 1000} s: ${JSON.stringify({ ...c, mails })}`);
      // Once a second: each count reads the whole invoices table (at 100k rows, ~10 ms of PostgreSQL).
      await sleep(1000);
    }
    const invoicesMs = Date.now() - t0;
    console.log(`all ${N} invoices numbered, stored and mailed in ${(invoicesMs / 1000).toFixed(1)} s; the pain.008 through the API ...`);

    const collectionDate = nextTargetBusinessDay(today, true);
    const [exportMs, exported] = await time(async () => {
      const res = await fetch(`http://127.0.0.1:${apiPort}/billing/sepa-exports`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ collectionDate }),
      });
      const body = (await res.json()) as { id: string; transactions: number; deferred: unknown[] };
      if (res.status !== 201 && res.status !== 200) throw new Error(`export answered ${res.status}: ${JSON.stringify(body).slice(0, 500)}`);
      return body;
    });
    const totalMs = invoicesMs + exportMs;
    const cpuAtEnd = cpuSeconds(roles);
    sampleMemory();
    clearInterval(sampler);
    const cpuPerInvoiceMs = Object.fromEntries(Object.entries(cpuAtEnd).map(([k, v]) => [k, round(((v - (cpuAtStart[k] ?? 0)) * 1000) / N, 2)]));
    const cpuUsedS = Object.entries(cpuAtEnd).reduce((sum, [k, v]) => sum + v - (cpuAtStart[k] ?? 0), 0);
    const xmlBytes = (await db.query<{ n: number }>('select length(xml)::int as n from sepa_exports where id = $1', [exported.id])).rows[0]?.n ?? 0;
    // Numbers have at least five digits (2026-00001 .. 2026-100000): order by length, then text.
    const numbers = (await db.query<{ min: string; max: string; n: number }>(
      'select (array_agg(number order by length(number), number))[1] as min, (array_agg(number order by length(number) desc, number desc))[1] as max, count(distinct number)::int as n from invoices')).rows[0]!;
    const statuses = Object.fromEntries(
      (await db.query<{ status: string; n: number }>('select status, count(*)::int as n from invoices group by status')).rows.map((r) => [r.status, r.n]),
    );
    const invoiceWorkflows = (await client.workflow.count('WorkflowType = "invoiceWorkflow"')).count;
    const activities = await activityTimes(client, runId);
    const chunkSeconds = activities.createRunInvoices?.totalS ?? Number.NaN;
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

    // The numbering stage alone, nothing else running: a second office with N due contracts,
    // numbered by the run's own chunks (createRunInvoices: claim and lock the due contracts, read
    // what they billed, number gaplessly, insert invoices and lines, set the contracts' dates),
    // called one after the other as the run workflow calls them, without Temporal in between.
    const numberingOffice = newId();
    await generate(db, numberingOffice, today, 'Benchkantoor Nummering');
    const [numberingMs, numbered] = await time(async () => {
      let created = 0;
      for (;;) {
        const chunk = await createRunInvoices(orm.em.fork(), { officeId: numberingOffice, date: today, runKey: 'bench:numbering', limit: RUN_CHUNK });
        created += chunk.created;
        if (!chunk.more) return created;
      }
    });
    if (numbered !== N) throw new Error(`the numbering stage made ${numbered} invoices, expected ${N}`);
    const rawMs = await rawInsert(db, officeId, today, 'tables');
    const rawScratchMs = await rawInsert(db, officeId, today, 'scratch');
    const invoicesPerS = N / (totalMs / 1000);
    const rawPerS = N / (rawMs / 1000);
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
      workers: WORKERS,
      generateSeconds: round(genMs / 1000),
      timelineSeconds: { ...timeline, sepaExport: round(exportMs / 1000, 2), total: round(totalMs / 1000) },
      invoiceNumbers: numbers,
      invoiceStatuses: statuses,
      // The SAMPLES mails of the `alone` measurement are left out of both counts.
      mails: { distinctMessageIds: smtp.distinct() - SAMPLES, received: smtp.received() - SAMPLES },
      invoiceWorkflowsStarted: invoiceWorkflows,
      sepaExport: { transactions: exported.transactions, deferred: exported.deferred.length, xmlBytes, collectionDate },
      invoicesPerSecond: round(invoicesPerS),
      rawInsertRowsPerSecond: Math.round(rawPerS),
      rawInsertSeconds: round(rawMs / 1000, 2),
      // The same rows into scratch copies without foreign keys (the earlier ceiling).
      rawInsertScratchSeconds: round(rawScratchMs / 1000, 2),
      numberingAloneSeconds: round(numberingMs / 1000, 2),
      // Ours ÷ raw (goal ≥ 0.3): the numbering stage (the chunks' summed time) and end to end.
      ratio: {
        numberingStage: round(rawMs / numberingMs, 2),
        numberingInRun: round(rawMs / 1000 / chunkSeconds, 2),
        endToEnd: round(rawMs / totalMs, 3),
      },
      runActivities: activities,
      // Until the pain.008 is written: CPU time per invoice by process, and the share of the machine used.
      cpuPerInvoiceMs,
      cpuShareOfMachine: round(cpuUsedS / ((totalMs / 1000) * os.cpus().length), 2),
      peakMemoryMb: peak,
      alone: { pdfRenderMs: round(pdfMs / SAMPLES, 2), smtpMailMs: round(mailMs / SAMPLES, 2), samples: SAMPLES },
      goal: {
        contracts: GOAL_CONTRACTS,
        seconds: GOAL_SECONDS,
        ratio: GOAL_RATIO,
        measuredAtFullSize: N >= GOAL_CONTRACTS,
        extrapolatedSeconds: Math.round(GOAL_CONTRACTS / invoicesPerS),
        met: (N >= GOAL_CONTRACTS ? totalMs / 1000 : GOAL_CONTRACTS / invoicesPerS) <= GOAL_SECONDS,
      },
    };
    console.log(`invoice run: ${N} contracts -> ${N} invoices + pain.008 in ${(totalMs / 1000).toFixed(1)} s = ${result.invoicesPerSecond} invoices/s (${WORKERS} worker${WORKERS === 1 ? '' : 's'}; load average 1/5/15 at start ${loadAtStart.join(' ')}, at end ${result.machine.loadAverage1_5_15.atEnd.join(' ')})`);
    console.log(`  timeline (s):`, result.timelineSeconds);
    console.log(`  numbers ${numbers.min} .. ${numbers.max} (${numbers.n} distinct); statuses`, statuses, `; ${result.mails.distinctMessageIds} distinct Message-IDs in ${result.mails.received} mails; ${invoiceWorkflows} invoice workflows`);
    console.log(`  run activities:`, JSON.stringify(activities));
    console.log(`  CPU per invoice (ms):`, cpuPerInvoiceMs, `share of the machine: ${result.cpuShareOfMachine}`);
    console.log(`  peak memory (MB, PSS):`, peak);
    console.log(`  alone: one PDF ${result.alone.pdfRenderMs} ms, one SMTP mail ${result.alone.smtpMailMs} ms`);
    console.log(
      `  ceiling: raw multi-row INSERT of ${N} invoices and lines into the real tables (indexes, foreign keys; rolled back) ${result.rawInsertSeconds} s = ${result.rawInsertRowsPerSecond} invoices/s; into scratch copies without foreign keys ${result.rawInsertScratchSeconds} s`,
    );
    console.log(
      `  RATIO raw ÷ ours (goal ≥ ${GOAL_RATIO} for the numbering stage): numbering stage alone ${result.ratio.numberingStage} (${N} invoices numbered and inserted with their lines, contracts claimed and re-planned, in ${round(numberingMs / 1000, 2)} s vs the raw insert of the invoices and lines ${result.rawInsertSeconds} s); ` +
        `the same chunks inside the run ${result.ratio.numberingInRun} (summed ${chunkSeconds} s, sharing the cores with issuing); end to end ${result.ratio.endToEnd} (numbered, PDF, mail, pain.008 vs the raw insert)`,
    );
    console.log(`  goal ${GOAL_CONTRACTS} in ${GOAL_SECONDS} s: ${result.goal.met ? 'met' : 'NOT met'} (${result.goal.measuredAtFullSize ? `measured: ${round(totalMs / 1000)} s` : `extrapolated: ${result.goal.extrapolatedSeconds} s`})`);
    mkdirSync(path.join(here, 'results'), { recursive: true });
    // The latest run, and the latest of this size (the 10k and 100k figures are kept side by side).
    const suffix = WORKERS === 1 ? '' : `-workers-${WORKERS}`;
    writeFileSync(path.join(here, 'results', `invoice-run${suffix}.json`), `${JSON.stringify(result, null, 2)}\n`);
    writeFileSync(path.join(here, 'results', `invoice-run-${N}${suffix}.json`), `${JSON.stringify(result, null, 2)}\n`);
    console.log(`written bench/results/invoice-run${suffix}.json and invoice-run-${N}${suffix}.json`);
  } finally {
    for (const stop of stops) await stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
