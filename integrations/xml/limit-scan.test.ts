import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { XmlError, XmlErrorType } from './errors.js';
import { XmlLimitScanner, type StreamScanLimits } from './limit-scan.js';
import { defaultXmlLimits, parseUntrustedXml, type XmlLimits } from './parse.js';

/**
 * The limit scan on bytes as they arrive (limit-scan.ts) against the whole-document reader:
 * every document below, under several limit sets, is fed in seeded random chunk sizes (1 byte
 * up to a few KB, so UTF-8 sequences and markup are split across chunk borders). Wherever the
 * scan cuts, the reader's verdict on the prefix before the cut must be exactly its verdict on
 * the whole document (type, message, limit, construct, path, line, column); where the whole
 * document breaks a limit the scan tracks (elements, attributes, depth, DTD), the scan must
 * cut, at the same offset whatever the chunking.
 */

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtureDirs = ['../hdn/fixtures', '../sepa/fixtures', '../risk/fixtures'].map((d) => path.join(here, d));
const fixtures: [string, Uint8Array][] = fixtureDirs.flatMap((dir) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.xml'))
    .map((f): [string, Uint8Array] => [f, new Uint8Array(readFileSync(path.join(dir, f)))]),
);

const billionLaughs = `<?xml version="1.0"?>
<!DOCTYPE r [
  <!ENTITY lol "lol">
  ${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`).join('\n  ')}
]>
<r>&lol9;</r>`;

/** Hand-made documents for the corners of the lexer's markup rules. */
const crafted: Record<string, string> = {
  'declaration, quotes inside values': `<?xml version="1.0" encoding="UTF-8"?><r a='1' b="2'"><c/><d></d><e f="&amp;" g='"'/></r>`,
  'multi-byte UTF-8 everywhere': '<r><é a="ü😀>">😀😀</é><日本 属性="値" 二="😀"/><ß/>€</r>',
  'BOM first': '\uFEFF<r><a x="1"/><b><c/></b></r>',
  'markup in comments and CDATA': '<r>t<!-- <a><b x="1"><c> --><![CDATA[<x y="2"><z>]]><!---->--><![CDATA[]]]]><a/></r>',
  'comment closed only by its own -->': '<r><!--->--><a/><!-- - -- ->--><b/></r>',
  'quote in a name, spaces around =': '<r><a"b c="d"/><e\n  f = "g"\n/><h i="j"/ ></h></r>',
  'end tag first': '</r><r><a/></r>',
  'second root': '<r/><s><t/></s>',
  'text outside the root': 'x<r><a/><a/><a/></r>',
  'a PI inside': '<r><?pi <a><b>?><a/></r>',
  'a "<" in an attribute value': '<r><a x="<"/><b/><c/><d/></r>',
  'an unclosed start tag': '<r><a x="1" <b/><c/><d/></r>',
  'empty element name': '<r>< a/><b/><c/></r>',
  'bad reference then more': '<r>&nope;<a/><b/><c/></r>',
  'DOCTYPE': '<!DOCTYPE r><r/>',
  'ENTITY': '<!ENTITY x "y"><r/>',
  'long keyword': '<!ELEMENTXYZABCDEFGHIJKLMNOPQRSTUV><r/>',
  'keyword of non-ASCII': '<!DOCé><r/>',
  'almost a comment': '<!-x><r/>',
  'almost CDATA': '<r><![CDAT<a/></r>',
  'bare <!': '<!><r/>',
  'DOCTYPE inside the root': '<r><a/><!DOCTYPE x></r>',
  'billion laughs': billionLaughs,
  'deep nesting': `<r>${'<a>'.repeat(60)}${'</a>'.repeat(60)}</r>`,
  'flat elements': `<r>${'<a/>'.repeat(300)}</r>`,
  'many attributes': `<r>${`<x ${Array.from({ length: 10 }, (_, i) => `a${i}="xxxx"`).join(' ')}/>`.repeat(40)}</r>`,
  'wide element': `<r><x ${Array.from({ length: 40 }, (_, i) => `a${i}='${i}'`).join(' ')}/></r>`,
};

const base: XmlLimits = { ...defaultXmlLimits, maxTextLength: 64 * 1024 };
const limitSets: Record<string, XmlLimits> = {
  defaults: base,
  '5 elements': { ...base, maxElements: 5 },
  '37 elements': { ...base, maxElements: 37 },
  '1 attribute per element': { ...base, maxAttributesPerElement: 1 },
  '3 attributes': { ...base, maxAttributes: 3 },
  '25 attributes': { ...base, maxAttributes: 25 },
  'depth 2': { ...base, maxDepth: 2 },
  'depth 4': { ...base, maxDepth: 4 },
};

type Verdict = 'read' | { type: string; message: string; limit?: string; construct?: string; path?: string; line?: number; column?: number };

function verdict(bytes: Uint8Array, limits: XmlLimits): Verdict {
  try {
    parseUntrustedXml(bytes, { label: 'doc', ...limits });
    return 'read';
  } catch (error) {
    if (!(error instanceof XmlError)) throw error;
    const { type, message, limit, construct, path: at, line, column } = error;
    return { type, message, limit, construct, path: at, line, column };
  }
}

/** Whether the whole document's verdict is one the stream scan decides. */
function tracked(v: Verdict): boolean {
  if (v === 'read') return false;
  if (v.type === XmlErrorType.TooDeep) return true;
  if (v.type === XmlErrorType.Forbidden) return v.construct !== 'PI';
  return v.type === XmlErrorType.LimitExceeded && v.limit !== 'maxTextLength';
}

/** mulberry32: the same chunkings on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function scanInChunks(bytes: Uint8Array, limits: StreamScanLimits, next: () => number): number | undefined {
  const scanner = new XmlLimitScanner(limits);
  let at = 0;
  while (at < bytes.length) {
    // Mostly tiny chunks (every border lands somewhere), sometimes large ones.
    const size = next() < 0.8 ? 1 + Math.floor(next() * 7) : 1 + Math.floor(next() * 4096);
    const cut = scanner.feed(bytes.subarray(at, Math.min(bytes.length, at + size)));
    if (cut !== undefined) return cut;
    at += size;
  }
  return undefined;
}

const documents: [string, Uint8Array][] = [...fixtures, ...Object.entries(crafted).map(([name, text]): [string, Uint8Array] => [name, new TextEncoder().encode(text)])];

describe('the stream limit scan agrees with the whole-document reader', () => {
  describe.each(Object.entries(limitSets))('limits: %s', (_limitsName, limits) => {
    it.each(documents)('%s', (_name, bytes) => {
      const whole = verdict(bytes, limits);
      const oneChunk = scanInChunks(bytes, limits, () => 0.99);
      if (tracked(whole)) expect(oneChunk, 'the scan must cut a document over a tracked limit').toBeDefined();
      if (oneChunk !== undefined) {
        expect(whole).not.toBe('read');
        expect(verdict(bytes.subarray(0, oneChunk), limits)).toEqual(whole);
      }
      for (let seed = 1; seed <= 8; seed += 1) {
        expect(scanInChunks(bytes, limits, random(seed * 7919 + bytes.length))).toBe(oneChunk);
      }
    });
  });
});

describe('the stream limit scan on the hostile bodies of issue 16', () => {
  const hdnLimits: XmlLimits = { ...base, maxDepth: 32, maxElements: 20_000, maxAttributesPerElement: 16, maxAttributes: 20_000 };
  const hostile: Record<string, string> = {
    '1.15 M attributes': `<HDN>${`<x ${Array.from({ length: 10 }, (_, i) => `a${i}="xxxxxxxxxx"`).join(' ')}/>`.repeat(115_000)}</HDN>`,
    '4.5 M flat elements': `<HDN>${'<a/>'.repeat(4_500_000)}</HDN>`,
    '100,000 levels deep': `<HDN>${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}</HDN>`,
    'billion laughs': billionLaughs,
  };
  it.each(Object.keys(hostile))('%s: cut within the first 2%% of the body, refused as the whole body is', (name) => {
    const bytes = new TextEncoder().encode(hostile[name]);
    const scanner = new XmlLimitScanner(hdnLimits);
    let cut: number | undefined;
    for (let at = 0; cut === undefined && at < bytes.length; at += 64 * 1024) cut = scanner.feed(bytes.subarray(at, at + 64 * 1024));
    expect(cut).toBeDefined();
    expect(cut!).toBeLessThan(Math.max(1024, bytes.length / 50));
    expect(verdict(bytes.subarray(0, cut), hdnLimits)).toEqual(verdict(bytes, hdnLimits));
  });
});
