import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCamt053, buildCamt054, parseCamt, parseCamtStatements } from './camt.js';
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
      transactions: [
        {
          endToEndId: 'DF-INV-2026-0101',
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

  describe.skipIf(!iso20022Dir)('XSD', () => {
    it('built camt.053 validates against camt.053.001.02.xsd', async () => {
      expect(await xsdErrors(buildCamt053(statement()), 'camt.053.001.02.xsd', iso20022Dir!)).toEqual([]);
    });
    it('built camt.054 validates against camt.054.001.02.xsd', async () => {
      expect(await xsdErrors(buildCamt054(statement()), 'camt.054.001.02.xsd', iso20022Dir!)).toEqual([]);
    });
  });
});
