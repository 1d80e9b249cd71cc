/**
 * What the product workflow asks of the HDN side (its HDN activities): the interface and its
 * inputs and results, so services take the same types without importing activities/. Each
 * call is idempotent: outbound messages on their HDN key (type, receiver, sender, application
 * number and version), message bookkeeping on the message id, checklist lines on (product,
 * line id). Only ids and non-personal values.
 */
import type { RecordTransitionInput } from '../products/side-effects.js';
import type { HdnMessageOutcome } from './message-types.js';

export type { HdnMessageOutcome } from './message-types.js';

export interface SendHdnApplicationInput {
  key: string;
  productId: string;
}

export interface SendHdnApplicationResult {
  /** The stored outbound AX. */
  messageId: string;
  applicationNumber: string;
  applicationVersion: number;
  lenderCode: string;
  /** false when an earlier attempt had already sent it (the gateway was not called again). */
  sentNow: boolean;
}

export interface MarkHdnMessageInput {
  messageId: string;
  productId: string;
  outcome: HdnMessageOutcome;
  /** Why (readable), e.g. "SX 09 after 10: status not moved back". */
  reason: string;
}

/** One lender message as the workflow decided it: its history entry and the outcome of the stored message. */
export interface LenderMessageRecord {
  transition: RecordTransitionInput;
  messageId: string;
  outcome: HdnMessageOutcome;
  reason: string;
}

export interface RecordLenderMessagesInput {
  productId: string;
  /** In the order the workflow decided them (ascending seq). */
  records: LenderMessageRecord[];
}

export interface ApplyDocumentRequestInput {
  messageId: string;
  productId: string;
}

export interface SendHdnDocumentInput {
  productId: string;
  /** The uploaded file (documents table). */
  documentId: string;
  /** The DA line it answers (*DocumentRegelId*). */
  lineId: string;
  /** 1 for the first DX of this line, 2 after a rejection, ...: part of the idempotency key. */
  attempt: number;
}

export interface SendHdnDocumentResult {
  messageId: string;
  documentKind: string;
  sentNow: boolean;
}

/** The product workflow's HDN activities (implemented in activities/hdn.activities.ts). */
export interface HdnActivities {
  /** Sends a DX for one DA line; refuses lines the lender fetched itself or already approved. */
  sendHdnDocument(input: SendHdnDocumentInput): Promise<SendHdnDocumentResult>;
  sendHdnApplication(input: SendHdnApplicationInput): Promise<SendHdnApplicationResult>;
  markHdnMessage(input: MarkHdnMessageInput): Promise<void>;
  /**
   * Records decided lender messages in one transaction: per message what recordTransition and
   * markHdnMessage do (history entry once per key, product status from the newest entry, outcome).
   */
  recordLenderMessages(input: RecordLenderMessagesInput): Promise<void>;
  /** Upserts the DA's lines as the product's lender checklist; returns how many lines it has. */
  applyDocumentRequest(input: ApplyDocumentRequestInput): Promise<{ lines: number }>;
}
