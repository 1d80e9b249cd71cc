/** Values of PostgreSQL columns as the platform uses them, whatever the driver returned. */

/** A calendar date column (pg `date`) as `YYYY-MM-DD`. */
export function isoDate(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) {
    const y = value.getFullYear();
    const m = String(value.getMonth() + 1).padStart(2, '0');
    const d = String(value.getDate()).padStart(2, '0');
    return `${y}-${m}-${d}`;
  }
  return String(value).slice(0, 10);
}

/**
 * A whole number from the database as a JS number: an `int8`/`bigint` column (pg hands those over
 * as text), a `numeric` aggregate (`sum(amount_cents)`), or a number already. Refuses (RangeError)
 * anything that is not a whole number or lies beyond Number.MAX_SAFE_INTEGER, where a JS number
 * would silently stop being exact: money is read through here and never rounded. null/undefined
 * stay null.
 */
export function safeIntegerOf(value: unknown, what = 'value'): number | null {
  if (value === null || value === undefined) return null;
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'bigint') {
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw new RangeError(`${what} ${value} lies beyond Number.MAX_SAFE_INTEGER`);
    }
    n = Number(value);
  } else if (typeof value === 'string' && /^-?\d+(\.0*)?$/.test(value.trim())) {
    const text = value.trim().replace(/\.0*$/, '');
    n = Number(text);
    if (!Number.isSafeInteger(n) || String(n) !== text.replace(/^(-?)0+(?=\d)/, '$1').replace(/^-0$/, '0')) {
      throw new RangeError(`${what} ${value} lies beyond Number.MAX_SAFE_INTEGER`);
    }
  } else {
    throw new RangeError(`${what} is not a whole number: ${String(value)}`);
  }
  if (!Number.isSafeInteger(n)) throw new RangeError(`${what} ${String(value)} is not a whole number within Number.MAX_SAFE_INTEGER`);
  return n;
}

/** Money in cents from a column or an aggregate (see safeIntegerOf); null and undefined read as 0. */
export function centsOf(value: unknown): number {
  return safeIntegerOf(value, 'amount in cents') ?? 0;
}

/**
 * The driver's reader of `int8` values (counts, bigint columns, sums of int4): a JS number, or
 * a RangeError beyond Number.MAX_SAFE_INTEGER. Installed once per process by db/orm.ts.
 */
export function parseInt8(text: string): number {
  return safeIntegerOf(text, 'int8 value')!;
}
