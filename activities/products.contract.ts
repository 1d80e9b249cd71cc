/**
 * What the product workflow may ask the outside world to do. Every call carries an
 * idempotency `key` built in the workflow (see domain/workflow-ids.ts `actionKey`), and every
 * implementation writes through a unique constraint on that key, so a retry after a crash
 * never mails, documents or tasks twice. Only ids and non-personal values cross here.
 */
import type {
  CreateChecklistInput,
  CreateTaskInput,
  GenerateDocumentInput,
  RecordTransitionInput,
  RegisterContactMomentInput,
  SendPortalActivationInput,
  SendTemplatedMailInput,
  SetDossierStatusInput,
} from '../domain/products/side-effects.js';

export type {
  CreateChecklistInput,
  CreateTaskInput,
  GenerateDocumentInput,
  RecordTransitionInput,
  RegisterContactMomentInput,
  SendPortalActivationInput,
  SendTemplatedMailInput,
  SetDossierStatusInput,
};

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

/** Failure types raised by product activities; non-retryable ones end in the step failing. */
export const ProductActivityFailure = {
  NotFound: 'NotFound',
  NoRecipient: 'NoRecipient',
  TemplateMissing: 'TemplateMissing',
  UnknownChecklistProfile: 'UnknownChecklistProfile',
  /** A template renders with a variable that has no value (non-retryable). */
  TemplateInvalid: 'TemplateInvalid',
  /** The SMTP peer refused a message permanently (5xx, bad address; non-retryable). */
  MailRejected: 'MailRejected',
  /** The SMTP peer is unreachable or deferred the message (retryable). */
  MailUnavailable: 'MailUnavailable',
} as const;
export type ProductActivityFailureType = (typeof ProductActivityFailure)[keyof typeof ProductActivityFailure];
