import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildHdn, defaultHdnParseLimits, hdnMessageSummary, parseHdn } from './codec.js';
import { HdnError, HdnErrorType, type HdnMessage, type HdnParseLimits, type HdnStatus } from './types.js';

const fixtureDir = fileURLToPath(new URL('./fixtures/', import.meta.url));
const fixtureNames = readdirSync(fixtureDir).filter((f) => f.endsWith('.xml')).sort();
const fixture = (name: string): string => readFileSync(`${fixtureDir}${name}`, 'utf8');

/** Runs `fn`, expects an HdnError and returns it for closer inspection. */
function hdnError(fn: () => unknown): HdnError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(HdnError);
    return error as HdnError;
  }
  throw new Error('expected an HdnError, nothing was thrown');
}

const header = (type: string, extra = ''): string => `
  <Header>
    <VerzenderNrHDN>300001</VerzenderNrHDN>
    <OntvangerNrHDN>400123</OntvangerNrHDN>
    <BerichtSoort>${type}</BerichtSoort>
    <BerichtVersie>24.0</BerichtVersie>
    <VerzendDt>2026-03-02</VerzendDt>
    <VerzendTijd>10:00:00</VerzendTijd>
    <AanvraagVolgNr>000123</AanvraagVolgNr>
    <AanvraagVersie>1</AanvraagVersie>${extra}
  </Header>`;
const sx10WithCode = (code: string): string => fixture('sx-10.xml').replace('<StatusCode>10</StatusCode>', `<StatusCode>${code}</StatusCode>`);
const sx = (body: string, headerExtra = ''): string => `<?xml version="1.0"?>\n<HDN>${header('SX', headerExtra)}\n  <SX>${body}</SX>\n</HDN>`;

describe('fixtures round-trip', () => {
  it('has all the fixtures', () => {
    expect(fixtureNames).toEqual(['ax.xml', 'da.xml', 'dx.xml', 'ox-00.xml', 'ox-18.xml', 'sx-09.xml', 'sx-10.xml', 'sx-22.xml']);
  });

  it.each(fixtureNames)('%s: parse(build(parse(x))) equals parse(x), and build is stable', (name) => {
    const xml = fixture(name);
    const message = parseHdn(xml);
    const built = buildHdn(message);
    expect(built.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    const again = parseHdn(built);
    // toStrictEqual: no undefined-valued keys may sneak in.
    expect(again).toStrictEqual(message);
    expect(buildHdn(again)).toBe(built);
    // Bytes and text give the same message.
    expect(parseHdn(new TextEncoder().encode(xml))).toStrictEqual(message);
    expect(message.header.messageType).toBe(message.type);
  });

  it('round-trips a message built in code, with characters that need escaping', () => {
    const message: HdnMessage = {
      type: 'SX',
      header: {
        senderNode: '300001',
        receiverNode: '400123',
        senderName: 'Bank & Co <"test"> \'s',
        messageType: 'SX',
        messageVersion: '25.1',
        sentDate: '2026-02-28',
        sentTime: '23:59:59',
        applicationNumber: '0007',
        applicationVersion: '12',
        extra: { Kenmerk: 'a & b', Groep: { Sub: ['1', '2'], '@_soort': 'x<y' } },
      },
      statusCode: '01',
      documentReference: '02',
      remark: 'regel 1\nregel 2 — café',
      extra: { Nieuw: '' },
    };
    const xml = buildHdn(message);
    expect(xml).toContain('Bank &amp; Co &lt;&quot;test&quot;&gt;');
    expect(parseHdn(xml)).toStrictEqual(message);
  });
});

describe('values', () => {
  it('keeps leading zeros in codes and numbers-as-strings, converts only numeric fields', () => {
    const ax = parseHdn(fixture('ax.xml'));
    expect(ax.header.applicationNumber).toBe('000123');
    if (ax.type !== 'AX') throw new Error('expected AX');
    expect(ax.loanParts[1]?.fixedRateMonths).toBe(60); // "060" in the XML
    expect(ax.loanParts[0]?.amountCents).toBe(30_000_000);
    expect(ax.applicants[0]?.phone).toBe('0612345678');
    expect(ax.nhg).toBe(true);

    const sx09 = parseHdn(fixture('sx-09.xml')) as HdnStatus;
    expect(sx09.statusCode).toBe('09');
    const ox = parseHdn(fixture('ox-00.xml'));
    expect(ox.type === 'OX' && ox.offerType).toBe('00');
    const da = parseHdn(fixture('da.xml'));
    expect(da.type === 'DA' && da.lines.map((l) => [l.status, l.fetchedByLender])).toEqual([
      ['01', false],
      ['04', true],
      ['07', false],
    ]);
  });

  it('decodes the XML entities and character references, not CDATA content', () => {
    const m = parseHdn(sx('<StatusCode>10</StatusCode><Toelichting>a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos; caf&#233; &#x20AC;5<![CDATA[&amp; <raw>]]></Toelichting>')) as HdnStatus;
    expect(m.remark).toBe('a & b <c> "d" \'e\' café €5&amp; <raw>');
  });

  it.each([
    ['J', true],
    ['N', false],
    ['true', true],
    ['false', false],
  ])('boolean %s → %s, written back as J/N', (text, value) => {
    const xml = fixture('ox-18.xml').replace('<VerlengingMogelijk>J</VerlengingMogelijk>', `<VerlengingMogelijk>${text}</VerlengingMogelijk>`);
    const m = parseHdn(xml);
    expect(m.type === 'OX' && m.extensionPossible).toBe(value);
    expect(buildHdn(m)).toContain(`<VerlengingMogelijk>${value ? 'J' : 'N'}</VerlengingMogelijk>`);
  });

  it('drops the line breaks in base64 content', () => {
    const m = parseHdn(fixture('ox-18.xml'));
    if (m.type !== 'OX') throw new Error('expected OX');
    expect(m.attachments).toHaveLength(1);
    const pdf = Buffer.from(m.attachments[0]!.contentBase64, 'base64').toString('latin1');
    expect(pdf.startsWith('%PDF-1.4')).toBe(true);
    expect(m.attachments[0]!.contentBase64).not.toMatch(/\s/);
  });

  it.each([
    ['in CDATA', (b64: string) => `<![CDATA[\n${b64}\n]]>`],
    ['with a comment and a character reference for "+"', (b64: string) => `<!-- pdf -->${b64.replace('+', '&#43;')}`],
    ['with attributes', (b64: string) => b64],
  ])('reads attachment content %s', (_name, wrap) => {
    const b64 = Buffer.from('%PDF-1.4 ~~~>>>???').toString('base64');
    expect(b64).toContain('+');
    const xml = fixture('dx.xml').replace(/<Inhoud>[^<]*<\/Inhoud>/, `<Inhoud codering="base64">${wrap(b64)}</Inhoud>`);
    const m = parseHdn(xml);
    expect(m.type === 'DX' && m.attachment.contentBase64).toBe(b64);
  });

  it('reads megabytes of attachment quickly enough to round-trip', () => {
    const b64 = Buffer.alloc(3 * 1024 * 1024, 42).toString('base64').replace(/.{76}/g, '$&\n');
    const m = parseHdn(fixture('dx.xml').replace(/<Inhoud>[^<]*<\/Inhoud>/, `<Inhoud>${b64}</Inhoud>`));
    if (m.type !== 'DX') throw new Error('expected DX');
    expect(Buffer.from(m.attachment.contentBase64, 'base64').length).toBe(3 * 1024 * 1024);
    expect(parseHdn(buildHdn(m))).toStrictEqual(m);
  });

  it('treats an empty optional element as absent', () => {
    const m = parseHdn(sx('<StatusCode>10</StatusCode><Toelichting/><OfferteNr></OfferteNr>')) as HdnStatus;
    expect(m).not.toHaveProperty('remark');
    expect(m).not.toHaveProperty('offerNumber');
  });
});

describe('unknown elements', () => {
  it('keeps them in extra, with attributes, and writes them back', () => {
    const m = parseHdn(fixture('ax.xml'));
    if (m.type !== 'AX') throw new Error('expected AX');
    expect(m.header.extra).toEqual({ Referentie: 'intern-7' });
    expect(m.extra).toEqual({ Energielabel: { '#text': 'A++', '@_klasse': 'A' } });
    expect(m.applicants[0]?.extra).toEqual({ Nationaliteit: 'NL' });
    expect(m.applicants[1]).not.toHaveProperty('extra');
    expect(m.property?.extra).toEqual({ Bouwjaar: '1932' });
    expect(m.loanParts[1]?.extra).toEqual({ Fiscaal: { Box: '3' } });
    const xml = buildHdn(m);
    expect(xml).toContain('<Energielabel klasse="A">A++</Energielabel>');
    expect(xml).toContain('<Referentie>intern-7</Referentie>');
    const da = parseHdn(fixture('da.xml'));
    expect(da.type === 'DA' && da.lines[2]?.extra).toEqual({ Prioriteit: 'hoog' });
    expect(parseHdn(fixture('sx-22.xml')).extra).toEqual({ Behandelaar: 'team 3' });
  });

  it('ignores a namespace on <HDN>', () => {
    const m = parseHdn(fixture('sx-09.xml').replace('<HDN>', '<HDN xmlns="urn:example:hdn">'));
    expect(m).toStrictEqual(parseHdn(fixture('sx-09.xml')));
  });

  it('refuses an extra element that shadows a modelled one when building', () => {
    const m = parseHdn(fixture('sx-10.xml')) as HdnStatus;
    const error = hdnError(() => buildHdn({ ...m, extra: { OfferteNr: 'X' } }));
    expect(error.type).toBe(HdnErrorType.Invalid);
    expect(error.element).toBe('HDN/SX/OfferteNr');
  });
});

describe('safety', () => {
  const billionLaughs = `<?xml version="1.0"?>
<!DOCTYPE lolz [
  <!ENTITY lol "lol">
  ${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`).join('\n  ')}
]>
<HDN><Header>&lol9;</Header></HDN>`;
  const xxe = `<?xml version="1.0"?>
<!DOCTYPE HDN [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<HDN><Header><VerzenderNaam>&xxe;</VerzenderNaam></Header></HDN>`;
  const deep = (n: number): string => `<HDN>${'<a>'.repeat(n)}x${'</a>'.repeat(n)}</HDN>`;

  it.each<[string, () => string | Uint8Array, HdnErrorType, RegExp, Partial<HdnParseLimits>?]>([
    ['billion laughs (DOCTYPE with internal entities)', () => billionLaughs, HdnErrorType.ForbiddenConstruct, /<!DOCTYPE> is not allowed/],
    ['external entity (XXE)', () => xxe, HdnErrorType.ForbiddenConstruct, /<!DOCTYPE> is not allowed/],
    ['a bare ENTITY declaration', () => `<!ENTITY x "y"><HDN/>`, HdnErrorType.ForbiddenConstruct, /<!ENTITY>/],
    ['a processing instruction', () => `<?xml version="1.0"?><?xml-stylesheet href="x.xsl"?><HDN/>`, HdnErrorType.ForbiddenConstruct, /<\?xml-stylesheet\?>/],
    ['a PI inside the document', () => `<HDN><?php echo 1; ?></HDN>`, HdnErrorType.ForbiddenConstruct, /<\?php\?>/],
    ['an XML declaration not at the start', () => ` <?xml version="1.0"?><HDN/>`, HdnErrorType.ForbiddenConstruct, /<\?xml\?>/],
    ['a 30 MB string', () => `<HDN>${'x'.repeat(30 * 1024 * 1024)}</HDN>`, HdnErrorType.TooLarge, /more than the limit of 20971520 bytes/],
    ['30 MB of bytes', () => new Uint8Array(30 * 1024 * 1024), HdnErrorType.TooLarge, /31457280 bytes/],
    ['depth 100', () => deep(100), HdnErrorType.TooDeep, /nested more than 32 deep/],
    ['depth over a custom limit', () => deep(5), HdnErrorType.TooDeep, /nested more than 4 deep/, { maxDepth: 4 }],
    ['an undeclared entity', () => sx('<StatusCode>10</StatusCode><Toelichting>&nbsp;</Toelichting>'), HdnErrorType.Malformed, /"&nbsp;" is not declared.*in HDN\/SX\/Toelichting/],
    ['a bare ampersand', () => sx('<StatusCode>10</StatusCode><Toelichting>a & b</Toelichting>'), HdnErrorType.Malformed, /"&" must start an entity/],
    ['an entity in an attribute', () => sx('<StatusCode x="&xxe;">10</StatusCode>'), HdnErrorType.Malformed, /"&xxe;" is not declared/],
    ['a character reference to NUL', () => sx('<StatusCode>10</StatusCode><Toelichting>&#0;</Toelichting>'), HdnErrorType.Malformed, /not an allowed XML character/],
    ['a control character', () => sx('<StatusCode>10</StatusCode><Toelichting>a\u0001b</Toelichting>'), HdnErrorType.Malformed, /U\+0001 is not allowed.*HDN\/SX\/Toelichting/],
    ['invalid UTF-8', () => new Uint8Array([0x3c, 0x48, 0x3e, 0xff, 0xfe, 0x3c, 0x2f, 0x48, 0x3e]), HdnErrorType.Malformed, /not valid UTF-8/],
    ['bytes declared as another encoding', () => new TextEncoder().encode('<?xml version="1.0" encoding="ISO-8859-1"?><HDN/>'), HdnErrorType.Invalid, /must be UTF-8/],
  ])('refuses %s', (_name, input, type, message, limits) => {
    const error = hdnError(() => parseHdn(input(), limits));
    expect(error.type).toBe(type);
    expect(error.message).toMatch(message);
    expect(error.retryable).toBe(false);
  });

  it('keeps error messages short when the input is huge', () => {
    const longName = 'x'.repeat(100_000);
    const errors = [
      hdnError(() => parseHdn(`<HDN>${`<${longName}>`.repeat(40)}</HDN>`)),
      hdnError(() => parseHdn(sx10WithCode('9'.repeat(100_000)))),
      hdnError(() => parseHdn(`<HDN><${longName}</HDN>`)),
    ];
    for (const error of errors) expect(error.message.length).toBeLessThan(500);
    expect(errors[0]?.type).toBe(HdnErrorType.TooDeep);
    expect(errors[0]?.element).toMatch(/^HDN\/x{40}…\/.*\/…\//);
  });

  it('does not mistake a DOCTYPE inside a comment or CDATA for a real one', () => {
    const xml = fixture('sx-10.xml')
      .replace('<SX>', '<SX><!-- <!DOCTYPE x> <?pi?> --><Notitie><![CDATA[<!DOCTYPE y> <?pi?> &undeclared;]]></Notitie>');
    const m = parseHdn(xml);
    expect(m.extra).toEqual({ Notitie: '<!DOCTYPE y> <?pi?> &undeclared;' });
  });

  it('accepts exactly the default depth', () => {
    // HDN > SX > 30 nested elements = 32 levels.
    const nested = `${'<n>'.repeat(30)}x${'</n>'.repeat(30)}`;
    expect(() => parseHdn(sx(`<StatusCode>10</StatusCode>${nested}`))).not.toThrow();
    expect(defaultHdnParseLimits).toEqual({ maxBytes: 20 * 1024 * 1024, maxDepth: 32, maxElements: 20_000, maxAttributesPerElement: 16, maxAttributes: 20_000, maxTextLength: 64 * 1024 });
  });

  it('measures strings in UTF-8 bytes, not characters', () => {
    const xml = sx('<StatusCode>10</StatusCode><Toelichting>€€€€€€€€</Toelichting>');
    const error = hdnError(() => parseHdn(xml, { maxBytes: xml.length + 5 }));
    expect(error.type).toBe(HdnErrorType.TooLarge);
    expect(error.message).toContain(`${Buffer.byteLength(xml)} bytes`);
  });

  it('accepts a message just under the size limit', () => {
    const xml = sx('<StatusCode>10</StatusCode>');
    expect(() => parseHdn(xml, { maxBytes: Buffer.byteLength(xml) })).not.toThrow();
    expect(hdnError(() => parseHdn(xml, { maxBytes: Buffer.byteLength(xml) - 1 })).type).toBe(HdnErrorType.TooLarge);
  });
});

describe('malformed XML', () => {
  it('names line, column and the open element', () => {
    const xml = fixture('sx-09.xml').replace('<AanvraagVersie>1</AanvraagVersie>', '<AanvraagVersie>1</AanvraagVersion>');
    const error = hdnError(() => parseHdn(xml));
    expect(error.type).toBe(HdnErrorType.Malformed);
    expect(error.message).toMatch(/not well-formed XML: .*AanvraagVersie.*\(line 13, column \d+, in HDN\/Header\/AanvraagVersie\)/);
    expect(error.element).toBe('HDN/Header/AanvraagVersie');
  });

  it.each([
    ['an unclosed root', '<HDN><Header>'],
    ['text after the root', '<HDN/>trailing'],
    ['text before the root', 'leading<HDN/>'],
    ['two roots', '<HDN/><HDN/>'],
    ['a repeated attribute', '<HDN a="1" a="2"/>'],
    ['an unclosed tag', '<HDN><Header</HDN>'],
    ['an unclosed comment', '<HDN><!-- x </HDN>'],
    ['empty input', ''],
    ['an element named __proto__', '<HDN><Header><__proto__><polluted>1</polluted></__proto__></Header></HDN>'],
    ['an element named constructor', '<HDN><Header><constructor>1</constructor></Header></HDN>'],
  ])('%s', (_name, xml) => {
    expect(hdnError(() => parseHdn(xml)).type).toBe(HdnErrorType.Malformed);
    expect(Object.prototype).not.toHaveProperty('polluted');
  });
});

describe('invalid messages', () => {
  const ax = fixture('ax.xml');
  const sx10 = fixture('sx-10.xml');
  it.each<[string, string, string, RegExp?]>([
    ['header/body mismatch', sx10.replace('<BerichtSoort>SX</BerichtSoort>', '<BerichtSoort>OX</BerichtSoort>'), 'HDN/Header/BerichtSoort', /is "OX" but the message body is <SX>/],
    ['missing AanvraagVolgNr', sx10.replace(/<AanvraagVolgNr>.*<\/AanvraagVolgNr>/, ''), 'HDN/Header/AanvraagVolgNr', /^HDN\/Header\/AanvraagVolgNr is missing$/],
    ['empty AanvraagVolgNr', sx10.replace(/<AanvraagVolgNr>.*<\/AanvraagVolgNr>/, '<AanvraagVolgNr/>'), 'HDN/Header/AanvraagVolgNr', /is empty/],
    ['StatusCode "9"', sx10.replace('<StatusCode>10</StatusCode>', '<StatusCode>9</StatusCode>'), 'HDN/SX/StatusCode', /^HDN\/SX\/StatusCode must be 2 digits, got "9"$/],
    ['StatusCode twice', sx10.replace('<StatusCode>10</StatusCode>', '<StatusCode>10</StatusCode><StatusCode>12</StatusCode>'), 'HDN/SX/StatusCode', /must occur once/],
    ['amount "12a"', ax.replace('<LeningdeelBedragCt>30000000', '<LeningdeelBedragCt>12a'), 'HDN/AX/Leningdeel[1]/LeningdeelBedragCt', /must be a whole number, got "12a"/],
    ['negative amount', ax.replace('<KoopsomCt>42500000', '<KoopsomCt>-1'), 'HDN/AX/Onderpand/KoopsomCt', /whole number/],
    ['decimal amount', ax.replace('<LeningdeelBedragCt>9000000', '<LeningdeelBedragCt>90000.50'), 'HDN/AX/Leningdeel[2]/LeningdeelBedragCt', /whole number/],
    ['a 5-character node number', sx10.replace('<VerzenderNrHDN>300001', '<VerzenderNrHDN>30001'), 'HDN/Header/VerzenderNrHDN', /6-character/],
    ['an impossible VerzendDt', sx10.replace('<VerzendDt>2026-03-02', '<VerzendDt>2026-02-30'), 'HDN/Header/VerzendDt', /must be a date YYYY-MM-DD, got "2026-02-30"/],
    ['a bad VerzendTijd', sx10.replace(/<VerzendTijd>[^<]*/, '<VerzendTijd>24:00:00'), 'HDN/Header/VerzendTijd', /HH:MM:SS/],
    ['AanvraagVersie "0"', sx10.replace('<AanvraagVersie>1', '<AanvraagVersie>0'), 'HDN/Header/AanvraagVersie', /positive whole number/],
    ['AanvraagVersie "01"', sx10.replace('<AanvraagVersie>1', '<AanvraagVersie>01'), 'HDN/Header/AanvraagVersie', /without leading zeros/],
    ['an unknown BerichtSoort', sx10.replace('<BerichtSoort>SX', '<BerichtSoort>MX'), 'HDN/Header/BerichtSoort', /must be one of AX, SX, OX, DA, DX, got "MX"/],
    ['a missing body', sx10.replace(/<SX>[\s\S]*<\/SX>/, ''), 'HDN/SX', /is missing/],
    ['two bodies', sx10.replace('</SX>', '</SX><OX/>'), 'HDN', /one message body/],
    ['an unknown element under HDN', sx10.replace('</SX>', '</SX><Handtekening/>'), 'HDN/Handtekening', /is not expected/],
    ['a wrong root', '<Bericht><Header/></Bericht>', 'Bericht', /single root element <HDN>/],
    ['a missing Header', '<HDN><SX/></HDN>', 'HDN/Header', /is missing/],
    ['text for a container', sx10.replace(/<SX>[\s\S]*<\/SX>/, '<SX>10</SX>'), 'HDN/SX', /must contain elements/],
    ['elements inside a leaf', sx10.replace('<StatusCode>10</StatusCode>', '<StatusCode><Code>10</Code></StatusCode>'), 'HDN/SX/StatusCode', /text value/],
    ['an AX without applicants', ax.replace(/<Aanvrager>[\s\S]*<\/Aanvrager>/, ''), 'HDN/AX/Aanvrager', /at least one applicant/],
    ['a bad birth date', ax.replace('<GeboorteDt>1990-11-30', '<GeboorteDt>30-11-1990'), 'HDN/AX/Aanvrager[2]/GeboorteDt', /date/],
    ['applicant position twice', ax.replace('<Volgorde>2</Volgorde>', '<Volgorde>1</Volgorde>'), 'HDN/AX/Aanvrager/Volgorde', /occurs more than once/],
    ['a bad NHG flag', ax.replace('<NHG>J', '<NHG>ja'), 'HDN/AX/NHG', /must be J or N, got "ja"/],
    ['a bad rate', fixture('ox-18.xml').replace('<Rente>3.85</Rente>\n    <Leningdeel>', '<Rente>3,85</Rente>\n    <Leningdeel>'), 'HDN/OX/Rente', /decimal percentage/],
    ['elements inside attachment content', fixture('dx.xml').replace(/<Inhoud>[^<]*/, '<Inhoud><Deel>QQ==</Deel>'), 'HDN/DX/Bijlage/Inhoud', /text value/],
    ['empty attachment content', fixture('dx.xml').replace(/<Inhoud>[^<]*/, '<Inhoud>\n  '), 'HDN/DX/Bijlage/Inhoud', /is empty/],
    ['bad base64', fixture('dx.xml').replace(/<Inhoud>[^<]*/, '<Inhoud>not base64!'), 'HDN/DX/Bijlage/Inhoud', /base64/],
    ['two attachments in a DX', fixture('dx.xml').replace('</Bijlage>', '</Bijlage><Bijlage/>'), 'HDN/DX/Bijlage', /must occur once/],
    ['a DA line status "7"', fixture('da.xml').replace('<DocumentStatus>07', '<DocumentStatus>7'), 'HDN/DA/DocumentRegel[3]/DocumentStatus', /2 digits/],
  ])('%s', (_name, xml, element, message) => {
    const error = hdnError(() => parseHdn(xml));
    expect(error.type).toBe(HdnErrorType.Invalid);
    expect(error.element).toBe(element);
    expect(error.message.startsWith(element)).toBe(true);
    if (message) expect(error.message).toMatch(message);
  });

  it('buildHdn refuses what parseHdn would refuse, with the path', () => {
    const m = parseHdn(sx10) as HdnStatus;
    const bad = hdnError(() => buildHdn({ ...m, statusCode: '9' }));
    expect(bad.message).toBe('HDN/SX/StatusCode must be 2 digits, got "9"');
    const mismatch = hdnError(() => buildHdn({ ...m, header: { ...m.header, messageType: 'AX' } }));
    expect(mismatch.element).toBe('HDN/Header/BerichtSoort');
    const control = hdnError(() => buildHdn({ ...m, remark: 'bell\u0007' }));
    expect(control.element).toBe('HDN/SX/Toelichting');
  });
});

describe('hdnMessageSummary', () => {
  it.each([
    ['sx-22.xml', 'SX 22 voor aanvraag 000123 v1'],
    ['ax.xml', 'AX voor aanvraag 000123 v1 (2 aanvragers, 2 leningdelen)'],
    ['ox-18.xml', 'OX 18 offerte OF-2026-0042 voor aanvraag 000123 v1 (1 bijlage)'],
    ['da.xml', 'DA voor aanvraag 000123 v1 (3 documentregels)'],
    ['dx.xml', 'DX voor aanvraag 000123 v1, documentregel DR-0001 (soort 301)'],
  ])('%s → %s', (name, summary) => {
    const text = hdnMessageSummary(parseHdn(fixture(name)));
    expect(text).toBe(summary);
    // Nothing personal: no names, e-mail addresses or amounts.
    expect(text).not.toMatch(/Vries|example\.nl|30000000/);
  });
});
