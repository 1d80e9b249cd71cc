/**
 * The closed lists of HDN messages, defined once: the integration's types, the entity, the
 * API schemas, the services and the product workflow's messages import them from here
 * (Migration20261123000000_hdn has the same lists as CHECK constraints).
 *
 * Pure: runs inside workflows.
 */

/** *BerichtSoort*: AX application, SX status, OX offer, DA document request, DX document. */
export const hdnMessageTypes = ['AX', 'SX', 'OX', 'DA', 'DX'] as const;
export type HdnMessageType = (typeof hdnMessageTypes)[number];

/** What a lender sends us about an application; each is delivered to the application's product. */
export const lenderMessageTypes = ['SX', 'OX', 'DA'] as const satisfies readonly HdnMessageType[];
export type LenderMessageType = (typeof lenderMessageTypes)[number];

/** What advice software sends us: the application, which waits in the inbox until it is converted. */
export const adviceSoftwareMessageTypes = ['AX'] as const satisfies readonly HdnMessageType[];

/** What we send to a lender: the application (AX) and documents against its checklist (DX). */
export const outboundMessageTypes = ['AX', 'DX'] as const satisfies readonly HdnMessageType[];
export type OutboundMessageType = (typeof outboundMessageTypes)[number];

export function isLenderMessageType(type: string): type is LenderMessageType {
  return (lenderMessageTypes as readonly string[]).includes(type);
}

/** A stored message came in (from advice software or a lender) or went out (to a lender). */
export const hdnMessageDirections = ['in', 'out'] as const;
export type HdnMessageDirection = (typeof hdnMessageDirections)[number];

/**
 * What the product process decided about a lender message delivered to it: applied (it changed
 * the product), recorded (kept in the history only), ignored (nothing to do).
 */
export const hdnMessageOutcomes = ['applied', 'recorded', 'ignored'] as const;
export type HdnMessageOutcome = (typeof hdnMessageOutcomes)[number];

/** States of a message we send. */
export const outboundMessageStates = ['pending', 'sent', 'failed'] as const;
export type OutboundMessageState = (typeof outboundMessageStates)[number];

/**
 * Life of a stored message.
 * in:  received (stored, waits: AX in the inbox, lender message not yet delivered) →
 *      delivered (signalled to its product) → applied / recorded / ignored (set by the workflow);
 *      parked (no product found; routed by hand later); converted (AX turned into a product).
 * out: pending → sent / failed.
 */
export const hdnMessageStates = [
  'received',
  'delivered',
  ...hdnMessageOutcomes,
  'parked',
  'converted',
  ...outboundMessageStates,
] as const;
export type HdnMessageState = (typeof hdnMessageStates)[number];

/** States from which the API may still move an inbound message (later ones belong to the workflow). */
export const movableMessageStates = ['received', 'parked'] as const satisfies readonly HdnMessageState[];

/** What needs an adviser's attention: AX waiting to be converted, lender messages without a product. */
export const inboxDefaultStates = ['received', 'parked'] as const satisfies readonly HdnMessageState[];
