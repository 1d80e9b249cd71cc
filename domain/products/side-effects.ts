/**
 * The side effects a product process asks for (the product workflow's activities): their
 * inputs and results. Every input carries an idempotency `key` built in the workflow (see
 * domain/workflow-ids.ts `actionKey`), and every implementation writes through a unique
 * constraint on that key, so a retry after a crash never mails, documents or tasks twice.
 * Only ids and non-personal values: names, addresses and texts stay in PostgreSQL.
 */
import type { StatusCategory, StepInputValues } from '../process/definition.js';
import type { HistoryKind } from './history.js';
import type { DossierStatus } from '../dossiers/status.js';
import type { TaskAssignee } from '../work/items.js';

export interface RecordTransitionInput {
  key: string;
  productId: string;
  seq: number;
  at: string;
  actor: string;
  kind: HistoryKind;
  stepId?: string;
  label: string;
  fromStatus: string;
  toStatus: string;
  toCategory: StatusCategory;
  /** Set by a migration: the process version the product follows from now on (products.process_key/version). */
  process?: { key: string; version: number };
}

export interface SendTemplatedMailInput {
  key: string;
  template: string;
  productId: string;
  dossierId: string;
  to: 'applicants' | 'firstApplicant';
  /** Free-text step inputs to render (e.g. the conversation report), stored in PostgreSQL. */
  payloadId?: string;
  input?: StepInputValues;
}

export interface SendPortalActivationInput {
  key: string;
  template: string;
  productId: string;
  dossierId: string;
}

export interface CreateTaskInput {
  key: string;
  productId: string;
  dossierId: string;
  title: string;
  assignee: TaskAssignee;
  /** Calendar date YYYY-MM-DD (Europe/Amsterdam), if the task has a due date. */
  dueDate?: string;
}

export interface GenerateDocumentInput {
  key: string;
  template: string;
  documentType: string;
  productId: string;
  dossierId: string;
  actor: string;
}

export interface SetDossierStatusInput {
  key: string;
  dossierId: string;
  productId: string;
  status: DossierStatus;
  actor: string;
}

export interface CreateChecklistInput {
  key: string;
  productId: string;
  dossierId: string;
  /** Client profile code (see domain/checklists), chosen in the step. */
  profile: string;
}

export interface RegisterContactMomentInput {
  key: string;
  productId: string;
  dossierId: string;
  actor: string;
  at: string;
  payloadId?: string;
  input?: StepInputValues;
}

/** The product workflow's activities (implemented in activities/products.activities.ts). */
export interface ProductActivities {
  recordTransition(input: RecordTransitionInput): Promise<void>;
  sendTemplatedMail(input: SendTemplatedMailInput): Promise<{ mailIds: string[] }>;
  sendPortalActivation(input: SendPortalActivationInput): Promise<{ mailIds: string[] }>;
  createTask(input: CreateTaskInput): Promise<{ taskId: string }>;
  generateDocument(input: GenerateDocumentInput): Promise<{ documentId: string }>;
  setDossierStatus(input: SetDossierStatusInput): Promise<void>;
  createChecklist(input: CreateChecklistInput): Promise<{ checklistId: string; items: number }>;
  registerContactMoment(input: RegisterContactMomentInput): Promise<{ contactMomentId: string }>;
}
