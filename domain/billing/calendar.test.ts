import { describe, expect, it } from 'vitest';
import { addMonthsClamped, dutchPublicHolidays, easterSunday, isWorkingDay, onOrNextWorkingDay, weekday } from './calendar.js';

describe('addMonthsClamped', () => {
  it.each([
    ['2025-01-31', 1, '2025-02-28'],
    ['2024-01-31', 1, '2024-02-29'],
    ['2025-01-31', 2, '2025-03-31'],
    ['2025-01-15', 12, '2026-01-15'],
    ['2025-03-31', -1, '2025-02-28'],
    ['2025-01-31', -2, '2024-11-30'],
    ['2024-02-29', 12, '2025-02-28'],
    ['2024-02-29', 48, '2028-02-29'],
  ])('%s + %i months = %s', (date, n, expected) => {
    expect(addMonthsClamped(date, n)).toBe(expected);
  });
});

describe('weekday', () => {
  it.each([
    ['1970-01-05', 'monday'],
    ['2025-04-27', 'sunday'],
    ['2026-04-27', 'monday'],
    ['2025-12-25', 'thursday'],
    ['1969-12-31', 'wednesday'],
  ])('%s is a %s', (date, wd) => {
    expect(weekday(date)).toBe(wd);
  });
});

describe('easterSunday (Anonymous Gregorian algorithm)', () => {
  it.each([
    [1818, '1818-03-22'], // earliest possible
    [1943, '1943-04-25'], // latest possible
    [2000, '2000-04-23'],
    [2008, '2008-03-23'],
    [2024, '2024-03-31'],
    [2025, '2025-04-20'],
    [2026, '2026-04-05'],
    [2027, '2027-03-28'],
    [2038, '2038-04-25'],
  ])('%i → %s', (year, date) => {
    expect(easterSunday(year)).toBe(date);
  });
});

describe('dutchPublicHolidays (Algemene termijnenwet)', () => {
  it.each([
    [2025, ['2025-01-01', '2025-04-21', '2025-04-26', '2025-05-05', '2025-05-29', '2025-06-09', '2025-12-25', '2025-12-26']], // Koningsdag on Saturday 26th
    [2026, ['2026-01-01', '2026-04-06', '2026-04-27', '2026-05-05', '2026-05-14', '2026-05-25', '2026-12-25', '2026-12-26']],
    [2027, ['2027-01-01', '2027-03-29', '2027-04-27', '2027-05-05', '2027-05-06', '2027-05-17', '2027-12-25', '2027-12-26']],
  ])('%i', (year, dates) => {
    expect(dutchPublicHolidays(year).map((h) => h.date)).toEqual(dates);
  });
  it('names them', () => {
    expect(dutchPublicHolidays(2025).map((h) => h.name)).toEqual([
      'Nieuwjaarsdag',
      'Tweede Paasdag',
      'Koningsdag',
      'Bevrijdingsdag',
      'Hemelvaartsdag',
      'Tweede Pinksterdag',
      'Eerste Kerstdag',
      'Tweede Kerstdag',
    ]);
  });
});

describe('isWorkingDay / onOrNextWorkingDay', () => {
  it.each([
    ['2025-04-18', true], // Good Friday is not a statutory holiday
    ['2025-04-21', false], // Easter Monday
    ['2025-04-26', false], // Koningsdag 2025 (27th is a Sunday)
    ['2025-04-28', true],
    ['2025-05-05', false], // Bevrijdingsdag, every year
    ['2030-05-05', false], // (a Sunday anyway)
    ['2025-05-29', false], // Ascension
    ['2025-06-09', false], // Whit Monday
    ['2025-12-24', true],
    ['2025-12-25', false],
    ['2025-12-26', false],
    ['2025-12-27', false], // Saturday
    ['2025-12-28', false], // Sunday
    ['2025-12-29', true],
  ])('%s → %s', (date, working) => {
    expect(isWorkingDay(date)).toBe(working);
  });
  it.each([
    ['2025-12-24', '2025-12-24'],
    ['2025-12-25', '2025-12-29'],
    ['2025-05-03', '2025-05-06'], // Sat, Sun, Bevrijdingsdag
    ['2026-12-25', '2026-12-28'],
  ])('onOrNextWorkingDay(%s) = %s', (date, expected) => {
    expect(onOrNextWorkingDay(date)).toBe(expected);
  });
});
