/** RISK_AFD_MAPPING: the mapping file is a setting, read and checked at start (SYNTHETIC data). */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSettings, SettingsError } from '../../config/settings.js';
import { defaultRiskAfdMapping } from './afd-mapping.js';
import { riskAfdMappingFromSettings } from './config.js';
import syntheticData from './fixtures/afd-mapping.synthetic.json' with { type: 'json' };

const dir = mkdtempSync(path.join(tmpdir(), 'risk-mapping-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
};

function settingsProblem(run: () => unknown): string[] {
  try {
    run();
  } catch (err) {
    if (err instanceof SettingsError) return err.problems;
    throw err;
  }
  throw new Error('expected a SettingsError');
}

describe('RISK_AFD_MAPPING', () => {
  it('absent: the built-in default (no AL_FUNCTIE codes: not public)', () => {
    const s = loadSettings({});
    expect(s.riskAfdMapping).toBeUndefined();
    expect(riskAfdMappingFromSettings(s)).toBe(defaultRiskAfdMapping);
    expect(defaultRiskAfdMapping.functionCodes.size).toBe(0);
  });

  it('a path relative to the project: the file is loaded and checked', () => {
    const s = loadSettings({ RISK_AFD_MAPPING: 'integrations/risk/fixtures/afd-mapping.synthetic.json' });
    expect(s.riskAfdMapping).toMatch(/^\/.*\/integrations\/risk\/fixtures\/afd-mapping\.synthetic\.json$/);
    const m = riskAfdMappingFromSettings(s);
    expect([...m.functionCodes.entries()]).toEqual([['91', 'quote'], ['92', 'final'], ['93', 'mutation'], ['94', 'cancellation']]);
  });

  it('a missing file stops the start with the setting named', () => {
    expect(settingsProblem(() => loadSettings({ RISK_AFD_MAPPING: '/nonexistent/mapping.json' }))).toEqual([
      'RISK_AFD_MAPPING: must be an existing JSON file of the RISK AFD mapping, got "/nonexistent/mapping.json"',
    ]);
    expect(settingsProblem(() => loadSettings({ RISK_AFD_MAPPING: dir }))[0]).toMatch(/^RISK_AFD_MAPPING: must be an existing JSON file/);
  });

  it("a file that is not a mapping stops the start with the checker's words", () => {
    const notJson = loadSettings({ RISK_AFD_MAPPING: file('broken.json', '{ "source": ') });
    expect(settingsProblem(() => riskAfdMappingFromSettings(notJson))[0]).toMatch(/^RISK_AFD_MAPPING: RISK AFD mapping: .*broken\.json is not readable JSON/);
    const badCode = loadSettings({
      RISK_AFD_MAPPING: file('bad-code.json', JSON.stringify({ ...syntheticData, functionCodes: [{ code: 'OFFERTE', kind: 'quote', verified: false }] })),
    });
    expect(settingsProblem(() => riskAfdMappingFromSettings(badCode))).toEqual([
      'RISK_AFD_MAPPING: RISK AFD mapping: functionCodes[0].code must be a numeric code like "01"',
    ]);
    const doEntity = loadSettings({ RISK_AFD_MAPPING: file('do.json', JSON.stringify({ ...syntheticData, documents: { ...syntheticData.documents, entity: 'DO' } })) });
    expect(settingsProblem(() => riskAfdMappingFromSettings(doEntity))[0]).toMatch(/documents\.entity cannot be DO/);
  });
});
