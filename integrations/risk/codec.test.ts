// SYNTHETIC messages and mapping (fixtures/afd-mapping.synthetic.json, fixtures/afd2-final.synthetic.json).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultRiskAfdMapping, defineRiskAfdMapping, writeRiskAfd } from './afd-mapping.js';
import { readRiskAfd2Json, writeRiskAfd2Json } from './afd2-json.js';
import { describeRiskNote, readRisk, riskFormatOf, riskMessageSummary } from './codec.js';
import syntheticData from './fixtures/afd-mapping.synthetic.json' with { type: 'json' };
import { RiskError, RiskErrorType, type RiskMessage } from './types.js';

const mapping = defineRiskAfdMapping(syntheticData);
const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

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
  coverages: [
    { code: 'SYN-INB', description: 'Inboedel', premiumCents: 1_001, insuredAmountCents: 5_000_000 },
    { code: 'SYN-GLAS', description: 'Glas & meer', premiumCents: -250 },
  ],
  documents: [{ name: 'polis.pdf', mimeType: 'application/pdf', contentBase64: 'JVBERi0xLjQK' }],
};

function failure(run: () => unknown): RiskError {
  try {
    run();
  } catch (err) {
    if (err instanceof RiskError) return err;
    throw err;
  }
  throw new Error('expected a RiskError');
}

describe('RISK codec: the reader is chosen by the form of the body', () => {
  it.each([
    ['<?xml version="1.0"?>\n<!-- c -->\n<Contractdocument/>', 'afd1-xml'],
    ['\uFEFF<AFD versie="1.0"/>', 'legacy-xml'],
    ['<?xml version="1.0"?><?pi x?><AFD>', 'legacy-xml'],
    ['<AFDX/>', 'afd1-xml'],
    ['  {"afdVersion":"2.0"}', 'afd2-json'],
    ['[1]', 'afd2-json'],
    ['not xml', 'afd1-xml'],
  ] as const)('%j is %s', (body, format) => {
    expect(riskFormatOf(body)).toBe(format);
    expect(riskFormatOf(new TextEncoder().encode(body))).toBe(format);
  });

  it('reads AFD 1.0 through the mapping it is given, with the notes', () => {
    const xml = writeRiskAfd({ ...final, branch: 'SYN-WOON' }, mapping);
    const read = readRisk(xml, mapping);
    expect(read).toMatchObject({ format: 'afd1-xml', message: final });
    // The synthetic codes are in no public code list: recorded, never refused.
    expect(read.notes.map((n) => n.type)).toContain('unknown_code');
    // The default mapping has no AL_FUNCTIE codes: the same message is refused there.
    expect(failure(() => readRisk(xml, defaultRiskAfdMapping))).toMatchObject({ type: RiskErrorType.Invalid, element: 'Contractdocument/AL/AL_FUNCTIE' });
  });

  it('refuses a form the caller does not accept, naming it', () => {
    const json = writeRiskAfd2Json(final, mapping);
    expect(failure(() => readRisk(json, mapping, { accept: ['afd1-xml'] })).message).toMatch(/afd2-json is not accepted here/);
    expect(failure(() => readRisk(writeRiskAfd(final, mapping), mapping, { accept: ['afd2-json'] })).message).toMatch(/afd1-xml is not accepted/);
  });

  it('describes every note in words; the summary carries no personal data', () => {
    expect(describeRiskNote({ type: 'unknown_branch', code: '020', at: 'Contractdocument/PP/PP_BRANCHE' })).toBe(
      'onbekende branche 020: geen dekkingsentiteit in de mapping (Contractdocument/PP/PP_BRANCHE)',
    );
    expect(describeRiskNote({ type: 'unknown_code', list: 'PORMAA', code: 'SYNV' })).toBe('onbekende code SYNV in lijst PORMAA');
    expect(describeRiskNote({ type: 'unmapped_json_field', at: 'message.version' })).toMatch(/message\.version heeft geen label/);
    const summary = riskMessageSummary(final);
    expect(summary).toBe('DEFINITIEF SYN-POL-77 v2: 2 dekking(en), premie 10.01');
    expect(summary).not.toMatch(/Test|1975/);
  });
});

describe('RISK AFD 2.0 JSON through the same mapping (shape unverified)', () => {
  it('reads the synthetic fixture: the same domain message as its AFD 1.0 twin', () => {
    const read = readRisk(fixture('afd2-final.synthetic.json'), mapping);
    expect(read.format).toBe('afd2-json');
    expect(read.premiumGrossCents).toBe(1_250);
    expect(read.message).toEqual({
      messageId: 'SYN-JSON-0001',
      kind: 'final',
      version: 2,
      eventAt: '2026-07-01T12:00:05.000Z', // 14:00:05 Amsterdam summer time
      adviserReference: 'prod-0c1d',
      policyNumber: 'SYN-POL-88',
      insurerCode: 'SYNV',
      branch: 'SYN-WOON',
      startDate: '2026-08-01',
      premiumCents: 1_001,
      paymentTermMonths: 12,
      relation: { relationNumber: 'R-9', lastName: 'Test', initials: 'A.B.', birthDate: '1975-12-31' },
      coverages: [{ code: 'SYN-INB', description: 'Inboedel', premiumCents: 1_001, insuredAmountCents: 5_000_000 }],
      documents: [{ name: 'polis.pdf', mimeType: 'application/pdf', contentBase64: 'JVBERi0xLjQK' }],
    });
    // AFD 1.0 of the same message reads to the same thing.
    expect(readRisk(writeRiskAfd(read.message, mapping, { premiumGrossCents: 1_250 }), mapping).message).toEqual(read.message);
  });

  it('round-trips: domain -> JSON -> domain equal, and the JSON written again is byte-equal', () => {
    for (const m of [final, { ...final, kind: 'mutation' as const, version: 3, documents: [], adviserReference: undefined, startDate: undefined }]) {
      const clean = JSON.parse(JSON.stringify(m)) as RiskMessage;
      const json = writeRiskAfd2Json(clean, mapping, { premiumGrossCents: 999 });
      const read = readRiskAfd2Json(json, mapping);
      expect(read.message).toEqual(clean);
      expect(read.premiumGrossCents).toBe(999);
      expect(writeRiskAfd2Json(read.message, mapping, { premiumGrossCents: 999 })).toBe(json);
    }
  });

  it('bytes read like text; an unknown branch is a note and its coverages are kept', () => {
    const doc = JSON.parse(fixture('afd2-final.synthetic.json')) as { policy: { businessLine: string } };
    doc.policy.businessLine = '020';
    const read = readRiskAfd2Json(new TextEncoder().encode(JSON.stringify(doc)), mapping);
    expect(read.message.coverages).toHaveLength(1);
    expect(read.notes).toContainEqual({ type: 'unknown_branch', code: '020', at: 'Contractdocument/PP/PP_BRANCHE' });
  });

  it('a field the mapping has no label for is a note, not carried (default mapping: no version label)', () => {
    const withCodes = defineRiskAfdMapping({ ...syntheticData, labels: { ...syntheticData.labels, eventVersion: { label: null, verified: false } } });
    const read = readRiskAfd2Json(fixture('afd2-final.synthetic.json'), withCodes);
    expect(read.message.version).toBe(1);
    expect(read.notes).toContainEqual({ type: 'unmapped_json_field', at: 'message.version' });
  });

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a test edits arbitrary JSON paths
  type Doc = Record<string, any>;
  const edit = (change: (doc: Doc) => void): string => {
    const doc = JSON.parse(fixture('afd2-final.synthetic.json')) as Doc;
    change(doc);
    return JSON.stringify(doc);
  };

  it.each([
    ['not JSON', (): string => '{"afdVersion": ', RiskErrorType.Malformed, undefined],
    ['an array', (): string => '[]', RiskErrorType.Invalid, '(root)'],
    ['another AFD version', (): string => edit((d) => (d.afdVersion = '1.0')), RiskErrorType.Invalid, 'afdVersion'],
    ['another message kind', (): string => edit((d) => (d.messageKind = 'Schadedocument')), RiskErrorType.Invalid, 'messageKind'],
    ['no message', (): string => edit((d) => delete d.message), RiskErrorType.Invalid, 'message'],
    ['no policyholder', (): string => edit((d) => delete d.policy.policyholder), RiskErrorType.Invalid, 'policy.policyholder'],
    ['no contract number', (): string => edit((d) => delete d.policy.contractNumber), RiskErrorType.Invalid, 'policy.contractNumber'],
    ['contract number as a number', (): string => edit((d) => (d.policy.contractNumber = 88)), RiskErrorType.Invalid, 'policy.contractNumber'],
    ['unknown function code', (): string => edit((d) => (d.message.function = '13')), RiskErrorType.Invalid, 'message.function'],
    ['date not ISO', (): string => edit((d) => (d.message.date = '20260701')), RiskErrorType.Invalid, 'message.date'],
    ['no such day', (): string => edit((d) => (d.policy.policyholder.birthDate = '1975-02-30')), RiskErrorType.Invalid, 'policy.policyholder.birthDate'],
    ['time without colons', (): string => edit((d) => (d.message.time = '140005')), RiskErrorType.Invalid, 'message.time'],
    ['amount as text', (): string => edit((d) => (d.policy.totalPremium = '10.01')), RiskErrorType.Invalid, 'policy.totalPremium'],
    ['amount with 3 decimals', (): string => edit((d) => (d.policy.totalPremium = 10.015)), RiskErrorType.Invalid, 'policy.totalPremium'],
    ['bad payment term', (): string => edit((d) => (d.policy.paymentTerm = 2)), RiskErrorType.Invalid, 'policy.paymentTerm'],
    ['coverages not a list', (): string => edit((d) => (d.policy.coverages = {})), RiskErrorType.Invalid, 'policy.coverages'],
    ['coverage without code', (): string => edit((d) => delete d.policy.coverages[0].code), RiskErrorType.Invalid, 'policy.coverages[0].code'],
    ['negative insured amount', (): string => edit((d) => (d.policy.coverages[0].insuredAmount = -1)), RiskErrorType.Invalid, 'policy.coverages[0].insuredAmount'],
    ['document not base64', (): string => edit((d) => (d.policy.documents[0].content = 'no base64!')), RiskErrorType.Invalid, 'policy.documents[0].content'],
    ['document name with a path', (): string => edit((d) => (d.policy.documents[0].name = '../x.pdf')), RiskErrorType.Invalid, 'policy.documents[0].name'],
  ] as const)('refuses %s, naming the JSON path', (_what, body, type, element) => {
    const err = failure(() => readRiskAfd2Json(body(), mapping));
    expect(err.type).toBe(type);
    if (element !== undefined) expect(err.element).toBe(element);
  });

  it('refuses over the size limit and invalid UTF-8', () => {
    expect(failure(() => readRiskAfd2Json(fixture('afd2-final.synthetic.json'), mapping, 100)).type).toBe(RiskErrorType.TooLarge);
    expect(failure(() => readRiskAfd2Json(new Uint8Array([0x7b, 0xff, 0x7d]), mapping)).type).toBe(RiskErrorType.Malformed);
  });
});
