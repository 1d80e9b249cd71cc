/**
 * `npm run bench:api-reads`: latency of the adviser's two most used reads under load, against a
 * bare Fastify route, with the API, the bare route and the load generator each in a process of
 * its own (issue 22 item 2).
 *
 * - Servers (bench/support.ts): PostgreSQL, the Temporal dev server, the SMTP peer. The API runs
 *   as `npm start` runs it: `node --import tsx api/server.ts` as its own OS process, with its
 *   settings from the environment and the production log level (LOG_LEVEL info: two log lines per
 *   request, into a pipe this process drains, as the supervisor of `npm start` does). The bare route (bench/api-reads-bare.ts: Fastify, one route,
 *   `{ ok: true }`, logger off) runs the same way in its own process. The load generator
 *   (bench/api-reads-load.ts: autocannon) is a third process; it reports every latency back over
 *   IPC. The bench process only orchestrates and is idle while load runs. (startBenchPlatform also
 *   builds the app in this process: used only to count SQL statements per request, below.)
 * - Data: BENCH_DOSSIERS (500) dossiers with two new applicants each, made through
 *   POST /dossiers, then three products per dossier (mortgage / insurance / service, the shipped
 *   statuses) inserted in SQL like bench/selections.ts does, then ANALYZE.
 * - Targets: GET /dossiers/:id (a dossier with two applicants and three products),
 *   GET /dossiers?limit=20 and the bare `GET /bench/ping`.
 * - Serial: BENCH_SERIAL (300) requests per target one after the other (one caller), p50/p99;
 *   the SQL statements per request counted on the in-process app's connection (knex 'query'
 *   events, the authentication lookup included).
 * - Fixed rate: BENCH_RATE (200) req/s, BENCH_SECONDS (20) s per target in BENCH_ROUNDS (5)
 *   interleaved slices (bare, detail, list, bare, ...) after a 3 s warm-up per target, so that
 *   load from other processes on the shared machine falls on all three alike; percentiles over
 *   every response of the slices. Two ways of holding the rate (see bench/api-reads-load.ts):
 *   `paced` (a constant arrival rate, latency from the moment a request was due; 10 connections)
 *   and `quota` (autocannon's own `overallRate`, 10 connections: a burst of the second's quota at
 *   the start of each second; the way earlier runs of this benchmark measured). CPU per request
 *   per process (API or bare, PostgreSQL, load generator) from /proc over the slices.
 * - Highest rate held: for each target, paced load stepped up ×1.5 from BENCH_RATE until a probe
 *   fails (down ÷1.5 when BENCH_RATE itself fails), then bisected to within 5%. A probe is 1 s warm-up then BENCH_PROBE_SECONDS (5) s at
 *   the rate, with one connection per 50 req/s (at least 10); it holds when p99 ≤ 50 ms, at least
 *   95% of the rate was answered, and no errors or non-2xx. A probe that fails is repeated once
 *   (a neighbour's burst on the shared machine should not end the search). Ratio = route ÷ bare.
 * - The machine's load average (1, 5, 15 min) before every phase. Writes
 *   bench/results/api-reads.json.
 * - Also: EXPLAIN ANALYZE (median planning and execution time of 20) of each statement one request
 *   makes; BENCH_EXPLAIN_PLANS=1 prints the plans. BENCH_SEARCH=0 skips the rate search,
 *   BENCH_API_LOG_LEVEL sets the API's LOG_LEVEL (info), BENCH_CPU_PROF=<dir> writes a V8 CPU
 *   profile of the API process (the bench prints when the fixed-rate phase starts in it).
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { freePort } from '../config/ports.js';
import { projectRoot } from '../config/settings.js';
import type { LoadAnswer, LoadRequest } from './api-reads-load.js';
import { BENCH_HDN_NODE, machine, percentile, pool, round2, startBenchPlatform, stopChild } from './support.js';

const DOSSIERS = Number(process.env.BENCH_DOSSIERS ?? 500);
const RATE = Number(process.env.BENCH_RATE ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SERIAL = Number(process.env.BENCH_SERIAL ?? 300);
const PROBE_SECONDS = Number(process.env.BENCH_PROBE_SECONDS ?? 5);
const SEARCH_P99_MS = 50;
const GOAL_P99_MS = 20;
const MAX_RATE = 40_000;
const here = path.dirname(fileURLToPath(import.meta.url));

const loadAverage = (): number[] => os.loadavg().map(round2);

interface Figures {
  requests: number;
  non2xx: number;
  errors: number;
  ratePerSecond: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

function figures(slices: LoadAnswer[]): Figures {
  const all = slices.flatMap((s) => s.latencies).sort((a, b) => a - b);
  const seconds = slices.reduce((a, s) => a + s.seconds, 0);
  const requests = slices.reduce((a, s) => a + s.requests, 0);
  return {
    requests,
    non2xx: slices.reduce((a, s) => a + s.non2xx, 0),
    errors: slices.reduce((a, s) => a + s.errors + s.timeouts, 0),
    ratePerSecond: round2(requests / seconds),
    p50: round2(percentile(all, 50)),
    p90: round2(percentile(all, 90)),
    p99: round2(percentile(all, 99)),
    max: round2(all[all.length - 1] ?? 0),
  };
}

// ---- processes ---------------------------------------------------------------------------------

/** CPU ticks (1/100 s, utime + stime + waited children) per pid. */
function ticksByPid(): Map<number, { ppid: number; comm: string; ticks: number }> {
  const out = new Map<number, { ppid: number; comm: string; ticks: number }>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(d), { ppid: Number(f[1]), comm, ticks: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]) });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** CPU seconds so far of the given processes, and of PostgreSQL (this process's postgres* descendants). */
function cpuSeconds(roles: Record<string, number>): Record<string, number> {
  const procs = ticksByPid();
  const out: Record<string, number> = {};
  for (const [role, pid] of Object.entries(roles)) out[role] = (procs.get(pid)?.ticks ?? 0) / 100;
  const mine = new Set([process.pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, p] of procs) {
      if (!mine.has(pid) && mine.has(p.ppid)) {
        mine.add(pid);
        grew = true;
      }
    }
  }
  out.postgres = [...procs].filter(([pid, p]) => mine.has(pid) && p.comm.startsWith('postgres')).reduce((a, [, p]) => a + p.ticks, 0) / 100;
  return out;
}

async function waitForLine(child: ChildProcess, pattern: RegExp, what: string): Promise<RegExpMatchArray> {
  const output: string[] = [];
  return new Promise((resolve, reject) => {
    for (const s of [child.stdout, child.stderr]) {
      if (!s) continue;
      createInterface({ input: s }).on('line', (line) => {
        output.push(line);
        const m = pattern.exec(line);
        if (m) resolve(m);
      });
    }
    child.once('exit', (code) => reject(new Error(`${what} exited (${code}):\n${output.slice(-30).join('\n')}`)));
  });
}

/** The load generator process: one autocannon run at a time. */
class LoadGenerator {
  private next = 1;
  private readonly waiting = new Map<number, (a: LoadAnswer) => void>();
  private constructor(readonly child: ChildProcess) {
    child.on('message', (m: LoadAnswer | { ready: true }) => {
      if ('id' in m) {
        this.waiting.get(m.id)?.(m);
        this.waiting.delete(m.id);
      }
    });
  }
  static async start(): Promise<LoadGenerator> {
    const child = fork(path.join(here, 'api-reads-load.ts'), [], { execArgv: ['--import', 'tsx'], cwd: projectRoot, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) => reject(new Error(`load generator exited (${code})`)));
    });
    return new LoadGenerator(child);
  }
  async run(r: Omit<LoadRequest, 'id'>): Promise<LoadAnswer> {
    const id = this.next++;
    const answer = await new Promise<LoadAnswer>((resolve) => {
      this.waiting.set(id, resolve);
      this.child.send({ ...r, id } satisfies LoadRequest);
    });
    if (answer.error) throw new Error(`load generator: ${answer.error}`);
    return answer;
  }
}

interface Target {
  name: 'bare' | 'detail' | 'list';
  label: string;
  url: string;
  headers: Record<string, string>;
  /** The process serving it (for its CPU). */
  pid: number;
}

async function main(): Promise<void> {
  console.log(`load average ${loadAverage().join(' / ')}; starting PostgreSQL, Temporal, SMTP peer ...`);
  const p = await startBenchPlatform();
  const stops: (() => Promise<void>)[] = [];
  try {
    // The API as its own OS process, as `npm start` runs it (scripts/lib/children.ts).
    const apiPort = await freePort();
    const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF] : [];
    const apiSpawnedAt = Date.now();
    const api = spawn(process.execPath, [...prof, '--import', 'tsx', 'api/server.ts'], {
      cwd: projectRoot,
      env: {
        ...process.env,
        DATABASE_URL: p.databaseUrl,
        TEMPORAL_ADDRESS: p.temporalAddress,
        TASK_QUEUE: p.taskQueue,
        HDN_NODE: BENCH_HDN_NODE,
        HOST: '127.0.0.1',
        PORT: String(apiPort),
        LOG_LEVEL: process.env.BENCH_API_LOG_LEVEL ?? 'info',
        CLAMD_ADDRESS: '',
      },
      // Its log lines go into a pipe that this process drains, as the supervisor of `npm start`
      // does (scripts/lib/children.ts); the last 16 KB are kept for an error report.
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    stops.push(() => stopChild(api));
    let apiTail = '';
    for (const s of [api.stdout!, api.stderr!]) {
      s.setEncoding('utf8');
      s.on('data', (chunk: string) => {
        apiTail = (apiTail + chunk).slice(-16_384);
      });
    }
    const apiBase = `http://127.0.0.1:${apiPort}`;
    for (const deadline = Date.now() + 180_000; ; ) {
      const ok = await fetch(`${apiBase}/health/live`).then((r) => r.ok, () => false);
      if (ok) break;
      if (api.exitCode !== null || Date.now() > deadline) throw new Error(`API did not start:\n${apiTail.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const bare = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'api-reads-bare.ts')], { cwd: projectRoot, env: { ...process.env, PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    stops.push(() => stopChild(bare));
    const barePort = (await waitForLine(bare, /^listening (\d+)/, 'bare route'))[1];
    const load = await LoadGenerator.start();
    stops.push(() => stopChild(load.child));
    console.log(`API pid ${api.pid} (${apiBase}), bare route pid ${bare.pid}, load generator pid ${load.child.pid}, bench pid ${process.pid}`);

    const auth = { authorization: `Bearer ${p.tokens.adviser ?? ''}` };
    console.log(`creating ${DOSSIERS} dossiers through POST /dossiers ...`);
    const ids: string[] = [];
    await pool(DOSSIERS, 8, async (n) => {
      const person = (position: number) => ({
        person: {
          firstName: ['Anna', 'Bram', 'Chantal', 'Daan'][n % 4]!,
          lastName: `Benchlezer${n}x${position}`,
          birthDate: '1985-04-12',
          email: `r${n}.${position}@bench.example.nl`,
          address: { street: 'Leesstraat', houseNumber: 1 + (n % 200), postcode: '1234AB', city: 'Benchstad' },
          // Both applicants of a dossier share the address: not a duplicate here.
          allowDuplicate: true,
        },
      });
      const res = await fetch(`${apiBase}/dossiers`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ applicants: [person(1), person(2)] }),
      });
      const body = (await res.json()) as { id?: string };
      if (res.status !== 201 || !body.id) throw new Error(`POST /dossiers ${n}: ${res.status} ${JSON.stringify(body)}`);
      ids[n] = body.id;
    });
    await p.orm.em.fork().execute(
      `insert into products (id, office_id, dossier_id, type, company, process_key, process_version, status, category, workflow_id, created_at, updated_at)
       select gen_random_uuid(), d.office_id, d.id, t.type, case when t.type = 'service' then null else 'Bench Verzekeringen' end, t.type, 1,
              t.status, 'new', 'bench:' || d.id || ':' || t.type, now(), now()
         from dossiers d
         cross join (values ('mortgage', 'aanvraag-verstuurd'), ('insurance', 'offerte-aangevraagd'), ('service', 'new')) as t(type, status)
        where d.office_id = ?`,
      [p.officeId],
    );
    await p.orm.em.fork().execute('analyze');
    const detailId = ids[Math.floor(DOSSIERS / 2)]!;
    const check = await fetch(`${apiBase}/dossiers/${detailId}`, { headers: auth });
    const detail = (await check.json()) as { applicants?: unknown[]; products?: unknown[] };
    const listBytes = (await (await fetch(`${apiBase}/dossiers?limit=20`, { headers: auth })).arrayBuffer()).byteLength;
    const detailBytes = JSON.stringify(detail).length;
    console.log(`detail target ${detailId}: ${detail.applicants?.length ?? 0} applicants, ${detail.products?.length ?? 0} products, ${detailBytes} bytes; list of 20: ${listBytes} bytes`);

    const targets: Target[] = [
      { name: 'bare', label: 'GET /bench/ping (bare Fastify)', url: `http://127.0.0.1:${barePort}/bench/ping`, headers: {}, pid: bare.pid! },
      { name: 'detail', label: 'GET /dossiers/:id', url: `${apiBase}/dossiers/${detailId}`, headers: auth, pid: api.pid! },
      { name: 'list', label: 'GET /dossiers?limit=20', url: `${apiBase}/dossiers?limit=20`, headers: auth, pid: api.pid! },
    ];
    const loadAverages: Record<string, number[]> = { start: loadAverage() };

    // Statements per request: the same code in this process (knex 'query' events on its connection).
    let statements = 0;
    p.orm.em.getConnection().getKnex().on('query', () => {
      statements++;
    });
    const statementsPerRequest: Record<string, number> = {};
    const seen: Record<string, { sql: string; bindings: unknown[] }[]> = {};
    let capture: { sql: string; bindings: unknown[] }[] | undefined;
    p.orm.em.getConnection().getKnex().on('query', (q: { sql: string; bindings?: unknown[] }) => {
      capture?.push({ sql: q.sql, bindings: q.bindings ?? [] });
    });
    for (const t of targets) {
      if (t.name === 'bare') continue;
      const url = t.url.replace(apiBase, p.baseUrl);
      capture = seen[t.name] = [];
      await (await fetch(url, { headers: t.headers })).arrayBuffer();
      capture = undefined;
      const before = statements;
      for (let i = 0; i < 50; i++) await (await fetch(url, { headers: t.headers })).arrayBuffer();
      statementsPerRequest[t.name] = round2((statements - before) / 50);
    }
    // EXPLAIN ANALYZE of each statement of one request (planning and execution time in PostgreSQL).
    const explain: Record<string, { statement: string; planningMs: number; executionMs: number }[]> = {};
    for (const [name, statementsSeen] of Object.entries(seen)) {
      explain[name] = [];
      for (const s of statementsSeen) {
        const timings: { planning: number[]; execution: number[] } = { planning: [], execution: [] };
        for (let i = 0; i < 20; i++) {
          const out = await p.orm.em.fork().getConnection().execute<{ 'QUERY PLAN': { 'Planning Time': number; 'Execution Time': number }[] }[]>(
            `explain (analyze, format json) ${s.sql}`,
            s.bindings,
          );
          const plan = out[0]?.['QUERY PLAN'][0];
          timings.planning.push(plan?.['Planning Time'] ?? Number.NaN);
          timings.execution.push(plan?.['Execution Time'] ?? Number.NaN);
        }
        const median = (xs: number[]): number => round2(percentile([...xs].sort((a, b) => a - b), 50));
        const row = { statement: s.sql.replace(/\s+/g, ' ').slice(0, 90), planningMs: median(timings.planning), executionMs: median(timings.execution) };
        explain[name].push(row);
        console.log(`  EXPLAIN ANALYZE ${name}: planning ${row.planningMs} ms, execution ${row.executionMs} ms (median of 20): ${row.statement}`);
      }
    }
    if (process.env.BENCH_EXPLAIN_PLANS) {
      for (const [name, statementsSeen] of Object.entries(seen)) {
        for (const s of statementsSeen) {
          const out = await p.orm.em.fork().getConnection().execute<Record<string, string>[]>(`explain (analyze, buffers) ${s.sql}`, s.bindings);
          console.log(`--- ${name}: ${s.sql}\n${out.map((r) => Object.values(r)[0]).join('\n')}`);
        }
      }
    }

    // Serial: one request at a time from this process to the API process.
    loadAverages.serial = loadAverage();
    const serial: Record<string, { p50: number; p99: number; statementsPerRequest?: number }> = {};
    for (const t of targets) {
      const times: number[] = [];
      for (let i = 0; i < SERIAL; i++) {
        const t0 = process.hrtime.bigint();
        const res = await fetch(t.url, { headers: t.headers });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`${t.label}: ${res.status}`);
        times.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
      times.sort((a, b) => a - b);
      serial[t.name] = { p50: round2(percentile(times, 50)), p99: round2(percentile(times, 99)), ...(t.name in statementsPerRequest ? { statementsPerRequest: statementsPerRequest[t.name] } : {}) };
      console.log(
        `  serial ${t.label}: p50 ${serial[t.name]!.p50} ms, p99 ${serial[t.name]!.p99} ms${t.name in statementsPerRequest ? `, ${statementsPerRequest[t.name]} SQL statements per request` : ''}`,
      );
    }

    // Fixed rate, both pacings, interleaved slices.
    const fixed: Record<string, Record<string, Figures & { cpuMsPerRequest: Record<string, number> }>> = {};
    const sliceSeconds = Math.max(1, Math.round(SECONDS / ROUNDS));
    for (const mode of ['paced', 'quota'] as const) {
      loadAverages[`fixed-${mode}`] = loadAverage();
      if (prof.length > 0) console.log(`(profile: fixed ${mode} starts ${((Date.now() - apiSpawnedAt) / 1000).toFixed(1)} s after the API was spawned)`);
      console.log(`fixed rate ${RATE} req/s, ${mode}, load average ${loadAverages[`fixed-${mode}`]!.join(' / ')}`);
      for (const t of targets) await load.run({ mode, url: t.url, headers: t.headers, rate: RATE, seconds: 3, connections: 10 });
      const slices: Record<string, LoadAnswer[]> = {};
      const cpu: Record<string, Record<string, number>> = {};
      for (let round = 0; round < ROUNDS; round++) {
        for (const t of targets) {
          const roles = { server: t.pid, load: load.child.pid!, bench: process.pid };
          const before = cpuSeconds(roles);
          (slices[t.name] ??= []).push(await load.run({ mode, url: t.url, headers: t.headers, rate: RATE, seconds: sliceSeconds, connections: 10 }));
          const after = cpuSeconds(roles);
          const c = (cpu[t.name] ??= {});
          for (const k of Object.keys(after)) c[k] = (c[k] ?? 0) + (after[k]! - (before[k] ?? 0));
        }
      }
      loadAverages[`fixed-${mode}-end`] = loadAverage();
      fixed[mode] = {};
      for (const t of targets) {
        const f = figures(slices[t.name] ?? []);
        const cpuMsPerRequest = Object.fromEntries(Object.entries(cpu[t.name] ?? {}).map(([k, s]) => [k === 'server' ? (t.name === 'bare' ? 'bare' : 'api') : k, round2((s * 1000) / Math.max(1, f.requests))]));
        fixed[mode][t.name] = { ...f, cpuMsPerRequest };
        console.log(
          `  ${mode} ${t.label}: ${f.requests} requests (${f.ratePerSecond}/s, non-2xx ${f.non2xx}, errors ${f.errors}), p50 ${f.p50} ms, p90 ${f.p90} ms, p99 ${f.p99} ms, max ${f.max} ms; CPU ms/request ${JSON.stringify(cpuMsPerRequest)}`,
        );
      }
    }

    // Highest rate held with p99 <= 50 ms, paced.
    const connectionsFor = (rate: number): number => Math.max(10, Math.ceil(rate / 50));
    const probe = async (t: Target, rate: number): Promise<{ rate: number; held: boolean; achieved: number; p99: number; errors: number }> => {
      let last = { rate, held: false, achieved: 0, p99: Number.NaN, errors: 0 };
      for (let attempt = 0; attempt < 2; attempt++) {
        await load.run({ mode: 'paced', url: t.url, headers: t.headers, rate, seconds: 1, connections: connectionsFor(rate) });
        const a = await load.run({ mode: 'paced', url: t.url, headers: t.headers, rate, seconds: PROBE_SECONDS, connections: connectionsFor(rate) });
        const f = figures([a]);
        last = { rate, held: f.p99 <= SEARCH_P99_MS && f.ratePerSecond >= 0.95 * rate && f.errors === 0 && f.non2xx === 0, achieved: f.ratePerSecond, p99: f.p99, errors: f.errors + f.non2xx };
        console.log(`    ${t.name} at ${rate}/s: ${f.ratePerSecond}/s answered, p99 ${f.p99} ms, errors ${last.errors}: ${last.held ? 'held' : 'not held'} (load average ${loadAverage()[0]})`);
        if (last.held) break;
      }
      return last;
    };
    const highest: Record<string, { rate: number; p99AtRate: number; probes: { rate: number; held: boolean; achieved: number; p99: number }[] }> = {};
    loadAverages.search = loadAverage();
    for (const t of process.env.BENCH_SEARCH === '0' ? [] : targets) {
      console.log(`  highest rate with p99 <= ${SEARCH_P99_MS} ms: ${t.label} (load average ${loadAverage().join(' / ')})`);
      const probes: { rate: number; held: boolean; achieved: number; p99: number }[] = [];
      let lo = 0;
      let loP99 = Number.NaN;
      let hi = 0;
      for (let rate = RATE; rate <= MAX_RATE; rate = Math.round(rate * 1.5)) {
        const r = await probe(t, rate);
        probes.push(r);
        if (!r.held) {
          hi = rate;
          break;
        }
        lo = rate;
        loP99 = r.p99;
      }
      // Not even the starting rate: step down until a rate holds (or below 10 req/s).
      for (let rate = Math.round(RATE / 1.5); lo === 0 && rate >= 10; rate = Math.round(rate / 1.5)) {
        const r = await probe(t, rate);
        probes.push(r);
        if (r.held) {
          lo = rate;
          loP99 = r.p99;
        } else hi = rate;
      }
      while (hi > 0 && lo > 0 && hi / lo > 1.05) {
        const mid = Math.round((lo + hi) / 2);
        const r = await probe(t, mid);
        probes.push(r);
        if (r.held) {
          lo = mid;
          loP99 = r.p99;
        } else hi = mid;
      }
      highest[t.name] = { rate: lo, p99AtRate: loP99, probes };
      console.log(`  ${t.label}: holds ${lo} req/s (p99 ${loP99} ms)${hi ? `, not ${hi} req/s` : ''}`);
    }
    loadAverages.end = loadAverage();

    for (const t of targets) highest[t.name] ??= { rate: Number.NaN, p99AtRate: Number.NaN, probes: [] };
    const bareHighest = highest.bare!.rate;
    const ratio = {
      p99AtRate: Object.fromEntries(
        Object.entries(fixed).map(([mode, f]) => [mode, { detail: round2(f.detail!.p99 / f.bare!.p99), list: round2(f.list!.p99 / f.bare!.p99) }]),
      ),
      highestRate: { detail: round2(highest.detail!.rate / bareHighest), list: round2(highest.list!.rate / bareHighest) },
    };
    const goal = {
      p99Ms: GOAL_P99_MS,
      metPaced: fixed.paced!.detail!.p99 <= GOAL_P99_MS && fixed.paced!.list!.p99 <= GOAL_P99_MS,
      metQuota: fixed.quota!.detail!.p99 <= GOAL_P99_MS && fixed.quota!.list!.p99 <= GOAL_P99_MS,
    };
    console.log('');
    for (const mode of Object.keys(fixed)) {
      const f = fixed[mode]!;
      console.log(
        `at ${RATE} req/s (${mode}): p99 detail ${f.detail!.p99} ms, list ${f.list!.p99} ms, bare ${f.bare!.p99} ms; ratio to bare detail ${ratio.p99AtRate[mode]!.detail}x, list ${ratio.p99AtRate[mode]!.list}x; goal p99 <= ${GOAL_P99_MS} ms ${mode === 'paced' ? (goal.metPaced ? 'met' : 'NOT met') : goal.metQuota ? 'met' : 'NOT met'}`,
      );
    }
    console.log(
      `highest rate with p99 <= ${SEARCH_P99_MS} ms: detail ${highest.detail!.rate}/s, list ${highest.list!.rate}/s, bare ${bareHighest}/s; ratio to bare detail ${ratio.highestRate.detail}x, list ${ratio.highestRate.list}x`,
    );
    console.log(`load average (1/5/15 min): ${Object.entries(loadAverages).map(([k, v]) => `${k} ${v.join('/')}`).join('; ')}`);

    const result = {
      at: new Date().toISOString(),
      machine: { ...machine(), loadAverage1m5m15m: loadAverages },
      processes: {
        api: `node --import tsx api/server.ts (own process, as npm start runs it; LOG_LEVEL ${process.env.BENCH_API_LOG_LEVEL ?? 'info'})`,
        bare: 'bench/api-reads-bare.ts (own process, Fastify, logger off)',
        loadGenerator: 'bench/api-reads-load.ts (own process, autocannon 9, latencies back over IPC)',
      },
      loadGenerator: { fixedRate: { rate: RATE, connections: 10, seconds: SECONDS, rounds: ROUNDS, warmupSeconds: 3, modes: ['paced', 'quota'] }, search: { pacing: 'paced', probeSeconds: PROBE_SECONDS, warmupSeconds: 1, p99LimitMs: SEARCH_P99_MS, connections: 'max(10, rate/50)' } },
      data: { dossiers: DOSSIERS, applicantsPerDossier: 2, productsPerDossier: 3, detailBytes, listBytes },
      latencyMs: fixed,
      serial: { requestsPerTarget: SERIAL, ...serial },
      explainAnalyzeMs: explain,
      highestRate: highest,
      ratio,
      goal,
    };
    mkdirSync(path.join(here, 'results'), { recursive: true });
    writeFileSync(path.join(here, 'results', 'api-reads.json'), `${JSON.stringify(result, null, 2)}\n`);
    console.log('written bench/results/api-reads.json');
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    await p.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
