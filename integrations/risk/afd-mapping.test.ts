// All messages and the mapping here are SYNTHETIC (fixtures/afd-mapping.synthetic.json says so):
// codes, names and amounts are made up; only the label names marked verified come from REFERENCE.md.
import { afterAll, describe, expect, it } from 'vitest';
import { XmlParsePool } from '../xml/index.js';
import { readAfd, writeAfd, type AfdEntity, type AfdMessage } from '../afd/index.js';
import {
  afdToRisk,
  defaultRiskAfdMapping,
  defineRiskAfdMapping,
  readRiskAfd,
  readRiskAfdOffThread,
  riskToAfd,
  writeRiskAfd,
  type RiskAfdMapping,
} from './afd-mapping.js';
import defaultData from './afd-mapping.json' with { type: 'json' };
import syntheticData from './fixtures/afd-mapping.synthetic.json' with { type: 'json' };
import { RiskError, RiskErrorType, type RiskMessage } from './types.js';

const mapping = defineRiskAfdMapping(syntheticData);

const quote: RiskMessage = {
  messageId: 'SYN-MSG-0001',
  kind: 'quote',
  version: 1,
  eventAt: '2026-03-29T00:30:00.000Z', // 01:30 winter time, the night the clocks go forward
  policyNumber: 'SYN-OFF-77',
  insurerCode: 'SYNV',
  branch: 'SYN-AUTO',
  premiumCents: 4_312,
  relation: { lastName: 'Voorbeeld-Ünal', birthDate: '1980-02-29' },
  coverages: [
    { code: 'SYN-WA', description: 'Wettelijke aansprakelijkheid & meer', premiumCents: 2_500, insuredAmountCents: 125_000_000 },
    { code: 'SYN-CASCO', description: 'Volledig casco', premiumCents: 1_812 },
  ],
  documents: [],
};

const final: RiskMessage = {
  messageId: 'SYN-MSG-0002',
  kind: 'final',
  version: 2,
  eventAt: '2026-07-01T12:00:05.000Z',
  adviserReference: 'prod-0c1d',
  policyNumber: 'SYN-POL-77',
  insurerCode: 'SYNV',
  branch: 'SYN-WOON',
  startDate: '2026-08-01',
  premiumCents: 1_001,
  paymentTermMonths: 12,
  relation: { relationNumber: 'R-9', lastName: 'Test', initials: 'A.B.', birthDate: '1975-12-31' },
  coverages: [{ code: 'SYN-INB', description: 'Inboedel', premiumCents: 1_001, insuredAmountCents: 5_000_000 }],
  documents: [
    { name: 'polis.pdf', mimeType: 'application/pdf', contentBase64: 'JVBERi0xLjQK' },
    { name: 'voorwaarden.pdf', mimeType: 'application/pdf', contentBase64: 'AAEC/w==' },
  ],
};

const mutation: RiskMessage = {
  ...final,
  messageId: 'SYN-MSG-0003',
  kind: 'mutation',
  version: 3,
  eventAt: '2026-10-25T01:15:00.000Z', // 02:15 wall clock after the clocks went back (second 02:15)
  premiumCents: -1_234, // premium returned
  coverages: [{ code: 'SYN-INB', description: 'Inboedel', premiumCents: -1_234 }],
  documents: [],
};

const label = (e: AfdEntity | undefined, name: string) => e?.attributes[name];
const pp = (m: AfdMessage) => m.entities.find((e) => e.code === 'PP');

describe('RISK <-> AFD round trips (domain -> model -> XML -> model -> domain)', () => {
  const cases: [string, RiskMessage, { premiumGrossCents?: number }][] = [
    ['quote, two coverages, gross premium, DST night', quote, { premiumGrossCents: 3_900 }],
    ['final, documents, start date, term, adviser reference', final, {}],
    ['mutation, version 3, negative premium, no insured amount', mutation, {}],
  ];
  it.each(cases)('%s', (_name, message, extras) => {
    const model = riskToAfd(message, mapping, extras);
    const xml = writeRiskAfd(message, mapping, extras);
    expect(xml).toBe(writeAfd(model));
    const reread = readAfd(xml);
    expect(reread).toEqual(model);
    const back = afdToRisk(reread, mapping);
    expect(back.message).toEqual(message);
    expect(back.premiumGrossCents).toBe(extras.premiumGrossCents);
    expect(readRiskAfd(xml, mapping)).toEqual(back);
    // Writing the read message again gives the same bytes.
    expect(writeRiskAfd(back.message, mapping, extras)).toBe(xml);
  });

  it('documents directly under the message, when the mapping says so (long content exempt there too)', () => {
    const atRoot = defineRiskAfdMapping({ ...syntheticData, documents: { ...syntheticData.documents, parent: 'message' } });
    const big: RiskMessage = { ...final, documents: [{ name: 'groot.pdf', mimeType: 'application/pdf', contentBase64: 'QUJD'.repeat(1_000) }] };
    const xml = writeRiskAfd(big, atRoot);
    expect(readAfd(xml).entities.map((e) => e.code)).toEqual(['AL', 'PP', 'Z9']);
    expect(readRiskAfd(xml, atRoot, { maxTextLength: 1_000 }).message).toEqual(big);
    // Read with the PP-placed mapping, the root-level documents are not documents.
    expect(readRiskAfd(xml, mapping).message.documents).toEqual([]);
  });

  it('writes the public shape, not our old one', () => {
    const xml = writeRiskAfd(final, mapping);
    for (const present of [
      '<Contractdocument>',
      '<AL_BERRFNR>SYN-MSG-0002</AL_BERRFNR>',
      '<AL_FUNCTIE>92</AL_FUNCTIE>',
      '<AL_ADATMSG>20260701</AL_ADATMSG>',
      '<AL_ATIJDMSG>140005</AL_ATIJDMSG>',
      '<PP_MYAAND>SYNV</PP_MYAAND>',
      '<PP_TTOT>10.01</PP_TTOT>',
      '<PP_INGDAT>20260801</PP_INGDAT>',
      '<Z2_CODE>SYN-INB</Z2_CODE>',
      '<Z2_VERZSOM>50000.00</Z2_VERZSOM>',
      '<Z9_INHOUD>JVBERi0xLjQK</Z9_INHOUD>',
    ]) {
      expect(xml).toContain(present);
    }
    for (const absent of ['<AFD', 'AL_BERICHTID', 'AL_VOLGNUM', '<DA>', '<DO>', 'PP_MYMAA', 'PP_TTOTAAL', 'PP_BTP']) expect(xml).not.toContain(absent);
    const model = readAfd(xml);
    // VP, coverages and documents nest inside PP; each entity numbered with its own VOLGNUM.
    expect(pp(model)?.children.map((e) => `${e.code}${label(e, `${e.code}_VOLGNUM`)}`)).toEqual(['VP1', 'Z21', 'Z91', 'Z92']);
    expect(label(pp(model), 'PP_ENTITEI')).toBe('PP');
  });

  it('records unknown codes (the code lists are still empty) instead of refusing', () => {
    const { notes } = readRiskAfd(writeRiskAfd(quote, mapping), mapping);
    expect(notes).toEqual([
      { type: 'unknown_code', list: 'AL_FUNCTIE', code: '91', at: 'Contractdocument/AL/AL_FUNCTIE' },
      { type: 'unknown_code', list: 'PORMAA', code: 'SYNV', at: 'Contractdocument/PP/PP_MYAAND' },
      { type: 'unknown_code', list: 'ADNBRA', code: 'SYN-AUTO', at: 'Contractdocument/PP/PP_BRANCHE' },
      { type: 'unknown_code', list: 'ADN_DEKKING', code: 'SYN-WA', at: 'Contractdocument/PP/Z1[1]/Z1_CODE' },
      { type: 'unknown_code', list: 'ADN_DEKKING', code: 'SYN-CASCO', at: 'Contractdocument/PP/Z1[2]/Z1_CODE' },
    ]);
  });
});

/** Edits the written XML of `base` (string replace, so each case is one visible change). */
function edited(base: RiskMessage, from: string | RegExp, to: string): string {
  const xml = writeRiskAfd(base, mapping);
  const out = xml.replace(from, to);
  if (out === xml) throw new Error(`test setup: ${String(from)} not found`);
  return out;
}

describe('reading: recorded, not refused', () => {
  it('an unknown branch keeps the message and reads coverages from every configured coverage entity', () => {
    const read = readRiskAfd(edited(quote, '<PP_BRANCHE>SYN-AUTO<', '<PP_BRANCHE>SYN-ONBEKEND<'), mapping);
    expect(read.message.branch).toBe('SYN-ONBEKEND');
    expect(read.message.coverages.map((c) => c.code)).toEqual(['SYN-WA', 'SYN-CASCO']);
    expect(read.notes).toContainEqual({ type: 'unknown_branch', code: 'SYN-ONBEKEND', at: 'Contractdocument/PP/PP_BRANCHE' });
  });

  it('a DO entity is a life coverage, never a document', () => {
    const xml = edited(quote, '</PP>', '  <DO>\n      <DO_ENTITEI>DO</DO_ENTITEI>\n      <DO_CODE>SYN-LEVEN</DO_CODE>\n    </DO>\n  </PP>');
    const read = readRiskAfd(xml, mapping);
    expect(read.message.documents).toEqual([]);
    expect(read.message.coverages).toHaveLength(2);
  });

  const fallbacks: [string, string, string | RegExp, string, Partial<RiskMessage>, string][] = [
    ['no time of day: 00:00 Amsterdam', 'no_message_time', /\s*<AL_ATIJDMSG>[0-9]+<\/AL_ATIJDMSG>/, '', { eventAt: '2026-10-24T22:00:00.000Z' }, 'Contractdocument/AL/AL_ATIJDMSG'],
    ['no event version: version 1', 'no_event_version', /\s*<AL_SYNVOLG>3<\/AL_SYNVOLG>/, '', { version: 1 }, 'Contractdocument/AL/AL_SYNVOLG'],
    ['empty event version counts as absent', 'no_event_version', '<AL_SYNVOLG>3</AL_SYNVOLG>', '<AL_SYNVOLG/>', { version: 1 }, 'Contractdocument/AL/AL_SYNVOLG'],
    [
      'no coverage description: the code',
      'no_coverage_description',
      /\s*<Z2_OMSCHR>Inboedel<\/Z2_OMSCHR>/,
      '',
      { coverages: [{ code: 'SYN-INB', description: 'SYN-INB', premiumCents: -1_234 }] },
      'Contractdocument/PP/Z2[1]',
    ],
  ];
  it.each(fallbacks)('%s', (_name, type, from, to, changed, at) => {
    const read = readRiskAfd(edited(mutation, from, to), mapping);
    expect(read.message).toEqual({ ...mutation, ...changed });
    expect(read.notes).toContainEqual({ type, at });
  });
});

describe('reading: refusals name the element', () => {
  const cases: [string, RiskMessage, string | RegExp, string, RiskErrorType, string][] = [
    ['missing AL_BERRFNR', quote, /\s*<AL_BERRFNR>[^<]*<\/AL_BERRFNR>/, '', RiskErrorType.Invalid, 'Contractdocument/AL/AL_BERRFNR'],
    ['AL_BERICHTID is not the message reference', quote, /AL_BERRFNR>/g, 'AL_BERICHTID>', RiskErrorType.Invalid, 'Contractdocument/AL/AL_BERRFNR'],
    ['empty AL_BERRFNR', quote, /<AL_BERRFNR>[^<]*<\/AL_BERRFNR>/, '<AL_BERRFNR></AL_BERRFNR>', RiskErrorType.Invalid, 'Contractdocument/AL/AL_BERRFNR'],
    ['missing AL_FUNCTIE', quote, /\s*<AL_FUNCTIE>91<\/AL_FUNCTIE>/, '', RiskErrorType.Invalid, 'Contractdocument/AL/AL_FUNCTIE'],
    ['AL_FUNCTIE as a word (our old shape)', quote, '>91<', '>OFFERTE<', RiskErrorType.Invalid, 'Contractdocument/AL/AL_FUNCTIE'],
    ['AL_FUNCTIE code without an event kind', quote, '>91<', '>13<', RiskErrorType.Invalid, 'Contractdocument/AL/AL_FUNCTIE'],
    ['bad AL_ADATMSG', quote, '<AL_ADATMSG>20260329<', '<AL_ADATMSG>20260230<', RiskErrorType.Invalid, 'Contractdocument/AL/AL_ADATMSG'],
    ['bad time of day', quote, '<AL_ATIJDMSG>013000<', '<AL_ATIJDMSG>016000<', RiskErrorType.Invalid, 'Contractdocument/AL/AL_ATIJDMSG'],
    ['event version 0', mutation, '<AL_SYNVOLG>3<', '<AL_SYNVOLG>0<', RiskErrorType.Invalid, 'Contractdocument/AL/AL_SYNVOLG'],
    ['missing PP_NUMMER', quote, /\s*<PP_NUMMER>[^<]*<\/PP_NUMMER>/, '', RiskErrorType.Invalid, 'Contractdocument/PP/PP_NUMMER'],
    ['missing PP_MYAAND', quote, /\s*<PP_MYAAND>[^<]*<\/PP_MYAAND>/, '', RiskErrorType.Invalid, 'Contractdocument/PP/PP_MYAAND'],
    ['missing PP_BRANCHE', quote, /\s*<PP_BRANCHE>[^<]*<\/PP_BRANCHE>/, '', RiskErrorType.Invalid, 'Contractdocument/PP/PP_BRANCHE'],
    ['missing PP_TTOT', quote, /\s*<PP_TTOT>[^<]*<\/PP_TTOT>/, '', RiskErrorType.Invalid, 'Contractdocument/PP/PP_TTOT'],
    ['PP_TTOT with a comma', quote, '<PP_TTOT>43.12<', '<PP_TTOT>43,12<', RiskErrorType.Invalid, 'Contractdocument/PP/PP_TTOT'],
    ['PP_BTP not an amount', quote, '<PP_TTOT>43.12</PP_TTOT>', '<PP_TTOT>43.12</PP_TTOT><PP_BTP>39.001</PP_BTP>', RiskErrorType.Invalid, 'Contractdocument/PP/PP_BTP'],
    ['negative insured amount', quote, '<Z1_VERZSOM>1250000.00<', '<Z1_VERZSOM>-1.00<', RiskErrorType.Invalid, 'Contractdocument/PP/Z1[1]/Z1_VERZSOM'],
    ['PP_BETTERM not 1/3/6/12', final, '<PP_BETTERM>12<', '<PP_BETTERM>2<', RiskErrorType.Invalid, 'Contractdocument/PP/PP_BETTERM'],
    ['missing VP', quote, /\s*<VP>[\s\S]*<\/VP>/, '', RiskErrorType.Invalid, 'Contractdocument/PP/VP'],
    ['VP outside PP', quote, /\s*(<VP>[\s\S]*<\/VP>)([\s\S]*<\/PP>)/, '$2\n  $1', RiskErrorType.Invalid, 'Contractdocument/PP/VP'],
    ['missing VP_GEBDAT', quote, /\s*<VP_GEBDAT>[^<]*<\/VP_GEBDAT>/, '', RiskErrorType.Invalid, 'Contractdocument/PP/VP/VP_GEBDAT'],
    ['missing VP_ANAAM', quote, /\s*<VP_ANAAM>[^<]*<\/VP_ANAAM>/, '', RiskErrorType.Invalid, 'Contractdocument/PP/VP/VP_ANAAM'],
    ['missing coverage code', quote, /\s*<Z1_CODE>SYN-CASCO<\/Z1_CODE>/, '', RiskErrorType.Invalid, 'Contractdocument/PP/Z1[2]/Z1_CODE'],
    ['missing coverage premium', quote, /\s*<Z1_BTP>25.00<\/Z1_BTP>/, '', RiskErrorType.Invalid, 'Contractdocument/PP/Z1[1]/Z1_BTP'],
    ['document with a path', final, '>polis.pdf<', '>../polis.pdf<', RiskErrorType.Invalid, 'Contractdocument/PP/Z9[1]/Z9_NAAM'],
    ['document content not base64', final, '>AAEC/w==<', '>AAEC/w=<', RiskErrorType.Invalid, 'Contractdocument/PP/Z9[2]/Z9_INHOUD'],
    ['old root <AFD>', quote, /Contractdocument>/g, 'AFD>', RiskErrorType.Invalid, ''],
    ['two AL entities', quote, '<PP>', '<AL>\n    <AL_ENTITEI>AL</AL_ENTITEI>\n  </AL>\n  <PP>', RiskErrorType.Invalid, 'Contractdocument/AL'],
    ['structure: prefix mismatch (AFD layer)', quote, '<PP_NUMMER>SYN-OFF-77</PP_NUMMER>', '<VP_NUMMER>SYN-OFF-77</VP_NUMMER>', RiskErrorType.Invalid, 'Contractdocument/PP[1]/VP_NUMMER'],
    ['malformed XML', quote, '</Contractdocument>', '</Contractdocumen>', RiskErrorType.Malformed, ''],
  ];
  it.each(cases)('%s', (_name, base, from, to, type, element) => {
    const error = (() => {
      try {
        readRiskAfd(edited(base, from, to), mapping);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(RiskError);
    expect((error as RiskError).type).toBe(type);
    if (element !== '') expect((error as RiskError).element).toBe(element);
  });

  it('the default mapping knows no AL_FUNCTIE codes yet, and says so', () => {
    expect(() => readRiskAfd(writeRiskAfd(quote, mapping), defaultRiskAfdMapping)).toThrow(/none configured: RISK must supply its AL_FUNCTIE codes/);
  });
});

describe('writing: what the mapping cannot express is refused', () => {
  const noVersion = defineRiskAfdMapping({ ...syntheticData, labels: { ...syntheticData.labels, eventVersion: { label: null, verified: false } } });
  const noDocuments = defineRiskAfdMapping({ ...syntheticData, documents: null });
  const cases: [string, RiskMessage, RiskAfdMapping, string][] = [
    ['an event kind without a function code', quote, defaultRiskAfdMapping, 'Contractdocument/AL/AL_FUNCTIE'],
    ['a branch without a coverage entity', { ...quote, branch: 'SYN-ONBEKEND' }, mapping, 'Contractdocument/PP/PP_BRANCHE'],
    ['documents without a document entity', final, noDocuments, 'Contractdocument'],
    ['a version other than 1 without a version label', mutation, noVersion, 'Contractdocument/AL'],
    ['a value XML cannot carry (AFD layer)', { ...quote, relation: { ...quote.relation, lastName: 'A\u0001B' } }, mapping, 'Contractdocument/PP[1]/VP[1]/VP_ANAAM'],
  ];
  it.each(cases)('%s', (_name, message, m, element) => {
    let error: unknown;
    try {
      writeRiskAfd(message, m);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RiskError);
    expect((error as RiskError).type).toBe(RiskErrorType.Invalid);
    expect((error as RiskError).element).toBe(element);
  });

  it('a branch without coverages needs no coverage entity; version 1 needs no version label', () => {
    const noVersion2 = defineRiskAfdMapping({ ...syntheticData, labels: { ...syntheticData.labels, eventVersion: { label: null, verified: false } } });
    const message: RiskMessage = { ...quote, branch: 'SYN-ONBEKEND', coverages: [] };
    const read = readRiskAfd(writeRiskAfd(message, noVersion2), noVersion2);
    expect(read.message).toEqual(message);
    expect(read.notes.map((n) => n.type)).toContain('no_event_version');
  });
});

describe('the mapping as data', () => {
  it('the default mapping holds what REFERENCE.md names and lists its unverified entries', () => {
    expect(defaultRiskAfdMapping.kind).toBe('Contractdocument');
    expect(defaultRiskAfdMapping.labels).toMatchObject({ messageId: 'AL_BERRFNR', function: 'AL_FUNCTIE', insurer: 'PP_MYAAND', premiumTotal: 'PP_TTOT', premiumGross: 'PP_BTP' });
    expect(defaultRiskAfdMapping.functionCodes.size).toBe(0);
    expect(defaultRiskAfdMapping.branches.size).toBe(0);
    expect(defaultRiskAfdMapping.documents).toBeNull();
    expect(defaultRiskAfdMapping.unverified).toEqual([
      'labels.messageTime',
      'labels.eventVersion',
      'labels.adviserReference',
      'coverageLabels.description',
    ]);
  });

  type Data = typeof syntheticData;
  const broken: [string, (d: Data) => unknown, RegExp][] = [
    ['not an object', () => [], /must be an object/],
    ['DO as document entity', (d) => ({ ...d, documents: { ...d.documents, entity: 'DO' } }), /DO is a life-insurance coverage/],
    ['document entity = a coverage entity', (d) => ({ ...d, documents: { ...d.documents, entity: 'Z1' } }), /already used/],
    ['document labels not distinct', (d) => ({ ...d, documents: { ...d.documents, mimeType: 'NAAM' } }), /three different/],
    ['required label null', (d) => ({ ...d, labels: { ...d.labels, messageId: { label: null, verified: true } } }), /messageId is required/],
    ['label of the wrong entity', (d) => ({ ...d, labels: { ...d.labels, insurer: { label: 'AL_MYAAND', verified: true } } }), /must belong to PP/],
    ['one label for two fields', (d) => ({ ...d, labels: { ...d.labels, premiumGross: { label: 'PP_TTOT', verified: true } } }), /used for two fields/],
    ['unknown label field', (d) => ({ ...d, labels: { ...d.labels, colour: { label: 'PP_KLEUR', verified: false } } }), /unknown fields: colour/],
    ['verified missing', (d) => ({ ...d, kind: { value: 'Contractdocument' } }), /kind.verified/],
    ['kind not a message kind', (d) => ({ ...d, kind: { value: 'AFD', verified: true } }), /kind.value/],
    ['function code not numeric', (d) => ({ ...d, functionCodes: [{ code: 'OFFERTE', kind: 'quote', verified: false }] }), /numeric code/],
    ['function code to an unknown kind', (d) => ({ ...d, functionCodes: [{ code: '91', kind: 'renewal', verified: false }] }), /kind must be one of/],
    ['function code twice', (d) => ({ ...d, functionCodes: [...d.functionCodes, { code: '91', kind: 'final', verified: false }] }), /91 is listed twice/],
    ['PP as coverage entity', (d) => ({ ...d, branches: [{ code: 'X', coverageEntity: 'PP', verified: false }] }), /cannot be PP/],
    ['branch twice', (d) => ({ ...d, branches: [...d.branches, { code: 'SYN-AUTO', coverageEntity: 'Z3', verified: false }] }), /SYN-AUTO is listed twice/],
    ['coverage code label null', (d) => ({ ...d, coverageLabels: { ...d.coverageLabels, code: { label: null, verified: true } } }), /coverageLabels.code.label/],
  ];
  it.each(broken)('refuses: %s', (_name, change, message) => {
    expect(() => defineRiskAfdMapping(change(structuredClone(syntheticData)))).toThrow(message);
  });

  it('the shipped data and the synthetic data differ only where RISK must supply facts', () => {
    const strip = (d: Record<string, unknown>) => {
      const { $comment: _c, source: _s, functionCodes: _f, branches: _b, documents: _d, labels, ...rest } = d;
      const { eventVersion: _v, ...otherLabels } = labels as Record<string, unknown>;
      return { ...rest, labels: otherLabels };
    };
    expect(strip(syntheticData)).toEqual(strip(defaultData));
  });
});

describe('readRiskAfdOffThread', () => {
  const pool = new XmlParsePool({ threads: 1 });
  afterAll(() => pool.close());

  it('reads in a pool thread exactly as in line, documents beyond the text limit included', async () => {
    const big: RiskMessage = { ...final, documents: [{ name: 'groot.pdf', mimeType: 'application/pdf', contentBase64: 'QUJD'.repeat(40_000) }] };
    const xml = writeRiskAfd(big, mapping);
    const limits = { maxTextLength: 1_000 };
    expect(await readRiskAfdOffThread(pool, xml, mapping, limits)).toEqual(readRiskAfd(xml, mapping, limits));
    expect(readRiskAfd(xml, mapping, limits).message).toEqual(big);
  });

  it('gives AFD-layer and mapping refusals back as RiskError', async () => {
    const structural = await readRiskAfdOffThread(pool, edited(quote, '<PP_NUMMER>SYN-OFF-77</PP_NUMMER>', '<VP_NUMMER>x</VP_NUMMER>'), mapping).catch((e: unknown) => e);
    expect(structural).toBeInstanceOf(RiskError);
    expect(structural).toMatchObject({ type: RiskErrorType.Invalid, element: 'Contractdocument/PP[1]/VP_NUMMER' });
    const tooLarge = await readRiskAfdOffThread(pool, writeRiskAfd(quote, mapping), mapping, { maxBytes: 100 }).catch((e: unknown) => e);
    expect(tooLarge).toMatchObject({ type: RiskErrorType.TooLarge });
    const missing = await readRiskAfdOffThread(pool, edited(quote, /\s*<PP_TTOT>[^<]*<\/PP_TTOT>/, ''), mapping).catch((e: unknown) => e);
    expect(missing).toMatchObject({ type: RiskErrorType.Invalid, element: 'Contractdocument/PP/PP_TTOT' });
  });
});
