/**
 * `npm run bench:selections`: how fast is "clients with a mortgage but without home insurance"
 * (DOMAIN process 8) on a realistic office, through the API's code path versus the raw SQL?
 *
 * - A separate database: an embedded PostgreSQL in a throw-away folder (like the test global
 *   setup), or a fresh `dossierflow_bench` database on the server of DATABASE_URL (dropped and
 *   made again, so the figures never depend on what an earlier run left).
 * - 100,000 persons, 100,000 dossiers (10,000 with a second applicant, 10,000 persons with an
 *   older second dossier, so "newest dossier only" has work to do) and 300,000 products
 *   (mortgage / insurance / service, eight companies, the shipped statuses and categories).
 *   Generated inside PostgreSQL with INSERT ... SELECT over generate_series: one statement per
 *   table, no row crosses the wire (faster than COPY from Node for synthetic data), then VACUUM ANALYZE.
 * - API path: `runSelection` (services/selections/query.ts: the paged list with its total, through
 *   MikroORM) N times. Raw: the same statement from `selectionSql` on a plain
 *   `pg` client N times, and `EXPLAIN (ANALYZE)` of the list statement N times (server time only).
 * - The same for one of issue 19's filters, "clients with an interest-only loan part and no home
 *   insurance" (loan parts and coverages as product parts: 1-3 loan parts per mortgage with a
 *   repayment type and amount, 1-2 coverages per insurance).
 * - The export of the whole CRM (every person, streamed from a cursor) as CSV and as XLSX into a
 *   byte-counting sink: time, bytes, and the peak RSS of this process above the level before.
 * - Prints p50/p95 of each and the ratio, and writes bench/results/selections.json.
 *
 * Environment: BENCH_RUNS (default 30), BENCH_PERSONS (default 100000; products are 3x).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { benchDatabase } from './support.js';
import { newId } from '../db/ids.js';
import { migrate } from '../db/migrate.js';
import { createOrm } from '../db/orm.js';
import { shippedProcesses } from '../domain/processes/index.js';
import { Writable } from 'node:stream';
import v8 from 'node:v8';
import vm from 'node:vm';
import { pipeline } from 'node:stream/promises';
import { exportSql, resolveQuery, runSelection, selectionSql, toRow } from '../services/selections/query.js';
import { rows } from '../db/sql.js';
import { exportSelection } from '../services/selections/saved.js';
import type { SelectionQuery } from '../services/selections/schemas.js';
import type { MikroORM } from '../db/orm.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const PERSONS = Number(process.env.BENCH_PERSONS ?? 100_000);
const PRODUCTS = PERSONS * 3;
const PAGE = { limit: 50, offset: 0 };
const QUERY: SelectionQuery = { withProducts: [{ type: 'mortgage' }], withoutProducts: [{ type: 'insurance' }] };
const LOAN_PART_QUERY: SelectionQuery = { loanParts: [{ repaymentType: 'aflossingsvrij' }], withoutCoverages: ['OPSTAL'] };
const here = path.dirname(fileURLToPath(import.meta.url));

// A full GC on demand (as --expose-gc would give), so the heap an export *holds* can be told
// from the garbage it leaves for later.
v8.setFlagsFromString('--expose_gc');
const gc = vm.runInNewContext('gc') as () => void;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? Number.NaN;
}

function stats(samples: number[]): { p50: number; p95: number; min: number; max: number; runs: number } {
  const s = [...samples].sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 100) / 100;
  return { p50: round(percentile(s, 50)), p95: round(percentile(s, 95)), min: round(s[0] ?? 0), max: round(s[s.length - 1] ?? 0), runs: s.length };
}

/** knex-style `?` placeholders to pg's `$n` (the selection SQL holds no literal question marks). */
function toPg(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

async function time<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const start = process.hrtime.bigint();
  const value = await fn();
  return [Number(process.hrtime.bigint() - start) / 1e6, value];
}

async function generate(client: pg.Client, officeId: string): Promise<void> {
  for (const def of shippedProcesses) {
    await client.query(
      `insert into process_definitions (id, key, version, product_type, name, definition) values ($1, $2, $3, $4, $5, $6::jsonb)
       on conflict (key, version) do nothing`,
      [newId(), def.key, def.version, def.productType, def.name, JSON.stringify(def)],
    );
  }
  await client.query(`insert into offices (id, name) values ($1, 'Benchkantoor')`, [officeId]);
  // setseed makes every run generate the same office.
  await client.query('select setseed(0.42)');
  await client.query(
    `insert into persons (id, office_id, first_name, last_name, birth_date, email, street, house_number, postcode, city, created_at, updated_at)
     select gen_random_uuid(), $1, (array['Anna','Bram','Chantal','Daan','Eva','Finn','Iris','Jan'])[1 + (i % 8)],
            'Bench' || lpad(i::text, 6, '0'), date '1950-01-01' + (i % 18000), 'p' || i || '@bench.example.nl',
            'Benchstraat', 1 + (i % 200), (1000 + (i % 8999))::text || 'AB', 'Benchstad', now() - (i % 3650) * interval '1 day', now()
       from generate_series(1, $2::int) i`,
    [officeId, PERSONS],
  );
  // Number persons 1..N in a side table to attach dossiers without a join on names.
  await client.query(`create temp table bp as select id, row_number() over (order by last_name) as n from persons where office_id = $1`, [officeId]);
  await client.query('create index on bp (n)');
  const primary = Math.round(PERSONS * 0.9);
  const older = Math.round(PERSONS * 0.1);
  // 90% of persons have their own dossier; 10% have an older second one; 10% are the second applicant of another's dossier.
  await client.query(
    `create temp table bd as
       select gen_random_uuid() as id, n as person_n, now() - (n % 1000) * interval '1 day' as created_at, 1 as kind from bp where n <= $1
       union all
       select gen_random_uuid(), n, now() - (2000 + n % 1000) * interval '1 day', 2 from bp where n <= $2`,
    [primary, older],
  );
  await client.query(
    `insert into dossiers (id, office_id, number, status, created_at, updated_at)
     select id, $1, '2026-' || lpad((row_number() over (order by id))::text, 7, '0'),
            case when random() < 0.6 then 'client' else 'prospect' end, created_at, created_at from bd`,
    [officeId],
  );
  await client.query(`insert into dossier_applicants (dossier_id, person_id, position) select bd.id, bp.id, 1 from bd join bp on bp.n = bd.person_n`);
  await client.query(
    `insert into dossier_applicants (dossier_id, person_id, position)
     select bd.id, bp.id, 2 from bd join bp on bp.n = bd.person_n + $1 where bd.kind = 1 and bd.person_n <= $2`,
    [primary, PERSONS - primary],
  );
  await client.query(`create temp table bdn as select id, created_at, row_number() over (order by id) as n from bd`);
  await client.query('create index on bdn (n)');
  const dossierCount = primary + older;
  // Mix: 30% mortgage, 45% insurance, 25% service; statuses and categories from the shipped
  // processes. The category is set in the same INSERT (an UPDATE of every product afterwards
  // would leave each index of products with a dead entry per row: three times the size of the
  // same index in an office that grew product by product, which the planner rightly avoids).
  await client.query(
    `with p as (
       select i, random() as r, random() as s, 1 + floor(random() * $3)::int as dn, (array['ABN AMRO','ING','Rabobank','Aegon','Nationale-Nederlanden','ASR','Obvion','Florius'])[1 + (i % 8)] as company
         from generate_series(1, $2::int) i
     ), t as (
       select p.*, case when r < 0.30 then 'mortgage' when r < 0.75 then 'insurance' else 'service' end as type from p
     ), st as (
       select t.*, case t.type
              when 'mortgage' then (array['advies-ontvangen','aanvraag-verstuurd','renteaanbod','bindend-aanbod','lopend','afgewezen'])[1 + floor(t.s * 6)::int]
              when 'insurance' then (array['offerte-aangevraagd','offerte-ontvangen','lopend','beeindigd'])[1 + floor(t.s * 4)::int]
              else (array['new','in-contact','agreed','cancelled'])[1 + floor(t.s * 4)::int] end as status
         from t
     )
     insert into products (id, office_id, dossier_id, type, company, process_key, process_version, status, category, workflow_id, created_at, updated_at)
     select gen_random_uuid(), $1, d.id, st.type, case when st.type = 'service' then null else st.company end, st.type, 1, st.status,
            case when st.status in ('lopend','agreed') then 'running' when st.status in ('afgewezen','beeindigd','cancelled') then 'ended' else 'new' end,
            'bench:' || st.i, d.created_at + interval '1 day', now()
       from st join bdn d on d.n = st.dn`,
    [officeId, PRODUCTS, dossierCount],
  );
  // Loan parts: 1-3 per mortgage, a repayment type (a third interest-only) and an amount. The
  // counts and kinds come from the product's id bytes, so the lateral series is correlated
  // (an uncorrelated random() there would be evaluated once for all products).
  await client.query(
    `insert into product_parts (id, product_id, number, description, status, category, follows_product, repayment_type, amount_cents)
     select gen_random_uuid(), p.id, n, 'Leningdeel ' || n, p.status, p.category, true,
            (array['annuiteit','lineair','aflossingsvrij','annuiteit','aflossingsvrij','spaarhypotheek'])[1 + (get_byte(uuid_send(p.id), 2) + n) % 6],
            (5000000 + floor(random() * 40000000))::bigint
       from products p cross join lateral generate_series(1, 1 + get_byte(uuid_send(p.id), 0) % 3) n
      where p.office_id = $1 and p.type = 'mortgage'`,
    [officeId],
  );
  // Coverages: 1-2 per insurance, a fifth of them home insurance (OPSTAL).
  await client.query(
    `insert into product_parts (id, product_id, number, description, status, category, follows_product, code)
     select gen_random_uuid(), id, n, code || ' (' || code || ')', status, category, false, code
       from (select p.id, p.status, p.category, n, (array['OPSTAL','INBOEDEL','AVP','RB-A','RB-B'])[1 + (get_byte(uuid_send(p.id), 1) + n) % 5] as code
               from products p cross join lateral generate_series(1, 1 + get_byte(uuid_send(p.id), 0) % 2) n
              where p.office_id = $1 and p.type = 'insurance') c`,
    [officeId],
  );
  // VACUUM as well as ANALYZE: the state autovacuum reaches soon after a bulk load (visibility
  // map set, so index-only scans need no heap visits), reached before the first run instead of
  // whenever autovacuum happens to start in the middle of the measurements.
  await client.query('vacuum analyze');
  // A second pass: the first one, right after the load, was seen to leave the visibility map of
  // products unset (relallvisible 0; index-only scans then visit the heap after all).
  await client.query('vacuum');
}

async function main(): Promise<void> {
  const stops: (() => Promise<void>)[] = [];
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dossierflow-bench-'));
  chmodSync(dir, 0o755);
  const database = await benchDatabase('dossierflow_bench', dir);
  stops.push(database.stop);
  const url = database.url;
  try {
    await migrate(url, () => undefined);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    stops.unshift(() => client.end());
    const officeId = newId();
    console.log(`generating ${PERSONS} persons and ${PRODUCTS} products ...`);
    const [genMs] = await time(() => generate(client, officeId));
    const counts = (await client.query<{ persons: number; dossiers: number; products: number }>(
      `select (select count(*)::int from persons) as persons, (select count(*)::int from dossiers) as dossiers, (select count(*)::int from products) as products`,
    )).rows[0];
    console.log(`generated in ${(genMs / 1000).toFixed(1)} s:`, counts);

    const orm = await createOrm(url, { pool: { min: 1, max: 2 } });
    stops.unshift(() => orm.close(true));
    // The machine is often shared: its load average before and after the timed part goes with the figures.
    const loadBefore = os.loadavg().map((n) => Math.round(n * 100) / 100);
    const mortgage = await measure(orm, client, officeId, QUERY, 'clients with a mortgage but without insurance');
    const loanPart = await measure(orm, client, officeId, LOAN_PART_QUERY, 'clients with an interest-only loan part and no home insurance (OPSTAL)');
    const exportCsv = await measureExport(orm, officeId, 'csv');
    const exportXlsx = await measureExport(orm, officeId, 'xlsx');
    const allInMemory = await measureAllRows(orm, officeId);
    const result = {
      at: new Date().toISOString(),
      machine: {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model ?? 'unknown',
        memoryGb: Math.round(os.totalmem() / 2 ** 30),
        node: process.version,
        postgres: (await client.query<{ v: string }>("select current_setting('server_version') as v")).rows[0]?.v,
        loadAverage1m5m15m: { before: loadBefore, after: os.loadavg().map((n) => Math.round(n * 100) / 100) },
      },
      data: { ...counts, generateSeconds: Math.round(genMs / 100) / 10 },
      ...mortgage,
      loanPart,
      exportWholeCrm: { csv: exportCsv, xlsx: exportXlsx, allRowsInMemory: allInMemory },
    };
    mkdirSync(path.join(here, 'results'), { recursive: true });
    writeFileSync(path.join(here, 'results', 'selections.json'), `${JSON.stringify(result, null, 2)}\n`);
    console.log('written bench/results/selections.json');
  } finally {
    for (const stop of stops) await stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The paged selection through the API's code path versus the same statement raw, interleaved. */
async function measure(orm: MikroORM, client: pg.Client, officeId: string, query: SelectionQuery, label: string) {
  // The API answers a page with its total from one statement (the total is a window over the matches).
  const list = selectionSql(officeId, query, PAGE, await resolveQuery(orm.em.fork(), officeId, query));

  // Warm-up: plans cached, pages in shared buffers, the same for both paths.
  let total = 0;
  for (let i = 0; i < 3; i++) total = (await runSelection(orm.em.fork(), officeId, query, PAGE)).total;
  for (let i = 0; i < 3; i++) await client.query(toPg(list.sql), list.params);

  const api: number[] = [];
  const raw: number[] = [];
  const explain: number[] = [];
  // Interleaved so a background hiccup hits both sides alike.
  for (let i = 0; i < RUNS; i++) {
    api.push((await time(() => runSelection(orm.em.fork(), officeId, query, PAGE)))[0]);
    raw.push(
      (await time(async () => {
        await client.query(toPg(list.sql), list.params);
      }))[0],
    );
    const plan = await client.query<{ 'QUERY PLAN': { 'Execution Time': number }[] }>(`explain (analyze, format json) ${toPg(list.sql)}`, list.params);
    explain.push(plan.rows[0]?.['QUERY PLAN'][0]?.['Execution Time'] ?? Number.NaN);
  }
  const result = {
    query,
    page: PAGE,
    total,
    runs: RUNS,
    apiPathMs: stats(api),
    rawSqlMs: stats(raw),
    explainAnalyzeListMs: stats(explain),
    ratioP50: Math.round((stats(api).p50 / stats(raw).p50) * 100) / 100,
    ratioP95: Math.round((stats(api).p95 / stats(raw).p95) * 100) / 100,
  };
  console.log(`selection: ${label} -> ${total} rows (page of ${PAGE.limit}), ${RUNS} runs`);
  console.log(`  API path (runSelection: list with total via MikroORM): p50 ${result.apiPathMs.p50} ms, p95 ${result.apiPathMs.p95} ms`);
  console.log(`  raw SQL  (the same statement on pg):               p50 ${result.rawSqlMs.p50} ms, p95 ${result.rawSqlMs.p95} ms`);
  console.log(`  EXPLAIN ANALYZE of the list statement (server):    p50 ${result.explainAnalyzeListMs.p50} ms, p95 ${result.explainAnalyzeListMs.p95} ms`);
  console.log(`  ratio API / raw: p50 ${result.ratioP50}x, p95 ${result.ratioP95}x`);
  return result;
}

/**
 * The whole CRM (the empty query) exported through the API's code path into a sink that only
 * counts bytes; RSS is sampled every 20 ms. The peak above the level just before is what the
 * export holds (a streamed export stays flat; one that loads every row grows with them).
 */
async function measureExport(orm: MikroORM, officeId: string, format: 'csv' | 'xlsx') {
  const timed = await exportOnce(orm, officeId, format, false);
  const checked = await exportOnce(orm, officeId, format, true);
  const result = { ...timed, liveHeapGrowthMb: checked.liveHeapGrowthMb };
  console.log(
    `export of the whole CRM as ${format}: ${result.seconds} s, ${result.megabytes} MB, RSS ${result.rssBeforeMb} -> peak ${result.rssPeakMb} MB (+${result.rssGrowthMb} MB); ` +
      `live heap after a full GC per MB written (second pass) +${result.liveHeapGrowthMb} MB`,
  );
  return result;
}

async function exportOnce(orm: MikroORM, officeId: string, format: 'csv' | 'xlsx', heapChecks: boolean) {
  gc();
  const before = process.memoryUsage().rss;
  const heapBefore = process.memoryUsage().heapUsed;
  // Every 1 MB out: a full GC, then the live heap (what the export holds at that moment).
  let heapPeak = heapBefore;
  let nextCheck = 2 ** 20;
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  let bytes = 0;
  const [ms] = await time(async () => {
    const file = await exportSelection(orm.em.fork(), officeId, {}, format, { today: '2026-12-06' });
    await pipeline(
      file.body,
      new Writable({
        write(chunk: Buffer, _enc, done) {
          bytes += chunk.length;
          if (heapChecks && bytes >= nextCheck) {
            nextCheck += 2 ** 20;
            gc();
            heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
          }
          done();
        },
      }),
    );
  });
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const mb = (n: number) => Math.round((n / 2 ** 20) * 10) / 10;
  return {
    format,
    seconds: Math.round(ms / 100) / 10,
    megabytes: mb(bytes),
    rssBeforeMb: mb(before),
    rssPeakMb: mb(peak),
    rssGrowthMb: mb(peak - before),
    liveHeapGrowthMb: mb(heapPeak - heapBefore),
  };
}

/** For contrast: the same rows read at once (what an export without a cursor holds before writing a byte). */
async function measureAllRows(orm: MikroORM, officeId: string) {
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const statement = exportSql(officeId, {}, await resolveQuery(orm.em.fork(), officeId, {}));
  const all = (await rows<Parameters<typeof toRow>[0]>(orm.em.fork(), statement.sql, statement.params)).map(toRow);
  gc();
  const held = process.memoryUsage().heapUsed - heapBefore;
  const mb = (n: number) => Math.round((n / 2 ** 20) * 10) / 10;
  console.log(`all ${all.length} rows in memory at once (no cursor): live heap +${mb(held)} MB`);
  return { rows: all.length, liveHeapGrowthMb: mb(held) };
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
