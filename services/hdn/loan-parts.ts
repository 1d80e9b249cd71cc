/** Loan parts of an AX as product parts (*rechterdelen*) of the mortgage product. */
import type { HdnLoanPart } from '../../integrations/hdn/types.js';
import { repaymentTypeOf } from '../../domain/selections/query.js';
import type { NewPart } from '../products/store.js';

/**
 * How advisers read the repayment types; unknown ones are shown as sent. Words come from stored
 * legacy `<HDN>` AX; codes from the public shape (HDN 24.0 repaymentType list: 01 02 05).
 */
const repaymentLabels: Readonly<Record<string, string>> = {
  '01': 'annuïteit',
  '02': 'lineair',
  '05': 'aflossingsvrij',
  annuiteit: 'annuïteit',
  annuïteit: 'annuïteit',
  lineair: 'lineair',
  aflossingsvrij: 'aflossingsvrij',
  spaarhypotheek: 'spaarhypotheek',
  bankspaarhypotheek: 'bankspaarhypotheek',
  beleggingshypotheek: 'beleggingshypotheek',
};

/** Euro cents as Dutch money, "€ 250.000,00" (by hand: ICU spacing differs between Node builds). */
export function formatEuroCents(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(cents));
  const euros = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${sign}€ ${euros},${String(abs % 100).padStart(2, '0')}`;
}

/** "Leningdeel 1: annuïteit € 250.000,00, 360 mnd". */
export function loanPartDescription(part: HdnLoanPart): string {
  const repayment = repaymentLabels[part.repaymentType.toLowerCase()] ?? part.repaymentType;
  return `Leningdeel ${part.number}: ${repayment} ${formatEuroCents(part.amountCents)}, ${part.durationMonths} mnd`;
}

/**
 * One product part per loan part, in loan part order (a mortgage without parts gets one), with the facts the query manager filters on (repayment
 * type from the closed list, null when unknown; amount in cents).
 */
export function loanPartRows(parts: readonly HdnLoanPart[]): NewPart[] {
  if (parts.length === 0) return [{ description: 'Hypotheek' }];
  return [...parts]
    .sort((a, b) => Number(a.number) - Number(b.number) || a.number.localeCompare(b.number))
    .map((part) => ({
      description: loanPartDescription(part),
      repaymentType: repaymentTypeOf(part.repaymentType),
      amountCents: Number.isSafeInteger(part.amountCents) && part.amountCents >= 0 ? part.amountCents : null,
    }));
}
