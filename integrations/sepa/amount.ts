/**
 * Exact conversion between ISO 20022 decimal amounts ("12.30") and integer cents: by string,
 * never through a float, so 0.1 + 0.2 problems cannot creep into bookings.
 */

import { MAX_AMOUNT_CENTS } from '../../domain/billing/money.js';

/**
 * The largest amount SEPA allows in one transaction: 999 999 999.99 EUR. The platform's one
 * maximum of an amount (domain/billing/money.ts: API schemas and database CHECKs hold the same).
 */
export const MAX_SEPA_AMOUNT_CENTS = MAX_AMOUNT_CENTS;

const DECIMAL = /^([0-9]{1,18})(?:\.([0-9]{1,5}))?$/;

/**
 * Cents of a non-negative decimal string, or a reason. More than two decimals are accepted only
 * when the extra ones are zeros ("12.300"): the value is still exact, and nothing is rounded.
 */
export function decimalToCents(text: string): { cents: number } | { problem: string } {
  const m = DECIMAL.exec(text);
  if (!m) return { problem: `must be a decimal amount like "12.30", got ${JSON.stringify(text.slice(0, 40))}` };
  const whole = m[1] ?? '0';
  const fraction = m[2] ?? '';
  if (/[1-9]/.test(fraction.slice(2))) return { problem: `has more than 2 decimals: ${JSON.stringify(text)}` };
  const cents = Number(whole) * 100 + Number(fraction.slice(0, 2).padEnd(2, '0'));
  if (!Number.isSafeInteger(cents)) return { problem: `is too large: ${JSON.stringify(text)}` };
  return { cents };
}

/** "1230" cents -> "12.30". */
export function centsToDecimal(cents: number): string {
  if (!Number.isSafeInteger(cents) || cents < 0) throw new RangeError(`Amount in cents must be a non-negative whole number, got ${cents}`);
  const text = String(cents).padStart(3, '0');
  return `${text.slice(0, -2)}.${text.slice(-2)}`;
}
