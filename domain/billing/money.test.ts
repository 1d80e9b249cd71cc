import { describe, expect, it } from 'vitest';
import { divideHalfUp, formatEuro, grossCents, parseEuroAmount, vatCents } from './money.js';

describe('divideHalfUp', () => {
  it.each([
    [10, 4, 3], // 2.5 → 3
    [9, 4, 2], // 2.25 → 2
    [11, 4, 3], // 2.75 → 3
    [-10, 4, -3], // -2.5 → -3 (away from zero)
    [-9, 4, -2],
    [0, 7, 0],
  ])('%i / %i = %i', (n, d, q) => {
    expect(divideHalfUp(n, d)).toBe(q);
  });
  it('refuses a zero denominator and fractions', () => {
    expect(() => divideHalfUp(1, 0)).toThrow(RangeError);
    expect(() => divideHalfUp(1.5, 2)).toThrow(RangeError);
  });
});

describe('vatCents / grossCents', () => {
  it.each([
    [10_000, 21, 2_100, 12_100],
    [50, 21, 11, 61], // 10,5 ct → 11 (half-up)
    [2, 21, 0, 2], // 0,42 ct → 0
    [3, 21, 1, 4], // 0,63 ct → 1
    [12_345, 21, 2_592, 14_937], // 2 592,45 → 2 592
    [12_346, 21, 2_593, 14_939], // 2 592,66 → 2 593
    [1_000, 9, 90, 1_090],
    [5, 10, 1, 6], // 0,5 → 1
    [99_999, 0, 0, 99_999],
    [1_000, 5.5, 55, 1_055], // two-decimal rates work exactly
    [-50, 21, -11, -61], // credit line mirrors the invoice line
    [-12_345, 21, -2_592, -14_937],
  ])('net %i at %s%% → VAT %i, gross %i', (net, rate, vat, gross) => {
    expect(vatCents(net, rate)).toBe(vat);
    expect(grossCents(net, rate)).toBe(gross);
  });
  it.each([
    [1.5, 21],
    [100, -1],
    [100, 101],
    [100, 21.123],
    [100, Number.NaN],
  ])('refuses net %s at %s%%', (net, rate) => {
    expect(() => vatCents(net, rate)).toThrow(RangeError);
  });
});

describe('formatEuro', () => {
  it.each([
    [0, '€ 0,00'],
    [5, '€ 0,05'],
    [100, '€ 1,00'],
    [99_999, '€ 999,99'],
    [100_000, '€ 1.000,00'],
    [123_456, '€ 1.234,56'],
    [123_456_789, '€ 1.234.567,89'],
    [-123_456, '€ -1.234,56'],
    [-5, '€ -0,05'],
  ])('%i → %s', (cents, text) => {
    expect(formatEuro(cents)).toBe(text);
  });
  it('refuses fractions of a cent', () => {
    expect(() => formatEuro(1.5)).toThrow(RangeError);
  });
});

describe('parseEuroAmount', () => {
  it.each([
    ['12,30', 1_230],
    ['12.30', 1_230],
    ['12', 1_200],
    ['12,3', 1_230],
    ['0,05', 5],
    [',50', 50],
    [' 7 ', 700],
    ['€ 12,30', 1_230],
    ['€12,30', 1_230],
    ['€\u00a012,30', 1_230],
    ['EUR 7,00', 700],
    ['1.234,56', 123_456],
    ['1,234.56', 123_456],
    ['1.234.567', 123_456_700],
    ['1,234,567', 123_456_700],
    ['1.234.567,89', 123_456_789],
    ['1234567,8', 123_456_780],
    ['0', 0],
  ])('%j → %i cents', (text, cents) => {
    expect(parseEuroAmount(text)).toEqual({ ok: true, value: cents });
  });
  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['-12,30', 'Negative'],
    ['€ -5', 'Negative'],
    ['-€ 5', 'Negative'],
    ['1.234', 'Ambiguous'],
    ['1,234', 'Ambiguous'],
    ['12,345', 'Ambiguous'],
    ['12,3456', 'two decimals'],
    ['12.', 'separator'],
    ['1.23.45', 'grouped by three'],
    ['1,234,56', 'grouped by three'],
    ['1.234,5,6', 'Two decimal separators'],
    ['12a', 'Not an amount'],
    ['1 234,56', 'Not an amount'],
    ['abc', 'Not an amount'],
    ['99999999999999999', 'too large'],
  ])('%j is refused (%s)', (text, message) => {
    const r = parseEuroAmount(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain(message);
  });
});
