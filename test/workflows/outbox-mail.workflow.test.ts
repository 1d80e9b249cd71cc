/**
 * The outbox mail workflow (`mail:<mailId>`) against the time-skipping test server with a typed
 * in-memory delivery activity: an SMTP server that is away (MailUnavailable) is tried again with
 * backoff until the mail goes out; a refusal by the server (MailRejected) is not retried; a second
 * start for the same mail is refused by Temporal (one delivery per mail).
 */
import { describe, expect, it } from 'vitest';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { Worker } from '@temporalio/worker';
import type { MailDeliveryActivities } from '../../activities/work.contract.js';
import { workflowIds } from '../../domain/workflow-ids.js';
import type { outboxMailWorkflow } from '../../workflows/index.js';
import { timeSkippingEnv, workflowBundle } from './product-harness.js';

const env = timeSkippingEnv('each');

/** A delivery that answers with `outcomes` in turn ('ok', or the failure type) and records when it was tried. */
function delivery(outcomes: readonly ('ok' | 'MailUnavailable' | 'MailRejected')[]) {
  const triedAtMs: number[] = [];
  const activities: MailDeliveryActivities = {
    async deliverOutboxMail() {
      triedAtMs.push(await env.currentTimeMs());
      const outcome = outcomes[Math.min(triedAtMs.length - 1, outcomes.length - 1)]!;
      if (outcome === 'ok') return;
      throw ApplicationFailure.create({ type: outcome, message: `SMTP: ${outcome}`, nonRetryable: outcome === 'MailRejected' });
    },
  };
  return { activities, triedAtMs };
}

async function run(activities: MailDeliveryActivities, fn: (taskQueue: string) => Promise<void>): Promise<void> {
  const taskQueue = `mail-${Math.random().toString(36).slice(2)}`;
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: await workflowBundle(), activities });
  await worker.runUntil(() => fn(taskQueue));
}

describe('outbox mail workflow', () => {
  it('tries again with growing waits while the SMTP server is away, until the mail goes out', async () => {
    const d = delivery(['MailUnavailable', 'MailUnavailable', 'MailUnavailable', 'ok']);
    await run(d.activities, async (taskQueue) => {
      const result = await env.client.workflow.execute<typeof outboxMailWorkflow>('outboxMailWorkflow', { taskQueue, workflowId: workflowIds.mail('m-1'), args: [{ mailId: 'm-1' }] });
      expect(result).toEqual({ mailId: 'm-1' });
    });
    expect(d.triedAtMs).toHaveLength(4);
    const waits = d.triedAtMs.slice(1).map((t, i) => t - d.triedAtMs[i]!);
    expect(waits[0]).toBeGreaterThanOrEqual(30_000);
    expect(waits[1]).toBeGreaterThanOrEqual(2 * waits[0]! - 1_000);
  });

  it('keeps trying for about two days, not for ever', async () => {
    const d = delivery(['MailUnavailable']);
    await run(d.activities, async (taskQueue) => {
      const handle = await env.client.workflow.start<typeof outboxMailWorkflow>('outboxMailWorkflow', { taskQueue, workflowId: workflowIds.mail('m-2'), args: [{ mailId: 'm-2' }] });
      await expect(handle.result()).rejects.toThrow();
    });
    const span = d.triedAtMs.at(-1)! - d.triedAtMs[0]!;
    expect(span).toBeGreaterThan(36 * 3_600_000);
    expect(span).toBeLessThan(72 * 3_600_000);
  });

  it('does not retry a mail the SMTP server refused', async () => {
    const d = delivery(['MailRejected', 'ok']);
    await run(d.activities, async (taskQueue) => {
      const handle = await env.client.workflow.start<typeof outboxMailWorkflow>('outboxMailWorkflow', { taskQueue, workflowId: workflowIds.mail('m-3'), args: [{ mailId: 'm-3' }] });
      await expect(handle.result()).rejects.toThrow();
    });
    expect(d.triedAtMs).toHaveLength(1);
  });

  it('starts one delivery per mail: a second start for the same mail is refused while the first runs', async () => {
    const d = delivery(['MailUnavailable', 'ok']);
    await run(d.activities, async (taskQueue) => {
      const options = { taskQueue, workflowId: workflowIds.mail('m-4'), args: [{ mailId: 'm-4' }] as [{ mailId: string }] };
      const first = await env.client.workflow.start<typeof outboxMailWorkflow>('outboxMailWorkflow', options);
      await expect(env.client.workflow.start<typeof outboxMailWorkflow>('outboxMailWorkflow', options)).rejects.toBeInstanceOf(WorkflowExecutionAlreadyStartedError);
      await first.result();
    });
    expect(d.triedAtMs).toHaveLength(2);
  });
});
