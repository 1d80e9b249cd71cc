/**
 * `npm run bench:api-reads`: latency of the adviser's two most used reads under a steady load,
 * against a bare Fastify route at the same rate in the same process.
 *
 * - Starts its own servers (bench/support.ts): PostgreSQL, the Temporal dev server, the SMTP
 *   peer and the API in-process on a real port (no worker: these reads never touch Temporal).
 * - Data: BENCH_DOSSIERS (500) dossiers with two new applicants each, made through
 *   POST /dossiers, then three products per dossier (mortgage / insurance / service, the shipped
 *   statuses) inserted in SQL like bench/selections.ts does.
 * - Load: autocannon (npm), 10 connections at a fixed overall rate of BENCH_RATE (200) req/s,
 *   BENCH_SECONDS (20) s per target in BENCH_ROUNDS (5) interleaved slices (bare, detail, list,
 *   bare, ...), after a 3 s warm-up per target at the same rate, so that load from other
 *   processes on a shared machine falls on all three alike; percentiles over every response of
 *   the slices: GET /dossiers/:id (a dossier with two applicants and three products),
 *   GET /dossiers?limit=20, and `GET /bench/ping` ({ ok: true }) on a separate bare Fastify
 *   instance in this process.
 * - Serial: BENCH_SERIAL (300) requests per target one after the other (one caller, no rate),
 *   p50/p99, and the SQL statements per request counted on the API's connection (knex 'query'
 *   events; the authentication lookup included): the cost of one request without queueing.
 * - Ratio = p99 route ÷ p99 bare. Writes bench/results/api-reads.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { machine, percentile, pool, round2, startBenchPlatform } from './support.js';

const DOSSIERS = Number(process.env.BENCH_DOSSIERS ?? 500);
const RATE = Number(process.env.BENCH_RATE ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SERIAL = Number(process.env.BENCH_SERIAL ?? 300);
const here = path.dirname(fileURLToPath(import.meta.url));

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

interface Slice {
  requests: number;
  non2xx: number;
  errors: number;
  seconds: number;
  /** Response time of every response (ms). */
  latencies: number[];
}

async function load(url: string, headers: Record<string, string>, seconds: number): Promise<Slice> {
  const latencies: number[] = [];
  const r = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url, headers, connections: 10, overallRate: RATE, duration: seconds }, (err: unknown, result) => {
      if (err) reject(err instanceof Error ? err : new Error(String(err)));
      else resolve(result);
    });
    instance.on('response', (_client, _status, _bytes, responseTime) => {
      latencies.push(responseTime);
    });
  });
  return { requests: r.requests.total, non2xx: r.non2xx, errors: r.errors, seconds, latencies };
}

function figures(slices: Slice[]): Figures {
  const all = slices.flatMap((s) => s.latencies).sort((a, b) => a - b);
  const seconds = slices.reduce((a, s) => a + s.seconds, 0);
  const requests = slices.reduce((a, s) => a + s.requests, 0);
  return {
    requests,
    non2xx: slices.reduce((a, s) => a + s.non2xx, 0),
    errors: slices.reduce((a, s) => a + s.errors, 0),
    ratePerSecond: round2(requests / seconds),
    p50: round2(percentile(all, 50)),
    p90: round2(percentile(all, 90)),
    p99: round2(percentile(all, 99)),
    max: round2(all[all.length - 1] ?? 0),
  };
}

async function main(): Promise<void> {
  console.log('starting PostgreSQL, Temporal, SMTP peer and API ...');
  const p = await startBenchPlatform();
  const bare = Fastify({ logger: false });
  bare.get('/bench/ping', async () => ({ ok: true }));
  await bare.listen({ host: '127.0.0.1', port: 0 });
  const bareAddress = bare.server.address();
  const bareUrl = `http://127.0.0.1:${typeof bareAddress === 'object' && bareAddress ? bareAddress.port : 0}/bench/ping`;
  try {
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
      const res = await fetch(`${p.baseUrl}/dossiers`, {
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
    const check = await fetch(`${p.baseUrl}/dossiers/${detailId}`, { headers: auth });
    const detail = (await check.json()) as { applicants?: unknown[]; products?: unknown[] };
    console.log(`detail target ${detailId}: ${detail.applicants?.length ?? 0} applicants, ${detail.products?.length ?? 0} products`);

    const targets = [
      { name: 'bare', label: 'GET /bench/ping (bare Fastify)', url: bareUrl, headers: {} },
      { name: 'detail', label: 'GET /dossiers/:id', url: `${p.baseUrl}/dossiers/${detailId}`, headers: auth },
      { name: 'list', label: 'GET /dossiers?limit=20', url: `${p.baseUrl}/dossiers?limit=20`, headers: auth },
    ];
    // Serial: one request at a time, statements counted on the API's own ORM connection.
    let statements = 0;
    p.orm.em.getConnection().getKnex().on('query', () => {
      statements++;
    });
    const serial: Record<string, { p50: number; p99: number; statementsPerRequest: number }> = {};
    for (const t of targets) {
      const times: number[] = [];
      const before = statements;
      for (let i = 0; i < SERIAL; i++) {
        const t0 = process.hrtime.bigint();
        const res = await fetch(t.url, { headers: t.headers });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`${t.label}: ${res.status}`);
        times.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
      times.sort((a, b) => a - b);
      serial[t.name] = { p50: round2(percentile(times, 50)), p99: round2(percentile(times, 99)), statementsPerRequest: round2((statements - before) / SERIAL) };
      console.log(`  serial ${t.label}: p50 ${serial[t.name]!.p50} ms, p99 ${serial[t.name]!.p99} ms, ${serial[t.name]!.statementsPerRequest} SQL statements per request`);
    }

    for (const t of targets) await load(t.url, t.headers, 3);
    const slices: Record<string, Slice[]> = {};
    const sliceSeconds = Math.max(1, Math.round(SECONDS / ROUNDS));
    for (let round = 0; round < ROUNDS; round++) {
      for (const t of targets) (slices[t.name] ??= []).push(await load(t.url, t.headers, sliceSeconds));
    }
    const results: Record<string, Figures> = {};
    for (const t of targets) {
      const f = (results[t.name] = figures(slices[t.name] ?? []));
      console.log(`  ${t.label}: ${f.requests} requests (${f.ratePerSecond}/s, non-2xx ${f.non2xx}, errors ${f.errors}), p50 ${f.p50} ms, p90 ${f.p90} ms, p99 ${f.p99} ms, max ${f.max} ms`);
    }
    const bareP99 = results.bare!.p99;
    const ratio = { detail: round2(results.detail!.p99 / bareP99), list: round2(results.list!.p99 / bareP99) };
    console.log(`  ratio p99 route / p99 bare: detail ${ratio.detail}x, list ${ratio.list}x (goal p99 <= 20 ms at ${RATE} req/s)`);

    const result = {
      at: new Date().toISOString(),
      machine: machine(),
      loadGenerator: { tool: 'autocannon', connections: 10, overallRate: RATE, seconds: SECONDS, rounds: ROUNDS, warmupSeconds: 3, inProcess: true },
      data: { dossiers: DOSSIERS, applicantsPerDossier: 2, productsPerDossier: 3 },
      latencyMs: results,
      serial: { requestsPerTarget: SERIAL, ...serial },
      ratioP99: ratio,
      goalP99Ms: 20,
    };
    mkdirSync(path.join(here, 'results'), { recursive: true });
    writeFileSync(path.join(here, 'results', 'api-reads.json'), `${JSON.stringify(result, null, 2)}\n`);
    console.log('written bench/results/api-reads.json');
  } finally {
    await bare.close();
    await p.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
