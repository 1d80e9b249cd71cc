/**
 * Invoice periods of a contract (a product's periodic costs, e.g. a service subscription).
 *
 * Choices (explicit so that the product card, the invoicing job and the tests agree):
 * - Invoicing is **in advance**: the invoice for a period is dated on its first billed day
 *   (`invoiceDate` = period start, or the contract start for a first partial period).
 * - Periods are **anchored** on a date (by default the contract start) and are whole calendar
 *   months, quarters (3 months) or years (12 months) from it. The anchor's day of month is kept
 *   and clamped to the month end: anchored on 31 January, monthly periods start 31 Jan,
 *   29 Feb (2024; 28 Feb in other years), 31 Mar, 30 Apr, 31 May, ... Every start is computed as
 *   anchor + n periods, so a clamped February does not move March to the 28th/29th.
 *   A period ends the day before the next one starts (ends are inclusive).
 * - With the default anchor (start date) the first period is always whole: no pro-rata at the
 *   start. An office that wants calendar periods sets `anchorDate` (e.g. '2025-01-01'); a contract
 *   starting mid-period then gets a first partial period, billed pro-rata from the start date.
 * - A contract with an `endDate` (inclusive, the last day of service) that falls mid-period gets
 *   a last partial period billed pro-rata up to and including the end date.
 * - Pro-rata is by calendar days of that particular period: amount × active days / days in the
 *   period, rounded half-up to the cent (so a day in February is worth a little more than a day
 *   in March, and a full period is always exactly the amount).
 * - A change (new amount, termination notice) takes effect from the next period start strictly
 *   after the change date ({@link effectiveFromNextPeriod}): the current period has already been
 *   invoiced in advance, and on a period-start day that day's invoice may already be made.
 */
import { addDays, daysBetween } from '../dates.js';
import { addMonthsClamped, assertDate, maxDate, minDate, monthIndexDiff } from './calendar.js';
import { divideHalfUp } from './money.js';
import { billingPeriods, type BillingPeriod } from './closed-lists.js';

export { billingPeriods, type BillingPeriod };

/** Calendar months in one period. */
export function monthsPerPeriod(period: BillingPeriod): number {
  switch (period) {
    case 'month':
      return 1;
    case 'quarter':
      return 3;
    case 'year':
      return 12;
    default:
      throw new RangeError(`Unknown billing period: ${String(period)}`);
  }
}

export interface ContractTerms {
  /** First day of service (inclusive). */
  startDate: string;
  /** Last day of service (inclusive); none for an open-ended contract. */
  endDate?: string;
  period: BillingPeriod;
  /** Date the periods are aligned to; defaults to `startDate`. */
  anchorDate?: string;
}

export interface InvoicePeriod {
  /** First day of the (whole) period, aligned to the anchor. */
  periodStart: string;
  /** Last day of the (whole) period, inclusive. */
  periodEnd: string;
  /** Date the invoice is made: the first billed day (in advance). */
  invoiceDate: string;
  /** First billed day: the later of period start and contract start. */
  billedFrom: string;
  /** Last billed day, inclusive: the earlier of period end and contract end. */
  billedUntil: string;
  /** True when only part of the period is billed (pro-rata). */
  partial: boolean;
}

/** The n-th period start from the anchor (n may be negative). */
function nthStart(anchor: string, period: BillingPeriod, n: number): string {
  return addMonthsClamped(anchor, n * monthsPerPeriod(period));
}

/** Index of the period (relative to the anchor) that contains `date`. */
function periodIndex(date: string, period: BillingPeriod, anchor: string): number {
  const months = monthsPerPeriod(period);
  let n = Math.floor(monthIndexDiff(anchor, date) / months);
  // The n-th start lies in the same month as `date` or earlier; when it is later in that month
  // (date 2024-02-28, anchor 31st → start 2024-02-29), the date belongs to the period before.
  if (nthStart(anchor, period, n) > date) n -= 1;
  return n;
}

/** Start of the period that contains `date`, for periods anchored on `anchor`. */
export function periodStart(date: string, period: BillingPeriod, anchor: string): string {
  assertDate(date);
  assertDate(anchor, 'Anchor');
  return nthStart(anchor, period, periodIndex(date, period, anchor));
}

/** The whole period (start and inclusive end) that contains `date`. */
export function periodContaining(date: string, period: BillingPeriod, anchor: string): { periodStart: string; periodEnd: string } {
  const n = periodIndex(date, period, anchor);
  return { periodStart: nthStart(anchor, period, n), periodEnd: addDays(nthStart(anchor, period, n + 1), -1) };
}

function checkContract(contract: ContractTerms): string {
  assertDate(contract.startDate, 'Contract start');
  if (contract.endDate !== undefined) {
    assertDate(contract.endDate, 'Contract end');
    if (contract.endDate < contract.startDate) {
      throw new RangeError(`Contract ends (${contract.endDate}) before it starts (${contract.startDate})`);
    }
  }
  monthsPerPeriod(contract.period);
  const anchor = contract.anchorDate ?? contract.startDate;
  assertDate(anchor, 'Anchor');
  return anchor;
}

function line(contract: ContractTerms, anchor: string, n: number): InvoicePeriod {
  const start = nthStart(anchor, contract.period, n);
  const end = addDays(nthStart(anchor, contract.period, n + 1), -1);
  const billedFrom = maxDate(start, contract.startDate);
  const billedUntil = contract.endDate === undefined ? end : minDate(end, contract.endDate);
  return {
    periodStart: start,
    periodEnd: end,
    invoiceDate: billedFrom,
    billedFrom,
    billedUntil,
    partial: billedFrom !== start || billedUntil !== end,
  };
}

/** Hard stop against runaway loops (100 years of monthly periods). */
export const MAX_PERIODS = 1200;
/** The most periods one schedule can hold: it reads one period past its range to know the range ended. */
export const MAX_BACKLOG_PERIODS = MAX_PERIODS - 1;

/**
 * How many periods a contract has from the one containing its start date up to the one
 * containing `today` (0 when it starts later): what a first invoice run would have to catch up.
 * More than MAX_BACKLOG_PERIODS cannot be invoiced, so a contract like that is refused when it is made.
 */
export function periodsUpTo(startDate: string, period: BillingPeriod, today: string): number {
  if (startDate > today) return 0;
  const months = (d: string): number => Number(d.slice(0, 4)) * 12 + Number(d.slice(5, 7)) - 1;
  return Math.floor((months(today) - months(startDate)) / monthsPerPeriod(period)) + 1;
}

/** The periods of the contract in order, from the one containing the start date. */
function* periodsOf(contract: ContractTerms): Generator<InvoicePeriod> {
  const anchor = checkContract(contract);
  let n = periodIndex(contract.startDate, contract.period, anchor);
  for (let i = 0; i < MAX_PERIODS; i++, n++) {
    const p = line(contract, anchor, n);
    if (contract.endDate !== undefined && p.billedFrom > contract.endDate) return;
    yield p;
  }
  throw new RangeError(`More than ${MAX_PERIODS} periods: narrow the date range`);
}

/**
 * The invoices of a contract whose invoice date lies in [from, until] (both inclusive), in order.
 */
export function invoiceSchedule(contract: ContractTerms, from: string, until: string): InvoicePeriod[] {
  assertDate(from, 'From');
  assertDate(until, 'Until');
  const out: InvoicePeriod[] = [];
  if (until < from) return out;
  for (const p of periodsOf(contract)) {
    if (p.invoiceDate > until) break;
    if (p.invoiceDate >= from) out.push(p);
  }
  return out;
}

/**
 * The first period not invoiced yet: the first whose billed days start after
 * `lastInvoicedPeriodEnd` (the last billed day of the latest invoice), or the contract's first
 * period when nothing was invoiced. Undefined when the contract has no period left.
 */
export function nextUninvoicedPeriod(contract: ContractTerms, lastInvoicedPeriodEnd: string | undefined): InvoicePeriod | undefined {
  if (lastInvoicedPeriodEnd !== undefined) assertDate(lastInvoicedPeriodEnd, 'Last invoiced period end');
  for (const p of periodsOf(contract)) {
    if (lastInvoicedPeriodEnd === undefined || p.billedFrom > lastInvoicedPeriodEnd) return p;
  }
  return undefined;
}

/**
 * The next invoice date shown on the product card: the invoice date of the first period not
 * invoiced yet, or `today` when that date has passed (the invoicing run catches up today).
 * Undefined when the contract has ended and everything is invoiced.
 */
export function nextInvoiceDate(contract: ContractTerms, lastInvoicedPeriodEnd: string | undefined, today: string): string | undefined {
  assertDate(today, 'Today');
  const p = nextUninvoicedPeriod(contract, lastInvoicedPeriodEnd);
  return p === undefined ? undefined : maxDate(p.invoiceDate, today);
}

/**
 * The part of `amountCents` (the price of a whole period from `periodStart` to `periodEnd`,
 * inclusive) for the days it is active, from `activeFrom` to `activeUntil` inclusive:
 * amount × active days / days in the period, rounded half-up to the cent. Days outside the
 * period do not count; no active day gives 0, the whole period gives exactly the amount.
 */
export function proRataCents(amountCents: number, periodStart: string, periodEnd: string, activeFrom: string, activeUntil: string): number {
  if (!Number.isSafeInteger(amountCents) || amountCents < 0) {
    throw new RangeError(`Amount must be a non-negative whole number of cents: ${amountCents}`);
  }
  for (const [d, what] of [[periodStart, 'Period start'], [periodEnd, 'Period end'], [activeFrom, 'Active from'], [activeUntil, 'Active until']] as const) {
    assertDate(d, what);
  }
  if (periodEnd < periodStart) throw new RangeError(`Period ends (${periodEnd}) before it starts (${periodStart})`);
  const from = maxDate(periodStart, activeFrom);
  const until = minDate(periodEnd, activeUntil);
  if (until < from) return 0;
  const periodDays = daysBetween(periodStart, periodEnd) + 1;
  const activeDays = daysBetween(from, until) + 1;
  const product = amountCents * activeDays;
  if (!Number.isSafeInteger(product)) throw new RangeError(`Amount too large for pro-rata: ${amountCents}`);
  return divideHalfUp(product, periodDays);
}

/** The amount to invoice for a schedule line: the whole amount, or pro-rata for a partial period. */
export function periodAmountCents(amountCents: number, p: InvoicePeriod): number {
  return p.partial ? proRataCents(amountCents, p.periodStart, p.periodEnd, p.billedFrom, p.billedUntil) : amountCents;
}

/**
 * The date from which a change made on `changeDate` applies: the first period start strictly
 * after `changeDate` (the contract start when the change is made before the contract starts).
 * Undefined when the contract ends before that date (no period left to change).
 */
export function effectiveFromNextPeriod(contract: ContractTerms, changeDate: string): string | undefined {
  assertDate(changeDate, 'Change date');
  const anchor = checkContract(contract);
  let date: string;
  if (changeDate < contract.startDate) {
    date = contract.startDate;
  } else {
    date = nthStart(anchor, contract.period, periodIndex(changeDate, contract.period, anchor) + 1);
  }
  if (contract.endDate !== undefined && date > contract.endDate) return undefined;
  return date;
}

/**
 * The end date (inclusive) that results from a termination notice given on `noticeDate`: the day
 * before the next period start, so the period already invoiced is served in full and nothing is
 * credited. A contract that already ends earlier keeps its end date. Undefined when the notice
 * comes before the contract starts: it never runs, cancel it instead of ending it.
 */
export function endDateForTermination(contract: ContractTerms, noticeDate: string): string | undefined {
  assertDate(noticeDate, 'Notice date');
  if (noticeDate < contract.startDate) return undefined;
  const next = effectiveFromNextPeriod(contract, noticeDate);
  return next === undefined ? contract.endDate : addDays(next, -1);
}
