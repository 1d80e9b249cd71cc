/**
 * The product workflow's activity contract: the interface and its data types are defined in
 * domain/products/side-effects.ts (so services can take the same inputs); the failure types
 * the workflow decides on are defined here.
 */
export type {
  ProductActivities,
  CreateChecklistInput,
  CreateTaskInput,
  GenerateDocumentInput,
  RecordTransitionInput,
  RegisterContactMomentInput,
  SendPortalActivationInput,
  SendTemplatedMailInput,
  SetDossierStatusInput,
} from '../domain/products/side-effects.js';

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
