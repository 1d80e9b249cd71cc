/**
 * The messages of the product workflow (`product:<id>`): its input, the Update an adviser
 * uses to take a step, and the Query for its live state. Only ids and non-personal facts
 * travel here: names, addresses and free text stay in PostgreSQL.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type {
  ProcessDefinition,
  StatusCategory,
  StepInputValues,
  WaitForDateAction,
} from '../../domain/process/definition.js';

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
}

/** State carried across continue-as-new. */
export interface ProductCarriedState {
  status: string;
  seq: number;
  history: HistoryEntry[];
  watches: DeadlineWatchState[];
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

export type HistoryKind = 'started' | 'step' | 'reminder' | 'escalation';

export interface HistoryEntry {
  seq: number;
  at: string;
  actor: string;
  kind: HistoryKind;
  stepId?: string;
  label: string;
  fromStatus: string;
  toStatus: string;
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
}

/** Take a step. The validator refuses a step not allowed now; nothing is recorded then. */
export const takeStepUpdate = defineUpdate<ProductState, [TakeStepRequest]>('takeStep');
export const productStateQuery = defineQuery<ProductState>('productState');

/** Failure types the product workflow raises (ApplicationFailure.type). */
export const ProductFailure = {
  StepNotAllowed: 'StepNotAllowed',
  InvalidStepInput: 'InvalidStepInput',
  /** The definition passed at start does not pass validateDefinition (workflow fails at once). */
  InvalidDefinition: 'InvalidDefinition',
} as const;
