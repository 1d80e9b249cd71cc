/**
 * The refusals of HDN's lender side (sending to the lender, reading the stored messages the
 * product workflow names). Their slugs are stable: activities/hdn.activities.ts turns each into
 * the activity failure type the product workflow knows (activities/hdn.contract.ts).
 */
import { DomainError } from '../../domain/errors.js';

export const HdnRefusal = {
  /** The product has no converted AX / application row, or a message or document it needs is missing. */
  NoApplication: 'hdn-no-application',
  /** The application's lender code is not configured (hdn_lenders). */
  UnknownLender: 'hdn-unknown-lender',
  /** The gateway refused the message, or none is configured: not sent, and retrying will not help. */
  GatewayRejected: 'hdn-gateway-rejected',
  /** The gateway could not be reached: the message stays pending, try again. */
  GatewayUnavailable: 'hdn-gateway-unavailable',
  /** The DA line may not get a DX: fetched by the lender itself, or already approved. */
  LineNotSendable: 'hdn-line-not-sendable',
} as const;

export const hdnRefuse = {
  noApplication: (detail: string): DomainError => new DomainError('conflict', HdnRefusal.NoApplication, detail),
  unknownLender: (detail: string): DomainError => new DomainError('unprocessable', HdnRefusal.UnknownLender, detail),
  gatewayRejected: (detail: string): DomainError => new DomainError('upstream-failed', HdnRefusal.GatewayRejected, detail),
  gatewayUnavailable: (detail: string): DomainError => new DomainError('unavailable', HdnRefusal.GatewayUnavailable, detail),
  lineNotSendable: (detail: string): DomainError => new DomainError('conflict', HdnRefusal.LineNotSendable, detail),
};
