/**
 * The pay-out workflow against the time-skipping test server with in-memory activities: nothing
 * is booked before approval; approval books, makes the file, and waits (durably, for weeks) for
 * the bank; a bank signal before the file is ignored; the statement's signal settles it once;
 * a second approval and a cancel after approval are refused by the validators; a cancelled
 * pay-out books nothing.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import type { PayoutActivities } from '../../activities/ledger.contract.js';
import { workflowIds } from '../../domain/workflow-ids.js';
import type { payoutWorkflow } from '../../workflows/index.js';
import { approvePayoutUpdate, cancelPayoutUpdate, payoutBookedSignal, payoutStateQuery } from '../../workflows/ledger/payout.messages.js';
import { eventually, timeSkippingEnv, workflowBundle } from './product-harness.js';

const env = timeSkippingEnv('each');

function fakeActivities() {
  const calls: string[] = [];
  const activities: PayoutActivities = {
    async approvePayout(i) {
      calls.push(`approve:${i.approvedBy}`);
      return { entryId: 'e1' };
    },
    async createPayoutFile() {
      calls.push('file');
      return { endToEndId: 'RCU-1' };
    },
    async settlePayout(i) {
      calls.push(`settle:${i.bookedOn}`);
      return { entryId: 'e2' };
    },
    async cancelPayout() {
      calls.push('cancel');
    },
  };
  return { activities, calls };
}

async function run(fn: (start: () => ReturnType<typeof env.client.workflow.start<typeof payoutWorkflow>>, calls: string[]) => Promise<void>): Promise<void> {
  const { activities, calls } = fakeActivities();
  const taskQueue = `payout-${randomUUID()}`;
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: await workflowBundle(), activities });
  const id = randomUUID();
  await worker.runUntil(fn(() => env.client.workflow.start<typeof payoutWorkflow>('payoutWorkflow', { taskQueue, workflowId: workflowIds.payout(id), args: [{ payoutId: id }] }), calls));
}

describe('payout workflow', () => {
  it('approve → file → waits weeks for the bank → settled once', async () => {
    await run(async (start, calls) => {
      const h = await start();
      await h.signal(payoutBookedSignal, { bookedOn: '2026-01-01' }); // before approval: ignored
      await env.sleep('3 days');
      expect(calls).toEqual([]);
      expect((await h.executeUpdate(approvePayoutUpdate, { args: [{ approvedBy: 'admin-1' }] })).approvedBy).toBe('admin-1');
      await expect(h.executeUpdate(approvePayoutUpdate, { args: [{ approvedBy: 'admin-2' }] })).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
      await expect(h.executeUpdate(cancelPayoutUpdate, { args: [] })).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
      await eventually(async () => (await h.query(payoutStateQuery)).status === 'file_created');
      await env.sleep('30 days');
      expect((await h.query(payoutStateQuery)).status).toBe('file_created');
      await h.signal(payoutBookedSignal, { bookedOn: '2026-02-03' });
      const result = await h.result();
      expect(result).toMatchObject({ status: 'settled', bookedOn: '2026-02-03' });
      expect(calls).toEqual(['approve:admin-1', 'file', 'settle:2026-02-03']);
    });
  });

  it('a cancelled pay-out books nothing and refuses approval', async () => {
    await run(async (start, calls) => {
      const h = await start();
      await h.executeUpdate(cancelPayoutUpdate, { args: [] });
      await expect(h.executeUpdate(approvePayoutUpdate, { args: [{ approvedBy: 'a' }] })).rejects.toThrow();
      expect((await h.result()).status).toBe('cancelled');
      expect(calls).toEqual(['cancel']);
    });
  });
});
