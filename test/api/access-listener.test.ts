/**
 * The listener that hears credential changes of other processes (services/access/access-listener.ts,
 * trigger of migration 20261215110000): a revocation by SQL empties this process's remembered bearer
 * tokens; after its connection is killed it listens again by itself, and the next revocation is heard.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessListener } from '../../services/access/access-listener.js';
import { PrincipalCache } from '../../services/access/principal-cache.js';
import type { MikroORM } from '../../db/orm.js';
import { createTestOffice, databaseUrl, openOrm } from './support.js';

let orm: MikroORM;

beforeAll(async () => {
  orm = await openOrm();
});

afterAll(async () => {
  await orm?.close(true);
});

async function sql<T>(text: string, params: unknown[] = []): Promise<T[]> {
  return orm.em.fork().execute<T[]>(text, params as never[]);
}

/** Waits (at most ~10 s) until `done` holds; true when it did. */
async function until(done: () => boolean | Promise<boolean>): Promise<boolean> {
  for (let i = 0; i < 400; i++) {
    if (await done()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return done();
}

const backendsNamed = async (name: string): Promise<number[]> =>
  (await sql<{ pid: number }>('select pid from pg_stat_activity where application_name = ?', [name])).map((r) => r.pid);

describe('AccessListener', () => {
  it('empties the remembered tokens at a revocation by SQL, and again after its connection was killed', async () => {
    const office = await createTestOffice(orm, 'Luisterkantoor');
    const name = `access listener test ${randomUUID()}`;
    // A time to live beyond the test: only what the listener hears can empty it.
    const cache = new PrincipalCache<string>(10 * 60_000).open();
    const listener = new AccessListener(databaseUrl(), undefined, name);
    try {
      await listener.start();
      expect(listener.listening).toBe(true);
      const [first] = await backendsNamed(name);
      expect(first).toBeTypeOf('number');

      cache.set('bearer:a', 'principal a', cache.generation);
      expect(cache.get('bearer:a')).toBe('principal a');
      await sql('update api_credentials set revoked_at = now() where id = ?', [office.credentialIds.adviser]);
      expect(await until(() => cache.size === 0)).toBe(true);

      // The connection goes (PostgreSQL restarted, a DBA's pg_terminate_backend): it comes back.
      await sql('select pg_terminate_backend(?)', [first]);
      expect(await until(async () => listener.listening && (await backendsNamed(name)).some((pid) => pid !== first))).toBe(true);

      cache.set('bearer:b', 'principal b', cache.generation);
      expect(cache.get('bearer:b')).toBe('principal b');
      await sql('update api_credentials set role = ? where id = ?', ['designer', office.credentialIds.admin]);
      expect(await until(() => cache.size === 0)).toBe(true);
    } finally {
      await listener.close();
      cache.close();
    }
    expect(await until(async () => (await backendsNamed(name)).length === 0)).toBe(true);
  });
});
