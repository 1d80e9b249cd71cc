/** A product's history (*producthistorie*): one row per event of its workflow, and the status it leaves the product in. */
import type { EntityManager } from '@mikro-orm/postgresql';
import { refuse } from '../../domain/errors.js';
import type { RecordTransitionInput } from '../../domain/products/side-effects.js';
import { insertHistoryEntry, lockProductForHistory } from './store.js';

/** Locks the product for a transaction that records history; refused `not-found` when it is gone. */
export async function lockProduct(tem: EntityManager, productId: string): Promise<void> {
  if (!(await lockProductForHistory(tem, productId))) throw refuse.notFound('product', productId);
}

/** One event, once per key, under the product lock (the newest event decides the product's status). */
export async function recordTransition(em: EntityManager, input: RecordTransitionInput): Promise<void> {
  await em.transactional(async (tem) => {
    await lockProduct(tem, input.productId);
    await insertHistoryEntry(tem, input);
  });
}
