/**
 * The insurance workflow on the time-skipping test server with fake RISK activities: events
 * are applied by the last-writer rule whatever their arrival order, one at a time, and the
 * workflow ends after a cancellation.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ApplicationFailure } from '@temporalio/common';
import { Worker } from '@temporalio/worker';
import type { ApplyRiskEventInput, InsuranceActivities } from '../../activities/insurance.contract.js';
import { workflowIds } from '../../domain/workflow-ids.js';
import type { insuranceWorkflow } from '../../workflows/index.js';
import { insuranceStateQuery, riskEventSignal, type RiskEvent } from '../../workflows/insurance/insurance.messages.js';
import { endWhenSettled, eventually, Gate, signalsSeen, timeSkippingEnv, workflowBundle } from './product-harness.js';

const env = timeSkippingEnv('each');

function fakeRisk(opts: { quoteFails?: boolean; holdApply?: Gate } = {}) {
  const applied: ApplyRiskEventInput[] = [];
  const inFlight = { now: 0, max: 0 };
  const activities: InsuranceActivities = {
    async requestRiskQuote() {
      if (opts.quoteFails) throw ApplicationFailure.create({ type: 'RiskRejected', message: 'no RISK configured', nonRetryable: true });
      return { quoteNumber: 'RQ-TEST-1' };
    },
    async applyRiskEvent(input) {
      inFlight.now += 1;
      inFlight.max = Math.max(inFlight.max, inFlight.now);
      if (opts.holdApply) await opts.holdApply.pass();
      applied.push(input);
      inFlight.now -= 1;
      return input.decision.outcome === 'apply' ? { outcome: 'applied', reason: input.decision.reason } : { outcome: 'ignored', reason: input.decision.reason };
    },
  };
  return { activities, applied, inFlight };
}

const event = (version: number, kind: RiskEvent['kind'], premiumCents: number, eventAt = `2026-11-2${version}T10:00:00.000Z`): RiskEvent => ({
  messageId: randomUUID(),
  kind,
  policyNumber: 'RQ-TEST-1',
  version,
  eventAt,
  premiumCents,
});

async function run<T>(activities: InsuranceActivities, fn: (start: (requestQuote: boolean) => Promise<ReturnType<typeof env.client.workflow.getHandle>>) => Promise<T>): Promise<T> {
  const taskQueue = `insurance-${randomUUID()}`;
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: await workflowBundle(), activities });
  return worker.runUntil(() =>
    fn(async (requestQuote) => {
      const productId = randomUUID();
      return env.client.workflow.start<typeof insuranceWorkflow>('insuranceWorkflow', {
        taskQueue,
        workflowId: workflowIds.insurance(productId),
        args: [{ productId, dossierId: randomUUID(), initialStatus: 'offerte-aangevraagd', requestQuote }],
      });
    }),
  );
}

describe('insurance workflow', () => {
  it('final, mutation, a stale copy of the mutation and an out-of-order final: two applied, status running', async () => {
    const fake = fakeRisk();
    await run(fake.activities, async (start) => {
      const handle = await start(true);
      // The product stays running: ended once settled (terminateWhenSettled), also on a failure.
      await endWhenSettled(env, handle, async () => {
        await handle.signal(riskEventSignal, event(2, 'final', 5740));
        await handle.signal(riskEventSignal, event(3, 'mutation', 6300));
        await handle.signal(riskEventSignal, event(3, 'mutation', 6300, '2026-11-22T10:00:00.000Z'));
        await handle.signal(riskEventSignal, event(2, 'final', 5740, '2026-11-22T11:00:00.000Z'));
        const state = await eventually(async () => {
          const s = await handle.query(insuranceStateQuery);
          return s.applied + s.ignored === 4 ? s : undefined;
        });
        expect(state).toMatchObject({ status: 'lopend', quoteNumber: 'RQ-TEST-1', applied: 2, ignored: 2, lastApplied: { version: 3 } });
        expect(fake.applied.map((a) => [a.decision.outcome, a.fromStatus, a.toStatus])).toEqual([
          ['apply', 'offerte-aangevraagd', 'lopend'],
          ['apply', 'lopend', 'lopend'],
          ['stale', 'lopend', 'lopend'],
          ['stale', 'lopend', 'lopend'],
        ]);
      });
    });
  });

  it('two conflicting events at the same moment are applied one at a time and the newer one wins', async () => {
    // The first apply is held until the workflow has seen both signals: had it started the
    // second apply concurrently, that one would be in flight by then (no 100 ms window).
    const gate = new Gate();
    const fake = fakeRisk({ holdApply: gate });
    await run(fake.activities, async (start) => {
      const handle = await start(false);
      // Ended once settled, also on a failure (the gate is opened first then).
      await endWhenSettled(
        env,
        handle,
        async () => {
          await Promise.all([handle.signal(riskEventSignal, event(4, 'mutation', 9000)), handle.signal(riskEventSignal, event(3, 'mutation', 7000))]);
          await gate.entered();
          await eventually(async () => signalsSeen(await handle.fetchHistory(), 2));
          gate.release();
          const state = await eventually(async () => {
            const s = await handle.query(insuranceStateQuery);
            return s.applied + s.ignored === 2 ? s : undefined;
          });
          expect(state.lastApplied?.version).toBe(4);
          expect(fake.inFlight.max).toBe(1);
        },
        () => gate.release(),
      );
    });
  });

  it('a cancellation ends the product and the workflow; a failed quote request does not stop events', async () => {
    const fake = fakeRisk({ quoteFails: true });
    await run(fake.activities, async (start) => {
      const handle = await start(true);
      await handle.signal(riskEventSignal, event(2, 'final', 5740));
      await handle.signal(riskEventSignal, event(3, 'cancellation', 0));
      const result = await handle.result();
      expect(result).toMatchObject({ status: 'beeindigd', applied: 2 });
    });
  });
});
