/**
 * The product process's decisions about lender messages delivered to it (SX, OX, DA), kept in
 * PostgreSQL: the outcome of a stored message (applied, recorded, ignored, with why), and a
 * batch of decided messages with their product history entries in one transaction.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { MarkHdnMessageInput, RecordLenderMessagesInput } from '../../domain/hdn/side-effects.js';
import { lockProduct } from '../products/history.js';
import { insertHistoryEntry } from '../products/store.js';
import { setMessageOutcome, setMessageOutcomes } from './store.js';

/** Gives a stored lender message its outcome and points it at the product. */
export async function markLenderMessage(em: EntityManager, input: MarkHdnMessageInput): Promise<void> {
  await setMessageOutcome(em, input.productId, { messageId: input.messageId, outcome: input.outcome, reason: input.reason });
}

/**
 * Records decided lender messages in one transaction under the product lock: per message its
 * history entry (once per key; the newest entry decides the product's status) and its outcome,
 * all outcomes in one statement. A retry changes nothing.
 */
export async function recordLenderMessages(em: EntityManager, input: RecordLenderMessagesInput): Promise<void> {
  if (input.records.length === 0) return;
  await em.transactional(async (tem) => {
    await lockProduct(tem, input.productId);
    for (const r of input.records) await insertHistoryEntry(tem, r.transition);
    await setMessageOutcomes(tem, input.productId, input.records);
  });
}
