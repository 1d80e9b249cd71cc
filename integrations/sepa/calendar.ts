/**
 * TARGET2 (SEPA) business days: every day except Saturday, Sunday, New Year's Day, Good Friday,
 * Easter Monday, 1 May, 25 and 26 December. Collection dates must be TARGET days; national
 * holidays (King's Day) do not count for SEPA.
 */
import { easterSunday } from '../../domain/billing/calendar.js';
import { addDays, isCalendarDate } from '../../domain/dates.js';

export { easterSunday };

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
