/**
 * Routing a stored lender message (SX, OX, DA) to its mortgage product: by the application
 * number of the office (automatic), or to a product an adviser names (by hand, for parked
 * messages). Nothing is ever dropped: no product → parked with a reason.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { TemporalDeps } from '../../integrations/temporal/connection.js';
import type { StageTimes } from './stage-times.js';
import { deliverLenderMessage } from './delivery.js';
import { moveMessage, type MessageRow } from './store.js';
import { lenderMessageOf, productWorkflowRef, type LenderHdnMessage, type ProductWorkflowRef } from './workflow.js';

export { PROCESS_ENDED } from './delivery.js';

/**
 * Delivers to the given product: a signal (signal-with-start when its workflow does not run),
 * shared with the product's other messages that arrive meanwhile (delivery.ts), then the stored
 * row follows (delivered, or recorded when the process has ended). Temporal down → 503, the row
 * is left as it was so the message can be delivered later.
 */
export async function deliverToProduct(
  em: EntityManager,
  temporal: TemporalDeps,
  row: MessageRow,
  message: LenderHdnMessage,
  product: string | ProductWorkflowRef,
  whenUnavailable: string,
  times?: StageTimes,
  /** The office's enabled unverified SX codes (HDN_ENABLED_UNVERIFIED_CODES): they travel with an SX. */
  enabledUnverifiedSx: readonly string[] = [],
): Promise<MessageRow> {
  const ref = typeof product === 'string' ? await productWorkflowRef(em, product) : product;
  times?.lap('db-lookup');
  const delivered = await deliverLenderMessage(temporal, em, ref, row.id, lenderMessageOf(row.id, message, enabledUnverifiedSx), whenUnavailable);
  // The signal and the mark of the row, with the time spent waiting for the product's signal before.
  times?.lap('signal+mark');
  return delivered;
}

/**
 * Automatic routing after a lender message was stored (or redelivered while still undelivered),
 * to `product` as looked up before the message was stored (inbound.ts; undefined: none, the message is parked).
 */
export async function routeLenderMessage(
  em: EntityManager,
  temporal: TemporalDeps,
  row: MessageRow,
  message: LenderHdnMessage,
  product: ProductWorkflowRef | undefined,
  times?: StageTimes,
  enabledUnverifiedSx: readonly string[] = [],
): Promise<MessageRow> {
  if (!product) {
    const parked = await moveMessage(em, row.id, { state: 'parked', reason: `Geen aanvraag ${row.application_number} in dit kantoor` });
    times?.lap('db-mark');
    return parked;
  }
  return deliverToProduct(
    em,
    temporal,
    row,
    message,
    product,
    `Message ${row.id} is stored; delivery will be retried when you resend it`,
    times,
    enabledUnverifiedSx,
  );
}
