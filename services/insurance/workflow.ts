/**
 * The insurance workflow seen from the API: its input rebuilt from PostgreSQL, started after a
 * quote request, and RISK events delivered to it with signal-with-start (ids, codes, amounts
 * only: the stored message keeps the personal data). A closed process is never started again
 * (`REJECT_DUPLICATE`): a late message for an ended product is recorded, not acted on.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { insuranceProcessV1 } from '../../domain/processes/insurance.process.js';
import type { RiskMessage } from '../../integrations/risk/types.js';
import type { insuranceWorkflow } from '../../workflows/index.js';
import { riskEventSignal, type InsuranceWorkflowInput, type RiskEvent } from '../../workflows/insurance/insurance.messages.js';
import type { TemporalDeps } from '../../integrations/temporal/connection.js';
import { DomainError } from '../../domain/errors.js';
import { one } from '../../db/sql.js';

const TEMPORAL_DEADLINE_MS = 10_000;

export interface InsuranceWorkflowStart {
  workflowId: string;
  input: InsuranceWorkflowInput;
}

export async function insuranceWorkflowStart(em: EntityManager, productId: string): Promise<InsuranceWorkflowStart> {
  const p = await one<{ id: string; dossier_id: string; workflow_id: string; external_ref: string | null; requested: number }>(
    em,
    `select p.id, p.dossier_id, p.workflow_id, i.external_ref, jsonb_array_length(i.requested_coverages) as requested
     from products p join insurance_policies i on i.product_id = p.id where p.id = ?`,
    [productId],
  );
  if (!p) throw new Error(`insurance product ${productId} not found`);
  return {
    workflowId: p.workflow_id,
    input: {
      productId: p.id,
      dossierId: p.dossier_id,
      initialStatus: insuranceProcessV1.initialStatus,
      // Only a quote the adviser asked for here and RISK has not numbered yet is requested.
      requestQuote: p.external_ref === null && Number(p.requested) > 0,
    },
  };
}

export function riskEventOf(messageId: string, m: RiskMessage): RiskEvent {
  return { messageId, kind: m.kind, policyNumber: m.policyNumber, version: m.version, eventAt: m.eventAt, premiumCents: m.premiumCents };
}

export async function startInsuranceWorkflow(temporal: TemporalDeps, start: InsuranceWorkflowStart): Promise<void> {
  const { client, taskQueue } = temporal;
  await client.withDeadline(Date.now() + TEMPORAL_DEADLINE_MS, () =>
    client.workflow.start<typeof insuranceWorkflow>('insuranceWorkflow', {
      workflowId: start.workflowId,
      taskQueue,
      args: [start.input],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    }),
  );
}

/** Signal-with-start; 'process-ended' when the product's workflow has closed. Temporal down → 503. */
export async function signalRiskEvent(temporal: TemporalDeps, start: InsuranceWorkflowStart, event: RiskEvent, whenUnavailable: string): Promise<'delivered' | 'process-ended'> {
  const { client, taskQueue } = temporal;
  try {
    await client.withDeadline(Date.now() + TEMPORAL_DEADLINE_MS, () =>
      client.workflow.signalWithStart<typeof insuranceWorkflow, [RiskEvent]>('insuranceWorkflow', {
        workflowId: start.workflowId,
        taskQueue,
        args: [start.input],
        signal: riskEventSignal,
        signalArgs: [event],
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      }),
    );
    return 'delivered';
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return 'process-ended';
    const reason = err instanceof Error ? err.message : String(err);
    throw new DomainError('unavailable', 'workflow-unavailable', `${whenUnavailable} (the process engine did not answer: ${reason})`);
  }
}
