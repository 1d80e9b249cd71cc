/**
 * The mailbox poller workflow (`mailbox:<officeId>`) on the time-skipping test server with a typed
 * fake of its activity: a poll at once and then one per interval (server time), "poll now" and a
 * new interval cut the wait short, a failing poll is retried and then counted while the loop goes
 * on, continue-as-new carries the totals, and the history holds the office id and counts only.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { activityInfo } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import type { MailboxActivities, PollMailboxInput, PollMailboxResult } from '../../activities/mailbox.contract.js';
import { workflowIds } from '../../domain/workflow-ids.js';
import type { mailboxWorkflow } from '../../workflows/index.js';
import { mailboxIntervalSignal, mailboxPollNowSignal, mailboxStateQuery, type MailboxPollerInput } from '../../workflows/mailbox/mailbox.messages.js';
import { endWhenSettled, eventually, settle, timeSkippingEnv, workflowBundle } from './product-harness.js';

const env = timeSkippingEnv('file');

const SECOND = 1000;
type Outcome = 'ok' | 'fail' | 'not-configured';

function fakePoll(plan: Outcome[] = []) {
  const calls: { input: PollMailboxInput; attempt: number; scheduledAt: number }[] = [];
  const activities: MailboxActivities = {
    async pollMailbox(input): Promise<PollMailboxResult> {
      const info = activityInfo();
      calls.push({ input, attempt: info.attempt, scheduledAt: info.currentAttemptScheduledTimestampMs });
      const outcome = plan[calls.length - 1] ?? 'ok';
      if (outcome === 'fail') throw ApplicationFailure.create({ type: 'MailboxUnavailable', message: 'IMAP server unreachable' });
      if (outcome === 'not-configured') throw ApplicationFailure.create({ type: 'MailboxNotConfigured', message: 'no mailbox', nonRetryable: true });
      return { fetched: 2, stored: 1, duplicates: 1, matched: 1, unmatched: 0, rescanned: false };
    },
  };
  const polls = () => calls.filter((c) => c.attempt === 1);
  return { activities, calls, polls };
}

type Handle = WorkflowHandleWithFirstExecutionRunId<typeof mailboxWorkflow>;

async function withPoller<T>(activities: MailboxActivities, input: MailboxPollerInput, fn: (handle: Handle) => Promise<T>): Promise<T> {
  const taskQueue = `mailbox-${randomUUID()}`;
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: await workflowBundle(), activities });
  return worker.runUntil(async () => {
    const handle = await env.client.workflow.start<typeof mailboxWorkflow>('mailboxWorkflow', { taskQueue, workflowId: workflowIds.mailbox(input.officeId), args: [input] });
    return endWhenSettled(env, env.client.workflow.getHandle(handle.workflowId), () => fn(handle));
  });
}

const gaps = (times: number[]): number[] => times.slice(1).map((t, i) => t - times[i]!);

describe('mailbox poller workflow', () => {
  it('polls at once, then once per interval (server time), for its office; history holds ids and counts only', async () => {
    const fake = fakePoll();
    const officeId = randomUUID();
    await withPoller(fake.activities, { officeId, intervalSeconds: 60 }, async (handle) => {
      await eventually(async () => fake.polls().length >= 1);
      await env.sleep(5 * 60 * SECOND);
      await eventually(async () => fake.polls().length >= 5);
      await settle(handle);
      const state = await handle.query(mailboxStateQuery);
      expect(state).toMatchObject({ intervalSeconds: 60, failedPolls: 0, lastPoll: { fetched: 2, stored: 1 } });
      expect(state.stored).toBe(state.polls);
      for (const gap of gaps(fake.polls().map((c) => c.scheduledAt))) {
        expect(gap).toBeGreaterThanOrEqual(60 * SECOND);
        expect(gap).toBeLessThan(61 * SECOND);
      }
      expect(fake.calls.every((c) => JSON.stringify(c.input) === JSON.stringify({ officeId }))).toBe(true);
      // The activity's input and results in the history: the office id and counts, nothing else.
      const keys = new Set<string>();
      const collect = (v: unknown): void => {
        if (!v || typeof v !== 'object') return;
        for (const [k, inner] of Object.entries(v)) {
          keys.add(k);
          collect(inner);
        }
      };
      JSON.stringify(await handle.fetchHistory(), (key, value: unknown) => {
        if (key === 'payloads' && Array.isArray(value)) {
          for (const p of value as { data?: string | Uint8Array }[]) if (p.data) collect(JSON.parse(Buffer.from(p.data as string, typeof p.data === 'string' ? 'base64' : undefined).toString('utf8')));
        }
        return value;
      });
      expect([...keys].sort()).toEqual(['duplicates', 'fetched', 'intervalSeconds', 'matched', 'officeId', 'rescanned', 'stored', 'unmatched']);
    });
  });

  it('"poll now" ends the wait; a new interval re-plans it; an invalid interval is ignored', async () => {
    const fake = fakePoll();
    await withPoller(fake.activities, { officeId: randomUUID(), intervalSeconds: 3600 }, async (handle) => {
      await eventually(async () => fake.polls().length >= 1);
      await handle.signal(mailboxPollNowSignal);
      await eventually(async () => fake.polls().length >= 2);
      await handle.signal(mailboxIntervalSignal, 1);
      await handle.signal(mailboxIntervalSignal, 120);
      await eventually(async () => (await handle.query(mailboxStateQuery)).intervalSeconds === 120);
      await env.sleep(5 * 60 * SECOND);
      await eventually(async () => fake.polls().length >= 4);
      for (const gap of gaps(fake.polls().slice(1).map((c) => c.scheduledAt))) expect(gap).toBeLessThan(121 * SECOND);
    });
  });

  it('retries a failing poll; one that fails for good is counted and the loop goes on', async () => {
    // Poll 1: fails once, then fine. Poll 2: fails all 3 attempts. Poll 3: not configured (not retried).
    const fake = fakePoll(['fail', 'ok', 'fail', 'fail', 'fail', 'not-configured']);
    await withPoller(fake.activities, { officeId: randomUUID(), intervalSeconds: 60 }, async (handle) => {
      await eventually(async () => fake.polls().length >= 1);
      await env.sleep(5 * 60 * SECOND);
      await eventually(async () => fake.polls().length >= 4);
      expect(fake.calls.slice(0, 7).map((c) => c.attempt)).toEqual([1, 2, 1, 2, 3, 1, 1]);
      await settle(handle);
      const state = await handle.query(mailboxStateQuery);
      expect(state.failedPolls).toBe(2);
      expect((await handle.describe()).status.name).toBe('RUNNING');
    });
  });

  it('continues as new after pollsPerRun polls, carrying its office, interval and totals', async () => {
    const fake = fakePoll();
    const officeId = randomUUID();
    await withPoller(fake.activities, { officeId, intervalSeconds: 60, pollsPerRun: 2 }, async (handle) => {
      await eventually(async () => fake.polls().length >= 1);
      await env.sleep(5 * 60 * SECOND);
      await eventually(async () => fake.polls().length >= 5);
      const first = await env.client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId).describe();
      expect(first.status.name).toBe('CONTINUED_AS_NEW');
      const latest = env.client.workflow.getHandle<typeof mailboxWorkflow>(handle.workflowId);
      await settle(latest);
      const state = await latest.query(mailboxStateQuery);
      expect(state.polls).toBeGreaterThanOrEqual(5);
      expect(state.pollsThisRun).toBeLessThanOrEqual(2);
      expect(state.stored).toBe(state.polls);
      expect(fake.calls.every((c) => c.input.officeId === officeId)).toBe(true);
    });
  });
});
