/**
 * The Ockto retrieval workflow against the time-skipping test server with typed in-memory
 * activity mocks: the client shares -> class derived and recorded, raw data deleted after the
 * retention; the client never shares -> one reminder, then 'expired' with a reason; the client
 * declines -> Onacceptabel (refused); a callback signal makes the workflow look at once.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Worker } from '@temporalio/worker';
import type { CollectedOcktoResult, OcktoActivities, OcktoPolicy, RecordOcktoOutcomeInput } from '../../activities/ockto.contract.js';
import type { RiskAnswers } from '../../domain/ockto/risk-class.js';
import { workflowIds } from '../../domain/workflow-ids.js';
import type { ocktoRetrievalWorkflow } from '../../workflows/index.js';
import { ocktoCallbackSignal, ocktoStateQuery } from '../../workflows/ockto/ockto.messages.js';
import { endWhenSettled, eventually, timeSkippingEnv, workflowBundle } from './product-harness.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const env = timeSkippingEnv('each');

const policy: OcktoPolicy = { reminderAfterMs: 48 * HOUR, expireAfterMs: 14 * DAY, pollIntervalMs: 6 * HOUR, retentionMs: 30 * DAY };

/** In-memory Ockto facts; `shareAt` (test-server ms) decides when the client has shared. */
function fakeOckto(opts: { shareAfterMs?: number; outcome?: CollectedOcktoResult; policy?: OcktoPolicy } = {}) {
  let requestedAtMs = 0;
  let sessions = 0;
  const reminders = new Set<string>();
  const outcomes: RecordOcktoOutcomeInput[] = [];
  const deletions: number[] = [];
  let rawData = false;
  let polls = 0;
  const activities: OcktoActivities = {
    async startOcktoSession() {
      if (sessions === 0) requestedAtMs = await env.currentTimeMs();
      sessions += 1;
      return { policy: opts.policy ?? policy, requestedAtMs };
    },
    async collectOcktoResult() {
      polls += 1;
      const now = await env.currentTimeMs();
      if (opts.shareAfterMs !== undefined && now - requestedAtMs >= opts.shareAfterMs) {
        const result = opts.outcome ?? { status: 'shared', answers: { identity: 'verified', screening: 'clear', income: 'explained', registrations: 'none' } };
        if (result.status === 'shared') rawData = true;
        return result;
      }
      return { status: 'pending' };
    },
    async sendOcktoReminder({ key }) {
      reminders.add(key);
      return { sent: true };
    },
    async recordOcktoOutcome(input) {
      outcomes.push(input);
    },
    async deleteOcktoSourceData() {
      deletions.push(await env.currentTimeMs());
      const deleted = rawData;
      rawData = false;
      return { deleted };
    },
  };
  return { activities, reminders, outcomes, deletions, polls: () => polls, hasRawData: () => rawData, requestedAt: () => requestedAtMs };
}

async function run<T>(activities: OcktoActivities, fn: (taskQueue: string) => Promise<T>): Promise<T> {
  const taskQueue = `ockto-${randomUUID()}`;
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: await workflowBundle(), activities });
  return worker.runUntil(() => fn(taskQueue));
}

describe('ockto retrieval workflow', () => {
  it('client shares on day 1: the class is derived and recorded, raw data deleted after the retention, no reminder', async () => {
    const fake = fakeOckto({ shareAfterMs: 20 * HOUR });
    const retrievalId = randomUUID();
    const result = await run(fake.activities, (taskQueue) =>
      env.client.workflow.execute<typeof ocktoRetrievalWorkflow>('ocktoRetrievalWorkflow', { taskQueue, workflowId: workflowIds.ockto(retrievalId), args: [{ retrievalId }] }),
    );
    expect(result).toMatchObject({ status: 'classified', riskClass: 'Laag', reasons: [], sourceDataDeleted: true });
    expect(fake.reminders.size).toBe(0);
    expect(fake.outcomes).toEqual([
      { retrievalId, outcome: 'classified', answers: { identity: 'verified', screening: 'clear', income: 'explained', registrations: 'none' }, riskClass: 'Laag', reasons: [] },
    ]);
    expect(fake.deletions).toHaveLength(1);
    expect(fake.hasRawData()).toBe(false);
    // Retention counted from classification (shared within the first day after one poll interval).
    const deletedAfter = fake.deletions[0]! - fake.requestedAt();
    expect(deletedAfter).toBeGreaterThanOrEqual(30 * DAY + 20 * HOUR);
    expect(deletedAfter).toBeLessThan(31 * DAY + 2 * HOUR);
  }, 60_000);

  it('a PEP with partial data: Hoog with its reasons', async () => {
    const answers: RiskAnswers = { identity: 'verified', screening: 'pep', income: 'unknown', registrations: 'unknown' };
    const fake = fakeOckto({ shareAfterMs: HOUR, outcome: { status: 'shared', answers } });
    const retrievalId = randomUUID();
    const result = await run(fake.activities, (taskQueue) =>
      env.client.workflow.execute<typeof ocktoRetrievalWorkflow>('ocktoRetrievalWorkflow', { taskQueue, workflowId: workflowIds.ockto(retrievalId), args: [{ retrievalId }] }),
    );
    expect(result).toMatchObject({ status: 'classified', riskClass: 'Hoog', reasons: ['pep', 'income-unknown', 'registrations-unknown'] });
  }, 60_000);

  it('client never shares: one reminder after 48 h, then expired after 14 days with a reason; nothing classified, nothing to delete', async () => {
    const fake = fakeOckto();
    const retrievalId = randomUUID();
    const result = await run(fake.activities, (taskQueue) =>
      env.client.workflow.execute<typeof ocktoRetrievalWorkflow>('ocktoRetrievalWorkflow', { taskQueue, workflowId: workflowIds.ockto(retrievalId), args: [{ retrievalId }] }),
    );
    expect(result.status).toBe('expired');
    expect(result.statusReason).toBe('De klant heeft binnen 14 dagen geen gegevens gedeeld, ook niet na de herinnering');
    expect([...fake.reminders]).toEqual([`${workflowIds.ockto(retrievalId)}/reminder`]);
    expect(fake.outcomes).toEqual([{ retrievalId, outcome: 'expired', reason: result.statusReason }]);
    expect(fake.deletions).toHaveLength(0);
    // Polled every 6 h for 14 days (plus the reminder wake-up), not in a tight loop.
    expect(fake.polls()).toBeGreaterThan(40);
    expect(fake.polls()).toBeLessThan(70);
  }, 60_000);

  it('client declines: Onacceptabel because required data is refused, ends without retention wait', async () => {
    const fake = fakeOckto({ shareAfterMs: 2 * HOUR, outcome: { status: 'declined' } });
    const retrievalId = randomUUID();
    const result = await run(fake.activities, (taskQueue) =>
      env.client.workflow.execute<typeof ocktoRetrievalWorkflow>('ocktoRetrievalWorkflow', { taskQueue, workflowId: workflowIds.ockto(retrievalId), args: [{ retrievalId }] }),
    );
    expect(result).toMatchObject({ status: 'declined', riskClass: 'Onacceptabel', reasons: ['refused'] });
    expect(fake.outcomes[0]).toMatchObject({ outcome: 'declined', riskClass: 'Onacceptabel' });
    expect(fake.deletions).toHaveLength(0);
  }, 60_000);

  it('a callback signal makes the workflow look at once instead of at the next poll', async () => {
    const fake = fakeOckto({ shareAfterMs: 0, policy: { ...policy, pollIntervalMs: 12 * HOUR } });
    let shared = false;
    const collect = fake.activities.collectOcktoResult;
    fake.activities.collectOcktoResult = async (input) => (shared ? collect(input) : { status: 'pending' });
    const retrievalId = randomUUID();
    await run(fake.activities, async (taskQueue) => {
      const handle = await env.client.workflow.start<typeof ocktoRetrievalWorkflow>('ocktoRetrievalWorkflow', {
        taskQueue,
        workflowId: workflowIds.ockto(retrievalId),
        args: [{ retrievalId }],
      });
      // The run waits out the retention after classifying: it is terminated once settled (the
      // outcome may still be being recorded when the query says 'classified'), also when the
      // test throws; a termination cutting off an activity locks the server's time skipping.
      await endWhenSettled(env, handle, async () => {
        // Wait until the session exists (the workflow says 'waiting'), without letting the test
        // server skip time: polling a query on an explicit state, not a fixed pause.
        await eventually(async () => (await handle.query(ocktoStateQuery).catch(() => undefined))?.status === 'waiting');
        expect((await handle.query(ocktoStateQuery)).status).toBe('waiting');
        const before = await env.currentTimeMs();
        shared = true;
        await handle.signal(ocktoCallbackSignal, { eventId: 'evt-1' });
        // Wait for the explicit state change the callback causes (the guard only bounds a failure).
        const state = await eventually(async () => {
          const s = await handle.query(ocktoStateQuery);
          return s.status === 'waiting' ? undefined : s;
        });
        expect(state.status).toBe('classified');
        expect(state.riskClass).toBe('Laag');
        expect((await env.currentTimeMs()) - before).toBeLessThan(HOUR);
      });
    });
  }, 60_000);
});
