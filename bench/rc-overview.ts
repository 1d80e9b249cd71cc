/**
 * `npm run bench:rc-overview`: the central organisation's RC overview (issue 21) of 200
 * participants over a year of 1 million journal lines, through the service's code path
 * (services/ledger/overview.ts `centralOverview`: MikroORM, the sums query on the month totals,
 * the category map, the participants, the totals) versus the same sums statement on a plain `pg`
 * client (`monthTotalsSumsSql`, imported, so it is the statement the service sends), and the
 * line-based sums statement that the service ran before the month totals (`lineSumsSql`), so
 * the speed-up shows side by side.
 *
 * - A separate database (bench/support.ts `benchDatabase`): embedded, or a fresh
 *   `dossierflow_bench_rc` on the server of DATABASE_URL.
 * - BENCH_PARTICIPANTS (200) participant offices of one central organisation, made through the
 *   services; BENCH_LINES (1,000,000) lines as BENCH_LINES/2 commission entries of two lines
 *   (bank debit, participant RC credit, one of four categories, spread over the year), inserted
 *   with INSERT ... SELECT over generate_series in chunks of 100,000 lines, so the database's own
 *   line triggers (copies from entry and account, the deferred balance check) run for every
 *   line as in production, and so does the statement trigger that adds each chunk to the month
 *   totals (`ledger_month_totals`). Then ANALYZE. Before timing, both raw statements must give
 *   the same sums (the month totals equal the lines).
 * - BENCH_RUNS (30) runs of each after 3 warm-up runs: the whole year, and one quarter; also one
 *   participant's overview (`participantOverview`, 5,000 lines on average, with its lines).
 * - The write side: BENCH_RUNS × 3 commissions posted one by one through `postCommission` with the
 *   month totals trigger, and as many with it disabled, in alternating slices (last, so the
 *   totals are not read after).
 * - Ratio = p50 service ÷ p50 raw (month totals); speed-up = p50 raw line sums ÷ p50 service.
 *   Writes bench/results/rc-overview.json.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { benchDatabase, machine, percentile, round2 } from './support.js';
import { newId } from '../db/ids.js';
import { migrate } from '../db/migrate.js';
import { createOrm } from '../db/orm.js';
import { addParticipant, setUpCentralOrganisation } from '../services/ledger/organisation.js';
import { centralOverview, lineSumsSql, monthTotalsSumsSql, participantOverview } from '../services/ledger/overview.js';
import { postCommission } from '../services/ledger/posting.js';
import { ensureCategory } from '../services/ledger/store.js';
import { periodBounds } from '../domain/ledger/periods.js';

const PARTICIPANTS = Number(process.env.BENCH_PARTICIPANTS ?? 200);
const LINES = Number(process.env.BENCH_LINES ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const YEAR = 2026;
const CHUNK_LINES = 100_000;
const here = path.dirname(fileURLToPath(import.meta.url));

/** The service's statement (`?` placeholders, as MikroORM sends it bound) for a plain pg client (`$1`, `$2`, ...). */
function positional(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

type Sum = { participant_office_id: string; category_id: string | null; opening: string; debit: string; credit: string };
const sumKey = (r: Sum) => `${r.participant_office_id}|${r.category_id ?? ''}|${r.opening}|${r.debit}|${r.credit}`;

async function timed(runs: number, fn: () => Promise<unknown>): Promise<{ p50: number; p95: number; max: number }> {
  for (let i = 0; i < 3; i++) await fn();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  return { p50: round2(percentile(ms, 50)), p95: round2(percentile(ms, 95)), max: round2(ms[ms.length - 1]!) };
}

async function main(): Promise<void> {
  const loadAverage = (): number[] => os.loadavg().map(round2);
  const loadAtStart = loadAverage();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dossierflow-bench-rc-'));
  chmodSync(dir, 0o755);
  const database = await benchDatabase('dossierflow_bench_rc', dir);
  const client = new pg.Client({ connectionString: database.url });
  let orm: Awaited<ReturnType<typeof createOrm>> | undefined;
  try {
    await migrate(database.url, () => undefined);
    orm = await createOrm(database.url);
    await client.connect();
    const central = newId();
    await client.query('insert into offices (id, name) values ($1, $2)', [central, 'Bench Centraal']);
    await setUpCentralOrganisation(orm.em.fork(), central, { iban: 'NL91ABNA0417164300' });
    const participants: string[] = [];
    for (let i = 0; i < PARTICIPANTS; i++) {
      const id = newId();
      participants.push(id);
      await client.query('insert into offices (id, name) values ($1, $2)', [id, `Bench deelnemer ${String(i).padStart(3, '0')}`]);
      await addParticipant(orm.em.fork(), central, { officeId: id, mayViewOverview: true, centralShareBp: 1000 });
    }
    const categories: string[] = [];
    for (const code of ['mortgage', 'insurance', 'service', 'licentie']) {
      categories.push((await ensureCategory(orm.em.fork(), { centralOfficeId: central, code, name: code, kind: code === 'licentie' ? 'cost' : 'income' })).id);
    }

    const started = performance.now();
    const entries = Math.floor(LINES / 2);
    for (let from = 0; from < entries; from += CHUNK_LINES / 2) {
      const to = Math.min(entries, from + CHUNK_LINES / 2) - 1;
      // One transaction per chunk: the deferred balance checks run at its commit.
      await client.query('begin');
      await client.query(
        `with rc as (select participant_office_id, id, row_number() over (order by participant_office_id) - 1 as i
                       from ledger_accounts where central_office_id = $1 and kind = 'participant_rc'),
              bank as (select id from ledger_accounts where central_office_id = $1 and kind = 'bank'),
              e as (
                insert into journal_entries (id, central_office_id, key, kind, entry_date, description, created_by)
                select gen_random_uuid(), $1, 'bench:' || n, 'commission', make_date($2, 1, 1) + (n % 365), 'Provisie bench ' || n, 'bench'
                  from generate_series($3::int, $4::int) n
                returning id, substring(key from 7)::int as n)
         insert into journal_lines (entry_id, account_id, category_id, debit_cents, credit_cents)
         select e.id, v.account_id, ($5::uuid[])[1 + e.n % 4], v.debit, v.credit
           from e
           cross join lateral (select 100 + (e.n::bigint * 7919) % 100000 as amount) a
           join rc on rc.i = e.n % $6
           cross join bank
           cross join lateral (values (bank.id, a.amount, 0), (rc.id, 0, a.amount)) v(account_id, debit, credit)`,
        [central, YEAR, from, to, categories, PARTICIPANTS],
      );
      await client.query('commit');
      process.stdout.write(`\r${Math.min(LINES, (to + 1) * 2)} lines`);
    }
    const loadSeconds = round2((performance.now() - started) / 1000);
    await client.query('analyze');
    const [{ n }] = (await client.query<{ n: string }>('select count(*) as n from journal_lines')).rows as [{ n: string }];
    console.log(`\n${n} journal lines in ${loadSeconds} s`);

    const loadAfterLoading = loadAverage();
    const em = () => orm!.em.fork();
    const { from: yFrom, to: yTo } = periodBounds(YEAR, 'year');
    const { from: qFrom, to: qTo } = periodBounds(YEAR, 'Q2');
    // The statement the service sends (services/ledger/overview.ts), and the one it sent before the month totals.
    const rawSql = positional(monthTotalsSumsSql(false));
    const rawLinesSql = positional(lineSumsSql(false));
    const params = (from: string, to: string) => [from, from, from, central, to];
    for (const [from, to] of [[yFrom, yTo], [qFrom, qTo]] as const) {
      const byTotals = (await client.query<Sum>(rawSql, params(from, to))).rows.map(sumKey).sort();
      const byLines = (await client.query<Sum>(rawLinesSql, params(from, to))).rows.map(sumKey).sort();
      if (byTotals.join('\n') !== byLines.join('\n')) throw new Error(`month totals differ from the line sums for ${from}..${to}`);
    }
    const [{ t }] = (await client.query<{ t: string }>('select count(*) as t from ledger_month_totals')).rows as [{ t: string }];
    console.log(`${t} month-total rows; month totals equal the line sums for the year and Q2`);

    /**
     * One commission (three lines, one on an RC) posted through the service, with the month
     * totals trigger and with it disabled, in alternating slices so the machine's load hits both.
     */
    async function postingCost(): Promise<{ withTotals: { p50: number; p95: number }; withoutTotals: { p50: number; p95: number }; ratio: number }> {
      let k = 0;
      const postOne = async (): Promise<number> => {
        const i = k++;
        const t0 = performance.now();
        await postCommission(em(), central, { participantOfficeId: participants[i % PARTICIPANTS]!, reference: `write-${i}`, productType: 'mortgage', amountCents: 1234, entryDate: `${YEAR}-06-15`, createdBy: 'bench' });
        return performance.now() - t0;
      };
      for (let i = 0; i < 5; i++) await postOne();
      const on: number[] = [];
      const off: number[] = [];
      try {
        for (let slice = 0; slice < 6; slice++) {
          const withTrigger = slice % 2 === 0;
          await client.query(`alter table journal_lines ${withTrigger ? 'enable' : 'disable'} trigger journal_lines_month_totals`);
          for (let i = 0; i < RUNS; i++) (withTrigger ? on : off).push(await postOne());
        }
      } finally {
        await client.query('alter table journal_lines enable trigger journal_lines_month_totals');
      }
      const stats = (ms: number[]) => {
        ms.sort((a, b) => a - b);
        return { p50: round2(percentile(ms, 50)), p95: round2(percentile(ms, 95)) };
      };
      const withTotals = stats(on);
      const withoutTotals = stats(off);
      return { withTotals, withoutTotals, ratio: round2(withTotals.p50 / withoutTotals.p50) };
    }
    const check = await centralOverview(em(), central, { year: YEAR });
    if (check.participants.length !== PARTICIPANTS) throw new Error(`overview has ${check.participants.length} participants`);
    const results = {
      centralYear: {
        service: await timed(RUNS, () => centralOverview(em(), central, { year: YEAR })),
        raw: await timed(RUNS, () => client.query(rawSql, params(yFrom, yTo))),
        rawLines: await timed(RUNS, () => client.query(rawLinesSql, params(yFrom, yTo))),
      },
      centralQuarter: {
        service: await timed(RUNS, () => centralOverview(em(), central, { year: YEAR, period: 'Q2' })),
        raw: await timed(RUNS, () => client.query(rawSql, params(qFrom, qTo))),
        rawLines: await timed(RUNS, () => client.query(rawLinesSql, params(qFrom, qTo))),
      },
      oneParticipantYear: { service: await timed(RUNS, () => participantOverview(em(), central, participants[0]!, { year: YEAR })) },
      // What the month totals cost a posting (last: it switches the trigger off and on, on this throw-away database).
      postCommission: await postingCost(),
    };

    const ratio = (r: { service: { p50: number }; raw: { p50: number } }) => round2(r.service.p50 / r.raw.p50);
    const speedUp = (r: { service: { p50: number }; rawLines: { p50: number } }) => round2(r.rawLines.p50 / r.service.p50);
    const out = {
      when: new Date().toISOString(),
      machine: machine(),
      // The machine is shared: the 1, 5 and 15 minute load averages at the start, after loading, at the end.
      loadAverage: { start: loadAtStart, afterLoading: loadAfterLoading, end: loadAverage() },
      participants: PARTICIPANTS,
      lines: Number(n),
      monthTotalRows: Number(t),
      loadSeconds,
      runs: RUNS,
      ...results,
      ratioYear: ratio(results.centralYear),
      ratioQuarter: ratio(results.centralQuarter),
      speedUpYear: speedUp(results.centralYear),
      speedUpQuarter: speedUp(results.centralQuarter),
    };
    console.log(JSON.stringify(out, null, 2));
    mkdirSync(path.join(here, 'results'), { recursive: true });
    writeFileSync(path.join(here, 'results', 'rc-overview.json'), `${JSON.stringify(out, null, 2)}\n`);
  } finally {
    await client.end().catch(() => undefined);
    await orm?.close(true);
    await database.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
