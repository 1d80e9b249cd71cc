import { describe, expect, it } from 'vitest';
import { loanPartRows } from './loan-parts.js';
import type { HdnLoanPart } from '../../integrations/hdn/types.js';

const part = (p: Partial<HdnLoanPart>): HdnLoanPart => ({ number: '1', repaymentType: '01', amountCents: 10_000_000, durationMonths: 360, ...p });

describe('loanPartRows: an AX\'s loan parts as product parts with the facts the query manager filters on', () => {
  it('orders by loan part number and keeps repayment type and amount', () => {
    expect(
      loanPartRows([part({ number: '2', repaymentType: '05', amountCents: 15_000_000 }), part({ number: '1', repaymentType: 'annuiteit', amountCents: 25_000_050 })]),
    ).toEqual([
      { description: 'Leningdeel 1: annuïteit € 250.000,50, 360 mnd', repaymentType: 'annuiteit', amountCents: 25_000_050 },
      { description: 'Leningdeel 2: aflossingsvrij € 150.000,00, 360 mnd', repaymentType: 'aflossingsvrij', amountCents: 15_000_000 },
    ]);
  });

  it.each([
    ['an unknown repayment type is shown as sent and stored as null', part({ repaymentType: 'krediet' }), { repaymentType: null, amountCents: 10_000_000 }],
    ['a negative amount is not stored', part({ amountCents: -5 }), { repaymentType: 'annuiteit', amountCents: null }],
  ])('%s', (_name, input, facts) => {
    expect(loanPartRows([input])[0]).toMatchObject(facts);
  });

  it('a mortgage without loan parts gets one plain part', () => {
    expect(loanPartRows([])).toEqual([{ description: 'Hypotheek' }]);
  });
});
