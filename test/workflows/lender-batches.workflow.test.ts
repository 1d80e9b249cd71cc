/**
 * Lender messages delivered in batches (services/hdn/delivery.ts): one `lenderMessage` signal
 * carrying several messages is applied as the same messages one signal each would be (arrival
 * order, one history entry and one outcome each), and a message id handled already is skipped
 * (LENDER_DEDUPE_PATCH): the API may signal a message twice after a crash between the signal and
 * the mark of its row. Time-skipping test server, typed activity mocks.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { mortgageProcessV1 } from '../../domain/processes/index.js';
import { workflowIds } from '../../domain/workflow-ids.js';
import type { productWorkflow } from '../../workflows/index.js';
import { lenderMessageSignal, productStateQuery, takeStepUpdate, type LenderMessage } from '../../workflows/products/product.messages.js';
import { createTimeSkippingEnv, endWhenSettled, eventually, mockActivities, workflowBundle, type MockControl } from './product-harness.js';

let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  await workflowBundle();
}, 120_000);

afterAll(async () => {
  await env?.teardown();
});

const sx = (messageId: string, statusCode: string): LenderMessage => ({ messageId, type: 'SX', statusCode, applicationNumber: '100001', applicationVersion: 1 });

/** A mortgage product with its application sent, on a worker with mock activities. */
async function withSentApplication(fn: (handle: WorkflowHandle<typeof productWorkflow>, mock: MockControl) => Promise<void>): Promise<void> {
  const mock = mockActivities();
  const taskQueue = `lender-batches-${randomUUID()}`;
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: await workflowBundle(), activities: mock.activities });
  const productId = randomUUID();
  await worker.runUntil(async () => {
    const handle = await env.client.workflow.start<typeof productWorkflow>('productWorkflow', {
      taskQueue,
      workflowId: workflowIds.product(productId),
      args: [{ productId, dossierId: 'dossier-1', definition: mortgageProcessV1, startedBy: 'user-1' }],
    });
    await endWhenSettled(
      env,
      handle,
      async () => {
        await eventually(async () => (await handle.query(productStateQuery)).history.length === 1);
        await handle.executeUpdate(takeStepUpdate, { args: [{ stepId: 'send-application', actor: 'user-1' }] });
        await fn(handle, mock);
        // Settled: no recording activity left open when the product is ended (see mortgage.workflow.test.ts).
        await eventually(async () => mock.callsOf('recordLenderMessages').length > 0);
      },
      () => mock.releaseHeld(),
    );
  });
}

const marked = (mock: MockControl): string[] => mock.callsOf('markHdnMessage').map((c) => `${c.messageId}:${c.outcome}`);

describe('product workflow: lender messages in batches', () => {
  it('applies the messages of one signal in their order, each with its own history entry and outcome', async () => {
    await withSentApplication(async (handle, mock) => {
      await handle.signal(lenderMessageSignal, sx('b-1', '09'), sx('b-2', '10'), sx('b-3', '22'));
      await eventually(async () => marked(mock).length === 3);
      expect(marked(mock)).toEqual(['b-1:applied', 'b-2:applied', 'b-3:applied']);
      const state = await handle.query(productStateQuery);
      expect(state.status).toBe('renteaanbod');
      expect(state.history.filter((h) => h.label.startsWith('SX ')).map((h) => h.label.slice(0, 5))).toEqual(['SX 09', 'SX 10', 'SX 22']);
      expect(state.application?.sxReceived).toEqual(['09', '10', '22']);
    });
  });

  it('skips a message id it handled already: in a later signal and twice in one signal', async () => {
    await withSentApplication(async (handle, mock) => {
      await handle.signal(lenderMessageSignal, sx('d-1', '09'));
      await eventually(async () => marked(mock).length === 1);
      // The API crashed after signalling d-1 and the lender resent it; d-2 comes twice in one signal.
      await handle.signal(lenderMessageSignal, sx('d-1', '09'), sx('d-2', '10'), sx('d-2', '10'));
      await eventually(async () => marked(mock).includes('d-2:applied'));
      // A signal of duplicates only records nothing, and the product goes on after it.
      await handle.signal(lenderMessageSignal, sx('d-2', '10'));
      await handle.signal(lenderMessageSignal, sx('d-3', '22'));
      await eventually(async () => marked(mock).includes('d-3:applied'));
      expect(marked(mock)).toEqual(['d-1:applied', 'd-2:applied', 'd-3:applied']);
      const state = await handle.query(productStateQuery);
      expect(state.status).toBe('renteaanbod');
      expect(state.history.filter((h) => h.label.startsWith('SX '))).toHaveLength(3);
      expect(state.application?.sxReceived).toEqual(['09', '10', '22']);
    });
  });
});
