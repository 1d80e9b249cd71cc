/**
 * `tsx db/migrate.ts`: applies pending migrations to DATABASE_URL (from the validated settings) and prints them.
 * Fails loudly (non-zero exit, message on stderr) when anything is wrong.
 */
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { loadSettings } from '../config/settings.js';
import { createOrm } from './orm.js';

/** The session-level advisory lock that serialises migration runs on one database (any fixed bigint). */
export const MIGRATE_LOCK_KEY = 7_340_221_022n;

/**
 * Applies the pending migrations. Runs one at a time per database: a second `migrate` started
 * meanwhile (two starts, a scaled-out deployment whose one-shot ran twice) waits on a PostgreSQL
 * advisory lock, then finds nothing left to apply, instead of racing the first into "relation
 * already exists". API and worker never migrate; `npm start` and the compose `migrate` one-shot
 * run this before they start them.
 */
export async function migrate(databaseUrl: string, log: (line: string) => void = console.log): Promise<string[]> {
  const lock = new pg.Client({ connectionString: databaseUrl });
  await lock.connect();
  try {
    await lock.query('select pg_advisory_lock($1)', [MIGRATE_LOCK_KEY.toString()]);
    const orm = await createOrm(databaseUrl);
    try {
      const applied = await orm.migrator.up();
      const names = applied.map((m) => m.name);
      if (names.length === 0) log('migrate: database is up to date');
      for (const name of names) log(`migrate: applied ${name}`);
      return names;
    } finally {
      await orm.close(true);
    }
  } finally {
    // Ending the session releases the lock too; unlocking first says so explicitly.
    await lock.query('select pg_advisory_unlock($1)', [MIGRATE_LOCK_KEY.toString()]).catch(() => undefined);
    await lock.end().catch(() => undefined);
  }
}

async function main(): Promise<void> {
  const settings = (() => {
    try {
      return loadSettings();
    } catch (err) {
      console.error(`migrate: FAILED: ${err instanceof Error ? err.message : String(err)}`);
      return process.exit(2);
    }
  })();
  const url = settings.databaseUrl;
  if (!url) {
    console.error('migrate: FAILED: DATABASE_URL is not set');
    process.exit(2);
  }
  try {
    await migrate(url);
  } catch (err) {
    console.error(`migrate: FAILED: ${err instanceof Error ? err.message : String(err)}`);
    if (err instanceof Error && err.stack) console.error(err.stack);
    process.exit(1);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) void main();
