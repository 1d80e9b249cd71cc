/**
 * Mail and document templates, versioned like process definitions: a draft per key (replaced
 * on save), publish = insert version max + 1 into `templates` (never updated). Activities
 * always render the newest version of a key (activities/support.ts loadTemplate).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { deleteTemplateDraft, insertTemplateVersion, upsertTemplateDraft } from './store.js';
import type { TemplateDraftInput } from '../process/schemas.js';
import { DomainError, refuse } from '../../domain/errors.js';
import { isoInstant, one, rows } from '../../db/sql.js';

type Kind = 'mail' | 'document';

export async function listTemplates(em: EntityManager) {
  const found = await rows<{ key: string; kind: Kind; latest: number; versions: unknown; updated_at: unknown; has_draft: boolean }>(
    em,
    `select t.key, (array_agg(t.kind order by t.version desc))[1] as kind, max(t.version) as latest, count(*) as versions,
            max(t.created_at) as updated_at, exists (select 1 from template_drafts d where d.key = t.key) as has_draft
       from templates t group by t.key order by t.key`,
  );
  return found.map((r) => ({
    key: r.key,
    kind: r.kind,
    latestVersion: Number(r.latest),
    versions: Number(r.versions),
    updatedAt: isoInstant(r.updated_at) ?? '',
    hasDraft: r.has_draft === true,
  }));
}

export async function templateVersions(em: EntityManager, key: string) {
  const found = await rows<{ key: string; version: number; kind: Kind; subject: string | null; body: string; created_at: unknown }>(
    em,
    'select key, version, kind, subject, body, created_at from templates where key = ? order by version',
    [key],
  );
  if (found.length === 0) throw refuse.notFound('Template', key);
  return found.map((r) => ({ key: r.key, version: Number(r.version), kind: r.kind, subject: r.subject, body: r.body, createdAt: isoInstant(r.created_at) ?? '' }));
}

interface DraftRow {
  key: string;
  base_version: number | null;
  kind: Kind;
  subject: string | null;
  body: string;
  updated_by: string;
  updated_at: unknown;
  [k: string]: unknown;
}

const draftView = (r: DraftRow) => ({
  key: r.key,
  baseVersion: r.base_version === null ? null : Number(r.base_version),
  kind: r.kind,
  subject: r.subject,
  body: r.body,
  updatedBy: r.updated_by,
  updatedAt: isoInstant(r.updated_at) ?? '',
});

async function latestTemplate(em: EntityManager, key: string): Promise<{ version: number; kind: Kind } | undefined> {
  const row = await one<{ version: number; kind: Kind }>(em, 'select version, kind from templates where key = ? order by version desc limit 1', [key]);
  return row ? { version: Number(row.version), kind: row.kind } : undefined;
}

export async function saveTemplateDraft(em: EntityManager, key: string, body: TemplateDraftInput, actor: string) {
  if (body.kind === 'mail' && !body.subject) throw new DomainError('unprocessable', 'subject-required', 'A mail template needs a subject');
  const latest = await latestTemplate(em, key);
  if (latest && latest.kind !== body.kind) {
    throw new DomainError('unprocessable', 'kind-changed', `Template "${key}" is a ${latest.kind} template; a new version cannot change its kind`);
  }
  await upsertTemplateDraft(em, {
    key,
    baseVersion: latest?.version ?? null,
    kind: body.kind,
    subject: body.kind === 'mail' ? body.subject! : (body.subject ?? null),
    body: body.body,
    actor,
  });
  const row = await one<DraftRow>(em, 'select * from template_drafts where key = ?', [key]);
  return draftView(row!);
}

export async function getTemplateDraft(em: EntityManager, key: string) {
  const row = await one<DraftRow>(em, 'select * from template_drafts where key = ?', [key]);
  if (!row) throw refuse.notFound('Template draft', key);
  return draftView(row);
}

export async function publishTemplateDraft(em: EntityManager, key: string): Promise<{ key: string; version: number }> {
  return em.transactional(async (tem) => {
    await tem.execute('select pg_advisory_xact_lock(hashtext(?))', [`template:${key}`]);
    const row = await one<DraftRow>(tem, 'select * from template_drafts where key = ? for update', [key]);
    if (!row) throw refuse.notFound('Template draft', key);
    const latest = await latestTemplate(tem, key);
    if (latest && row.base_version !== null && Number(row.base_version) < latest.version) {
      throw new DomainError('conflict', 'draft-outdated', `Version ${latest.version} of template "${key}" was published after this draft was started; save it again`);
    }
    const version = (latest?.version ?? 0) + 1;
    // Under the advisory lock the version is free: a second insert of it would be a bug, not a repeat.
    if (!(await insertTemplateVersion(tem, { key, version, kind: row.kind, subject: row.subject, body: row.body }))) {
      throw new Error(`template ${key} version ${version} exists already`);
    }
    await deleteTemplateDraft(tem, key);
    return { key, version };
  });
}
