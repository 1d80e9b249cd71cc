/**
 * The one writer of the template tables: `templates` (published versions of mail and document
 * templates, never changed once written) and `template_drafts` (one draft per key).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { TemplateKind } from '../../db/entities/index.js';
import { newId } from '../../db/ids.js';

export const ownedTables = ['templates', 'template_drafts'] as const;

/** Creates or replaces the draft of `key`. */
export async function upsertTemplateDraft(
  em: EntityManager,
  d: { key: string; baseVersion: number | null; kind: TemplateKind; subject: string | null; body: string; actor: string },
): Promise<void> {
  await em.execute(
    `insert into template_drafts (key, base_version, kind, subject, body, updated_by, updated_at) values (?, ?, ?, ?, ?, ?, now())
     on conflict (key) do update set base_version = excluded.base_version, kind = excluded.kind, subject = excluded.subject,
       body = excluded.body, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
    [d.key, d.baseVersion, d.kind, d.subject, d.body, d.actor],
  );
}

/** Removes the draft of `key`. */
export async function deleteTemplateDraft(em: EntityManager, key: string): Promise<void> {
  await em.execute('delete from template_drafts where key = ?', [key]);
}

/** Publishes a template version, once: an existing (key, version) is never changed. True when written now. */
export async function insertTemplateVersion(
  em: EntityManager,
  t: { key: string; version: number; kind: TemplateKind; subject: string | null; body: string },
): Promise<boolean> {
  const result = (await em.execute(
    `insert into templates (id, key, version, kind, subject, body, created_at) values (?, ?, ?, ?, ?, ?, clock_timestamp())
     on conflict (key, version) do nothing`,
    [newId(), t.key, t.version, t.kind, t.subject, t.body],
    'run',
  )) as { affectedRows?: number };
  return (result.affectedRows ?? 0) > 0;
}
