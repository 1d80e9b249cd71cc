import { describe, expect, it } from 'vitest';
import { rejectionsOf } from '../../domain/billing/bank-match.js';
import { buildPain002 } from './pain002-build.js';
import { looksLikePain002, parsePain002 } from './pain002.js';
import { fixture, sepaError } from './testing/support.js';
import { SepaErrorType, type PaymentStatusReport } from './types.js';

/** The rejects a report makes, as the service applies them (domain/billing/bank-match.ts). */
const rejects = (report: PaymentStatusReport): string[] =>
  rejectionsOf(report).map((r) => (r.scope === 'transaction' ? `${r.endToEndId}:${r.reasonCode}` : r.scope === 'payment-info' ? `${r.paymentInfoId}:${r.reasonCode}` : `*:${r.reasonCode}`));

describe('parsePain002 fixtures', () => {
  it('pain002-rejects (.001.03): transaction rejects in a partly accepted PmtInf, with reason and original amount', () => {
    const report = parsePain002(fixture('pain002-rejects.xml'));
    expect(report).toEqual({
      format: 'pain.002',
      version: '001.03',
      messageId: 'RABO-PSR-20260304-000118',
      createdAt: '2026-03-04T17:45:12',
      originalMessageId: 'DF20260303090000CCCCCC',
      originalMessageType: 'pain.008.001.02',
      groupStatus: 'PART',
      paymentInfos: [
        {
          paymentInfoId: 'DF20260303090000CCCCCC-FRST',
          numberOfTransactions: 4,
          controlSumCents: 12100,
          status: 'PART',
          transactions: [
            {
              endToEndId: 'INV-2026-00031-0-cccc0031',
              instructionId: 'INV-2026-00031-0-cccc0031',
              status: 'RJCT',
              reasonCode: 'AM04',
              amountCents: 3025,
              creditorIban: 'NL91ABNA0417164300',
            },
            { endToEndId: 'INV-2026-00032-0-cccc0032', status: 'RJCT', reasonCode: 'MD01', amountCents: 3025 },
          ],
        },
      ],
    });
    expect(rejects(report)).toEqual(['INV-2026-00031-0-cccc0031:AM04', 'INV-2026-00032-0-cccc0032:MD01']);
  });

  it('pain002-group-reject: the whole file refused (GrpSts RJCT, DU01), no PmtInf named', () => {
    const report = parsePain002(fixture('pain002-group-reject.xml'));
    expect(report).toMatchObject({ version: '001.03', originalMessageId: 'DF20260303090000DDDDDD', groupStatus: 'RJCT', groupReasonCode: 'DU01', paymentInfos: [] });
    expect(rejects(report)).toEqual(['*:DU01']);
  });

  it('pain002-payment-info-reject (.001.10): one PmtInf refused as a whole (AG02), the other accepted', () => {
    const report = parsePain002(fixture('pain002-payment-info-reject.xml'));
    expect(report).toMatchObject({ version: '001.10', originalMessageType: 'pain.008.001.08', groupStatus: 'PART' });
    expect(report.paymentInfos).toEqual([
      { paymentInfoId: 'DF20260303090000EEEEEE-RCUR', numberOfTransactions: 2, controlSumCents: 6050, status: 'RJCT', reasonCode: 'AG02', transactions: [] },
      { paymentInfoId: 'DF20260303090000EEEEEE-FRST', status: 'ACCP', transactions: [] },
    ]);
    expect(rejects(report)).toEqual(['DF20260303090000EEEEEE-RCUR:AG02']);
  });

  it('looksLikePain002 tells a status report from a camt', () => {
    expect(looksLikePain002(fixture('pain002-rejects.xml'))).toBe(true);
    expect(looksLikePain002(fixture('pain002-payment-info-reject.xml'))).toBe(true);
    expect(looksLikePain002(fixture('camt054-batch-only.xml'))).toBe(false);
    expect(looksLikePain002(fixture('camt053-collections.xml'))).toBe(false);
  });
});

describe('parsePain002 refuses', () => {
  const base = fixture('pain002-rejects.xml');
  it.each<[string, string, SepaErrorType, RegExp]>([
    ['a report on a credit transfer (pain.001)', base.replace('<OrgnlMsgNmId>pain.008.001.02', '<OrgnlMsgNmId>pain.001.001.03'), SepaErrorType.Unsupported, /only status reports on our direct debits \(pain\.008\) are read/],
    ['an unknown version', base.replace('xsd:pain.002.001.03"', 'xsd:pain.002.001.05"'), SepaErrorType.Unsupported, /is not pain\.002 version 001\.03 or 001\.10/],
    ['a rejected amount in another currency', base.replace('<InstdAmt Ccy="EUR">30.25', '<InstdAmt Ccy="USD">30.25'), SepaErrorType.Invalid, /is in USD: SEPA direct debits are in EUR/],
    ['a transaction that names nothing', base.replace(/<OrgnlInstrId>[^<]*<\/OrgnlInstrId>\s*<OrgnlEndToEndId>[^<]*<\/OrgnlEndToEndId>/, ''), SepaErrorType.Invalid, /OrgnlEndToEndId is missing \(and there is no OrgnlInstrId\)/],
    ['a status that is no status', base.replace('<TxSts>RJCT</TxSts>', '<TxSts>rejected</TxSts>'), SepaErrorType.Invalid, /TxSts/],
    ['a DOCTYPE', base.replace('<?xml version="1.0" encoding="UTF-8"?>', '<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE x>'), SepaErrorType.ForbiddenConstruct, /./],
    ['not well-formed', base.slice(0, base.length / 2), SepaErrorType.Malformed, /^pain\.002 document: .*\(line \d+, column \d+/],
  ])('%s', (_, xml, type, message) => {
    const error = sepaError(() => parsePain002(xml));
    expect(error.type).toBe(type);
    expect(error.message).toMatch(message);
  });

  it('a report without GrpSts and without PmtInf says nothing', () => {
    const xml = fixture('pain002-group-reject.xml').replace(/<GrpSts>RJCT<\/GrpSts>/, '');
    expect(sepaError(() => parsePain002(xml)).message).toMatch(/GrpSts is missing and there is no OrgnlPmtInfAndSts/);
  });
});

describe('buildPain002 (what the simulated bank writes)', () => {
  it('round-trips every fixture written as .001.03', () => {
    for (const name of ['pain002-rejects.xml', 'pain002-group-reject.xml', 'pain002-payment-info-reject.xml']) {
      const report = { ...parsePain002(fixture(name)), version: '001.03' as const };
      expect(parsePain002(buildPain002(report)), name).toEqual(report);
    }
  });

  it('refuses what pain.002 cannot carry', () => {
    const report = parsePain002(fixture('pain002-rejects.xml'));
    expect(sepaError(() => buildPain002({ ...report, version: '001.10' })).field).toBe('version');
    report.paymentInfos[0]!.transactions[0]!.reasonCode = 'insufficient';
    expect(sepaError(() => buildPain002(report)).field).toBe('paymentInfos[0].transactions[0].reasonCode');
  });
});
