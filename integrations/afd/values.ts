/**
 * AFD value formats, for the mappings on top of the generic model: dates YYYYMMDD, decimals with
 * a point, J/N booleans. Parsers return undefined for text that is not such a value (the mapping
 * knows which label it read and says so); formatters throw RangeError for a value our own code
 * got wrong.
 */

const YYYYMMDD = /^([0-9]{4})([0-9]{2})([0-9]{2})$/;
const ISO_DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;

/** True when year, month and day name a real calendar day (no 20260230). */
function isCalendarDay(y: number, m: number, d: number): boolean {
  if (y < 1 || m < 1 || m > 12 || d < 1) return false;
  // Date.UTC maps years 0-99 to 1900-1999: set the year explicitly.
  const date = new Date(Date.UTC(2000, m - 1, d));
  date.setUTCFullYear(y);
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** "20260131" -> "2026-01-31"; undefined for anything that is not a real calendar day. */
export function parseAfdDate(raw: string): string | undefined {
  const m = YYYYMMDD.exec(raw);
  if (!m || !isCalendarDay(Number(m[1]), Number(m[2]), Number(m[3]))) return undefined;
  return `${m[1]}-${m[2]}-${m[3]}`;
}

/** "2026-01-31" -> "20260131"; RangeError for anything that is not a real calendar day. */
export function formatAfdDate(iso: string): string {
  const m = ISO_DATE.exec(iso);
  if (!m || !isCalendarDay(Number(m[1]), Number(m[2]), Number(m[3]))) throw new RangeError(`not an ISO calendar date: ${JSON.stringify(iso)}`);
  return `${m[1]}${m[2]}${m[3]}`;
}

const DECIMAL = /^(-?)([0-9]+)(?:\.([0-9]+))?$/;

/**
 * An AFD decimal ("1234.5", "-0.25", "12") as a whole number of 10^-scale units, exactly (no
 * floating point): parseAfdDecimal("12.3", 2) = 1230 (cents). Undefined when the text is not a
 * decimal with a point (a comma, a thousands separator, an exponent, blanks), has more decimals
 * than `scale` (digits would be lost), or does not fit a safe integer.
 *
 * REFERENCE.md does not spell out AFD's decimal notation; the point and the optional minus are
 * what the public samples and our RISK fixtures show.
 */
export function parseAfdDecimal(raw: string, scale: number): number | undefined {
  checkScale(scale);
  const m = DECIMAL.exec(raw);
  if (!m) return undefined;
  const fraction = m[3] ?? '';
  if (fraction.length > scale) {
    // Trailing zeros beyond the scale lose nothing ("12.300" at scale 2).
    if (!/^0*$/.test(fraction.slice(scale))) return undefined;
  }
  const digits = `${m[2]}${fraction.slice(0, scale).padEnd(scale, '0')}`;
  const units = BigInt(digits) * (m[1] === '-' ? -1n : 1n);
  if (units > BigInt(Number.MAX_SAFE_INTEGER) || units < -BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
  const n = Number(units);
  return Object.is(n, -0) ? 0 : n;
}

/** Whole 10^-scale units -> AFD decimal with exactly `scale` decimals: formatAfdDecimal(1230, 2) = "12.30". */
export function formatAfdDecimal(units: number, scale: number): string {
  checkScale(scale);
  if (!Number.isSafeInteger(units)) throw new RangeError(`not a safe whole number of units: ${units}`);
  const sign = units < 0 ? '-' : '';
  const digits = String(Math.abs(units)).padStart(scale + 1, '0');
  if (scale === 0) return `${sign}${digits}`;
  return `${sign}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

function checkScale(scale: number): void {
  if (!Number.isInteger(scale) || scale < 0 || scale > 8) throw new RangeError(`decimal scale must be 0..8, got ${scale}`);
}

/** "J" -> true, "N" -> false (AFD's Dutch ja/nee); undefined for anything else, lower case included. */
export function parseAfdBoolean(raw: string): boolean | undefined {
  return raw === 'J' ? true : raw === 'N' ? false : undefined;
}

export function formatAfdBoolean(value: boolean): 'J' | 'N' {
  return value ? 'J' : 'N';
}
