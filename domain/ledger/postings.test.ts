import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  balances,
  chargeEntry,
  commissionEntry,
  entryProblem,
  invoiceEntry,
  payoutEntry,
  payoutSettledEntry,
  rcPosition,
  reversalOf,
  shareOf,
  trialBalance,
  type PostingEntry,
  type PostingLine,
} from './postings.js';
import { coversWholeMonths, overviewPeriods, periodBounds } from './periods.js';

const P = 'p-1';
const lines = (...entries: PostingEntry[]): PostingLine[] => entries.flatMap((e) => e.lines);
const bal = (ls: PostingLine[], key: string) => balances(ls).get(key) ?? 0;

describe('every booking rule gives a balanced entry', () => {
  it.each<[string, PostingEntry]>([
    ['commission, no share', commissionEntry({ participantId: P, category: 'mortgage', amountCents: 100_00, centralShareBp: 0 })],
    ['commission, 15% share', commissionEntry({ participantId: P, category: 'mortgage', amountCents: 123_45, centralShareBp: 1500 })],
    ['commission, all central', commissionEntry({ participantId: P, category: null, amountCents: 1, centralShareBp: 10_000 })],
    ['invoice with VAT and share', invoiceEntry({ participantId: P, category: 'service', netCents: 100_00, vatCents: 21_00, centralShareBp: 1000 })!],
    ['invoice without VAT', invoiceEntry({ participantId: P, category: 'service', netCents: 99, vatCents: 0, centralShareBp: 3333 })!],
    ['charge', chargeEntry({ participantId: P, category: 'licentie', amountCents: 50_00 })],
    ['pay-out', payoutEntry({ participantId: P, category: 'uitbetaling', amountCents: 10_00 })],
    ['pay-out settled', payoutSettledEntry({ category: 'uitbetaling', amountCents: 10_00 })],
  ])('%s', (_name, entry) => {
    expect(entryProblem(entry.lines)).toBeNull();
    expect(trialBalance(entry.lines)).toBe(0);
  });
});

describe('entryProblem refuses what the database refuses', () => {
  const ok: PostingLine = { account: { kind: 'bank' }, category: null, debitCents: 5, creditCents: 0 };
  const back: PostingLine = { account: { kind: 'revenue' }, category: null, debitCents: 0, creditCents: 5 };
  it.each<[string, PostingLine[], RegExp | null]>([
    ['balanced', [ok, back], null],
    ['one line', [ok], /two lines/],
    ['no lines', [], /two lines/],
    ['unbalanced', [ok, { ...back, creditCents: 4 }], /differ/],
    ['zero line', [ok, back, { ...ok, debitCents: 0 }], /either debit or credit/],
    ['both sides on a line', [{ ...ok, creditCents: 5 }, back, { ...back }], /either debit or credit/],
    ['negative', [{ ...ok, debitCents: -5, creditCents: 0 }, { ...back, creditCents: -5 }], /whole cents/],
    ['fractional', [{ ...ok, debitCents: 0.5 }, { ...back, creditCents: 0.5 }], /whole cents/],
  ])('%s', (_n, ls, problem) => {
    const found = entryProblem(ls);
    if (problem) expect(found).toMatch(problem);
    else expect(found).toBeNull();
  });
});

describe('the participant RC', () => {
  it.each([
    // [amount, share bp, central's revenue, owed to participant]
    [100_00, 0, 0, 100_00],
    [100_00, 1500, 15_00, 85_00],
    [1, 5000, 1, 0], // half a cent rounds up to the central organisation
    [3, 3333, 1, 2],
    [100_00, 10_000, 100_00, 0],
  ])('commission %i at %i bp: revenue %i, participant %i', (amount, bp, revenue, owed) => {
    const e = commissionEntry({ participantId: P, category: 'mortgage', amountCents: amount, centralShareBp: bp });
    expect(0 - bal(e.lines, 'revenue')).toBe(revenue);
    expect(0 - bal(e.lines, `participant_rc:${P}`)).toBe(owed);
    expect(bal(e.lines, 'bank')).toBe(amount);
  });

  it('an invoice books VAT to the tax office and the net amount between central and participant', () => {
    const e = invoiceEntry({ participantId: P, category: 'service', netCents: 200_00, vatCents: 42_00, centralShareBp: 2500 })!;
    expect(bal(e.lines, 'receivable')).toBe(242_00);
    expect(0 - bal(e.lines, 'vat')).toBe(42_00);
    expect(0 - bal(e.lines, 'revenue')).toBe(50_00);
    expect(0 - bal(e.lines, `participant_rc:${P}`)).toBe(150_00);
    expect(invoiceEntry({ participantId: P, category: null, netCents: 0, vatCents: 0, centralShareBp: 0 })).toBeNull();
  });

  it.each([
    [100, 40, { balanceCents: 60, toPayOutCents: 60, toClaimCents: 0 }],
    [40, 100, { balanceCents: -60, toPayOutCents: 0, toClaimCents: 60 }],
    [0, 0, { balanceCents: 0, toPayOutCents: 0, toClaimCents: 0 }],
  ])('credit %i debit %i: %o', (c, d, want) => expect(rcPosition(c, d)).toEqual(want));
});

describe('the mirror booking (spiegelboeking)', () => {
  it('pays out the RC through the intermediate account without booking revenue again', () => {
    const income = commissionEntry({ participantId: P, category: 'mortgage', amountCents: 1000_00, centralShareBp: 1000 });
    const before = lines(income);
    const owed = 0 - bal(before, `participant_rc:${P}`);
    expect(owed).toBe(900_00);
    const after = lines(income, payoutEntry({ participantId: P, category: 'uitbetaling', amountCents: owed }), payoutSettledEntry({ category: 'uitbetaling', amountCents: owed }));
    expect(bal(after, `participant_rc:${P}`)).toBe(0); // paid out in full
    expect(bal(after, 'intermediate')).toBe(0); // the intermediate account nets to zero
    expect(bal(after, 'revenue')).toBe(bal(before, 'revenue')); // revenue counted once
    expect(bal(after, 'bank')).toBe(100_00); // what stays with the central organisation
    expect(trialBalance(after)).toBe(0);
  });

  it('between approval and the bank statement the money waits on the intermediate account', () => {
    const mid = lines(payoutEntry({ participantId: P, category: 'uitbetaling', amountCents: 7 }));
    expect(0 - bal(mid, 'intermediate')).toBe(7);
    expect(bal(mid, 'bank')).toBe(0);
  });
});

describe('reversals', () => {
  it.each<[string, PostingEntry]>([
    ['commission', commissionEntry({ participantId: P, category: 'x', amountCents: 12_34, centralShareBp: 700 })],
    ['invoice', invoiceEntry({ participantId: P, category: 'x', netCents: 10_00, vatCents: 2_10, centralShareBp: 0 })!],
    ['pay-out', payoutEntry({ participantId: P, category: 'uitbetaling', amountCents: 5_00 })],
  ])('reversing a %s restores every balance', (_n, e) => {
    const r = reversalOf(e);
    expect(r.kind).toBe('reversal');
    expect(entryProblem(r.lines)).toBeNull();
    for (const b of balances(lines(e, r)).values()) expect(b).toBe(0);
  });

  it('a reversal is not reversed again', () => {
    const r = reversalOf(chargeEntry({ participantId: P, category: null, amountCents: 1 }));
    expect(() => reversalOf(r)).toThrow(/not reversed/);
  });
});

describe('share rounding', () => {
  it.each([
    [0, 5000, 0],
    [1, 4999, 0],
    [1, 5000, 1],
    [99_999_999_999, 10_000, 99_999_999_999],
  ])('%i at %i bp is %i', (a, bp, want) => expect(shareOf(a, bp)).toBe(want));
  it.each([[-1, 0], [1.5, 0], [1, -1], [1, 10_001], [1, 0.5]])('refuses %d at %d bp', (a, bp) => expect(() => shareOf(a, bp)).toThrow(RangeError));
});

describe('property: any sequence of postings keeps the trial balance at zero', () => {
  const participant = fc.constantFrom('a', 'b', 'c');
  const category = fc.option(fc.constantFrom('mortgage', 'service', 'licentie'), { nil: null });
  const cents = fc.integer({ min: 1, max: 10_000_000 });
  const bp = fc.integer({ min: 0, max: 10_000 });
  const entry: fc.Arbitrary<PostingEntry> = fc.oneof(
    fc.record({ participantId: participant, category, amountCents: cents, centralShareBp: bp }).map(commissionEntry),
    fc.record({ participantId: participant, category, netCents: cents, vatCents: fc.integer({ min: 0, max: 2_100_000 }), centralShareBp: bp }).map((p) => invoiceEntry(p)!),
    fc.record({ participantId: participant, category, amountCents: cents }).map(chargeEntry),
    fc.record({ participantId: participant, amountCents: cents }).map((p) => payoutEntry({ ...p, category: 'uitbetaling' })),
    fc.record({ amountCents: cents }).map((p) => payoutSettledEntry({ ...p, category: 'uitbetaling' })),
  );
  const step = fc.record({ entry, reverse: fc.boolean() });

  it('holds for every prefix, and reversing everything returns every account to zero', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const posted: PostingLine[] = [];
        const reversals: PostingLine[] = [];
        for (const s of steps) {
          expect(entryProblem(s.entry.lines)).toBeNull();
          posted.push(...s.entry.lines);
          expect(trialBalance(posted)).toBe(0);
          if (s.reverse) posted.push(...reversalOf(s.entry).lines);
          else reversals.push(...reversalOf(s.entry).lines);
          expect(trialBalance(posted)).toBe(0);
        }
        for (const b of balances([...posted, ...reversals]).values()) expect(b).toBe(0);
      }),
      { numRuns: 300, seed: 20261213 },
    );
  });
});

describe('overview periods', () => {
  it.each([
    [2026, 'year', '2026-01-01', '2026-12-31'],
    [2026, 'Q1', '2026-01-01', '2026-03-31'],
    [2026, 'Q4', '2026-10-01', '2026-12-31'],
    [2024, 'M02', '2024-02-01', '2024-02-29'],
    [2025, 'M02', '2025-02-01', '2025-02-28'],
    [2026, 'M11', '2026-11-01', '2026-11-30'],
  ] as const)('%i %s is %s..%s', (y, p, from, to) => expect(periodBounds(y, p)).toEqual({ from, to }));
  it('refuses a year out of range', () => expect(() => periodBounds(1800)).toThrow(RangeError));
  it('every period covers whole months (the overviews read the month totals)', () => {
    for (const year of [2024, 2025, 2026]) for (const p of overviewPeriods) expect(coversWholeMonths(periodBounds(year, p).from, periodBounds(year, p).to)).toBe(true);
  });
  it.each([
    ['2026-03-02', '2026-03-31'],
    ['2026-03-01', '2026-03-30'],
    ['2025-02-01', '2025-02-29'],
    ['2024-02-01', '2024-02-28'],
    ['2026-04-01', '2026-03-31'],
    ['2026-13-01', '2026-13-31'],
    ['2026-3-01', '2026-03-31'],
  ])('%s..%s is not whole months', (from, to) => expect(coversWholeMonths(from, to)).toBe(false));
  it('a leap February and a span of months are whole', () => {
    expect(coversWholeMonths('2024-02-01', '2024-02-29')).toBe(true);
    expect(coversWholeMonths('2025-11-01', '2026-02-28')).toBe(true);
  });
});
