import { describe, expect, it } from 'vitest';
import { payoutEndToEndId, payoutMessageId, payoutPeriodText, payoutProblem, statementVerdict } from './payouts.js';

describe('pay-out rules', () => {
  it.each([
    [100, 'NL20INGB0001234567', null],
    [0, 'NL20INGB0001234567', /no positive balance/],
    [-5, 'NL20INGB0001234567', /no positive balance/],
    [100, null, /no IBAN/],
  ] as const)('balance %i, IBAN %s', (balanceCents, participantIban, problem) => {
    const found = payoutProblem({ balanceCents, participantIban });
    if (problem) expect(found).toMatch(problem);
    else expect(found).toBeNull();
  });

  it.each([
    [2026, 'year', '2026'],
    [2026, 'Q2', '2026 kwartaal 2'],
    [2026, 'M03', '2026 maand 03'],
    [2026, 'M12', '2026 maand 12'],
  ] as const)('the period %i %s reads %s in Dutch', (year, period, text) => {
    expect(payoutPeriodText(year, period)).toBe(text);
  });

  it('references fit SEPA (max 35, no dashes of the uuid)', () => {
    const id = '0190f5c2-7a1b-7cde-8f00-123456789abc';
    expect(payoutEndToEndId(id)).toMatch(/^RCU-[0-9a-f]{30}$/);
    expect(payoutMessageId(id).length).toBeLessThanOrEqual(35);
  });

  const expected = { endToEndId: 'RCU-1', amountCents: 500 };
  const entry = { creditDebit: 'DBIT' as const, status: 'BOOK', amountCents: 500, reversal: false, transactions: [{ endToEndId: 'RCU-1' }] };
  it.each([
    ['a booked debit with the id and amount', entry, 'confirmed'],
    ['the amount from TxDtls', { ...entry, amountCents: 900, transactions: [{ endToEndId: 'RCU-1', amountCents: 500 }, { endToEndId: 'X', amountCents: 400 }] }, 'confirmed'],
    ['another id', { ...entry, transactions: [{ endToEndId: 'RCU-2' }] }, 'absent'],
    ['pending', { ...entry, status: 'PDNG' }, 'absent'],
    ['another amount', { ...entry, amountCents: 499 }, 'mismatch'],
    ['a credit (returned)', { ...entry, creditDebit: 'CRDT' as const }, 'mismatch'],
    ['a reversal', { ...entry, reversal: true }, 'mismatch'],
  ])('%s: %s', (_n, e, kind) => expect(statementVerdict(expected, e).kind).toBe(kind));
});
