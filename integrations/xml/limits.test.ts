import { describe, expect, it } from 'vitest';
import { XmlError, XmlErrorType, type XmlCountLimit } from './errors.js';
import { defaultXmlLimits, parseUntrustedXml, type XmlLimits, type XmlParseOptions } from './parse.js';

/**
 * Each limit of the hardened reader, table-tested at its edge: a document exactly at the limit
 * is read, one item more is refused by the lexer's scan (before fast-xml-parser builds anything)
 * with a LimitExceeded error naming the limit.
 */

const label = 'test document';

function refusal(input: string, options: XmlParseOptions): XmlError {
  try {
    parseUntrustedXml(input, { label, ...options });
  } catch (error) {
    expect(error).toBeInstanceOf(XmlError);
    return error as XmlError;
  }
  throw new Error('expected an XmlError, nothing was thrown');
}

/** `n` elements in all: the root and n-1 children. */
const elements = (n: number): string => `<r>${'<a/>'.repeat(n - 1)}</r>`;
/** One element with `n` attributes. */
const attributes = (n: number): string => `<r ${Array.from({ length: n }, (_, i) => `a${i}="${i}"`).join(' ')}/>`;
/** `n` attributes in all, at most 2 per element. */
const spreadAttributes = (n: number): string => `<r>${Array.from({ length: Math.ceil(n / 2) }, (_, i) => (2 * i + 1 < n ? '<a x="1" y="2"/>' : '<a x="1"/>')).join('')}</r>`;
const text = (n: number): string => `<r><a>${'x'.repeat(n)}</a></r>`;
const cdata = (n: number): string => `<r><a><![CDATA[${'x'.repeat(n)}]]></a></r>`;
const attributeValue = (n: number): string => `<r><a v="${'x'.repeat(n)}"/></r>`;

interface LimitCase {
  limit: XmlCountLimit;
  /** The document with exactly `n` of what the limit counts. */
  build: (n: number) => string;
  /** The limit set for the case (small, so the edge is exact and cheap). */
  value: number;
  message: RegExp;
}

const cases: Record<string, LimitCase> = {
  'elements': { limit: 'maxElements', build: elements, value: 50, message: /^test document: more than 50 elements \(maxElements\) \(line 1, column \d+, in r\)$/ },
  'attributes on one element': { limit: 'maxAttributesPerElement', build: attributes, value: 8, message: /^test document: <r> has more than 8 attributes \(maxAttributesPerElement\)/ },
  'attributes in the document': { limit: 'maxAttributes', build: spreadAttributes, value: 21, message: /^test document: more than 21 attributes in the document \(maxAttributes\)/ },
  'text length': { limit: 'maxTextLength', build: text, value: 100, message: /^test document: a text of 101 characters is longer than the limit of 100 \(maxTextLength\) \(line 1, column 7, in r\/a\)$/ },
  'CDATA length': { limit: 'maxTextLength', build: cdata, value: 100, message: /a text of 101 characters is longer than the limit of 100 \(maxTextLength\)/ },
  'attribute value length': { limit: 'maxTextLength', build: attributeValue, value: 100, message: /an attribute value of <a> of 101 characters is longer than the limit of 100 \(maxTextLength\)/ },
};

describe('the counting limits, at the edge', () => {
  it.each(Object.entries(cases))('%s: exactly the limit is read, one more is refused naming the limit', (_name, c) => {
    const options: Partial<XmlLimits> = { [c.limit]: c.value };
    expect(() => parseUntrustedXml(c.build(c.value - 1), { label, ...options })).not.toThrow();
    expect(() => parseUntrustedXml(c.build(c.value), { label, ...options })).not.toThrow();
    const error = refusal(c.build(c.value + 1), options);
    expect(error.type).toBe(XmlErrorType.LimitExceeded);
    expect(error.limit).toBe(c.limit);
    expect(error.message).toMatch(c.message);
  });

  it('depth: exactly the limit is read, one level more is refused', () => {
    const deep = (n: number): string => `${'<a>'.repeat(n)}x${'</a>'.repeat(n)}`;
    expect(() => parseUntrustedXml(deep(6), { label, maxDepth: 6 })).not.toThrow();
    expect(refusal(deep(7), { maxDepth: 6 }).type).toBe(XmlErrorType.TooDeep);
  });

  it('the defaults hold at their edges too', () => {
    const { maxElements, maxAttributesPerElement, maxTextLength } = defaultXmlLimits;
    expect(() => parseUntrustedXml(elements(maxElements), { label })).not.toThrow();
    expect(refusal(elements(maxElements + 1), {}).limit).toBe('maxElements');
    expect(() => parseUntrustedXml(attributes(maxAttributesPerElement), { label })).not.toThrow();
    expect(refusal(attributes(maxAttributesPerElement + 1), {}).limit).toBe('maxAttributesPerElement');
    expect(() => parseUntrustedXml(text(maxTextLength), { label })).not.toThrow();
    expect(refusal(text(maxTextLength + 1), {}).limit).toBe('maxTextLength');
    expect(refusal(spreadAttributes(defaultXmlLimits.maxAttributes + 1), { maxElements: defaultXmlLimits.maxAttributes }).limit).toBe('maxAttributes');
  });

  it('raw-text and long-text elements may hold text longer than maxTextLength; their siblings may not', () => {
    const doc = (n: number): string => `<r><big>${'A'.repeat(n)}</big><small>${'B'.repeat(n)}</small></r>`;
    expect(() => parseUntrustedXml(`<r><big>${'A'.repeat(500)}</big></r>`, { label, maxTextLength: 100, rawTextElements: ['r.big'] })).not.toThrow();
    expect(() => parseUntrustedXml(`<r><big>${'A'.repeat(500)}</big></r>`, { label, maxTextLength: 100, longTextElements: ['r.big'] })).not.toThrow();
    const error = refusal(doc(500), { maxTextLength: 100, longTextElements: ['r.big'] });
    expect(error.limit).toBe('maxTextLength');
    expect(error.path).toBe('r/small');
  });

  it('refuses the hostile shapes of issue 16 by counting, before a tree is built', () => {
    // 1.15 million attributes in 19.6 MB; 4.5 million flat elements in 18 MB (scaled to the limits).
    const manyAttributes = `<HDN>${'<x a="1" b="2" c="3" d="4"/>'.repeat(30_000)}</HDN>`;
    expect(refusal(manyAttributes, {}).limit).toBe('maxAttributes');
    const flat = `<HDN>${'<a/>'.repeat(250_000)}</HDN>`;
    expect(refusal(flat, {}).limit).toBe('maxElements');
    const wide = `<HDN ${Array.from({ length: 5000 }, (_, i) => `a${i}="1"`).join(' ')}/>`;
    expect(refusal(wide, {}).limit).toBe('maxAttributesPerElement');
  });
});
