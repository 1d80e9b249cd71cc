/**
 * Small calendar helpers for billing on top of domain/dates.ts: month arithmetic with
 * month-end clamping, weekdays, and Dutch public holidays per the Algemene termijnenwet.
 * Dates are 'YYYY-MM-DD' strings; these compare correctly as plain strings.
 */
import { addDays, daysBetween, isCalendarDate } from '../dates.js';

export function assertDate(date: string, what = 'Date'): void {
  if (!isCalendarDate(date)) throw new RangeError(`${what} is not a calendar date (YYYY-MM-DD): ${String(date)}`);
}

export function ymd(date: string): [number, number, number] {
  assertDate(date);
  return [Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))];
}

export function toDate(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function daysInMonth(y: number, m: number): number {
  if (m === 2) return isLeapYear(y) ? 29 : 28;
  return [4, 6, 9, 11].includes(m) ? 30 : 31;
}

/**
 * `months` calendar months after `date`, keeping its day of month and clamping to the last day
 * of a shorter month: 2025-01-31 + 1 = 2025-02-28, 2024-01-31 + 1 = 2024-02-29,
 * 2025-01-31 + 2 = 2025-03-31. Negative `months` go back. Always compute from the same
 * anchor (anchor + n months), never step by step, so a clamped month does not shift the rest.
 */
export function addMonthsClamped(date: string, months: number): string {
  if (!Number.isSafeInteger(months)) throw new RangeError(`Months must be a whole number: ${months}`);
  const [y, m, d] = ymd(date);
  const index = y * 12 + (m - 1) + months;
  const ny = Math.floor(index / 12);
  const nm = index - ny * 12 + 1;
  return toDate(ny, nm, Math.min(d, daysInMonth(ny, nm)));
}

/** Whole calendar months from the month of `a` to the month of `b` (days ignored). */
export function monthIndexDiff(a: string, b: string): number {
  const [ya, ma] = ymd(a);
  const [yb, mb] = ymd(b);
  return (yb - ya) * 12 + (mb - ma);
}

export type Weekday = 'monday' | 'tuesday' | 'wednesday' | 'thursday' | 'friday' | 'saturday' | 'sunday';
const WEEKDAYS: readonly Weekday[] = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

/** Day of the week of a calendar date (1970-01-05 was a Monday). */
export function weekday(date: string): Weekday {
  const n = daysBetween('1970-01-05', date);
  return WEEKDAYS[((n % 7) + 7) % 7]!;
}

/**
 * Easter Sunday (Gregorian calendar), by the Anonymous Gregorian algorithm
 * (Meeus/Jones/Butcher). Valid for every year from 1583.
 */
export function easterSunday(year: number): string {
  if (!Number.isSafeInteger(year) || year < 1583 || year > 9999) throw new RangeError(`Year out of range: ${year}`);
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return toDate(year, month, day);
}

export interface PublicHoliday {
  date: string;
  /** Dutch name as used in the Algemene termijnenwet. */
  name: string;
}

/**
 * The "algemeen erkende feestdagen" of the Algemene termijnenwet (art. 3 lid 1): Nieuwjaarsdag,
 * Tweede Paasdag, Hemelvaartsdag, Koningsdag, 5 mei (Bevrijdingsdag), Tweede Pinksterdag,
 * Eerste en Tweede Kerstdag. Not Good Friday (Goede Vrijdag is not in the act).
 * - Koningsdag is 27 April, or 26 April when the 27th is a Sunday (Wet viering Koningsdag).
 * - 5 May is listed in the act as "de vijfde mei" without a lustrum condition, so it counts
 *   every year here (labour agreements that give the day off only every five years do not
 *   change the statutory term).
 * - Easter Sunday and Whit Sunday are Sundays and never working days anyway.
 * Sorted by date.
 */
export function dutchPublicHolidays(year: number): PublicHoliday[] {
  const easter = easterSunday(year);
  const kingsDay = weekday(toDate(year, 4, 27)) === 'sunday' ? toDate(year, 4, 26) : toDate(year, 4, 27);
  const list: PublicHoliday[] = [
    { date: toDate(year, 1, 1), name: 'Nieuwjaarsdag' },
    { date: addDays(easter, 1), name: 'Tweede Paasdag' },
    { date: kingsDay, name: 'Koningsdag' },
    { date: toDate(year, 5, 5), name: 'Bevrijdingsdag' },
    { date: addDays(easter, 39), name: 'Hemelvaartsdag' },
    { date: addDays(easter, 50), name: 'Tweede Pinksterdag' },
    { date: toDate(year, 12, 25), name: 'Eerste Kerstdag' },
    { date: toDate(year, 12, 26), name: 'Tweede Kerstdag' },
  ];
  return list.sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0));
}

/** The public holiday on this date, if any. */
export function publicHolidayOn(date: string): PublicHoliday | undefined {
  const [y] = ymd(date);
  return dutchPublicHolidays(y).find((h) => h.date === date);
}

/** A working day in the sense of the Algemene termijnenwet: not a Saturday, Sunday or public holiday. */
export function isWorkingDay(date: string): boolean {
  const wd = weekday(date);
  return wd !== 'saturday' && wd !== 'sunday' && publicHolidayOn(date) === undefined;
}

/** `date` itself when it is a working day, else the first working day after it (Atw art. 1). */
export function onOrNextWorkingDay(date: string): string {
  let d = date;
  for (let i = 0; i < 30 && !isWorkingDay(d); i++) d = addDays(d, 1);
  return d;
}

export function maxDate(a: string, b: string): string {
  return a >= b ? a : b;
}

export function minDate(a: string, b: string): string {
  return a <= b ? a : b;
}
