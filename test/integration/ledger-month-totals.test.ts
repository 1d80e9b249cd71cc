/**
 * The month totals of the participants' RCs (`ledger_month_totals`, issue 21 deliverable 6)
 * against a real PostgreSQL: the trigger on the insert of journal lines keeps them equal to the
 * sums over the lines, for any mix of postings (commissions, costs, lines without a category,
 * reversals, pay-outs with their mirror booking), also when many postings to one account and
 * month commit at once; the overviews built on them give exactly the sums over the lines for
 * every period; the migration's backfill covers lines posted before it; nothing else writes them.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createTestDatabase, dropTestDatabase } from '../../db/embedded-postgres.js';
import { createOrm } from '../../db/orm.js';
import { newId } from '../../db/ids.js';
import { chargeEntry } from '../../domain/ledger/postings.js';
import { overviewPeriods, periodBounds, type OverviewPeriod } from '../../domain/ledger/periods.js';
import { payoutEndToEndId } from '../../domain/ledger/payouts.js';
import { addParticipant, setUpCentralOrganisation } from '../../services/ledger/organisation.js';
import { centralOverview, participantOverview, rcSums } from '../../services/ledger/overview.js';
import { approvePayout, createPayoutFile, settlePayout } from '../../services/ledger/payouts.js';
import { postCharge, postCommission, postEntry, reverseEntry } from '../../services/ledger/posting.js';
import { insertPayout } from '../../services/ledger/store.js';
import { testDatabase, type TestDatabase } from './support.js';

let db: TestDatabase;
let orm: MikroORM;

beforeAll(async () => {
  db = await testDatabase();
  orm = await createOrm(db.url);
}, 120_000);

afterAll(async () => {
  await orm?.close(true);
  await db?.stop();
});

const em = () => orm.em.fork();
const IBAN = 'NL91ABNA0417164300';
const PARTICIPANT_IBANS = ['NL20INGB0001234567', 'NL39RABO0300065264', 'NL36INGB0007654321'];

async function office(name: string, o: MikroORM = orm): Promise<string> {
  const id = newId();
  await o.em.fork().execute('insert into offices (id, name) values (?, ?)', [id, `${name} ${id.slice(0, 6)}`]);
  return id;
}

/** A central organisation with three participants (shares 0%, 15%, 33.33%), each with an IBAN. */
async function chain(o: MikroORM = orm): Promise<{ central: string; participants: string[] }> {
  const central = await office('Centraal', o);
  await setUpCentralOrganisation(o.em.fork(), central, { iban: IBAN });
  const participants: string[] = [];
  for (const [i, share] of [0, 1500, 3333].entries()) {
    const p = await office(`Deelnemer ${i}`, o);
    await addParticipant(o.em.fork(), central, { officeId: p, mayViewOverview: true, centralShareBp: share, iban: PARTICIPANT_IBANS[i]! });
    participants.push(p);
  }
  return { central, participants };
}

type TotalRow = { account_id: string; category_id: string | null; month: string; debit: string; credit: string; n: string };

/** The month totals as stored, and as a GROUP BY over the participants' lines: they must be the same rows. */
async function storedAndRecomputed(central: string, o: MikroORM = orm): Promise<{ stored: TotalRow[]; fromLines: TotalRow[] }> {
  const order = 'order by account_id, category_id nulls first, month';
  const stored = await o.em.fork().execute<TotalRow[]>(
    `select account_id, category_id, to_char(month, 'YYYY-MM-DD') as month, debit_cents::text as debit, credit_cents::text as credit, line_count::text as n
       from ledger_month_totals where central_office_id = ? ${order}`,
    [central],
  );
  const fromLines = await o.em.fork().execute<TotalRow[]>(
    `select account_id, category_id, month, debit, credit, n from (
       select account_id, category_id, to_char(date_trunc('month', entry_date), 'YYYY-MM-DD') as month,
              sum(debit_cents)::text as debit, sum(credit_cents)::text as credit, count(*)::text as n
         from journal_lines where central_office_id = ? and participant_office_id is not null
        group by account_id, category_id, date_trunc('month', entry_date)) s ${order}`,
    [central],
  );
  return { stored, fromLines };
}

/** One participant's figures for the bounds, summed directly over its journal lines (the reference). */
interface Expected {
  opening: number;
  income: number;
  costs: number;
  paidOut: number;
  categories: Map<string, { debit: number; credit: number }>;
}

async function expectedFromLines(central: string, participant: string, from: string, to: string): Promise<Expected> {
  const sums = await em().execute<{ category: string | null; kind: string | null; opening: string; debit: string; credit: string }[]>(
    `select c.name as category, c.kind,
            coalesce(sum(l.credit_cents - l.debit_cents) filter (where l.entry_date < ?::date), 0)::text as opening,
            coalesce(sum(l.debit_cents) filter (where l.entry_date between ?::date and ?::date), 0)::text as debit,
            coalesce(sum(l.credit_cents) filter (where l.entry_date between ?::date and ?::date), 0)::text as credit
       from journal_lines l left join booking_categories c on c.id = l.category_id
      where l.central_office_id = ? and l.participant_office_id = ?
      group by c.name, c.kind`,
    [from, from, to, from, to, central, participant],
  );
  const out: Expected = { opening: 0, income: 0, costs: 0, paidOut: 0, categories: new Map() };
  for (const s of sums) {
    out.opening += Number(s.opening);
    out.income += Number(s.credit);
    if (s.kind === 'payout') out.paidOut += Number(s.debit);
    else out.costs += Number(s.debit);
    if (Number(s.debit) + Number(s.credit) > 0) out.categories.set(s.category ?? 'Overig', { debit: Number(s.debit), credit: Number(s.credit) });
  }
  return out;
}

/** Both overviews for every period of both years agree with the sums over the lines, to the cent. */
async function checkOverviews(central: string, participants: string[]): Promise<void> {
  for (const year of [2025, 2026]) {
    for (const period of overviewPeriods as readonly OverviewPeriod[]) {
      const { from, to } = periodBounds(year, period);
      const all = await centralOverview(em(), central, { year, period });
      for (const p of participants) {
        const want = await expectedFromLines(central, p, from, to);
        const closing = want.opening + want.income - want.costs - want.paidOut;
        const row = all.participants.find((r) => r.officeId === p)!;
        const wantPosition = {
          openingBalanceCents: want.opening,
          incomeCents: want.income,
          costsCents: want.costs,
          paidOutCents: want.paidOut,
          closingBalanceCents: closing,
          toPayOutCents: Math.max(closing, 0),
          toClaimCents: Math.max(-closing, 0),
        };
        expect(row, `${year} ${period}`).toMatchObject(wantPosition);
        const own = await participantOverview(em(), central, p, { year, period });
        expect(own, `${year} ${period}`).toMatchObject(wantPosition);
        expect(new Map(own.categories.map((c) => [c.name, { debit: c.debitCents, credit: c.creditCents }])), `${year} ${period}`).toEqual(want.categories);
      }
    }
  }
}

const dates = fc
  .record({ year: fc.constantFrom(2025, 2026), month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 28 }) })
  .map(({ year, month, day }) => `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`);
const amounts = fc.integer({ min: 1, max: 500_000 });
const participantIndex = fc.integer({ min: 0, max: 2 });

type Op =
  | { op: 'commission'; p: number; product: string | null; amount: number; date: string }
  | { op: 'charge'; p: number; category: string | null; amount: number; date: string }
  | { op: 'reversal'; pick: number; date: string }
  | { op: 'payout'; p: number; bookedOn: string };

const ops: fc.Arbitrary<Op[]> = fc.array(
  fc.oneof(
    { arbitrary: fc.record({ op: fc.constant('commission' as const), p: participantIndex, product: fc.constantFrom('mortgage', 'insurance', 'service', null), amount: amounts, date: dates }), weight: 4 },
    { arbitrary: fc.record({ op: fc.constant('charge' as const), p: participantIndex, category: fc.constantFrom('licentie', 'marketing', null), amount: amounts, date: dates }), weight: 3 },
    { arbitrary: fc.record({ op: fc.constant('reversal' as const), pick: fc.nat(), date: dates }), weight: 2 },
    { arbitrary: fc.record({ op: fc.constant('payout' as const), p: participantIndex, bookedOn: dates }), weight: 1 },
  ),
  { minLength: 10, maxLength: 30 },
);

/** Posts the operations through the services; a pay-out goes request → approve (RC → intermediate) → file → settle (intermediate → bank). */
async function post(central: string, participants: string[], list: Op[]): Promise<void> {
  const reversible: string[] = [];
  for (const [i, o] of list.entries()) {
    const ref = `${i}-${newId().slice(0, 8)}`;
    if (o.op === 'commission') {
      const e = await postCommission(em(), central, { participantOfficeId: participants[o.p]!, reference: ref, productType: o.product, amountCents: o.amount, entryDate: o.date, createdBy: 'test' });
      reversible.push(e.entryId);
    } else if (o.op === 'charge') {
      const participantId = participants[o.p]!;
      // A cost without a category (shown as Overig) goes through postEntry: postCharge always names one.
      const e =
        o.category === null
          ? await postEntry(em(), central, { key: `charge:${central}:${ref}`, entryDate: o.date, description: `Kosten ${ref}`, createdBy: 'test', entry: chargeEntry({ participantId, category: null, amountCents: o.amount }) })
          : await postCharge(em(), central, { participantOfficeId: participantId, reference: ref, categoryCode: o.category, amountCents: o.amount, entryDate: o.date, createdBy: 'test' });
      reversible.push(e.entryId);
    } else if (o.op === 'reversal') {
      if (reversible.length === 0) continue;
      const [entryId] = reversible.splice(o.pick % reversible.length, 1);
      await reverseEntry(em(), central, entryId!, { entryDate: o.date, createdBy: 'test' });
    } else {
      const participantId = participants[o.p]!;
      const [b] = await em().execute<{ b: string }[]>('select coalesce(sum(credit_cents - debit_cents), 0)::text as b from journal_lines where participant_office_id = ?', [participantId]);
      if (Number(b!.b) <= 0) continue;
      const id = newId();
      await insertPayout(em(), { id, centralOfficeId: central, participantOfficeId: participantId, amountCents: Number(b!.b), periodYear: 2026, period: 'year', endToEndId: payoutEndToEndId(id), workflowId: `payout:${id}`, requestedBy: 'test' });
      await approvePayout(em(), { payoutId: id, approvedBy: 'test' });
      await createPayoutFile(em(), { payoutId: id, createdAt: '2026-12-01T10:00:00.000Z' });
      await settlePayout(em(), { payoutId: id, bookedOn: o.bookedOn });
    }
  }
}

describe('the month totals equal the sums over the journal lines', () => {
  it('for any mix of commissions, costs, lines without a category, reversals and pay-outs; both overviews agree with the lines for every period', async () => {
    await fc.assert(
      fc.asyncProperty(ops, async (list) => {
        const { central, participants } = await chain();
        await post(central, participants, list);
        const { stored, fromLines } = await storedAndRecomputed(central);
        expect(stored).toEqual(fromLines);
        await checkOverviews(central, participants);
      }),
      // Each run posts through a real database: report the first failing mix instead of shrinking it for minutes.
      { numRuns: 5, seed: 20261207, endOnFailure: true },
    );
  }, 300_000);

  it('the mix covers what it should: a category-less line, a reversal and a pay-out with its mirror booking', async () => {
    const { central, participants } = await chain();
    const [p0, p1] = participants as [string, string, string];
    await post(central, participants, [
      { op: 'commission', p: 0, product: 'mortgage', amount: 100_00, date: '2025-12-15' },
      { op: 'charge', p: 0, category: null, amount: 12_34, date: '2026-01-31' },
      { op: 'charge', p: 1, category: 'licentie', amount: 50_00, date: '2026-02-01' },
      { op: 'reversal', pick: 2, date: '2026-03-01' },
      { op: 'payout', p: 0, bookedOn: '2026-03-02' },
    ]);
    const kinds = await em().execute<{ kind: string }[]>('select distinct kind from journal_entries where central_office_id = ? order by kind', [central]);
    expect(kinds.map((k) => k.kind)).toEqual(['charge', 'commission', 'payout', 'payout_settled', 'reversal']);
    const [overig] = await em().execute<{ n: string }[]>('select count(*)::text as n from ledger_month_totals where participant_office_id = ? and category_id is null', [p0]);
    expect(overig!.n).toBe('1');
    const { stored, fromLines } = await storedAndRecomputed(central);
    expect(stored).toEqual(fromLines);
    // The reversed charge is back on p1's RC; p0 was paid out in full (the pay-out is dated on its
    // approval, today), so nothing is left to pay out the year after.
    const year = await centralOverview(em(), central, { year: 2026 });
    expect(year.participants.find((r) => r.officeId === p0)).toMatchObject({ openingBalanceCents: 100_00, costsCents: 12_34 });
    expect(year.participants.find((r) => r.officeId === p1)).toMatchObject({ costsCents: 50_00, incomeCents: 50_00, closingBalanceCents: 0 });
    const later = await centralOverview(em(), central, { year: new Date().getUTCFullYear() + 1 });
    expect(later.participants.find((r) => r.officeId === p0)).toMatchObject({ openingBalanceCents: 0, closingBalanceCents: 0, toPayOutCents: 0 });
    await checkOverviews(central, participants);
  }, 120_000);

  it('bounds that are not whole months are summed from the lines, and agree with the month totals where both apply', async () => {
    const { central, participants } = await chain();
    await post(central, participants, fc.sample(ops, { numRuns: 1, seed: 7 })[0]!);
    const norm = (rs: { participant_office_id: string; category_id: string | null; opening: string; debit: string; credit: string }[]) =>
      rs.map((r) => `${r.participant_office_id}|${r.category_id}|${Number(r.opening)}|${Number(r.debit)}|${Number(r.credit)}`).sort();
    for (const [from, to] of [['2026-02-10', '2026-05-20'], ['2025-07-01', '2026-06-30'], ['2026-03-01', '2026-03-31']] as const) {
      const viaService = norm(await rcSums(em(), { centralOfficeId: central }, from, to));
      const direct = norm(
        await em().execute(
          `select participant_office_id, category_id,
                  coalesce(sum(credit_cents - debit_cents) filter (where entry_date < ?::date), 0) as opening,
                  coalesce(sum(debit_cents) filter (where entry_date >= ?::date), 0) as debit,
                  coalesce(sum(credit_cents) filter (where entry_date >= ?::date), 0) as credit
             from journal_lines where central_office_id = ? and participant_office_id is not null and entry_date <= ?::date
            group by participant_office_id, category_id`,
          [from, from, from, central, to],
        ),
      );
      expect(viaService, `${from}..${to}`).toEqual(direct);
      const one = norm(await rcSums(em(), { centralOfficeId: central, participantOfficeId: participants[2]! }, from, to));
      expect(one).toEqual(direct.filter((d) => d.startsWith(`${participants[2]}|`)));
    }
  }, 120_000);
});

describe('concurrent postings', () => {
  it('many postings to the same participant, category and month at once: none is lost', async () => {
    const { central, participants } = await chain();
    const [p0, p1] = participants as [string, string, string];
    const n = 24;
    await Promise.all(
      Array.from({ length: n }, (_, i) =>
        postCommission(em(), central, { participantOfficeId: i % 3 === 0 ? p1 : p0, reference: `burst-${i}`, productType: 'mortgage', amountCents: 1000 + i, entryDate: `2026-06-${String(1 + (i % 2)).padStart(2, '0')}`, createdBy: 'test' }),
      ),
    );
    const { stored, fromLines } = await storedAndRecomputed(central);
    expect(stored).toEqual(fromLines);
    expect(stored.reduce((s, r) => s + Number(r.n), 0)).toBe(n);
    const june = await centralOverview(em(), central, { year: 2026, period: 'M06' });
    // p0 has no share withheld: its RC gets every cent of its commissions.
    const p0Commissions = Array.from({ length: n }, (_, i) => i).filter((i) => i % 3 !== 0).reduce((s, i) => s + 1000 + i, 0);
    expect(june.participants.find((r) => r.officeId === p0)!.incomeCents).toBe(p0Commissions);
  }, 120_000);

  it('a posting refused at commit (unbalanced) leaves the totals as they were', async () => {
    const { central, participants } = await chain();
    await postCommission(em(), central, { participantOfficeId: participants[0]!, reference: 'ok', productType: null, amountCents: 700, entryDate: '2026-04-04', createdBy: 'test' });
    const before = await storedAndRecomputed(central);
    const [rc] = await em().execute<{ id: string }[]>('select id from ledger_accounts where participant_office_id = ?', [participants[0]!]);
    const [bank] = await em().execute<{ id: string }[]>("select id from ledger_accounts where central_office_id = ? and kind = 'bank'", [central]);
    await expect(
      em().transactional(async (tem) => {
        const id = newId();
        await tem.execute(`insert into journal_entries (id, central_office_id, key, kind, entry_date, description, created_by) values (?, ?, ?, 'charge', '2026-04-05', 'raw', 'test')`, [id, central, `raw:${id}`]);
        await tem.execute('insert into journal_lines (entry_id, account_id, debit_cents, credit_cents) values (?, ?, 300, 0), (?, ?, 0, 299)', [id, rc!.id, id, bank!.id]);
      }),
    ).rejects.toThrow(/does not balance/);
    expect(await storedAndRecomputed(central)).toEqual(before);
  }, 60_000);
});

describe('nothing but the trigger writes the month totals', () => {
  it('refuses a direct INSERT, UPDATE, DELETE and TRUNCATE', async () => {
    const { central, participants } = await chain();
    await postCommission(em(), central, { participantOfficeId: participants[1]!, reference: 'guard', productType: 'service', amountCents: 900, entryDate: '2026-08-08', createdBy: 'test' });
    const [row] = await em().execute<{ account_id: string }[]>('select account_id from ledger_month_totals where participant_office_id = ?', [participants[1]!]);
    for (const [sql, params] of [
      [
        `insert into ledger_month_totals (account_id, category_id, month, central_office_id, participant_office_id, debit_cents, credit_cents, line_count)
         values (?, null, '2026-09-01', ?, ?, 1, 0, 1)`,
        [row!.account_id, central, participants[1]!],
      ],
      ['update ledger_month_totals set credit_cents = credit_cents + 1 where account_id = ?', [row!.account_id]],
      ['delete from ledger_month_totals where account_id = ?', [row!.account_id]],
      ['truncate ledger_month_totals', []],
    ] as const) {
      await expect(em().execute(sql, [...params]), sql).rejects.toThrow(/kept by the journal_lines trigger only/);
    }
    const { stored, fromLines } = await storedAndRecomputed(central);
    expect(stored).toEqual(fromLines);
  });
});

describe('the migration', () => {
  it('backfills the totals of lines posted before it, and the trigger adds the ones after', async () => {
    const name = `df_totals_${newId().replace(/-/g, '').slice(0, 12)}`;
    const url = await createTestDatabase(db.url, name);
    const own = await createOrm(url, { pool: { min: 0, max: 2 } });
    try {
      await own.migrator.up({ to: 'Migration20261213120100_rc_payouts' });
      const { central, participants } = await chain(own);
      for (const [i, p] of participants.entries()) {
        await postCommission(own.em.fork(), central, { participantOfficeId: p, reference: `old-${i}`, productType: i === 0 ? null : 'mortgage', amountCents: 10_000 * (i + 1), entryDate: `2026-0${i + 1}-15`, createdBy: 'test' });
        await postCharge(own.em.fork(), central, { participantOfficeId: p, reference: `old-c-${i}`, categoryCode: 'licentie', amountCents: 1_000, entryDate: `2026-0${i + 1}-20`, createdBy: 'test' });
      }
      await own.migrator.up();
      const backfilled = await storedAndRecomputed(central, own);
      expect(backfilled.stored).toHaveLength(6);
      expect(backfilled.stored).toEqual(backfilled.fromLines);
      await postCharge(own.em.fork(), central, { participantOfficeId: participants[0]!, reference: 'new-c', categoryCode: 'licentie', amountCents: 500, entryDate: '2026-01-25', createdBy: 'test' });
      const after = await storedAndRecomputed(central, own);
      expect(after.stored).toEqual(after.fromLines);
      const [licentie] = await own.em.fork().execute<{ debit: string; n: string }[]>(
        `select t.debit_cents::text as debit, t.line_count::text as n from ledger_month_totals t join booking_categories c on c.id = t.category_id
          where t.participant_office_id = ? and c.code = 'licentie' and t.month = '2026-01-01'`,
        [participants[0]!],
      );
      expect(licentie).toEqual({ debit: '1500', n: '2' });
    } finally {
      await own.close(true);
      await dropTestDatabase(db.url, name);
    }
  }, 120_000);
});
