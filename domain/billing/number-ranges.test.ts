import { describe, expect, it } from 'vitest';
import { invoiceNumberOf, rangesOf, splitRange } from './number-ranges.js';

describe('invoice number ranges', () => {
  it.each([
    [{ year: 2026, from: 1, to: 1 }, 250, [[1, 1]]],
    [{ year: 2026, from: 1, to: 250 }, 250, [[1, 250]]],
    [{ year: 2026, from: 1, to: 251 }, 250, [[1, 250], [251, 251]]],
    [{ year: 2026, from: 7, to: 16 }, 4, [[7, 10], [11, 14], [15, 16]]],
    [{ year: 2026, from: 5, to: 4 }, 4, []],
  ])('splitRange(%j, %i)', (range, size, want) => {
    expect(splitRange(range, size).map((r) => [r.from, r.to])).toEqual(want);
    for (const r of splitRange(range, size)) expect(r.year).toBe(2026);
  });

  it('refuses a size below one', () => {
    expect(() => splitRange({ year: 2026, from: 1, to: 2 }, 0)).toThrow(RangeError);
  });

  it.each([
    [2026, 1, '2026-00001'],
    [2026, 99999, '2026-99999'],
    [2026, 100000, '2026-100000'],
  ])('invoiceNumberOf(%i, %i) = %s', (year, seq, want) => {
    expect(invoiceNumberOf(year, seq)).toBe(want);
  });

  it('rangesOf groups consecutive numbers per year, in order, at most size each, duplicates once', () => {
    const seqs = [5, 1, 2, 3, 9, 10, 3].map((seq) => ({ year: 2026, seq }));
    expect(rangesOf([...seqs, { year: 2027, seq: 1 }], 2)).toEqual([
      { year: 2026, from: 1, to: 2 },
      { year: 2026, from: 3, to: 3 },
      { year: 2026, from: 5, to: 5 },
      { year: 2026, from: 9, to: 10 },
      { year: 2027, from: 1, to: 1 },
    ]);
    expect(rangesOf([])).toEqual([]);
  });
});
