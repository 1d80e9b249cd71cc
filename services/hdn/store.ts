/**
 * The one writer of the HDN tables: `hdn_messages` (every message in or out, stored before it is
 * acknowledged or sent, unique on its key), `hdn_applications` (the HDN application behind a
 * mortgage product), `hdn_document_lines` (the lender's checklist from DA messages) and
 * `hdn_lenders` (the lenders we address). The row types of these tables are defined here once.
 *
 * Writes are idempotent where their callers repeat them: messages insert once on their key
 * (a redelivery or retry gets the first row back), checklist lines upsert on (product, line id),
 * lenders insert once on their code, outcomes and state changes set the same values again.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  movableMessageStates,
  type HdnMessageDirection,
  type HdnMessageOutcome,
  type HdnMessageState,
  type HdnMessageType,
  type OutboundMessageType,
} from '../../domain/hdn/message-types.js';
import { newId } from '../../db/ids.js';
import { isoInstant, looksLikeUuid, one, pgArray, rows, type Row } from '../../db/sql.js';
import type { HdnCodeObservation, HdnDocumentLine } from '../../integrations/hdn/types.js';
import { scrubRows } from '../privacy/scrub-rows.js';
import { likePatterns, REDACTED, type Needles, type PersonIdentity } from '../privacy/scrub.js';
import { anonymiseAx, UNREADABLE_AX_TOMBSTONE } from './anonymise-ax.js';
import type { HdnMessageItem } from './schemas.js';
import { notifyLive } from '../live/notify.js';

export const ownedTables = ['hdn_messages', 'hdn_applications', 'hdn_document_lines', 'hdn_lenders'] as const;

// ------------------------------------------------------------------ hdn_lenders

export interface NewLender {
  /** The lender's HDN receiver code (*OntvangerCode*). */
  code: string;
  name: string;
  /** Its 6-character HDN node number. */
  nodeNumber: string;
}

/** The lender, once per code (an existing one is kept as it is); true when it was inserted now. */
export async function ensureLender(em: EntityManager, lender: NewLender): Promise<boolean> {
  const result = (await em.execute(
    `insert into hdn_lenders (code, name, node_number) values (?, ?, ?) on conflict (code) do nothing`,
    [lender.code, lender.name, lender.nodeNumber],
    'run',
  )) as { affectedRows?: number };
  return (result.affectedRows ?? 0) > 0;
}

/** The name of the lender with this code, if it is known. */
export async function lenderNameOf(em: EntityManager, code: string): Promise<string | undefined> {
  return (await one<{ name: string }>(em, 'select name from hdn_lenders where code = ?', [code]))?.name;
}

/** The codes of the known lenders, in order (at most `limit`). */
export async function lenderCodes(em: EntityManager, limit: number): Promise<string[]> {
  return (await rows<{ code: string }>(em, 'select code from hdn_lenders order by code limit ?', [limit])).map((r) => r.code);
}

// ------------------------------------------------------------------ hdn_messages

export const messageColumns =
  'id, office_id, direction, type, state, reason, summary, sender_node, receiver_node, application_number, ' +
  'application_version, status_code, codes, product_id, received_at, processed_at';

/** A row of `hdn_messages` without its raw XML (`messageColumns`). */
export interface MessageRow extends Row {
  id: string;
  office_id: string;
  direction: HdnMessageDirection;
  type: HdnMessageType;
  state: HdnMessageState;
  reason: string | null;
  summary: string;
  sender_node: string;
  receiver_node: string;
  application_number: string;
  application_version: number;
  status_code: string | null;
  /** Unknown/unverified codes recorded with the message (public structure only); null: none. */
  codes: HdnCodeObservation[] | null;
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
    ...(r.codes !== null && r.codes.length > 0 ? { codes: r.codes.map((c) => ({ ...c, note: codeNote(c) })) } : {}),
    productId: r.product_id,
    receivedAt: isoInstant(r.received_at) ?? '',
    processedAt: isoInstant(r.processed_at),
  };
}

/**
 * What an adviser reads about a recorded code, in Dutch (shown as it is in the web UI): "onbekende status 77",
 * "niet-officiële status 31 (niet aangezet door dit kantoor)". Every list word is a de-word, so one adjective form.
 */
export function codeNote(c: HdnCodeObservation): string {
  const what = codeListWords[c.list] ?? c.list;
  const where = /\[\d+\]/.exec(c.field) ? ` (${c.field.replace(/\.[^.]*$/, '')})` : '';
  const status = c.status === 'unverified' ? 'niet-officiële' : c.status === 'unknown' ? 'onbekende' : c.status;
  return `${status} ${what} ${c.code}${c.status === 'unverified' ? ' (niet aangezet door dit kantoor)' : ''}${where}`;
}

const codeListWords: Readonly<Record<string, string>> = {
  sxStatus: 'status',
  repaymentType: 'aflossingsvorm',
  documentKind: 'documentsoort',
  documentStatus: 'documentstatus',
  offerType: 'offertesoort',
};

export interface NewInboundMessage {
  id: string;
  officeId: string;
  /** The credential it came with; null for the demo advice the seed puts in the inbox. */
  credentialId: string | null;
  type: HdnMessageType;
  key: string;
  senderNode: string;
  receiverNode: string;
  applicationNumber: string;
  applicationVersion: number;
  statusCode: string | null;
  /** Unknown/unverified codes the reader recorded (public structure); null: none. */
  codes?: HdnCodeObservation[] | null;
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
       application_number, application_version, status_code, codes, summary, raw_xml, state, credential_id)
     values (?, ?, 'in', ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, 'received', ?)
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
      m.codes && m.codes.length > 0 ? JSON.stringify(m.codes) : null,
      m.summary,
      m.rawXml,
      m.credentialId,
    ],
  );
  if (inserted) {
    await notifyLive(em, { kind: 'hdn_message', id: inserted.id, officeId: m.officeId });
    return { row: inserted, stored: true };
  }
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

/** One message of an office with its raw XML, locked for the rest of the transaction (converting an AX). */
export async function lockOfficeMessage(tem: EntityManager, officeId: string, id: string): Promise<MessageRowWithXml | undefined> {
  if (!looksLikeUuid(id)) return undefined;
  return one<MessageRowWithXml>(
    tem,
    `select ${messageColumns}, raw_xml from hdn_messages where office_id = ? and id = ? for update`,
    [officeId, id],
  );
}

/** The type and raw XML of a stored message (any office: the workflow names it by id). */
export async function storedXmlOf(em: EntityManager, id: string): Promise<{ type: HdnMessageType; raw_xml: string } | undefined> {
  return one<{ type: HdnMessageType; raw_xml: string }>(em, 'select type, raw_xml from hdn_messages where id = ?', [id]);
}

/**
 * Moves a message to `state` unless something else moved it on already (the workflow may mark
 * it applied before this update runs). Returns the row as it is afterwards.
 */
export async function moveMessage(
  em: EntityManager,
  id: string,
  to: { state: HdnMessageState; reason: string | null; productId?: string },
): Promise<MessageRow> {
  return (await moveMessages(em, [id], to))[0]!;
}

/**
 * `moveMessage` for several messages in one statement (the lender messages one signal delivered).
 * One round trip when every move happens; only rows something else moved on already (the workflow
 * was quicker) are read as they are. Returns the rows in the order of `ids`.
 */
export async function moveMessages(
  em: EntityManager,
  ids: readonly string[],
  to: { state: HdnMessageState; reason: string | null; productId?: string },
): Promise<MessageRow[]> {
  const moved = await rows<MessageRow>(
    em,
    `update hdn_messages set state = ?, reason = ?, product_id = coalesce(?, product_id), processed_at = now()
     where id = any(?::uuid[]) and state in (${movableMessageStates.map(() => '?').join(', ')})
     returning ${messageColumns}`,
    [to.state, to.reason, to.productId ?? null, pgArray(ids), ...movableMessageStates],
  );
  const byId = new Map(moved.map((r) => [r.id, r]));
  const rest = ids.filter((id) => !byId.has(id));
  if (rest.length > 0) {
    for (const r of await rows<MessageRow>(em, `select ${messageColumns} from hdn_messages where id = any(?::uuid[])`, [pgArray(rest)])) {
      byId.set(r.id, r);
    }
  }
  return ids.map((id) => {
    const row = byId.get(id);
    if (!row) throw new Error(`hdn_messages: message ${id} vanished`);
    return row;
  });
}

/** The AX became (or was linked to) this product. */
export async function markConverted(em: EntityManager, messageId: string, productId: string): Promise<void> {
  await em.execute(
    `update hdn_messages set state = 'converted', reason = null, product_id = ?, processed_at = now() where id = ?`,
    [productId, messageId],
  );
}

/** The product process's outcome of a lender message delivered to it. */
export interface MessageOutcome {
  messageId: string;
  outcome: HdnMessageOutcome;
  reason: string;
}

/** Sets the outcome of one message (and points it at the product). */
export async function setMessageOutcome(em: EntityManager, productId: string, o: MessageOutcome): Promise<void> {
  await em.execute(`update hdn_messages set state = ?, reason = ?, product_id = ?, processed_at = now() where id = ?`, [
    o.outcome,
    o.reason,
    productId,
    o.messageId,
  ]);
}

/** Sets the outcomes of several messages in one statement: per message what `setMessageOutcome` does. */
export async function setMessageOutcomes(em: EntityManager, productId: string, outcomes: readonly MessageOutcome[]): Promise<void> {
  if (outcomes.length === 0) return;
  await em.execute(
    `update hdn_messages m set state = v.outcome, reason = v.reason, product_id = ?, processed_at = now()
       from jsonb_to_recordset(?::jsonb) as v(id uuid, outcome text, reason text)
      where m.id = v.id`,
    [productId, JSON.stringify(outcomes.map((o) => ({ id: o.messageId, outcome: o.outcome, reason: o.reason })))],
  );
}

// --------------------------------------------------- hdn_messages: what we send

/** An outbound message as stored: its state and the exact XML that is (re)sent. */
export interface OutboundRow extends Row {
  id: string;
  state: HdnMessageState;
  raw_xml: string;
}

export async function outboundByKey(em: EntityManager, key: string): Promise<OutboundRow | undefined> {
  return one<OutboundRow>(em, 'select id, state, raw_xml from hdn_messages where message_key = ?', [key]);
}

export interface NewOutboundMessage {
  key: string;
  type: OutboundMessageType;
  officeId: string;
  productId: string;
  senderNode: string;
  receiverNode: string;
  applicationNumber: string;
  applicationVersion: number;
  summary: string;
  rawXml: string;
}

/** Stores an outbound message as `pending`, once per key; returns the row stored under the key. */
export async function insertOutboundOnce(em: EntityManager, m: NewOutboundMessage): Promise<OutboundRow> {
  await em.execute(
    `insert into hdn_messages (id, office_id, direction, type, message_key, sender_node, receiver_node, application_number,
       application_version, summary, raw_xml, state, product_id)
     values (?, ?, 'out', ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?) on conflict (message_key) do nothing`,
    [newId(), m.officeId, m.type, m.key, m.senderNode, m.receiverNode, m.applicationNumber, m.applicationVersion, m.summary, m.rawXml, m.productId],
  );
  const row = await outboundByKey(em, m.key);
  if (!row) throw new Error(`outbound ${m.type} ${m.key} vanished after insert`);
  return row;
}

/** The gateway accepted the message: it is never sent again. */
export async function markOutboundSent(em: EntityManager, id: string): Promise<void> {
  await em.execute(`update hdn_messages set state = 'sent', reason = null, processed_at = now() where id = ?`, [id]);
}

/** The gateway did not accept it: `pending` (to be retried) or `failed` (refused for good), with why. */
export async function markOutboundNotSent(em: EntityManager, id: string, to: { state: 'pending' | 'failed'; reason: string }): Promise<void> {
  await em.execute(`update hdn_messages set state = ?, reason = ?, processed_at = now() where id = ?`, [to.state, to.reason, id]);
}

// ------------------------------------------------------------------ hdn_applications

/** A row of `hdn_applications`: the HDN application behind a mortgage product. */
export interface ApplicationRow extends Row {
  product_id: string;
  office_id: string;
  application_number: string;
  /** The newest AX version converted for this application. */
  application_version: number;
  lender_code: string;
  /** The AX the product was made from. */
  source_message_id: string;
}

/** The application with the lender it goes to (null name/node: the lender code is not configured). */
export interface ApplicationWithLender extends ApplicationRow {
  lender_name: string | null;
  lender_node: string | null;
}

const applicationColumns = 'a.product_id, a.office_id, a.application_number, a.application_version, a.lender_code, a.source_message_id';

/** The application of an office with this number (AanvraagVolgNr), if it is a product already. */
export async function applicationOfNumber(em: EntityManager, officeId: string, applicationNumber: string): Promise<ApplicationRow | undefined> {
  return one<ApplicationRow>(
    em,
    `select ${applicationColumns} from hdn_applications a where a.office_id = ? and a.application_number = ?`,
    [officeId, applicationNumber],
  );
}

export async function applicationOfProduct(em: EntityManager, productId: string): Promise<ApplicationRow | undefined> {
  return one<ApplicationRow>(em, `select ${applicationColumns} from hdn_applications a where a.product_id = ?`, [productId]);
}

export async function applicationWithLender(em: EntityManager, productId: string): Promise<ApplicationWithLender | undefined> {
  return one<ApplicationWithLender>(
    em,
    `select ${applicationColumns}, l.name as lender_name, l.node_number as lender_node
       from hdn_applications a left join hdn_lenders l on l.code = a.lender_code
      where a.product_id = ?`,
    [productId],
  );
}

export interface NewApplication {
  productId: string;
  officeId: string;
  applicationNumber: string;
  applicationVersion: number;
  lenderCode: string;
  sourceMessageId: string;
}

export async function insertApplication(em: EntityManager, a: NewApplication): Promise<void> {
  await em.execute(
    `insert into hdn_applications (product_id, office_id, application_number, application_version, lender_code, source_message_id)
     values (?, ?, ?, ?, ?, ?)`,
    [a.productId, a.officeId, a.applicationNumber, a.applicationVersion, a.lenderCode, a.sourceMessageId],
  );
}

/** A newer AX version moves the application on; an older one arriving late changes nothing. */
export async function moveApplicationToVersion(em: EntityManager, productId: string, version: number, sourceMessageId: string): Promise<void> {
  await em.execute(
    `update hdn_applications set application_version = ?, source_message_id = ?
     where product_id = ? and application_version < ?`,
    [version, sourceMessageId, productId, version],
  );
}

// ------------------------------------------------------------------ hdn_document_lines

/** A row of `hdn_document_lines`: one line of the lender's checklist of a product. */
export interface DocumentLineRow extends Row {
  id: string;
  product_id: string;
  line_id: string;
  document_kind: string;
  description: string | null;
  /** *DocumentStatus* as the lender sent it (see domain/hdn/document-lines.ts). */
  status: string;
  applicant_position: number | null;
  fetched_by_lender: boolean;
  remark: string | null;
  message_id: string;
  updated_at: unknown;
}

const documentLineColumns =
  'id, product_id, line_id, document_kind, description, status, applicant_position, fetched_by_lender, remark, message_id, updated_at';

export async function documentLineOf(em: EntityManager, productId: string, lineId: string): Promise<DocumentLineRow | undefined> {
  return one<DocumentLineRow>(em, `select ${documentLineColumns} from hdn_document_lines where product_id = ? and line_id = ?`, [productId, lineId]);
}

/** The lender checklists of every product of a dossier (for matching the client's checklist lines). */
export async function documentLinesOfDossier(em: EntityManager, dossierId: string): Promise<DocumentLineRow[]> {
  return rows<DocumentLineRow>(
    em,
    `select ${documentLineColumns.split(', ').map((c) => `l.${c}`).join(', ')} from hdn_document_lines l join products p on p.id = l.product_id
      where p.dossier_id = ? order by l.product_id, l.line_id`,
    [dossierId],
  );
}

/** The checklist of a product, by line id. */
export async function documentLinesOf(em: EntityManager, productId: string): Promise<DocumentLineRow[]> {
  return rows<DocumentLineRow>(em, `select ${documentLineColumns} from hdn_document_lines where product_id = ? order by line_id, id`, [productId]);
}

/** The lines of a DA as the product's checklist: one row per (product, line id), the newest DA's values win. */
export async function upsertDocumentLines(tem: EntityManager, productId: string, messageId: string, lines: readonly HdnDocumentLine[]): Promise<void> {
  for (const line of lines) {
    await tem.execute(
      `insert into hdn_document_lines (id, product_id, line_id, document_kind, description, status, applicant_position,
         fetched_by_lender, remark, message_id, updated_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now())
       on conflict (product_id, line_id) do update set document_kind = excluded.document_kind,
         description = excluded.description, status = excluded.status, applicant_position = excluded.applicant_position,
         fetched_by_lender = excluded.fetched_by_lender, remark = excluded.remark, message_id = excluded.message_id,
         updated_at = now()`,
      [newId(), productId, line.lineId, line.documentKind, line.description ?? null, line.status,
        line.applicantPosition ?? null, line.fetchedByLender, line.remark ?? null, messageId],
    );
  }
}

export async function countDocumentLines(em: EntityManager, productId: string): Promise<number> {
  const count = await one<{ n: string | number }>(em, 'select count(*) as n from hdn_document_lines where product_id = ?', [productId]);
  return Number(count?.n ?? 0);
}

// ------------------------------------------------------------------ anonymisation

export interface PersonInHdn {
  officeId: string;
  /** A subquery selecting the ids of the person's products, with its parameters. */
  products: { sql: string; params: unknown[] };
  identity: PersonIdentity;
  needles: Needles;
}

/**
 * Anonymises a person in the HDN tables (in the caller's transaction): AX messages naming them
 * (their products' messages, or an inbox AX that was never converted) through the codec; every
 * message of their products scrubbed as text, and the office's messages of their strong
 * identifiers; the checklist lines of their products. Returns the changed rows per table.
 */
export async function anonymiseHdnOfPerson(tem: EntityManager, p: PersonInHdn): Promise<Record<string, number>> {
  const changes: Record<string, number> = { hdn_messages: 0, hdn_document_lines: 0 };
  const axRows = await rows<{ id: string; raw_xml: string }>(
    tem,
    `select id, raw_xml from hdn_messages
      where office_id = ? and type = 'AX'
        and (product_id in (${p.products.sql}) or raw_xml ilike any(array[?]::text[]))
      for update`,
    [p.officeId, ...p.products.params, likePatterns(p.needles.strong.length ? p.needles.strong : [REDACTED])],
  );
  for (const m of axRows) {
    const rewritten = anonymiseAx(m.raw_xml, p.identity);
    // A message the codec cannot read any more is kept as a tombstone rather than kept whole.
    const next = rewritten === null ? UNREADABLE_AX_TOMBSTONE : rewritten.xml;
    if (next !== m.raw_xml) {
      await tem.execute('update hdn_messages set raw_xml = ? where id = ?', [next, m.id]);
      changes.hdn_messages! += 1;
    }
  }
  changes.hdn_messages! += await scrubRows(tem, 'hdn_messages', 'id', [
    { name: 'raw_xml', kind: 'text', notNull: true },
    { name: 'summary', kind: 'text', notNull: true },
    { name: 'reason', kind: 'text' },
  ], { sql: `product_id in (${p.products.sql})`, params: p.products.params }, p.needles.scoped);
  changes.hdn_messages! += await scrubRows(tem, 'hdn_messages', 'id', [
    { name: 'raw_xml', kind: 'text', notNull: true },
    { name: 'reason', kind: 'text' },
  ], { sql: `office_id = ?`, params: [p.officeId] }, p.needles.strong);
  changes.hdn_document_lines! += await scrubRows(tem, 'hdn_document_lines', 'id', [
    { name: 'description', kind: 'text' },
    { name: 'remark', kind: 'text' },
  ], { sql: `product_id in (${p.products.sql})`, params: p.products.params }, p.needles.scoped);
  return changes;
}
