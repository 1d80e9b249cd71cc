/**
 * What a product's history (*producthistorie*) records: one entry per event of its workflow,
 * kept in PostgreSQL (`product_history`) and, the most recent ones, in the workflow state.
 */

/** The kinds of history entries (closed list: the migration CHECK and the API schema follow it). */
export const historyKinds = ['started', 'step', 'reminder', 'escalation', 'lender', 'watchdog', 'migration'] as const;
export type HistoryKind = (typeof historyKinds)[number];
