/**
 * The scheduled RISK polling fallback, as ONE durable Temporal workflow for the whole platform
 * (`risk-poller`, workflows/insurance/risk-poller.workflow.ts) instead of a timer in every API
 * process: however many API replicas start it, signal-with-start on the fixed id finds the one
 * that runs. Each of its rounds is the activity `pollRiskEvents`, which runs `pollRiskRound`
 * below: the same `pollRiskOnce` per office as `POST /risk/poll`. Stateless between rounds (the
 * cursor is in PostgreSQL) and idempotent (messages deduplicate on their RISK id), so a retried
 * round, or a round overlapping the webhook or a manual poll, never applies an event twice.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { workflowIds } from '../../domain/workflow-ids.js';
import type { RiskClient } from '../../integrations/risk/client.js';
import type { TemporalDeps } from '../../integrations/temporal/connection.js';
import type { riskPollerWorkflow } from '../../workflows/index.js';
import { riskPollIntervalSignal, type RiskPollerInput } from '../../workflows/insurance/risk-poller.messages.js';
import { refuse } from '../../domain/errors.js';
import type { PollRiskEventsInput, PollRiskEventsResult } from '../../domain/insurance/side-effects.js';
import { pollRiskOnce } from './poll.js';
import type { RiskAfdMapping } from '../../integrations/risk/afd-mapping.js';
import type { XsdFolderValidator } from '../../integrations/xml/index.js';
import { riskClientOrRefuse } from './risk-connection.js';

const TEMPORAL_DEADLINE_MS = 10_000;

export type RiskPollRound = PollRiskEventsResult;

/**
 * One round over the offices: every office with insurance policies (or only `officeIds`). A
 * failing office is reported to `onOfficeFailed` and counted; the others are still polled.
 * Refused (`risk-not-configured`, `risk-routing-not-configured`) when the worker has no RISK
 * connection, or no Temporal client to route the polled messages with.
 */
export async function pollRiskRound(
  deps: { orm: MikroORM; client: RiskClient | undefined; temporal: TemporalDeps | undefined; mapping: RiskAfdMapping; xsd?: XsdFolderValidator | undefined },
  input: PollRiskEventsInput,
  onOfficeFailed?: (officeId: string, err: unknown) => void,
): Promise<RiskPollRound> {
  const client = riskClientOrRefuse(deps.client, 'No RISK connection is configured on the worker (RISK_URL / RISK_TOKEN): nothing to poll');
  const temporal = deps.temporal;
  if (!temporal) throw refuse.unavailable('risk-routing-not-configured', 'The worker was started without a Temporal client for routing polled RISK messages');
  // Offices that have asked RISK for quotes (the platform has one RISK account: an office
  // without insurance policies has nothing to poll for, and must not collect others' events).
  const officeIds =
    input.officeIds ??
    (await deps.orm.em.fork().execute<{ office_id: string }[]>('select distinct office_id from insurance_policies order by office_id')).map((r) => r.office_id);
  const round: RiskPollRound = { offices: officeIds.length, fetched: 0, stored: 0, failedOfficeIds: [] };
  for (const officeId of officeIds) {
    try {
      const polled = await pollRiskOnce({ em: deps.orm.em.fork(), temporal, mapping: deps.mapping, ...(deps.xsd ? { xsd: deps.xsd } : {}) }, client, officeId);
      round.fetched += polled.fetched;
      round.stored += polled.stored;
    } catch (err) {
      round.failedOfficeIds.push(officeId);
      onOfficeFailed?.(officeId, err);
    }
  }
  return round;
}

/**
 * Makes sure the platform's RISK poller runs, with this interval: starts `risk-poller` when no
 * run is open, else tells the open run the interval (signal-with-start: idempotent, and it needs
 * no worker to be up; a start racing another replica's is tolerated). Called at every API start
 * when RISK is configured.
 */
export async function ensureRiskPoller(temporal: TemporalDeps, input: RiskPollerInput): Promise<{ workflowId: string; runId: string }> {
  const { client, taskQueue } = temporal;
  for (let attempt = 1; ; attempt++) {
    try {
      const handle = await client.withDeadline(Date.now() + TEMPORAL_DEADLINE_MS, () =>
        client.workflow.signalWithStart<typeof riskPollerWorkflow, [number]>('riskPollerWorkflow', {
          workflowId: workflowIds.riskPoller(),
          taskQueue,
          args: [input],
          signal: riskPollIntervalSignal,
          signalArgs: [input.intervalSeconds],
        }),
      );
      return { workflowId: handle.workflowId, runId: handle.signaledRunId };
    } catch (err) {
      // Another replica started it at the same moment: the run exists now, so the next try signals it.
      if (!(err instanceof WorkflowExecutionAlreadyStartedError) || attempt >= 3) throw err;
    }
  }
}
