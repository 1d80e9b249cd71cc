/**
 * The periods of the RC overviews (*filteren op jaren of periodes*, seed 000): a whole year, a
 * quarter or a month, as inclusive date bounds (YYYY-MM-DD) the queries filter entry dates on.
 */
export const overviewPeriods = ['year', 'Q1', 'Q2', 'Q3', 'Q4', 'M01', 'M02', 'M03', 'M04', 'M05', 'M06', 'M07', 'M08', 'M09', 'M10', 'M11', 'M12'] as const;
export type OverviewPeriod = (typeof overviewPeriods)[number];

export const MIN_OVERVIEW_YEAR = 1900;
export const MAX_OVERVIEW_YEAR = 2200;

const pad = (n: number) => String(n).padStart(2, '0');

function lastDayOfMonth(year: number, month: number): number {
  // Day 0 of the next month is the last day of this one; UTC so no zone shifts the date.
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** First and last day (inclusive) of the year's period. */
export function periodBounds(year: number, period: OverviewPeriod = 'year'): { from: string; to: string } {
  if (!Number.isInteger(year) || year < MIN_OVERVIEW_YEAR || year > MAX_OVERVIEW_YEAR) throw new RangeError(`year out of range: ${year}`);
  let first = 1;
  let last = 12;
  if (period.startsWith('Q')) {
    const q = Number(period.slice(1));
    first = (q - 1) * 3 + 1;
    last = first + 2;
  } else if (period.startsWith('M')) {
    first = last = Number(period.slice(1));
  }
  return { from: `${year}-${pad(first)}-01`, to: `${year}-${pad(last)}-${pad(lastDayOfMonth(year, last))}` };
}

/**
 * Whether the inclusive bounds cover whole calendar months: `from` the first of a month and `to`
 * the last day of a month (not before `from`). Every period above does; the overviews then read
 * the month totals instead of the lines.
 */
export function coversWholeMonths(from: string, to: string): boolean {
  const f = /^(\d{4})-(\d{2})-(\d{2})$/.exec(from);
  const t = /^(\d{4})-(\d{2})-(\d{2})$/.exec(to);
  if (!f || !t || from > to) return false;
  const [ty, tm, td] = [Number(t[1]), Number(t[2]), Number(t[3])];
  return f[3] === '01' && Number(f[2]) >= 1 && Number(f[2]) <= 12 && tm >= 1 && tm <= 12 && td === lastDayOfMonth(ty, tm);
}
