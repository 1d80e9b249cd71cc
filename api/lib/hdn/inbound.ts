/**
 * POST /hdn/messages: an HDN message from advice software (AX) or a lender (SX, OX, DA).
 * ARCHITECTURE rule 4: validated, stored with its unique key, acknowledged, then routed.
 * A redelivery gets the first answer again (same id, current state, `duplicate: true`) and
 * has no new effect, except that a lender message still undelivered is delivered again.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { newId } from '../../../db/ids.js';
import { inboundKey } from '../../../domain/hdn/keys.js';
import { hdnMessageSummary, parseHdn } from '../../../integrations/hdn/codec.js';
import { HdnError, HdnErrorType, type HdnMessage, type HdnMessageType } from '../../../integrations/hdn/types.js';
import type { Role } from '../../../domain/roles.js';
import type { HdnInboundAnswer } from '../../schemas/hdn.js';
import type { Principal, TemporalDeps } from '../../types.js';
import { HttpProblem } from '../problem.js';
import { one } from '../sql.js';
import { routeLenderMessage } from './routing.js';
import { storeInbound, type MessageRow } from './store.js';
import type { LenderHdnMessage } from './workflow.js';

/** What each party may send us. */
const allowedTypes: Partial<Record<Role, readonly HdnMessageType[]>> = {
  advice_software: ['AX'],
  lender: ['SX', 'OX', 'DA'],
};

export interface InboundContext {
  em: EntityManager;
  temporal: TemporalDeps;
  /** Our own HDN node number. */
  ourNode: string;
}

/** Codec failures as problems: the codec's message names the element at fault. */
export function hdnParseProblem(err: HdnError): HttpProblem {
  const extra = { hdnErrorType: err.type, ...(err.element !== undefined ? { element: err.element } : {}) };
  if (err.type === HdnErrorType.TooLarge) return new HttpProblem(413, 'hdn-too-large', err.message, extra);
  return new HttpProblem(400, 'hdn-invalid', err.message, extra);
}

export function parseOrProblem(xml: string): HdnMessage {
  try {
    return parseHdn(xml);
  } catch (err) {
    if (err instanceof HdnError) throw hdnParseProblem(err);
    throw err;
  }
}

export function isLenderMessage(m: HdnMessage): m is LenderHdnMessage {
  return m.type === 'SX' || m.type === 'OX' || m.type === 'DA';
}

async function credentialNode(em: EntityManager, credentialId: string): Promise<string | null> {
  const row = await one<{ hdn_node: string | null }>(em, 'select hdn_node from api_credentials where id = ?', [credentialId]);
  return row?.hdn_node ?? null;
}

/** The checks that need no storage: party, sender and receiver node, application version. */
async function checkParty(ctx: InboundContext, principal: Principal, m: HdnMessage): Promise<number> {
  const allowed = allowedTypes[principal.role] ?? [];
  if (!allowed.includes(m.type)) {
    throw new HttpProblem(
      403,
      'hdn-type-not-allowed',
      `A credential with role '${principal.role}' may not send ${m.type} messages; allowed: ${allowed.join(', ') || 'none'}`,
    );
  }
  const node = await credentialNode(ctx.em, principal.credentialId);
  if (node === null) throw new HttpProblem(403, 'hdn-no-node', 'This credential has no HDN node; ask the office to register it');
  if (m.header.senderNode !== node) {
    throw new HttpProblem(
      403,
      'hdn-sender-mismatch',
      `VerzenderNrHDN ${m.header.senderNode} does not match the HDN node of this credential (${node})`,
    );
  }
  if (m.header.receiverNode !== ctx.ourNode) {
    throw new HttpProblem(
      400,
      'hdn-wrong-receiver',
      `OntvangerNrHDN ${m.header.receiverNode} is not this platform's HDN node (${ctx.ourNode})`,
    );
  }
  const version = Number(m.header.applicationVersion);
  if (!Number.isInteger(version) || version < 1) {
    throw new HttpProblem(400, 'hdn-invalid', `AanvraagVersie must be a positive integer, got "${m.header.applicationVersion}"`);
  }
  return version;
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

export async function receiveInbound(ctx: InboundContext, principal: Principal, xml: string): Promise<HdnInboundAnswer> {
  const message = parseOrProblem(xml);
  const applicationVersion = await checkParty(ctx, principal, message);

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
    summary: hdnMessageSummary(message),
    rawXml: xml,
  });
  if (row.office_id !== principal.officeId) {
    // The key carries no office: the same message identity from another office's party.
    // Answer without revealing anything about the other office's row.
    throw new HttpProblem(409, 'hdn-duplicate-elsewhere', 'A message with the same identity (sender, application, sent at) was already received');
  }

  // An AX waits in the inbox until an adviser converts it; a lender message goes to its product.
  // A redelivered lender message that is still undelivered ('received') is routed again.
  if (isLenderMessage(message) && row.state === 'received') {
    return inboundAnswer(await routeLenderMessage(ctx.em, ctx.temporal, row, message), !stored);
  }
  return inboundAnswer(row, !stored);
}
