import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { XmlError, XmlErrorType, type XmlForbiddenConstruct } from './errors.js';
import { defaultXmlLimits, parseUntrustedXml, resolveXmlLimits, type XmlParseOptions } from './parse.js';

/** Runs `fn`, expects an XmlError and returns it for closer inspection. */
function xmlError(fn: () => unknown): XmlError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(XmlError);
    return error as XmlError;
  }
  throw new Error('expected an XmlError, nothing was thrown');
}

const label = 'test document';
const parse = (input: string | Uint8Array, options: XmlParseOptions = {}) => parseUntrustedXml(input, { label, ...options });
const deep = (n: number): string => `<r>${'<a>'.repeat(n)}x${'</a>'.repeat(n)}</r>`;

const billionLaughs = `<?xml version="1.0"?>
<!DOCTYPE lolz [
  <!ENTITY lol "lol">
  ${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`).join('\n  ')}
]>
<r>&lol9;</r>`;
const xxe = `<?xml version="1.0"?>
<!DOCTYPE r [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<r>&xxe;</r>`;

interface Refusal {
  input: () => string | Uint8Array;
  type: XmlErrorType;
  message: RegExp;
  options?: XmlParseOptions;
  construct?: XmlForbiddenConstruct;
  path?: string;
  at?: [line: number, column: number];
}

describe('parseUntrustedXml refuses', () => {
  const refusals: Record<string, Refusal> = {
    // Entities and DTDs: refused before fast-xml-parser sees anything.
    'billion laughs (DOCTYPE with internal entities)': { input: () => billionLaughs, type: XmlErrorType.Forbidden, construct: 'DOCTYPE', message: /^test document: <!DOCTYPE> is not allowed \(no DTD, no entity declarations\) \(line 2, column 1\)$/, at: [2, 1] },
    'an external entity (XXE)': { input: () => xxe, type: XmlErrorType.Forbidden, construct: 'DOCTYPE', message: /<!DOCTYPE> is not allowed/ },
    'a DOCTYPE with a SYSTEM id': { input: () => '<!DOCTYPE r SYSTEM "http://evil.example/x.dtd"><r/>', type: XmlErrorType.Forbidden, construct: 'DOCTYPE', message: /<!DOCTYPE>/ },
    'a bare ENTITY declaration': { input: () => '<!ENTITY x "y"><r/>', type: XmlErrorType.Forbidden, construct: 'ENTITY', message: /<!ENTITY> is not allowed/ },
    'an ENTITY declaration inside an element': { input: () => '<r><a><!ENTITY x "y"></a></r>', type: XmlErrorType.Forbidden, construct: 'ENTITY', message: /<!ENTITY>.*\(line 1, column 7, in r\/a\)$/, path: 'r/a', at: [1, 7] },
    'an ELEMENT declaration': { input: () => '<r><!ELEMENT r ANY></r>', type: XmlErrorType.Forbidden, construct: 'DTD', message: /<!ELEMENT> is not allowed/, path: 'r' },
    'an ATTLIST declaration': { input: () => '<r><!ATTLIST r a CDATA #IMPLIED></r>', type: XmlErrorType.Forbidden, construct: 'DTD', message: /<!ATTLIST>/ },
    // Processing instructions: only the XML declaration, and only at the very start.
    'a stylesheet PI': { input: () => '<?xml version="1.0"?><?xml-stylesheet href="x.xsl"?><r/>', type: XmlErrorType.Forbidden, construct: 'PI', message: /processing instruction <\?xml-stylesheet\?> is not allowed/ },
    'a PI inside the document': { input: () => '<r><?php echo 1; ?></r>', type: XmlErrorType.Forbidden, construct: 'PI', message: /<\?php\?>.*in r\)$/, path: 'r' },
    'an XML declaration not at the start': { input: () => ' <?xml version="1.0"?><r/>', type: XmlErrorType.Forbidden, construct: 'PI', message: /<\?xml\?>/ },
    'a second XML declaration': { input: () => '<?xml version="1.0"?><r><?xml version="1.0"?></r>', type: XmlErrorType.Forbidden, construct: 'PI', message: /<\?xml\?>/ },
    // Size: on bytes, before decoding.
    'a 30 MB string (refused without measuring it)': { input: () => `<r>${'x'.repeat(30 * 1024 * 1024)}</r>`, type: XmlErrorType.TooLarge, message: /^test document is at least 31457287 bytes, more than the limit of 20971520 bytes$/ },
    '30 MB of bytes that are not even UTF-8 (size first)': { input: () => new Uint8Array(30 * 1024 * 1024).fill(0xff), type: XmlErrorType.TooLarge, message: /^test document is 31457280 bytes, more than the limit of 20971520 bytes$/ },
    'a string over a custom limit, counted in UTF-8 bytes': { input: () => '<r>€€€</r>', options: { maxBytes: 15 }, type: XmlErrorType.TooLarge, message: /is 16 bytes, more than the limit of 15 bytes/ },
    // Depth.
    'depth 100': { input: () => deep(100), type: XmlErrorType.TooDeep, message: /elements are nested more than 32 deep \(line 1, column 97, in r\/a\/a\/a\/…\/a\/a\/a\)$/, path: 'r/a/a/a/…/a/a/a', at: [1, 97] },
    'depth over a custom limit': { input: () => deep(5), options: { maxDepth: 4 }, type: XmlErrorType.TooDeep, message: /nested more than 4 deep/, path: 'r/a/a/a/a' },
    // References: the five XML entities and character references only.
    'an undeclared entity': { input: () => '<r><a>&nbsp;</a></r>', type: XmlErrorType.BadReference, message: /"&nbsp;" is not declared \(only &amp; &lt; &gt; &quot; &apos; exist\) \(line 1, column 7, in r\/a\)$/, path: 'r/a', at: [1, 7] },
    'a bare ampersand': { input: () => '<r>a & b</r>', type: XmlErrorType.BadReference, message: /"&" must start an entity or character reference/ },
    'an entity in an attribute': { input: () => '<r><a x="&xxe;"/></r>', type: XmlErrorType.BadReference, message: /"&xxe;" is not declared/, path: 'r' },
    'a character reference to NUL': { input: () => '<r>&#0;</r>', type: XmlErrorType.InvalidChar, message: /character reference "&#0;" is not an allowed XML character/ },
    'a character reference beyond Unicode': { input: () => '<r>&#x110000;</r>', type: XmlErrorType.InvalidChar, message: /"&#x110000;" is not an allowed XML character/ },
    // Characters.
    'a control character': { input: () => '<r>\n<a>a\u0001b</a></r>', type: XmlErrorType.InvalidChar, message: /^test document: character U\+0001 is not allowed in XML \(line 2, column 5, in r\/a\)$/, path: 'r/a', at: [2, 5] },
    'U+FFFF': { input: () => '<r>\uFFFF</r>', type: XmlErrorType.InvalidChar, message: /U\+FFFF is not allowed/ },
    'invalid UTF-8': { input: () => new Uint8Array([0x3c, 0x72, 0x3e, 0xff, 0xfe, 0x3c, 0x2f, 0x72, 0x3e]), type: XmlErrorType.NotUtf8, message: /^test document is not valid UTF-8$/ },
    'bytes declared as another encoding': { input: () => new TextEncoder().encode('<?xml version="1.0" encoding="ISO-8859-1"?><r/>'), type: XmlErrorType.WrongEncoding, message: /^test document must be UTF-8, the XML declaration says "ISO-8859-1"$/ },
    // Not well-formed.
    'a mismatched end tag (validator), naming the open element': { input: () => '<r>\n  <a>1</b>\n</r>', type: XmlErrorType.NotWellFormed, message: /^test document is not well-formed XML: .*'a'.* \(line 2, column \d+, in r\/a\)$/, path: 'r/a' },
    'an unclosed root': { input: () => '<r><a>', type: XmlErrorType.NotWellFormed, message: /not well-formed XML/ },
    'text after the root': { input: () => '<r/>trailing', type: XmlErrorType.NotWellFormed, message: /text outside the root element \(line 1, column 5\)$/ },
    'text before the root': { input: () => 'leading<r/>', type: XmlErrorType.NotWellFormed, message: /text outside the root element/ },
    'two roots': { input: () => '<r/><r/>', type: XmlErrorType.NotWellFormed, message: /a second root element/ },
    'a repeated attribute': { input: () => '<r a="1" a="2"/>', type: XmlErrorType.NotWellFormed, message: /not well-formed XML/ },
    'an unclosed start tag': { input: () => '<r><a x="1"</r>', type: XmlErrorType.NotWellFormed, message: /start tag <a> is not closed/ },
    '"<" in an attribute value': { input: () => '<r a="<"/>', type: XmlErrorType.NotWellFormed, message: /"<" is not allowed in an attribute value of <r>/ },
    'an unclosed comment': { input: () => '<r><!-- x </r>', type: XmlErrorType.NotWellFormed, message: /comment is not closed/ },
    'an unclosed CDATA section': { input: () => '<r><![CDATA[ x </r>', type: XmlErrorType.NotWellFormed, message: /CDATA section is not closed/ },
    'empty input': { input: () => '', type: XmlErrorType.NotWellFormed, message: /^test document/ },
    'an element named __proto__': { input: () => '<r><__proto__><polluted>1</polluted></__proto__></r>', type: XmlErrorType.NotWellFormed, message: /^test document could not be parsed: / },
    'an element named constructor': { input: () => '<r><constructor>1</constructor></r>', type: XmlErrorType.NotWellFormed, message: /could not be parsed/ },
  };

  it.each(Object.entries(refusals))('%s', (_name, { input, type, message, options, construct, path, at }) => {
    const error = xmlError(() => parse(input(), options));
    expect(error.type).toBe(type);
    expect(error.message).toMatch(message);
    expect(error.message.length).toBeLessThan(500);
    expect(error.retryable).toBe(false);
    if (construct !== undefined) expect(error.construct).toBe(construct);
    if (path !== undefined) expect(error.path).toBe(path);
    if (at !== undefined) expect([error.line, error.column]).toEqual(at);
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('keeps messages short when names and values are huge', () => {
    const longName = 'x'.repeat(100_000);
    const errors = [
      xmlError(() => parse(`<r>${`<${longName}>`.repeat(40)}</r>`)),
      xmlError(() => parse(`<r><${longName}</r>`)),
      xmlError(() => parse(new TextEncoder().encode(`<?xml version="1.0" encoding="${'x'.repeat(100_000)}"?><r/>`))),
    ];
    for (const error of errors) expect(error.message.length).toBeLessThan(500);
    expect(errors[0]?.type).toBe(XmlErrorType.TooDeep);
    expect(errors[0]?.path).toMatch(/^r\/x{40}…\/.*\/…\//);
  });
});

describe('parseUntrustedXml does not mistake', () => {
  it.each([
    ['a DOCTYPE, an ENTITY and a PI inside a comment', '<r><!-- <!DOCTYPE x> <!ENTITY y "z"> <?pi?> &undeclared; --><a>1</a></r>', { a: '1' }],
    ['a DOCTYPE, a PI and an undeclared entity inside CDATA', '<r><a><![CDATA[<!DOCTYPE y> <?pi?> &undeclared; <b>]]></a></r>', { a: '<!DOCTYPE y> <?pi?> &undeclared; <b>' }],
    ['"<!DOCTYPE" inside an attribute value', '<r><a t="&lt;!DOCTYPE x&gt;">1</a></r>', { a: { '#text': '1', '@_t': '<!DOCTYPE x>' } }],
    ['a comment before the root and an XML declaration', '<?xml version="1.0" encoding="utf-8"?>\n<!-- <!DOCTYPE r> -->\n<r><a>1</a></r>', { a: '1' }],
  ])('%s', (_name, xml, root) => {
    expect(parse(xml).document).toEqual({ r: root });
  });
});

describe('parseUntrustedXml reads', () => {
  it('text as strings only, with XML entities and character references decoded', () => {
    const { document } = parse('<r><code>0012</code><flag>true</flag><t>a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos; caf&#233; &#x20AC;5</t></r>');
    expect(document).toEqual({ r: { code: '0012', flag: 'true', t: 'a & b <c> "d" \'e\' café €5' } });
  });

  it('attributes as @_ keys, text next to them as #text, repeats as arrays, empty elements as ""', () => {
    const { document } = parse('<r><Amt Ccy="EUR">1.00</Amt><x>1</x><x>2</x><e/></r>');
    expect(document).toEqual({ r: { Amt: { '@_Ccy': 'EUR', '#text': '1.00' }, x: ['1', '2'], e: '' } });
  });

  it('strings and bytes alike, dropping a BOM', () => {
    const xml = '\uFEFF<r>é</r>';
    expect(parse(xml).document).toEqual({ r: 'é' });
    expect(parse(new TextEncoder().encode(xml)).document).toEqual({ r: 'é' });
  });

  it('namespaces as written by default, the root namespace from the start tag', () => {
    const xml = '<ns2:Document xmlns:ns2="urn:x"><ns2:A>1</ns2:A></ns2:Document>';
    const kept = parse(xml);
    expect(kept.document).toEqual({ 'ns2:Document': { 'ns2:A': '1', '@_xmlns:ns2': 'urn:x' } });
    expect(kept.rootTag).toEqual({ name: 'ns2:Document', localName: 'Document', namespace: 'urn:x' });
    const stripped = parse(xml, { namespaces: 'strip' });
    expect(stripped.document).toEqual({ Document: { A: '1' } });
    expect(stripped.rootTag?.namespace).toBe('urn:x');
    expect(parse('<Document xmlns="urn:y"/>', { namespaces: 'strip' }).rootTag).toEqual({ name: 'Document', localName: 'Document', namespace: 'urn:y' });
    expect(parse('<!-- c --><Document/>').rootTag).toEqual({ name: 'Document', localName: 'Document' });
  });

  it('raw text elements as one undecoded string', () => {
    const { document } = parse('<r><b><c>QQ&#43;=<!-- x --></c></b></r>', { rawTextElements: ['r.b.c'] });
    expect(document).toEqual({ r: { b: { c: 'QQ&#43;=<!-- x -->' } } });
  });

  it('exactly the depth and size limits', () => {
    expect(() => parse(deep(defaultXmlLimits.maxDepth - 1))).not.toThrow();
    expect(xmlError(() => parse(deep(defaultXmlLimits.maxDepth))).type).toBe(XmlErrorType.TooDeep);
    const xml = '<r>€</r>';
    expect(() => parse(xml, { maxBytes: Buffer.byteLength(xml) })).not.toThrow();
    expect(xmlError(() => parse(xml, { maxBytes: Buffer.byteLength(xml) - 1 })).type).toBe(XmlErrorType.TooLarge);
  });

  it('labels messages "XML document" unless told otherwise', () => {
    expect(xmlError(() => parseUntrustedXml('<!DOCTYPE r><r/>')).message).toMatch(/^XML document: <!DOCTYPE>/);
  });
});

describe('resolveXmlLimits', () => {
  it('fills in defaults and refuses nonsense', () => {
    expect(resolveXmlLimits({ ...defaultXmlLimits, maxBytes: 10, maxDepth: 2 }, { maxDepth: 5, maxBytes: undefined })).toEqual({ ...defaultXmlLimits, maxBytes: 10, maxDepth: 5 });
    expect(() => resolveXmlLimits(defaultXmlLimits, { maxBytes: 0 }, 'HDN')).toThrow(new RangeError('HDN parse limit maxBytes must be a positive number, got 0'));
    expect(() => parseUntrustedXml('<r/>', { maxDepth: -1 })).toThrow(RangeError);
  });
});
