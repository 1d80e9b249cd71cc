import { describe, expect, it } from 'vitest';
import { overviewParagraphs } from '../../services/ledger/overview-pdf.js';
import type { ParticipantOverview } from '../../services/ledger/schemas.js';

const base: ParticipantOverview = {
  officeId: 'p', name: 'Deelnemer Een', year: 2026, period: 'Q2', from: '2026-04-01', to: '2026-06-30',
  openingBalanceCents: 100_00, incomeCents: 2000_00, costsCents: 250_00, paidOutCents: 0, closingBalanceCents: 1850_00, toPayOutCents: 1850_00, toClaimCents: 0,
  categories: [{ code: 'mortgage', name: 'Hypotheek', kind: 'income', debitCents: 0, creditCents: 2000_00 }, { code: null, name: 'Overig', kind: null, debitCents: 250_00, creditCents: 0 }],
  lines: [{ entryId: 'e', date: '2026-05-02', kind: 'commission', description: 'Provisie VZ-1', categoryName: 'Hypotheek', debitCents: 0, creditCents: 2000_00 }],
  linesTruncated: false,
};

describe('the pay-out overview PDF text', () => {
  it('says the period, the balance, debit and credit per category and the lines', () => {
    const text = overviewParagraphs(base).join('\n');
    expect(text).toContain('Periode: 01-04-2026 t/m 30-06-2026');
    expect(text).toContain('Eindsaldo: € 1.850,00');
    expect(text).toContain('Uit te betalen: € 1.850,00');
    expect(text).toContain('Overig: € 250,00 / € 0,00');
    expect(text).toContain('02-05-2026  Provisie VZ-1  (Hypotheek)  credit € 2.000,00');
  });
  it.each([
    [{ closingBalanceCents: -5, toPayOutCents: 0, toClaimCents: 5 }, 'Te vorderen: € 0,05'],
    [{ categories: [], lines: [] }, 'Geen boekingen in deze periode.'],
    [{ linesTruncated: true }, 'Alleen de eerste 1 boekingen'],
  ] as [Partial<ParticipantOverview>, string][])('%o', (change, expected) => {
    expect(overviewParagraphs({ ...base, ...change }).join('\n')).toContain(expected);
  });
});
