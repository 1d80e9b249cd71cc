import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ibanCheckDigits } from '../../domain/iban.js';
import { isTargetBusinessDay, nextTargetBusinessDay, targetClosingReason } from './calendar.js';
import { checkCreditorId, creditorIdCheckDigits } from './creditor-id.js';
import { buildPain008 } from './pain008.js';
import { readPain008 } from './pain008-read.js';
import { fixture, iso20022Dir, sepaError, xsdErrors } from './testing/support.js';
import { SepaErrorType, type DirectDebitBatchInput } from './types.js';

const input = (): DirectDebitBatchInput => JSON.parse(fixture('pain008-input.json')) as DirectDebitBatchInput;
const nl = (bban: string): string => `NL${ibanCheckDigits('NL', bban)}${bban}`;

describe('buildPain008', () => {
  it('groups per sequence type, FRST first, with exact counts and sums', () => {
    const xml = buildPain008(input());
    const doc = readPain008(xml);
    expect(doc.version).toBe('001.02');
    expect(doc.messageId).toBe('DF-2026-03-001');
    expect(doc.createdAt).toBe('2026-03-02T09:00:00');
    expect(doc.numberOfTransactions).toBe(4);
    expect(doc.controlSumCents).toBe(12500 + 4995 + 1230 + 99999);
    expect(doc.paymentInfos.map((pi) => [pi.id, pi.sequenceType, pi.transactions.map((t) => t.endToEndId)])).toEqual([
      ['DF-2026-03-001-FRST', 'FRST', ['DF-INV-2026-0101', 'DF-INV-2026-0102']],
      ['DF-2026-03-001-RCUR', 'RCUR', ['DF-INV-2026-0103', 'DF-INV-2026-0104']],
    ]);
    const frst = doc.paymentInfos[0];
    expect(frst?.creditor).toEqual({ name: 'Voorbeeld Advies B.V.', iban: 'NL91ABNA0417164300', bic: 'ABNANL2A', creditorId: 'NL69ZZZ123456780000' });
    expect(frst?.collectionDate).toBe('2026-03-05');
    expect(frst?.localInstrument).toBe('CORE');
    expect(frst?.batchBooking).toBe(true);
    expect(frst?.transactions[0]).toEqual({
      instructionId: 'DF-INV-2026-0101',
      endToEndId: 'DF-INV-2026-0101',
      amountCents: 12500,
      currency: 'EUR',
      mandateId: 'DF-MANDATE-0001',
      mandateSignedOn: '2026-02-20',
      debtor: { name: 'J. de Vries', iban: 'NL20INGB0001234567', bic: 'INGBNL2A' },
      remittance: 'Factuur 2026-0101 adviesabonnement maart',
    });
    expect(xml).toContain('<CtrlSum>174.95</CtrlSum>');
    expect(xml).toContain('<CtrlSum>1187.24</CtrlSum>');
  });

  it('writes CreDtTm as Amsterdam wall-clock time whatever the input offset', () => {
    const batch = { ...input(), createdAt: '2026-03-02T06:30:15Z' };
    expect(readPain008(buildPain008(batch)).createdAt).toBe('2026-03-02T07:30:15');
  });

  it('normalizes IBANs and escapes XML characters', () => {
    const batch = input();
    batch.creditor.iban = 'nl91 abna 0417 1643 00';
    batch.transactions[0]!.debtor.name = 'Jansen & Zn. <Holding>';
    const doc = readPain008(buildPain008(batch));
    expect(doc.paymentInfos[0]?.creditor.iban).toBe('NL91ABNA0417164300');
    expect(doc.paymentInfos[0]?.transactions[0]?.debtor.name).toBe('Jansen & Zn. <Holding>');
  });

  it('keeps amounts exact over many transactions (no float drift in CtrlSum)', () => {
    const batch = input();
    batch.transactions = Array.from({ length: 500 }, (_, i) => ({
      ...input().transactions[2]!,
      endToEndId: `E2E-${i}`,
      mandateId: `M-${i}`,
      amountCents: 10 + (i % 7) * 3 + 99_999_000,
    }));
    const doc = readPain008(buildPain008(batch));
    expect(doc.controlSumCents).toBe(batch.transactions.reduce((s, t) => s + t.amountCents, 0));
  });

  it('builds .001.08 with BICFI', () => {
    const xml = buildPain008(input(), { version: '001.08' });
    expect(xml).toContain('urn:iso:std:iso:20022:tech:xsd:pain.008.001.08');
    expect(xml).toContain('<BICFI>ABNANL2A</BICFI>');
    expect(readPain008(xml).paymentInfos[0]?.creditor.bic).toBe('ABNANL2A');
  });

  describe.each(['001.02', '001.08'] as const)('XSD pain.008.%s', (version) => {
    it.skipIf(!iso20022Dir)('a mixed FRST/RCUR batch validates', async () => {
      const xml = buildPain008(input(), { version });
      expect(await xsdErrors(xml, `pain.008.${version}.xsd`, iso20022Dir!)).toEqual([]);
      // The check is not vacuous: without MsgId the same document is refused.
      expect(await xsdErrors(xml.replace(/<MsgId>[^<]*<\/MsgId>/, ''), `pain.008.${version}.xsd`, iso20022Dir!)).not.toEqual([]);
    });

    it.skipIf(!iso20022Dir)('the official sample reads', () => {
      const file = path.join(iso20022Dir ?? '', 'samples', `pain.008.${version}.sample.xml`);
      if (!existsSync(file)) return console.warn(`[sepa tests] pain.008.${version} sample absent`);
      const doc = readPain008(readFileSync(file));
      expect(doc).toMatchObject({ version, messageId: 'OurMessageIdentification', numberOfTransactions: 1, controlSumCents: 1234 });
      expect(doc.paymentInfos[0]?.transactions[0]).toMatchObject({ endToEndId: 'SomethingUnique', mandateId: 'SomeOtherUniqueThing', debtor: { bic: 'BANKDEFFXXX' } });
    });
  });

  type Case = [name: string, change: (b: DirectDebitBatchInput) => void, field: string, message: string];
  const cases: Case[] = [
    ['creditor id missing', (b) => void (b.creditor.creditorId = ''), 'creditor.creditorId', 'Creditor id (incassant-ID) is missing'],
    ['creditor id check digits', (b) => void (b.creditor.creditorId = 'NL98ZZZ123456780000'), 'creditor.creditorId', 'creditor id NL98ZZZ123456780000: check digits do not match'],
    ['creditor id shape', (b) => void (b.creditor.creditorId = 'NL69-123'), 'creditor.creditorId', 'must be a 2-letter country code'],
    ['creditor id NL length', (b) => void (b.creditor.creditorId = `NL${creditorIdCheckDigits('NL', '1234')}ZZZ1234`), 'creditor.creditorId', 'a NL creditor id has 19 characters'],
    ['creditor IBAN', (b) => void (b.creditor.iban = 'NL91ABNA0417164301'), 'creditor.iban', 'Creditor IBAN is invalid: IBAN NL91ABNA0417164301: check digits do not match'],
    ['creditor BIC country', (b) => void (b.creditor.bic = 'DEUTDEFF'), 'creditor.bic', 'Creditor BIC DEUTDEFF is from DE, the IBAN from NL'],
    ['mandate id missing', (b) => void (b.transactions[1]!.mandateId = ' '), 'transactions[1].mandateId', 'Transaction 2 (EndToEndId "DF-INV-2026-0102"): mandate id is missing'],
    ['mandate id too long', (b) => void (b.transactions[0]!.mandateId = 'M'.repeat(36)), 'transactions[0].mandateId', 'mandate id has 36 characters, at most 35'],
    ['mandate signed in the future', (b) => void (b.transactions[0]!.mandateSignedOn = '2026-03-03'), 'transactions[0].mandateSignedOn', 'mandate signature date 2026-03-03 is in the future (the batch is created on 2026-03-02)'],
    ['mandate signed after collection', (b) => { b.createdAt = '2026-03-10T09:00:00+01:00'; b.collectionDate = '2026-03-10'; b.transactions[2]!.mandateSignedOn = '2026-03-10'; b.transactions[3]!.mandateSignedOn = '2026-03-11'; }, 'transactions[3].mandateSignedOn', 'is after the collection date 2026-03-10'],
    ['amount zero', (b) => void (b.transactions[0]!.amountCents = 0), 'transactions[0].amountCents', 'amount must be a positive whole number of cents, got 0'],
    ['amount fraction', (b) => void (b.transactions[0]!.amountCents = 12.5), 'transactions[0].amountCents', 'got 12.5'],
    ['amount too large', (b) => void (b.transactions[0]!.amountCents = 100_000_000_000), 'transactions[0].amountCents', 'more than the SEPA maximum of 999999999.99 EUR'],
    ['debtor IBAN', (b) => void (b.transactions[2]!.debtor.iban = 'NL02ABNA012345678'), 'transactions[2].debtor.iban', 'Transaction 3 (EndToEndId "DF-INV-2026-0103"): debtor IBAN is invalid: IBAN NL02ABNA012345678: a NL IBAN has 18 characters, this one has 17'],
    ['duplicate EndToEndId', (b) => void (b.transactions[3]!.endToEndId = 'DF-INV-2026-0101'), 'transactions[3].endToEndId', 'EndToEndId is also used by transaction 1'],
    ['EndToEndId charset', (b) => void (b.transactions[0]!.endToEndId = 'FACTUUR_2026#1'), 'transactions[0].endToEndId', 'contains characters outside the SEPA set'],
    ['EndToEndId too long', (b) => void (b.transactions[0]!.endToEndId = 'E'.repeat(36)), 'transactions[0].endToEndId', 'EndToEndId has 36 characters, at most 35'],
    ['EndToEndId leading slash', (b) => void (b.transactions[0]!.endToEndId = '/INV1'), 'transactions[0].endToEndId', 'may not start with "/" or contain "//"'],
    ['remittance too long', (b) => void (b.transactions[0]!.remittance = 'x'.repeat(141)), 'transactions[0].remittance', 'remittance information has 141 characters, at most 140'],
    ['remittance missing', (b) => void (b.transactions[0]!.remittance = ''), 'transactions[0].remittance', 'remittance information is missing'],
    ['collection on a Saturday', (b) => void (b.collectionDate = '2026-03-07'), 'collectionDate', 'Collection date 2026-03-07 is not a SEPA business day (a Saturday)'],
    ['collection on Easter Monday', (b) => void (b.collectionDate = '2026-04-06'), 'collectionDate', 'not a SEPA business day (Easter Monday)'],
    ['collection in the past', (b) => void (b.collectionDate = '2026-02-27'), 'collectionDate', 'Collection date 2026-02-27 is in the past (the batch is created on 2026-03-02)'],
    ['collection date not a date', (b) => void (b.collectionDate = '2026-02-30'), 'collectionDate', 'Collection date must be a date YYYY-MM-DD'],
    ['sequence type missing', (b) => void ((b.transactions[0] as { sequenceType?: string }).sequenceType = undefined), 'transactions[0].sequenceType', 'sequence type must be FRST, RCUR, FNAL or OOFF, got nothing'],
    ['FRST and RCUR on one mandate', (b) => void (b.transactions[2]!.mandateId = 'DF-MANDATE-0001'), 'transactions[2].sequenceType', 'mandate "DF-MANDATE-0001" is collected as both FRST and RCUR'],
    ['no transactions', (b) => void (b.transactions = []), 'transactions', 'The batch has no transactions'],
    ['message id too long', (b) => void (b.messageId = 'M'.repeat(31)), 'messageId', 'Message id has 31 characters, at most 30'],
    ['createdAt without offset', (b) => void (b.createdAt = '2026-03-02T09:00:00'), 'createdAt', 'createdAt must be an ISO date-time with offset'],
    ['local instrument', (b) => void ((b as { localInstrument: string }).localInstrument = 'COR1'), 'localInstrument', 'Local instrument must be CORE or B2B'],
  ];

  it.each(cases)('refuses: %s', (_name, change, field, message) => {
    const batch = input();
    change(batch);
    const error = sepaError(() => buildPain008(batch));
    expect(error.type).toBe(SepaErrorType.Invalid);
    // A change can break two rules at once (signed after collection is also signed in the future).
    expect(error.problems.filter((p) => p.field === field).map((p) => p.message)).toContainEqual(expect.stringContaining(message));
    expect(error.message).toContain(error.problems[0]?.message);
  });

  it('reports every problem, the first in the message', () => {
    const batch = input();
    batch.transactions[0]!.mandateId = '';
    batch.transactions[1]!.debtor.iban = nl('ABNA0000000000').replace(/..$/, '99');
    const error = sepaError(() => buildPain008(batch));
    expect(error.problems.map((p) => p.field)).toEqual(['transactions[0].mandateId', 'transactions[1].debtor.iban']);
    expect(error.message).toMatch(/mandate id is missing \(and 1 more problem\)$/);
  });

  it('refuses an unknown version', () => {
    expect(sepaError(() => buildPain008(input(), { version: '001.09' as '001.02' })).type).toBe(SepaErrorType.Unsupported);
  });
});

describe('creditor id', () => {
  it.each(['NL69ZZZ123456780000', 'NL57ZZZ999999999999', 'DE98ZZZ09999999999', 'nl69 zzz 1234 5678 0000'])('accepts %s', (id) => {
    expect(checkCreditorId(id).ok).toBe(true);
  });
  it('ignores the business code in the check digits', () => {
    expect(checkCreditorId('NL69ABC123456780000').ok).toBe(true);
  });
});

describe('TARGET calendar', () => {
  it.each([
    ['2026-01-01', "New Year's Day"],
    ['2026-04-03', 'Good Friday'],
    ['2026-04-06', 'Easter Monday'],
    ['2026-05-01', 'Labour Day (1 May)'],
    ['2026-12-25', 'Christmas Day'],
    ['2026-12-26', 'a Saturday'],
    ['2025-12-26', 'Boxing Day (26 December)'],
    ['2026-03-08', 'a Sunday'],
  ])('%s is closed: %s', (date, reason) => {
    expect(targetClosingReason(date)).toBe(reason);
  });
  it('King’s Day is a SEPA business day', () => {
    expect(isTargetBusinessDay('2026-04-27')).toBe(true);
  });
  it('finds the next business day', () => {
    expect(nextTargetBusinessDay('2026-04-03')).toBe('2026-04-07');
    expect(nextTargetBusinessDay('2026-03-05', true)).toBe('2026-03-06');
  });
});
