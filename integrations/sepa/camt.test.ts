import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCamt053, buildCamt054, buildCamtFile, parseCamt, parseCamtStatements } from './camt.js';
import { fixture, iso20022Dir, sepaError, xsdErrors } from './testing/support.js';
import { SepaErrorType, type BankStatement } from './types.js';

describe('parseCamt fixtures', () => {
  it('camt053-collections: one batch credit with 3 TxDtls, and a transfer by invoice number', () => {
    const statement = parseCamt(fixture('camt053-collections.xml'));
    expect(statement).toMatchObject({
      format: 'camt.053',
      messageId: 'STMT-20260305-0001',
      createdAt: '2026-03-05T22:10:00+01:00',
      statementId: 'NL91ABNA0417164300-20260305',
      accountIban: 'NL91ABNA0417164300',
    });
    const [batch, transfer] = statement.entries;
    expect(statement.entries).toHaveLength(2);
    expect(batch).toEqual({
      entryRef: 'ABN-20260305-000123',
      bookingDate: '2026-03-05',
      valueDate: '2026-03-05',
      amountCents: 18725,
      currency: 'EUR',
      creditDebit: 'CRDT',
      reversal: false,
      status: 'BOOK',
      bankTransactionCode: { domain: 'PMNT', family: 'IDDT', subFamily: 'ESDD', proprietary: 'N956' },
      isReturn: false,
      // The Btch (PmtInfId and NbOfTxs only) and its three TxDtls.
      batches: [{ paymentInfoId: 'DF-2026-03-001-FRST', numberOfTransactions: 3, firstTransaction: 0, transactionCount: 3 }],
      transactions: [
        {
          endToEndId: 'DF-INV-2026-0101',
          paymentInfoId: 'DF-2026-03-001-FRST',
          mandateId: 'DF-MANDATE-0001',
          amountCents: 12500,
          remittance: 'Factuur 2026-0101 adviesabonnement maart',
          counterpartyName: 'J. de Vries',
          counterpartyIban: 'NL20INGB0001234567',
        },
        {
          endToEndId: 'DF-INV-2026-0102',
          mandateId: 'DF-MANDATE-0002',
          amountCents: 4995,
          remittance: 'Factuur 2026-0102',
          counterpartyName: 'A. Jansen & Zn.',
          counterpartyIban: 'NL44RABO0123456789',
        },
        {
          endToEndId: 'DF-INV-2026-0105',
          mandateId: 'DF-MANDATE-0005',
          amountCents: 1230,
          remittance: 'Factuur 2026-0105',
          counterpartyName: 'P. Bakker',
          counterpartyIban: 'NL02ABNA0123456789',
        },
      ],
    });
    // NOTPROVIDED is no EndToEndId; the single TxDtls gets the entry amount.
    expect(transfer?.transactions).toEqual([
      { amountCents: 25000, remittance: 'Factuur 2026-0099', counterpartyName: 'M. de Boer', counterpartyIban: 'NL36INGB0007654321' },
    ]);
    expect(transfer?.isReturn).toBe(false);
  });

  it('camt053-returns (.001.08): MD06 and AM04 returns with the original EndToEndId', () => {
    const statement = parseCamt(fixture('camt053-returns.xml'));
    expect(statement.entries.map((e) => [e.creditDebit, e.isReturn, e.reversal, e.status, e.amountCents])).toEqual([
      ['DBIT', true, false, 'BOOK', 12500],
      ['DBIT', true, true, 'BOOK', 4995],
    ]);
    expect(statement.entries.flatMap((e) => e.transactions)).toEqual([
      {
        endToEndId: 'DF-INV-2026-0101',
        mandateId: 'DF-MANDATE-0001',
        amountCents: 12500,
        remittance: 'Factuur 2026-0101 adviesabonnement maart',
        returnReason: 'MD06',
        counterpartyName: 'J. de Vries',
        counterpartyIban: 'NL20INGB0001234567',
      },
      {
        endToEndId: 'DF-INV-2026-0102',
        mandateId: 'DF-MANDATE-0002',
        amountCents: 4995,
        returnReason: 'AM04',
        counterpartyName: 'A. Jansen & Zn.',
        counterpartyIban: 'NL44RABO0123456789',
      },
    ]);
  });

  it('camt054-return: a notification with an AC04 return, booking date from DtTm', () => {
    const statement = parseCamt(new TextEncoder().encode(fixture('camt054-return.xml')));
    expect(statement.format).toBe('camt.054');
    expect(statement.entries).toEqual([
      {
        entryRef: 'ABN-20260309-RTN-0007',
        bookingDate: '2026-03-09',
        valueDate: '2026-03-09',
        amountCents: 99999,
        currency: 'EUR',
        creditDebit: 'DBIT',
        reversal: false,
        status: 'BOOK',
        bankTransactionCode: { domain: 'PMNT', family: 'IDDT', subFamily: 'UPDD' },
        isReturn: true,
        transactions: [
          {
            endToEndId: 'DF-INV-2026-0104',
            mandateId: 'DF-MANDATE-0004',
            amountCents: 99999,
            remittance: 'Factuur 2026-0104 jaarpremie',
            returnReason: 'AC04',
            counterpartyName: 'S. Visser-Smit',
            counterpartyIban: 'NL63TRIO0212345678',
          },
        ],
      },
    ]);
  });

  it('camt053-batch-details (.001.08): one entry for the PmtInf with its Btch and a TxDtls per collection', () => {
    const [statement, ...more] = parseCamtStatements(fixture('camt053-batch-details.xml'));
    expect(more).toEqual([]);
    expect(statement).toMatchObject({ format: 'camt.053', messageId: 'STMT-20260305-0900', accountIban: 'NL91ABNA0417164300' });
    const [entry] = statement!.entries;
    expect(statement!.entries).toHaveLength(1);
    expect(entry).toMatchObject({ creditDebit: 'CRDT', amountCents: 6050, status: 'BOOK', isReturn: false, bookingDate: '2026-03-05' });
    expect(entry?.batches).toEqual([
      {
        messageId: 'DF20260303090000D4E5F6',
        paymentInfoId: 'DF20260303090000D4E5F6-RCUR',
        numberOfTransactions: 2,
        totalCents: 6050,
        currency: 'EUR',
        creditDebit: 'CRDT',
        firstTransaction: 0,
        transactionCount: 2,
      },
    ]);
    // .08: the transaction amount is TxDtls/Amt; Refs/PmtInfId is read too.
    expect(entry?.transactions.map((t) => [t.endToEndId, t.paymentInfoId, t.amountCents, t.mandateId, t.counterpartyName])).toEqual([
      ['INV-2026-00002-0-2b3c4d5e', 'DF20260303090000D4E5F6-RCUR', 3025, 'MANDAAT-0002', 'A. Jansen'],
      ['INV-2026-00003-0-3c4d5e6f', 'DF20260303090000D4E5F6-RCUR', 3025, 'MANDAAT-0003', 'P. Bakker'],
    ]);
  });

  it('camt054-batch-only: the batch credit without any TxDtls, and an MD06 return as its own debit entry', () => {
    const statement = parseCamt(fixture('camt054-batch-only.xml'));
    expect(statement).toMatchObject({ format: 'camt.054', messageId: 'NTFC-20260306-0042', statementId: 'NL91ABNA0417164300-20260306-1' });
    const [credit, ret] = statement.entries;
    expect(statement.entries).toHaveLength(2);
    expect(credit).toMatchObject({ creditDebit: 'CRDT', amountCents: 9075, isReturn: false, transactions: [] });
    expect(credit?.batches).toEqual([
      {
        messageId: 'DF20260303090000A1B2C3',
        paymentInfoId: 'DF20260303090000A1B2C3-FRST',
        numberOfTransactions: 3,
        totalCents: 9075,
        currency: 'EUR',
        creditDebit: 'CRDT',
        firstTransaction: 0,
        transactionCount: 0,
      },
    ]);
    expect(ret).toMatchObject({ creditDebit: 'DBIT', isReturn: true, reversal: false, amountCents: 3025, bookingDate: '2026-03-06' });
    expect(ret?.batches).toBeUndefined();
    expect(ret?.transactions).toEqual([
      {
        endToEndId: 'INV-2026-00001-0-1a2b3c4d',
        mandateId: 'MANDAAT-0001',
        amountCents: 3025,
        remittance: 'Factuur 2026-00001',
        returnReason: 'MD06',
        counterpartyName: 'J. de Vries',
        counterpartyIban: 'NL20INGB0001234567',
      },
    ]);
  });

  it('camt053-multi-statement: two Stmt in one file (a batch credit, then a return batch with TxDtls)', () => {
    expect(sepaError(() => parseCamt(fixture('camt053-multi-statement.xml'))).type).toBe(SepaErrorType.Unsupported);
    const statements = parseCamtStatements(fixture('camt053-multi-statement.xml'));
    expect(statements.map((s) => [s.format, s.messageId, s.statementId, s.accountIban, s.entries.length])).toEqual([
      ['camt.053', 'RABO-STMT-20260309-01', 'NL91ABNA0417164300-20260306', 'NL91ABNA0417164300', 1],
      ['camt.053', 'RABO-STMT-20260309-01', 'NL91ABNA0417164300-20260309', 'NL91ABNA0417164300', 1],
    ]);
    const [credit] = statements[0]!.entries;
    const [returns] = statements[1]!.entries;
    // Btch with PmtInfId only (no MsgId), no TxDtls.
    expect(credit?.batches).toEqual([
      { paymentInfoId: 'DF20260304090000AAAAAA-RCUR', numberOfTransactions: 3, totalCents: 9075, currency: 'EUR', creditDebit: 'CRDT', firstTransaction: 0, transactionCount: 0 },
    ]);
    expect(credit?.transactions).toEqual([]);
    // A return batch: one debit entry, Btch DBIT without PmtInfId, a TxDtls per return with its reason (.02: AmtDtls/TxAmt).
    expect(returns).toMatchObject({ creditDebit: 'DBIT', isReturn: true, amountCents: 6050, bookingDate: '2026-03-09' });
    expect(returns?.batches).toEqual([{ numberOfTransactions: 2, totalCents: 6050, currency: 'EUR', creditDebit: 'DBIT', firstTransaction: 0, transactionCount: 2 }]);
    expect(returns?.transactions.map((t) => [t.endToEndId, t.amountCents, t.returnReason])).toEqual([
      ['INV-2026-00011-0-aaaa0011', 3025, 'AM04'],
      ['INV-2026-00012-0-aaaa0012', 3025, 'MS02'],
    ]);
  });

  it('camt054-multi-notification (.001.08): two Ntfctn, the return (RvslInd, booking date from DtTm) before the batch credit it returns', () => {
    const notifications = parseCamtStatements(fixture('camt054-multi-notification.xml'));
    expect(notifications.map((n) => [n.format, n.statementId, n.entries.map((e) => `${e.creditDebit}:${e.amountCents}`)])).toEqual([
      ['camt.054', 'NTFC-77-1', ['DBIT:3025']],
      ['camt.054', 'NTFC-77-2', ['CRDT:6050']],
    ]);
    const [ret] = notifications[0]!.entries;
    expect(ret).toMatchObject({ isReturn: true, reversal: true, status: 'BOOK', bookingDate: '2026-03-06' });
    expect(ret?.transactions.map((t) => [t.endToEndId, t.returnReason])).toEqual([['INV-2026-00021-0-bbbb0021', 'AM04']]);
    expect(notifications[1]!.entries[0]?.batches).toEqual([
      {
        messageId: 'DF20260303090000BBBBBB',
        paymentInfoId: 'DF20260303090000BBBBBB-FRST',
        numberOfTransactions: 2,
        totalCents: 6050,
        currency: 'EUR',
        creditDebit: 'CRDT',
        firstTransaction: 0,
        transactionCount: 0,
      },
    ]);
  });

  it('camt053-malformed is refused as a whole', () => {
    const error = sepaError(() => parseCamt(fixture('camt053-malformed.xml')));
    expect(error.type).toBe(SepaErrorType.Malformed);
    expect(error.message).toMatch(/^camt document is not well-formed XML/);
  });

  describe.skipIf(!iso20022Dir)('fixtures are valid against the ISO XSDs', () => {
    it.each([
      ['camt053-collections.xml', 'camt.053.001.02.xsd'],
      ['camt053-returns.xml', 'camt.053.001.08.xsd'],
      ['camt054-return.xml', 'camt.054.001.02.xsd'],
      ['camt053-batch-details.xml', 'camt.053.001.08.xsd'],
      ['camt053-multi-statement.xml', 'camt.053.001.02.xsd'],
      ['camt054-batch-only.xml', 'camt.054.001.02.xsd'],
      ['camt054-multi-notification.xml', 'camt.054.001.08.xsd'],
    ])('%s', async (name, xsd) => {
      expect(await xsdErrors(fixture(name), xsd, iso20022Dir!)).toEqual([]);
    });
  });
});

describe.skipIf(!iso20022Dir)('official samples (reference/iso20022/samples)', () => {
  const sample = (name: string): string | undefined => {
    const file = path.join(iso20022Dir ?? '', 'samples', name);
    return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  };
  it('camt.053.001.02 sample parses', () => {
    const xml = sample('camt.053.001.02.sample.xml');
    if (xml === undefined) return console.warn('[sepa tests] camt.053 sample absent');
    const statement = parseCamt(xml);
    expect(statement.accountIban).toBe('NL26VAYB8060476890');
    expect(statement.entries).toHaveLength(1);
    expect(statement.entries[0]).toMatchObject({ amountCents: 885, currency: 'EUR', creditDebit: 'CRDT', bookingDate: '2014-12-31', isReturn: false });
    expect(statement.entries[0]?.transactions[0]).toMatchObject({ creditorReference: '4654654654654654', counterpartyName: 'NAME NAME', amountCents: 885 });
  });
  it('camt.054.001.02 sample parses (account by Othr/Id, no per-transaction amounts)', () => {
    const xml = sample('camt.054.001.02.sample.xml');
    if (xml === undefined) return console.warn('[sepa tests] camt.054 sample absent');
    const statement = parseCamt(xml);
    expect(statement.accountIban).toBeUndefined();
    expect(statement.accountOtherId).toBe('CH2801234000123456789');
    const entry = statement.entries[0];
    expect(entry).toMatchObject({ amountCents: 20000000, currency: 'SEK', creditDebit: 'DBIT', bookingDate: '2007-10-18', isReturn: false });
    expect(entry?.transactions.map((t) => [t.endToEndId, t.amountCents, t.remittance])).toEqual([
      ['MUELL/FINP/RA12345', undefined, 'Unstructured Remittance Information V1'],
      ['MUELL/FINP/RA12345', undefined, undefined],
      ['MUELL/FINP/RA12345', undefined, 'Unstructured Remittance Information V3 block 1 Unstructured Remittance Information V3 block 2'],
    ]);
  });
});

const minimal = (ntry: string, ns = 'camt.053.001.02'): string => `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:${ns}"><BkToCstmrStmt>
<GrpHdr><MsgId>M1</MsgId><CreDtTm>2026-03-05T22:10:00</CreDtTm></GrpHdr>
<Stmt><Id>S1</Id><Acct><Id><IBAN>NL91ABNA0417164300</IBAN></Id></Acct>${ntry}</Stmt>
</BkToCstmrStmt></Document>`;
const ntry = (amt: string, extra = ''): string =>
  `<Ntry><Amt Ccy="EUR">${amt}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2026-03-05</Dt></BookgDt><BkTxCd/>${extra}</Ntry>`;

describe('parseCamt amounts', () => {
  it.each([
    ['12.30', 1230],
    ['12.3', 1230],
    ['12', 1200],
    ['0.01', 1],
    ['12.300', 1230],
    ['999999999.99', 99999999999],
  ])('%s -> %i cents', (text, cents) => {
    expect(parseCamt(minimal(ntry(text))).entries[0]?.amountCents).toBe(cents);
  });

  it.each([['12,30'], ['12.345'], ['-1.00'], ['1e3'], [' '], ['12.']])('refuses %j naming the element', (text) => {
    const error = sepaError(() => parseCamt(minimal(ntry(text))));
    expect(error.type).toBe(SepaErrorType.Invalid);
    expect(error.path).toBe('Document/BkToCstmrStmt/Stmt/Ntry/Amt');
  });

  it('refuses an amount without currency, and names the second entry', () => {
    const xml = minimal(ntry('1.00') + ntry('2.00').replace(' Ccy="EUR"', ''));
    expect(sepaError(() => parseCamt(xml)).message).toBe('Document/BkToCstmrStmt/Stmt/Ntry[2]/Amt has no Ccy attribute');
  });

  it('refuses a batch entry whose transactions do not add up', () => {
    const details = '<NtryDtls><TxDtls><AmtDtls><TxAmt><Amt Ccy="EUR">1.00</Amt></TxAmt></AmtDtls></TxDtls><TxDtls><AmtDtls><TxAmt><Amt Ccy="EUR">2.00</Amt></TxAmt></AmtDtls></TxDtls></NtryDtls>';
    expect(sepaError(() => parseCamt(minimal(ntry('4.00', details)))).message).toContain('is 4.00 but its 2 TxDtls add up to 3.00');
  });
});

describe('parseCamt refuses', () => {
  it.each([
    ['DOCTYPE', `<?xml version="1.0"?><!DOCTYPE Document [<!ENTITY x "y">]>${minimal('').slice(minimal('').indexOf('<Document'))}`, SepaErrorType.ForbiddenConstruct],
    ['external entity', `<?xml version="1.0"?><!DOCTYPE d SYSTEM "file:///etc/passwd"><Document/>`, SepaErrorType.ForbiddenConstruct],
    ['undeclared entity', minimal(ntry('1.00')).replace('<MsgId>M1', '<MsgId>&xxe;M1'), SepaErrorType.Malformed],
    ['processing instruction', minimal('').replace('<Document', '<?php echo 1; ?><Document'), SepaErrorType.ForbiddenConstruct],
    ['too deep', minimal(`${'<X>'.repeat(40)}${'</X>'.repeat(40)}`), SepaErrorType.TooDeep],
    ['another namespace', minimal('', 'camt.052.001.02'), SepaErrorType.Unsupported],
    ['no namespace', minimal('').replace(/ xmlns="[^"]*"/, ''), SepaErrorType.Unsupported],
    ['wrong root', '<Statement/>', SepaErrorType.Invalid],
    ['missing MsgId', minimal('').replace('<MsgId>M1</MsgId>', ''), SepaErrorType.Invalid],
    ['bad CdtDbtInd', minimal(ntry('1.00').replace('CRDT', 'CREDIT')), SepaErrorType.Invalid],
    ['bad date', minimal(ntry('1.00').replace('2026-03-05', '2026-02-30')), SepaErrorType.Invalid],
  ])('%s', (_name, xml, type) => {
    expect(sepaError(() => parseCamt(xml)).type).toBe(type);
  });

  it('refuses more than 20 MiB before parsing, as text and as bytes', () => {
    const big = minimal(`<AddtlStmtInf>${'x'.repeat(20 * 1024 * 1024)}</AddtlStmtInf>`);
    expect(sepaError(() => parseCamt(big)).type).toBe(SepaErrorType.TooLarge);
    expect(sepaError(() => parseCamt(new TextEncoder().encode(big))).message).toMatch(/^camt document is \d+ bytes, more than the limit of 20971520 bytes/);
  });

  it('parseCamt refuses a multi-account file, parseCamtStatements reads it', () => {
    const two = minimal('').replace('</Stmt>', '</Stmt><Stmt><Id>S2</Id><Acct><Id><IBAN>NL20INGB0001234567</IBAN></Id></Acct></Stmt>');
    expect(sepaError(() => parseCamt(two)).type).toBe(SepaErrorType.Unsupported);
    expect(parseCamtStatements(two).map((s) => s.accountIban)).toEqual(['NL91ABNA0417164300', 'NL20INGB0001234567']);
  });

  it('accepts a prefixed namespace', () => {
    const prefixed = minimal(ntry('1.00'))
      .replace('<Document xmlns=', '<ns2:Document xmlns:ns2=')
      .replace('</Document>', '</ns2:Document>');
    expect(parseCamt(prefixed).entries[0]?.amountCents).toBe(100);
  });
});

describe('buildCamt053 / buildCamt054', () => {
  const statement = (): BankStatement => {
    const parsed = parseCamt(fixture('camt053-collections.xml'));
    const returns = parseCamt(fixture('camt053-returns.xml'));
    return { ...parsed, entries: [...parsed.entries, ...returns.entries] };
  };

  it('round-trips through parseCamt', () => {
    const s = statement();
    expect(parseCamt(buildCamt053(s))).toEqual(s);
    expect(parseCamt(buildCamt054(s))).toEqual({ ...s, format: 'camt.054' });
  });

  it('writes balances: opening and closing', () => {
    const xml = buildCamt053(statement(), { openingBalanceCents: 100000 });
    // 1000.00 + 187.25 + 250.00 - 125.00 - 49.95
    expect(xml).toMatch(/<Cd>CLBD<\/Cd>[\s\S]*?<Amt Ccy="EUR">1262.30<\/Amt>/);
  });

  it('splits long remittance over several Ustrd lines and reads it back', () => {
    const s = statement();
    const long = `Factuur ${'2026-0101 '.repeat(20)}einde`;
    s.entries[0]!.transactions[0]!.remittance = long;
    expect(parseCamt(buildCamt053(s)).entries[0]?.transactions[0]?.remittance).toBe(long);
  });

  it('refuses what camt cannot carry', () => {
    const s = statement();
    s.entries[0]!.transactions[0]!.endToEndId = 'E'.repeat(36);
    expect(sepaError(() => buildCamt053(s)).field).toBe('entries[0].transactions[0].endToEndId');
  });

  it('round-trips every batch shape and several statements, in .001.02 and .001.08', () => {
    for (const name of ['camt053-batch-details.xml', 'camt053-multi-statement.xml', 'camt054-batch-only.xml', 'camt054-multi-notification.xml']) {
      const statements = parseCamtStatements(fixture(name));
      const format = statements[0]!.format;
      for (const version of ['001.02', '001.08'] as const) {
        const xml = buildCamtFile(format, statements, { version });
        expect(xml).toContain(`urn:iso:std:iso:20022:tech:xsd:${format}.${version}`);
        // The builder writes no Prtry issuer, and .02 reads amounts from AmtDtls: everything else comes back.
        expect(parseCamtStatements(xml), `${name} ${version}`).toEqual(statements);
      }
    }
  });

  it('refuses batches that do not cover the entry\'s TxDtls in order', () => {
    const [statement] = parseCamtStatements(fixture('camt053-batch-details.xml'));
    statement!.entries[0]!.batches![0]!.transactionCount = 1;
    expect(sepaError(() => buildCamtFile('camt.053', [statement!])).message).toMatch(/entries\[0\]\.batches cover 1 of the entry's 2 TxDtls/);
  });

  describe.skipIf(!iso20022Dir)('XSD', () => {
    it('built camt.053 validates against camt.053.001.02.xsd', async () => {
      expect(await xsdErrors(buildCamt053(statement()), 'camt.053.001.02.xsd', iso20022Dir!)).toEqual([]);
    });
    it('built camt.054 validates against camt.054.001.02.xsd', async () => {
      expect(await xsdErrors(buildCamt054(statement()), 'camt.054.001.02.xsd', iso20022Dir!)).toEqual([]);
    });
    it.each([
      ['camt053-multi-statement.xml', '001.02'],
      ['camt053-multi-statement.xml', '001.08'],
      ['camt054-multi-notification.xml', '001.02'],
      ['camt054-multi-notification.xml', '001.08'],
      ['camt054-batch-only.xml', '001.08'],
      ['camt053-batch-details.xml', '001.02'],
    ] as const)('built from %s in .%s validates against its XSD', async (name, version) => {
      const statements = parseCamtStatements(fixture(name));
      const format = statements[0]!.format;
      expect(await xsdErrors(buildCamtFile(format, statements, { version }), `${format}.${version}.xsd`, iso20022Dir!)).toEqual([]);
    });
  });
});
