/**
 * Routing a stored lender message (SX, OX, DA) to its mortgage product: by the application
 * number of the office (automatic), or to a product an adviser names (by hand, for parked
 * messages). Nothing is ever dropped: no product → parked with a reason.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { TemporalDeps } from '../../types.js';
import { moveMessage, type MessageRow } from './store.js';
import { lenderMessageOf, productWorkflowStart, signalLenderMessage, type LenderHdnMessage } from './workflow.js';

export const PROCESS_ENDED = "the product's process has ended";

/** The product of an HDN application number in an office, if any was converted. */
export async function productOfApplication(em: EntityManager, officeId: string, applicationNumber: string): Promise<string | undefined> {
  const found = (await em.execute(
    'select product_id from hdn_applications where office_id = ? and application_number = ?',
    [officeId, applicationNumber],
    'all',
  )) as { product_id: string }[];
  return found[0]?.product_id;
}

/**
 * Delivers to the given product: signal-with-start, then the stored row follows
 * (delivered, or recorded when the process has ended). Temporal down → 503, the row is
 * left as it was so the message can be delivered later.
 */
export async function deliverToProduct(
  em: EntityManager,
  temporal: TemporalDeps,
  row: MessageRow,
  message: LenderHdnMessage,
  productId: string,
  whenUnavailable: string,
): Promise<MessageRow> {
  const start = await productWorkflowStart(em, productId);
  const outcome = await signalLenderMessage(temporal, start, lenderMessageOf(row.id, message), whenUnavailable);
  return outcome === 'delivered'
    ? moveMessage(em, row.id, { state: 'delivered', reason: null, productId })
    : moveMessage(em, row.id, { state: 'recorded', reason: PROCESS_ENDED, productId });
}

/** Automatic routing after a lender message was stored (or redelivered while still undelivered). */
export async function routeLenderMessage(
  em: EntityManager,
  temporal: TemporalDeps,
  row: MessageRow,
  message: LenderHdnMessage,
): Promise<MessageRow> {
  const productId = await productOfApplication(em, row.office_id, row.application_number);
  if (!productId) {
    return moveMessage(em, row.id, { state: 'parked', reason: `No application ${row.application_number} in this office` });
  }
  return deliverToProduct(
    em,
    temporal,
    row,
    message,
    productId,
    `Message ${row.id} is stored; delivery will be retried when you resend it`,
  );
}
