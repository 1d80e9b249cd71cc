/**
 * TARGET2 (SEPA) business days: every day except Saturday, Sunday, New Year's Day, Good Friday,
 * Easter Monday, 1 May, 25 and 26 December. Collection dates must be TARGET days; national
 * holidays (King's Day) do not count for SEPA.
 */
import { addDays, isCalendarDate } from '../../domain/dates.js';

/** Easter Sunday (Gregorian, anonymous algorithm), YYYY-MM-DD. */
export function easterSunday(year: number): string {
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
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Why a date is not a TARGET business day, or undefined when it is one. */
export function targetClosingReason(date: string): string | undefined {
  if (!isCalendarDate(date)) throw new RangeError(`Not a calendar date (YYYY-MM-DD): ${date}`);
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  if (weekday === 0) return 'a Sunday';
  if (weekday === 6) return 'a Saturday';
  const monthDay = date.slice(5);
  if (monthDay === '01-01') return "New Year's Day";
  if (monthDay === '05-01') return 'Labour Day (1 May)';
  if (monthDay === '12-25') return 'Christmas Day';
  if (monthDay === '12-26') return 'Boxing Day (26 December)';
  const easter = easterSunday(Number(date.slice(0, 4)));
  if (date === addDays(easter, -2)) return 'Good Friday';
  if (date === addDays(easter, 1)) return 'Easter Monday';
  return undefined;
}

export function isTargetBusinessDay(date: string): boolean {
  return targetClosingReason(date) === undefined;
}

/** The first TARGET business day on or after `date` (after, when `strictlyAfter`). */
export function nextTargetBusinessDay(date: string, strictlyAfter = false): string {
  let d = strictlyAfter ? addDays(date, 1) : date;
  while (!isTargetBusinessDay(d)) d = addDays(d, 1);
  return d;
}
