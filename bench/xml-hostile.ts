/**
 * `npm run bench:xml-hostile`: does the API stay responsive while parties post the worst XML
 * bodies of issue 16? GET /health/live latency while 4 clients post them, next to the same
 * probe on the idle API, in one run.
 *
 * - Starts its own servers (bench/support.ts): PostgreSQL, the Temporal dev server, the SMTP
 *   peer and the API in-process on a real port (buildApp: the default XML pool, 2 threads).
 * - The clients run in worker threads of this process, so the API's event loop runs only the
 *   API: a probe thread (GET /health/live every BENCH_PROBE_MS = 20 ms, one keep-alive
 *   connection) and a load thread (BENCH_CLIENTS = 4 callers, each posting the hostile bodies
 *   round robin for BENCH_SECONDS = 20 s).
 * - The bodies (as in the issue): 1.15 M attributes in 19.6 MB and 4.5 M flat elements in 18 MB
 *   to POST /hdn/messages (lender) and POST /billing/bank-imports (adviser), 100,000-deep
 *   nesting and a billion-laughs DOCTYPE to POST /hdn/messages and POST /risk/messages.
 * - Phases: idle (probe only, BENCH_SECONDS), then load (probe + clients) twice: the reader
 *   alone (the refused-bodies guard of api/plugins/xml-refusals.ts lifted: every body read up to
 *   its limit), then as deployed (the guard's defaults: a credential past XML_REFUSED_BODIES_MAX
 *   refused bodies per window is answered 429 unread); the goal is the deployed phase's. The load
 *   thread runs at nice 19: the attackers' CPU is not the server's. Also the API's event-loop
 *   delay (perf_hooks.monitorEventLoopDelay) in each phase, its RSS before and after.
 * - Per hostile body: the API main thread's CPU time, its event-loop busy time and the bytes the
 *   API received (bodies over a counting limit are read only up to where they go over, then the
 *   connection is closed: api/plugins/xml-body.ts).
 * - Goal: health p99 under load within 2x of idle. Writes bench/results/xml-hostile.json, and
 *   prints the previous result's figures next to the new ones (`previousRun` in the file).
 */
import { mkdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { defaultXmlBodyLimits } from '../api/plugins/xml-body.js';
import { RefusedXmlBodies, type RefusalLimits } from '../api/plugins/xml-refusals.js';
import { XML_REFUSAL_DEFAULTS } from '../config/settings.js';
import { XmlParsePool } from '../integrations/xml/index.js';
import { machine, percentile, round2, startBenchPlatform } from './support.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 4);
const PROBE_MS = Number(process.env.BENCH_PROBE_MS ?? 20);

interface Target {
  name: string;
  url: string;
  role: string;
  root: string;
  body: (root: string) => string;
}

const manyAttributes = (root: string): string =>
  `<${root}>${`<x ${Array.from({ length: 10 }, (_, i) => `a${i}="xxxxxxxxxx"`).join(' ')}/>`.repeat(115_000)}</${root}>`;
const flatElements = (root: string): string => `<${root}>${'<a/>'.repeat(4_500_000)}</${root}>`;
const deepNesting = (root: string): string => `<${root}>${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}</${root}>`;
const billionLaughs = (root: string): string =>
  `<?xml version="1.0"?>\n<!DOCTYPE ${root} [\n<!ENTITY lol "lol">\n${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`).join('\n')}\n]>\n<${root}>&lol9;</${root}>`;

const targets: Target[] = [
  { name: 'hdn 1.15M attributes', url: '/hdn/messages', role: 'lender', root: 'HDN', body: manyAttributes },
  { name: 'bank 1.15M attributes', url: '/billing/bank-imports', role: 'adviser', root: 'Document', body: manyAttributes },
  { name: 'hdn 4.5M elements', url: '/hdn/messages', role: 'lender', root: 'HDN', body: flatElements },
  { name: 'bank 4.5M elements', url: '/billing/bank-imports', role: 'adviser', root: 'Document', body: flatElements },
  { name: 'hdn deep nesting', url: '/hdn/messages', role: 'lender', root: 'HDN', body: deepNesting },
  { name: 'risk deep nesting', url: '/risk/messages', role: 'risk', root: 'AFD', body: deepNesting },
  { name: 'hdn billion laughs', url: '/hdn/messages', role: 'lender', root: 'HDN', body: billionLaughs },
  { name: 'risk billion laughs', url: '/risk/messages', role: 'risk', root: 'AFD', body: billionLaughs },
];

interface ClientJob {
  kind: 'probe' | 'load';
  baseUrl: string;
  tokens: Record<string, string>;
  seconds: number;
  /** The thread's nice value (Linux: setpriority on the thread id); 0 leaves it as it is. */
  nice?: number;
}

/** Sets this thread's nice value: on Linux setpriority(2) with a thread id applies to that thread alone. */
function niceThisThread(nice: number): void {
  const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
  os.setPriority(tid, nice);
}

function request(agent: http.Agent, baseUrl: string, method: string, url: string, headers: Record<string, string>, body?: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(new URL(url, baseUrl), { method, agent, headers: body ? { ...headers, 'content-length': String(body.length) } : headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The probe: GET /health/live every PROBE_MS, latencies in ms. */
async function probe(job: ClientJob): Promise<{ latencies: number[]; failed: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const latencies: number[] = [];
  let failed = 0;
  const end = Date.now() + job.seconds * 1000;
  while (Date.now() < end) {
    const started = performance.now();
    const status = await request(agent, job.baseUrl, 'GET', '/health/live', {}).catch(() => 0);
    const took = performance.now() - started;
    if (status === 200) latencies.push(took);
    else failed += 1;
    await new Promise((r) => setTimeout(r, Math.max(0, PROBE_MS - took)));
  }
  agent.destroy();
  return { latencies, failed };
}

/** The load: CLIENTS callers posting the bodies round robin. */
async function load(job: ClientJob): Promise<Record<string, { sent: number; statuses: Record<string, number>; p50: number; p99: number }>> {
  const bodies = targets.map((t) => Buffer.from(t.body(t.root)));
  const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
  const byTarget = new Map<string, { statuses: Record<string, number>; latencies: number[] }>(targets.map((t) => [t.name, { statuses: {}, latencies: [] }]));
  const end = Date.now() + job.seconds * 1000;
  let next = 0;
  const caller = async (): Promise<void> => {
    while (Date.now() < end) {
      const i = next++ % targets.length;
      const t = targets[i]!;
      const started = performance.now();
      const status = await request(agent, job.baseUrl, 'POST', t.url, { authorization: `Bearer ${job.tokens[t.role]}`, 'content-type': 'application/xml' }, bodies[i]).catch(
        () => 0,
      );
      const entry = byTarget.get(t.name)!;
      entry.latencies.push(performance.now() - started);
      entry.statuses[String(status)] = (entry.statuses[String(status)] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, caller));
  agent.destroy();
  return Object.fromEntries(
    [...byTarget].map(([name, e]) => {
      const sorted = e.latencies.sort((a, b) => a - b);
      return [name, { sent: sorted.length, statuses: e.statuses, p50: round2(percentile(sorted, 50)), p99: round2(percentile(sorted, 99)) }];
    }),
  );
}

function runClient<T>(job: ClientJob): Promise<T> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: job });
    worker.once('message', (m: T) => resolve(m));
    worker.once('error', reject);
    worker.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`client thread exited with ${code}`))));
  });
}

/** CPU time (user + system, ms) of this process's main thread, where the API runs: Linux /proc, 10 ms ticks. */
function mainThreadCpuMs(): number {
  const stat = readFileSync(`/proc/${process.pid}/task/${process.pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 of stat (utime, stime); the slice starts at field 3.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

function figures(latencies: number[]): { samples: number; p50: number; p90: number; p99: number; max: number } {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { samples: sorted.length, p50: round2(percentile(sorted, 50)), p90: round2(percentile(sorted, 90)), p99: round2(percentile(sorted, 99)), max: round2(sorted.at(-1) ?? Number.NaN) };
}

async function main(): Promise<void> {
  const resultFile = path.join(here, 'results', 'xml-hostile.json');
  const previous = (() => {
    try {
      return JSON.parse(readFileSync(resultFile, 'utf8')) as Record<string, unknown>;
    } catch {
      return undefined;
    }
  })();
  // The refused-bodies guard (api/plugins/xml-refusals.ts) with the deployed defaults; its limits
  // object is the bench's, so the last phase can lift it and measure the reader alone.
  const guard: RefusalLimits = { ...XML_REFUSAL_DEFAULTS };
  const platform = await startBenchPlatform({
    xml: { pool: new XmlParsePool(), bodyLimits: { ...defaultXmlBodyLimits }, refusals: new RefusedXmlBodies(guard) },
  });
  // Bytes the API read from its connections (sockets closed since the count started, and open ones).
  const sockets = new Set<Socket>();
  let closedBytes = 0;
  platform.app.server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => {
      closedBytes += socket.bytesRead;
      sockets.delete(socket);
    });
  });
  const bytesRead = (): number => closedBytes + [...sockets].reduce((n, s) => n + s.bytesRead, 0);
  try {
    const job = (kind: ClientJob['kind']): ClientJob => ({ kind, baseUrl: platform.baseUrl, tokens: platform.tokens, seconds: SECONDS });
    const delay = monitorEventLoopDelay({ resolution: 10 });
    const rss = (): number => Math.round(process.memoryUsage().rss / 2 ** 20);

    // Warm-up: the pool's threads start and load their modules on the first bodies (guard lifted).
    guard.max = Number.MAX_SAFE_INTEGER;
    await runClient({ ...job('load'), seconds: 2 });

    console.log(`idle: probing GET /health/live every ${PROBE_MS} ms for ${SECONDS} s`);
    delay.enable();
    const eluIdleStart = performance.eventLoopUtilization();
    const cpuIdleStart = mainThreadCpuMs();
    const idle = await runClient<{ latencies: number[]; failed: number }>(job('probe'));
    const eluIdle = performance.eventLoopUtilization(eluIdleStart);
    const cpuIdle = mainThreadCpuMs() - cpuIdleStart;
    delay.disable();
    const idleLoop = { p50: round2(delay.percentile(50) / 1e6), p99: round2(delay.percentile(99) / 1e6), max: round2(delay.max / 1e6) };
    delay.reset();

    /** One load phase: the probe and the load thread (at this nice value) side by side. */
    const loadPhase = async (nice: number) => {
      const rssBefore = rss();
      console.log(`load: ${CLIENTS} clients (nice ${nice}) posting the hostile bodies for ${SECONDS} s, probing meanwhile`);
      delay.reset();
      delay.enable();
      const eluStart = performance.eventLoopUtilization();
      const cpuStart = mainThreadCpuMs();
      const bytesStart = bytesRead();
      const [probed, posted] = await Promise.all([
        runClient<{ latencies: number[]; failed: number }>(job('probe')),
        runClient<Awaited<ReturnType<typeof load>>>({ ...job('load'), nice }),
      ]);
      const elu = performance.eventLoopUtilization(eluStart);
      const cpu = mainThreadCpuMs() - cpuStart;
      const bytes = bytesRead() - bytesStart;
      delay.disable();
      const loop = { p50: round2(delay.percentile(50) / 1e6), p99: round2(delay.percentile(99) / 1e6), max: round2(delay.max / 1e6) };
      const health = figures(probed.latencies);
      const bodies = Object.values(posted).reduce((n, p) => n + p.sent, 0);
      // The API's event-loop time (main thread busy) and CPU (/proc: not inflated when other
      // processes take the cores) per hostile body, less what the idle phase's probe rate costs.
      const share = (elu.idle + elu.active) / (eluIdle.idle + eluIdle.active);
      return {
        loadThreadNice: nice,
        healthLiveMs: { ...health, failed: probed.failed },
        ratioP99: round2(health.p99 / healthIdle.p99),
        eventLoopDelayMs: loop,
        eventLoopUtilization: round2(elu.utilization),
        eventLoopMsPerHostileBody: round2((elu.active - eluIdle.active * share) / Math.max(1, bodies)),
        apiThreadCpuMsPerHostileBody: round2((cpu - cpuIdle * share) / Math.max(1, bodies)),
        hostileBodies: bodies,
        apiBytesReadPerHostileBody: Math.round(bytes / Math.max(1, bodies)),
        apiRssMb: { before: rssBefore, after: rss() },
        posted,
      };
    };
    const healthIdle = figures(idle.latencies);
    // The attackers' CPU is not the server's: the load thread runs at nice 19, so that on these 2
    // shared cores it takes only what the API leaves (at nice 0 the figures were the same).
    // First the reader alone (guard lifted: every body is read up to its limit and refused), then
    // as deployed: the guard's defaults, with the counts the clients already ran up.
    const readerAlone = await loadPhase(19);
    guard.max = XML_REFUSAL_DEFAULTS.max;
    const guarded = await loadPhase(19);
    const ratioP99 = guarded.ratioP99;
    const result = {
      at: new Date().toISOString(),
      machine: machine(),
      loadAverage1m5m15m: os.loadavg().map(round2),
      setup: { clients: CLIENTS, seconds: SECONDS, probeEveryMs: PROBE_MS, xmlPool: platform.app.deps.xml.pool.options },
      idle: { healthLiveMs: { ...healthIdle, failed: idle.failed }, eventLoopDelayMs: idleLoop, eventLoopUtilization: round2(eluIdle.utilization) },
      underLoad: guarded,
      underLoadReaderAlone: readerAlone,
      refusalGuard: { max: XML_REFUSAL_DEFAULTS.max, windowSeconds: XML_REFUSAL_DEFAULTS.windowSeconds },
      poolThreadsReplaced: platform.app.deps.xml.pool.replaced,
      ratioP99,
      goalRatioP99: 2,
      previousRun: previous
        ? {
            at: previous.at,
            loadAverage1m5m15m: previous.loadAverage1m5m15m,
            ratioP99: previous.ratioP99,
            underLoad: previous.underLoad,
          }
        : undefined,
    };
    const line = (label: string, h: { p50: number; p99: number; max: number; samples: number }, extra = ''): void =>
      console.log(`  ${label.padEnd(34)} ${String(h.p50).padStart(7)}  ${String(h.p99).padStart(7)}  ${String(h.max).padStart(7)}  ${String(h.samples).padStart(7)}  ${extra}`);
    console.log(`\nGET /health/live (ms)${' '.repeat(17)}p50      p99      max  samples`);
    line('idle', healthIdle);
    line('hostile load, reader alone', readerAlone.healthLiveMs, `p99 ${readerAlone.ratioP99}x idle`);
    line('hostile load, as deployed (guard)', guarded.healthLiveMs, `p99 ${guarded.ratioP99}x idle`);
    console.log(`  p99 ratio ${ratioP99}x (goal ≤ 2x: ${ratioP99 <= 2 ? 'met' : 'not met'})`);
    console.log(`event-loop delay p99: idle ${idleLoop.p99} ms`);
    for (const [label, r] of [['reader alone', readerAlone], ['as deployed', guarded]] as const) {
      console.log(
        `${label}: ${r.hostileBodies} bodies; API thread CPU ${r.apiThreadCpuMsPerHostileBody} ms and event loop ${r.eventLoopMsPerHostileBody} ms per body ` +
          `(utilization ${r.eventLoopUtilization}); ${r.apiBytesReadPerHostileBody} bytes received per body; event-loop delay p99 ${r.eventLoopDelayMs.p99} ms ` +
          `(max ${r.eventLoopDelayMs.max}); API RSS ${r.apiRssMb.before} -> ${r.apiRssMb.after} MB`,
      );
      for (const [name, p] of Object.entries(r.posted)) console.log(`  ${name.padEnd(24)} sent ${String(p.sent).padStart(4)}  ${JSON.stringify(p.statuses)}  p50 ${p.p50} ms  p99 ${p.p99} ms`);
    }
    if (result.previousRun) console.log(`previous run (${String(result.previousRun.at)}): p99 ratio ${String(result.previousRun.ratioP99)}x`);
    mkdirSync(path.join(here, 'results'), { recursive: true });
    writeFileSync(resultFile, `${JSON.stringify(result, null, 2)}\n`);
    console.log('written bench/results/xml-hostile.json');
  } finally {
    await platform.stop();
  }
}

if (isMainThread) {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
} else {
  const job = workerData as ClientJob;
  if (job.nice) niceThisThread(job.nice);
  (job.kind === 'probe' ? probe(job) : load(job)).then((result) => parentPort!.postMessage(result));
}
