/**
 * The one SQL primitive of anonymisation: rewrite a person's identifiers in given columns of the
 * rows of a table that match a condition. It writes the table it is given, so only the table's
 * owning store (services/<feature>/store.ts) may call it, with its own table name as a literal
 * (test/unit/table-writers.test.ts counts `scrubRows(em, '<table>', ...)` as a write of that table).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { rows, type Row } from '../../db/sql.js';
import { likePatterns, needlePattern, redactJson, REDACTED, scrubJson, scrubText } from './scrub.js';

/** The person's dossiers, split by whether they are its only applicant (services/privacy/anonymise.ts dossierScopeOf). */
export interface DossierScope {
  sole: string[];
  shared: string[];
  all: string[];
}

/** `(?, ?, ...)` for an IN list; never empty (an impossible uuid stands in for "none"). */
export function inList(ids: readonly string[]): { sql: string; params: string[] } {
  const list = ids.length > 0 ? [...ids] : ['00000000-0000-0000-0000-000000000000'];
  return { sql: `(${list.map(() => '?').join(', ')})`, params: list };
}

/** Rows changed by an `execute(..., 'run')` (its result type does not say so). */
export async function affectedRows(em: EntityManager, sql: string, params: unknown[]): Promise<number> {
  const result = (await em.execute(sql, params as never[], 'run')) as { affectedRows?: number; rowCount?: number };
  return Number(result.affectedRows ?? result.rowCount ?? 0);
}

export interface ColumnSpec {
  name: string;
  kind: 'text' | 'jsonb';
  /** Never null in the schema: a fully redacted value must stay a string. */
  notNull?: boolean;
}

/**
 * Replaces needles (or redacts whole, `mode: 'redact'`) in the given columns of the rows that
 * match `where`; a prefilter `ilike any(...)` keeps the scan to rows that contain a needle.
 * Returns how many rows changed.
 */
export async function scrubRows(
  em: EntityManager,
  table: string,
  key: string,
  columns: ColumnSpec[],
  where: { sql: string; params: unknown[] },
  needles: string[],
  mode: 'scrub' | 'redact' = 'scrub',
): Promise<number> {
  if (mode === 'scrub' && needles.length === 0) return 0;
  const patterns = likePatterns(needles);
  const prefilter =
    mode === 'redact'
      ? columns.map((c) => `${c.name} is not null`).join(' or ')
      : columns.map((c) => `${c.name}::text ilike any(array[?]::text[])`).join(' or ');
  const found = await rows<Row>(
    em,
    `select ${key} as _key, ${columns.map((c) => c.name).join(', ')} from ${table} where (${where.sql}) and (${prefilter}) for update`,
    [...where.params, ...(mode === 'redact' ? [] : columns.map(() => patterns))],
  );
  const pattern = needlePattern(needles);
  let changed = 0;
  for (const row of found) {
    const sets: string[] = [];
    const params: unknown[] = [];
    for (const c of columns) {
      const before = row[c.name];
      if (before === null || before === undefined) continue;
      if (c.kind === 'jsonb') {
        const after = mode === 'redact' ? redactJson(before) : scrubJson(before, pattern);
        if (JSON.stringify(after) !== JSON.stringify(before)) {
          sets.push(`${c.name} = ?::jsonb`);
          params.push(JSON.stringify(after));
        }
      } else {
        const text = String(before);
        const after = mode === 'redact' ? (text.trim() === '' ? text : REDACTED) : scrubText(text, pattern);
        if (after !== text) {
          sets.push(`${c.name} = ?`);
          params.push(after);
        }
      }
    }
    if (sets.length === 0) continue;
    await em.execute(`update ${table} set ${sets.join(', ')} where ${key} = ?`, [...params, row._key] as never[]);
    changed += 1;
  }
  return changed;
}
