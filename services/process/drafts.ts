/**
 * Drafts of process definitions and publishing them as immutable numbered versions.
 *
 * A draft is saved even when it is invalid (designers save work in progress); every save and
 * every read answers the validation. Publishing validates again inside a transaction that
 * holds a per-key advisory lock, and inserts version = max + 1: a published version is never
 * updated. The draft is removed once published.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { deleteDraftRow, insertPublishedVersion, upsertDraft } from './store.js';
import type { ProcessDefinition } from '../../domain/process/definition.js';
import { definitionWarnings, validateDefinition, type DefinitionProblem, type TemplateKind } from '../../domain/process/rules.js';
import type { ProcessDraftView, ValidationResult } from './schemas.js';
import { getDefinition, latestVersionOf } from './definitions.js';
import { DomainError, refuse } from '../../domain/errors.js';
import { isoInstant, one, rows } from '../../db/sql.js';
import { diffDefinitions, type DefinitionDiff } from '../../domain/process/diff.js';

interface DraftRow {
  key: string;
  base_version: number | null;
  definition: unknown;
  updated_by: string;
  updated_at: unknown;
  [k: string]: unknown;
}

function parse(value: unknown): Record<string, unknown> {
  return (typeof value === 'string' ? JSON.parse(value) : value) as Record<string, unknown>;
}

/** The templates that exist (newest version's kind per key). */
export async function knownTemplates(em: EntityManager): Promise<Map<string, TemplateKind>> {
  const found = await rows<{ key: string; kind: TemplateKind }>(
    em,
    'select distinct on (key) key, kind from templates order by key, version desc',
  );
  return new Map(found.map((r) => [r.key, r.kind]));
}

/**
 * The full designer validation: the schema and references, the flow (steps that can never
 * run, statuses of category new without a way out), templates that do not exist, and a
 * product type that differs from the published versions of the key (products could not move
 * between them). Warnings never block.
 */
export async function validateForPublish(em: EntityManager, key: string, definition: unknown): Promise<ValidationResult> {
  const problems: DefinitionProblem[] = validateDefinition(definition, { flow: true, templates: await knownTemplates(em) });
  // Warnings (and the product type check) need a structurally sound definition; flow errors do not stop them.
  const sound = problems.length === 0 || validateDefinition(definition).length === 0;
  const warnings: DefinitionProblem[] = sound ? definitionWarnings(definition as ProcessDefinition) : [];
  if (sound) {
    const def = definition as ProcessDefinition;
    const latest = await latestVersionOf(em, key);
    const previous = latest === undefined ? undefined : await getDefinition(em, key, latest);
    if (previous && previous.productType !== def.productType) {
      problems.push({
        path: '/productType',
        message: `Process "${key}" is for product type "${previous.productType}" (version ${previous.version}); a new version cannot change it`,
      });
    }
  }
  return { ok: problems.length === 0, problems, warnings };
}

/** key and version belong to the server: the URL's key, the version publishing would create. */
function normalise(key: string, definition: Record<string, unknown>, nextVersion: number): Record<string, unknown> {
  return { ...definition, key, version: nextVersion };
}

async function view(em: EntityManager, row: DraftRow): Promise<ProcessDraftView> {
  const nextVersion = ((await latestVersionOf(em, row.key)) ?? 0) + 1;
  const definition = normalise(row.key, parse(row.definition), nextVersion);
  return {
    key: row.key,
    baseVersion: row.base_version === null ? null : Number(row.base_version),
    nextVersion,
    definition,
    updatedBy: row.updated_by,
    updatedAt: isoInstant(row.updated_at) ?? '',
    validation: await validateForPublish(em, row.key, definition),
  };
}

async function findDraft(em: EntityManager, key: string): Promise<DraftRow | undefined> {
  return one<DraftRow>(em, 'select key, base_version, definition, updated_by, updated_at from process_drafts where key = ?', [key]);
}

export async function requireDraft(em: EntityManager, key: string): Promise<ProcessDraftView> {
  const row = await findDraft(em, key);
  if (!row) throw refuse.notFound('Process draft', key);
  return view(em, row);
}

/** Creates or replaces the draft of `key`; answers it with its validation. */
export async function saveDraft(
  em: EntityManager,
  key: string,
  body: { definition: Record<string, unknown>; baseVersion?: number },
  actor: string,
): Promise<ProcessDraftView> {
  const latest = await latestVersionOf(em, key);
  if (body.baseVersion !== undefined && !(await getDefinition(em, key, body.baseVersion))) {
    throw new DomainError('unprocessable', 'unknown-base-version', `Process "${key}" has no published version ${body.baseVersion}`);
  }
  const base = body.baseVersion ?? latest ?? null;
  const definition = normalise(key, body.definition, (latest ?? 0) + 1);
  const valid = validateDefinition(definition).length === 0;
  await upsertDraft(em, { key, baseVersion: base, definition, valid, actor });
  return requireDraft(em, key);
}

export async function deleteDraft(em: EntityManager, key: string): Promise<void> {
  if (!(await deleteDraftRow(em, key))) throw refuse.notFound('Process draft', key);
}

/**
 * Publishes the draft as version max + 1. Refused (422, every problem with its path, nothing
 * published) when invalid; 409 when another version was published since the draft's base.
 */
export async function publishDraft(em: EntityManager, key: string): Promise<{ key: string; version: number }> {
  return em.transactional(async (tem) => {
    await tem.execute('select pg_advisory_xact_lock(hashtext(?))', [`process-definition:${key}`]);
    const row = await one<DraftRow>(tem, 'select key, base_version, definition, updated_by, updated_at from process_drafts where key = ? for update', [key]);
    if (!row) throw refuse.notFound('Process draft', key);
    const latest = await latestVersionOf(tem, key);
    const base = row.base_version === null ? null : Number(row.base_version);
    if (latest !== undefined && base !== null && base < latest) {
      throw new DomainError('conflict', 'draft-outdated',
        `Version ${latest} of "${key}" was published after this draft was started from version ${base}: compare (GET /process-definitions/${key}/diff?from=${base}&to=${latest}), then save the draft again with baseVersion ${latest}`,
        { baseVersion: base, latestVersion: latest },
      );
    }
    const version = (latest ?? 0) + 1;
    const definition = normalise(key, parse(row.definition), version);
    const result = await validateForPublish(tem, key, definition);
    if (!result.ok) {
      throw new DomainError('unprocessable', 'invalid-process-definition',
        `The draft of "${key}" has ${result.problems.length} problem(s) and was not published: ${result.problems
          .slice(0, 5)
          .map((p) => `${p.path}: ${p.message}`)
          .join('; ')}`,
        { errors: result.problems, problems: result.problems },
      );
    }
    const def = definition as unknown as ProcessDefinition;
    // Under the advisory lock the version is free: a second insert of it would be a bug, not a repeat.
    if (!(await insertPublishedVersion(tem, def))) throw new Error(`process ${key} version ${version} exists already`);
    await deleteDraftRow(tem, key);
    return { key, version };
  });
}

/**
 * What the draft changes against a published version (default its base): the same structured
 * diff as between two published versions, `toVersion` being the version publishing would make.
 * Refused (422) while the draft is not a sound definition (the diff needs statuses and steps).
 */
export async function diffDraft(em: EntityManager, key: string, against: number | undefined): Promise<DefinitionDiff> {
  const draft = await requireDraft(em, key);
  const version = against ?? draft.baseVersion ?? undefined;
  if (version === undefined) throw new DomainError('unprocessable', 'no-published-version', `Process "${key}" has no published version to compare with`);
  const published = await getDefinition(em, key, version);
  if (!published) throw refuse.notFound('Process definition', `${key} version ${version}`);
  if (validateDefinition(draft.definition).length > 0) {
    throw new DomainError('unprocessable', 'draft-not-sound', `The draft of "${key}" has structural problems; fix them before comparing`);
  }
  return diffDefinitions(published, draft.definition as unknown as ProcessDefinition);
}
