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
import { outboundKey } from '../domain/hdn/keys.js';
import { todayInAmsterdam } from '../domain/dates.js';
import { buildHdn, hdnMessageSummary, parseHdn } from '../integrations/hdn/codec.js';
import type { HdnGateway } from '../integrations/hdn/gateway.js';
import { HdnError, HdnErrorType, type HdnApplication, type HdnHeader } from '../integrations/hdn/types.js';
import {
  HdnActivityFailure,
  type ApplyDocumentRequestInput,
  type HdnActivities,
  type MarkHdnMessageInput,
  type SendHdnApplicationInput,
  type SendHdnApplicationResult,
} from './hdn.contract.js';

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

/** HH:MM:SS in Europe/Amsterdam. */
function timeInAmsterdam(at: Date): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Amsterdam', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(at);
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

  /** The AX we send: the adviser's AX with our node as sender and the lender as receiver. */
  async function outboundApplication(em: EntityManager, app: ApplicationRow): Promise<{ header: HdnHeader; xml: string }> {
    const [source] = await em.execute<{ raw_xml: string }[]>(
      `select raw_xml from hdn_messages where id = ? and type = 'AX'`,
      [app.source_message_id],
    );
    if (!source) throw fail(HdnActivityFailure.NoApplication, `The AX ${app.source_message_id} of this application is missing`, true);
    const parsed = parseHdn(source.raw_xml);
    if (parsed.type !== 'AX') throw fail(HdnActivityFailure.NoApplication, `Message ${app.source_message_id} is not an AX`, true);
    const at = now();
    const header: HdnHeader = {
      ...parsed.header,
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
    const message: HdnApplication = { ...parsed, header };
    return { header, xml: buildHdn(message) };
  }

  return {
    async sendHdnApplication(input: SendHdnApplicationInput): Promise<SendHdnApplicationResult> {
      const em = deps.orm.em.fork();
      const app = await loadApplication(em, input.productId);
      const result = (messageId: string, sentNow: boolean): SendHdnApplicationResult => ({
        messageId,
        applicationNumber: app.application_number,
        applicationVersion: Number(app.application_version),
        lenderCode: app.lender_code,
        sentNow,
      });
      const key = outboundKey({
        messageType: 'AX',
        receiverNode: app.lender_node!,
        senderNode: deps.node,
        applicationNumber: app.application_number,
        applicationVersion: String(app.application_version),
      } as HdnHeader);

      let [row] = await em.execute<OutboundRow[]>(`select id, state, raw_xml from hdn_messages where message_key = ?`, [key]);
      if (row?.state === 'sent') return result(row.id, false);
      if (!row) {
        const { header, xml } = await outboundApplication(em, app);
        await em.execute(
          `insert into hdn_messages (id, office_id, direction, type, message_key, sender_node, receiver_node, application_number,
             application_version, summary, raw_xml, state, product_id)
           values (?, ?, 'out', 'AX', ?, ?, ?, ?, ?, ?, ?, 'pending', ?) on conflict (message_key) do nothing`,
          [newId(), app.office_id, key, header.senderNode, header.receiverNode, app.application_number, app.application_version,
            hdnMessageSummary(parseHdn(xml)), xml, input.productId],
        );
        [row] = await em.execute<OutboundRow[]>(`select id, state, raw_xml from hdn_messages where message_key = ?`, [key]);
        if (!row) throw new Error(`outbound AX ${key} vanished after insert`);
        if (row.state === 'sent') return result(row.id, false);
      }
      if (!deps.gateway) {
        throw fail(HdnActivityFailure.Rejected, 'No HDN gateway is configured (HDN_GATEWAY_URL)', true);
      }
      try {
        await deps.gateway.send(row.raw_xml, { idempotencyKey: key });
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        const retryable = !(err instanceof HdnError) || err.type === HdnErrorType.GatewayUnavailable;
        await em.execute(`update hdn_messages set state = ?, reason = ?, processed_at = now() where id = ?`, [
          retryable ? 'pending' : 'failed', message, row.id,
        ]);
        throw fail(retryable ? HdnActivityFailure.Unavailable : HdnActivityFailure.Rejected, message, !retryable);
      }
      await em.execute(`update hdn_messages set state = 'sent', reason = null, processed_at = now() where id = ?`, [row.id]);
      return result(row.id, true);
    },

    async markHdnMessage(input: MarkHdnMessageInput): Promise<void> {
      const em = deps.orm.em.fork();
      await em.execute(`update hdn_messages set state = ?, reason = ?, product_id = ?, processed_at = now() where id = ?`, [
        input.outcome, input.reason, input.productId, input.messageId,
      ]);
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
  };
}
