// The simulated RISK's own writer against the platform's reader (SYNTHETIC data throughout).
import { describe, expect, it } from 'vitest';
import { defineRiskAfdMapping } from '../../integrations/risk/afd-mapping.js';
import { readRisk } from '../../integrations/risk/codec.js';
import syntheticData from '../../integrations/risk/fixtures/afd-mapping.synthetic.json' with { type: 'json' };
import { readSimQuoteRequest, simulatedAfdDefinition, writeSimAfd1, writeSimAfd2Json, type SimMessage } from './afd-writer.js';

const mapping = defineRiskAfdMapping(syntheticData);

const sim: SimMessage = {
  reference: 'RQ-1-3-MUT',
  kind: 'mutation',
  version: 3,
  eventAt: '2026-01-15T08:30:00.000Z', // 09:30 Amsterdam, winter
  adviserReference: 'b2b7c4c8-0000-4000-8000-000000000001',
  policyNumber: 'RQ-1',
  insurer: 'RISK',
  branch: 'SYN-AUTO',
  startDate: '2027-02-01',
  premiumCents: 2_475,
  paymentTermMonths: 1,
  holder: { lastName: "O'Brien & Zn <test>", birthDate: '1990-04-12', initials: 'J.' },
  coverages: [
    { code: 'WA', description: 'Aansprakelijkheid', premiumCents: 1_650, insuredAmountCents: 250_000_000 },
    { code: 'CASCO', description: 'Casco', premiumCents: 825 },
  ],
  documents: [{ name: 'polis-RQ-1.pdf', mimeType: 'application/pdf', contentBase64: 'JVBERi0xLjQK' }],
};

/** What the platform must make of it, written out by hand (not by the platform's writer). */
const expected = {
  messageId: 'RQ-1-3-MUT',
  kind: 'mutation',
  version: 3,
  eventAt: '2026-01-15T08:30:00.000Z',
  adviserReference: 'b2b7c4c8-0000-4000-8000-000000000001',
  policyNumber: 'RQ-1',
  insurerCode: 'RISK',
  branch: 'SYN-AUTO',
  startDate: '2027-02-01',
  premiumCents: 2_475,
  paymentTermMonths: 1,
  relation: { lastName: "O'Brien & Zn <test>", initials: 'J.', birthDate: '1990-04-12' },
  coverages: [
    { code: 'WA', description: 'Aansprakelijkheid', premiumCents: 1_650, insuredAmountCents: 250_000_000 },
    { code: 'CASCO', description: 'Casco', premiumCents: 825 },
  ],
  documents: [{ name: 'polis-RQ-1.pdf', mimeType: 'application/pdf', contentBase64: 'JVBERi0xLjQK' }],
};

describe('simulated RISK: its own AFD writer, read by the platform', () => {
  it('its synthetic AFD definition agrees with the synthetic mapping the platform loads', () => {
    const d = simulatedAfdDefinition;
    expect(d.kind).toBe(mapping.kind);
    for (const [kind, code] of Object.entries(d.functionCodes)) expect(mapping.functionCodes.get(code)).toBe(kind);
    for (const [branch, entity] of Object.entries(d.branchEntities)) expect(mapping.branches.get(branch)).toBe(entity);
    expect(mapping.labels.eventVersion).toBe(d.versionLabel);
    expect(mapping.documents?.entity).toBe(d.documentEntity);
  });

  it('AFD 1.0 XML: the platform reads what RISK meant', () => {
    const xml = writeSimAfd1(sim);
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<Contractdocument>\n {2}<AL>\n {4}<AL_ENTITEI>AL<\/AL_ENTITEI>/);
    expect(xml).toContain('<AL_FUNCTIE>93</AL_FUNCTIE>');
    expect(xml).toContain('<AL_ATIJDMSG>093000</AL_ATIJDMSG>');
    expect(xml).toContain('<Z1_BTP>16.50</Z1_BTP>');
    const read = readRisk(xml, mapping, { accept: ['afd1-xml'] });
    expect(read.message).toEqual(expected);
  });

  it('AFD 2.0 JSON: the same message', () => {
    const read = readRisk(writeSimAfd2Json(sim), mapping, { accept: ['afd2-json'] });
    expect(read.format).toBe('afd2-json');
    expect(read.message).toEqual(expected);
  });

  it('summer time, a refund and a branch outside its definition (coverages in Z1: an unknown-branch note)', () => {
    const summer = { ...sim, eventAt: '2026-07-01T22:30:00.000Z', premiumCents: -5, branch: '020', documents: [] };
    for (const body of [writeSimAfd1(summer), writeSimAfd2Json(summer)]) {
      const read = readRisk(body, mapping);
      expect(read.message).toMatchObject({ eventAt: '2026-07-01T22:30:00.000Z', premiumCents: -5, branch: '020' });
      expect(read.message.coverages).toHaveLength(2);
      expect(read.notes).toContainEqual({ type: 'unknown_branch', code: '020', at: 'Contractdocument/PP/PP_BRANCHE' });
    }
  });
});

describe('simulated RISK: its own quote-request reader', () => {
  const ok = {
    reference: 'p-1',
    branch: '020',
    startDate: '2027-01-01',
    coverages: [{ code: 'WA', description: 'Aansprakelijkheid', insuredAmountCents: 100 }],
    relation: { lastName: 'Jansen', birthDate: '1990-04-12' },
  };
  it('reads a good request', () => {
    expect(readSimQuoteRequest(ok)).toEqual(ok);
  });
  it.each([
    ['not an object', []],
    ['no reference', { ...ok, reference: '' }],
    ['bad start date', { ...ok, startDate: '01-01-2027' }],
    ['no coverages', { ...ok, coverages: [] }],
    ['coverage without description', { ...ok, coverages: [{ code: 'WA' }] }],
    ['fractional cents', { ...ok, coverages: [{ code: 'WA', description: 'x', insuredAmountCents: 1.5 }] }],
    ['no relation birth date', { ...ok, relation: { lastName: 'Jansen' } }],
  ])('refuses %s', (_what, body) => {
    expect(typeof readSimQuoteRequest(body)).toBe('string');
  });
});
