import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AfdError, AfdErrorType, codeAndSequenceRef, readAfd, sequenceOf, walkEntities, writeAfd, writeAfdUtf8, type AfdMessage, type AfdReadOptions } from './index.js';

const fixture = readFileSync(new URL('./fixtures/contractdocument.xml', import.meta.url), 'utf8');
const doc = (body: string, root = 'Contractdocument') => `<?xml version="1.0" encoding="UTF-8"?><${root}>${body}</${root}>`;

function refusal(run: () => unknown): AfdError {
  try {
    run();
  } catch (error) {
    if (error instanceof AfdError) return error;
    throw new Error(`expected an AfdError, got ${String(error)}`);
  }
  throw new Error('expected an AfdError, got a result');
}

describe('readAfd on the synthetic Contractdocument', () => {
  const m = readAfd(fixture);

  it('reads the kind, nested entities in order and every label raw', () => {
    expect(m.kind).toBe('Contractdocument');
    expect(m.entities.map((e) => e.code)).toEqual(['AL', 'PP']);
    const pp = m.entities[1]!;
    expect(pp.children.map((e) => `${e.code}${sequenceOf(e)}`)).toEqual(['VP1', 'VP2', 'ZZ1']);
    expect(pp.attributes.PP_INGDAT).toBe('20270101');
    expect(Object.keys(pp.attributes)[0]).toBe('PP_ENTITEI');
    // Unknown labels and entities are kept, references decoded, empty elements as "".
    expect(pp.attributes.PP_ONBEKEND).toBe('kept & written back <as is>');
    expect(pp.children[0]!.attributes.VP_TITEL).toBe('');
    expect(pp.children[2]!.attributes.ZZ_ONBEKEND).toBe('Ü ñ € 😀');
    expect([...walkEntities(m)].map((e) => e.code)).toEqual(['AL', 'PP', 'VP', 'VP', 'ZZ']);
  });

  it('round-trips: read -> write -> read is equal, and writing is deterministic', () => {
    const written = writeAfd(m);
    expect(readAfd(written)).toEqual(m);
    expect(writeAfd(readAfd(written))).toBe(written);
    expect(written.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<Contractdocument>\n  <AL>\n    <AL_ENTITEI>AL</AL_ENTITEI>\n')).toBe(true);
    expect(written).toContain('<PP_ONBEKEND>kept &amp; written back &lt;as is&gt;</PP_ONBEKEND>');
  });

  it('reads UTF-8 bytes as it reads the text, and writes UTF-8 bytes', () => {
    expect(readAfd(new TextEncoder().encode(fixture))).toEqual(m);
    const bytes = writeAfdUtf8(m);
    expect(new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toBe(writeAfd(m));
    expect(readAfd(bytes)).toEqual(m);
  });

  it('resolves VP_ENTREF "PP1" under the code-and-sequence convention', () => {
    expect(readAfd(fixture, { entityRefs: codeAndSequenceRef })).toEqual(m);
  });
});

describe('round trips of edge-case models', () => {
  const cases: [string, AfdMessage][] = [
    ['an empty message with root attributes', { kind: 'Pakket', rootAttributes: { versie: '1.0', note: 'a "b" & <c>\tx\ny' }, entities: [] }],
    ['an empty entity', { kind: 'Relatiedocument', rootAttributes: {}, entities: [{ code: 'VP', attributes: {}, children: [] }] }],
    [
      'values with newlines, CR, quotes and markup',
      {
        kind: 'Schadedocument',
        rootAttributes: {},
        entities: [{ code: 'SC', attributes: { SC_TEKST: 'regel 1\nregel 2\r\nregel "3" & <4> \'5\'', SC_LEEG: '' }, children: [] }],
      },
    ],
    [
      'deep nesting and same labels under different codes',
      {
        kind: 'Contractdocument',
        rootAttributes: {},
        entities: [
          {
            code: 'PP',
            attributes: { PP_VOLGNUM: '1' },
            children: [{ code: 'VP', attributes: { VP_VOLGNUM: '1' }, children: [{ code: 'A1', attributes: { A1_VOLGNUM: '1', A1_X9: '007' }, children: [] }] }],
          },
          { code: 'PP', attributes: { PP_VOLGNUM: '2' }, children: [] },
        ],
      },
    ],
  ];
  it.each(cases)('%s', (_name, message) => {
    const xml = writeAfd(message);
    expect(readAfd(xml)).toEqual(message);
    expect(writeAfd(readAfd(xml))).toBe(xml);
  });
});

describe('readAfd accepts', () => {
  const accepted: [string, string, AfdReadOptions?][] = [
    ['an opaque (GUID) ENTREF by default', doc('<VP><VP_ENTREF>564d78cd-c180-4e72-ad76-9b6093aed8a5</VP_ENTREF></VP>')],
    ['the same VOLGNUM under different codes', doc('<PP><PP_VOLGNUM>1</PP_VOLGNUM></PP><VP><VP_VOLGNUM>1</VP_VOLGNUM></VP>')],
    ['the same VOLGNUM for same-coded entities under different parents', doc('<PP><VP><VP_VOLGNUM>1</VP_VOLGNUM></VP></PP><PP><VP><VP_VOLGNUM>1</VP_VOLGNUM></VP></PP>')],
    ['an empty VOLGNUM (no number given)', doc('<PP><PP_VOLGNUM/></PP>')],
    ['a VOLGNUM with leading zeros', doc('<PP><PP_VOLGNUM>007</PP_VOLGNUM></PP>')],
    ['a kind that is allowed by `kinds`', doc('', 'Pakket'), { kinds: ['Pakket'] }],
    ['an unknown word-like kind without `kinds`', doc('<AL/>', 'Offertedocument')],
    ['a custom reference resolver', doc('<VP><VP_ENTREF>ok</VP_ENTREF></VP>'), { entityRefs: (ref) => ref === 'ok' }],
  ];
  it.each(accepted)('%s', (_name, xml, options) => {
    expect(() => readAfd(xml, options)).not.toThrow();
  });
});

describe('readAfd refuses', () => {
  const refused: [string, string, AfdErrorType, string | undefined, AfdReadOptions?][] = [
    ['a label directly in the root', doc('<AL_FUNCTIE>01</AL_FUNCTIE>'), AfdErrorType.AttributeOutsideEntity, 'Contractdocument/AL_FUNCTIE'],
    ['a label of another entity', doc('<PP><VP_ANAAM>x</VP_ANAAM></PP>'), AfdErrorType.PrefixMismatch, 'Contractdocument/PP[1]/VP_ANAAM'],
    ['a literal XX_ label (XX stands for the entity code)', doc('<PP><XX_VOLGNUM>1</XX_VOLGNUM></PP>'), AfdErrorType.PrefixMismatch, 'Contractdocument/PP[1]/XX_VOLGNUM'],
    ['a wrong prefix deep down', doc('<PP><VP><VP_VOLGNUM>1</VP_VOLGNUM></VP><VP><PP_NUMMER>1</PP_NUMMER></VP></PP>'), AfdErrorType.PrefixMismatch, 'Contractdocument/PP[1]/VP[2]/PP_NUMMER'],
    ['VOLGNUM 0', doc('<PP><PP_VOLGNUM>0</PP_VOLGNUM></PP>'), AfdErrorType.BadSequenceNumber, 'Contractdocument/PP[1]/PP_VOLGNUM'],
    ['a negative VOLGNUM', doc('<PP><PP_VOLGNUM>-1</PP_VOLGNUM></PP>'), AfdErrorType.BadSequenceNumber, 'Contractdocument/PP[1]/PP_VOLGNUM'],
    ['a VOLGNUM with letters', doc('<PP><PP_VOLGNUM>1a</PP_VOLGNUM></PP>'), AfdErrorType.BadSequenceNumber, undefined],
    ['a fractional VOLGNUM', doc('<PP><PP_VOLGNUM>1.5</PP_VOLGNUM></PP>'), AfdErrorType.BadSequenceNumber, undefined],
    ['a VOLGNUM of ten digits', doc('<PP><PP_VOLGNUM>1234567890</PP_VOLGNUM></PP>'), AfdErrorType.BadSequenceNumber, undefined],
    [
      'two same-coded siblings with one VOLGNUM',
      doc('<PP><VP><VP_VOLGNUM>1</VP_VOLGNUM></VP><VP><VP_VOLGNUM>01</VP_VOLGNUM></VP></PP>'),
      AfdErrorType.DuplicateSequenceNumber,
      'Contractdocument/PP[1]/VP[2]/VP_VOLGNUM',
    ],
    ['two top-level entities with one VOLGNUM', doc('<PP><PP_VOLGNUM>3</PP_VOLGNUM></PP><PP><PP_VOLGNUM>3</PP_VOLGNUM></PP>'), AfdErrorType.DuplicateSequenceNumber, 'Contractdocument/PP[2]/PP_VOLGNUM'],
    ['ENTITEI naming another entity', doc('<PP><PP_ENTITEI>VP</PP_ENTITEI></PP>'), AfdErrorType.EntityCodeMismatch, 'Contractdocument/PP[1]/PP_ENTITEI'],
    [
      'a dangling ENTREF (code-and-sequence convention)',
      doc('<PP><PP_VOLGNUM>1</PP_VOLGNUM><VP><VP_ENTREF>PP2</VP_ENTREF></VP></PP>'),
      AfdErrorType.DanglingReference,
      'Contractdocument/PP[1]/VP[1]/VP_ENTREF',
      { entityRefs: codeAndSequenceRef },
    ],
    ['an ENTREF not in code-and-sequence form', doc('<VP><VP_ENTREF>564d78cd</VP_ENTREF></VP>'), AfdErrorType.DanglingReference, undefined, { entityRefs: codeAndSequenceRef }],
    ['an ENTREF a custom resolver cannot resolve', doc('<VP><VP_ENTREF>x</VP_ENTREF></VP>'), AfdErrorType.DanglingReference, undefined, { entityRefs: () => false }],
    ['a label twice in one entity', doc('<PP><PP_NUMMER>1</PP_NUMMER><PP_NUMMER>2</PP_NUMMER></PP>'), AfdErrorType.DuplicateLabel, 'Contractdocument/PP[1]/PP_NUMMER'],
    ['an entity code as the root', doc('<PP_NUMMER>1</PP_NUMMER>', 'PP'), AfdErrorType.NotAMessage, 'PP'],
    ['our old <AFD> root', doc('<AL/>', 'AFD'), AfdErrorType.NotAMessage, 'AFD'],
    ['a kind outside `kinds`', doc('<AL/>'), AfdErrorType.NotAMessage, 'Contractdocument', { kinds: ['Pakket'] }],
    ['a prefixed root', '<a:Contractdocument xmlns:a="urn:x"/>', AfdErrorType.NotAMessage, undefined],
    ['an element that is neither entity nor label (root)', doc('<Polis/>'), AfdErrorType.UnknownElement, 'Contractdocument/Polis'],
    ['an element that is neither entity nor label (entity)', doc('<PP><nummer>1</nummer></PP>'), AfdErrorType.UnknownElement, 'Contractdocument/PP[1]/nummer'],
    ['a three-letter entity', doc('<PPP/>'), AfdErrorType.UnknownElement, undefined],
    ['text in the root', doc('hallo<AL/>'), AfdErrorType.UnexpectedContent, 'Contractdocument'],
    ['text as the whole root', doc('hallo'), AfdErrorType.UnexpectedContent, 'Contractdocument'],
    ['text in an entity', doc('<PP>hallo</PP>'), AfdErrorType.UnexpectedContent, 'Contractdocument/PP[1]'],
    ['text next to labels', doc('<PP>hallo<PP_NUMMER>1</PP_NUMMER></PP>'), AfdErrorType.UnexpectedContent, 'Contractdocument/PP[1]'],
    ['an element inside a label', doc('<PP><PP_NUMMER><PP_X>1</PP_X></PP_NUMMER></PP>'), AfdErrorType.UnexpectedContent, 'Contractdocument/PP[1]/PP_NUMMER'],
    ['an XML attribute on an entity', doc('<PP soort="x"><PP_NUMMER>1</PP_NUMMER></PP>'), AfdErrorType.UnexpectedContent, 'Contractdocument/PP[1]'],
    ['an XML attribute on a label', doc('<PP><PP_NUMMER soort="x">1</PP_NUMMER></PP>'), AfdErrorType.UnexpectedContent, 'Contractdocument/PP[1]/PP_NUMMER'],
    ['a DOCTYPE', `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]>${doc('<AL/>').replace(/^<\?xml[^>]*>/, '')}`, AfdErrorType.ForbiddenConstruct, undefined],
    ['XML that is not well-formed', doc('<PP><PP_NUMMER>1</PP></PP_NUMMER>'), AfdErrorType.Malformed, undefined],
    ['an unknown entity reference', doc('<PP><PP_NUMMER>&nbsp;</PP_NUMMER></PP>'), AfdErrorType.Malformed, undefined],
    ['nesting deeper than maxDepth', doc('<PP><VP><ZZ><YY/></ZZ></VP></PP>'), AfdErrorType.TooDeep, undefined, { limits: { maxDepth: 3 } }],
    ['more bytes than maxBytes', doc('<AL/>'), AfdErrorType.TooLarge, undefined, { limits: { maxBytes: 40 } }],
    ['two roots', '<Contractdocument/><Pakket/>', AfdErrorType.Malformed, undefined],
  ];
  it.each(refused)('%s', (_name, xml, type, path, options) => {
    const error = refusal(() => readAfd(xml, options));
    expect(error.type).toBe(type);
    if (path !== undefined) expect(error.path).toBe(path);
    expect(error.message).toMatch(/AFD/);
  });
});

describe('writeAfd refuses a model the reader would refuse or not give back', () => {
  const base = (attributes: Record<string, string>, code = 'PP'): AfdMessage => ({ kind: 'Contractdocument', rootAttributes: {}, entities: [{ code, attributes, children: [] }] });
  const refused: [string, AfdMessage, AfdErrorType][] = [
    ['a control character', base({ PP_NUMMER: 'a\u0001b' }), AfdErrorType.UnwritableValue],
    ['a lone surrogate', base({ PP_NUMMER: 'a\uD800b' }), AfdErrorType.UnwritableValue],
    ['leading whitespace (the reader trims)', base({ PP_NUMMER: ' 1' }), AfdErrorType.UnwritableValue],
    ['trailing newline', base({ PP_NUMMER: '1\n' }), AfdErrorType.UnwritableValue],
    ['a label that is not CODE_LABEL', base({ nummer: '1' }), AfdErrorType.UnknownElement],
    ['a label of another entity', base({ VP_ANAAM: 'x' }), AfdErrorType.PrefixMismatch],
    ['a bad entity code', base({}, 'PPP'), AfdErrorType.UnknownElement],
    ['a bad VOLGNUM', base({ PP_VOLGNUM: 'x' }), AfdErrorType.BadSequenceNumber],
    ['a code as kind', { kind: 'PP', rootAttributes: {}, entities: [] }, AfdErrorType.NotAMessage],
    ['a kind with markup', { kind: 'Contract<x>', rootAttributes: {}, entities: [] }, AfdErrorType.NotAMessage],
    ['a bad root attribute name', { kind: 'Pakket', rootAttributes: { 'a b': '1' }, entities: [] }, AfdErrorType.UnwritableValue],
    ['a control character in a root attribute', { kind: 'Pakket', rootAttributes: { a: '\u0000' }, entities: [] }, AfdErrorType.UnwritableValue],
  ];
  it.each(refused)('%s', (_name, message, type) => {
    expect(refusal(() => writeAfd(message)).type).toBe(type);
  });

  it('refuses a dangling reference under the policy given', () => {
    const m = base({ PP_ENTREF: 'VP1' });
    expect(() => writeAfd(m)).not.toThrow();
    expect(refusal(() => writeAfd(m, { entityRefs: codeAndSequenceRef })).type).toBe(AfdErrorType.DanglingReference);
  });
});

describe('what the reader normalises and what it survives', () => {
  it('puts labels before child entities and same-coded siblings together (the object form groups them)', () => {
    const m = readAfd(doc('<PP><VP><VP_VOLGNUM>1</VP_VOLGNUM></VP><PP_NUMMER>1</PP_NUMMER><ZZ/><VP><VP_VOLGNUM>2</VP_VOLGNUM></VP></PP>'));
    const pp = m.entities[0]!;
    expect(Object.keys(pp.attributes)).toEqual(['PP_NUMMER']);
    expect(pp.children.map((e) => `${e.code}${sequenceOf(e) ?? ''}`)).toEqual(['VP1', 'VP2', 'ZZ']);
    // Normalised once, stable afterwards.
    expect(readAfd(writeAfd(m))).toEqual(m);
  });

  it.each(['<PP><__proto__>1</__proto__></PP>', '<PP><constructor>1</constructor></PP>', '<__proto__/>', '<PP><PP_X>1</PP_X><hasOwnProperty/></PP>'])(
    'refuses prototype-like element names with an AfdError: %s',
    (body) => {
      expect(refusal(() => readAfd(doc(body)))).toBeInstanceOf(AfdError);
    },
  );
});

describe('random models round-trip (seeded, so a failure repeats)', () => {
  // Small deterministic generator (mulberry32): no test dependency, same models every run.
  function rng(seed: number): () => number {
    let a = seed;
    return () => {
      a = (a + 0x6d2b79f5) | 0;
      let t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  const pieces = ['a', 'Z', '0', ' ', '&', '<', '>', '"', "'", '\n', '\r', '\t', 'é', '€', '😀', ']]>', '&amp;', '-->'];
  const upper = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  function entity(r: () => number, depth: number): AfdMessage['entities'][number] {
    const code = `${upper[Math.floor(r() * 26)]}${(upper + '0123456789')[Math.floor(r() * 36)]}`;
    const attributes: Record<string, string> = {};
    const n = Math.floor(r() * 5);
    for (let i = 0; i < n; i++) {
      let value = '';
      const len = Math.floor(r() * 6);
      for (let j = 0; j < len; j++) value += pieces[Math.floor(r() * pieces.length)];
      attributes[`${code}_L${Math.floor(r() * 100)}`] = value.trim();
    }
    const children = depth < 3 ? Array.from({ length: Math.floor(r() * 3) }, () => entity(r, depth + 1)) : [];
    return { code, attributes, children };
  }
  function grouped(entities: AfdMessage['entities']): AfdMessage['entities'] {
    const byCode = new Map<string, AfdMessage['entities'][number][]>();
    for (const e of entities) byCode.set(e.code, [...(byCode.get(e.code) ?? []), { ...e, children: grouped(e.children) }]);
    return [...byCode.values()].flat();
  }
  it('200 models: read(write(m)) equals m and writing is stable', () => {
    const r = rng(17);
    for (let i = 0; i < 200; i++) {
      const m: AfdMessage = { kind: 'Contractdocument', rootAttributes: {}, entities: Array.from({ length: 1 + Math.floor(r() * 3) }, () => entity(r, 0)) };
      // Same-coded siblings come back together (at the first one's place): nothing else changes.
      const normal = readAfd(writeAfd(m));
      expect(normal).toEqual({ ...m, entities: grouped(m.entities) });
      expect(readAfd(writeAfd(normal))).toEqual(normal);
      expect(writeAfd(readAfd(writeAfd(normal)))).toBe(writeAfd(normal));
    }
  });
});
