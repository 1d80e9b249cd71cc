/**
 * Thin helpers for the read models and writes of the API. Each request works on its own
 * forked EntityManager; inside `em.transactional` the same helpers run in the transaction.
 */
import type { EntityManager } from '@mikro-orm/postgresql';

export type Row = Record<string, unknown>;

export async function rows<T extends Row = Row>(em: EntityManager, sql: string, params: unknown[] = []): Promise<T[]> {
  return (await em.execute(sql, params as never[], 'all')) as T[];
}

export async function one<T extends Row = Row>(em: EntityManager, sql: string, params: unknown[] = []): Promise<T | undefined> {
  const result = await rows<T>(em, sql, params);
  return result[0];
}

/** A calendar date column (pg `date`) as `YYYY-MM-DD`, whatever the driver returned. */
export { isoDate } from './column-values.js';

/** A timestamp column as ISO 8601. */
export function isoInstant(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  const d = new Date(String(value));
  return Number.isNaN(d.getTime()) ? String(value) : d.toISOString();
}

/** Escapes `%`, `_` and `\` for a LIKE pattern. */
export function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function looksLikeUuid(value: string): boolean {
  return UUID.test(value);
}

/**
 * A PostgreSQL array literal (`{"a","b"}`) for one `?::text[]` / `?::uuid[]` parameter: the
 * query builder expands a JS array into a list of parameters, so a whole list travels as one
 * string. Elements are quoted, backslashes and quotes escaped.
 */
export function pgArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}
