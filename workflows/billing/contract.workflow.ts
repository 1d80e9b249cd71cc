/**
 * The contract workflow (`contract:<id>`): plans a contract's invoices.
 *
 * Since INVOICE_RUN_PATCH the office's invoice runs make the invoices (invoice-run.workflow.ts,
 * services/billing/invoice-run.ts): this workflow hands its contract over (the next invoice date
 * on the product card, the run of that date started) and ends. A change of the contract starts
 * it again (signal-with-start of `contractChanged`), which plans again. A workflow started before
 * the patch hands over when it next wakes (its date came, or a change); until then it runs the
 * code below, as it did:
 *
 * (before the patch) invoices a contract on schedule, for life.
 *
 * Each turn it reads the contract's terms (they may have changed), works out the first period
 * not invoiced yet (domain/billing/periods), sleeps until that period's invoice date, then
 * creates the invoice (one per period: the key is the contract and the first billed day),
 * issues it (PDF, mail) and starts the invoice's own workflow. A `contractChanged` signal wakes
 * it to plan again. It ends when the contract has ended and everything is invoiced, and
 * continues as new every year of invoices to keep its history short.
 *
 * No I/O, no Node built-ins; the clock is the workflow's.
 */
import {
  ParentClosePolicy,
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError, type RetryPolicy } from '@temporalio/common';
import type { BillingActivities } from '../../activities/billing.contract.js';
import { instantAt, todayInAmsterdam } from '../../domain/dates.js';
import { maxDate } from '../../domain/billing/calendar.js';
import { nextUninvoicedPeriod } from '../../domain/billing/periods.js';
import type { InvoiceRunActivities } from '../../activities/billing.contract.js';
import { contractChangedSignal, contractStateQuery, type ContractState, type ContractWorkflowInput } from './billing.messages.js';

/** Invoices are made at 06:00 Amsterdam time on their date. */
export const INVOICE_HOUR = 6;
/** Continue as new after this many invoices (a year of monthly ones). */
export const INVOICES_PER_RUN = 12;

const retry: RetryPolicy = { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes', nonRetryableErrorTypes: ['BillingNotFound'] };
const acts = proxyActivities<BillingActivities>({ startToCloseTimeout: '1 minute', retry });
const local = proxyLocalActivities<BillingActivities>({ startToCloseTimeout: '1 minute', retry });

/**
 * Since this patch the contract's terms are read and its invoice is created (numbered) as
 * local activities: in this worker, inside the workflow task, recorded as markers, instead of
 * an activity task and one more workflow task each through the server. Both are short
 * PostgreSQL transactions, idempotent on the contract and the period key. In a bulk run the
 * Temporal server's CPU per invoice, not the database, was the limit (bench/invoice-run.ts).
 * Issuing (PDF, mail over SMTP) stays an activity: it talks to the outside and may wait long.
 */
export const LOCAL_BILLING_PATCH = 'billing-local-activities';

/**
 * Since this patch the contract's invoices are made by the office's invoice runs (one per date,
 * in chunks); the contract workflow hands its contract over and ends (see above).
 */
export const INVOICE_RUN_PATCH = 'billing-invoice-run';

const run = proxyActivities<InvoiceRunActivities>({ startToCloseTimeout: '1 minute', retry });

export async function contractWorkflow(input: ContractWorkflowInput): Promise<ContractState> {
  const state: ContractState = { contractId: input.contractId, ended: false, invoicesCreated: input.carried?.invoicesCreated ?? 0 };
  let changed = false;
  let createdThisRun = 0;
  setHandler(contractChangedSignal, () => {
    changed = true;
  });
  setHandler(contractStateQuery, () => ({ ...state }));

  /** The runs take over: the product card's next date, the run of that date started. */
  const handOver = async (): Promise<ContractState> => {
    const handed = await run.handContractToRun({ contractId: input.contractId });
    state.ended = true;
    if (handed.nextInvoiceDate) state.nextInvoiceDate = handed.nextInvoiceDate;
    else delete state.nextInvoiceDate;
    await condition(allHandlersFinished);
    return { ...state };
  };
  if (patched(INVOICE_RUN_PATCH)) return handOver();

  for (;;) {
    changed = false;
    const terms = await (patched(LOCAL_BILLING_PATCH) ? local : acts).loadContractTerms({ contractId: input.contractId });
    const next = terms.active
      ? nextUninvoicedPeriod({ startDate: terms.startDate, period: terms.period, ...(terms.endDate ? { endDate: terms.endDate } : {}) }, terms.lastBilledUntil)
      : undefined;
    if (!next) {
      state.ended = true;
      delete state.nextInvoiceDate;
      break;
    }
    state.nextInvoiceDate = next.invoiceDate;
    const waitMs = instantAt(next.invoiceDate, INVOICE_HOUR).getTime() - Date.now();
    if (waitMs > 0 && (await condition(() => changed, waitMs))) {
      if (patched(INVOICE_RUN_PATCH)) return handOver();
      continue; // changed: plan again
    }
    if (patched(INVOICE_RUN_PATCH)) return handOver();

    const invoiceDate = maxDate(next.invoiceDate, todayInAmsterdam(new Date()));
    const invoice = await (patched(LOCAL_BILLING_PATCH) ? local : acts).createContractInvoice({
      key: `contract:${input.contractId}:${next.billedFrom}`,
      contractId: input.contractId,
      periodStart: next.periodStart,
      periodEnd: next.periodEnd,
      billedFrom: next.billedFrom,
      billedUntil: next.billedUntil,
      invoiceDate,
    });
    await acts.issueInvoice({ invoiceId: invoice.invoiceId });
    try {
      await startChild('invoiceWorkflow', {
        workflowId: invoice.invoiceWorkflowId,
        args: [{ invoiceId: invoice.invoiceId }],
        // The invoice lives on its own (payment, storno, reminders) whatever the contract does.
        parentClosePolicy: ParentClosePolicy.ABANDON,
      });
    } catch (err) {
      // Started before (a booking signal-with-started it, or an earlier run of this contract).
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
    state.invoicesCreated += 1;
    state.lastInvoiceId = invoice.invoiceId;
    createdThisRun += 1;

    if (createdThisRun >= INVOICES_PER_RUN || workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof contractWorkflow>({ contractId: input.contractId, carried: { invoicesCreated: state.invoicesCreated } });
    }
  }
  await condition(allHandlersFinished);
  return { ...state };
}
