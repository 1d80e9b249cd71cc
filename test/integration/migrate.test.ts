/**
 * db/migrate.ts under scale-out: two migration runs started at once on one fresh database (two
 * starts, a one-shot run twice) are serialised by the advisory lock: both succeed, every
 * migration is applied exactly once, by one of them.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { projectRoot } from '../../config/settings.js';
import { createTestDatabase, dropTestDatabase } from '../../db/embedded-postgres.js';
import { migrate } from '../../db/migrate.js';

const name = `dossierflow_migrate_race_${process.pid}`;
const baseUrl = inject('databaseUrl');

afterAll(async () => {
  await dropTestDatabase(baseUrl, name);
});

describe('migrate', () => {
  it('applies every migration once when two runs start at the same moment', async () => {
    const url = await createTestDatabase(baseUrl, name);
    const [a, b] = await Promise.all([migrate(url, () => undefined), migrate(url, () => undefined)]);
    const files = readdirSync(path.join(projectRoot, 'migrations')).filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts'));
    // One run applied them all, the other found nothing left.
    expect([a.length, b.length].sort((x, y) => x - y)).toEqual([0, files.length]);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ name: string; n: number }>('select name, count(*)::int as n from mikro_orm_migrations group by name');
      expect(rows).toHaveLength(files.length);
      expect(rows.every((r) => r.n === 1)).toBe(true);
    } finally {
      await client.end();
    }
  }, 180_000);
});
