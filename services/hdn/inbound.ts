/**
 * POST /hdn/messages: an HDN message from advice software (AX) or a lender (SX, OX, DA).
 * docs/ARCHITECTURE.md rule 4: validated, stored with its unique key, acknowledged, then routed.
 * A redelivery gets the first answer again (same id, current state, `duplicate: true`) and
 * has no new effect, except that a lender message still undelivered is delivered again.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { newId } from '../../db/ids.js';
import { inboundKey } from '../../integrations/hdn/keys.js';
import { hdnMessageSummary } from '../../integrations/hdn/codec.js';
import { readHdnMessage, readHdnMessageOffThread, type HdnReadOptions } from '../../integrations/hdn/read.js';
import { xsdVerdict, type XmlParsePool, type XsdFolderValidator } from '../../integrations/xml/index.js';
import { readXmlOffThread, xmlText } from '../shared/xml-reader.js';
import { HdnError, HdnErrorType, type HdnMessage } from '../../integrations/hdn/types.js';
import { adviceSoftwareMessageTypes, isLenderMessageType, lenderMessageTypes, type HdnMessageType } from '../../domain/hdn/message-types.js';
import type { Role } from '../../domain/roles.js';
import type { HdnInboundAnswer } from './schemas.js';
import type { Principal } from '../../domain/roles.js';
import type { TemporalDeps } from '../../integrations/temporal/connection.js';
import { DomainError } from '../../domain/errors.js';
import { one } from '../../db/sql.js';
import { routeLenderMessage } from './routing.js';
import type { StageTimes } from './stage-times.js';
import { moveMessage, storeInbound, type MessageRow } from './store.js';
import type { LenderHdnMessage, ProductWorkflowRef } from './workflow.js';

/** What each party may send us. */
const allowedTypes: Partial<Record<Role, readonly HdnMessageType[]>> = {
  advice_software: adviceSoftwareMessageTypes,
  lender: lenderMessageTypes,
};

export interface InboundContext {
  em: EntityManager;
  temporal: TemporalDeps;
  /** Our own HDN node number. */
  ourNode: string;
  /** Stage times of this request (Server-Timing), when the route measures them. */
  times?: StageTimes;
  /** The XML pool the message is parsed in, off the event loop. */
  xmlPool: XmlParsePool;
  /** The office's HDN XSDs (XSD_DIR_HDN); absent = not validated against an XSD. */
  xsd?: XsdFolderValidator;
  /** Unverified HDN codes the office accepts as known (HDN_ENABLED_UNVERIFIED_CODES); absent = none. */
  enabledUnverifiedCodes?: Readonly<Record<string, readonly string[]>>;
}

/** Codec failures as problems: the codec's message names the element at fault. */
export function hdnParseProblem(err: HdnError): DomainError {
  const extra = { hdnErrorType: err.type, ...(err.element !== undefined ? { element: err.element } : {}) };
  if (err.type === HdnErrorType.TooLarge) return new DomainError('too-large', 'hdn-too-large', err.message, extra);
  return new DomainError('invalid', 'hdn-invalid', err.message, extra);
}

/** Either shape: the public structure (by its BerichtVersie's data file) or the legacy <HDN>. */
export function parseOrProblem(xml: string, options?: HdnReadOptions): HdnMessage {
  try {
    return readHdnMessage(xml, undefined, options);
  } catch (err) {
    if (err instanceof HdnError) throw hdnParseProblem(err);
    throw err;
  }
}

/** `parseOrProblem` in a thread of the XML pool: the API's path for an untrusted body. */
export async function parseOffThreadOrProblem(pool: XmlParsePool, xml: string | Uint8Array, options?: HdnReadOptions): Promise<HdnMessage> {
  try {
    return await readXmlOffThread(() => readHdnMessageOffThread(pool, xml, undefined, options));
  } catch (err) {
    if (err instanceof HdnError) throw hdnParseProblem(err);
    throw err;
  }
}

export function isLenderMessage(m: HdnMessage): m is LenderHdnMessage {
  return isLenderMessageType(m.type);
}

/** The credential's HDN node and, for a lender message, the product its application belongs to. */
interface PartyAndRoute {
  node: string | null;
  product: ProductWorkflowRef | undefined;
}

/**
 * One round trip for what the accept path reads: the sender's node (to check it) and the product
 * of the application (to route to). Read before the message is stored; a product converted in
 * between is the same as the message arriving a moment earlier (it is parked, then routable by hand).
 */
async function partyAndRoute(em: EntityManager, principal: Principal, m: HdnMessage): Promise<PartyAndRoute> {
  const row = await one<{
    hdn_node: string | null;
    product_id: string | null;
    dossier_id: string | null;
    workflow_id: string | null;
    process_key: string | null;
    process_version: number | null;
  }>(
    em,
    `select c.hdn_node, p.id as product_id, p.dossier_id, p.workflow_id, p.process_key, p.process_version
       from api_credentials c
       left join hdn_applications a on ? and a.office_id = ? and a.application_number = ?
       left join products p on p.id = a.product_id
      where c.id = ?`,
    [isLenderMessage(m), principal.officeId, m.header.applicationNumber, principal.credentialId],
  );
  const product =
    row?.product_id && row.dossier_id && row.workflow_id && row.process_key && row.process_version !== null
      ? {
          productId: row.product_id,
          dossierId: row.dossier_id,
          workflowId: row.workflow_id,
          processKey: row.process_key,
          processVersion: Number(row.process_version),
        }
      : undefined;
  return { node: row?.hdn_node ?? null, product };
}

/** The checks before storage: party, sender and receiver node, application version. */
async function checkParty(ctx: InboundContext, principal: Principal, m: HdnMessage): Promise<{ version: number; product: ProductWorkflowRef | undefined }> {
  const allowed = allowedTypes[principal.role] ?? [];
  if (!allowed.includes(m.type)) {
    throw new DomainError('forbidden', 'hdn-type-not-allowed',
      `A credential with role '${principal.role}' may not send ${m.type} messages; allowed: ${allowed.join(', ') || 'none'}`,
    );
  }
  const { node, product } = await partyAndRoute(ctx.em, principal, m);
  if (node === null) throw new DomainError('forbidden', 'hdn-no-node', 'This credential has no HDN node; ask the office to register it');
  if (m.header.senderNode !== node) {
    throw new DomainError('forbidden', 'hdn-sender-mismatch',
      `VerzenderNrHDN ${m.header.senderNode} does not match the HDN node of this credential (${node})`,
    );
  }
  if (m.header.receiverNode !== ctx.ourNode) {
    throw new DomainError('invalid', 'hdn-wrong-receiver',
      `OntvangerNrHDN ${m.header.receiverNode} is not this platform's HDN node (${ctx.ourNode})`,
    );
  }
  const version = Number(m.header.applicationVersion);
  if (!Number.isInteger(version) || version < 1) {
    throw new DomainError('invalid', 'hdn-invalid', `AanvraagVersie must be a positive integer, got "${m.header.applicationVersion}"`);
  }
  return { version, product };
}

export function inboundAnswer(row: MessageRow, duplicate: boolean): HdnInboundAnswer {
  return {
    id: row.id,
    type: row.type,
    state: row.state,
    duplicate,
    ...(row.reason !== null ? { reason: row.reason } : {}),
  };
}

/** `body`: the message as received (bytes from the API: decoded only once the reader accepted it). */
export async function receiveInbound(ctx: InboundContext, principal: Principal, body: string | Uint8Array): Promise<HdnInboundAnswer> {
  const message = await parseInbound(ctx, body);
  ctx.times?.lap('parse');
  return receiveParsedInbound(ctx, principal, body, message);
}

/** The codec's reading of an inbound body with the office's enabled unverified codes; refusals as problems. */
export function parseInbound(ctx: InboundContext, body: string | Uint8Array): Promise<HdnMessage> {
  return parseOffThreadOrProblem(
    ctx.xmlPool,
    body,
    ctx.enabledUnverifiedCodes !== undefined ? { enabledUnverifiedCodes: ctx.enabledUnverifiedCodes } : undefined,
  );
}

/**
 * `receiveInbound` after the codec: for a caller that had to read the message already (the HDN
 * platform transport compares it with its envelope), so a body is parsed once. `message` must be
 * the codec's reading of `body`.
 */
export async function receiveParsedInbound(ctx: InboundContext, principal: Principal, body: string | Uint8Array, message: HdnMessage): Promise<HdnInboundAnswer> {
  const { version: applicationVersion, product } = await checkParty(ctx, principal, message);
  ctx.times?.lap('db-checks');
  // After the codec and the party checks (no schema work for a refused body), before storing: a
  // message that fails the office's XSD is stored all the same and parked with the validator's words.
  const schema = xsdVerdict(await ctx.xsd?.validate(body));
  if (ctx.xsd) ctx.times?.lap('xsd');

  const { row, stored } = await storeInbound(ctx.em, {
    id: newId(),
    officeId: principal.officeId,
    credentialId: principal.credentialId,
    type: message.type,
    key: inboundKey(message),
    senderNode: message.header.senderNode,
    receiverNode: message.header.receiverNode,
    applicationNumber: message.header.applicationNumber,
    applicationVersion,
    statusCode: message.type === 'SX' ? message.statusCode : null,
    codes: 'codes' in message && message.codes !== undefined ? message.codes : null,
    summary: hdnMessageSummary(message),
    rawXml: xmlText(body),
  });
  ctx.times?.lap('db-store');
  if (row.office_id !== principal.officeId) {
    // The key carries no office: the same message identity from another office's party.
    // Answer without revealing anything about the other office's row.
    throw new DomainError('conflict', 'hdn-duplicate-elsewhere', 'A message with the same identity (sender, application, sent at) was already received');
  }

  if (stored && schema.action === 'park') {
    return inboundAnswer(await moveMessage(ctx.em, row.id, { state: 'parked', reason: schema.reason }), false);
  }

  // An AX waits in the inbox until an adviser converts it; a lender message goes to its product.
  // A redelivered lender message that is still undelivered ('received') is routed again.
  if (isLenderMessage(message) && row.state === 'received') {
    return inboundAnswer(
      await routeLenderMessage(ctx.em, ctx.temporal, row, message, product, ctx.times, ctx.enabledUnverifiedCodes?.sxStatus ?? []),
      !stored,
    );
  }
  return inboundAnswer(row, !stored);
}
