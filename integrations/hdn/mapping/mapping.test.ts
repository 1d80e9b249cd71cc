/**
 * The versioned HDN mapping layer: loading/validating data files, value kinds, and the
 * path-based reader/writer. All fixtures are synthetic (see the comment in each).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLBuilder } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { ATTRIBUTE_PREFIX, TEXT_KEY, parseUntrustedXml } from '../../xml/index.js';
import { HdnError } from '../types.js';
import { HdnMappingError, availableHdnVersions, hdnMappingFor, loadHdnMapping, parseHdnMapping, type HdnMapping } from './load.js';
import { detectMappedMessageType, rawTextElementsFor, readMappedMessage, writeMappedMessage, type MappedMessage } from './tree.js';
import { sxStatuses, unverifiedSxCodes } from '../../../domain/hdn/status.js';
import { fromText, toText } from './values.js';

const here = import.meta.dirname;
const fixture = (name: string) => readFileSync(join(here, 'test-fixtures', name), 'utf8');
const v24 = loadHdnMapping('24.0');
const v24text = readFileSync(join(here, 'versions', '24.0.json'), 'utf8');

function tree(xml: string): Record<string, unknown> {
  return parseUntrustedXml(xml, { label: 'HDN message' }).document;
}

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: ATTRIBUTE_PREFIX, textNodeName: TEXT_KEY, processEntities: true, format: true });
/** Through real XML text and back, so the round trip is what a counterpart would see. */
function viaXml(document: Record<string, unknown>): Record<string, unknown> {
  return tree(`<?xml version="1.0" encoding="UTF-8"?>\n${builder.build(document) as string}`);
}

/**
 * The 24.0 file with one change applied, for the loader's refusal table. Untyped on purpose:
 * the changes make the file wrong in ways its type would not allow.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;
function edited(change: (data: Loose) => void): string {
  const data = JSON.parse(v24text) as Loose;
  change(data);
  return JSON.stringify(data);
}

describe('loading a mapping data file', () => {
  it('loads 24.0 and knows its version and codes', () => {
    expect(v24.version).toBe('24.0');
    expect(v24.code('sxStatus', '22')).toMatchObject({ status: 'known', entry: { meaning: 'rate offer sent', rank: 3 } });
    expect(v24.code('sxStatus', '40').status).toBe('known');
    expect(v24.code('sxStatus', '31').status).toBe('unverified');
    // 80-82: authorisation statuses, known as codes (issue 17), meanings not public.
    expect(v24.code('sxStatus', '81').status).toBe('known');
    expect(v24.code('sxStatus', '77').status).toBe('unknown');
    expect(v24.code('repaymentType', '01').entry?.label).toBe('annuiteit');
  });

  it('treats 31 as known only when the office enables it', () => {
    const enabled = loadHdnMapping('24.0', { enabledUnverifiedCodes: { sxStatus: ['31'] } });
    expect(enabled.code('sxStatus', '31').status).toBe('known');
    expect(enabled.code('documentStatus', '08').status).toBe('unverified');
  });

  it.each([
    ['not JSON', '{', /x\.json: is not valid JSON/],
    ['a wrong version pattern', edited((d) => (d.hdnVersion = '24')), /x\.json: \/hdnVersion/],
    ['an unknown top-level key', edited((d) => (d.extra = 1)), /x\.json: \/extra /],
    ['an unknown value kind', edited((d) => (d.messages.SX.fields.statusCode.kind = 'number')), /\/messages\/SX\/fields\/statusCode\/kind/],
    ['a bad element path', edited((d) => (d.messages.SX.fields.reference.path = 'Status//Kenmerk')), /\/messages\/SX\/fields\/reference\/path/],
    ['a code field without list', edited((d) => delete d.messages.SX.fields.statusCode.codeList), /\/messages\/SX\/fields\/statusCode is a code but names no codeList/],
    ['a code list that does not exist', edited((d) => (d.messages.SX.fields.statusCode.codeList = 'nope')), /\/messages\/SX\/fields\/statusCode\/codeList names no code list "nope"/],
    ['a code list on a text field', edited((d) => (d.messages.SX.fields.reference.codeList = 'sxStatus')), /\/messages\/SX\/fields\/reference\/codeList is only for kind "code"/],
    ['a code twice', edited((d) => d.codeLists.offerType.codes.push({ code: '18', meaning: 'again' })), /\/codeLists\/offerType\/codes\/2\/code "18" occurs more than once/],
    ['two fields on one element', edited((d) => (d.messages.SX.fields.reference.path = 'Status/AXBerichtStatusSpecificatie/StatusAXBericht')), /\/messages\/SX\/fields\/reference\/path ".*StatusAXBericht" is also the path of \/messages\/SX\/fields\/statusCode/],
    ['a body field on a header element', edited((d) => (d.messages.SX.fields.reference.path = 'Header/BerichtSoort')), /is also the path of \/header\/fields\/messageType/],
    ['repeated on a non-text field', edited((d) => (d.messages.SX.fields.statusDate.repeated = true)), /\/messages\/SX\/fields\/statusDate\/repeated is only for kind "text"/],
    ['a field inside a group', edited((d) => (d.messages.DA.fields.x = { path: 'Document/Extra', kind: 'text' })), /\/messages\/DA\/fields\/x lies inside group lines/],
  ])('refuses %s, naming file and path', (_, text, expected) => {
    expect(() => parseHdnMapping(text, 'x.json')).toThrow(expected);
    expect(() => parseHdnMapping(text, 'x.json')).toThrow(HdnMappingError);
  });

  it.each([
    [{ sxStatus: ['77'] }, /enabledUnverifiedCodes\.sxStatus names "77", which is not in \/codeLists\/sxStatus/],
    [{ sxStatus: ['22'] }, /names "22", which is not marked unverified/],
    [{ nope: ['31'] }, /not in \/codeLists\/nope/],
  ])('refuses enabling %j', (enabledUnverifiedCodes, expected) => {
    expect(() => parseHdnMapping(v24text, 'x.json', { enabledUnverifiedCodes })).toThrow(expected);
  });

  it('refuses a file whose name and version disagree, and a missing file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hdn-mapping-'));
    writeFileSync(join(dir, '25.0.json'), v24text);
    expect(() => loadHdnMapping(join(dir, '25.0.json'))).toThrow(/25\.0\.json: \/hdnVersion is "24\.0" but the file is named for 25\.0/);
    expect(() => loadHdnMapping('98.0')).toThrow(/98\.0\.json: cannot be read \(ENOENT\)/);
  });
});

describe('choosing the mapping for a message version', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hdn-versions-'));
  writeFileSync(join(dir, '24.0.json'), v24text);
  writeFileSync(join(dir, '99.0.json'), fixture('99.0.json'));
  writeFileSync(join(dir, 'README.md'), 'not a version');

  it('lists versions in numeric order', () => {
    writeFileSync(join(dir, '100.0.json'), v24text.replace('"24.0"', '"100.0"'));
    expect(availableHdnVersions(dir)).toEqual(['24.0', '99.0', '100.0']);
    expect(availableHdnVersions()).toContain('24.0');
  });

  it.each([
    ['24.0', '24.0', true],
    ['99.0', '99.0', true],
    ['101.3', '100.0', false],
  ])('reads %s with %s (exact: %s)', (version, used, exact) => {
    const chosen = hdnMappingFor(version, { dir });
    expect(chosen.mapping.version).toBe(used);
    expect(chosen.exact).toBe(exact);
  });

  it.each([
    ['19.0', /no mapping for HDN 19\.0 \(have 24\.0, 99\.0, 100\.0\)/],
    ['50.0', /no mapping for HDN 50\.0/],
    ['24', /is not a version like/],
  ])('refuses %s', (version, expected) => {
    expect(() => hdnMappingFor(version, { dir })).toThrow(expected);
  });
});

describe('value kinds', () => {
  it.each([
    ['amount', '250000.00', 25_000_000],
    ['amount', '250000', 25_000_000],
    ['amount', '1234.5', 123_450],
    ['amount', '0.07', 7],
    ['amount', '-12.34', -1234],
    ['boolean', 'J', true],
    ['boolean', 'N', false],
    ['integer', '360', 360],
    ['date', '2026-02-28', '2026-02-28'],
    ['code', '09', '09'],
    ['rate', '3.85', '3.85'],
  ] as const)('%s %j reads as %j', (kind, text, value) => {
    expect(fromText(kind, text)).toEqual({ value });
  });

  it.each([
    ['amount', '1.234'],
    ['amount', '1,50'],
    ['amount', '€ 10'],
    ['boolean', 'ja'],
    ['boolean', 'true'],
    ['date', '2026-02-30'],
    ['time', '24:00:00'],
    ['integer', '-1'],
    ['rate', 'abc'],
  ] as const)('%s %j is refused', (kind, text) => {
    expect(fromText(kind, text)).toHaveProperty('problem');
  });

  it.each([
    ['amount', 25_000_000, '250000.00'],
    ['amount', 7, '0.07'],
    ['amount', -1234, '-12.34'],
    ['boolean', true, 'J'],
    ['boolean', false, 'N'],
    ['integer', 12, '12'],
    ['code', '00', '00'],
  ] as const)('%s %j writes as %j', (kind, value, text) => {
    expect(toText(kind, value)).toEqual({ text });
  });

  it.each([
    ['amount', 12.5],
    ['amount', '1250'],
    ['boolean', 'J'],
    ['date', '2026-13-01'],
    ['integer', -3],
  ] as const)('%s %j cannot be written', (kind, value) => {
    expect(toText(kind, value)).toHaveProperty('problem');
  });
});

describe('reading and writing an SX through the mapping', () => {
  const doc = tree(fixture('sx-24.xml'));

  it('reads header and status fields from their public paths', () => {
    const sx = readMappedMessage(v24, detectMappedMessageType(v24, doc), doc);
    expect(sx.type).toBe('SX');
    expect(sx.header).toMatchObject({ senderNode: '300001', messageVersion: '24.0', applicationNumber: '000123', sentTime: '14:30:00' });
    expect(sx.fields).toEqual({
      statusCode: '22',
      reference: 'OF-2026-0042',
      statusDate: '2026-03-02',
      statusTime: '14:29:10',
      statusText: ['Renteaanbod verstuurd'],
    });
    expect(sx.codes).toEqual([]);
  });

  it('keeps unknown elements (with attributes) exactly where they were', () => {
    const sx = readMappedMessage(v24, 'SX', doc);
    expect(sx.rest).toEqual({
      Header: { Routering: 'extern' },
      Status: { AXBerichtStatusSpecificatie: { Behandelaar: { [TEXT_KEY]: 'J. de Vries', [`${ATTRIBUTE_PREFIX}team`]: '3' } } },
      Toekomstig: { Iets: 'kept' },
    });
  });

  it('round-trips through XML text without losing anything', () => {
    const sx = readMappedMessage(v24, 'SX', doc);
    const written = viaXml(writeMappedMessage(v24, sx));
    expect(written).toEqual(doc);
    expect(readMappedMessage(v24, 'SX', written)).toEqual(sx);
  });

  it('reads repeated text lines in order and writes them back as separate elements', () => {
    const xml = fixture('sx-24.xml').replace('<StatusTekstRegels>Renteaanbod verstuurd</StatusTekstRegels>', '<StatusTekstRegels>regel 1</StatusTekstRegels><StatusTekstRegels/><StatusTekstRegels>regel 2</StatusTekstRegels>');
    const sx = readMappedMessage(v24, 'SX', tree(xml));
    expect(sx.fields.statusText).toEqual(['regel 1', 'regel 2']);
    const written = writeMappedMessage(v24, sx) as { SX: { Status: { AXBerichtStatusSpecificatie: Record<string, unknown> } } };
    expect(written.SX.Status.AXBerichtStatusSpecificatie.StatusTekstRegels).toEqual(['regel 1', 'regel 2']);
    expect(readMappedMessage(v24, 'SX', viaXml(written))).toEqual(sx);
  });

  it('writes a new SX from our fields alone', () => {
    const sx: MappedMessage = {
      type: 'SX',
      version: '24.0',
      header: readMappedMessage(v24, 'SX', doc).header,
      fields: { statusCode: '09' },
      groups: {},
      codes: [],
    };
    const written = writeMappedMessage(v24, sx);
    expect(written).toMatchObject({ SX: { Status: { AXBerichtStatusSpecificatie: { StatusAXBericht: '09' } }, Header: { BerichtSoort: 'SX' } } });
    expect(readMappedMessage(v24, 'SX', viaXml(written)).fields).toEqual({ statusCode: '09' });
  });

  it.each([
    ['77', 'unknown'],
    ['31', 'unverified'],
  ] as const)('records code %s as %s, keeps it, does not refuse', (code, status) => {
    const sx = readMappedMessage(v24, 'SX', tree(fixture('sx-24.xml').replace('>22<', `>${code}<`)));
    expect(sx.fields.statusCode).toBe(code);
    expect(sx.codes).toEqual([{ field: 'statusCode', element: 'SX/Status/AXBerichtStatusSpecificatie/StatusAXBericht', list: 'sxStatus', code, status }]);
  });

  it('does not record 31 once the office enabled it', () => {
    const enabled = loadHdnMapping('24.0', { enabledUnverifiedCodes: { sxStatus: ['31'] } });
    expect(readMappedMessage(enabled, 'SX', tree(fixture('sx-24.xml').replace('>22<', '>31<'))).codes).toEqual([]);
  });

  it.each([
    ['a missing status code', (x: string) => x.replace(/<StatusAXBericht>22<\/StatusAXBericht>/, ''), 'SX/Status/AXBerichtStatusSpecificatie/StatusAXBericht', /is missing/],
    ['an empty required header field', (x: string) => x.replace('<PakketNaam>LenderSim</PakketNaam>', '<PakketNaam/>'), 'SX/Header/PakketNaam', /is empty/],
    ['a bad date', (x: string) => x.replace('<StatusDt>2026-03-02', '<StatusDt>02-03-2026'), 'SX/Status/AXBerichtStatusSpecificatie/StatusDt', /must be a date/],
    ['a repeated leaf', (x: string) => x.replace('<Kenmerk>', '<Kenmerk>a</Kenmerk><Kenmerk>'), 'SX/Status/AXBerichtStatusSpecificatie/Kenmerk', /must occur once/],
    ['a container where a leaf belongs', (x: string) => x.replace('<Kenmerk>OF-2026-0042', '<Kenmerk><X>1</X>'), 'SX/Status/AXBerichtStatusSpecificatie/Kenmerk', /must be a text value/],
  ])('refuses %s with the element path', (_, change, element, problem) => {
    let error: unknown;
    try {
      readMappedMessage(v24, 'SX', tree(change(fixture('sx-24.xml'))));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(HdnError);
    expect(error).toMatchObject({ element, type: 'HdnInvalid' });
    expect((error as Error).message).toMatch(problem);
  });

  it('refuses another root, and a document that is not this version\'s', () => {
    expect(() => readMappedMessage(v24, 'SX', tree('<HDN><Header/></HDN>'))).toThrow(/SX is not the root/);
    expect(() => detectMappedMessageType(v24, tree('<HDN><Header/></HDN>'))).toThrow(/HDN is not the root of an HDN 24\.0 message/);
  });

  it.each([
    ['a field the version does not map', { fields: { statusCode: '09', colour: 'red' } }, /has no field "colour"/],
    ['a mapped element also in rest', { rest: { Status: { AXBerichtStatusSpecificatie: { StatusAXBericht: '10' } } } }, /StatusAXBericht is mapped and may not also appear in rest/],
    ['a missing required field', { fields: {} }, /StatusAXBericht is missing/],
    ['a value of the wrong kind', { fields: { statusCode: '09', statusDate: '2026-02-30' } }, /StatusDt must be a date/],
    ['a control character', { fields: { statusCode: '09', statusText: ['ok', 'a\u0001b'] } }, /StatusTekstRegels\[2\] contains a control character/],
    ['one text for a repeated leaf', { fields: { statusCode: '09', statusText: 'one' } }, /StatusTekstRegels must be a list of texts/],
    ['a list for a single leaf', { fields: { statusCode: '09', reference: ['a', 'b'] } }, /Kenmerk occurs once: a list cannot be written here/],
  ])('refuses to write %s', (_, change, expected) => {
    const base = readMappedMessage(v24, 'SX', doc);
    const { rest: _rest, ...withoutRest } = base;
    expect(() => writeMappedMessage(v24, { ...withoutRest, ...change } as MappedMessage)).toThrow(expected);
  });
});

describe('repeated groups, amounts and J/N (DA and AX)', () => {
  const da = tree(`<?xml version="1.0" encoding="UTF-8"?>
<!-- SYNTHETIC (ours) -->
<DA>${fixture('sx-24.xml').match(/<Header>[\s\S]*<\/Header>/)?.[0] ?? ''}
  <Document><DocumentKenmerk>L1</DocumentKenmerk><SoortDocument>003</SoortDocument><DocumentStatus>04</DocumentStatus><OpgevraagdViaBronJN>J</OpgevraagdViaBronJN></Document>
  <Document><DocumentKenmerk>L2</DocumentKenmerk><SoortDocument>123</SoortDocument><DocumentStatus>07</DocumentStatus><OpgevraagdViaBronJN>N</OpgevraagdViaBronJN><Opmerking>x</Opmerking></Document>
</DA>`);

  it('reads each line, records its unknown kind, keeps its unknown element, and round-trips', () => {
    const message = readMappedMessage(v24, 'DA', da);
    expect(message.groups.lines).toEqual([
      { fields: { reference: 'L1', documentKind: '003', status: '04', fetchedByLender: true } },
      { fields: { reference: 'L2', documentKind: '123', status: '07', fetchedByLender: false }, rest: { Opmerking: 'x' } },
    ]);
    expect(message.codes).toEqual([{ field: 'lines[2].documentKind', element: 'DA/Document[2]/SoortDocument', list: 'documentKind', code: '123', status: 'unknown' }]);
    expect(viaXml(writeMappedMessage(v24, message))).toEqual(da);
  });

  it.each([
    ['a repeated container', '<AX><Header/><Lening><LeningDeel/></Lening><Lening><LeningDeel/></Lening></AX>', /AX\/Lening\/\w+ (cannot be read|must occur once).*<Lening> occurs 2 times/],
    ['a text container', '<AX><Header/><Lening>x</Lening></AX>', /AX\/Lening\/\w+ cannot be read: <Lening> holds text/],
  ])('refuses a group under %s rather than skipping it', (_, xml, expected) => {
    expect(() => readMappedMessage(loose(v24), 'AX', tree(xml))).toThrow(expected);
  });

  it('reads decimal euro amounts into cents and writes them back as euros', () => {
    const ax = tree(`<AX><Header/><Lening><LeningDeel><LeningDeelBedrag>150000.5</LeningDeelBedrag><DuurInMnd>360</DuurInMnd><AflossingsVorm>01</AflossingsVorm></LeningDeel></Lening></AX>`);
    const header = readMappedMessage(v24, 'SX', doc24()).header;
    const message = { ...readMappedMessage(loose(v24), 'AX', ax), header };
    expect(message.groups.loanParts).toEqual([{ fields: { amountCents: 15_000_050, durationMonths: 360, repaymentType: '01' } }]);
    const written = writeMappedMessage(v24, message) as { AX: { Lening: { LeningDeel: Record<string, unknown> } } };
    expect(written.AX.Lening.LeningDeel.LeningDeelBedrag).toBe('150000.50');
  });
});

describe('an OX: J/N flags and base64 content handed over raw', () => {
  const header = fixture('sx-24.xml').match(/<Header>[\s\S]*<\/Header>/)?.[0]?.replace('<BerichtSoort>SX', '<BerichtSoort>OX') ?? '';
  const pdf = Buffer.from('%PDF-1.4 synthetic '.repeat(40)).toString('base64');
  const wrapped = pdf.replace(/(.{76})/g, '$1\n');
  const ox = (content: string) => `<?xml version="1.0" encoding="UTF-8"?>
<!-- SYNTHETIC (ours) -->
<OX>${header}
  <OfferteData><Kenmerk>OF-1</Kenmerk><OfferteType>18</OfferteType><GeldigheidsDt>2026-09-30</GeldigheidsDt>
    <VerlengingMogelijkJN>J</VerlengingMogelijkJN><AutomatischeVerlengingJN>N</AutomatischeVerlengingJN></OfferteData>
  <PrintDoc><EncodedData>${content}</EncodedData><Bestandsnaam>offerte.pdf</Bestandsnaam></PrintDoc>
  <PrintDoc><EncodedData><![CDATA[${pdf}]]></EncodedData></PrintDoc>
</OX>`;
  const read = (xml: string) => {
    const doc = parseUntrustedXml(xml, { label: 'HDN message', rawTextElements: rawTextElementsFor(v24, 'OX') }).document;
    return readMappedMessage(v24, 'OX', doc);
  };

  it('names the base64 leaves for the parser', () => {
    expect(rawTextElementsFor(v24, 'OX')).toEqual(['OX.PrintDoc.EncodedData']);
    expect(rawTextElementsFor(v24, 'DX')).toEqual(['DX.PrintDoc.EncodedData']);
    expect(rawTextElementsFor(v24, 'SX')).toEqual([]);
  });

  it('reads flags, dates and both attachments (wrapped and CDATA) as plain base64', () => {
    const message = read(ox(wrapped));
    expect(message.fields).toEqual({ offerNumber: 'OF-1', offerType: '18', validityDate: '2026-09-30', extensionPossible: true, automaticallyExtended: false });
    expect(message.groups.attachments).toEqual([
      { fields: { contentBase64: pdf }, rest: { Bestandsnaam: 'offerte.pdf' } },
      { fields: { contentBase64: pdf } },
    ]);
    const again = readMappedMessage(v24, 'OX', viaXml(writeMappedMessage(v24, message)));
    expect(again).toEqual(message);
  });

  it.each([
    ['not base64', 'abc!'],
    ['a wrong length', 'abcde'],
  ])('refuses content that is %s, naming the occurrence', (_, content) => {
    expect(() => read(ox(content))).toThrow(/OX\/PrintDoc\[1\]\/EncodedData must be base64/);
  });
});

describe('the 24.0 status list and domain/hdn/status.ts', () => {
  // Until the domain reads its table from the data file (migration step 4), they must agree.
  it('has the normal flow in the same order, 31 left out of the ranks', () => {
    const list = v24.data.codeLists.sxStatus?.codes ?? [];
    const ranked = list.filter((c) => c.rank !== undefined).sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0)).map((c) => c.code);
    const domainFlow = sxStatuses.filter((s) => s.rank !== undefined && s.code !== '31').map((s) => s.code);
    expect(ranked).toEqual(domainFlow);
  });

  it('knows the same status codes, unverified the same ones (31), apart from the document-level 02', () => {
    const list = (v24.data.codeLists.sxStatus?.codes ?? []).filter((c) => c.code !== '02');
    expect(list.map((c) => c.code).sort()).toEqual(sxStatuses.map((s) => s.code).sort());
    expect(list.filter((c) => c.unverified === true).map((c) => c.code)).toEqual(unverifiedSxCodes);
  });

  it('gives every code the domain knows the same category and terminal flag', () => {
    for (const status of sxStatuses) {
      const { entry } = v24.code('sxStatus', status.code);
      expect(entry, status.code).toBeDefined();
      expect({ code: status.code, category: entry?.category, terminal: entry?.terminal === true }).toEqual({ code: status.code, category: status.category, terminal: status.terminal });
    }
  });
});

describe('a new HDN version is a data file', () => {
  const v99 = loadHdnMapping(join(here, 'test-fixtures', '99.0.json'));

  it('reads the renamed element and the new status code with no code change', () => {
    const sx = readMappedMessage(v99, 'SX', tree(fixture('sx-99.xml')));
    expect(sx.version).toBe('99.0');
    expect(sx.fields.statusCode).toBe('99');
    expect(sx.codes).toEqual([]);
    expect(v99.code('sxStatus', '99').entry?.meaning).toBe('synthetic test status');
    expect(viaXml(writeMappedMessage(v99, sx))).toEqual(tree(fixture('sx-99.xml')));
  });

  it('keeps the old element name as unknown under 99.0, and the new one under 24.0', () => {
    // Reading with the wrong version must not guess: the old name is an unknown element there.
    expect(() => readMappedMessage(v99, 'SX', tree(fixture('sx-24.xml')))).toThrow(/StatusCodeAXBericht is missing/);
    expect(() => readMappedMessage(v24, 'SX', tree(fixture('sx-99.xml')))).toThrow(/StatusAXBericht is missing/);
    expect(v24.code('sxStatus', '99').status).toBe('unknown');
  });

  it('reads and writes an AX whose applicant element 99.0 renamed (AchterNaam -> Achternaam) with no code change', () => {
    const ax = readMappedMessage(v99, 'AX', tree(fixture('ax-99.xml')));
    expect(ax.groups.applicants?.map((a) => a.fields.lastName)).toEqual(['Vries', 'El Amrani & Bakker']);
    // Amounts come back with two decimals ("425000" -> "425000.00"): compare what is read again.
    expect(readMappedMessage(v99, 'AX', viaXml(writeMappedMessage(v99, ax)))).toEqual(ax);
    expect(JSON.stringify(viaXml(writeMappedMessage(v99, ax)))).toContain('"Achternaam":"Vries"');
    // The same fields as 24.0 reads from its own fixture: only the element name moved.
    expect(ax.groups).toEqual(readMappedMessage(v24, 'AX', tree(fixture('ax-24.xml'))).groups);
    expect(() => readMappedMessage(v24, 'AX', tree(fixture('ax-99.xml')))).toThrow(/AX\/Aanvrager\[1\]\/AchterNaam is missing/);
  });
});

function doc24(): Record<string, unknown> {
  return tree(fixture('sx-24.xml'));
}

/** The mapping with every header field optional (to read header-less group snippets). */
function loose(mapping: HdnMapping): HdnMapping {
  const data = structuredClone(mapping.data) as Loose;
  for (const field of Object.values(data.header.fields) as { required?: boolean }[]) delete field.required;
  return parseHdnMapping(JSON.stringify(data), 'loose.json');
}
