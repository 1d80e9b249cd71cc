/**
 * The billing workflows' side effects (BillingActivities): thin adapters over the services in
 * services/billing/: invoicing a contract (invoicing.ts), the invoice's bookkeeping
 * (invoice-status.ts), what follows a storno (storno-follow-up.ts) and reminder actions
 * (reminder-actions.ts). Every write is idempotent on a key made in the workflow; refusals
 * become the activity failures the workflows know (billingFailureTypes below).
 */
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { BillingRefusal } from '../domain/billing/side-effects.js';
import type { Mailer } from '../integrations/mail/transport.js';
import type { BillingDeps } from '../services/billing/invoice-documents.js';
import { loadInvoiceFacts, recordInvoiceStatus } from '../services/billing/invoice-status.js';
import { createContractInvoice, issueInvoice, loadContractTerms } from '../services/billing/invoicing.js';
import { executeReminderAction } from '../services/billing/reminder-actions.js';
import { flagMandate, scheduleRecollection } from '../services/billing/storno-follow-up.js';
import { BillingActivityFailure, type BillingActivities } from './billing.contract.js';
import { withFailureTypes, type FailureTypes } from './failures.js';

export interface BillingActivitiesDeps {
  orm: MikroORM;
  mailer: Mailer;
  settings: { mailFrom: string };
  now?: () => Date;
}

/**
 * The billing refusals as the failure types of the billing workflows (all non-retryable); the
 * rest (a missing template, no recipient, a dossier that is gone, ...) keeps the shared types
 * of activities/failures.ts.
 */
export const billingFailureTypes: FailureTypes = {
  bySlug: {
    [BillingRefusal.InvoiceNotFound]: BillingActivityFailure.NotFound,
    [BillingRefusal.ContractNotFound]: BillingActivityFailure.NotFound,
    [BillingRefusal.ReminderActionNotFound]: BillingActivityFailure.NotFound,
    [BillingRefusal.NotRemindable]: BillingActivityFailure.NotRemindable,
  },
};

export function createBillingActivities(deps: BillingActivitiesDeps): BillingActivities {
  const fork = (): EntityManager => deps.orm.em.fork();
  const billing: BillingDeps = { mailer: deps.mailer, mailFrom: deps.settings.mailFrom, now: deps.now ?? (() => new Date()) };
  return withFailureTypes<BillingActivities>(
    {
      loadContractTerms: ({ contractId }) => loadContractTerms(fork(), contractId),
      createContractInvoice: (input) => createContractInvoice(fork(), input),
      issueInvoice: ({ invoiceId }) => issueInvoice(fork(), billing, invoiceId),
      loadInvoiceFacts: ({ invoiceId }) => loadInvoiceFacts(fork(), invoiceId),
      recordInvoiceStatus: (input) => recordInvoiceStatus(fork(), input),
      scheduleRecollection: (input) => scheduleRecollection(fork(), input),
      flagMandate: (input) => flagMandate(fork(), billing, input),
      executeReminderAction: (input) => executeReminderAction(fork(), billing, input),
    },
    billingFailureTypes,
  );
}
