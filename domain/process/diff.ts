/**
 * A structured diff of two versions of a process definition, for the designer: what a
 * publish (or a migration of running products) changes. Pure; items are matched by their
 * identity (status code, step id, SX code, offer deadline name), fields are compared as JSON.
 */
import type { LenderStatusMapping, OfferDeadline, ProcessDefinition, ProcessStatus, ProcessStep } from './definition.js';

export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

export interface ItemChange<Id extends string | number = string> {
  id: Id;
  changes: FieldChange[];
}

export interface CollectionDiff<T> {
  added: T[];
  removed: T[];
  changed: ItemChange[];
}

export interface DefinitionDiff {
  key: string;
  fromVersion: number;
  toVersion: number;
  /** Top-level fields: name, productType, initialStatus. */
  changes: FieldChange[];
  statuses: CollectionDiff<ProcessStatus>;
  steps: CollectionDiff<ProcessStep>;
  lenderStatuses: CollectionDiff<LenderStatusMapping>;
  offerDeadlines: CollectionDiff<OfferDeadline>;
  /** Steps whose position in the list (the order advisers see) changed. */
  stepOrderChanged: boolean;
  /** True when nothing but the version differs. */
  identical: boolean;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));

/** Object keys sorted, so that key order never counts as a change. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

function fieldChanges<T extends object>(a: T, b: T, skip: readonly string[] = []): FieldChange[] {
  const fields = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((f) => !skip.includes(f)).sort();
  const out: FieldChange[] = [];
  for (const field of fields) {
    const from = (a as Record<string, unknown>)[field];
    const to = (b as Record<string, unknown>)[field];
    if (!same(from, to)) out.push({ field, from: from ?? null, to: to ?? null });
  }
  return out;
}

function collection<T extends object>(a: readonly T[], b: readonly T[], idOf: (t: T) => string, idField: string): CollectionDiff<T> {
  const before = new Map(a.map((t) => [idOf(t), t]));
  const after = new Map(b.map((t) => [idOf(t), t]));
  const changed: ItemChange[] = [];
  for (const [id, x] of before) {
    const y = after.get(id);
    if (!y) continue;
    const changes = fieldChanges(x, y, [idField]);
    if (changes.length > 0) changed.push({ id, changes });
  }
  return {
    added: b.filter((t) => !before.has(idOf(t))),
    removed: a.filter((t) => !after.has(idOf(t))),
    changed,
  };
}

export function diffDefinitions(from: ProcessDefinition, to: ProcessDefinition): DefinitionDiff {
  const changes: FieldChange[] = (['name', 'productType', 'initialStatus'] as const)
    .filter((f) => from[f] !== to[f])
    .map((f) => ({ field: f, from: from[f], to: to[f] }));
  if (from.key !== to.key) changes.unshift({ field: 'key', from: from.key, to: to.key });
  const statuses = collection(from.statuses, to.statuses, (s) => s.code, 'code');
  const steps = collection(from.steps, to.steps, (s) => s.id, 'id');
  const lenderStatuses = collection(from.lenderStatuses ?? [], to.lenderStatuses ?? [], (m) => m.code, 'code');
  const offerDeadlines = collection(from.offerDeadlines ?? [], to.offerDeadlines ?? [], (o) => o.deadline, 'deadline');
  const common = (ids: string[], other: Set<string>) => ids.filter((id) => other.has(id));
  const fromIds = from.steps.map((s) => s.id);
  const toIds = to.steps.map((s) => s.id);
  const stepOrderChanged = !same(common(fromIds, new Set(toIds)), common(toIds, new Set(fromIds)));
  const empty = (c: CollectionDiff<unknown>) => c.added.length + c.removed.length + c.changed.length === 0;
  return {
    key: to.key,
    fromVersion: from.version,
    toVersion: to.version,
    changes,
    statuses,
    steps,
    lenderStatuses,
    offerDeadlines,
    stepOrderChanged,
    identical:
      changes.length === 0 && !stepOrderChanged && [statuses, steps, lenderStatuses, offerDeadlines].every((c) => empty(c as CollectionDiff<unknown>)),
  };
}
