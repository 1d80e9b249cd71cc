/**
 * What we send, AX and DX, in the public shape: typed view (readHdnMessage) and typed builder
 * (buildPublicHdn) over the 24.0 data file. Round trips, refusals with element paths, amounts,
 * unknown elements and codes, legacy -> public, and the test-only 99.0 data file.
 * Fixtures are SYNTHETIC (mapping/test-fixtures/ax-24.xml, dx-24.xml, ax-99.xml; said in each).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseHdn } from './codec.js';
import { readHdnMessage, readHdnMessageDetailed } from './read.js';
import { HdnError, HdnErrorType, type HdnApplication, type HdnDocumentDelivery } from './types.js';
import { buildPublicHdn, publicHdnWriteVersion } from './write.js';

const here = dirname(fileURLToPath(import.meta.url));
const publicDir = join(here, 'mapping', 'test-fixtures');
const publicFixture = (name: string) => readFileSync(join(publicDir, name), 'utf8');
const legacyFixture = (name: string) => readFileSync(join(here, 'fixtures', name), 'utf8');
const ax24 = publicFixture('ax-24.xml');
const dx24 = publicFixture('dx-24.xml');

function hdnError(fn: () => unknown): HdnError {
  try {
    fn();
  } catch (error) {
    if (error instanceof HdnError) return error;
    throw error;
  }
  throw new Error('expected an HdnError');
}

const header = (type: 'AX' | 'DX', more: Record<string, unknown> = {}) => ({
  senderNode: '400123',
  receiverNode: '300001',
  senderName: type === 'AX' ? 'Adviespakket Demo' : 'dossierflow',
  receiverName: 'Voorbeeld Hypotheken N.V.',
  messageType: type,
  messageVersion: '24.0',
  receiverCode: 'VBH',
  sentDate: type === 'AX' ? '2026-03-02' : '2026-03-05',
  sentTime: type === 'AX' ? '09:15:00' : '14:00:00',
  packageName: type === 'AX' ? 'AdviesDemo' : 'dossierflow',
  packageVersion: type === 'AX' ? '7.2' : '0.1.0',
  applicationNumber: '000123',
  applicationVersion: '1',
  ...more,
});

describe('AX in the public shape', () => {
  it('reads every field into HdnApplication: cents from decimal euros, codes as codes, unknown elements kept where they were', () => {
    expect(readHdnMessage(ax24)).toStrictEqual({
      type: 'AX',
      header: header('AX', { extra: { Referentie: 'intern-7' } }),
      applicants: [
        {
          position: 1,
          firstName: 'Jan',
          infix: 'de',
          lastName: 'Vries',
          birthDate: '1988-04-12',
          email: 'jan.devries@example.nl',
          phone: '0612345678',
          street: 'Dorpsstraat',
          houseNumber: 12,
          houseNumberSuffix: 'A',
          postcode: '1234 AB',
          city: 'Voorbeelddorp',
          extra: { Nationaliteit: 'NL' },
        },
        { position: 2, firstName: 'Fatima', lastName: 'El Amrani & Bakker', birthDate: '1990-11-30', email: 'fatima@example.nl' },
      ],
      property: {
        street: 'Kerkweg',
        houseNumber: 7,
        postcode: '5678 CD',
        city: 'Proefstad',
        purchasePriceCents: 42_500_000,
        marketValueCents: 43_000_000,
        extra: { Bouwjaar: '1932' },
      },
      loanParts: [
        { number: '1', repaymentType: '01', amountCents: 30_000_000, durationMonths: 360, fixedRateMonths: 120 },
        { number: '2', repaymentType: '05', amountCents: 9_000_050, durationMonths: 360, extra: { Fiscaal: { Box: '3' } } },
      ],
      nhg: true,
      financingConditionDate: '2026-04-15',
      extra: { Energielabel: { '#text': 'A++', '@_klasse': 'A' } },
    });
  });

  it('round-trips: read -> build -> read gives the same message, and building again the same text', () => {
    const message = readHdnMessage(ax24) as HdnApplication;
    const xml = buildPublicHdn(message);
    expect(readHdnMessage(xml)).toStrictEqual(message);
    expect(buildPublicHdn(readHdnMessage(xml) as HdnApplication)).toBe(xml);
    // Mapped elements first (member XSDs use sequences), kept unknown ones after them.
    expect(xml).toMatch(/<Header>\s*<VerzenderNrHDN>[\s\S]*<AanvraagVersie>1<\/AanvraagVersie>\s*<Referentie>intern-7<\/Referentie>/);
    expect(xml).toContain('<LeningDeelBedrag>90000.50</LeningDeelBedrag>');
    expect(xml).toContain('<Energielabel klasse="A">A++</Energielabel>');
  });

  it('writes a legacy <HDN> AX in the public shape: repayment words become codes, cents become euros, extras are kept', () => {
    const legacy = parseHdn(legacyFixture('ax.xml')) as HdnApplication;
    const xml = buildPublicHdn(legacy);
    expect(xml).not.toContain('<HDN>');
    expect(xml).toMatch(/<AflossingsVorm>01<\/AflossingsVorm>[\s\S]*<AflossingsVorm>05<\/AflossingsVorm>/);
    const back = readHdnMessage(xml) as HdnApplication;
    expect(back.loanParts.map((p) => [p.number, p.repaymentType, p.amountCents, p.fixedRateMonths])).toEqual([
      ['1', '01', 30_000_000, 120],
      ['2', '05', 9_000_000, 60],
    ]);
    const { loanParts: _a, ...rest } = back;
    const { loanParts: _b, ...legacyRest } = legacy;
    expect(rest).toStrictEqual(legacyRest);
  });

  it('writes applicants in position order (position is the order: no element carries it)', () => {
    const message = readHdnMessage(ax24) as HdnApplication;
    const swapped = { ...message, applicants: [{ ...message.applicants[1]!, position: 2 }, { ...message.applicants[0]!, position: 1 }] };
    expect((readHdnMessage(buildPublicHdn(swapped)) as HdnApplication).applicants.map((a) => a.firstName)).toEqual(['Jan', 'Fatima']);
  });

  it('records a repayment code the list does not know, keeps it, and writes it back', () => {
    const xml = ax24.replace('<AflossingsVorm>05</AflossingsVorm>', '<AflossingsVorm>07</AflossingsVorm>');
    const message = readHdnMessage(xml) as HdnApplication;
    expect(message.loanParts[1]?.repaymentType).toBe('07');
    expect(message.codes).toEqual([{ field: 'loanParts[2].repaymentType', element: 'AX/Lening/LeningDeel[2]/AflossingsVorm', list: 'repaymentType', code: '07', status: 'unknown' }]);
    expect(buildPublicHdn(message)).toContain('<AflossingsVorm>07</AflossingsVorm>');
  });

  it.each([
    { what: 'last name missing', xml: ax24.replace('<AchterNaam>Vries</AchterNaam>', ''), element: 'AX/Aanvrager[1]/AchterNaam' },
    { what: 'birth date missing', xml: ax24.replace('<GeboorteDt>1990-11-30</GeboorteDt>', ''), element: 'AX/Aanvrager[2]/GeboorteDt' },
    { what: 'first name missing', xml: ax24.replace('<VoorNaam>Jan</VoorNaam>', ''), element: 'AX/Aanvrager[1]/VoorNaam' },
    { what: 'no applicant', xml: ax24.replace(/<Aanvrager>[\s\S]*<\/Aanvrager>/, ''), element: 'AX/Aanvrager' },
    { what: 'loan part amount missing', xml: ax24.replace('<LeningDeelBedrag>300000.00</LeningDeelBedrag>', ''), element: 'AX/Lening/LeningDeel[1]/LeningDeelBedrag' },
    { what: 'loan part duration missing', xml: ax24.replace('<DuurInMnd>360</DuurInMnd>', ''), element: 'AX/Lening/LeningDeel[1]/DuurInMnd' },
    { what: 'repayment code missing', xml: ax24.replace('<AflossingsVorm>05</AflossingsVorm>', ''), element: 'AX/Lening/LeningDeel[2]/AflossingsVorm' },
    { what: 'no loan part', xml: ax24.replace(/<LeningDeel>[\s\S]*<\/LeningDeel>/, ''), element: 'AX/Lening/LeningDeel' },
    { what: 'amount with three decimals', xml: ax24.replace('90000.5<', '90000.505<'), element: 'AX/Lening/LeningDeel[2]/LeningDeelBedrag' },
    { what: 'purchase price with three decimals', xml: ax24.replace('<KoopsomBedrag>425000<', '<KoopsomBedrag>425000.001<'), element: 'AX/Onderpand/KoopsomBedrag' },
    { what: 'amount in cents-style with a comma', xml: ax24.replace('300000.00<', '300000,00<'), element: 'AX/Lening/LeningDeel[1]/LeningDeelBedrag' },
    { what: 'NHG not J/N', xml: ax24.replace('<NHGJN>J</NHGJN>', '<NHGJN>true</NHGJN>'), element: 'AX/Lening/NHGJN' },
    { what: 'birth date not a date', xml: ax24.replace('1988-04-12', '12-04-1988'), element: 'AX/Aanvrager[1]/GeboorteDt' },
    { what: 'two properties', xml: ax24.replace('<Lening>', '<Onderpand><PlaatsNaam>X</PlaatsNaam></Onderpand><Lening>'), element: 'AX/Onderpand' },
    { what: 'header sender name missing', xml: ax24.replace('<VerzenderNaam>Adviespakket Demo</VerzenderNaam>', ''), element: 'AX/Header/VerzenderNaam' },
  ])('refuses an AX with $what, naming $element', ({ xml, element }) => {
    const error = hdnError(() => readHdnMessage(xml));
    expect([error.type, error.element]).toEqual([HdnErrorType.Invalid, element]);
  });

  it.each([
    { what: 'a repayment word no label matches', change: (m: HdnApplication) => ({ ...m, loanParts: [{ ...m.loanParts[0]!, repaymentType: 'spaarhypotheek' }] }), element: 'AX/Lening/LeningDeel/AflossingsVorm' },
    { what: 'no sender name in the header', change: (m: HdnApplication) => ({ ...m, header: { ...m.header, senderName: undefined } }), element: 'AX/Header/VerzenderNaam' },
    { what: 'a control character', change: (m: HdnApplication) => ({ ...m, applicants: [{ ...m.applicants[0]!, lastName: 'bell\u0007' }] }), element: 'AX/Aanvrager/AchterNaam' },
    { what: 'fractional cents', change: (m: HdnApplication) => ({ ...m, loanParts: [{ ...m.loanParts[0]!, amountCents: 10.5 }] }), element: 'AX/Lening/LeningDeel/LeningDeelBedrag' },
    { what: 'a kept element that is also mapped', change: (m: HdnApplication) => ({ ...m, applicants: [{ ...m.applicants[0]!, extra: { AchterNaam: 'X' } }] }), element: 'AX/Aanvrager/AchterNaam' },
  ])('refuses to build an AX with $what, naming $element', ({ change, element }) => {
    const message = change(readHdnMessage(ax24) as HdnApplication) as HdnApplication;
    const error = hdnError(() => buildPublicHdn(message));
    expect([error.type, error.element]).toEqual([HdnErrorType.Invalid, element]);
  });

  it('turns labels with accents and case into codes (annuïteit, Lineair)', () => {
    const message = readHdnMessage(ax24) as HdnApplication;
    const words = { ...message, loanParts: message.loanParts.map((p, i) => ({ ...p, repaymentType: ['Annuïteit', 'Lineair'][i]! })) };
    expect((readHdnMessage(buildPublicHdn(words)) as HdnApplication).loanParts.map((p) => p.repaymentType)).toEqual(['01', '02']);
  });
});

describe('DX in the public shape', () => {
  const content = 'JVBERi0xLjQKJSBzeW50aGV0aWMgd2Vya2dldmVyc3ZlcmtsYXJpbmcKJSVFT0YK';

  it('reads the line id, kind and file; PrintDoc leftovers stay with the attachment, Document leftovers with the message', () => {
    expect(readHdnMessage(dx24)).toStrictEqual({
      type: 'DX',
      header: header('DX'),
      lineId: 'DOC-1',
      documentKind: '009',
      attachment: { filename: 'werkgeversverklaring.pdf', contentType: 'application/pdf', contentBase64: content, extra: { Paginas: '1' } },
      extra: { Document: { Omschrijving: 'werkgeversverklaring 2026' } },
    });
  });

  it('round-trips and builds the same text again', () => {
    const message = readHdnMessage(dx24) as HdnDocumentDelivery;
    const xml = buildPublicHdn(message);
    expect(readHdnMessage(xml)).toStrictEqual(message);
    expect(buildPublicHdn(readHdnMessage(xml) as HdnDocumentDelivery)).toBe(xml);
  });

  it('builds a DX from our domain message (what send-to-lender makes) and reads it back', () => {
    const dx: HdnDocumentDelivery = {
      type: 'DX',
      header: header('DX') as HdnDocumentDelivery['header'],
      lineId: 'R1',
      documentKind: 'salarisstrook',
      attachment: { filename: 'salaris & co.pdf', contentType: 'application/pdf', contentBase64: content },
    };
    const xml = buildPublicHdn(dx);
    expect(xml).toMatch(/<DX>\s*<Header>[\s\S]*<Document>\s*<DocumentKenmerk>R1<\/DocumentKenmerk>\s*<SoortDocument>salarisstrook<\/SoortDocument>/);
    const back = readHdnMessage(xml) as HdnDocumentDelivery;
    expect(back).toStrictEqual({ ...dx, codes: [{ field: 'documentKind', element: 'DX/Document/SoortDocument', list: 'documentKind', code: 'salarisstrook', status: 'unknown' }] });
  });

  it('takes DocumentMijNr as the line id when there is no DocumentKenmerk; names the file after the line when PrintDoc has no name', () => {
    const xml = dx24.replace('<DocumentKenmerk>DOC-1</DocumentKenmerk>', '<DocumentMijNr>M-9</DocumentMijNr>').replace(/<BestandsNaam>[^<]*<\/BestandsNaam>/, '');
    const message = readHdnMessage(xml) as HdnDocumentDelivery;
    expect([message.lineId, message.attachment.filename]).toEqual(['M-9', 'M-9.pdf']);
  });

  it.each([
    { what: 'no line id', xml: dx24.replace('<DocumentKenmerk>DOC-1</DocumentKenmerk>', ''), element: 'DX/Document/DocumentKenmerk' },
    { what: 'no document kind', xml: dx24.replace('<SoortDocument>009</SoortDocument>', ''), element: 'DX/Document/SoortDocument' },
    { what: 'no content', xml: dx24.replace(/<EncodedData>[\s\S]*<\/EncodedData>/, ''), element: 'DX/PrintDoc/EncodedData' },
    { what: 'content that is not base64', xml: dx24.replace(/<EncodedData>[\s\S]*<\/EncodedData>/, '<EncodedData>not*base64</EncodedData>'), element: 'DX/PrintDoc/EncodedData' },
    { what: 'BerichtSoort AX under a DX root', xml: dx24.replace('<BerichtSoort>DX</BerichtSoort>', '<BerichtSoort>AX</BerichtSoort>'), element: 'DX/Header/BerichtSoort' },
  ])('refuses a DX with $what, naming $element', ({ xml, element }) => {
    const error = hdnError(() => readHdnMessage(xml));
    expect([error.type, error.element]).toEqual([HdnErrorType.Invalid, element]);
  });
});

describe('versions when writing', () => {
  it('writes with the data file of the requested version when we have it, else the newest', () => {
    expect(publicHdnWriteVersion('24.0')).toBe('24.0');
    expect(publicHdnWriteVersion('25.1')).toBe('24.0');
    expect(publicHdnWriteVersion('20.0')).toBe('24.0');
    expect(publicHdnWriteVersion('99.0', { mappingDir: publicDir })).toBe('99.0');
  });

  it('a version 99.0 that renames the AX last name element needs only its data file and a fixture', () => {
    const ax99 = publicFixture('ax-99.xml');
    const result = readHdnMessageDetailed(ax99, undefined, { mappingDir: publicDir });
    expect(result.shape === 'public' ? [result.hdnVersion, result.exactVersion] : result.shape).toEqual(['99.0', true]);
    const message = result.message as HdnApplication;
    expect(message.applicants.map((a) => a.lastName)).toEqual(['Vries', 'El Amrani & Bakker']);
    // The same domain message as 24.0 reads from its own fixture, apart from the version.
    const { header: h99, ...rest99 } = message;
    const { header: h24, ...rest24 } = readHdnMessage(ax24) as HdnApplication;
    expect(rest99).toStrictEqual(rest24);
    expect(h99).toStrictEqual({ ...h24, messageVersion: '99.0' });
    const xml = buildPublicHdn(message, { mappingDir: publicDir });
    expect(xml).toContain('<Achternaam>Vries</Achternaam>');
    expect(xml).not.toContain('AchterNaam');
    // Each version refuses the other's AX at the renamed element instead of guessing.
    expect(hdnError(() => readHdnMessage(ax99)).element).toBe('AX/Aanvrager[1]/AchterNaam');
    const ax24as99 = ax24.replace('<BerichtVersie>24.0</BerichtVersie>', '<BerichtVersie>99.0</BerichtVersie>');
    expect(hdnError(() => readHdnMessage(ax24as99, undefined, { mappingDir: publicDir })).element).toBe('AX/Aanvrager[1]/Achternaam');
  });
});
