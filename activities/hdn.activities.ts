/**
 * HDN activities: send the application (AX) to the lender, give a stored lender message its
 * outcome, and turn a DA into the product's lender checklist.
 *
 * Sending is idempotent on the HDN key (type, receiver, sender, application number, version):
 * the outbound row is written first (state `pending`, with the exact XML), then sent with that
 * key as `idempotency-key`, then marked `sent`. A retry after a crash resends the same XML;
 * once `sent`, the gateway is not called again.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { newId } from '../db/ids.js';
import { outboundKey } from '../integrations/hdn/keys.js';
import { timeInAmsterdam, todayInAmsterdam } from '../domain/dates.js';
import { buildHdn, hdnMessageSummary, parseHdn } from '../integrations/hdn/codec.js';
import type { HdnGateway } from '../integrations/hdn/gateway.js';
import { HdnError, HdnErrorType, type HdnApplication, type HdnDocumentDelivery, type HdnHeader } from '../integrations/hdn/types.js';
import {
  HdnActivityFailure,
  type ApplyDocumentRequestInput,
  type HdnActivities,
  type MarkHdnMessageInput,
  type RecordLenderMessagesInput,
  type SendHdnApplicationInput,
  type SendHdnApplicationResult,
  type SendHdnDocumentInput,
  type SendHdnDocumentResult,
} from './hdn.contract.js';
import { lockProduct } from '../services/products/history.js';
import { insertHistoryEntry } from '../services/products/store.js';
import { withFailureTypes } from './failures.js';

/** *BerichtVersie* of messages we start ourselves (DX); replies to an AX keep the AX's version. */
const HDN_MESSAGE_VERSION = '24.0';

export interface HdnActivitiesDeps {
  orm: MikroORM;
  /** The HDN gateway, or undefined when none is configured (sending then fails non-retryably). */
  gateway: HdnGateway | undefined;
  /** Our own HDN node number (*VerzenderNrHDN* of what we send). */
  node: string;
  now?: () => Date;
}

interface ApplicationRow {
  application_number: string;
  application_version: number;
  lender_code: string;
  source_message_id: string;
  office_id: string;
  lender_name: string | null;
  lender_node: string | null;
}

interface OutboundRow {
  id: string;
  state: string;
  raw_xml: string;
}

function fail(type: string, message: string, nonRetryable: boolean): ApplicationFailure {
  return ApplicationFailure.create({ type, message, nonRetryable });
}


export function createHdnActivities(deps: HdnActivitiesDeps): HdnActivities {
  const now = deps.now ?? (() => new Date());

  async function loadApplication(em: EntityManager, productId: string): Promise<ApplicationRow> {
    const [row] = await em.execute<ApplicationRow[]>(
      `select a.application_number, a.application_version, a.lender_code, a.source_message_id, a.office_id,
              l.name as lender_name, l.node_number as lender_node
       from hdn_applications a left join hdn_lenders l on l.code = a.lender_code
       where a.product_id = ?`,
      [productId],
    );
    if (!row) throw fail(HdnActivityFailure.NoApplication, `Product ${productId} has no HDN application (convert an AX first)`, true);
    if (!row.lender_node) throw fail(HdnActivityFailure.UnknownLender, `Lender code "${row.lender_code}" is not configured (hdn_lenders)`, true);
    return row;
  }

  /** Header of a message we send about this application: our node to the lender's. */
  function outboundHeader(app: ApplicationRow, messageType: HdnHeader['messageType'], base?: HdnHeader): HdnHeader {
    const at = now();
    return {
      ...(base ?? { messageVersion: HDN_MESSAGE_VERSION }),
      messageType,
      senderNode: deps.node,
      senderName: 'dossierflow',
      receiverNode: app.lender_node!,
      ...(app.lender_name ? { receiverName: app.lender_name } : {}),
      receiverCode: app.lender_code,
      applicationNumber: app.application_number,
      applicationVersion: String(app.application_version),
      sentDate: todayInAmsterdam(at),
      sentTime: timeInAmsterdam(at),
    };
  }

  /**
   * Stores the outbound message first (state `pending`, exact XML, unique on `key`), then sends
   * that stored XML with `key` as idempotency key and marks it `sent`. Once sent, never again.
   */
  async function sendOutbound(
    em: EntityManager,
    o: { key: string; type: 'AX' | 'DX'; officeId: string; productId: string; app: ApplicationRow; build: () => Promise<{ header: HdnHeader; xml: string }> },
  ): Promise<{ messageId: string; sentNow: boolean }> {
    const select = async () =>
      (await em.execute<OutboundRow[]>(`select id, state, raw_xml from hdn_messages where message_key = ?`, [o.key]))[0];
    let row = await select();
    if (row?.state === 'sent') return { messageId: row.id, sentNow: false };
    if (!row) {
      const { header, xml } = await o.build();
      await em.execute(
        `insert into hdn_messages (id, office_id, direction, type, message_key, sender_node, receiver_node, application_number,
           application_version, summary, raw_xml, state, product_id)
         values (?, ?, 'out', ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?) on conflict (message_key) do nothing`,
        [newId(), o.officeId, o.type, o.key, header.senderNode, header.receiverNode, o.app.application_number,
          o.app.application_version, hdnMessageSummary(parseHdn(xml)), xml, o.productId],
      );
      row = await select();
      if (!row) throw new Error(`outbound ${o.type} ${o.key} vanished after insert`);
      if (row.state === 'sent') return { messageId: row.id, sentNow: false };
    }
    if (!deps.gateway) {
      throw fail(HdnActivityFailure.Rejected, 'No HDN gateway is configured (HDN_GATEWAY_URL)', true);
    }
    try {
      await deps.gateway.send(row.raw_xml, { idempotencyKey: o.key });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const retryable = !(err instanceof HdnError) || err.type === HdnErrorType.GatewayUnavailable;
      await em.execute(`update hdn_messages set state = ?, reason = ?, processed_at = now() where id = ?`, [
        retryable ? 'pending' : 'failed', message, row.id,
      ]);
      throw fail(retryable ? HdnActivityFailure.Unavailable : HdnActivityFailure.Rejected, message, !retryable);
    }
    await em.execute(`update hdn_messages set state = 'sent', reason = null, processed_at = now() where id = ?`, [row.id]);
    return { messageId: row.id, sentNow: true };
  }

  /** The AX we send: the adviser's AX with our node as sender and the lender as receiver. */
  async function outboundApplication(em: EntityManager, app: ApplicationRow): Promise<{ header: HdnHeader; xml: string }> {
    const [source] = await em.execute<{ raw_xml: string }[]>(
      `select raw_xml from hdn_messages where id = ? and type = 'AX'`,
      [app.source_message_id],
    );
    if (!source) throw fail(HdnActivityFailure.NoApplication, `The AX ${app.source_message_id} of this application is missing`, true);
    const parsed = parseHdn(source.raw_xml);
    if (parsed.type !== 'AX') throw fail(HdnActivityFailure.NoApplication, `Message ${app.source_message_id} is not an AX`, true);
    const header = outboundHeader(app, 'AX', parsed.header);
    const message: HdnApplication = { ...parsed, header };
    return { header, xml: buildHdn(message) };
  }

  return withFailureTypes({
    async sendHdnApplication(input: SendHdnApplicationInput): Promise<SendHdnApplicationResult> {
      const em = deps.orm.em.fork();
      const app = await loadApplication(em, input.productId);
      const key = outboundKey({
        messageType: 'AX',
        receiverNode: app.lender_node!,
        senderNode: deps.node,
        applicationNumber: app.application_number,
        applicationVersion: String(app.application_version),
      });
      const sent = await sendOutbound(em, {
        key,
        type: 'AX',
        officeId: app.office_id,
        productId: input.productId,
        app,
        build: () => outboundApplication(em, app),
      });
      return {
        messageId: sent.messageId,
        applicationNumber: app.application_number,
        applicationVersion: Number(app.application_version),
        lenderCode: app.lender_code,
        sentNow: sent.sentNow,
      };
    },

    async sendHdnDocument(input: SendHdnDocumentInput): Promise<SendHdnDocumentResult> {
      const em = deps.orm.em.fork();
      const app = await loadApplication(em, input.productId);
      const [line] = await em.execute<{ document_kind: string; status: string; fetched_by_lender: boolean }[]>(
        `select document_kind, status, fetched_by_lender from hdn_document_lines where product_id = ? and line_id = ?`,
        [input.productId, input.lineId],
      );
      if (!line) throw fail(HdnActivityFailure.LineNotSendable, `The lender's checklist has no line ${input.lineId}`, true);
      if (line.fetched_by_lender) {
        throw fail(HdnActivityFailure.LineNotSendable, `Line ${input.lineId} (${line.document_kind}) was fetched by the lender itself: no DX is sent`, true);
      }
      const key = outboundKey(
        { messageType: 'DX', receiverNode: app.lender_node!, senderNode: deps.node, applicationNumber: app.application_number, applicationVersion: String(app.application_version) },
        `${input.lineId}#${input.attempt}`,
      );
      const sent = await sendOutbound(em, {
        key,
        type: 'DX',
        officeId: app.office_id,
        productId: input.productId,
        app,
        build: async () => {
          // Only checked before the first send: a DX already stored for this attempt goes out as stored.
          if (line.status === '04') {
            throw fail(HdnActivityFailure.LineNotSendable, `Line ${input.lineId} (${line.document_kind}) is already approved by the lender: not sent again`, true);
          }
          const [doc] = await em.execute<{ filename: string; content_type: string; content: Buffer }[]>(
            `select filename, content_type, content from documents where id = ? and product_id = ?`,
            [input.documentId, input.productId],
          );
          if (!doc) throw fail(HdnActivityFailure.NoApplication, `Document ${input.documentId} of this product is missing`, true);
          const header = outboundHeader(app, 'DX');
          const dx: HdnDocumentDelivery = {
            type: 'DX',
            header,
            lineId: input.lineId,
            documentKind: line.document_kind,
            attachment: { filename: doc.filename, contentType: doc.content_type, contentBase64: Buffer.from(doc.content).toString('base64') },
          };
          return { header, xml: buildHdn(dx) };
        },
      });
      return { messageId: sent.messageId, documentKind: line.document_kind, sentNow: sent.sentNow };
    },

    async markHdnMessage(input: MarkHdnMessageInput): Promise<void> {
      const em = deps.orm.em.fork();
      await em.execute(`update hdn_messages set state = ?, reason = ?, product_id = ?, processed_at = now() where id = ?`, [
        input.outcome, input.reason, input.productId, input.messageId,
      ]);
    },

    async recordLenderMessages(input: RecordLenderMessagesInput): Promise<void> {
      if (input.records.length === 0) return;
      await deps.orm.em.fork().transactional(async (tem) => {
        await lockProduct(tem, input.productId);
        for (const r of input.records) await insertHistoryEntry(tem, r.transition);
        // All outcomes in one statement: the same update markHdnMessage makes, per message.
        const outcomes = input.records.map((r) => ({ id: r.messageId, outcome: r.outcome, reason: r.reason }));
        await tem.execute(
          `update hdn_messages m set state = v.outcome, reason = v.reason, product_id = ?, processed_at = now()
             from jsonb_to_recordset(?::jsonb) as v(id uuid, outcome text, reason text)
            where m.id = v.id`,
          [input.productId, JSON.stringify(outcomes)],
        );
      });
    },

    async applyDocumentRequest(input: ApplyDocumentRequestInput): Promise<{ lines: number }> {
      const em = deps.orm.em.fork();
      const [stored] = await em.execute<{ raw_xml: string }[]>(`select raw_xml from hdn_messages where id = ?`, [input.messageId]);
      if (!stored) throw fail(HdnActivityFailure.NoApplication, `HDN message ${input.messageId} is missing`, true);
      const da = parseHdn(stored.raw_xml);
      if (da.type !== 'DA') throw fail(HdnActivityFailure.NoApplication, `HDN message ${input.messageId} is not a DA`, true);
      await em.transactional(async (tem) => {
        for (const line of da.lines) {
          await tem.execute(
            `insert into hdn_document_lines (id, product_id, line_id, document_kind, description, status, applicant_position,
               fetched_by_lender, remark, message_id, updated_at)
             values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now())
             on conflict (product_id, line_id) do update set document_kind = excluded.document_kind,
               description = excluded.description, status = excluded.status, applicant_position = excluded.applicant_position,
               fetched_by_lender = excluded.fetched_by_lender, remark = excluded.remark, message_id = excluded.message_id,
               updated_at = now()`,
            [newId(), input.productId, line.lineId, line.documentKind, line.description ?? null, line.status,
              line.applicantPosition ?? null, line.fetchedByLender, line.remark ?? null, input.messageId],
          );
        }
      });
      const [count] = await em.execute<{ n: string }[]>(`select count(*) as n from hdn_document_lines where product_id = ?`, [input.productId]);
      return { lines: Number(count?.n ?? 0) };
    },
  });
}
