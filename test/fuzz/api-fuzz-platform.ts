/**
 * The platform the API fuzz runs against: a database of its own (created on the given PostgreSQL
 * and migrated, because the fuzz publishes process definitions and templates, which are not per
 * office), the real Temporal server with an in-process worker on a task queue of its own, and the
 * API listening on a loopback port, as `npm start` runs it. One office with a credential per role.
 */
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../api/app.js';
import { createTestDatabase } from '../../db/embedded-postgres.js';
import { newId } from '../../db/ids.js';
import { migrate } from '../../db/migrate.js';
import { createOrm } from '../../db/orm.js';
import { temporalHealthCheck } from '../../integrations/temporal/health.js';
import { Office } from '../../db/entities/index.js';
import { shippedProcesses } from '../../domain/processes/index.js';
import { issueCredential } from '../../services/access/store.js';
import { insertPublishedVersion } from '../../services/process/store.js';
import { defaultTemplates } from '../../services/templates/defaults.js';
import { insertTemplateVersion } from '../../services/templates/store.js';
import { fuzzRoles, type FuzzRole } from './api-fuzz.js';

export interface FuzzPlatformOptions {
  /** A PostgreSQL server; the fuzz creates its own database there. */
  databaseUrl: string;
  temporalAddress: string;
  temporalNamespace?: string;
  smtpUrl: string;
}

export interface FuzzPlatform {
  baseUrl: string;
  tokens: Record<FuzzRole, string>;
  app: FastifyInstance;
  stop(): Promise<void>;
}

export async function startFuzzPlatform(opts: FuzzPlatformOptions): Promise<FuzzPlatform> {
  const stops: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
  };
  try {
    const databaseUrl = await createTestDatabase(opts.databaseUrl, `dossierflow_fuzz_${process.pid}_${newId().slice(0, 8)}`);
    await migrate(databaseUrl, () => undefined);
    const orm = await createOrm(databaseUrl, { pool: { min: 0, max: 8 } });
    stops.push(() => orm.close(true));
    // As test/api/support.ts does (not imported: it needs vitest, and `npm run fuzz:api` runs without it).
    const em = orm.em.fork();
    const officeId = newId();
    em.create(Office, { id: officeId, name: `Fuzzkantoor ${officeId.slice(0, 8)}` });
    await em.flush();
    const tokens = {} as Record<FuzzRole, string>;
    for (const role of fuzzRoles) tokens[role] = (await issueCredential(orm.em.fork(), { officeId, name: `fuzz ${role}`, role })).token;
    for (const def of shippedProcesses) await insertPublishedVersion(orm.em.fork(), def);
    for (const t of defaultTemplates) await insertTemplateVersion(orm.em.fork(), { key: t.key, version: 1, kind: t.kind, subject: t.subject, body: t.body });
    const namespace = opts.temporalNamespace ?? 'default';
    const taskQueue = `api-fuzz-${newId().slice(0, 8)}`;
    const { startWorker } = await import('../../activities/worker.js');
    const worker = await startWorker({
      databaseUrl,
      temporalAddress: opts.temporalAddress,
      temporalNamespace: namespace,
      taskQueue,
      smtpUrl: opts.smtpUrl,
      publicUrl: 'http://localhost:3000',
      mailFrom: 'dossierflow <noreply@dossierflow.local>',
      orm,
    });
    stops.push(() => worker.stop());
    const connection = await Connection.connect({ address: opts.temporalAddress });
    stops.push(() => connection.close());
    const client = new Client({ connection, namespace });
    // The fuzz explores the contract, not the abuse guard: the per-credential party rate limit
    // (PARTY_RATE_LIMIT, api/plugins/rate-limit.ts; tested in test/api/abuse.test.ts) is lifted
    // so that no operation is answered 429 instead of being exercised.
    const app = buildApp({ orm, temporal: { client, taskQueue, checkHealth: temporalHealthCheck(connection) }, rateLimit: { partyMax: 1_000_000_000, windowSeconds: 60 } });
    stops.push(() => app.close());
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as AddressInfo;
    return {
      baseUrl: `http://127.0.0.1:${port}`,
      tokens,
      app,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
