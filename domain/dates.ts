/**
 * Calendar helpers for Europe/Amsterdam with the time passed in (no clock here), so
 * workflows, activities and the API agree on "today" and on 09:00 local time across DST.
 * Calendar dates are strings 'YYYY-MM-DD'.
 */

export const AMSTERDAM = 'Europe/Amsterdam';

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written YYYY-MM-DD (2024-02-29 yes, 2023-02-29 no). */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = DATE_RE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  const dt = new Date(utcMs(y, mo - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d;
}

/**
 * The calendar dates the platform takes from outside (the API's DateSchema, step inputs): a range
 * every calendar computation, timer and PostgreSQL column handles with room to spare.
 */
export const DATE_MIN = '1900-01-01';
export const DATE_MAX = '2200-12-31';

/**
 * The written form of a date from DATE_MIN to DATE_MAX (years 1900-2200, months 01-12, days
 * 01-31), for schemas that cannot say `format: date` (TypeBox's Value.Check knows no formats).
 */
export const DATE_PATTERN = '^(?:19[0-9]{2}|2[01][0-9]{2}|2200)-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])$';

/** A calendar date (see isCalendarDate) from DATE_MIN to DATE_MAX. */
export function isDateInRange(value: unknown): value is string {
  return isCalendarDate(value) && value >= DATE_MIN && value <= DATE_MAX;
}

/** Date.UTC, also for the years 0-99 (which Date.UTC reads as 1900-1999). */
function utcMs(y: number, monthIndex: number, d: number, h = 0, mi = 0, sec = 0): number {
  const dt = new Date(Date.UTC(2000, 0, 1, h, mi, sec));
  dt.setUTCFullYear(y, monthIndex, d);
  return dt.getTime();
}

function parse(date: string): [number, number, number] {
  if (!isCalendarDate(date)) throw new RangeError(`Not a calendar date (YYYY-MM-DD): ${date}`);
  return [Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))];
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function format(y: number, m: number, d: number): string {
  return `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** Wall-clock fields of an instant in a time zone. */
function wallClock(at: Date, tz: string): { y: number; m: number; d: number; h: number; mi: number; s: number } {
  const parts: Record<string, number> = {};
  for (const p of formatterFor(tz).formatToParts(at)) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return { y: parts.year!, m: parts.month!, d: parts.day!, h: parts.hour! % 24, mi: parts.minute!, s: parts.second! };
}

/** Offset of the zone at an instant, in ms (local - UTC); +3_600_000 for CET, +7_200_000 for CEST. */
export function zoneOffsetMs(at: Date, tz: string = AMSTERDAM): number {
  const w = wallClock(at, tz);
  const asUtc = utcMs(w.y, w.m - 1, w.d, w.h, w.mi, w.s);
  return asUtc - Math.floor(at.getTime() / 1000) * 1000;
}

/** The calendar date in Amsterdam at the given instant. */
export function todayInAmsterdam(now: Date): string {
  return dateInZone(now, AMSTERDAM);
}

/** The wall-clock time `HH:MM:SS` in Amsterdam at the given instant (HDN's VerzendTijd). */
export function timeInAmsterdam(now: Date): string {
  const w = wallClock(now, AMSTERDAM);
  return `${pad(w.h)}:${pad(w.mi)}:${pad(w.s)}`;
}

/** The calendar date in a time zone at the given instant. */
export function dateInZone(now: Date, tz: string): string {
  const w = wallClock(now, tz);
  return format(w.y, w.m, w.d);
}

/** Calendar arithmetic: the date `n` days after (or before, when negative) `date`. */
export function addDays(date: string, n: number): string {
  const [y, m, d] = parse(date);
  const dt = new Date(utcMs(y, m - 1, d + n));
  return format(dt.getUTCFullYear(), dt.getUTCMonth() + 1, dt.getUTCDate());
}

/** Whole days from `a` to `b` (positive when b is later). */
export function daysBetween(a: string, b: string): number {
  const [ya, ma, da] = parse(a);
  const [yb, mb, db] = parse(b);
  return Math.round((utcMs(yb, mb - 1, db) - utcMs(ya, ma - 1, da)) / 86_400_000);
}

/**
 * The instant at which the wall clock in `tz` shows `hour`:00 on `date`.
 * Around DST: an hour that does not exist (02:00 on the last Sunday of March in Amsterdam)
 * maps to the instant one hour later on the wall clock (03:00 CEST); an hour that occurs
 * twice (02:00 on the last Sunday of October) maps to its first occurrence (CEST).
 */
export function instantAt(date: string, hour: number, tz: string = AMSTERDAM): Date {
  if (!Number.isInteger(hour) || hour < 0 || hour > 23) throw new RangeError(`Hour must be 0..23: ${hour}`);
  const [y, m, d] = parse(date);
  const wall = utcMs(y, m - 1, d, hour);
  // Try the offsets in force shortly before and after; keep candidates whose wall clock matches.
  const offsets = new Set([
    zoneOffsetMs(new Date(wall - 86_400_000), tz),
    zoneOffsetMs(new Date(wall), tz),
    zoneOffsetMs(new Date(wall + 86_400_000), tz),
  ]);
  const candidates: number[] = [];
  for (const off of offsets) {
    const t = wall - off;
    if (zoneOffsetMs(new Date(t), tz) === off) candidates.push(t);
  }
  if (candidates.length > 0) return new Date(Math.min(...candidates));
  // Gap (the hour does not exist): take the offset before the jump, which lands after it.
  const before = zoneOffsetMs(new Date(wall - 86_400_000), tz);
  return new Date(wall - before);
}
