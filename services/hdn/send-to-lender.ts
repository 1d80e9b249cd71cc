/**
 * Sending to the lender of a product's HDN application: the application itself (AX) and
 * documents against the lender's checklist (DX).
 *
 * What we send is in the public HDN shape (header inside the message, integrations/hdn/write.ts),
 * whatever shape the adviser's AX arrived in; rows stored before issue 17 hold `<HDN>` XML and
 * are resent as stored.
 *
 * Sending is idempotent on the HDN key (type, receiver, sender, application number, version):
 * the outbound row is written first (state `pending`, with the exact XML), then sent with that
 * key as `idempotency-key`, then marked `sent`. A retry after a crash resends the same XML;
 * once `sent`, the gateway is not called again.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { timeInAmsterdam, todayInAmsterdam } from '../../domain/dates.js';
import { DOCUMENT_LINE_APPROVED } from '../../domain/hdn/document-lines.js';
import type { OutboundMessageType } from '../../domain/hdn/message-types.js';
import type {
  SendHdnApplicationInput,
  SendHdnApplicationResult,
  SendHdnDocumentInput,
  SendHdnDocumentResult,
} from '../../domain/hdn/side-effects.js';
import { one } from '../../db/sql.js';
import { hdnMessageSummary } from '../../integrations/hdn/codec.js';
import { readHdnMessage } from '../../integrations/hdn/read.js';
import { buildPublicHdn, publicHdnWriteVersion } from '../../integrations/hdn/write.js';
import type { HdnGateway } from '../../integrations/hdn/gateway.js';
import { outboundKey } from '../../integrations/hdn/keys.js';
import { HdnError, HdnErrorType, type HdnApplication, type HdnDocumentDelivery, type HdnHeader } from '../../integrations/hdn/types.js';
import { xsdVerdict, type XsdFolderValidator } from '../../integrations/xml/index.js';
import { hdnRefuse } from './refusals.js';
import {
  applicationWithLender,
  documentLineOf,
  insertOutboundOnce,
  markOutboundNotSent,
  markOutboundSent,
  outboundByKey,
  storedXmlOf,
  type ApplicationWithLender,
} from './store.js';

/** *BerichtVersie* of messages we start ourselves (DX); an AX keeps the adviser's version when we have its data file. */
export const HDN_MESSAGE_VERSION = '24.0';

/** *PakketNaam* / *PakketVersie* of what we send (mandatory header fields in the public shape). */
const PACKAGE_NAME = 'dossierflow';
const PACKAGE_VERSION = '0.1.0';

export interface LenderGatewayDeps {
  /** The HDN gateway, or undefined when none is configured (sending then fails non-retryably). */
  gateway: HdnGateway | undefined;
  /** Our own HDN node number (*VerzenderNrHDN* of what we send). */
  node: string;
  now: () => Date;
  /** The office's HDN XSDs (XSD_DIR_HDN): what we send is checked first; absent = not checked. */
  xsd?: XsdFolderValidator;
}

/** The application of a product with the node of its lender. */
type SendableApplication = ApplicationWithLender & { lender_node: string };

async function sendableApplication(em: EntityManager, productId: string): Promise<SendableApplication> {
  const app = await applicationWithLender(em, productId);
  if (!app) throw hdnRefuse.noApplication(`Product ${productId} has no HDN application (convert an AX first)`);
  if (!app.lender_node) throw hdnRefuse.unknownLender(`Lender code "${app.lender_code}" is not configured (hdn_lenders)`);
  return { ...app, lender_node: app.lender_node };
}

/** The HDN key of a message we send about this application (`discriminator`: a DX's line and attempt). */
function keyOf(deps: LenderGatewayDeps, app: SendableApplication, messageType: OutboundMessageType, discriminator?: string): string {
  return outboundKey(
    {
      messageType,
      receiverNode: app.lender_node,
      senderNode: deps.node,
      applicationNumber: app.application_number,
      applicationVersion: String(app.application_version),
    },
    discriminator,
  );
}

/** Header of a message we send about this application: our node to the lender's. */
function outboundHeader(deps: LenderGatewayDeps, app: SendableApplication, messageType: OutboundMessageType, base?: HdnHeader): HdnHeader {
  const at = deps.now();
  return {
    ...base,
    // The version names the structure we write: the requested one when we have its data file, else our newest.
    messageVersion: publicHdnWriteVersion(base?.messageVersion ?? HDN_MESSAGE_VERSION),
    messageType,
    senderNode: deps.node,
    senderName: PACKAGE_NAME,
    receiverNode: app.lender_node,
    // OntvangerNaam is mandatory in the public header: the lender's code when no name is configured.
    receiverName: app.lender_name || app.lender_code,
    receiverCode: app.lender_code,
    // We are the sending software now, not the adviser's package.
    packageName: PACKAGE_NAME,
    packageVersion: PACKAGE_VERSION,
    applicationNumber: app.application_number,
    applicationVersion: String(app.application_version),
    sentDate: todayInAmsterdam(at),
    sentTime: timeInAmsterdam(at),
  };
}

/**
 * Stores the outbound message first (state `pending`, exact XML, unique on `key`), then sends
 * that stored XML with `key` as idempotency key and marks it `sent`. Once sent, never again.
 * `build` is only called when nothing is stored under the key yet.
 */
async function sendOutbound(
  em: EntityManager,
  deps: LenderGatewayDeps,
  o: { key: string; type: OutboundMessageType; productId: string; app: SendableApplication; build: () => Promise<{ header: HdnHeader; xml: string }> },
): Promise<{ messageId: string; sentNow: boolean }> {
  let row = await outboundByKey(em, o.key);
  if (row?.state === 'sent') return { messageId: row.id, sentNow: false };
  if (!row) {
    const { header, xml } = await o.build();
    row = await insertOutboundOnce(em, {
      key: o.key,
      type: o.type,
      officeId: o.app.office_id,
      productId: o.productId,
      senderNode: header.senderNode,
      receiverNode: header.receiverNode,
      applicationNumber: o.app.application_number,
      applicationVersion: o.app.application_version,
      summary: hdnMessageSummary(readHdnMessage(xml)),
      rawXml: xml,
    });
    if (row.state === 'sent') return { messageId: row.id, sentNow: false };
  }
  if (!deps.gateway) throw hdnRefuse.gatewayRejected('No HDN gateway is configured (HDN_GATEWAY_URL)');
  // Checked on every attempt, as stored: a message the lender's XSD would refuse is not sent;
  // it stays stored, failed, with the validator's words (retrying cannot help).
  const schema = xsdVerdict(await deps.xsd?.validate(row.raw_xml));
  if (schema.action === 'park') {
    await markOutboundNotSent(em, row.id, { state: 'failed', reason: schema.reason });
    throw hdnRefuse.gatewayRejected(`Not sent: ${schema.reason}`);
  }
  try {
    // The facts travel next to the XML on the HDN API platform (its envelope) and choose the transport.
    await deps.gateway.send(row.raw_xml, {
      idempotencyKey: o.key,
      message: {
        messageType: o.type,
        senderNode: deps.node,
        receiverNode: o.app.lender_node,
        applicationNumber: o.app.application_number,
        applicationVersion: String(o.app.application_version),
      },
    });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const retryable = !(err instanceof HdnError) || err.type === HdnErrorType.GatewayUnavailable;
    await markOutboundNotSent(em, row.id, { state: retryable ? 'pending' : 'failed', reason: message });
    throw retryable ? hdnRefuse.gatewayUnavailable(message) : hdnRefuse.gatewayRejected(message);
  }
  await markOutboundSent(em, row.id);
  return { messageId: row.id, sentNow: true };
}

/** The AX we send: the adviser's AX with our node as sender and the lender as receiver. */
async function outboundApplication(em: EntityManager, deps: LenderGatewayDeps, app: SendableApplication): Promise<{ header: HdnHeader; xml: string }> {
  const source = await storedXmlOf(em, app.source_message_id);
  if (!source || source.type !== 'AX') throw hdnRefuse.noApplication(`The AX ${app.source_message_id} of this application is missing`);
  // The adviser's AX as stored: legacy <HDN> or public shape, read by the one entry point.
  const parsed = readHdnMessage(source.raw_xml);
  if (parsed.type !== 'AX') throw hdnRefuse.noApplication(`Message ${app.source_message_id} is not an AX`);
  const header = outboundHeader(deps, app, 'AX', parsed.header);
  // Codes observed on the way in are facts about that message, not part of what we send.
  const { codes: _codes, ...application } = parsed;
  const message: HdnApplication = { ...application, header };
  return { header, xml: writeOrRefuse(message) };
}

/**
 * The public-shape XML of what we send. What the version cannot carry (e.g. a legacy repayment
 * word with no code in the list) is a refusal: nothing is stored or sent, and retrying cannot help.
 */
function writeOrRefuse(message: HdnApplication | HdnDocumentDelivery): string {
  try {
    return buildPublicHdn(message);
  } catch (err) {
    if (err instanceof HdnError && err.type === HdnErrorType.Invalid) {
      throw hdnRefuse.gatewayRejected(`Not sent: the ${message.type} cannot be written as HDN ${message.header.messageVersion}: ${err.message}`);
    }
    throw err;
  }
}

/** Sends the product's application (AX) to its lender, once. */
export async function sendApplicationToLender(
  em: EntityManager,
  deps: LenderGatewayDeps,
  input: SendHdnApplicationInput,
): Promise<SendHdnApplicationResult> {
  const app = await sendableApplication(em, input.productId);
  const sent = await sendOutbound(em, deps, {
    key: keyOf(deps, app, 'AX'),
    type: 'AX',
    productId: input.productId,
    app,
    build: () => outboundApplication(em, deps, app),
  });
  return {
    messageId: sent.messageId,
    applicationNumber: app.application_number,
    applicationVersion: Number(app.application_version),
    lenderCode: app.lender_code,
    sentNow: sent.sentNow,
  };
}

/**
 * Sends an uploaded document to the lender as DX against one line of its checklist, once per
 * (line, attempt). Lines the lender fetched itself are refused; an approved line too, unless
 * this attempt's DX was stored before the approval (it then goes out as stored).
 */
export async function sendDocumentToLender(em: EntityManager, deps: LenderGatewayDeps, input: SendHdnDocumentInput): Promise<SendHdnDocumentResult> {
  const app = await sendableApplication(em, input.productId);
  const line = await documentLineOf(em, input.productId, input.lineId);
  if (!line) throw hdnRefuse.lineNotSendable(`The lender's checklist has no line ${input.lineId}`);
  if (line.fetched_by_lender) {
    throw hdnRefuse.lineNotSendable(`Line ${input.lineId} (${line.document_kind}) was fetched by the lender itself: no DX is sent`);
  }
  const sent = await sendOutbound(em, deps, {
    key: keyOf(deps, app, 'DX', `${input.lineId}#${input.attempt}`),
    type: 'DX',
    productId: input.productId,
    app,
    build: async () => {
      // Only checked before the first send: a DX already stored for this attempt goes out as stored.
      if (line.status === DOCUMENT_LINE_APPROVED) {
        throw hdnRefuse.lineNotSendable(`Line ${input.lineId} (${line.document_kind}) is already approved by the lender: not sent again`);
      }
      const doc = await one<{ filename: string; content_type: string; content: Buffer }>(
        em,
        `select filename, content_type, content from documents where id = ? and product_id = ?`,
        [input.documentId, input.productId],
      );
      if (!doc) throw hdnRefuse.noApplication(`Document ${input.documentId} of this product is missing`);
      const header = outboundHeader(deps, app, 'DX');
      const dx: HdnDocumentDelivery = {
        type: 'DX',
        header,
        lineId: input.lineId,
        documentKind: line.document_kind,
        attachment: { filename: doc.filename, contentType: doc.content_type, contentBase64: Buffer.from(doc.content).toString('base64') },
      };
      return { header, xml: writeOrRefuse(dx) };
    },
  });
  return { messageId: sent.messageId, documentKind: line.document_kind, sentNow: sent.sentNow };
}
