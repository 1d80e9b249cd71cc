/** Read models of HDN messages: the office inbox, one message, a product's messages and checklist. */
import type { EntityManager } from '@mikro-orm/postgresql';
import { inboxDefaultStates, type HdnMessageState, type HdnMessageType } from '../../domain/hdn/message-types.js';
import { readHdnMessage } from '../../integrations/hdn/read.js';
import type { HdnDocumentLineView, HdnInbox, HdnMessageDetail, ProductHdnMessage } from './schemas.js';
import { findProductRow } from '../products/products.js';
import { refuse } from '../../domain/errors.js';
import { isoInstant, one, rows } from '../../db/sql.js';
import { documentLinesOf, findMessageWithXml, messageColumns, messageItem, type MessageRow, type MessageRowWithXml } from './store.js';

export async function listInbox(
  em: EntityManager,
  officeId: string,
  filter: { states?: HdnMessageState[] | undefined; types?: HdnMessageType[] | undefined; limit: number; offset: number },
): Promise<HdnInbox> {
  const states: readonly HdnMessageState[] = filter.states && filter.states.length > 0 ? filter.states : inboxDefaultStates;
  let where = `office_id = ? and direction = 'in' and state in (${states.map(() => '?').join(', ')})`;
  const params: unknown[] = [officeId, ...states];
  if (filter.types && filter.types.length > 0) {
    where += ` and type in (${filter.types.map(() => '?').join(', ')})`;
    params.push(...filter.types);
  }
  const total = await one<{ n: string | number }>(em, `select count(*) as n from hdn_messages where ${where}`, params);
  const found = await rows<MessageRow>(
    em,
    `select ${messageColumns} from hdn_messages where ${where} order by received_at desc, id desc limit ? offset ?`,
    [...params, filter.limit, filter.offset],
  );
  return { items: found.map(messageItem), total: Number(total?.n ?? 0) };
}

/** Everything about one message; an AX also parsed (the adviser may see its personal data). */
export async function getMessageDetail(em: EntityManager, officeId: string, id: string): Promise<HdnMessageDetail> {
  const row: MessageRowWithXml | undefined = await findMessageWithXml(em, officeId, id);
  if (!row) throw refuse.notFound('HDN message', id);
  return {
    ...messageItem(row),
    rawXml: row.raw_xml,
    ...(row.type === 'AX' ? { parsed: readHdnMessage(row.raw_xml) } : {}),
  };
}

/** The product's messages in and out, oldest first. */
export async function listProductMessages(
  em: EntityManager,
  officeId: string,
  productId: string,
  includeXml: boolean,
): Promise<ProductHdnMessage[]> {
  if (!(await findProductRow(em, officeId, productId))) throw refuse.notFound('Product', productId);
  const found = await rows<MessageRow & { raw_xml?: string }>(
    em,
    `select ${messageColumns}${includeXml ? ', raw_xml' : ''} from hdn_messages
     where office_id = ? and product_id = ? order by received_at, id`,
    [officeId, productId],
  );
  return found.map((r) => ({ ...messageItem(r), ...(includeXml && r.raw_xml !== undefined ? { rawXml: r.raw_xml } : {}) }));
}

/** The lender's checklist of a product (kept current from DA messages by the workflow). */
export async function listDocumentLines(em: EntityManager, officeId: string, productId: string): Promise<HdnDocumentLineView[]> {
  if (!(await findProductRow(em, officeId, productId))) throw refuse.notFound('Product', productId);
  const found = await documentLinesOf(em, productId);
  return found.map((r) => ({
    id: r.id,
    lineId: r.line_id,
    documentKind: r.document_kind,
    description: r.description,
    status: r.status,
    applicantPosition: r.applicant_position === null ? null : Number(r.applicant_position),
    fetchedByLender: r.fetched_by_lender,
    remark: r.remark,
    messageId: r.message_id,
    updatedAt: isoInstant(r.updated_at) ?? '',
  }));
}
