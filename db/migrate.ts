/**
 * `tsx db/migrate.ts`: applies pending migrations to DATABASE_URL (from the validated settings) and prints them.
 * Fails loudly (non-zero exit, message on stderr) when anything is wrong.
 */
import { pathToFileURL } from 'node:url';
import { loadSettings } from '../config/settings.js';
import { createOrm } from './orm.js';

export async function migrate(databaseUrl: string, log: (line: string) => void = console.log): Promise<string[]> {
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
