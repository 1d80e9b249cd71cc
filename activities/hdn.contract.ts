/**
 * What the product workflow asks of the HDN side: the interface and its data types are defined
 * in domain/hdn/side-effects.ts (so services can take the same inputs); the failure types the
 * workflow decides on are defined here.
 */
export type {
  HdnActivities,
  HdnMessageOutcome,
  ApplyDocumentRequestInput,
  LenderMessageRecord,
  MarkHdnMessageInput,
  RecordLenderMessagesInput,
  SendHdnApplicationInput,
  SendHdnApplicationResult,
  SendHdnDocumentInput,
  SendHdnDocumentResult,
} from '../domain/hdn/side-effects.js';

/** Failure types of HDN activities. */
export const HdnActivityFailure = {
  /** The product has no converted AX / no application row (non-retryable). */
  NoApplication: 'HdnNoApplication',
  /** The lender code of the application is unknown (non-retryable). */
  UnknownLender: 'HdnUnknownLender',
  /** The gateway refused the message (non-retryable). */
  Rejected: 'HdnGatewayRejected',
  /** The gateway could not be reached (retryable). */
  Unavailable: 'HdnGatewayUnavailable',
  /** The DA line may not get a DX: fetched by the lender itself, or already approved (non-retryable). */
  LineNotSendable: 'HdnLineNotSendable',
} as const;
