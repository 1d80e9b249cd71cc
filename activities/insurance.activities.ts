/**
 * The insurance workflows' side effects (InsuranceActivities, RiskPollActivities): thin adapters
 * over services/insurance. Asking RISK for a quote is idempotent on the product id
 * (services/insurance/risk-quote.ts), applying a stored RISK event on its message id under the
 * policy lock (services/insurance/apply-event.ts), a polling round on RISK's message ids
 * (services/insurance/poller.ts). Refusals become the failure types the workflows know.
 */
import { log } from '@temporalio/activity';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { RiskClient } from '../integrations/risk/client.js';
import { defaultRiskAfdMapping, type RiskAfdMapping } from '../integrations/risk/afd-mapping.js';
import type { XsdFolderValidator } from '../integrations/xml/index.js';
import type { TemporalDeps } from '../integrations/temporal/connection.js';
import { applyRiskEvent } from '../services/insurance/apply-event.js';
import { pollRiskRound } from '../services/insurance/poller.js';
import { requestRiskQuote } from '../services/insurance/risk-quote.js';
import { withFailureTypes, type FailureTypes } from './failures.js';
import { InsuranceActivityFailure, type InsuranceActivities, type RiskPollActivities } from './insurance.contract.js';

export interface InsuranceActivitiesDeps {
  orm: MikroORM;
  /** The RISK client, or undefined when none is configured (a quote request then fails with a reason). */
  client: RiskClient | undefined;
  /** Temporal, for routing polled messages to their insurance workflows (signal-with-start); needed by pollRiskEvents only. */
  temporal?: TemporalDeps | undefined;
  /** The RISK AFD mapping (RISK_AFD_MAPPING, loaded at start); absent: the built-in default. */
  mapping?: RiskAfdMapping;
  /** RISK's AFD XSD folder (XSD_DIR_AFD) for polled messages; absent: no schema check. */
  xsd?: XsdFolderValidator | undefined;
}

/**
 * The refusals of services/insurance as the workflows' failure types: not found → RiskNotFound;
 * RISK unreachable → RiskUnavailable (retried); RISK refused, the request incomplete, or no RISK
 * connection (or no Temporal client) on the worker → RiskRejected (the workflows never retry it).
 */
export const insuranceFailureTypes: FailureTypes = {
  bySlug: {
    'not-found': InsuranceActivityFailure.NotFound,
    'risk-not-configured': InsuranceActivityFailure.RiskRejected,
    'risk-routing-not-configured': InsuranceActivityFailure.RiskRejected,
  },
  byKind: {
    'not-found': InsuranceActivityFailure.NotFound,
    unavailable: InsuranceActivityFailure.RiskUnavailable,
    'upstream-failed': InsuranceActivityFailure.RiskRejected,
    unprocessable: InsuranceActivityFailure.RiskRejected,
  },
};

export function createInsuranceActivities(deps: InsuranceActivitiesDeps): InsuranceActivities & RiskPollActivities {
  const fork = (): EntityManager => deps.orm.em.fork();
  const mapping = deps.mapping ?? defaultRiskAfdMapping;
  return withFailureTypes(
    {
      /** One round of the RISK poller workflow: `pollRiskOnce` for every office (services/insurance/poller.ts). */
      pollRiskEvents: (input) =>
        pollRiskRound({ orm: deps.orm, client: deps.client, temporal: deps.temporal, mapping, xsd: deps.xsd }, input, (officeId, err) =>
          log.warn('RISK poll for an office failed; the next round retries', { officeId, error: err instanceof Error ? err.message : String(err) }),
        ),
      requestRiskQuote: (input) => requestRiskQuote(fork(), deps.client, input),
      applyRiskEvent: (input) => applyRiskEvent(fork(), input, mapping),
    },
    insuranceFailureTypes,
  );
}
