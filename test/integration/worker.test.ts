/**
 * startWorker in-process against a real Temporal dev server: the worker bundles the
 * workflows, runs a product workflow whose step calls the real activities, and stops
 * gracefully. Needs the Temporal CLI from `npm run install:tools` (npm test installs it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import type { MikroORM } from '@mikro-orm/postgresql';
import { startWorker, type RunningWorker } from '../../activities/worker.js';
import { startTemporalDevServer, type DevServer } from '../../integrations/temporal/dev-server.js';
import { toolPaths } from '../../integrations/temporal/tools.js';
import { createOrm } from '../../db/orm.js';
import { serviceProcessV1 } from '../../domain/processes/index.js';
import { takeStepUpdate, type ProductWorkflowInput } from '../../workflows/products/product.messages.js';
import { workflowIds } from '../../domain/workflow-ids.js';
import { createFixture, startSmtpPeer, testDatabase, type SmtpPeer, type TestDatabase } from './support.js';

const cli = toolPaths().temporalCli;

describe('activities/worker startWorker', () => {
  let db: TestDatabase;
  let smtp: SmtpPeer;
  let temporal: DevServer;
  let orm: MikroORM;
  let running: RunningWorker | undefined;
  let connection: Connection;
  const taskQueue = `worker-test-${process.pid}`;

  beforeAll(async () => {
    [db, smtp, temporal] = await Promise.all([
      testDatabase(),
      startSmtpPeer(),
      startTemporalDevServer({ cli, port: 0, headless: true, ephemeral: true, log: () => {} }),
    ]);
    orm = await createOrm(db.url);
    connection = await Connection.connect({ address: temporal.address });
  }, 120_000);

  afterAll(async () => {
    await running?.stop();
    await connection?.close();
    await orm?.close(true);
    await temporal?.stop();
    await smtp?.stop();
    await db?.stop();
  });

  it('runs a product step through the real activities and stops gracefully', async () => {
    running = await startWorker({
      databaseUrl: db.url,
      temporalAddress: temporal.address,
      temporalNamespace: 'default',
      taskQueue,
      smtpUrl: smtp.url,
      publicUrl: 'http://localhost:3000',
      mailFrom: 'noreply@test.nl',
    });
    const f = await createFixture(orm);
    const client = new Client({ connection });
    const input: ProductWorkflowInput = { productId: f.productId, dossierId: f.dossierId, definition: serviceProcessV1, startedBy: 'user-1' };
    const handle = await client.workflow.start('productWorkflow', { taskQueue, workflowId: workflowIds.product(f.productId), args: [input] });
    const state = await handle.executeUpdate(takeStepUpdate, { args: [{ stepId: 'choose-checklist', actor: 'user-1', input: { profile: 'starter' } }] });
    expect(state.status).toBe('checklist-chosen');
    const em = orm.em.fork();
    const checklists = await em.execute<{ profile: string }[]>('select profile from checklists where product_id = ?', [f.productId]);
    expect(checklists).toEqual([{ profile: 'starter' }]);
    // recordTransition may run in the background: wait for the product row to follow.
    // Polls the explicit state; the deadline only bounds a failure (generous for a loaded machine).
    let status = '';
    const deadline = Date.now() + 60_000;
    for (;;) {
      const [row] = await em.execute<{ status: string }[]>('select status from products where id = ?', [f.productId]);
      status = row?.status ?? '';
      if (status === 'checklist-chosen' || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(status).toBe('checklist-chosen');
    await handle.terminate('test done');
    await running.stop();
    expect(running.worker.getState()).toBe('STOPPED');
  }, 120_000);
});
