/**
 * The RISK poller workflow (`risk-poller`) on the time-skipping test server with typed fake
 * activities: one round per interval (measured in the server's skipped time, never the wall
 * clock), retries of a failing round, a round that fails for good does not end the loop, a
 * signal changes the interval, continue-as-new carries interval and totals, and the API's
 * signal-with-start finds the one running poller however often (and from however many
 * replicas) it is called.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { activityInfo } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import type { PollRiskEventsInput, PollRiskEventsResult, RiskPollActivities } from '../../activities/insurance.contract.js';
import { workflowIds } from '../../domain/workflow-ids.js';
import { ensureRiskPoller } from '../../services/insurance/poller.js';
import type { riskPollerWorkflow } from '../../workflows/index.js';
import { riskPollerStateQuery, riskPollIntervalSignal, type RiskPollerInput } from '../../workflows/insurance/risk-poller.messages.js';
import { endWhenSettled, eventually, settle, timeSkippingEnv, workflowBundle } from './product-harness.js';

const env = timeSkippingEnv('file');

const SECOND = 1000;

/** What one call of the fake activity does: answer, throw a retryable error, or RISK's "not configured" (non-retryable). */
type Outcome = 'ok' | 'fail' | 'not-configured';

interface Call {
  input: PollRiskEventsInput;
  attempt: number;
  /** When the server scheduled the round (server time: skipped by the test server). */
  scheduledAt: number;
}

/** A typed fake of the poll activity: records every call, follows `plan` (then answers 'ok'). */
function fakePoll(plan: Outcome[] = []) {
  const calls: Call[] = [];
  const activities: RiskPollActivities = {
    async pollRiskEvents(input): Promise<PollRiskEventsResult> {
      const info = activityInfo();
      calls.push({ input, attempt: info.attempt, scheduledAt: info.currentAttemptScheduledTimestampMs });
      const outcome = plan[calls.length - 1] ?? 'ok';
      if (outcome === 'fail') throw ApplicationFailure.create({ type: 'RiskUnavailable', message: 'RISK answered 503' });
      if (outcome === 'not-configured') throw ApplicationFailure.create({ type: 'RiskRejected', message: 'No RISK connection is configured', nonRetryable: true });
      return { offices: input.officeIds?.length ?? 0, fetched: 2, stored: 1, failedOfficeIds: [] };
    },
  };
  /** Rounds as their first attempts. */
  const rounds = () => calls.filter((c) => c.attempt === 1);
  return { activities, calls, rounds };
}

type Handle = WorkflowHandleWithFirstExecutionRunId<typeof riskPollerWorkflow>;

/**
 * Runs a worker with `activities` around `fn`; the poller it started (it never ends by itself) is
 * terminated afterwards, its latest run once nothing is open in it and no round is about to
 * start (terminateWhenSettled: a round's workflow task cut off by the termination would leave
 * the test server's time skipping locked for the rest of this file), also when `fn` throws.
 */
async function withPoller<T>(activities: RiskPollActivities, input: RiskPollerInput, fn: (handle: Handle, taskQueue: string) => Promise<T>): Promise<T> {
  const taskQueue = `risk-poller-${randomUUID()}`;
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: await workflowBundle(), activities });
  return worker.runUntil(async () => {
    const handle = await env.client.workflow.start<typeof riskPollerWorkflow>('riskPollerWorkflow', {
      taskQueue,
      workflowId: workflowIds.riskPoller(),
      args: [input],
    });
    return endWhenSettled(env, env.client.workflow.getHandle(handle.workflowId), () => fn(handle, taskQueue));
  });
}

const gaps = (times: number[]): number[] => times.slice(1).map((t, i) => t - times[i]!);

describe('risk poller workflow', () => {
  it('polls at once, then once per interval (server time), for the offices of its input', async () => {
    const fake = fakePoll();
    await withPoller(fake.activities, { intervalSeconds: 60, officeIds: ['office-a', 'office-b'] }, async (handle) => {
      await eventually(async () => fake.rounds().length >= 1);
      await env.sleep(5 * 60 * SECOND);
      await eventually(async () => fake.rounds().length >= 5);
      await settle(handle);
      const state = await handle.query(riskPollerStateQuery);
      expect(state).toMatchObject({ intervalSeconds: 60, failedRounds: 0, lastRound: { offices: 2, fetched: 2, stored: 1, failedOfficeIds: [] } });
      expect(state.rounds).toBeGreaterThanOrEqual(5);
      expect(state.stored).toBe(state.rounds);
      // One round per interval: from the end of a round to the next is the interval (plus the
      // round's own few milliseconds), never two rounds in one interval.
      for (const gap of gaps(fake.rounds().map((c) => c.scheduledAt))) {
        expect(gap).toBeGreaterThanOrEqual(60 * SECOND);
        expect(gap).toBeLessThan(61 * SECOND);
      }
      expect(fake.calls.every((c) => c.attempt === 1)).toBe(true);
      expect(fake.calls.every((c) => JSON.stringify(c.input) === JSON.stringify({ officeIds: ['office-a', 'office-b'] }))).toBe(true);
    });
  });

  it('retries a failing round; a round that fails for good (or is refused) is counted and the loop goes on', async () => {
    // Round 1: fails once, then succeeds. Round 2: fails all 3 attempts. Round 3: refused
    // (no RISK on the worker: not retried). Round 4 and later: fine.
    const fake = fakePoll(['fail', 'ok', 'fail', 'fail', 'fail', 'not-configured']);
    await withPoller(fake.activities, { intervalSeconds: 60 }, async (handle) => {
      await eventually(async () => fake.rounds().length >= 1);
      await env.sleep(5 * 60 * SECOND);
      await eventually(async () => fake.rounds().length >= 4);
      expect(fake.calls.slice(0, 7).map((c) => c.attempt)).toEqual([1, 2, 1, 2, 3, 1, 1]);
      expect(fake.calls.every((c) => JSON.stringify(c.input) === '{}')).toBe(true);
      await settle(handle);
      const state = await handle.query(riskPollerStateQuery);
      expect(state.failedRounds).toBe(2);
      expect(state.rounds).toBeGreaterThanOrEqual(4);
      // The failed rounds waited the interval like any other: the next round came after it.
      const [r1, r2, r3, r4] = fake.rounds().map((c) => c.scheduledAt);
      expect(r2! - r1!).toBeGreaterThanOrEqual(60 * SECOND);
      expect(r3! - r2!).toBeGreaterThanOrEqual(60 * SECOND);
      expect(r4! - r3!).toBeGreaterThanOrEqual(60 * SECOND);
      const described = await handle.describe();
      expect(described.status.name).toBe('RUNNING');
    });
  });

  it('a signal changes the interval, also for the wait in progress; an invalid one is ignored', async () => {
    const fake = fakePoll();
    await withPoller(fake.activities, { intervalSeconds: 3600 }, async (handle) => {
      await eventually(async () => fake.rounds().length >= 1);
      await handle.signal(riskPollIntervalSignal, 0);
      await handle.signal(riskPollIntervalSignal, 120);
      await eventually(async () => (await handle.query(riskPollerStateQuery)).intervalSeconds === 120);
      await env.sleep(5 * 60 * SECOND);
      await eventually(async () => fake.rounds().length >= 3);
      const times = fake.rounds().map((c) => c.scheduledAt);
      // The hour-long wait was re-planned: the second round came 120 s after the first.
      for (const gap of gaps(times)) {
        expect(gap).toBeGreaterThanOrEqual(120 * SECOND);
        expect(gap).toBeLessThan(121 * SECOND);
      }
    });
  });

  it('continues as new after roundsPerRun rounds, carrying the interval, its input and the totals', async () => {
    const fake = fakePoll(['ok', 'fail', 'fail', 'fail']);
    await withPoller(fake.activities, { intervalSeconds: 60, officeIds: ['office-c'], roundsPerRun: 2 }, async (handle) => {
      await eventually(async () => fake.rounds().length >= 1);
      await handle.signal(riskPollIntervalSignal, 90);
      await env.sleep(5 * 90 * SECOND);
      await eventually(async () => fake.rounds().length >= 5);
      const first = await env.client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId).describe();
      expect(first.status.name).toBe('CONTINUED_AS_NEW');
      const latest = env.client.workflow.getHandle<typeof riskPollerWorkflow>(handle.workflowId);
      const described = await latest.describe();
      expect(described.runId).not.toBe(handle.firstExecutionRunId);
      expect(described.status.name).toBe('RUNNING');
      await settle(latest);
      const state = await latest.query(riskPollerStateQuery);
      expect(state.intervalSeconds).toBe(90);
      expect(state.rounds).toBeGreaterThanOrEqual(5);
      expect(state.roundsThisRun).toBeLessThanOrEqual(2);
      expect(state.failedRounds).toBe(1);
      expect(state.stored).toBe(state.rounds - 1);
      expect(fake.calls.every((c) => JSON.stringify(c.input) === JSON.stringify({ officeIds: ['office-c'] }))).toBe(true);
      // From the first round of the second run on (no retries in between), one round per 90 s.
      for (const gap of gaps(fake.rounds().slice(2).map((c) => c.scheduledAt))) {
        expect(gap).toBeGreaterThanOrEqual(90 * SECOND);
        expect(gap).toBeLessThan(91 * SECOND);
      }
    });
  });

  it('the API start (signal-with-start on the fixed id) finds the one running poller, from any number of replicas', async () => {
    const fake = fakePoll();
    const taskQueue = `risk-poller-${randomUUID()}`;
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: await workflowBundle(), activities: fake.activities });
    await worker.runUntil(async () => {
      const temporal = { client: env.client, taskQueue, checkHealth: async () => undefined };
      // The one poller (whichever run is the latest) is ended once settled, as in withPoller.
      await endWhenSettled(env, env.client.workflow.getHandle(workflowIds.riskPoller()), async () => {
        // Two API replicas starting at the same moment, then one restarting with another interval.
        const [a, b] = await Promise.all([ensureRiskPoller(temporal, { intervalSeconds: 60 }), ensureRiskPoller(temporal, { intervalSeconds: 60 })]);
        expect(a.workflowId).toBe('risk-poller');
        expect(b.runId).toBe(a.runId);
        const c = await ensureRiskPoller(temporal, { intervalSeconds: 300 });
        expect(c.runId).toBe(a.runId);
        const handle = env.client.workflow.getHandle<typeof riskPollerWorkflow>(a.workflowId);
        await eventually(async () => (await handle.query(riskPollerStateQuery)).intervalSeconds === 300);
        // One poller: one round at its start, none more before the interval has passed.
        await env.sleep(120 * SECOND);
        expect(fake.rounds()).toHaveLength(1);
        expect((await handle.describe()).runId).toBe(a.runId);
        await env.sleep(200 * SECOND);
        await eventually(async () => fake.rounds().length >= 2);
        const [r1, r2] = fake.rounds().map((r) => r.scheduledAt);
        expect(r2! - r1!).toBeGreaterThanOrEqual(300 * SECOND);
      });
    });
  });
});
