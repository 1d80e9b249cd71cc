/**
 * The campaign workflow against the time-skipping test server with typed in-memory activity
 * mocks: batches until every recipient is through, a batch retried after a crash halfway mails
 * nobody twice, pause / resume between batches, cancel after the current batch (the rest
 * 'cancelled'), and continue-as-new on long campaigns without losing the cursor.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ApplicationFailure } from '@temporalio/common';
import { Worker } from '@temporalio/worker';
import type { CampaignProgress, CampaignStatus, CampaignActivities, SendCampaignBatchInput } from '../../activities/campaigns.contract.js';
import { workflowIds } from '../../domain/workflow-ids.js';
import type { campaignWorkflow } from '../../workflows/index.js';
import { BATCHES_PER_RUN } from '../../workflows/campaigns/campaign.workflow.js';
import { campaignStateQuery, cancelCampaignSignal, pauseCampaignSignal, resumeCampaignSignal } from '../../workflows/campaigns/campaign.messages.js';
import { timeSkippingEnv, workflowBundle } from './product-harness.js';

const env = timeSkippingEnv('each');

type RecipientStatus = 'pending' | 'sent' | 'opted_out' | 'no_email' | 'failed' | 'cancelled';
interface FakeRecipient {
  personId: string;
  status: RecipientStatus;
  optOut: boolean;
}

interface FakeOptions {
  recipients: number;
  batchSize: number;
  batchIntervalMs?: number;
  /** Persons skipped at freeze time (opted out then). */
  frozenOptOut?: number[];
  /** Persons who opt out after the freeze: the activity finds it at send time. */
  laterOptOut?: number[];
  /** The first attempt of this batch (1-based) mails two recipients, then crashes. */
  crashInBatch?: number;
  /** Called after each batch attempt that completed (the n-th, 1-based). */
  afterBatch?: (n: number) => Promise<void>;
}

/** The campaign in memory; `mails` counts SMTP sends per outbox key. */
function fakeCampaign(campaignId: string, opts: FakeOptions) {
  const recipients: FakeRecipient[] = Array.from({ length: opts.recipients }, (_, i) => ({
    personId: `p${String(i + 1).padStart(4, '0')}`,
    status: opts.frozenOptOut?.includes(i + 1) ? 'opted_out' : 'pending',
    optOut: Boolean(opts.frozenOptOut?.includes(i + 1) || opts.laterOptOut?.includes(i + 1)),
  }));
  const mails = new Map<string, number>();
  const outbox = new Set<string>();
  const batchCalls: SendCampaignBatchInput[] = [];
  const statuses: CampaignStatus[] = [];
  let status: CampaignStatus = 'running';
  let completedBatches = 0;
  let crashed = false;

  const progress = (): CampaignProgress => {
    const n = (s: RecipientStatus[]): number => recipients.filter((r) => s.includes(r.status)).length;
    return { total: recipients.length, sent: n(['sent']), failed: n(['failed']), skipped: n(['opted_out', 'no_email']), cancelled: n(['cancelled']), pending: n(['pending']) };
  };

  const activities: CampaignActivities = {
    async loadCampaign() {
      return { campaignId, exists: true, status, batchSize: opts.batchSize, batchIntervalMs: opts.batchIntervalMs ?? 0, progress: progress() };
    },
    async sendCampaignBatch(input) {
      batchCalls.push(input);
      const after = input.afterRecipientId ? recipients.findIndex((r) => r.personId === input.afterRecipientId) : -1;
      const batch = recipients.slice(after + 1).filter((r) => r.status === 'pending').slice(0, input.batchSize);
      const attemptOfBatch = completedBatches + 1;
      let sentNow = 0;
      let skippedNow = 0;
      for (const [i, r] of batch.entries()) {
        if (opts.crashInBatch === attemptOfBatch && !crashed && i === 2) {
          crashed = true;
          throw ApplicationFailure.create({ type: 'MailUnavailable', message: 'worker died mid-batch (simulated)' });
        }
        if (r.optOut) {
          r.status = 'opted_out';
          skippedNow += 1;
          continue;
        }
        const key = `${workflowIds.campaign(campaignId)}/person:${r.personId}`;
        // The outbox: a key already sent is not sent again.
        if (!outbox.has(key)) {
          outbox.add(key);
          mails.set(key, (mails.get(key) ?? 0) + 1);
        }
        r.status = 'sent';
        sentNow += 1;
      }
      completedBatches += 1;
      await opts.afterBatch?.(completedBatches);
      const last = batch[batch.length - 1];
      return { processed: batch.length, sentNow, failedNow: 0, skippedNow, ...(last ? { lastRecipientId: last.personId } : {}), progress: progress() };
    },
    async recordCampaignStatus({ status: s }) {
      status = s;
      statuses.push(s);
      return progress();
    },
    async cancelCampaignRecipients() {
      for (const r of recipients) if (r.status === 'pending') r.status = 'cancelled';
      status = 'cancelled';
      statuses.push('cancelled');
      return progress();
    },
  };
  return { activities, recipients, mails, batchCalls, statuses, progress, status: () => status };
}

async function run<T>(activities: CampaignActivities, fn: (taskQueue: string) => Promise<T>): Promise<T> {
  const taskQueue = `campaign-${randomUUID()}`;
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: await workflowBundle(), activities });
  return worker.runUntil(() => fn(taskQueue));
}

const start = (taskQueue: string, campaignId: string) =>
  env.client.workflow.start<typeof campaignWorkflow>('campaignWorkflow', { taskQueue, workflowId: workflowIds.campaign(campaignId), args: [{ campaignId }] });

async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('campaign workflow', () => {
  it('works through the recipients in batches, each mailed once; opted-out persons (at freeze or at send time) are skipped', async () => {
    const campaignId = randomUUID();
    const fake = fakeCampaign(campaignId, { recipients: 23, batchSize: 5, batchIntervalMs: 30_000, frozenOptOut: [3], laterOptOut: [17] });
    const result = await run(fake.activities, async (taskQueue) => (await start(taskQueue, campaignId)).result());
    expect(result).toMatchObject({ state: 'completed', total: 23, sent: 21, skipped: 2, failed: 0, cancelled: 0, pending: 0, batches: 5 });
    expect(fake.batchCalls.map((c) => c.afterRecipientId)).toEqual([undefined, 'p0006', 'p0011', 'p0016', 'p0021']);
    expect(fake.batchCalls.every((c) => c.batchSize === 5)).toBe(true);
    expect(fake.mails.size).toBe(21);
    expect([...fake.mails.values()].every((n) => n === 1)).toBe(true);
    expect(fake.mails.has(`${workflowIds.campaign(campaignId)}/person:p0017`)).toBe(false);
    expect(fake.statuses).toEqual(['completed']);
  }, 60_000);

  it('a batch that crashes halfway is retried and mails nobody twice', async () => {
    const campaignId = randomUUID();
    const fake = fakeCampaign(campaignId, { recipients: 12, batchSize: 5, crashInBatch: 2 });
    const result = await run(fake.activities, async (taskQueue) => (await start(taskQueue, campaignId)).result());
    expect(result).toMatchObject({ state: 'completed', sent: 12, pending: 0 });
    // Batch 2 ran twice (crash, retry) with the same cursor.
    expect(fake.batchCalls.map((c) => c.afterRecipientId)).toEqual([undefined, 'p0005', 'p0005']);
    expect(fake.mails.size).toBe(12);
    expect([...fake.mails.values()].every((n) => n === 1)).toBe(true);
  }, 60_000);

  it('pause stops after the current batch until resumed; the campaign row follows (paused, running, completed)', async () => {
    const campaignId = randomUUID();
    let pausedOnce = false;
    const fake = fakeCampaign(campaignId, {
      recipients: 10,
      batchSize: 3,
      afterBatch: async (n) => {
        if (n === 1 && !pausedOnce) {
          pausedOnce = true;
          await env.client.workflow.getHandle(workflowIds.campaign(campaignId)).signal(pauseCampaignSignal);
        }
      },
    });
    const result = await run(fake.activities, async (taskQueue) => {
      const handle = await start(taskQueue, campaignId);
      await waitFor(async () => (await handle.query(campaignStateQuery)).state === 'paused', 'paused');
      const paused = await handle.query(campaignStateQuery);
      expect(paused).toMatchObject({ state: 'paused', sent: 3, pending: 7, batches: 1 });
      // Time passes (skipped by the test server): nothing is sent while paused.
      await env.sleep('2 days');
      expect(await handle.query(campaignStateQuery)).toMatchObject({ state: 'paused', sent: 3 });
      expect(fake.batchCalls).toHaveLength(1);
      await handle.signal(resumeCampaignSignal);
      return handle.result();
    });
    expect(result).toMatchObject({ state: 'completed', sent: 10, pending: 0, batches: 4 });
    expect(fake.statuses).toEqual(['paused', 'running', 'completed']);
    expect([...fake.mails.values()].every((n) => n === 1)).toBe(true);
  }, 60_000);

  it('cancel stops after the current batch; the recipients not reached are cancelled, none mailed', async () => {
    const campaignId = randomUUID();
    const fake = fakeCampaign(campaignId, {
      recipients: 20,
      batchSize: 4,
      batchIntervalMs: 60_000,
      afterBatch: async (n) => {
        if (n === 2) await env.client.workflow.getHandle(workflowIds.campaign(campaignId)).signal(cancelCampaignSignal);
      },
    });
    const result = await run(fake.activities, async (taskQueue) => (await start(taskQueue, campaignId)).result());
    expect(result).toMatchObject({ state: 'cancelled', total: 20, sent: 8, cancelled: 12, pending: 0, batches: 2 });
    expect(fake.mails.size).toBe(8);
    expect(fake.recipients.filter((r) => r.status === 'cancelled')).toHaveLength(12);
    expect(fake.status()).toBe('cancelled');
  }, 60_000);

  it('cancel while paused ends the campaign without another batch', async () => {
    const campaignId = randomUUID();
    const fake = fakeCampaign(campaignId, {
      recipients: 6,
      batchSize: 2,
      afterBatch: async (n) => {
        if (n === 1) await env.client.workflow.getHandle(workflowIds.campaign(campaignId)).signal(pauseCampaignSignal);
      },
    });
    const result = await run(fake.activities, async (taskQueue) => {
      const handle = await start(taskQueue, campaignId);
      await waitFor(async () => (await handle.query(campaignStateQuery)).state === 'paused', 'paused');
      await handle.signal(cancelCampaignSignal);
      return handle.result();
    });
    expect(result).toMatchObject({ state: 'cancelled', sent: 2, cancelled: 4 });
    expect(fake.batchCalls).toHaveLength(1);
    expect(fake.statuses).toEqual(['paused', 'cancelled']);
  }, 60_000);

  it('continues as new after many batches, keeping the cursor: everyone mailed exactly once', async () => {
    const campaignId = randomUUID();
    const n = BATCHES_PER_RUN + 15;
    const fake = fakeCampaign(campaignId, { recipients: n, batchSize: 1 });
    const result = await run(fake.activities, async (taskQueue) => {
      const handle = await start(taskQueue, campaignId);
      const final = await handle.result();
      // The first run ended by continuing as new; the handle followed into the next run.
      const firstRun = env.client.workflow.getHandle(workflowIds.campaign(campaignId), handle.firstExecutionRunId);
      expect((await firstRun.describe()).status.name).toBe('CONTINUED_AS_NEW');
      return final;
    });
    expect(result).toMatchObject({ state: 'completed', sent: n, pending: 0, batches: n });
    expect(fake.mails.size).toBe(n);
    expect(fake.batchCalls.filter((c) => c.afterRecipientId === undefined)).toHaveLength(1);
  }, 120_000);
});
