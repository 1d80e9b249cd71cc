/**
 * The RISK client from the environment (RISK_URL, RISK_TOKEN), for the worker: like Ockto, the
 * worker reads its RISK settings itself, so nothing else has to pass them along. Absent = no
 * RISK connection (a quote request fails with that reason; inbound webhooks still work).
 */
import { createRiskClient, type RiskClient } from './client.js';

export function riskClientFromEnv(env: NodeJS.ProcessEnv): RiskClient | undefined {
  const url = env.RISK_URL?.trim();
  const token = env.RISK_TOKEN?.trim();
  if (!url || !token) return undefined;
  return createRiskClient({ url, token });
}
