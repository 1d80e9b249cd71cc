/**
 * Statutory extrajudicial collection costs (Besluit vergoeding voor buitengerechtelijke
 * incassokosten, "BIK") that may be charged to a consumer after a correct 14-dagenbrief.
 *
 * VAT: the amounts are kept VAT-free. A creditor that can deduct VAT may not add VAT on top for
 * a consumer (the costs are compensation for damage, and the VAT it pays its collection agency is
 * deductible). NB: an office whose services are VAT-exempt (mortgage and insurance
 * intermediation usually is) cannot deduct that VAT and is then generally allowed to add it;
 * that is not modelled here: decide it in configuration before ever adding VAT.
 */
import { formatEuro } from './money.js';
import { monthsPerPeriod, type BillingPeriod } from './periods.js';

interface Bracket {
  /** Width of the bracket in cents; undefined for the open top bracket. */
  widthCents?: number;
  /** Rate in hundredths of a percent (15% → 1500). */
  rateBp: number;
}

/** 15% of the first € 2.500; 10% of the next € 2.500; 5% of the next € 5.000; 1% of the next € 190.000; 0,5% above. */
export const STATUTORY_BRACKETS: readonly Bracket[] = [
  { widthCents: 250_000, rateBp: 1500 },
  { widthCents: 250_000, rateBp: 1000 },
  { widthCents: 500_000, rateBp: 500 },
  { widthCents: 19_000_000, rateBp: 100 },
  { rateBp: 50 },
];
export const STATUTORY_MINIMUM_CENTS = 4_000;
export const STATUTORY_MAXIMUM_CENTS = 677_500;

/** Since 1 October 2024: recurring claims below € 266,67 a month carry at most € 140 per 6 months. */
export const SMALL_RECURRING_THRESHOLD_CENTS = 26_667;
export const SMALL_RECURRING_CAP_CENTS = 14_000;
export const SMALL_RECURRING_CAP_SINCE = '2024-10-01';

export interface CollectionCostsInput {
  /** Principal still outstanding (after partial payments), in cents. */
  principalCents: number;
  /**
   * For a claim from a recurring contract (subscription): the claim per month in cents. Below
   * € 266,67 the small recurring claims cap applies. Use {@link isSmallRecurringClaim} for
   * quarterly or yearly terms.
   */
  recurringMonthlyCents?: number;
  /** Collection costs already charged for this contract within the current 6-month window. */
  costsAlreadyChargedInWindowCents?: number;
}

export interface CollectionCosts {
  costsCents: number;
  /** Human-readable explanation of how the amount was reached (for the letter file / audit). */
  rule: string;
}

function pct(bp: number): string {
  return `${(bp / 100).toString().replace('.', ',')}%`;
}

/** The scale amount before minimum/maximum, in exact ten-thousandths of a cent, with the parts used. */
function scale(principalCents: number): { exact: number; parts: string[] } {
  let rest = principalCents;
  let exact = 0; // cents × 10 000
  const parts: string[] = [];
  for (const b of STATUTORY_BRACKETS) {
    if (rest <= 0) break;
    const inBracket = b.widthCents === undefined ? rest : Math.min(rest, b.widthCents);
    exact += inBracket * b.rateBp;
    parts.push(`${pct(b.rateBp)} of ${formatEuro(inBracket)}`);
    rest -= inBracket;
  }
  return { exact, parts };
}

/** Half-up from ten-thousandths of a cent to a cent. */
function roundBp(exact: number): number {
  return Math.floor((exact + 5_000) / 10_000);
}

/**
 * Statutory collection costs on the outstanding principal: the scale, rounded half-up to the
 * cent at the end (not per bracket), then at least € 40 and at most € 6.775. No principal, no
 * costs. For small recurring claims the total within 6 months is capped at € 140, so a claim may
 * get less than the € 40 minimum (or nothing) when earlier claims in the window used the cap.
 */
export function collectionCosts(input: CollectionCostsInput): CollectionCosts {
  const { principalCents, recurringMonthlyCents, costsAlreadyChargedInWindowCents = 0 } = input;
  if (!Number.isSafeInteger(principalCents)) throw new RangeError(`Principal must be whole cents: ${principalCents}`);
  if (recurringMonthlyCents !== undefined && (!Number.isSafeInteger(recurringMonthlyCents) || recurringMonthlyCents < 0)) {
    throw new RangeError(`Recurring monthly amount must be non-negative whole cents: ${recurringMonthlyCents}`);
  }
  if (!Number.isSafeInteger(costsAlreadyChargedInWindowCents) || costsAlreadyChargedInWindowCents < 0) {
    throw new RangeError(`Costs already charged must be non-negative whole cents: ${costsAlreadyChargedInWindowCents}`);
  }
  if (principalCents <= 0) return { costsCents: 0, rule: 'Nothing outstanding: no collection costs' };

  const { exact, parts } = scale(principalCents);
  const scaled = roundBp(exact);
  let costs = scaled;
  let rule = `Statutory scale on ${formatEuro(principalCents)}: ${parts.join(' + ')} = ${formatEuro(scaled)}`;
  if (scaled < STATUTORY_MINIMUM_CENTS) {
    costs = STATUTORY_MINIMUM_CENTS;
    rule += `; raised to the minimum of ${formatEuro(STATUTORY_MINIMUM_CENTS)}`;
  } else if (scaled > STATUTORY_MAXIMUM_CENTS) {
    costs = STATUTORY_MAXIMUM_CENTS;
    rule += `; limited to the maximum of ${formatEuro(STATUTORY_MAXIMUM_CENTS)}`;
  }

  if (recurringMonthlyCents !== undefined && recurringMonthlyCents < SMALL_RECURRING_THRESHOLD_CENTS) {
    const room = Math.max(0, SMALL_RECURRING_CAP_CENTS - costsAlreadyChargedInWindowCents);
    if (costs > room) {
      costs = room;
      rule +=
        `; small recurring claim (${formatEuro(recurringMonthlyCents)} a month, below ${formatEuro(SMALL_RECURRING_THRESHOLD_CENTS)}):` +
        ` at most ${formatEuro(SMALL_RECURRING_CAP_CENTS)} per 6 months, ${formatEuro(costsAlreadyChargedInWindowCents)} already charged,` +
        ` so ${formatEuro(costs)}`;
    } else {
      rule += `; small recurring claim: within the ${formatEuro(SMALL_RECURRING_CAP_CENTS)} per 6 months cap`;
    }
  }
  return { costsCents: costs, rule };
}

/** Is a recurring claim of `amountCents` per `period` below € 266,67 a month? (Exact, no rounding.) */
export function isSmallRecurringClaim(amountCents: number, period: BillingPeriod): boolean {
  return amountCents < SMALL_RECURRING_THRESHOLD_CENTS * monthsPerPeriod(period);
}
