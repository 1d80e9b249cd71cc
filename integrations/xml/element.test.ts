import { describe, expect, it } from 'vitest';
import { XmlElement } from './element.js';
import { XmlError, XmlErrorType } from './errors.js';
import { parseUntrustedXml } from './parse.js';

const read = (xml: string, rawTextElements?: string[]): XmlElement => {
  const { document } = parseUntrustedXml(xml, { rawTextElements });
  const [name] = Object.keys(document);
  return XmlElement.of(name ?? '', document[name ?? '']);
};

function invalid(fn: () => unknown): XmlError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(XmlError);
    expect((error as XmlError).type).toBe(XmlErrorType.Invalid);
    return error as XmlError;
  }
  throw new Error('expected an XmlError, nothing was thrown');
}

const doc = read(`<Doc>
  <Hdr><Id>0007</Id><Empty/><Blank></Blank></Hdr>
  <Ntry><Amt Ccy="EUR">1.00</Amt></Ntry>
  <Ntry><Amt>2.00</Amt><Ref>x</Ref><Ref>y</Ref></Ntry>
  <Txt>a</Txt><Txt/><Txt>b</Txt>
  <Date>2026-02-30</Date>
  <Code>XX</Code>
  <Unknown a="1">kept</Unknown>
</Doc>`);

describe('XmlElement', () => {
  it('navigates with paths, numbering repeats from 1', () => {
    const hdr = doc.requiredChild('Hdr');
    expect(hdr.path).toBe('Doc/Hdr');
    expect(hdr.text('Id')).toBe('0007');
    expect(doc.children('Ntry').map((n) => n.path)).toEqual(['Doc/Ntry[1]', 'Doc/Ntry[2]']);
    expect(doc.at('Hdr', 'Missing')).toBeUndefined();
    expect(doc.at('Hdr')?.path).toBe('Doc/Hdr');
    expect(doc.children('None')).toEqual([]);
    expect(doc.childNames()).toEqual(['Hdr', 'Ntry', 'Txt', 'Date', 'Code', 'Unknown']);
  });

  it('treats empty elements as absent', () => {
    const hdr = doc.child('Hdr');
    expect(hdr?.text('Empty')).toBeUndefined();
    expect(hdr?.text('Blank')).toBeUndefined();
    expect(hdr?.text('Missing')).toBeUndefined();
  });

  it('reads attributes and tells containers from leaves', () => {
    const [first] = doc.children('Ntry');
    expect(first?.childAttribute('Amt', 'Ccy')).toBe('EUR');
    expect(first?.text('Amt')).toBe('1.00');
    expect(doc.isContainer('Hdr')).toBe(true);
    expect(doc.isContainer('Unknown')).toBe(false);
  });

  it('reads repeatable leaves in order, empty ones left out', () => {
    expect(doc.texts('Txt')).toEqual(['a', 'b']);
  });

  it.each<[string, () => unknown, string]>([
    ['a missing required element', () => doc.requiredChild('Hdr').requiredText('Nope'), 'Doc/Hdr/Nope is missing'],
    ['an empty required element', () => doc.requiredChild('Hdr').requiredText('Empty'), 'Doc/Hdr/Empty is empty'],
    ['a missing container', () => doc.requiredChild('Nope'), 'Doc/Nope is missing'],
    ['a repeated leaf', () => doc.children('Ntry')[1]?.text('Ref'), 'Doc/Ntry[2]/Ref must occur once, found 2'],
    ['a repeated container read as one', () => doc.child('Ntry'), 'Doc/Ntry must occur once'],
    ['elements where text belongs', () => doc.text('Hdr'), 'Doc/Hdr must be a text value, not contain elements'],
    ['text where elements belong', () => doc.child('Code'), 'Doc/Code must contain elements, not text'],
    ['an impossible date', () => doc.date('Date'), 'Doc/Date must be a date YYYY-MM-DD, got "2026-02-30"'],
    ['a value outside a list', () => doc.oneOf('Code', ['AA', 'BB'], true), 'Doc/Code must be one of AA, BB, got "XX"'],
    ['a value not matching a pattern', () => doc.matching('Code', /^[0-9]{2}$/, '2 digits'), 'Doc/Code must be 2 digits, got "XX"'],
  ])('refuses %s, naming the path', (_name, fn, message) => {
    const error = invalid(fn);
    expect(error.message).toBe(message);
    expect(message.startsWith(`${error.path} `)).toBe(true);
  });

  it('clips long values in messages', () => {
    const el = read(`<r><Code>${'9'.repeat(10_000)}</Code></r>`);
    expect(invalid(() => el.matching('Code', /^[0-9]{2}$/, '2 digits')).message.length).toBeLessThan(100);
  });

  it('keeps what was not read in extra, verbatim', () => {
    const el = read('<r><a>1</a><b x="2">3</b><c><d/></c></r>');
    expect(el.text('a')).toBe('1');
    el.child('c');
    expect(el.extra()).toEqual({ b: { '@_x': '2', '#text': '3' } });
    el.text('b');
    expect(el.extra()).toBeUndefined();
  });

  it('reads raw text elements: CDATA unwrapped, comments dropped, references decoded', () => {
    const el = read('<r><c>\n QQ&#43;<!-- x --><![CDATA[&amp;]]>\n</c><d>  </d><e><f/></e></r>', ['r.c', 'r.d', 'r.e']);
    expect(el.rawText('c')).toBe('QQ+&amp;');
    expect(el.rawText('d')).toBeUndefined();
    expect(invalid(() => el.rawText('e')).message).toBe('r/e must be a text value, not contain elements');
  });

  it('returns elements of the class it was called on', () => {
    class Sub extends XmlElement {
      shout(name: string): string | undefined {
        return this.text(name)?.toUpperCase();
      }
    }
    const { document } = parseUntrustedXml('<r><a><b>x</b></a><a><b>y</b></a></r>');
    const root = Sub.of('r', document.r);
    expect(root.children('a').map((a) => a.shout('b'))).toEqual(['X', 'Y']);
  });
});
