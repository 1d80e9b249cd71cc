/**
 * Money as integer euro cents. Pure: no I/O, no clock, no locale data (formatting is done by
 * hand so the result is the same in the API, a workflow and a test, whatever ICU is present).
 */

/**
 * The largest amount of money the platform accepts anywhere: one contract price, one invoice
 * total, one booking line, the collection costs of one invoice: € 999.999.999,99. It is the SEPA
 * maximum of one transaction (EPC rulebooks: 0.01 .. 999999999.99 EUR), so every invoice the
 * platform can make can also be collected by direct debit. The API schemas (services/billing/
 * schemas.ts), the services' checks and the database CHECKs (migrations, money columns are
 * `bigint`) all hold exactly this range; `isAmountCents` is the one check.
 */
export const MAX_AMOUNT_CENTS = 99_999_999_999;

/** A whole number of cents from 0 up to MAX_AMOUNT_CENTS (positive: from 1). */
export function isAmountCents(v: unknown, opts: { positive?: boolean } = {}): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= (opts.positive ? 1 : 0) && v <= MAX_AMOUNT_CENTS;
}

/** Outcome of parsing user input: a value or a readable reason. */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

function assertCents(cents: number, what: string): void {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`${what} must be a whole number of cents: ${cents}`);
}

/**
 * `numerator / denominator` rounded half-up to an integer, where "half-up" means half away from
 * zero: 0.5 → 1 and -0.5 → -1. Symmetric so that a credit line mirrors its invoice line exactly.
 * Integer arithmetic only (no floating point), `denominator` > 0.
 */
export function divideHalfUp(numerator: number, denominator: number): number {
  if (!Number.isSafeInteger(numerator) || !Number.isSafeInteger(denominator) || denominator <= 0) {
    throw new RangeError(`divideHalfUp needs safe integers and a positive denominator: ${numerator} / ${denominator}`);
  }
  const abs = Math.abs(numerator);
  const q = Math.floor(abs / denominator);
  const r = abs - q * denominator;
  const rounded = 2 * r >= denominator ? q + 1 : q;
  return numerator < 0 ? -rounded : rounded;
}

/** A VAT rate in percent as hundredths of a percent (21 → 2100, 9 → 900, 5.5 → 550). */
function rateBasisPoints(vatRatePercent: number): number {
  if (!Number.isFinite(vatRatePercent) || vatRatePercent < 0 || vatRatePercent > 100) {
    throw new RangeError(`VAT rate must be a percentage 0..100: ${vatRatePercent}`);
  }
  const bp = Math.round(vatRatePercent * 100);
  if (Math.abs(bp - vatRatePercent * 100) > 1e-6) {
    throw new RangeError(`VAT rate may have at most two decimals: ${vatRatePercent}`);
  }
  return bp;
}

/**
 * VAT on a net amount: `net × rate / 100`, rounded half-up to the cent (exact integer arithmetic:
 * the product in hundredths of a percent is divided by 10 000 and a remainder of half or more
 * rounds away from zero). Example: 21% of € 0,50 = 10,5 ct → 11 ct; 21% of € 0,02 = 0,42 ct → 0 ct.
 * Negative nets (credit lines) are allowed and round symmetrically, so a credit note's VAT is
 * exactly minus the invoice's VAT. Call it on the total per VAT rate of an invoice (allowed in the
 * Netherlands and avoids per-line rounding drift), not per line, when an invoice has many lines.
 */
export function vatCents(netCents: number, vatRatePercent: number): number {
  assertCents(netCents, 'Net amount');
  const product = netCents * rateBasisPoints(vatRatePercent);
  if (!Number.isSafeInteger(product)) throw new RangeError(`Amount too large for exact VAT: ${netCents}`);
  return divideHalfUp(product, 10_000);
}

/** Net plus VAT (rounded as in {@link vatCents}). */
export function grossCents(netCents: number, vatRatePercent: number): number {
  return netCents + vatCents(netCents, vatRatePercent);
}

/**
 * Dutch notation: "€ 1.234,56" (dot groups thousands, comma before the cents, a plain space after
 * the sign). Negative amounts: "€ -1.234,56", the usual Dutch bookkeeping notation.
 */
export function formatEuro(cents: number): string {
  assertCents(cents, 'Amount');
  const abs = Math.abs(cents);
  const euros = Math.floor(abs / 100);
  const rest = abs % 100;
  const grouped = String(euros).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `€ ${cents < 0 ? '-' : ''}${grouped},${String(rest).padStart(2, '0')}`;
}

/**
 * Reads an amount typed by a user or found in a file, into cents. Accepted:
 * "12", "12,3", "12,30", "12.30", "€ 12,30", "1.234,56", "1,234.56", "1.234.567", "1234567,8".
 * Rules, chosen so that no input is silently read as a different amount:
 * - with both '.' and ',' the last one is the decimal separator, the other groups thousands
 *   (groups of exactly three digits);
 * - with one kind only: followed by one or two digits it is the decimal separator; used more
 *   than once it groups thousands; a single separator followed by exactly three digits
 *   ("1.234" or "1,234") is ambiguous (Dutch thousands or English decimals?) and refused;
 * - at most two decimals; negatives are refused (amounts are entered as positive numbers;
 *   a refund or credit is its own booking, not a minus sign).
 */
export function parseEuroAmount(input: string): ParseResult<number> {
  if (typeof input !== 'string') return { ok: false, error: 'Amount must be text' };
  const text = input.replace(/\u00a0/g, ' ').trim().replace(/^€\s*/, '').replace(/^eur\s+/i, '').trim();
  if (text === '') return { ok: false, error: 'Amount is empty' };
  if (text.includes('-') || input.includes('-')) {
    return { ok: false, error: `Negative amounts are not accepted: "${input}"` };
  }
  if (!/^[0-9.,]+$/.test(text)) return { ok: false, error: `Not an amount: "${input}" (use e.g. 12,30)` };

  const lastDot = text.lastIndexOf('.');
  const lastComma = text.lastIndexOf(',');
  let intPart: string;
  let fraction = '';
  let groupSep: string | undefined;

  if (lastDot >= 0 && lastComma >= 0) {
    const dec = lastDot > lastComma ? '.' : ',';
    groupSep = dec === '.' ? ',' : '.';
    const at = text.lastIndexOf(dec);
    intPart = text.slice(0, at);
    fraction = text.slice(at + 1);
    if (intPart.includes(dec)) return { ok: false, error: `Two decimal separators in "${input}"` };
  } else if (lastDot >= 0 || lastComma >= 0) {
    const sep = lastDot >= 0 ? '.' : ',';
    const parts = text.split(sep);
    if (parts.length > 2) {
      groupSep = sep;
      intPart = text;
    } else {
      const after = parts[1] ?? '';
      if (after.length === 3) {
        return { ok: false, error: `Ambiguous amount "${input}": write 1234 or 1.234,00 (or 1,234 as 1,23 when cents are meant)` };
      }
      intPart = parts[0] ?? '';
      fraction = after;
    }
  } else {
    intPart = text;
  }

  if (fraction.length === 0 && (lastDot === text.length - 1 || lastComma === text.length - 1)) {
    return { ok: false, error: `Amount ends in a separator: "${input}"` };
  }
  if (!/^\d{0,2}$/.test(fraction)) return { ok: false, error: `At most two decimals: "${input}"` };
  if (groupSep !== undefined && intPart.includes(groupSep)) {
    const groups = intPart.split(groupSep);
    const [head, ...tail] = groups;
    if (!head || !/^\d{1,3}$/.test(head) || tail.some((g) => !/^\d{3}$/.test(g))) {
      return { ok: false, error: `Thousands must be grouped by three: "${input}"` };
    }
    intPart = groups.join('');
  }
  if (intPart === '' && fraction !== '') intPart = '0'; // ",50" is fifty cents
  if (!/^\d+$/.test(intPart)) return { ok: false, error: `Not an amount: "${input}" (use e.g. 12,30)` };
  const cents = Number(intPart) * 100 + Number(fraction.padEnd(2, '0'));
  if (!Number.isSafeInteger(cents) || cents > MAX_AMOUNT_CENTS) return { ok: false, error: `Amount too large: "${input}" (at most € 999.999.999,99)` };
  return { ok: true, value: cents };
}
