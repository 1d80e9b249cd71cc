/**
 * Plausibility of a booking made by hand (a payment or reversal the adviser types in): one that is
 * far larger than the invoice is more likely a typo (an amount in cents typed as euros, a pasted
 * account number) than money, so it is only stored with an explicit confirmation.
 *
 * The limit is relative to the invoice: `factor` × (total + charged costs), the office's billing
 * setting `manualBookingLimitFactor` (default 10, 1 .. 1000). Relative, because what is plausible
 * scales with what is owed: € 100 on a € 32,96 invoice is odd, € 100 on € 1.200 is not. Above the
 * limit the request must carry `confirmAmountCents` equal to `amountCents` (typing the amount
 * twice, not ticking a box); without it the booking is refused (422) and nothing is stored.
 * Bank files are never held to this: what the bank booked, happened.
 */
import { MAX_AMOUNT_CENTS } from './money.js';

export const DEFAULT_MANUAL_BOOKING_LIMIT_FACTOR = 10;
export const MANUAL_BOOKING_LIMIT_FACTOR_MIN = 1;
export const MANUAL_BOOKING_LIMIT_FACTOR_MAX = 1_000;

/** The largest amount a manual booking on this invoice may have without a confirmation. */
export function manualBookingLimitCents(invoice: { totalCents: number; costsCents: number }, factor: number): number {
  return Math.min(MAX_AMOUNT_CENTS, factor * (invoice.totalCents + invoice.costsCents));
}

export type PlausibilityCheck =
  | { ok: true; limitCents: number; confirmed: boolean }
  | { ok: false; limitCents: number; path: '/body/confirmAmountCents'; message: string };

export function checkManualBooking(input: {
  amountCents: number;
  confirmAmountCents?: number | undefined;
  totalCents: number;
  costsCents: number;
  factor: number;
}): PlausibilityCheck {
  const limitCents = manualBookingLimitCents(input, input.factor);
  if (input.amountCents <= limitCents) return { ok: true, limitCents, confirmed: false };
  if (input.confirmAmountCents === input.amountCents) return { ok: true, limitCents, confirmed: true };
  const why = `is ${input.amountCents} cents, more than ${input.factor} × the invoice's total and costs (limit ${limitCents} cents)`;
  return {
    ok: false,
    limitCents,
    path: '/body/confirmAmountCents',
    message:
      input.confirmAmountCents === undefined
        ? `the amount ${why}: repeat it in confirmAmountCents to book it`
        : `must equal amountCents (${input.amountCents}) to confirm it: the amount ${why}`,
  };
}
