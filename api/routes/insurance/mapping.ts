/** The RISK AFD mapping of this server (deps.risk.mapping, loaded from RISK_AFD_MAPPING at start), else the built-in default. */
import type { FastifyInstance } from 'fastify';
import { defaultRiskAfdMapping, type RiskAfdMapping } from '../../../integrations/risk/afd-mapping.js';

export function riskMappingOf(app: FastifyInstance): RiskAfdMapping {
  return app.deps.risk?.mapping ?? defaultRiskAfdMapping;
}
