/**
 * The RISK client and the RISK AFD mapping from the validated settings (config/settings.ts:
 * RISK_URL, RISK_TOKEN, RISK_AFD_MAPPING). No client = no RISK connection: a quote request fails
 * with that reason, polling has nothing to ask, inbound webhooks still work. The mapping is read
 * and checked once at start: a file that is not a valid mapping stops the start with the
 * checker's words (SettingsError), like any other bad setting.
 */
import { readFileSync } from 'node:fs';
import { SettingsError, type Settings } from '../../config/settings.js';
import { defaultRiskAfdMapping, defineRiskAfdMapping, type RiskAfdMapping } from './afd-mapping.js';
import { createRiskClient, type RiskClient } from './client.js';

export type RiskSettings = Pick<Settings, 'riskUrl' | 'riskToken'>;

export function riskClientFromSettings(settings: RiskSettings): RiskClient | undefined {
  if (!settings.riskUrl || !settings.riskToken) return undefined;
  return createRiskClient({ url: settings.riskUrl, token: settings.riskToken });
}

/** Reads and checks a mapping file; TypeError with the checker's words. */
export function loadRiskAfdMapping(file: string): RiskAfdMapping {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new TypeError(`RISK AFD mapping: ${file} is not readable JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  return defineRiskAfdMapping(data);
}

/** The mapping RISK_AFD_MAPPING names, else the built-in default; SettingsError naming the setting when the file is not a mapping. */
export function riskAfdMappingFromSettings(settings: Pick<Settings, 'riskAfdMapping'>): RiskAfdMapping {
  if (settings.riskAfdMapping === undefined) return defaultRiskAfdMapping;
  try {
    return loadRiskAfdMapping(settings.riskAfdMapping);
  } catch (err) {
    if (err instanceof TypeError) throw new SettingsError([`RISK_AFD_MAPPING: ${err.message}`]);
    throw err;
  }
}
