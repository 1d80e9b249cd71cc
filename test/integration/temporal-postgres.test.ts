/**
 * The Temporal server on PostgreSQL (integrations/temporal/postgres-server.ts): schemas set up in
 * two fresh databases on the test PostgreSQL server, the namespace registered, the real worker
 * runs a product step through the real activities, and after a restart of the server on the
 * same databases the workflow is still there (its state lives in PostgreSQL, not in memory).
 * Skipped when the optional build is missing (`bash scripts/temporal-postgres.sh build`: several
 * minutes and ~1 GB of Go modules the first time; npm test does not build it).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import type { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { startWorker, type RunningWorker } from '../../activities/worker.js';
import { temporalServerDir } from '../../config/tools.js';
import { dropTestDatabase, withDatabase } from '../../db/embedded-postgres.js';
import { createOrm } from '../../db/orm.js';
import { serviceProcessV1 } from '../../domain/processes/index.js';
import { workflowIds } from '../../domain/workflow-ids.js';
import { serverBinaries, startTemporalPostgresServer, type PostgresServer } from '../../integrations/temporal/postgres-server.js';
import { takeStepUpdate, type ProductWorkflowInput } from '../../workflows/products/product.messages.js';
import { createFixture, startSmtpPeer, testDatabase, type SmtpPeer, type TestDatabase } from './support.js';

const binDir = temporalServerDir();
const built = existsSync(serverBinaries(binDir).server) && existsSync(serverBinaries(binDir).sqlTool);

describe.skipIf(!built)('Temporal server on PostgreSQL', () => {
  let db: TestDatabase;
  let smtp: SmtpPeer;
  let orm: MikroORM;
  let temporal: PostgresServer | undefined;
  let running: RunningWorker | undefined;
  const dbs = { main: `temporal_it_${process.pid}`, visibility: `temporal_it_${process.pid}_visibility` };
  const dir = mkdtempSync(path.join(tmpdir(), 'df-temporal-pg-'));
  let postgres: { host: string; port: number; user: string; password: string };
  const start = () => startTemporalPostgresServer({ binDir, postgres, databases: dbs, port: 0, dataDir: dir, log: () => {} });

  beforeAll(async () => {
    [db, smtp] = await Promise.all([testDatabase(), startSmtpPeer()]);
    const u = new URL(db.url);
    postgres = { host: u.hostname, port: Number(u.port || 5432), user: decodeURIComponent(u.username), password: decodeURIComponent(u.password) };
    for (const name of [dbs.main, dbs.visibility]) await dropTestDatabase(db.url, name);
    orm = await createOrm(db.url);
  }, 120_000);

  afterAll(async () => {
    await running?.stop();
    await temporal?.stop();
    await orm?.close(true);
    for (const name of [dbs.main, dbs.visibility]) await dropTestDatabase(db.url, name).catch(() => undefined);
    await smtp?.stop();
    await db?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs a product step with the real worker, and keeps the workflow across a restart', async () => {
    temporal = await start();
    const taskQueue = `temporal-pg-test-${process.pid}`;
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
    const input: ProductWorkflowInput = { productId: f.productId, dossierId: f.dossierId, definition: serviceProcessV1, startedBy: 'user-1' };
    const workflowId = workflowIds.product(f.productId);
    let connection = await Connection.connect({ address: temporal.address });
    try {
      const client = new Client({ connection });
      const handle = await client.workflow.start('productWorkflow', { taskQueue, workflowId, args: [input] });
      const state = await handle.executeUpdate(takeStepUpdate, { args: [{ stepId: 'choose-checklist', actor: 'user-1', input: { profile: 'starter' } }] });
      expect(state.status).toBe('checklist-chosen');
    } finally {
      await connection.close();
    }
    const checklists = await orm.em.fork().execute<{ profile: string }[]>('select profile from checklists where product_id = ?', [f.productId]);
    expect(checklists).toEqual([{ profile: 'starter' }]);

    // Its execution is a row in Temporal's own database.
    const tdb = new pg.Client({ connectionString: withDatabase(db.url, dbs.main) });
    await tdb.connect();
    try {
      const rows = await tdb.query<{ n: string }>('select count(*)::text as n from current_executions where workflow_id = $1', [workflowId]);
      expect(rows.rows[0]?.n).toBe('1');
    } finally {
      await tdb.end();
    }

    // Restart the server on the same databases: the workflow and its state are still there.
    await running.stop();
    running = undefined;
    await temporal.stop();
    temporal = await start();
    connection = await Connection.connect({ address: temporal.address });
    try {
      const handle = new Client({ connection }).workflow.getHandle(workflowId);
      const described = await handle.describe();
      expect(described.status.name).toBe('RUNNING');
      await handle.terminate('test done');
    } finally {
      await connection.close();
    }
  }, 300_000);
});
