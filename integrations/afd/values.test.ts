import { describe, expect, it } from 'vitest';
import { formatAfdBoolean, formatAfdDate, formatAfdDecimal, parseAfdBoolean, parseAfdDate, parseAfdDecimal } from './values.js';

describe('AFD dates (YYYYMMDD)', () => {
  const good: [string, string][] = [
    ['20260131', '2026-01-31'],
    ['19800229', '1980-02-29'],
    ['20000229', '2000-02-29'],
    ['00010101', '0001-01-01'],
    ['00990615', '0099-06-15'],
    ['99991231', '9999-12-31'],
  ];
  it.each(good)('%s <-> %s', (afd, iso) => {
    expect(parseAfdDate(afd)).toBe(iso);
    expect(formatAfdDate(iso)).toBe(afd);
  });

  const bad = ['', '2026013', '202601311', '2026-01-31', '20260230', '19000229', '20261301', '20260001', '20260100', '00000000', '2026013a', ' 20260131', '２０２６０１３１'];
  it.each(bad)('refuses %j', (raw) => {
    expect(parseAfdDate(raw)).toBeUndefined();
  });

  it.each(['20260131', '2026-02-30', '2026-1-31', ''])('formatAfdDate refuses %j', (iso) => {
    expect(() => formatAfdDate(iso)).toThrow(RangeError);
  });
});

describe('AFD decimals', () => {
  const parsed: [string, number, number | undefined][] = [
    ['123.45', 2, 12345],
    ['12.3', 2, 1230],
    ['12', 2, 1200],
    ['0.05', 2, 5],
    ['-0.25', 2, -25],
    ['-0', 2, 0],
    ['12.300', 2, 1230],
    ['12.345', 2, undefined],
    ['250000.00', 2, 25000000],
    ['51.9169430', 7, 519169430],
    ['7', 0, 7],
    ['7.0', 0, 7],
    ['7.5', 0, undefined],
    ['12,30', 2, undefined],
    ['1.234,56', 2, undefined],
    ['1e3', 2, undefined],
    ['+1', 2, undefined],
    ['.5', 2, undefined],
    ['5.', 2, undefined],
    [' 5', 2, undefined],
    ['', 2, undefined],
    // Number.MAX_SAFE_INTEGER cents is the largest amount; one cent more is refused.
    ['90071992547409.91', 2, Number.MAX_SAFE_INTEGER],
    ['90071992547409.92', 2, undefined],
    ['-90071992547409.92', 2, undefined],
    ['90071992547409.91', 0, undefined],
    ['90071992547409.91', 1, undefined],
    ['90071992547409.9', 2, 9007199254740990],
    ['900719925474.09', 2, 90071992547409],
  ];
  it.each(parsed)('parseAfdDecimal(%j, %i) = %s', (raw, scale, units) => {
    expect(parseAfdDecimal(raw, scale)).toBe(units);
  });

  const formatted: [number, number, string][] = [
    [12345, 2, '123.45'],
    [1230, 2, '12.30'],
    [5, 2, '0.05'],
    [-25, 2, '-0.25'],
    [-5, 2, '-0.05'],
    [0, 2, '0.00'],
    [7, 0, '7'],
    [519169430, 7, '51.9169430'],
  ];
  it.each(formatted)('formatAfdDecimal(%i, %i) = %j and back', (units, scale, text) => {
    expect(formatAfdDecimal(units, scale)).toBe(text);
    expect(parseAfdDecimal(text, scale)).toBe(units);
  });

  it('refuses nonsense scales and units', () => {
    expect(() => parseAfdDecimal('1', -1)).toThrow(RangeError);
    expect(() => parseAfdDecimal('1', 9)).toThrow(RangeError);
    expect(() => formatAfdDecimal(1.5, 2)).toThrow(RangeError);
    expect(() => formatAfdDecimal(Number.MAX_SAFE_INTEGER + 1, 2)).toThrow(RangeError);
    expect(() => formatAfdDecimal(1, 0.5)).toThrow(RangeError);
  });
});

describe('AFD booleans (J/N)', () => {
  const cases: [string, boolean | undefined][] = [
    ['J', true],
    ['N', false],
    ['j', undefined],
    ['n', undefined],
    ['Y', undefined],
    ['', undefined],
    ['JA', undefined],
    ['1', undefined],
  ];
  it.each(cases)('parseAfdBoolean(%j) = %s', (raw, value) => {
    expect(parseAfdBoolean(raw)).toBe(value);
  });
  it('formats and reads back', () => {
    expect(formatAfdBoolean(true)).toBe('J');
    expect(formatAfdBoolean(false)).toBe('N');
    expect(parseAfdBoolean(formatAfdBoolean(true))).toBe(true);
  });
});
