import { describe, expect, it } from 'vitest';
import { collectionCosts, isSmallRecurringClaim } from './collection-costs.js';
import { type BillingPeriod } from './periods.js';

describe('collectionCosts: statutory scale (exact cents)', () => {
  it.each([
    ['nothing outstanding', 0, 0],
    ['€ 100 → 15 = € 15, minimum', 10_000, 4_000],
    ['€ 266,66 → 39,999 → 40,00', 26_666, 4_000],
    ['€ 266,67 → 40,0005 → 40,00', 26_667, 4_000],
    ['€ 266,70 → 40,005 → 40,01 (half-up)', 26_670, 4_001],
    ['€ 1.000', 100_000, 15_000],
    ['€ 1.234,56 → 185,184', 123_456, 18_518],
    ['€ 2.500,00 (first bracket full)', 250_000, 37_500],
    ['€ 2.500,01 → 375,001', 250_001, 37_500],
    ['€ 3.333,33 → 375 + 83,333', 333_333, 45_833],
    ['€ 5.000', 500_000, 62_500],
    ['€ 5.000,05 → 625,0025', 500_005, 62_500],
    ['€ 10.000', 1_000_000, 87_500],
    ['€ 200.000', 20_000_000, 277_500],
    ['€ 200.000,01 → 2.775,00005', 20_000_001, 277_500],
    ['€ 500.000 → 2.775 + 1.500', 50_000_000, 427_500],
    ['€ 1.000.000 → exactly the maximum', 100_000_000, 677_500],
    ['€ 1.000.000,01 → maximum', 100_000_001, 677_500],
    ['€ 100 million → maximum', 10_000_000_000, 677_500],
  ])('%s', (_name, principal, costs) => {
    expect(collectionCosts({ principalCents: principal }).costsCents).toBe(costs);
  });

  it('explains the rule', () => {
    expect(collectionCosts({ principalCents: 333_333 }).rule).toBe(
      'Statutory scale on € 3.333,33: 15% of € 2.500,00 + 10% of € 833,33 = € 458,33',
    );
    expect(collectionCosts({ principalCents: 10_000 }).rule).toContain('raised to the minimum of € 40,00');
    expect(collectionCosts({ principalCents: 200_000_000 }).rule).toContain('limited to the maximum of € 6.775,00');
    expect(collectionCosts({ principalCents: 30_000_000 }).rule).toContain('0,5% of € 100.000,00');
  });
});

describe('collectionCosts: small recurring claims cap (€ 140 per 6 months)', () => {
  it.each([
    ['first claim in the window: € 40', 5_000, 5_000, 0, 4_000],
    ['€ 120 used: € 20 left', 5_000, 5_000, 12_000, 2_000],
    ['€ 140 used: nothing', 5_000, 5_000, 14_000, 0],
    ['more than € 140 used (history): nothing', 5_000, 5_000, 15_000, 0],
    ['larger arrears capped at € 140', 100_000, 5_000, 0, 14_000],
    ['€ 266,66 a month is small', 5_000, 26_666, 14_000, 0],
    ['€ 266,67 a month is not small', 5_000, 26_667, 14_000, 4_000],
    ['not recurring: no cap', 100_000, undefined, 14_000, 15_000],
  ])('%s', (_name, principal, monthly, already, costs) => {
    const input = {
      principalCents: principal,
      costsAlreadyChargedInWindowCents: already,
      ...(monthly === undefined ? {} : { recurringMonthlyCents: monthly }),
    };
    expect(collectionCosts(input).costsCents).toBe(costs);
  });
  it('explains the cap', () => {
    const r = collectionCosts({ principalCents: 5_000, recurringMonthlyCents: 5_000, costsAlreadyChargedInWindowCents: 12_000 });
    expect(r.rule).toContain('at most € 140,00 per 6 months, € 120,00 already charged, so € 20,00');
  });
  it.each([
    [{ principalCents: 1.5 }],
    [{ principalCents: 100, recurringMonthlyCents: -1 }],
    [{ principalCents: 100, costsAlreadyChargedInWindowCents: -1 }],
  ])('refuses %j', (input) => {
    expect(() => collectionCosts(input)).toThrow(RangeError);
  });
});

describe('isSmallRecurringClaim', () => {
  it.each<[number, BillingPeriod, boolean]>([
    [26_666, 'month', true],
    [26_667, 'month', false],
    [80_000, 'quarter', true], // € 266,666… a month
    [80_001, 'quarter', false],
    [320_003, 'year', true],
    [320_004, 'year', false],
  ])('%i per %s → %s', (amount, period, small) => {
    expect(isSmallRecurringClaim(amount, period)).toBe(small);
  });
});
