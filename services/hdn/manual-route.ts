/**
 * Routing a parked lender message by hand (POST /hdn/messages/:id/route): the adviser names
 * the mortgage product; it must carry the HDN application the message is about.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { readHdnMessage } from '../../integrations/hdn/read.js';
import type { HdnInboundAnswer } from './schemas.js';
import type { Principal } from '../../domain/roles.js';
import type { TemporalDeps } from '../../integrations/temporal/connection.js';
import { findProductRow } from '../products/products.js';
import { refuse } from '../../domain/errors.js';
import { isLenderMessageType, lenderMessageTypes } from '../../domain/hdn/message-types.js';
import { inboundAnswer, isLenderMessage } from './inbound.js';
import { deliverToProduct } from './routing.js';
import { applicationOfProduct, findMessageWithXml } from './store.js';

export async function routeByHand(
  em: EntityManager,
  temporal: TemporalDeps,
  principal: Principal,
  messageId: string,
  productId: string,
  /** The office's enabled unverified codes (HDN_ENABLED_UNVERIFIED_CODES); absent = none. */
  enabledUnverifiedCodes?: Readonly<Record<string, readonly string[]>>,
): Promise<HdnInboundAnswer> {
  const { officeId } = principal;
  const row = await findMessageWithXml(em, officeId, messageId);
  if (!row) throw refuse.notFound('HDN message', messageId);
  if (row.direction !== 'in' || !isLenderMessageType(row.type)) {
    throw refuse.conflict('not-a-lender-message', `Message ${messageId} is ${row.type}; only lender messages (${lenderMessageTypes.join(', ')}) are routed to a product`);
  }
  if (row.state !== 'parked') {
    throw refuse.conflict('not-parked', `Message ${messageId} is ${row.state}, not parked; only parked messages are routed by hand`);
  }
  const product = await findProductRow(em, officeId, productId);
  if (!product) throw refuse.notFound('Product', productId);
  if (product.type !== 'mortgage') {
    throw refuse.conflict('not-a-mortgage', `Product ${productId} is a ${product.type} product; lender messages belong to mortgage products`);
  }
  const application = await applicationOfProduct(em, productId);
  if (!application) {
    throw refuse.conflict('no-application', `Product ${productId} has no HDN application (its AX was not converted into it)`);
  }
  if (application.application_number !== row.application_number) {
    throw refuse.conflict(
      'application-mismatch',
      `Message ${messageId} is about application ${row.application_number}, product ${productId} has application ${application.application_number}`,
    );
  }
  // Either shape: stored before issue 17 (<HDN>, legacy reader) or public.
  const message = readHdnMessage(row.raw_xml);
  if (!isLenderMessage(message)) throw new Error(`hdn message ${messageId} is stored as ${row.type} but parses as ${message.type}`);
  const after = await deliverToProduct(
    em,
    temporal,
    row,
    message,
    productId,
    `Message ${messageId} stays parked; route it again when the process engine is back`,
    undefined,
    enabledUnverifiedCodes?.sxStatus ?? [],
  );
  return inboundAnswer(after, false);
}
