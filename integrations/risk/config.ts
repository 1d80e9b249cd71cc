/**
 * The RISK client from the validated settings (config/settings.ts: RISK_URL, RISK_TOKEN; the
 * settings refuse a URL without a token). Absent = no RISK connection: a quote request fails
 * with that reason, polling has nothing to ask, inbound webhooks still work.
 */
import type { Settings } from '../../config/settings.js';
import { createRiskClient, type RiskClient } from './client.js';

export type RiskSettings = Pick<Settings, 'riskUrl' | 'riskToken'>;

export function riskClientFromSettings(settings: RiskSettings): RiskClient | undefined {
  if (!settings.riskUrl || !settings.riskToken) return undefined;
  return createRiskClient({ url: settings.riskUrl, token: settings.riskToken });
}
