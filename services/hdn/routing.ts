/**
 * Routing a stored lender message (SX, OX, DA) to its mortgage product: by the application
 * number of the office (automatic), or to a product an adviser names (by hand, for parked
 * messages). Nothing is ever dropped: no product → parked with a reason.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { TemporalDeps } from '../../integrations/temporal/connection.js';
import type { StageTimes } from './stage-times.js';
import { moveMessage, type MessageRow } from './store.js';
import { lenderMessageOf, productWorkflowRef, signalLenderMessage, type LenderHdnMessage, type ProductWorkflowRef } from './workflow.js';

export const PROCESS_ENDED = "the product's process has ended";

/**
 * The workflow ref of the product of an HDN application number in an office, if any was
 * converted: one round trip (the accept path reads it before storing; see inbound.ts).
 */
export async function productOfApplication(em: EntityManager, officeId: string, applicationNumber: string): Promise<ProductWorkflowRef | undefined> {
  const found = (await em.execute(
    `select p.id, p.dossier_id, p.workflow_id, p.process_key, p.process_version
       from hdn_applications a join products p on p.id = a.product_id
      where a.office_id = ? and a.application_number = ?`,
    [officeId, applicationNumber],
    'all',
  )) as { id: string; dossier_id: string; workflow_id: string; process_key: string; process_version: number }[];
  const p = found[0];
  return p
    ? { productId: p.id, dossierId: p.dossier_id, workflowId: p.workflow_id, processKey: p.process_key, processVersion: Number(p.process_version) }
    : undefined;
}

/**
 * Delivers to the given product: a signal (signal-with-start when its workflow does not run),
 * then the stored row follows (delivered, or recorded when the process has ended). Temporal
 * down → 503, the row is left as it was so the message can be delivered later.
 */
export async function deliverToProduct(
  em: EntityManager,
  temporal: TemporalDeps,
  row: MessageRow,
  message: LenderHdnMessage,
  product: string | ProductWorkflowRef,
  whenUnavailable: string,
  times?: StageTimes,
): Promise<MessageRow> {
  const ref = typeof product === 'string' ? await productWorkflowRef(em, product) : product;
  times?.lap('db-lookup');
  const outcome = await signalLenderMessage(temporal, em, ref, lenderMessageOf(row.id, message), whenUnavailable);
  times?.lap('signal');
  const moved =
    outcome === 'delivered'
      ? await moveMessage(em, row.id, { state: 'delivered', reason: null, productId: ref.productId })
      : await moveMessage(em, row.id, { state: 'recorded', reason: PROCESS_ENDED, productId: ref.productId });
  times?.lap('db-mark');
  return moved;
}

/**
 * Automatic routing after a lender message was stored (or redelivered while still undelivered),
 * to `product` as looked up by `productOfApplication` (undefined: none, the message is parked).
 */
export async function routeLenderMessage(
  em: EntityManager,
  temporal: TemporalDeps,
  row: MessageRow,
  message: LenderHdnMessage,
  product: ProductWorkflowRef | undefined,
  times?: StageTimes,
): Promise<MessageRow> {
  if (!product) {
    const parked = await moveMessage(em, row.id, { state: 'parked', reason: `No application ${row.application_number} in this office` });
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
  );
}
