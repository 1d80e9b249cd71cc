/**
 * Whether a running product can move to another published version of its process (a pure
 * rule; the product workflow checks again against its live state when it really moves).
 */
import type { ProcessDefinition } from './definition.js';

/** Why a product cannot move: it ended (ended products keep their version), or its status is missing in the target version. */
export const migrationBlockers = ['ended', 'status-missing'] as const;
export type MigrationBlocker = (typeof migrationBlockers)[number];

export function migrationBlocker(target: ProcessDefinition, product: { status: string; category: string }): MigrationBlocker | undefined {
  if (product.category === 'ended') return 'ended';
  return target.statuses.some((s) => s.code === product.status) ? undefined : 'status-missing';
}
