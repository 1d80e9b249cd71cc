/**
 * The messages of the product workflow (`product:<id>`): its input, the Update an adviser
 * uses to take a step, and the Query for its live state. Only ids and non-personal facts
 * travel here: names, addresses and free text stay in PostgreSQL.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type {
  ProcessDefinition,
  StatusCategory,
  StepInputValues,
  WaitForDateAction,
} from '../../domain/process/definition.js';
import type { HistoryEntry, HistoryKind } from '../../domain/products/history.js';
import type { LenderMessageType } from '../../domain/hdn/message-types.js';

export type { HistoryEntry, HistoryKind };

export interface ProductWorkflowInput {
  productId: string;
  dossierId: string;
  /** The published definition the product started with; it keeps it for life. */
  definition: ProcessDefinition;
  /** Who created the product (user id, never a name). */
  startedBy: string;
  /**
   * Set only by the workflow itself when it continues as new: the state it carries over.
   * Callers starting a product leave it out.
   */
  carried?: ProductCarriedState;
}

/** A deadline watch as the workflow keeps it: the public view plus what it needs to fire. */
export interface DeadlineWatchState extends DeadlineWatch {
  /** The waitForDate action that registered the watch (reminder/onDate reactions). */
  action: WaitForDateAction;
  /** Step that registered the watch, and who took it. */
  stepId: string;
  actor: string;
  /** History entry for the on-date firing when it is not a plain escalation (the SX09 watchdog). */
  onDateKind?: 'watchdog';
  onDateLabel?: string;
}

/** The HDN application of a mortgage product, as far as the workflow needs it (no personal data). */
export interface ApplicationState {
  applicationNumber: string;
  /** The version we sent last (*AanvraagVersie*); messages about older versions are recorded, not acted on. */
  version: number;
  lenderCode: string;
  sentAt: string;
  /** The highest-ranked SX code applied so far (see domain/hdn/status). */
  lastSx?: string;
  /** Every SX code received, in arrival order (duplicates are filtered before the workflow). */
  sxReceived: string[];
}

/** State carried across continue-as-new. */
export interface ProductCarriedState {
  status: string;
  seq: number;
  history: HistoryEntry[];
  watches: DeadlineWatchState[];
  application?: ApplicationState;
  /** DX attempts per DA line id (the attempt number is part of the DX's idempotency key). */
  documentAttempts?: Record<string, number>;
  /**
   * The definition the product follows since a `migrateDefinition` (absent: `input.definition`,
   * the one it started with). Optional, so state carried by older runs stays valid.
   */
  definition?: ProcessDefinition;
  /**
   * Ids of the lender messages handled last (newest at the end, at most LENDER_SEEN_KEPT), so a
   * message signalled twice (the API crashed after signalling, before marking the stored row, and
   * the lender resent it) is applied once. Optional: state carried by older runs has none.
   */
  lenderMessagesSeen?: string[];
}

/** Move a running product to another published version of its process. */
export interface MigrateDefinitionRequest {
  /** The published target version (same key as the product's process). */
  definition: ProcessDefinition;
  /** User id of the designer/admin. */
  actor: string;
}

export interface MigrateDefinitionResult {
  fromVersion: number;
  toVersion: number;
  state: ProductState;
}

/** Send an uploaded document to the lender as DX against one line of its checklist (DA). */
export interface DeliverDocumentRequest {
  documentId: string;
  lineId: string;
  actor: string;
}

export interface DeliverDocumentResult {
  messageId: string;
  lineId: string;
  attempt: number;
  documentKind: string;
}

/**
 * A lender's HDN message (SX, OX or DA) delivered to the product, after the API stored it
 * (`messageId` points at the stored row with the raw XML). Only non-personal facts.
 */
export interface LenderMessage {
  messageId: string;
  type: LenderMessageType;
  applicationNumber: string;
  applicationVersion: number;
  /** SX: the status code ("09"). */
  statusCode?: string;
  /** SX: document-level status about this DA line. */
  documentReference?: string;
  /**
   * SX: the unverified status codes (31) the office enabled when the message arrived
   * (HDN_ENABLED_UNVERIFIED_CODES). Absent only in signals sent before this field existed: those
   * are decided as they were then (31 known), so recorded histories replay unchanged.
   */
  enabledUnverifiedSx?: string[];
  /** OX: offer number and type ("18" rate offer, "00" binding offer). */
  offerNumber?: string;
  offerType?: string;
  /** OX: YYYY-MM-DD. */
  acceptanceDate?: string;
  validityDate?: string;
  /** DA: number of lines. */
  lines?: number;
}

export interface TakeStepRequest {
  stepId: string;
  /** User id of the adviser taking the step. */
  actor: string;
  /** Non-text inputs of the step (booleans, dates as YYYY-MM-DD, choices, integers). */
  input?: StepInputValues;
  /** Id of the PostgreSQL row holding the step's free-text inputs, if any. */
  payloadId?: string;
}

export interface AvailableStep {
  id: string;
  label: string;
}



/** A date the workflow guards (e.g. the financing condition), with its next timer. */
export interface DeadlineWatch {
  deadline: string;
  date: string;
  /** Instants (ISO) still to come: reminders, then the date itself. */
  pending: { at: string; kind: 'reminder' | 'onDate'; daysBefore?: number }[];
}

export interface ProductState {
  productId: string;
  dossierId: string;
  processKey: string;
  processVersion: number;
  status: string;
  statusLabel: string;
  category: StatusCategory;
  availableSteps: AvailableStep[];
  history: HistoryEntry[];
  deadlines: DeadlineWatch[];
  /** Mortgage products: the HDN application once it was sent. */
  application?: ApplicationState;
}

/** Take a step. The validator refuses a step not allowed now; nothing is recorded then. */
export const takeStepUpdate = defineUpdate<ProductState, [TakeStepRequest]>('takeStep');
export const productStateQuery = defineQuery<ProductState>('productState');
/** Send a document as DX; the API uses the document id as update id, so a retried call sends once. */
export const deliverDocumentUpdate = defineUpdate<DeliverDocumentResult, [DeliverDocumentRequest]>('deliverDocument');
/**
 * Move the product to another version of its process. The validator refuses (nothing changes)
 * when the definition is invalid, of another process, the same version, or lacks the
 * product's current status; the handler swaps the definition and records a 'migration'
 * history entry that also sets products.process_version.
 */
export const migrateDefinitionUpdate = defineUpdate<MigrateDefinitionResult, [MigrateDefinitionRequest]>('migrateDefinition');
/**
 * A lender's messages for this product (sent by the HDN inbound route; signal-with-start when no
 * workflow runs). One message per argument, in arrival order: the route sends the messages of one
 * product that arrived while its previous signal was under way together (services/hdn/delivery.ts),
 * so a signal carries one message or several. Signals recorded before carry exactly one.
 */
export const lenderMessageSignal = defineSignal<[LenderMessage, ...LenderMessage[]]>('lenderMessage');

/** Failure types the product workflow raises (ApplicationFailure.type). */
export const ProductFailure = {
  StepNotAllowed: 'StepNotAllowed',
  InvalidStepInput: 'InvalidStepInput',
  /** The definition passed at start does not pass validateDefinition (workflow fails at once). */
  InvalidDefinition: 'InvalidDefinition',
  /** A migration to another definition version is not possible now (reason in the message). */
  MigrationRefused: 'MigrationRefused',
} as const;
