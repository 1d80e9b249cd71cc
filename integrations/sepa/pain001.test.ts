import { describe, expect, it } from 'vitest';
import { buildPain001, readPain001, type CreditTransferInput } from './pain001.js';
import { bundledXsdDir, sepaError, xsdErrors } from './testing/support.js';

const input: CreditTransferInput = {
  messageId: 'RC-20260701-0001',
  createdAt: '2026-07-01T08:30:00Z',
  executionDate: '2026-07-02',
  debtor: { name: 'Centraal Kantoor BV', iban: 'NL91ABNA0417164300', bic: 'ABNANL2A' },
  transfers: [
    { endToEndId: 'RC-P-0001', amountCents: 2520_00, creditor: { name: 'Deelnemer Een', iban: 'NL20INGB0001234567' }, remittance: 'Uitbetaling RC 2026 Q2' },
    { endToEndId: 'RC-P-0002', amountCents: 1, creditor: { name: 'Deelnemer Twee', iban: 'NL91ABNA0417164300' }, remittance: 'Uitbetaling RC' },
  ],
};

describe('pain.001.001.03 credit transfer', () => {
  it('writes what it was given, to the cent, and reads it back', () => {
    const xml = buildPain001(input);
    expect(xml).toContain('urn:iso:std:iso:20022:tech:xsd:pain.001.001.03');
    const read = readPain001(xml);
    expect(read).toMatchObject({ messageId: input.messageId, numberOfTransactions: 2, controlSumCents: 2520_01, executionDate: '2026-07-02', debtorIban: 'NL91ABNA0417164300' });
    expect(read.createdAt).toBe('2026-07-01T10:30:00'); // Amsterdam summer time
    expect(read.transfers.map((t) => [t.endToEndId, t.amountCents, t.creditor.iban])).toEqual([
      ['RC-P-0001', 2520_00, 'NL20INGB0001234567'],
      ['RC-P-0002', 1, 'NL91ABNA0417164300'],
    ]);
  });

  it.each<[string, (i: CreditTransferInput) => CreditTransferInput, RegExp]>([
    ['no transfers', (i) => ({ ...i, transfers: [] }), /transfers is empty/],
    ['a bad IBAN', (i) => ({ ...i, transfers: [{ ...i.transfers[0]!, creditor: { name: 'X', iban: 'NL00ABNA0417164300' } }] }), /creditor.iban/],
    ['a zero amount', (i) => ({ ...i, transfers: [{ ...i.transfers[0]!, amountCents: 0 }] }), /amountCents/],
    ['a duplicate EndToEndId', (i) => ({ ...i, transfers: [i.transfers[0]!, i.transfers[0]!] }), /more than once/],
    ['a long MsgId', (i) => ({ ...i, messageId: 'X'.repeat(36) }), /messageId/],
    ['a non-SEPA character', (i) => ({ ...i, transfers: [{ ...i.transfers[0]!, remittance: 'Uitbetaling € 5' }] }), /remittance/],
  ])('refuses %s', (_n, change, problem) => {
    expect(sepaError(() => buildPain001(change(input))).message).toMatch(problem);
  });

  it('the reader refuses totals that do not add up', () => {
    const xml = buildPain001(input).replace(/<CtrlSum>2520.01<\/CtrlSum>/, '<CtrlSum>2520.00</CtrlSum>');
    expect(sepaError(() => readPain001(xml)).message).toMatch(/CtrlSum/);
  });

  it('is valid against the ISO XSD pain.001.001.03, and an invalid file is not', async () => {
    const xml = buildPain001(input);
    expect(await xsdErrors(xml, 'pain.001.001.03.xsd', bundledXsdDir)).toEqual([]);
    expect(await xsdErrors(xml.replace(/<MsgId>[^<]*<\/MsgId>/, ''), 'pain.001.001.03.xsd', bundledXsdDir)).not.toEqual([]);
  });
});
