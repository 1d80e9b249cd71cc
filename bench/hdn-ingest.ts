/**
 * `npm run bench:hdn-ingest`: how fast does the running platform take in lender messages, from
 * the POST to the message applied by its product workflow, against the raw rate of
 * signal-with-start on the same Temporal server?
 *
 * - Starts its own servers (bench/support.ts): PostgreSQL, the Temporal dev server, the SMTP
 *   peer, the API in-process on a real port and the worker as a child process. The HDN gateway
 *   of the worker is a loopback sink in this process that answers 202 to every AX.
 * - Setup: BENCH_APPLICATIONS (M) AXes from the advice software, converted and sent
 *   (POST /hdn/messages, /hdn/messages/:id/convert, /products/:id/steps/send-application), so
 *   M mortgage products each have a running workflow with a sent application.
 * - Ingest: BENCH_MESSAGES (N) lender messages (70% SX 09/10/22, 20% OX renteaanbod with
 *   dates far ahead, 10% DA checklist; from the fixtures, each with its own VerzendTijd) spread
 *   round robin over the M applications, posted with BENCH_CONCURRENCY (32) callers to
 *   POST /hdn/messages with the lender credential, from a load generator in its own process
 *   (bench/hdn-ingest-load.ts; before 2026-12-07 it ran in the API's process). Timed until no
 *   lender message in hdn_messages is 'received' or 'delivered' any more (every one
 *   applied/recorded by its workflow). Accept latency = the HTTP answer time of each POST. The
 *   API's delivery counts say how many signals carried the messages (services/hdn/delivery.ts).
 * - Accept only: N lender messages for applications nobody has, same callers: validated,
 *   stored, acknowledged and parked, nothing delivered; the ceiling of any delivery design that
 *   keeps store-then-acknowledge.
 * - Raw: N `signalWithStart` calls by the same number of callers on the same Temporal server to
 *   M throw-away workflow ids of a workflow type no worker runs (task queue without a worker):
 *   the frontend + history cost of the call itself, nothing executes.
 * - Ratio = end-to-end messages/s ÷ raw signal-with-start/s. Writes bench/results/hdn-ingest.json.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsToMs } from '@temporalio/common/lib/time.js';
import { newId } from '../db/ids.js';
import { deliveryCounts } from '../services/hdn/delivery.js';
import { DEMO_HDN_NODES, DEMO_LENDER } from '../scripts/seed.js';
import { buildHdn, parseHdn } from '../integrations/hdn/codec.js';
import type { HdnApplication, HdnDocumentRequest, HdnHeader, HdnMessage, HdnOffer, HdnStatus } from '../integrations/hdn/types.js';
import type { LoadJob, LoadResult } from './hdn-ingest-load.js';
import { BENCH_HDN_NODE, machine, percentile, pool, round2, startBenchPlatform, type BenchPlatform } from './support.js';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 3000);
const APPLICATIONS = Number(process.env.BENCH_APPLICATIONS ?? 30);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
/** Worker processes on the task queue (BENCH_WORKERS, default 1): scale-out, as `npm start` with WORKERS; CPU "worker" is their sum. */
const WORKERS = Number(process.env.BENCH_WORKERS ?? 1);
const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = (name: string): HdnMessage => parseHdn(readFileSync(path.join(here, '..', 'integrations', 'hdn', 'fixtures', name), 'utf8'));

const ax = fixture('ax.xml') as HdnApplication;
const sx = fixture('sx-10.xml') as HdnStatus;
const ox = fixture('ox-18.xml') as HdnOffer;
const da = fixture('da.xml') as HdnDocumentRequest;
const SX_CODES = ['09', '10', '22'];

/** Message `i` of an application: its own VerzendTijd (one second apart), so every one is a new message. */
function lenderMessage(applicationNumber: string, i: number): string {
  const s = i + 1;
  const header = (base: HdnHeader, messageType: 'SX' | 'OX' | 'DA'): HdnHeader => ({
    ...base,
    messageType,
    senderNode: DEMO_LENDER.node,
    receiverNode: BENCH_HDN_NODE,
    applicationNumber,
    applicationVersion: '1',
    sentDate: '2026-11-23',
    sentTime: [Math.floor(s / 3600), Math.floor(s / 60) % 60, s % 60].map((n) => String(n).padStart(2, '0')).join(':'),
  });
  const kind = i % 10;
  if (kind < 7) return buildHdn({ ...sx, header: header(sx.header, 'SX'), statusCode: SX_CODES[i % SX_CODES.length]! });
  if (kind < 9) {
    return buildHdn({ ...ox, header: header(ox.header, 'OX'), offerNumber: `OF-${applicationNumber}-${i}`, acceptanceDate: '2030-01-15', validityDate: '2030-06-30' });
  }
  return buildHdn({ ...da, header: header(da.header, 'DA') });
}

async function http2(p: BenchPlatform, pathname: string, token: string, body: string, contentType: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${p.baseUrl}${pathname}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
    body,
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** An AX from the advice software, converted and sent: a mortgage product whose workflow waits for the lender. */
async function sentApplication(p: BenchPlatform, n: number): Promise<string> {
  const applicationNumber = String(100_000_000 + n);
  const xml = buildHdn({
    ...ax,
    header: { ...ax.header, senderNode: DEMO_HDN_NODES.advice_software, receiverNode: BENCH_HDN_NODE, receiverCode: DEMO_LENDER.code, applicationNumber, applicationVersion: '1' },
    applicants: ax.applicants.map((a) => ({ ...a, lastName: `${a.lastName}-b${n}`, email: `${a.position}.b${n}@example.nl` })),
  });
  const inbound = await http2(p, '/hdn/messages', p.tokens.advice_software ?? '', xml, 'application/xml');
  if (inbound.status !== 202) throw new Error(`AX ${n}: ${inbound.status} ${JSON.stringify(inbound.body)}`);
  const converted = await http2(p, `/hdn/messages/${String(inbound.body.id)}/convert`, p.tokens.adviser ?? '', '{}', 'application/json');
  if (converted.status !== 201) throw new Error(`convert ${n}: ${converted.status} ${JSON.stringify(converted.body)}`);
  const sent = await http2(p, `/products/${String(converted.body.productId)}/steps/send-application`, p.tokens.adviser ?? '', '{}', 'application/json');
  if (sent.status !== 200) throw new Error(`send-application ${n}: ${sent.status} ${JSON.stringify(sent.body)}`);
  return applicationNumber;
}

async function pendingLenderMessages(p: BenchPlatform): Promise<Record<string, number>> {
  const rows = (await p.orm.em.fork().execute(
    `select state, count(*)::int as n from hdn_messages where direction = 'in' and type <> 'AX' group by state`,
  )) as { state: string; n: number }[];
  return Object.fromEntries(rows.map((r) => [r.state, r.n]));
}

/** CPU seconds (user + system) per component of this benchmark's process tree, from /proc (Linux). */
type CpuSnapshot = Record<string, number>;
const CLOCK_TICKS = 100; // USER_HZ: /proc/<pid>/stat counts in 1/100 s on Linux

function cpuSnapshot(): CpuSnapshot {
  const procs = new Map<number, { ppid: number; cpu: number; cmd: string }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces): state ppid ... utime(14) stime(15)
      // cutime(16) cstime(17). The children's part keeps the CPU of exited processes (e.g. a
      // PostgreSQL backend closed by the pool) with their parent, so a component never shrinks.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const ticks = Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
      procs.set(Number(entry), { ppid: Number(fields[1]), cpu: ticks / CLOCK_TICKS, cmd });
    } catch {
      // The process ended while we read: its CPU is lost to this snapshot.
    }
  }
  const mine = (pid: number): boolean => {
    for (let p = pid, hops = 0; p > 1 && hops < 20; hops++) {
      if (p === process.pid) return true;
      p = procs.get(p)?.ppid ?? 0;
    }
    return false;
  };
  const out: CpuSnapshot = {};
  for (const [pid, p] of procs) {
    if (!mine(pid)) continue;
    const component =
      pid === process.pid
        ? 'bench-process'
        : /hdn-ingest-load/.test(p.cmd)
          ? 'load-generator'
          : /temporal/.test(p.cmd)
          ? 'temporal-server'
          : /postgres/.test(p.cmd)
            ? 'postgresql'
            : /worker\.ts/.test(p.cmd)
              ? 'worker'
              : 'other';
    out[component] = (out[component] ?? 0) + p.cpu;
  }
  return out;
}

/**
 * The load generator's own CPU moved from the bench process to its own line: it has exited (and
 * was reaped) before the snapshot, so /proc books its CPU on its parent, the bench process.
 */
function withLoadGenerator(after: CpuSnapshot, load: LoadResult): CpuSnapshot {
  const out = { ...after };
  out['bench-process'] = (out['bench-process'] ?? 0) - load.cpuSeconds;
  out['load-generator'] = (out['load-generator'] ?? 0) + load.cpuSeconds;
  return out;
}

/** CPU ms per message of each component between two snapshots, and the share of the machine's cores. */
function cpuPerMessage(before: CpuSnapshot, after: CpuSnapshot, messages: number, wallMs: number): Record<string, unknown> {
  const perComponent: Record<string, { cpuMsPerMessage: number; coresUsed: number }> = {};
  let total = 0;
  for (const [k, v] of Object.entries(after)) {
    const d = v - (before[k] ?? 0);
    total += d;
    perComponent[k] = { cpuMsPerMessage: round2((d * 1000) / messages), coresUsed: round2(d / (wallMs / 1000)) };
  }
  return { ...perComponent, total: { cpuMsPerMessage: round2((total * 1000) / messages), coresUsed: round2(total / (wallMs / 1000)) } };
}

/** Mean, p50 and p99 of a list of ms figures. */
function spread(values: number[]): { mean: number; p50: number; p99: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const mean = sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length);
  return { mean: round2(mean), p50: round2(percentile(sorted, 50)), p99: round2(percentile(sorted, 99)) };
}

/** The history event types read below (temporal.api.enums.v1.EventType). */
const EventType = {
  EVENT_TYPE_WORKFLOW_TASK_STARTED: 6,
  EVENT_TYPE_WORKFLOW_TASK_COMPLETED: 7,
  EVENT_TYPE_ACTIVITY_TASK_SCHEDULED: 10,
  EVENT_TYPE_ACTIVITY_TASK_STARTED: 11,
  EVENT_TYPE_ACTIVITY_TASK_COMPLETED: 12,
  EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED: 26,
} as const;

/**
 * The workflow stage from the product workflows' own histories (event times are the history
 * service's): from the first lender signal on, the time workflow tasks waited in the queue and
 * ran, and per activity type the time it waited and ran, summed and divided by the signals.
 */
async function workflowStage(p: BenchPlatform, workflowIds: string[]): Promise<Record<string, unknown>> {
  let signals = 0;
  let wftCount = 0;
  let wftQueueMs = 0;
  let wftRunMs = 0;
  const activities: Record<string, { calls: number; queueMs: number; runMs: number }> = {};
  for (const id of workflowIds) {
    const history = await p.client.workflow.getHandle(id).fetchHistory();
    const events = history.events ?? [];
    const firstSignal = events.findIndex((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED);
    if (firstSignal < 0) continue;
    const at = new Map<number, number>();
    const activityType = new Map<number, string>();
    for (const e of events.slice(firstSignal)) {
      const eventId = Number(e.eventId);
      const t = tsToMs(e.eventTime);
      at.set(eventId, t);
      switch (Number(e.eventType)) {
        case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED:
          signals++;
          break;
        case EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED: {
          const scheduled = at.get(Number(e.workflowTaskStartedEventAttributes?.scheduledEventId));
          if (scheduled !== undefined) wftQueueMs += t - scheduled;
          break;
        }
        case EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED: {
          const started = at.get(Number(e.workflowTaskCompletedEventAttributes?.startedEventId));
          if (started !== undefined) {
            wftRunMs += t - started;
            wftCount++;
          }
          break;
        }
        case EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
          activityType.set(eventId, e.activityTaskScheduledEventAttributes?.activityType?.name ?? '?');
          break;
        case EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED: {
          const sid = Number(e.activityTaskStartedEventAttributes?.scheduledEventId);
          const name = activityType.get(sid) ?? '?';
          const a = (activities[name] ??= { calls: 0, queueMs: 0, runMs: 0 });
          a.queueMs += t - (at.get(sid) ?? t);
          break;
        }
        case EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED: {
          const sid = Number(e.activityTaskCompletedEventAttributes?.scheduledEventId);
          const started = at.get(Number(e.activityTaskCompletedEventAttributes?.startedEventId));
          const a = (activities[activityType.get(sid) ?? '?'] ??= { calls: 0, queueMs: 0, runMs: 0 });
          a.calls++;
          if (started !== undefined) a.runMs += t - started;
          break;
        }
        default:
          break;
      }
    }
  }
  const per = (ms: number): number => round2(ms / Math.max(1, signals));
  return {
    signals,
    workflowTasks: { count: wftCount, perMessage: round2(wftCount / Math.max(1, signals)), queueMsPerMessage: per(wftQueueMs), runMsPerMessage: per(wftRunMs) },
    activities: Object.fromEntries(
      Object.entries(activities).map(([name, a]) => [
        name,
        { calls: a.calls, callsPerMessage: round2(a.calls / Math.max(1, signals)), queueMsPerMessage: per(a.queueMs), runMsPerMessage: per(a.runMs) },
      ]),
    ),
  };
}

/** Posts `bodies` from the load generator's own process (bench/hdn-ingest-load.ts) and returns what it measured. */
async function postFromOwnProcess(p: BenchPlatform, token: string, bodies: string[]): Promise<LoadResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hdn-ingest-load-'));
  try {
    const jobFile = path.join(dir, 'job.json');
    const job: LoadJob = { baseUrl: p.baseUrl, token, concurrency: CONCURRENCY, bodies };
    writeFileSync(jobFile, JSON.stringify(job));
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'hdn-ingest-load.ts'), jobFile], { stdio: ['ignore', 'inherit', 'inherit'] });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    if (code !== 0) throw new Error(`the load generator exited with ${code}`);
    return JSON.parse(readFileSync(`${jobFile}.out.json`, 'utf8')) as LoadResult;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  // The lender gateway: a loopback sink that accepts every AX with 202.
  const sink = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(202, { 'content-type': 'text/plain' }).end('ontvangen'));
  });
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
  const sinkAddress = sink.address();
  const sinkUrl = `http://127.0.0.1:${typeof sinkAddress === 'object' && sinkAddress ? sinkAddress.port : 0}/hdn`;

  console.log('starting PostgreSQL, Temporal, SMTP peer, API and worker ...');
  const p = await startBenchPlatform();
  try {
    for (let w = 0; w < WORKERS; w++) await p.startWorker({ HDN_GATEWAY_URL: sinkUrl, HDN_GATEWAY_TOKEN: 'bench-sink' });
    console.log(`setting up ${APPLICATIONS} mortgage products with a sent application ...`);
    const numbers: string[] = [];
    await pool(APPLICATIONS, 4, async (n) => {
      numbers[n] = await sentApplication(p, n);
    });
    const lenderToken = p.tokens.lender ?? '';
    const bodies = Array.from({ length: MESSAGES }, (_, k) => lenderMessage(numbers[k % APPLICATIONS]!, Math.floor(k / APPLICATIONS)));

    // End to end: posted by CONCURRENCY callers (in the load generator's own process), until
    // every message was handled by its workflow. The CPU of starting that process is not counted:
    // its CPU (process.cpuUsage, reported by itself) includes starting Node and tsx (a fraction of a second).
    console.log(`posting ${MESSAGES} lender messages (${CONCURRENCY} concurrent, load generator in its own process) to POST /hdn/messages ...`);
    const deliveriesBefore = { ...deliveryCounts };
    const cpuStart = cpuSnapshot();
    const start = process.hrtime.bigint();
    const load = await postFromOwnProcess(p, lenderToken, bodies);
    const { accept, stages, failures, answers } = load;
    const postedMs = load.postedMs;
    let states = await pendingLenderMessages(p);
    const deadline = Date.now() + 15 * 60_000;
    while ((states.delivered ?? 0) + (states.received ?? 0) > 0) {
      if (Date.now() > deadline) throw new Error(`messages still pending after 15 min: ${JSON.stringify(states)}`);
      await new Promise((r) => setTimeout(r, 100));
      states = await pendingLenderMessages(p);
    }
    const e2eMs = Number(process.hrtime.bigint() - start) / 1e6;
    const e2eCpu = cpuPerMessage(cpuStart, withLoadGenerator(cpuSnapshot(), load), MESSAGES, e2eMs);
    const e2eRate = MESSAGES / (e2eMs / 1000);
    const delivered = { messages: deliveryCounts.messages - deliveriesBefore.messages, signals: deliveryCounts.signals - deliveriesBefore.signals };
    const signalsPerMessage = delivered.signals / Math.max(1, delivered.messages);
    accept.sort((a, b) => a - b);
    console.log(`  end to end: ${MESSAGES} messages in ${(e2eMs / 1000).toFixed(1)} s = ${e2eRate.toFixed(1)} msgs/s (all accepted after ${(postedMs / 1000).toFixed(1)} s)`);
    console.log(`  accept latency p50 ${percentile(accept, 50).toFixed(1)} ms, p99 ${percentile(accept, 99).toFixed(1)} ms; answers ${JSON.stringify(answers)}; states ${JSON.stringify(states)}`);
    if (failures.length > 0) console.log(`  first failed answers: ${JSON.stringify(failures)}`);
    console.log(`  delivery: ${delivered.messages} messages in ${delivered.signals} signals (${signalsPerMessage.toFixed(2)} signals per message)`);
    const acceptStages = Object.fromEntries(Object.entries(stages).map(([stage, v]) => [stage, spread(v)]));
    for (const [stage, f] of Object.entries(acceptStages)) console.log(`    accept stage ${stage}: mean ${f.mean} ms, p50 ${f.p50} ms, p99 ${f.p99} ms`);
    const productWorkflows = (
      (await p.orm.em.fork().execute(`select workflow_id from products where type = 'mortgage'`)) as { workflow_id: string }[]
    ).map((r) => r.workflow_id);
    const wf = await workflowStage(p, productWorkflows);
    console.log(`  workflow stage: ${JSON.stringify(wf)}`);
    console.log(`  CPU per message (this benchmark's processes; bench-process = the API; ${os.cpus().length} cores): ${JSON.stringify(e2eCpu)}`);

    // Accept only: the same number of lender messages for applications nobody has, so each is
    // validated, stored and acknowledged (parked with its reason) and nothing is delivered: the
    // ceiling of any delivery design that keeps store-then-acknowledge on this machine.
    const parkedBodies = Array.from({ length: MESSAGES }, (_, k) => lenderMessage(String(800_000_000 + k), k));
    console.log(`accept only: ${MESSAGES} lender messages for unknown applications (stored, acknowledged, parked; no delivery) ...`);
    const acceptCpuStart = cpuSnapshot();
    const acceptStart = process.hrtime.bigint();
    const acceptOnly = await postFromOwnProcess(p, lenderToken, parkedBodies);
    const acceptOnlyMs = Number(process.hrtime.bigint() - acceptStart) / 1e6;
    const acceptOnlyCpu = cpuPerMessage(acceptCpuStart, withLoadGenerator(cpuSnapshot(), acceptOnly), MESSAGES, acceptOnlyMs);
    const acceptOnlyRate = MESSAGES / (acceptOnlyMs / 1000);
    acceptOnly.accept.sort((a, b) => a - b);
    console.log(`  accept only: ${(acceptOnlyMs / 1000).toFixed(1)} s = ${acceptOnlyRate.toFixed(1)} msgs/s; answers ${JSON.stringify(acceptOnly.answers)}; p50 ${percentile(acceptOnly.accept, 50).toFixed(1)} ms`);
    console.log(`  CPU per message, accept only: ${JSON.stringify(acceptOnlyCpu)}`);

    // Raw: the same number of signal-with-start calls, same callers, to M throw-away workflow ids.
    const rawQueue = `bench-raw-${newId().slice(0, 8)}`;
    const rawIds = Array.from({ length: APPLICATIONS }, (_, n) => `bench-raw:${newId()}:${n}`);
    console.log(`raw: ${MESSAGES} signalWithStart calls (${CONCURRENCY} concurrent) to ${APPLICATIONS} workflows on a task queue without a worker ...`);
    const rawCpuStart = cpuSnapshot();
    const rawStart = process.hrtime.bigint();
    await pool(MESSAGES, CONCURRENCY, async (k) => {
      await p.client.workflow.signalWithStart('benchNoopWorkflow', {
        workflowId: rawIds[k % APPLICATIONS]!,
        taskQueue: rawQueue,
        args: [],
        signal: 'lenderMessage',
        signalArgs: [{ messageId: newId(), type: 'SX', applicationNumber: '000000000', applicationVersion: 1, statusCode: '10' }],
      });
    });
    const rawMs = Number(process.hrtime.bigint() - rawStart) / 1e6;
    const rawCpu = cpuPerMessage(rawCpuStart, cpuSnapshot(), MESSAGES, rawMs);
    const rawRate = MESSAGES / (rawMs / 1000);
    await Promise.all(rawIds.map((id) => p.client.workflow.getHandle(id).terminate('benchmark done').catch(() => undefined)));
    const ratio = e2eRate / rawRate;
    console.log(`  raw signal-with-start: ${(rawMs / 1000).toFixed(1)} s = ${rawRate.toFixed(1)} calls/s`);
    console.log(`  CPU per raw call: ${JSON.stringify(rawCpu)}`);
    console.log(`  ratio end-to-end / raw: ${(ratio * 100).toFixed(0)}% (goal >= 80%); accept only / raw: ${((acceptOnlyRate / rawRate) * 100).toFixed(0)}%`);

    const result = {
      at: new Date().toISOString(),
      machine: machine(),
      messages: MESSAGES,
      applications: APPLICATIONS,
      concurrency: CONCURRENCY,
      workers: WORKERS,
      loadAverage1_5_15: os.loadavg().map(round2),
      mix: { SX: '70% (09/10/22)', OX: '20% (renteaanbod)', DA: '10%' },
      endToEnd: {
        seconds: round2(e2eMs / 1000),
        acceptedAfterSeconds: round2(postedMs / 1000),
        messagesPerSecond: round2(e2eRate),
        acceptedPerSecond: round2(MESSAGES / (postedMs / 1000)),
        acceptLatencyMs: { p50: round2(percentile(accept, 50)), p99: round2(percentile(accept, 99)), max: round2(accept[accept.length - 1] ?? 0) },
        answers,
        ...(failures.length > 0 ? { firstFailures: failures } : {}),
        finalStates: states,
        acceptStagesMs: acceptStages,
        delivery: { ...delivered, signalsPerMessage: round2(signalsPerMessage) },
        loadGenerator: 'own process (bench/hdn-ingest-load.ts); bench-process = the API',
        cpu: e2eCpu,
      },
      acceptOnly: {
        what: 'lender messages for unknown applications: validated, stored, acknowledged, parked; nothing delivered',
        seconds: round2(acceptOnlyMs / 1000),
        messagesPerSecond: round2(acceptOnlyRate),
        answers: acceptOnly.answers,
        acceptLatencyMs: { p50: round2(percentile(acceptOnly.accept, 50)), p99: round2(percentile(acceptOnly.accept, 99)) },
        cpu: acceptOnlyCpu,
        ratioToRaw: round2(acceptOnlyRate / rawRate),
      },
      workflowStage: wf,
      rawSignalWithStart: {
        seconds: round2(rawMs / 1000),
        callsPerSecond: round2(rawRate),
        workflowType: 'benchNoopWorkflow (no worker on its task queue)',
        caller: 'the bench process (Temporal client), 32 concurrent',
        cpu: rawCpu,
      },
      ratio: round2(ratio),
    };
    mkdirSync(path.join(here, 'results'), { recursive: true });
    const file = WORKERS === 1 ? 'hdn-ingest.json' : `hdn-ingest-workers-${WORKERS}.json`;
    writeFileSync(path.join(here, 'results', file), `${JSON.stringify(result, null, 2)}\n`);
    console.log(`written bench/results/${file} (${WORKERS} worker(s); load average 1/5/15 ${os.loadavg().map(round2).join(' ')})`);
  } finally {
    await p.stop();
    await new Promise<void>((resolve) => sink.close(() => resolve()));
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
