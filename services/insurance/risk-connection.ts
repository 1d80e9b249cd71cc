/**
 * Whether RISK can be reached from here: the RISK client is configured by settings (RISK_URL /
 * RISK_TOKEN, integrations/risk riskClientFromSettings) and passed down; without it, everything
 * that would talk to RISK is refused with a reason instead.
 */
import { refuse, type DomainError } from '../../domain/errors.js';
import type { RiskClient } from '../../integrations/risk/client.js';

export const RISK_NOT_CONFIGURED = 'No RISK connection is configured (RISK_URL / RISK_TOKEN)';

/** The refusal when no RISK connection is configured (`risk-not-configured`, unavailable). */
export function riskNotConfigured(detail: string = RISK_NOT_CONFIGURED): DomainError {
  return refuse.unavailable('risk-not-configured', detail);
}

/** The RISK client, or the `risk-not-configured` refusal. */
export function riskClientOrRefuse(client: RiskClient | undefined, detail?: string): RiskClient {
  if (!client) throw riskNotConfigured(detail);
  return client;
}
