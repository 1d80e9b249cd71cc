/**
 * MikroORM for PostgreSQL. One `MikroORM` per process; every request or activity works in
 * its own `orm.em.fork()` (the global context is disabled, so forgetting to fork fails).
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';
import type { MigrationObject } from '@mikro-orm/core';
import { MikroORM, PostgreSqlDriver, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import pg from 'pg';
import { parseInt8 } from './column-values.js';
import { entities } from './entities/index.js';

/**
 * `int8` (bigint money columns, counts) is read as a JS number through parseInt8, which refuses
 * a value beyond Number.MAX_SAFE_INTEGER instead of rounding it; pg's default hands over text,
 * which arithmetic would silently concatenate. Set on pg's type table, which MikroORM's
 * connections fall back to for every type they do not override (dates stay text).
 */
pg.types.setTypeParser(pg.types.builtins.INT8, parseInt8);

export const migrationsDir = fileURLToPath(new URL('../migrations/', import.meta.url));

export interface CreateOrmOptions {
  debug?: boolean;
  /**
   * Connection pool size (default min 0, max DEFAULT_POOL_MAX). The worker sizes it with
   * DB_POOL_MAX against its activity concurrency: with 10, a bulk invoice run spent most of each
   * activity waiting for a connection.
   */
  pool?: { min?: number; max?: number };
  /** Extra MikroORM options, merged last. */
  extra?: Partial<Options>;
}

/**
 * Loads the migration classes from `migrations/` ourselves (through the running module
 * loader: tsx, vitest or compiled JS), so the migrator works the same everywhere.
 * Files are named `Migration<yyyymmddhhmmss>_<name>.ts` and export one class of that name.
 */
export async function loadMigrations(dir = migrationsDir): Promise<MigrationObject[]> {
  const files = readdirSync(dir)
    .filter((f) => /^Migration\d{14}_?\w*\.(ts|js|mjs)$/.test(f) && !f.endsWith('.d.ts'))
    .sort();
  const list: MigrationObject[] = [];
  for (const file of files) {
    const name = file.replace(/\.(ts|js|mjs)$/, '');
    if (list.some((m) => m.name === name)) continue; // .ts and compiled .js side by side
    const mod = (await import(pathToFileURL(path.join(dir, file)).href)) as Record<string, unknown>;
    const cls = mod[name] ?? Object.values(mod).find((v) => typeof v === 'function');
    if (typeof cls !== 'function') throw new Error(`migration ${file} exports no class named ${name}`);
    list.push({ name, class: cls as MigrationObject['class'] });
  }
  return list;
}

/** The default maximum of pooled connections per process (settings: DB_POOL_MAX). */
export const DEFAULT_POOL_MAX = 20;

export async function createOrm(databaseUrl: string, opts: CreateOrmOptions = {}): Promise<MikroORM> {
  if (!databaseUrl) throw new Error('createOrm: databaseUrl is required');
  const migrationsList = await loadMigrations();
  return MikroORM.init({
    driver: PostgreSqlDriver,
    clientUrl: databaseUrl,
    entities,
    extensions: [Migrator],
    allowGlobalContext: false,
    debug: opts.debug ?? false,
    pool: { min: opts.pool?.min ?? 0, max: opts.pool?.max ?? DEFAULT_POOL_MAX },
    // No reflection: entities are defineEntity schemas.
    discovery: { warnWhenNoEntities: true },
    migrations: {
      path: migrationsDir,
      pathTs: migrationsDir,
      glob: 'Migration*.{js,ts}',
      migrationsList,
      tableName: 'mikro_orm_migrations',
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      emit: 'ts',
      silent: true,
    },
    ...opts.extra,
  });
}

export type { MikroORM };
