/**
 * The billing workflows' side effects (BillingActivities): thin adapters over the services in
 * services/billing/: invoicing a contract (invoicing.ts), the invoice's bookkeeping
 * (invoice-status.ts), what follows a storno (storno-follow-up.ts) and reminder actions
 * (reminder-actions.ts). Every write is idempotent on a key made in the workflow; refusals
 * become the activity failures the workflows know (billingFailureTypes below).
 */
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { Context } from '@temporalio/activity';
import { todayInAmsterdam } from '../domain/dates.js';
import { DomainError } from '../domain/errors.js';
import type { PdfPool } from '../integrations/pdf/pool.js';
import type { TemporalDeps } from '../integrations/temporal/connection.js';
import { BillingRefusal } from '../domain/billing/side-effects.js';
import type { Mailer } from '../integrations/mail/transport.js';
import type { BillingDeps } from '../services/billing/invoice-documents.js';
import { loadInvoiceFacts, recordInvoiceStatus } from '../services/billing/invoice-status.js';
import { createContractInvoice, issueInvoice, loadContractTerms } from '../services/billing/invoicing.js';
import { executeReminderAction } from '../services/billing/reminder-actions.js';
import { flagMandate, scheduleRecollection } from '../services/billing/storno-follow-up.js';
import {
  createRunInvoices,
  handContractToRun,
  issueRunInvoices,
  runDueDates,
  startRunFollowers,
  unissuedRunRanges,
} from '../services/billing/invoice-run.js';
import { ensureInvoiceRun } from '../services/billing/workflows.js';
import { BillingActivityFailure, type BillingActivities, type InvoiceRunActivities } from './billing.contract.js';
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

export interface InvoiceRunActivitiesDeps extends BillingActivitiesDeps {
  /** The PDF threads (integrations/pdf/pool.ts). */
  pdf: PdfPool;
  /** Temporal, to start the runs of later dates and the invoice workflows of due invoices. */
  temporal: TemporalDeps | undefined;
}

/** The invoice run's side effects (services/billing/invoice-run.ts), one line each. */
export function createInvoiceRunActivities(deps: InvoiceRunActivitiesDeps): InvoiceRunActivities {
  const fork = (): EntityManager => deps.orm.em.fork();
  const now = deps.now ?? (() => new Date());
  const temporal = (): TemporalDeps => {
    if (!deps.temporal) throw new DomainError('unavailable', 'workflow-unavailable', 'this worker has no Temporal client to start workflows with');
    return deps.temporal;
  };
  const heartbeat = (): void => {
    try {
      Context.current().heartbeat();
    } catch {
      // Called outside an activity (a test): nothing to report to.
    }
  };
  return withFailureTypes<InvoiceRunActivities>(
    {
      handContractToRun: ({ contractId }) => handContractToRun(fork(), temporal(), contractId, todayInAmsterdam(now())),
      createRunInvoices: (input) => createRunInvoices(fork(), input),
      issueRunInvoices: (input) =>
        issueRunInvoices(fork(), { mailer: deps.mailer, mailFrom: deps.settings.mailFrom, now, pdf: deps.pdf, progress: heartbeat }, input),
      unissuedRunRanges: ({ officeId, runKey }) => unissuedRunRanges(fork(), officeId, runKey),
      ensureInvoiceRuns: async ({ officeId, dates }) => {
        for (const date of dates) await ensureInvoiceRun(temporal(), officeId, date);
      },
      runDueDates: ({ runKey }) => runDueDates(fork(), runKey),
      startRunFollowers: ({ runKey, dueDate }) => startRunFollowers(fork(), temporal(), runKey, dueDate),
    },
    billingFailureTypes,
  );
}
