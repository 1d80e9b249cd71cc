/**
 * The one writer of the process tables: `process_definitions` (published versions, immutable
 * once written) and `process_drafts` (one work-in-progress draft per process key).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ProcessDefinition } from '../../domain/process/definition.js';
import { newId } from '../../db/ids.js';

export const ownedTables = ['process_definitions', 'process_drafts'] as const;

/** Creates or replaces the draft of `key`. */
export async function upsertDraft(
  em: EntityManager,
  d: { key: string; baseVersion: number | null; definition: Record<string, unknown>; valid: boolean; actor: string },
): Promise<void> {
  await em.execute(
    `insert into process_drafts (key, base_version, definition, valid, updated_by, updated_at)
     values (?, ?, ?::jsonb, ?, ?, now())
     on conflict (key) do update set base_version = excluded.base_version, definition = excluded.definition,
       valid = excluded.valid, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
    [d.key, d.baseVersion, JSON.stringify(d.definition), d.valid, d.actor],
  );
}

/** Removes the draft of `key`; false when there was none. */
export async function deleteDraftRow(em: EntityManager, key: string): Promise<boolean> {
  const deleted = await em.execute('delete from process_drafts where key = ? returning key', [key], 'all');
  return (deleted as unknown[]).length > 0;
}

/**
 * Publishes a definition as its (key, version), once: a version that exists is never changed
 * (published versions are immutable). True when it was written now.
 */
export async function insertPublishedVersion(em: EntityManager, def: ProcessDefinition): Promise<boolean> {
  const result = (await em.execute(
    `insert into process_definitions (id, key, version, product_type, name, definition, published_at)
     values (?, ?, ?, ?, ?, ?::jsonb, clock_timestamp()) on conflict (key, version) do nothing`,
    [newId(), def.key, def.version, def.productType, def.name, JSON.stringify(def)],
    'run',
  )) as { affectedRows?: number };
  return (result.affectedRows ?? 0) > 0;
}
