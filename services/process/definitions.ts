/**
 * Published process definitions. A published version is immutable, so it is cached per
 * (key, version) for the life of the process.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ProcessDefinition, StepInputField } from '../../domain/process/definition.js';
import { availableSteps, statusOf } from '../../domain/process/rules.js';
import type { AvailableStepView } from '../products/schemas.js';
import { isoInstant, one, rows } from '../../db/sql.js';

const cache = new Map<string, ProcessDefinition>();

function parse(value: unknown): ProcessDefinition {
  return (typeof value === 'string' ? JSON.parse(value) : value) as ProcessDefinition;
}

export async function getDefinition(em: EntityManager, key: string, version: number): Promise<ProcessDefinition | undefined> {
  const cacheKey = `${key}@${version}`;
  const cached = cache.get(cacheKey);
  if (cached) return cached;
  const row = await one<{ definition: unknown }>(em, 'select definition from process_definitions where key = ? and version = ?', [key, version]);
  if (!row) return undefined;
  const def = parse(row.definition);
  cache.set(cacheKey, def);
  return def;
}

/** The newest published definition for a product type. */
export async function latestDefinitionForType(em: EntityManager, productType: string): Promise<ProcessDefinition | undefined> {
  const row = await one<{ definition: unknown; key: string; version: number }>(
    em,
    'select key, version, definition from process_definitions where product_type = ? order by published_at desc, version desc limit 1',
    [productType],
  );
  if (!row) return undefined;
  const def = parse(row.definition);
  cache.set(`${row.key}@${row.version}`, def);
  return def;
}

export interface DefinitionSummary {
  key: string;
  version: number;
  name: string;
  productType: string;
  publishedAt: string;
}

export async function listDefinitions(em: EntityManager): Promise<DefinitionSummary[]> {
  const found = await rows<{ key: string; version: number; name: string; product_type: string; published_at: unknown }>(
    em,
    'select key, version, name, product_type, published_at from process_definitions order by key, version',
  );
  return found.map((r) => ({
    key: r.key,
    version: Number(r.version),
    name: r.name,
    productType: r.product_type,
    publishedAt: isoInstant(r.published_at) ?? '',
  }));
}

export function statusLabelOf(def: ProcessDefinition | undefined, code: string): string {
  return (def && statusOf(def, code)?.label) ?? code;
}

function fieldView(f: StepInputField) {
  return {
    name: f.name,
    label: f.label,
    type: f.type,
    required: f.required === true,
    ...(f.choices ? { choices: [...f.choices] } : {}),
  };
}

/** The steps available now, each with its input fields (from the definition + domain rules). */
export function availableStepViews(def: ProcessDefinition, status: string): AvailableStepView[] {
  return availableSteps(def, status).map((s) => {
    const step = def.steps.find((x) => x.id === s.id);
    return {
      id: s.id,
      label: s.label,
      to: step?.to ?? null,
      input: (step?.input ?? []).map(fieldView),
    };
  });
}

/** The newest published version number of a process key (undefined: never published). */
export async function latestVersionOf(em: EntityManager, key: string): Promise<number | undefined> {
  const row = await one<{ version: number | null }>(em, 'select max(version) as version from process_definitions where key = ?', [key]);
  return row?.version == null ? undefined : Number(row.version);
}

export interface VersionSummary extends DefinitionSummary {
  /** Products of the office that follow this version. */
  products: number;
}

/** Every published version of a process key, oldest first, with the office's product count. */
export async function listVersions(em: EntityManager, key: string, officeId: string): Promise<VersionSummary[]> {
  const found = await rows<{ key: string; version: number; name: string; product_type: string; published_at: unknown; products: unknown }>(
    em,
    `select d.key, d.version, d.name, d.product_type, d.published_at,
            (select count(*) from products p where p.process_key = d.key and p.process_version = d.version and p.office_id = ?) as products
       from process_definitions d where d.key = ? order by d.version`,
    [officeId, key],
  );
  return found.map((r) => ({
    key: r.key,
    version: Number(r.version),
    name: r.name,
    productType: r.product_type,
    publishedAt: isoInstant(r.published_at) ?? '',
    products: Number(r.products),
  }));
}
