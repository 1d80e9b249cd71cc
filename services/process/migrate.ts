/**
 * Moving running products to another published version of their process, one product or a
 * selection. Checked first against PostgreSQL (the target exists, the product's status
 * exists in it), then decided by the product workflow's `migrateDefinition` Update, whose
 * validator checks again against the live state: a refusal changes nothing.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import type { ProcessDefinition } from '../../domain/process/definition.js';
import { statusOf } from '../../domain/process/rules.js';
import { migrationBlocker, type MigrationBlocker } from '../../domain/process/migration.js';
import { migrateDefinitionUpdate, type MigrateDefinitionResult } from '../../workflows/products/product.messages.js';
import type { Principal } from '../../domain/roles.js';
import type { TemporalDeps } from '../../integrations/temporal/connection.js';
import { getDefinition } from './definitions.js';
import { DomainError, refuse } from '../../domain/errors.js';
import { findProductRow } from '../products/products.js';
import { rows } from '../../db/sql.js';

const MIGRATE_DEADLINE_MS = 30_000;
/** How many products a bulk migration moves at the same time. */
const BULK_CONCURRENCY = 4;

export interface ProductMigrationOutcome {
  productId: string;
  processKey: string;
  fromVersion: number;
  toVersion: number;
  status: string;
  statusLabel: string;
  category: string;
}

async function requireTarget(em: EntityManager, key: string, version: number): Promise<ProcessDefinition> {
  const def = await getDefinition(em, key, version);
  if (!def) throw refuse.notFound('Process definition', `${key} version ${version}`);
  return def;
}

function statusMissing(target: ProcessDefinition, status: string): string | undefined {
  return statusOf(target, status)
    ? undefined
    : `de status "${status}" van het product bestaat niet in ${target.key} versie ${target.version}`;
}

/** Runs the Update; turns every refusal into a 409 with the workflow's reason. */
async function runUpdate(
  temporal: TemporalDeps,
  workflowId: string,
  target: ProcessDefinition,
  actor: string,
): Promise<MigrateDefinitionResult> {
  const handle = temporal.client.workflow.getHandle(workflowId);
  try {
    return await temporal.client.withDeadline(Date.now() + MIGRATE_DEADLINE_MS, () =>
      handle.executeUpdate(migrateDefinitionUpdate, { args: [{ definition: target, actor }] }),
    );
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) {
      const cause = err.cause;
      const reason = cause instanceof Error && cause.message ? cause.message : err.message;
      throw new DomainError('conflict', 'migration-refused', reason);
    }
    if (err instanceof WorkflowNotFoundError) {
      throw new DomainError('conflict', 'process-not-running', 'Het proces van het product loopt niet (beëindigde producten houden hun versie)');
    }
    if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) {
      throw new DomainError('unavailable', 'migration-outcome-unknown', 'De procesmotor bevestigde de migratie niet op tijd; bekijk het product om de versie te zien');
    }
    const reason = err instanceof Error ? err.message : String(err);
    throw new DomainError('unavailable', 'workflow-unavailable', `Het product is niet gemigreerd: de procesmotor (Temporal) antwoordde niet (${reason})`);
  }
}

export async function migrateProduct(
  em: EntityManager,
  temporal: TemporalDeps,
  principal: Principal,
  productId: string,
  toVersion: number,
): Promise<ProductMigrationOutcome> {
  const p = await findProductRow(em, principal.officeId, productId);
  if (!p) throw refuse.notFound('Product', productId);
  const fromVersion = Number(p.process_version);
  if (fromVersion === toVersion) {
    throw new DomainError('conflict', 'migration-refused', `Migratie geweigerd: het product volgt al ${p.process_key} versie ${toVersion}`);
  }
  const target = await requireTarget(em, p.process_key, toVersion);
  const missing = statusMissing(target, p.status);
  if (missing) throw new DomainError('conflict', 'migration-refused', `Migratie geweigerd: ${missing}`, { productStatus: p.status });
  const result = await runUpdate(temporal, p.workflow_id, target, principal.credentialId);
  return {
    productId,
    processKey: p.process_key,
    fromVersion: result.fromVersion,
    toVersion: result.toVersion,
    status: result.state.status,
    statusLabel: result.state.statusLabel,
    category: result.state.category,
  };
}

export interface BulkMigrationOutcome {
  key: string;
  fromVersion: number;
  toVersion: number;
  selected: number;
  migrated: string[];
  failed: { productId: string; reason: string }[];
}

/**
 * Moves the office's products on `key`@`fromVersion` (optionally only those in the given
 * statuses; ended products stay) to `toVersion`. Validated first: when a selected product's
 * status does not exist in the target, nothing is migrated (409 naming the statuses, so the
 * designer can narrow the filter). Then each product is moved by its workflow; products the
 * workflow refuses (it moved meanwhile) are listed in `failed`.
 */
export async function migrateProducts(
  em: EntityManager,
  temporal: TemporalDeps,
  principal: Principal,
  key: string,
  body: { fromVersion: number; toVersion: number; filter?: { status?: string[] } },
): Promise<BulkMigrationOutcome> {
  const { fromVersion, toVersion } = body;
  if (fromVersion === toVersion) throw new DomainError('unprocessable', 'same-version', 'fromVersion and toVersion are the same');
  await requireTarget(em, key, fromVersion);
  const target = await requireTarget(em, key, toVersion);
  const statuses = body.filter?.status;
  const selected = await rows<{ id: string; status: string; workflow_id: string }>(
    em,
    `select id, status, workflow_id from products
      where office_id = ? and process_key = ? and process_version = ? and category <> 'ended'
        ${statuses ? 'and status = any(?::text[])' : ''}
      order by created_at, id`,
    [principal.officeId, key, fromVersion, ...(statuses ? [`{${statuses.join(',')}}`] : [])],
  );
  const missing = [...new Set(selected.filter((p) => !statusOf(target, p.status)).map((p) => p.status))];
  if (missing.length > 0) {
    throw new DomainError('conflict', 'migration-refused',
      `Migratie geweigerd, niets gemigreerd: status(sen) ${missing.map((s) => `"${s}"`).join(', ')} van gekozen producten bestaan niet in ${key} versie ${toVersion}; laat ze weg met het statusfilter`,
      { missingStatuses: missing, selected: selected.length },
    );
  }
  const outcome: BulkMigrationOutcome = { key, fromVersion, toVersion, selected: selected.length, migrated: [], failed: [] };
  let next = 0;
  const workers = Array.from({ length: Math.min(BULK_CONCURRENCY, selected.length) }, async () => {
    while (next < selected.length) {
      const p = selected[next++]!;
      try {
        await runUpdate(temporal, p.workflow_id, target, principal.credentialId);
        outcome.migrated.push(p.id);
      } catch (err) {
        outcome.failed.push({ productId: p.id, reason: err instanceof Error ? err.message : String(err) });
      }
    }
  });
  await Promise.all(workers);
  outcome.migrated.sort();
  return outcome;
}

export interface MigrationPreviewItem {
  productId: string;
  dossierId: string;
  status: string;
  statusLabel: string;
  category: string;
  movable: boolean;
  blocker?: MigrationBlocker;
}

/**
 * What a bulk migration of `key` from `fromVersion` to `toVersion` would do, per product of the
 * office, before anything moves: the designer sees which products would move and which cannot
 * (and why), then narrows the bulk migration to the statuses that can. Reads only.
 */
export async function previewMigration(
  em: EntityManager,
  principal: Principal,
  key: string,
  fromVersion: number,
  toVersion: number,
): Promise<{ key: string; fromVersion: number; toVersion: number; items: MigrationPreviewItem[] }> {
  if (fromVersion === toVersion) throw new DomainError('unprocessable', 'same-version', 'fromVersion and toVersion are the same');
  const source = await requireTarget(em, key, fromVersion);
  const target = await requireTarget(em, key, toVersion);
  const products = await rows<{ id: string; dossier_id: string; status: string; category: string }>(
    em,
    `select id, dossier_id, status, category from products
      where office_id = ? and process_key = ? and process_version = ?
      order by created_at, id`,
    [principal.officeId, key, fromVersion],
  );
  const items = products.map((p): MigrationPreviewItem => {
    const blocker = migrationBlocker(target, p);
    return {
      productId: p.id,
      dossierId: p.dossier_id,
      status: p.status,
      statusLabel: statusOf(source, p.status)?.label ?? p.status,
      category: p.category,
      movable: blocker === undefined,
      ...(blocker ? { blocker } : {}),
    };
  });
  return { key, fromVersion, toVersion, items };
}
