/**
 * What a product's history (*producthistorie*) records: one entry per event of its workflow,
 * kept in PostgreSQL (`product_history`) and, the most recent ones, in the workflow state.
 */

/** The kinds of history entries (closed list: the migration CHECK and the API schema follow it). */
export const historyKinds = ['started', 'step', 'reminder', 'escalation', 'lender', 'watchdog', 'migration'] as const;
export type HistoryKind = (typeof historyKinds)[number];

/** One event of a product's history: what happened, by whom, when, and the status it left. */
export interface HistoryEntry {
  /** The product's event number (idempotency keys of the event's side effects derive from it). */
  seq: number;
  at: string;
  /** User id, 'lender' or 'system': never a name. */
  actor: string;
  kind: HistoryKind;
  stepId?: string;
  label: string;
  fromStatus: string;
  toStatus: string;
}
