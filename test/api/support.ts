/**
 * Support for API tests: a real PostgreSQL (DATABASE_URL from the vitest global setup, or
 * `inject('databaseUrl')`), an own office with one credential per role, the shipped process
 * definitions published (idempotent), and a Temporal stub for routes that need no workflow.
 */
import type { Client } from '@temporalio/client';
import { inject } from 'vitest';
import { Office } from '../../db/entities/index.js';
import { issueCredential } from '../../db/credentials.js';
import { newId } from '../../db/ids.js';
import { createOrm, type MikroORM } from '../../db/orm.js';
import type { Role } from '../../domain/roles.js';
import { shippedProcesses } from '../../domain/processes/index.js';
import type { TemporalDeps } from '../../api/types.js';

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

/** Publishes the shipped definitions unless present (tests never assume empty tables). */
export async function ensureShippedProcesses(orm: MikroORM): Promise<void> {
  const em = orm.em.fork();
  for (const def of shippedProcesses) {
    await em.execute(
      `insert into process_definitions (id, key, version, product_type, name, definition)
       values (?, ?, ?, ?, ?, ?::jsonb) on conflict (key, version) do nothing`,
      [newId(), def.key, def.version, def.productType, def.name, JSON.stringify(def)],
    );
  }
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

/** A unique-ish person so tests do not collide with each other or with earlier runs. */
export function uniquePerson(overrides: Record<string, unknown> = {}) {
  const n = Math.floor(Math.random() * 9000) + 1000;
  const tag = newId().slice(0, 8);
  return {
    firstName: 'Anna',
    lastName: `Jansen-${tag}`,
    birthDate: '1990-04-12',
    email: `anna.${tag}@example.nl`,
    address: { street: 'Dorpsstraat', houseNumber: n, postcode: `${n} ab`, city: 'Utrecht' },
    ...overrides,
  };
}
