/**
 * The non-life insurance process, version 1 (DOMAIN.md process 6). An insurance product is
 * driven by RISK's events, not by adviser steps: its workflow is `insuranceWorkflow`
 * (workflows/insurance/), which moves the product along these statuses (see
 * domain/insurance/events.ts `statusAfter`). The definition gives the statuses their labels
 * and categories for the product card; it has no steps, so no adviser step can be taken.
 */
import type { ProcessDefinition } from '../process/definition.js';
import { InsuranceStatus } from '../insurance/events.js';

export const insuranceProcessV1: ProcessDefinition = {
  key: 'insurance',
  version: 1,
  name: 'Schadeverzekering (RISK)',
  productType: 'insurance',
  initialStatus: InsuranceStatus.QuoteRequested,
  statuses: [
    { code: InsuranceStatus.QuoteRequested, label: 'Offerte aangevraagd', category: 'new' },
    { code: InsuranceStatus.QuoteReceived, label: 'Offerte ontvangen', category: 'new' },
    { code: InsuranceStatus.Running, label: 'Lopend', category: 'running' },
    { code: InsuranceStatus.Ended, label: 'Beëindigd', category: 'ended' },
  ],
  steps: [],
};
