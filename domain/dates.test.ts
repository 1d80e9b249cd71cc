import { describe, expect, it } from 'vitest';
import { addDays, DATE_PATTERN, daysBetween, instantAt, isCalendarDate, isDateInRange, timeInAmsterdam, todayInAmsterdam } from './dates.js';

describe('todayInAmsterdam', () => {
  it.each([
    ['2025-01-15T22:59:59Z', '2025-01-15'], // 23:59:59 CET
    ['2025-01-15T23:00:00Z', '2025-01-16'], // midnight CET
    ['2025-06-30T21:59:59Z', '2025-06-30'], // 23:59:59 CEST
    ['2025-06-30T22:00:00Z', '2025-07-01'], // midnight CEST
    ['2025-12-31T23:30:00Z', '2026-01-01'],
  ])('%s → %s', (iso, date) => {
    expect(todayInAmsterdam(new Date(iso))).toBe(date);
  });
});

describe('timeInAmsterdam', () => {
  it.each([
    ['2026-01-15T08:05:09Z', '09:05:09'], // CET
    ['2026-07-15T08:05:09Z', '10:05:09'], // CEST
    ['2026-03-29T00:59:59Z', '01:59:59'], // the last second before the spring change
    ['2026-03-29T01:00:00Z', '03:00:00'],
    ['2026-12-31T23:00:00Z', '00:00:00'],
  ])('%s is %s in Amsterdam', (instant, expected) => {
    expect(timeInAmsterdam(new Date(instant))).toBe(expected);
  });
});

describe('addDays / daysBetween / isCalendarDate', () => {
  it.each([
    ['2024-02-28', 1, '2024-02-29'],
    ['2023-02-28', 1, '2023-03-01'],
    ['2025-01-01', -1, '2024-12-31'],
    ['2025-03-29', 1, '2025-03-30'], // across DST: calendar days, not 24h
    ['2025-10-20', 7, '2025-10-27'],
  ])('%s + %i = %s', (date, n, expected) => {
    expect(addDays(date, n)).toBe(expected);
    expect(daysBetween(date, expected)).toBe(n);
  });
  it.each([
    ['2024-02-29', true],
    ['2023-02-29', false],
    ['2025-04-31', false],
    ['2025-00-10', false],
    ['2025-1-10', false],
    ['', false],
    [20250101, false],
  ])('isCalendarDate(%j) = %s', (v, ok) => {
    expect(isCalendarDate(v)).toBe(ok);
  });
  it('refuses a non-date', () => {
    expect(() => addDays('2025-02-30', 1)).toThrow(RangeError);
  });
});

describe('instantAt (Europe/Amsterdam, DST)', () => {
  it.each([
    ['2025-01-15', 9, '2025-01-15T08:00:00.000Z'], // CET (+1)
    ['2025-07-15', 9, '2025-07-15T07:00:00.000Z'], // CEST (+2)
    ['2025-03-29', 9, '2025-03-29T08:00:00.000Z'], // day before spring forward
    ['2025-03-30', 9, '2025-03-30T07:00:00.000Z'], // spring-forward day, after the jump
    ['2025-03-30', 1, '2025-03-30T00:00:00.000Z'], // before the jump (CET)
    ['2025-03-30', 2, '2025-03-30T01:00:00.000Z'], // 02:00 does not exist → 03:00 CEST
    ['2025-03-30', 3, '2025-03-30T01:00:00.000Z'],
    ['2025-10-26', 9, '2025-10-26T08:00:00.000Z'], // fall-back day, after (CET)
    ['2025-10-26', 2, '2025-10-26T00:00:00.000Z'], // 02:00 twice → first (CEST)
    ['2025-10-26', 3, '2025-10-26T02:00:00.000Z'],
    ['2025-10-26', 0, '2025-10-25T22:00:00.000Z'],
  ])('%s %i:00 → %s', (date, hour, iso) => {
    expect(instantAt(date, hour).toISOString()).toBe(iso);
  });
  it('round-trips with todayInAmsterdam', () => {
    expect(todayInAmsterdam(instantAt('2025-10-26', 0))).toBe('2025-10-26');
    expect(todayInAmsterdam(instantAt('2025-03-30', 23))).toBe('2025-03-30');
  });
  it('supports other zones', () => {
    expect(instantAt('2025-07-01', 9, 'UTC').toISOString()).toBe('2025-07-01T09:00:00.000Z');
    expect(instantAt('2025-07-01', 9, 'America/New_York').toISOString()).toBe('2025-07-01T13:00:00.000Z');
  });
  it('refuses a bad hour', () => {
    expect(() => instantAt('2025-07-01', 24)).toThrow(RangeError);
  });
});

describe('the dates the platform takes (1900-01-01 to 2200-12-31)', () => {
  it.each([
    ['1900-01-01', true],
    ['2200-12-31', true],
    ['2000-02-29', true],
    ['1899-12-31', false],
    ['2201-01-01', false],
    ['0041-12-18', false],
    ['0000-01-01', false],
    ['2100-02-29', false], // not a leap year
  ])('%s → %s', (date, ok) => {
    expect(isDateInRange(date)).toBe(ok);
    if (ok) expect(new RegExp(DATE_PATTERN).test(date)).toBe(true);
  });

  it('DATE_PATTERN bounds years, months and days', () => {
    for (const bad of ['1899-12-31', '2201-01-01', '2026-13-01', '2026-00-10', '2026-01-32', '2026-1-01']) expect(new RegExp(DATE_PATTERN).test(bad)).toBe(false);
  });

  it('calendar arithmetic holds for the years 0-99 too (Date.UTC reads them as 1900-1999)', () => {
    expect(addDays('0041-12-18', 1)).toBe('0041-12-19');
    expect(addDays('0099-12-31', 1)).toBe('0100-01-01');
    expect(daysBetween('0041-12-18', '0042-12-18')).toBe(365);
  });
});
