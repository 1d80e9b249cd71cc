import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readRisk, riskMessageSummary } from './codec.js';
import { defaultRiskAfdMapping } from './afd-mapping.js';
import { buildLegacyRisk as buildRisk, parseLegacyRisk as parseRisk } from './legacy-codec.js';
import { RiskError, RiskErrorType } from './types.js';

/** Rows stored in our old invented <AFD> shape (fixtures/legacy: SYNTHETIC, made before issue 17). */
const fixture = (name: string) => readFileSync(new URL(`./fixtures/legacy/${name}`, import.meta.url), 'utf8');

function failure(xml: string): RiskError {
  try {
    parseRisk(xml);
  } catch (err) {
    if (err instanceof RiskError) return err;
    throw err;
  }
  throw new Error('expected a RiskError');
}

describe('RISK legacy <AFD> reader (rows stored before the move to SIVI AFD)', () => {
  it('the codec chooses it by the root element, with any mapping, and only when stored forms are accepted', () => {
    for (const name of ['final.xml', 'mutation.xml']) {
      const read = readRisk(fixture(name), defaultRiskAfdMapping);
      expect(read.format).toBe('legacy-xml');
      expect(read.message).toEqual(parseRisk(fixture(name)));
      expect(read.notes).toEqual([]);
    }
    expect(() => readRisk(fixture('final.xml'), defaultRiskAfdMapping, { accept: ['afd1-xml', 'afd2-json'] })).toThrow(
      expect.objectContaining({ type: RiskErrorType.Invalid, element: 'AFD' }),
    );
  });

  it('parses a final policy with coverages and its document', () => {
    const m = parseRisk(fixture('final.xml'));
    expect(m).toMatchObject({
      messageId: 'RISK-20261123-0001',
      kind: 'final',
      version: 2,
      // 10:15 Amsterdam (CET) = 09:15 UTC
      eventAt: '2026-11-23T09:15:00.000Z',
      adviserReference: '9b2f6c1e-3d4a-4c5b-8e7f-0a1b2c3d4e5f',
      policyNumber: 'RQ-2026-000123',
      insurerCode: 'RISK',
      branch: '020',
      startDate: '2027-01-01',
      premiumCents: 5740,
      paymentTermMonths: 1,
      relation: { relationNumber: 'REL-000042', lastName: 'Jansen', initials: 'A.', birthDate: '1990-04-12' },
    });
    expect(m.coverages).toEqual([
      { code: 'WA', description: 'Wettelijke aansprakelijkheid', premiumCents: 3210, insuredAmountCents: 250_000_000 },
      { code: 'CASCO', description: 'Volledig casco', premiumCents: 2530 },
    ]);
    expect(m.documents).toHaveLength(1);
    expect(m.documents[0]!.name).toBe('polis-RQ-2026-000123.pdf');
    expect(riskMessageSummary(m)).toBe('DEFINITIEF RQ-2026-000123 v2: 2 dekking(en), premie 57.40');
  });

  it('parses a mutation with a single coverage (one DA is not an array in the object form)', () => {
    const m = parseRisk(fixture('mutation.xml'));
    expect(m.kind).toBe('mutation');
    expect(m.coverages).toHaveLength(1);
    expect(m.documents).toEqual([]);
    expect(m.adviserReference).toBeUndefined();
  });

  it('round-trips through buildRisk', () => {
    for (const name of ['final.xml', 'mutation.xml']) {
      const m = parseRisk(fixture(name));
      expect(parseRisk(buildRisk(m))).toEqual(m);
    }
  });

  it('refuses DOCTYPE/entities before parsing', () => {
    const xml = `<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "y">]><AFD/>`;
    expect(failure(xml).type).toBe(RiskErrorType.ForbiddenConstruct);
  });

  it('refuses bodies over the size limit and non-XML', () => {
    expect(() => parseRisk(fixture('final.xml'), { maxBytes: 100 })).toThrow(expect.objectContaining({ type: RiskErrorType.TooLarge }));
    expect(failure('{"json": true}').type).toBe(RiskErrorType.Malformed);
    expect(failure('<AFD><AL></AFD>').type).toBe(RiskErrorType.Malformed);
  });

  it('names the field at fault', () => {
    const noNumber = fixture('final.xml').replace('<PP_NUMMER>RQ-2026-000123</PP_NUMMER>', '');
    expect(failure(noNumber)).toMatchObject({ type: RiskErrorType.Invalid, element: 'AFD/PP/PP_NUMMER' });
    const badDate = fixture('final.xml').replace('19900412', '19901341');
    expect(failure(badDate)).toMatchObject({ type: RiskErrorType.Invalid, element: 'AFD/VP/VP_GEBDAT' });
    const badKind = fixture('final.xml').replace('DEFINITIEF', 'ONBEKEND');
    expect(failure(badKind).element).toBe('AFD/AL/AL_FUNCTIE');
    const badAmount = fixture('final.xml').replace('57.40', '57,40 EUR');
    expect(failure(badAmount).element).toBe('AFD/PP/PP_TTOTAAL');
    const noCoverage = fixture('mutation.xml').replace(/<DA>[\s\S]*<\/DA>/, '');
    expect(failure(noCoverage).element).toBe('AFD/DA');
    expect(failure('<HDN><Header/></HDN>').element).toBe('AFD');
  });
});
