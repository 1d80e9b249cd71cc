/**
 * Contract tests (issue 17, deliverable 6): every real sample message a counterpart gave us,
 * dropped in test/contract/<kind>/, is read by our readers (see runner.ts for what is checked).
 * A folder without samples is skipped with a test title naming it, so `npm test` says so.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkSample, contractKinds, contractRiskMapping, findSamples, formatVerdict, type ContractKind } from './runner.js';

// CONTRACT_SAMPLES_DIR: samples kept outside the repository (real messages may hold personal data).
const root = process.env.CONTRACT_SAMPLES_DIR || fileURLToPath(new URL('.', import.meta.url));
const shown = process.env.CONTRACT_SAMPLES_DIR ? root : 'test/contract';
const what: Record<ContractKind, string> = {
  hdn: 'HDN messages (SX, OX, DA, AX, DX) from a lender or advice package',
  afd: 'SIVI AFD 1.0 XML messages from RISK',
  'afd-json': 'SIVI AFD 2.0 JSON messages from RISK',
};

for (const kind of contractKinds) {
  const samples = findSamples(root, kind);
  if (samples.length === 0) {
    it.skip(`${shown}/${kind}/ holds no samples: drop real ${what[kind]} there to run it (see test/contract/${kind}/README.md)`, () => {});
    continue;
  }
  describe(`contract samples in ${shown}/${kind}/`, () => {
    const riskMapping = kind === 'afd' || kind === 'afd-json' ? contractRiskMapping(root) : undefined;
    if (riskMapping !== undefined) process.stdout.write(`[contract] AFD samples read with the RISK mapping from ${riskMapping.from}\n`);
    for (const sample of samples) {
      it(sample.name, () => {
        const verdict = checkSample(sample, riskMapping !== undefined ? { riskMapping: riskMapping.mapping } : {});
        process.stdout.write(`${formatVerdict(verdict)}\n`);
        expect(verdict.problems).toEqual([]);
      });
    }
  });
}
