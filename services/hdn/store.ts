/**
 * The `hdn_messages` table as the API uses it: insert-once on the message key, read one
 * message of an office, guarded state changes, and the JSON view of a row.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { HdnMessageState } from '../../db/entities/hdn.entity.js';
import type { HdnMessageType } from '../../integrations/hdn/types.js';
import type { HdnMessageItem } from './schemas.js';
import { isoInstant, looksLikeUuid, one, type Row } from '../../db/sql.js';

export const messageColumns =
  'id, office_id, direction, type, state, reason, summary, sender_node, receiver_node, application_number, ' +
  'application_version, status_code, product_id, received_at, processed_at';

export interface MessageRow extends Row {
  id: string;
  office_id: string;
  direction: 'in' | 'out';
  type: HdnMessageType;
  state: HdnMessageState;
  reason: string | null;
  summary: string;
  sender_node: string;
  receiver_node: string;
  application_number: string;
  application_version: number;
  status_code: string | null;
  product_id: string | null;
  received_at: unknown;
  processed_at: unknown;
}

export interface MessageRowWithXml extends MessageRow {
  raw_xml: string;
}

export function messageItem(r: MessageRow): HdnMessageItem {
  return {
    id: r.id,
    direction: r.direction,
    type: r.type,
    state: r.state,
    reason: r.reason,
    summary: r.summary,
    senderNode: r.sender_node,
    receiverNode: r.receiver_node,
    applicationNumber: r.application_number,
    applicationVersion: Number(r.application_version),
    statusCode: r.status_code,
    productId: r.product_id,
    receivedAt: isoInstant(r.received_at) ?? '',
    processedAt: isoInstant(r.processed_at),
  };
}

export interface NewInboundMessage {
  id: string;
  officeId: string;
  credentialId: string;
  type: HdnMessageType;
  key: string;
  senderNode: string;
  receiverNode: string;
  applicationNumber: string;
  applicationVersion: number;
  statusCode: string | null;
  summary: string;
  rawXml: string;
}

/**
 * Stores an inbound message unless its key is known. Returns the stored row and whether it
 * was stored now; a redelivery gets the first row back (same id, its current state).
 */
export async function storeInbound(em: EntityManager, m: NewInboundMessage): Promise<{ row: MessageRow; stored: boolean }> {
  const inserted = await one<MessageRow>(
    em,
    `insert into hdn_messages (id, office_id, direction, type, message_key, sender_node, receiver_node,
       application_number, application_version, status_code, summary, raw_xml, state, credential_id)
     values (?, ?, 'in', ?, ?, ?, ?, ?, ?, ?, ?, ?, 'received', ?)
     on conflict (message_key) do nothing
     returning ${messageColumns}`,
    [
      m.id,
      m.officeId,
      m.type,
      m.key,
      m.senderNode,
      m.receiverNode,
      m.applicationNumber,
      m.applicationVersion,
      m.statusCode,
      m.summary,
      m.rawXml,
      m.credentialId,
    ],
  );
  if (inserted) return { row: inserted, stored: true };
  const existing = await one<MessageRow>(em, `select ${messageColumns} from hdn_messages where message_key = ?`, [m.key]);
  if (!existing) throw new Error(`hdn_messages: key ${m.key} conflicted but no row was found`);
  return { row: existing, stored: false };
}

export async function findMessage(em: EntityManager, officeId: string, id: string): Promise<MessageRow | undefined> {
  if (!looksLikeUuid(id)) return undefined;
  return one<MessageRow>(em, `select ${messageColumns} from hdn_messages where office_id = ? and id = ?`, [officeId, id]);
}

export async function findMessageWithXml(em: EntityManager, officeId: string, id: string): Promise<MessageRowWithXml | undefined> {
  if (!looksLikeUuid(id)) return undefined;
  return one<MessageRowWithXml>(
    em,
    `select ${messageColumns}, raw_xml from hdn_messages where office_id = ? and id = ?`,
    [officeId, id],
  );
}

/** States from which the API may still move an inbound message (later ones belong to the workflow). */
const movableStates: readonly HdnMessageState[] = ['received', 'parked'];

/**
 * Moves a message to `state` unless something else moved it on already (the workflow may mark
 * it applied before this update runs). Returns the row as it is afterwards.
 */
export async function moveMessage(
  em: EntityManager,
  id: string,
  to: { state: HdnMessageState; reason: string | null; productId?: string },
): Promise<MessageRow> {
  // One round trip when the move happens; only when the workflow was quicker is the row read.
  const moved = await one<MessageRow>(
    em,
    `update hdn_messages set state = ?, reason = ?, product_id = coalesce(?, product_id), processed_at = now()
     where id = ? and state in (${movableStates.map(() => '?').join(', ')})
     returning ${messageColumns}`,
    [to.state, to.reason, to.productId ?? null, id, ...movableStates],
  );
  if (moved) return moved;
  const row = await one<MessageRow>(em, `select ${messageColumns} from hdn_messages where id = ?`, [id]);
  if (!row) throw new Error(`hdn_messages: message ${id} vanished`);
  return row;
}
