import { describe, expect, it } from 'vitest';
import { repaymentTypeOf, repaymentTypes } from './query.js';

describe('repaymentTypeOf: HDN AflossingsVorm (public code or legacy word) to the stored repayment type', () => {
  it.each([
    ['01', 'annuiteit'],
    ['02', 'lineair'],
    ['05', 'aflossingsvrij'],
    ['annuiteit', 'annuiteit'],
    ['Annuïteit', 'annuiteit'],
    [' AFLOSSINGSVRIJ ', 'aflossingsvrij'],
    ['spaarhypotheek', 'spaarhypotheek'],
    ['bankspaarhypotheek', 'bankspaarhypotheek'],
    ['beleggingshypotheek', 'beleggingshypotheek'],
    ['03', null],
    ['krediet', null],
    ['', null],
  ])('%j -> %j', (hdn, stored) => {
    expect(repaymentTypeOf(hdn)).toBe(stored);
  });

  it('answers only values of the closed list (the CHECK of product_parts.repayment_type)', () => {
    for (const word of [...repaymentTypes, '01', '02', '05']) expect(repaymentTypes).toContain(repaymentTypeOf(word));
  });
});
