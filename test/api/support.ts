/**
 * Support for API tests: a real PostgreSQL (DATABASE_URL from the vitest global setup, or
 * `inject('databaseUrl')`), an own office with one credential per role, the shipped process
 * definitions published (idempotent), and a Temporal stub for routes that need no workflow.
 */
import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../api/app.js';
import { temporalHealthCheck } from '../../integrations/temporal/health.js';
import { inject } from 'vitest';
import { Office } from '../../db/entities/index.js';
import { issueCredential } from '../../services/access/store.js';
import { newId } from '../../db/ids.js';
import { createOrm, type MikroORM } from '../../db/orm.js';
import type { Role } from '../../domain/roles.js';
import { shippedProcesses } from '../../domain/processes/index.js';
import { insertPublishedVersion } from '../../services/process/store.js';
import { insertTemplateVersion } from '../../services/templates/store.js';
import { defaultTemplates } from '../../services/templates/defaults.js';
import type { AppDeps, TemporalDeps } from '../../api/types.js';

export function databaseUrl(): string {
  let injected: unknown;
  try {
    injected = (inject as (key: string) => unknown)('databaseUrl');
  } catch {
    injected = undefined;
  }
  const url = typeof injected === 'string' && injected ? injected : process.env.DATABASE_URL;
  if (!url) throw new Error('API tests need a PostgreSQL: DATABASE_URL (or the vitest global setup) is not set');
  return url;
}

export async function openOrm(): Promise<MikroORM> {
  return createOrm(databaseUrl(), { pool: { min: 0, max: 4 } });
}

export interface TestOffice {
  officeId: string;
  tokens: Record<'adviser' | 'designer' | 'admin' | 'lender', string>;
  credentialIds: Record<'adviser' | 'designer' | 'admin' | 'lender', string>;
}

/** A fresh office with one credential per role used in the tests. */
export async function createTestOffice(orm: MikroORM, name = 'Testkantoor'): Promise<TestOffice> {
  const em = orm.em.fork();
  const officeId = newId();
  em.create(Office, { id: officeId, name: `${name} ${officeId.slice(0, 8)}` });
  await em.flush();
  const tokens = {} as TestOffice['tokens'];
  const credentialIds = {} as TestOffice['credentialIds'];
  for (const role of ['adviser', 'designer', 'admin', 'lender'] as const satisfies readonly Role[]) {
    const issued = await issueCredential(orm.em.fork(), { officeId, name: `test ${role}`, role });
    tokens[role] = issued.token;
    credentialIds[role] = issued.id;
  }
  return { officeId, tokens, credentialIds };
}

/**
 * Publishes the shipped definitions and the default templates their mail and document actions
 * use, unless present (tests never assume empty tables).
 */
export async function ensureShippedProcesses(orm: MikroORM): Promise<void> {
  const em = orm.em.fork();
  for (const def of shippedProcesses) await insertPublishedVersion(em, def);
  for (const t of defaultTemplates) await insertTemplateVersion(em, { key: t.key, version: 1, kind: t.kind, subject: t.subject, body: t.body });
}

/** Temporal deps for routes that need no workflow; `failStart`/`unhealthy` simulate an outage. */
export function temporalStub(opts: { unhealthy?: boolean; failStart?: boolean } = {}): TemporalDeps & { started: unknown[] } {
  const started: unknown[] = [];
  const client = {
    withDeadline: <R>(_deadline: number | Date, fn: () => Promise<R>) => fn(),
    workflow: {
      start: async (_wf: unknown, options: unknown) => {
        if (opts.failStart) throw new Error('14 UNAVAILABLE: connect ECONNREFUSED 127.0.0.1:7233');
        started.push(options);
        return {};
      },
      getHandle: () => {
        throw new Error('temporal stub: no workflows here');
      },
    },
  } as unknown as Client;
  return {
    client,
    taskQueue: 'api-test',
    started,
    checkHealth: async () => {
      if (opts.unhealthy) throw new Error('14 UNAVAILABLE: connect ECONNREFUSED 127.0.0.1:7233');
    },
  };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/**
 * A unique-ish person so tests do not collide with each other or with earlier runs. The address
 * is one of the duplicate check's reasons (same postcode and house number): the letters are random
 * too, so two persons of one test office share an address about once in 6 million pairs, not once
 * in 9,000 (which made a test file with dozens of persons fail now and then with a 409).
 */
export function uniquePerson(overrides: Record<string, unknown> = {}) {
  const n = Math.floor(Math.random() * 9000) + 1000;
  const letter = () => String.fromCharCode(97 + Math.floor(Math.random() * 26));
  const tag = newId().slice(0, 8);
  return {
    firstName: 'Anna',
    lastName: `Jansen-${tag}`,
    birthDate: '1990-04-12',
    email: `anna.${tag}@example.nl`,
    address: { street: 'Dorpsstraat', houseNumber: n, postcode: `${n} ${letter()}${letter()}`, city: 'Utrecht' },
    ...overrides,
  };
}

export interface AppWithWorker {
  app: FastifyInstance;
  /** Closes the app, stops the worker, closes the Temporal connection. */
  stop(): Promise<void>;
}

/**
 * The API (for `inject`) over the real Temporal of the global setup, with an in-process worker on
 * its own task queue sharing `orm`: for routes whose answer comes from a running workflow.
 */
export async function startAppWithWorker(orm: MikroORM, taskQueue: string, extra: Pick<AppDeps, 'hdn' | 'live'> = {}): Promise<AppWithWorker> {
  const address = process.env.TEMPORAL_ADDRESS;
  if (!address) throw new Error('TEMPORAL_ADDRESS is not set (the vitest global setup provides it)');
  const namespace = process.env.TEMPORAL_NAMESPACE ?? 'default';
  const connection = await Connection.connect({ address });
  try {
    const { startWorker } = await import('../../activities/worker.js');
    const worker = await startWorker({
      databaseUrl: databaseUrl(),
      temporalAddress: address,
      temporalNamespace: namespace,
      taskQueue,
      smtpUrl: process.env.SMTP_URL ?? 'smtp://127.0.0.1:2525',
      publicUrl: 'http://localhost:3000',
      mailFrom: 'dossierflow <noreply@dossierflow.local>',
      // Invoice runs start at once, whatever the hour the tests run (INVOICE_RUN_HOUR; the 06:00 start is the workflow tests' to check).
      invoiceRunHour: 0,
      orm,
    });
    const client = new Client({ connection, namespace });
    const app = buildApp({ orm, temporal: { client, taskQueue, checkHealth: temporalHealthCheck(connection), invoiceRunHour: 0 }, ...extra });
    await app.ready();
    return {
      app,
      stop: async () => {
        await app.close();
        await worker.stop();
        await connection.close();
      },
    };
  } catch (err) {
    await connection.close();
    throw err;
  }
}
