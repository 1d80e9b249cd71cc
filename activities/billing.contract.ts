/**
 * The billing workflows' activity contract: the interface and its data types are defined in
 * domain/billing/side-effects.ts (so services can take the same inputs); the failure types the
 * workflows decide on are defined here.
 */
export type {
  BillingActivities,
  ContractTerms,
  CreateContractInvoiceInput,
  CreatedInvoice,
  ExecuteReminderActionInput,
  ExecutedReminderAction,
  FlagMandateInput,
  HandedContract,
  InvoiceFacts,
  InvoiceNumberRange,
  InvoiceRunActivities,
  IssueRunInvoicesInput,
  IssueRunInvoicesResult,
  RecordInvoiceStatusInput,
  RunChunkInput,
  RunChunkResult,
  ScheduleRecollectionInput,
} from '../domain/billing/side-effects.js';

/**
 * Failure types raised by billing activities (non-retryable), from the services' refusals
 * (domain/billing/side-effects.ts BillingRefusal; the mapping is in billing.activities.ts).
 * Besides these the billing workflows see the shared types of activities/failures.ts
 * (TemplateMissing, TemplateInvalid, NotFound for a dossier that is gone) and the mail
 * transport's MailRejected (non-retryable) and MailUnavailable (retryable).
 */
export const BillingActivityFailure = {
  NotFound: 'BillingNotFound',
  /** The invoice is paid/credited/handed over: no reminder action (non-retryable). */
  NotRemindable: 'BillingNotRemindable',
} as const;
export type BillingActivityFailureType = (typeof BillingActivityFailure)[keyof typeof BillingActivityFailure];
