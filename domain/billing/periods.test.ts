import { describe, expect, it } from 'vitest';
import {
  effectiveFromNextPeriod,
  endDateForTermination,
  invoiceSchedule,
  MAX_BACKLOG_PERIODS,
  nextInvoiceDate,
  nextUninvoicedPeriod,
  periodAmountCents,
  periodContaining,
  periodStart,
  periodsUpTo,
  proRataCents,
  type BillingPeriod,
  type ContractTerms,
} from './periods.js';

describe('periodStart (anchored, clamped to month end)', () => {
  it.each<[string, BillingPeriod, string, string]>([
    ['2025-01-31', 'month', '2025-01-31', '2025-01-31'],
    ['2025-02-15', 'month', '2025-01-31', '2025-01-31'],
    ['2025-02-28', 'month', '2025-01-31', '2025-02-28'], // clamped
    ['2024-02-28', 'month', '2024-01-31', '2024-01-31'], // leap year: the period starts on the 29th
    ['2024-02-29', 'month', '2024-01-31', '2024-02-29'],
    ['2024-03-30', 'month', '2024-01-31', '2024-02-29'],
    ['2024-03-31', 'month', '2024-01-31', '2024-03-31'], // back to the 31st, not the 29th
    ['2024-04-30', 'month', '2024-01-31', '2024-04-30'],
    ['2025-01-30', 'month', '2025-01-31', '2024-12-31'], // before the anchor
    ['2025-04-14', 'quarter', '2025-01-15', '2025-01-15'],
    ['2025-05-14', 'quarter', '2025-01-15', '2025-04-15'],
    ['2025-11-30', 'quarter', '2025-08-31', '2025-11-30'], // 31 Aug + 3 months → 30 Nov
    ['2026-01-14', 'year', '2025-01-15', '2025-01-15'],
    ['2026-01-15', 'year', '2025-01-15', '2026-01-15'],
    ['2025-02-27', 'year', '2024-02-29', '2024-02-29'],
    ['2025-02-28', 'year', '2024-02-29', '2025-02-28'],
    ['2028-02-29', 'year', '2024-02-29', '2028-02-29'],
  ])('%s (%s, anchor %s) → %s', (date, period, anchor, start) => {
    expect(periodStart(date, period, anchor)).toBe(start);
  });
  it.each<[string, BillingPeriod, string, string, string]>([
    ['2024-02-10', 'month', '2024-01-31', '2024-01-31', '2024-02-28'],
    ['2024-03-01', 'month', '2024-01-31', '2024-02-29', '2024-03-30'],
    ['2025-06-30', 'quarter', '2025-01-01', '2025-04-01', '2025-06-30'],
    ['2025-12-31', 'year', '2025-01-01', '2025-01-01', '2025-12-31'],
  ])('periodContaining(%s, %s, %s) = %s..%s', (date, period, anchor, start, end) => {
    expect(periodContaining(date, period, anchor)).toEqual({ periodStart: start, periodEnd: end });
  });
  it('refuses a non-date', () => {
    expect(() => periodStart('2025-02-30', 'month', '2025-01-01')).toThrow(RangeError);
  });
});

describe('invoiceSchedule', () => {
  const whole = (periodStart: string, periodEnd: string) => ({
    periodStart,
    periodEnd,
    invoiceDate: periodStart,
    billedFrom: periodStart,
    billedUntil: periodEnd,
    partial: false,
  });
  it.each<[string, ContractTerms, string, string, ReturnType<typeof whole>[]]>([
    [
      'monthly from 31 January (leap year)',
      { startDate: '2024-01-31', period: 'month' },
      '2024-01-01',
      '2024-05-31',
      [
        whole('2024-01-31', '2024-02-28'),
        whole('2024-02-29', '2024-03-30'),
        whole('2024-03-31', '2024-04-29'),
        whole('2024-04-30', '2024-05-30'),
        whole('2024-05-31', '2024-06-29'),
      ],
    ],
    [
      'window in the middle: invoice dates inside [from, until] only',
      { startDate: '2025-01-15', period: 'month' },
      '2025-03-01',
      '2025-04-15',
      [whole('2025-03-15', '2025-04-14'), whole('2025-04-15', '2025-05-14')],
    ],
    [
      'quarterly',
      { startDate: '2025-01-01', period: 'quarter' },
      '2025-01-01',
      '2025-12-31',
      [whole('2025-01-01', '2025-03-31'), whole('2025-04-01', '2025-06-30'), whole('2025-07-01', '2025-09-30'), whole('2025-10-01', '2025-12-31')],
    ],
    [
      'yearly from 29 February',
      { startDate: '2024-02-29', period: 'year' },
      '2024-01-01',
      '2026-12-31',
      [whole('2024-02-29', '2025-02-27'), whole('2025-02-28', '2026-02-27'), whole('2026-02-28', '2027-02-27')],
    ],
    [
      'ends on a period end: no partial period',
      { startDate: '2025-01-15', endDate: '2025-03-14', period: 'month' },
      '2025-01-01',
      '2025-12-31',
      [whole('2025-01-15', '2025-02-14'), whole('2025-02-15', '2025-03-14')],
    ],
    ['until before from', { startDate: '2025-01-01', period: 'month' }, '2025-05-01', '2025-04-01', []],
    ['window before the start', { startDate: '2025-06-01', period: 'month' }, '2025-01-01', '2025-05-31', []],
  ])('%s', (_name, contract, from, until, expected) => {
    expect(invoiceSchedule(contract, from, until)).toEqual(expected);
  });

  it('ends mid-period: the last invoice is partial up to the end date', () => {
    const lines = invoiceSchedule({ startDate: '2025-01-15', endDate: '2025-04-30', period: 'month' }, '2025-01-01', '2025-12-31');
    expect(lines).toHaveLength(4);
    expect(lines[3]).toEqual({
      periodStart: '2025-04-15',
      periodEnd: '2025-05-14',
      invoiceDate: '2025-04-15',
      billedFrom: '2025-04-15',
      billedUntil: '2025-04-30',
      partial: true,
    });
    expect(lines.map((l) => periodAmountCents(3_000, l))).toEqual([3_000, 3_000, 3_000, 1_600]); // 16 of 30 days
  });

  it('calendar anchor: a contract starting mid-month gets a partial first period, invoiced on its start date', () => {
    const lines = invoiceSchedule({ startDate: '2025-01-20', anchorDate: '2025-01-01', period: 'month' }, '2025-01-01', '2025-03-31');
    expect(lines[0]).toEqual({
      periodStart: '2025-01-01',
      periodEnd: '2025-01-31',
      invoiceDate: '2025-01-20',
      billedFrom: '2025-01-20',
      billedUntil: '2025-01-31',
      partial: true,
    });
    expect(lines.map((l) => [l.periodStart, periodAmountCents(3_100, l)])).toEqual([
      ['2025-01-01', 1_200], // 12 of 31 days
      ['2025-02-01', 3_100],
      ['2025-03-01', 3_100],
    ]);
  });

  it('calendar quarters: start 10 February → 50 of 90 days', () => {
    const [first] = invoiceSchedule({ startDate: '2025-02-10', anchorDate: '2025-01-01', period: 'quarter' }, '2025-01-01', '2025-02-28');
    expect(first && periodAmountCents(9_000, first)).toBe(5_000);
  });

  it('refuses a contract that ends before it starts', () => {
    expect(() => invoiceSchedule({ startDate: '2025-02-01', endDate: '2025-01-31', period: 'month' }, '2025-01-01', '2025-12-31')).toThrow(RangeError);
  });
});

describe('proRataCents (calendar days of the period, half-up)', () => {
  it.each([
    ['whole February', 1_000, '2025-02-01', '2025-02-28', '2025-02-01', '2025-02-28', 1_000],
    ['wider active range = whole period', 1_000, '2025-02-01', '2025-02-28', '2024-01-01', '2030-01-01', 1_000],
    ['half of February', 1_000, '2025-02-01', '2025-02-28', '2025-02-15', '2025-03-31', 500],
    ['15 of 31 March days (483,87)', 1_000, '2025-03-01', '2025-03-31', '2025-03-17', '2025-12-31', 484],
    ['one March day (32,26)', 1_000, '2025-03-01', '2025-03-31', '2025-03-01', '2025-03-01', 32],
    ['half a cent rounds up', 1, '2025-01-01', '2025-01-02', '2025-01-02', '2025-01-02', 1],
    ['1,5 → 2', 3, '2025-01-01', '2025-01-02', '2025-01-01', '2025-01-01', 2],
    ['184 of 366 days in a leap year (6 032,79)', 12_000, '2024-01-01', '2024-12-31', '2024-07-01', '2024-12-31', 6_033],
    ['no overlap', 1_000, '2025-03-01', '2025-03-31', '2025-01-01', '2025-02-28', 0],
    ['active range inverted', 1_000, '2025-03-01', '2025-03-31', '2025-03-20', '2025-03-10', 0],
    ['zero amount', 0, '2025-03-01', '2025-03-31', '2025-03-10', '2025-03-20', 0],
  ])('%s', (_name, amount, ps, pe, from, until, cents) => {
    expect(proRataCents(amount, ps, pe, from, until)).toBe(cents);
  });
  it.each([
    [-1, '2025-03-01', '2025-03-31'],
    [1.5, '2025-03-01', '2025-03-31'],
    [100, '2025-03-31', '2025-03-01'],
    [100, '2025-02-30', '2025-03-31'],
  ])('refuses amount %s over %s..%s', (amount, ps, pe) => {
    expect(() => proRataCents(amount, ps, pe, ps, pe)).toThrow(RangeError);
  });
});

describe('nextInvoiceDate / nextUninvoicedPeriod', () => {
  const monthly31: ContractTerms = { startDate: '2025-01-31', period: 'month' };
  const ending: ContractTerms = { startDate: '2025-01-31', endDate: '2025-04-15', period: 'month' };
  it.each<[string, ContractTerms, string | undefined, string, string | undefined]>([
    ['nothing invoiced, before the start', monthly31, undefined, '2025-01-10', '2025-01-31'],
    ['nothing invoiced, start passed: catch up today', monthly31, undefined, '2025-02-10', '2025-02-10'],
    ['after the first period', monthly31, '2025-02-27', '2025-02-01', '2025-02-28'],
    ['after the clamped February', monthly31, '2025-03-30', '2025-03-01', '2025-03-31'],
    ['invoice date is today', monthly31, '2025-03-30', '2025-03-31', '2025-03-31'],
    ['last (partial) period still to come', ending, '2025-03-30', '2025-03-01', '2025-03-31'],
    ['everything invoiced up to the end date', ending, '2025-04-15', '2025-04-01', undefined],
    ['invoiced past the end', ending, '2025-04-29', '2025-04-01', undefined],
  ])('%s', (_name, contract, last, today, expected) => {
    expect(nextInvoiceDate(contract, last, today)).toBe(expected);
  });
  it('returns the period for the invoicing run', () => {
    expect(nextUninvoicedPeriod(ending, '2025-03-30')).toEqual({
      periodStart: '2025-03-31',
      periodEnd: '2025-04-29',
      invoiceDate: '2025-03-31',
      billedFrom: '2025-03-31',
      billedUntil: '2025-04-15',
      partial: true,
    });
  });
});

describe('effectiveFromNextPeriod / endDateForTermination', () => {
  const monthly31: ContractTerms = { startDate: '2025-01-31', period: 'month' };
  it.each<[string, ContractTerms, string, string | undefined]>([
    ['mid-period → next period start', monthly31, '2025-02-10', '2025-02-28'],
    ['on a period start → the period after (today’s invoice may be made)', monthly31, '2025-02-28', '2025-03-31'],
    ['before the contract starts → the start', monthly31, '2025-01-01', '2025-01-31'],
    ['quarterly', { startDate: '2025-01-15', period: 'quarter' }, '2025-03-01', '2025-04-15'],
    ['yearly', { startDate: '2025-01-15', period: 'year' }, '2025-01-16', '2026-01-15'],
    ['no period left before the end', { ...monthly31, endDate: '2025-03-15' }, '2025-03-20', undefined],
    ['a period left before the end', { ...monthly31, endDate: '2025-03-15' }, '2025-02-10', '2025-02-28'],
  ])('%s', (_name, contract, change, expected) => {
    expect(effectiveFromNextPeriod(contract, change)).toBe(expected);
  });
  it.each<[string, ContractTerms, string, string | undefined]>([
    ['notice mid-period → end of the current period', monthly31, '2025-02-10', '2025-02-27'],
    ['notice on a period start → end of that period', monthly31, '2025-02-28', '2025-03-30'],
    ['notice before the start → never runs', monthly31, '2025-01-10', undefined],
    ['an earlier end date stays', { ...monthly31, endDate: '2025-02-20' }, '2025-02-10', '2025-02-20'],
  ])('termination: %s', (_name, contract, notice, expected) => {
    expect(endDateForTermination(contract, notice)).toBe(expected);
  });
});

describe('periodsUpTo (what a first run would catch up)', () => {
  it.each<[string, BillingPeriod, string, number]>([
    ['2026-12-01', 'month', '2026-12-06', 1],
    ['2026-11-30', 'month', '2026-12-06', 2],
    ['2026-12-07', 'month', '2026-12-06', 0],
    ['2026-01-01', 'quarter', '2026-12-31', 4],
    ['2026-01-01', 'year', '2026-12-31', 1],
    ['1926-12-01', 'month', '2026-11-30', 1200],
    ['1926-11-01', 'month', '2026-11-30', 1201],
    ['1900-01-01', 'month', '2026-12-06', 1524],
    ['1900-01-01', 'year', '2026-12-06', 127],
  ])('%s per %s up to %s: %i', (start, period, today, n) => {
    expect(periodsUpTo(start, period, today)).toBe(n);
  });

  it('agrees with the schedule: MAX_BACKLOG_PERIODS periods can be invoiced, one more cannot', () => {
    const terms = (startDate: string): ContractTerms => ({ startDate, period: 'month' });
    expect(periodsUpTo('1927-01-01', 'month', '2026-11-30')).toBe(MAX_BACKLOG_PERIODS);
    expect(invoiceSchedule(terms('1927-01-01'), '1927-01-01', '2026-11-30')).toHaveLength(MAX_BACKLOG_PERIODS);
    expect(() => invoiceSchedule(terms('1926-12-01'), '1926-12-01', '2026-11-30')).toThrow(RangeError);
  });
});
