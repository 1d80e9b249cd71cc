/**
 * The contract runner itself, on a temp folder of SYNTHETIC samples (made up here or copied from
 * our synthetic fixtures): a good sample passes, a broken one and an unmet expectation fail, the
 * findings name what was not understood, and an empty folder has no samples. So the contract test
 * in `npm test` can fail.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkSample, contractRiskMapping, findSamples, firstDifference, formatVerdict, runContractFolder, valueAt, type SampleVerdict } from './runner.js';
import { defaultRiskAfdMapping, readRiskAfd } from '../../integrations/risk/afd-mapping.js';
import { writeRiskAfd2Json } from '../../integrations/risk/afd2-json.js';

const repo = join(import.meta.dirname, '..', '..');
const sx24 = readFileSync(join(repo, 'integrations/hdn/mapping/test-fixtures/sx-24.xml'), 'utf8');
const syntheticMapping = join(repo, 'integrations/risk/fixtures/afd-mapping.synthetic.json');

// SYNTHETIC AFD 1.0 message for the synthetic RISK mapping (the file says what is made up).
const finalAfd = readFileSync(join(repo, 'test/fuzz/fixtures/risk-contractdocument.synthetic.xml'), 'utf8');

const root = mkdtempSync(join(tmpdir(), 'contract-runner-'));
const empty = mkdtempSync(join(tmpdir(), 'contract-empty-'));
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(empty, { recursive: true, force: true });
});

function put(path: string, content: string | object): void {
  const file = join(root, path);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
}

// HDN
put('hdn/good.xml', sx24);
put('hdn/good.expect.json', { fields: { type: 'SX', statusCode: '22', offerNumber: 'OF-2026-0042', 'header.applicationNumber': '000123', remark: null } });
put('hdn/bad.xml', sx24.replace('</SX>', ''));
put('hdn/refused.xml', sx24.replace('</SX>', ''));
put('hdn/refused.expect.json', { refused: 'HdnMalformed' });
put('hdn/wrong-type.xml', sx24.replace('</SX>', ''));
put('hdn/wrong-type.expect.json', { refused: 'HdnInvalid' });
put('hdn/sub/unknown-code.xml', sx24.replace('<StatusAXBericht>22<', '<StatusAXBericht>77<'));
put('hdn/sub/unknown-code.expect.json', { fields: { statusCode: '22' } });
put('hdn/typo.xml', sx24);
put('hdn/typo.expect.json', { feilds: { statusCode: '22' } });
put('hdn/read-but-expected-refused.xml', sx24);
put('hdn/read-but-expected-refused.expect.json', { refused: true });
copyFileSync(join(repo, 'integrations/hdn/fixtures/sx-09.xml'), join(root, 'hdn/legacy-sx-09.xml'));
put('hdn/notes.txt', 'not a sample');
// AFD 1.0, with the synthetic mapping dropped beside the samples
put('afd/mapping.json', readFileSync(syntheticMapping, 'utf8'));
put('afd/final.xml', finalAfd);
put('afd/final.expect.json', { fields: { kind: 'final', policyNumber: 'SYN-POL-77', premiumCents: 1001, 'coverages.0.insuredAmountCents': 5_000_000, 'coverages.1.premiumCents': -125, 'documents.0.name': 'polis.pdf' } });
put('afd/unknown-function.xml', finalAfd.replace('<AL_FUNCTIE>92<', '<AL_FUNCTIE>01<'));
const { mapping } = contractRiskMapping(root, {});
// AFD 2.0 JSON through the same mapping: the synthetic final written as JSON, and a body that is no AFD message
put('afd-json/final.json', writeRiskAfd2Json(readRiskAfd(finalAfd, mapping).message, mapping));
put('afd-json/final.expect.json', { fields: { kind: 'final', policyNumber: 'SYN-POL-77', premiumCents: 1001 } });
put('afd-json/quote.json', { synthetic: true });

const verdicts = new Map<string, SampleVerdict>(runContractFolder(root, { riskMapping: mapping }).map((v) => [v.sample, v]));
const verdict = (name: string): SampleVerdict => {
  const v = verdicts.get(name);
  if (v === undefined) throw new Error(`no verdict for ${name}; have ${[...verdicts.keys()].join(', ')}`);
  return v;
};

describe('the contract runner finds samples', () => {
  it('lists samples per kind, subfolders included, without README, expect, mapping or other files', () => {
    expect(findSamples(root, 'hdn').map((s) => s.name)).toEqual([
      'hdn/bad.xml',
      'hdn/good.xml',
      'hdn/legacy-sx-09.xml',
      'hdn/read-but-expected-refused.xml',
      'hdn/refused.xml',
      'hdn/sub/unknown-code.xml',
      'hdn/typo.xml',
      'hdn/wrong-type.xml',
    ]);
    expect(findSamples(root, 'afd').map((s) => [s.name, s.expectFile !== undefined])).toEqual([
      ['afd/final.xml', true],
      ['afd/unknown-function.xml', false],
    ]);
    expect(findSamples(root, 'afd-json').map((s) => s.name)).toEqual(['afd-json/final.json', 'afd-json/quote.json']);
  });

  it('finds nothing in an empty or missing folder (the contract test is then skipped)', () => {
    mkdirSync(join(empty, 'hdn'));
    writeFileSync(join(empty, 'hdn', 'README.md'), '# drop samples here');
    expect(findSamples(empty, 'hdn')).toEqual([]);
    expect(findSamples(empty, 'afd')).toEqual([]);
    expect(runContractFolder(empty)).toEqual([]);
  });

  it('uses the RISK mapping beside the AFD samples, else RISK_AFD_MAPPING, else the default', () => {
    expect(contractRiskMapping(root, {}).from).toBe(join(root, 'afd', 'mapping.json'));
    expect(contractRiskMapping(empty, {}).mapping).toBe(defaultRiskAfdMapping);
    const viaEnv = contractRiskMapping(empty, { RISK_AFD_MAPPING: syntheticMapping });
    expect(viaEnv.from).toBe(syntheticMapping);
    expect([...viaEnv.mapping.functionCodes.keys()]).toEqual(['91', '92', '93', '94']);
  });
});

describe('the contract runner judges samples', () => {
  it('passes a good public SX with met expectations, and reports the elements it kept but did not read', () => {
    const v = verdict('hdn/good.xml');
    expect(v.problems).toEqual([]);
    expect(v.ok).toBe(true);
    expect(v.summary).toBe('SX (public 24.0) from node 300001, application 000123');
    expect(v.findings).toEqual([
      'element kept but not read: Routering (in header.extra)',
      'element kept but not read: Status/AXBerichtStatusSpecificatie/Behandelaar (in extra)',
      'element kept but not read: Status/AXBerichtStatusSpecificatie/Behandelaar/@team (in extra)',
      'element kept but not read: Toekomstig/Iets (in extra)',
    ]);
  });

  it('fails a broken sample with the reader\'s words', () => {
    const v = verdict('hdn/bad.xml');
    expect(v.ok).toBe(false);
    expect(v.problems).toHaveLength(1);
    expect(v.problems[0]).toMatch(/^read: HdnError HdnMalformed/);
  });

  it('passes a broken sample that its expect file says must be refused (with that type), fails one refused with another type', () => {
    expect(verdict('hdn/refused.xml').problems).toEqual([]);
    expect(verdict('hdn/wrong-type.xml').problems).toEqual([expect.stringMatching(/^expected a refusal of type HdnInvalid, got HdnError HdnMalformed/)]);
    expect(verdict('hdn/read-but-expected-refused.xml').problems).toEqual(['expected the reader to refuse it, but it was read']);
  });

  it('fails an unmet expectation, and reports the unknown code as a finding', () => {
    const v = verdict('hdn/sub/unknown-code.xml');
    expect(v.problems).toEqual(['expected statusCode = "22", read "77"']);
    expect(v.findings).toContain('unknown code "77" in SX/Status/AXBerichtStatusSpecificatie/StatusAXBericht (list sxStatus)');
  });

  it('fails an expect file with an unknown key (a typo must not pass)', () => {
    expect(verdict('hdn/typo.xml').problems).toEqual(['expect file typo.expect.json: unknown key "feilds" (known: fields, refused)']);
  });

  it('reads our old <HDN> shape through the legacy reader and says so', () => {
    const v = verdict('hdn/legacy-sx-09.xml');
    expect(v.problems).toEqual([]);
    expect(v.findings).toContain('the <HDN> wrapper shape (our pre-issue-17 shape, read by the legacy reader), not the public one');
  });

  it('passes a good AFD sample with the mapping beside it; reports labels and entities the mapping does not read', () => {
    const v = verdict('afd/final.xml');
    expect(v.problems).toEqual([]);
    expect(v.summary).toBe('Contractdocument final policy SYN-POL-77, branch SYN-WOON, 2 coverage(s)');
    expect(v.findings).toEqual([
      'label not in the RISK mapping (kept by the generic reader only): Contractdocument/PP/PP_ONBEKEND',
      'entity not in the RISK mapping (kept by the generic reader only): Contractdocument/PP/QQ',
      'no coverage description at Contractdocument/PP/Z2[2]',
      // The AFD code lists hold only what REFERENCE.md names, so every synthetic code is unknown.
      'unknown code "92" (list AL_FUNCTIE) at Contractdocument/AL/AL_FUNCTIE',
      'unknown code "SYNV" (list PORMAA) at Contractdocument/PP/PP_MYAAND',
      'unknown code "SYN-WOON" (list ADNBRA) at Contractdocument/PP/PP_BRANCHE',
      'unknown code "SYN-INB" (list ADN_DEKKING) at Contractdocument/PP/Z2[1]/Z2_CODE',
      'unknown code "SYN-GLAS" (list ADN_DEKKING) at Contractdocument/PP/Z2[2]/Z2_CODE',
    ]);
  });

  it('fails an AFD sample the RISK mapping refuses', () => {
    const v = verdict('afd/unknown-function.xml');
    expect(v.ok).toBe(false);
    expect(v.problems).toEqual([expect.stringMatching(/^read: RiskError RiskInvalid at Contractdocument\/AL\/AL_FUNCTIE/)]);
  });

  it('reads an AFD 2.0 JSON sample through the RISK mapping, and fails one that is no AFD message', () => {
    expect(verdict('afd-json/final.json')).toMatchObject({ ok: true, problems: [] });
    const bad = verdict('afd-json/quote.json');
    expect(bad.ok).toBe(false);
    expect(bad.problems).toEqual([expect.stringMatching(/^read: RiskError /)]);
  });

  it('reports a refused sample under the default mapping (no AL_FUNCTIE codes configured)', () => {
    const sample = findSamples(root, 'afd').find((s) => s.name === 'afd/final.xml');
    if (sample === undefined) throw new Error('missing sample');
    const v = checkSample(sample, { riskMapping: defaultRiskAfdMapping });
    expect(v.ok).toBe(false);
    expect(v.problems.join('\n')).toMatch(/AL_FUNCTIE/);
  });

  it('formats a verdict as lines for the test output', () => {
    expect(formatVerdict({ kind: 'hdn', sample: 'hdn/x.xml', ok: false, problems: ['p'], findings: ['f'], summary: 's' })).toBe(
      '[contract] FAIL hdn/x.xml: s\n  problem: p\n  finding: f',
    );
  });
});

describe('comparison helpers', () => {
  it.each([
    [{ a: 1 }, { a: 1 }, undefined],
    [{ a: [1, { b: 'x' }] }, { a: [1, { b: 'y' }] }, 'a.1.b: "x" vs "y"'],
    [{ a: 1 }, { a: 1, b: 2 }, 'b: absent vs 2'],
    [[1, 2], [1], '1: 2 vs absent'],
    [Object.assign(Object.create(null) as object, { a: 1 }), { a: 1 }, undefined],
  ])('firstDifference(%j, %j) = %s', (a, b, expected) => {
    expect(firstDifference(a, b)).toBe(expected);
  });

  it('valueAt follows dotted paths and list indexes', () => {
    const m = { header: { applicationNumber: '1' }, loanParts: [{ amountCents: 5 }] };
    expect(valueAt(m, 'header.applicationNumber')).toBe('1');
    expect(valueAt(m, 'loanParts.0.amountCents')).toBe(5);
    expect(valueAt(m, 'loanParts.1.amountCents')).toBeUndefined();
    expect(valueAt(m, 'toString')).toBeUndefined();
  });
});
