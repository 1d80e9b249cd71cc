import { describe, expect, it } from 'vitest';
import { MAX_AMOUNT_CENTS } from './money.js';
import { checkManualBooking, DEFAULT_MANUAL_BOOKING_LIMIT_FACTOR, manualBookingLimitCents } from './plausibility.js';

describe('plausibility of a manual booking', () => {
  it.each<[string, { amountCents: number; confirmAmountCents?: number; totalCents: number; costsCents: number; factor: number }, boolean, boolean]>([
    // name, input, ok, confirmed
    ['the invoice total', { amountCents: 3_296, totalCents: 3_296, costsCents: 0, factor: 10 }, true, false],
    ['exactly at the limit', { amountCents: 32_960, totalCents: 3_296, costsCents: 0, factor: 10 }, true, false],
    ['one cent above the limit', { amountCents: 32_961, totalCents: 3_296, costsCents: 0, factor: 10 }, false, false],
    ['issue 15: € 21.474.836,47 on € 32,96', { amountCents: 2_147_483_647, totalCents: 3_296, costsCents: 0, factor: 10 }, false, false],
    ['the same, confirmed', { amountCents: 2_147_483_647, confirmAmountCents: 2_147_483_647, totalCents: 3_296, costsCents: 0, factor: 10 }, true, true],
    ['a confirmation of another amount', { amountCents: 2_147_483_647, confirmAmountCents: 2_147_483_646, totalCents: 3_296, costsCents: 0, factor: 10 }, false, false],
    ['the costs count in the limit', { amountCents: 40_000, totalCents: 3_000, costsCents: 4_000, factor: 10 }, true, false],
    ['factor 1: the total and costs only', { amountCents: 3_001, totalCents: 3_000, costsCents: 0, factor: 1 }, false, false],
    ['a zero invoice: every booking is confirmed', { amountCents: 1, totalCents: 0, costsCents: 0, factor: 10 }, false, false],
  ])('%s', (_name, input, ok, confirmed) => {
    const r = checkManualBooking(input);
    expect(r.ok).toBe(ok);
    if (r.ok) expect(r.confirmed).toBe(confirmed);
    else {
      expect(r.path).toBe('/body/confirmAmountCents');
      expect(r.message).toMatch(/confirmAmountCents|must equal amountCents/);
    }
  });

  it('the limit never exceeds the maximum amount', () => {
    expect(manualBookingLimitCents({ totalCents: MAX_AMOUNT_CENTS, costsCents: 0 }, 1_000)).toBe(MAX_AMOUNT_CENTS);
    expect(DEFAULT_MANUAL_BOOKING_LIMIT_FACTOR).toBe(10);
  });
});
