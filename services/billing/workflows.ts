/**
 * The billing workflows seen from the API: start `contract:<id>`, tell it about a change, and
 * tell `invoice:<id>` about bookings, exports and reminder actions. Every call here comes
 * after the facts are committed to PostgreSQL, so Temporal being down never loses a fact: the
 * caller answers 503 and the delivery can be repeated (workflows dedupe on bookingId/exportId).
 *
 * The workflow functions are imported as types only (their code is bundled for the worker).
 */
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';
import {
  bookingSignal,
  contractChangedSignal,
  invoiceRunDueSignal,
  exportedSignal,
  runReminderActionUpdate,
  BillingFailure,
  type BookingEvent,
  type ExportedEvent,
  type InvoiceRunInput,
  type RunReminderActionRequest,
  type RunReminderActionResult,
} from '../../workflows/billing/billing.messages.js';
import { workflowIds } from '../../domain/workflow-ids.js';
import type { contractWorkflow, invoiceRunWorkflow, invoiceWorkflow } from '../../workflows/index.js';
import type { TemporalDeps } from '../../integrations/temporal/connection.js';
import { DomainError } from '../../domain/errors.js';

export const CONTRACT_WORKFLOW = 'contractWorkflow';
export const INVOICE_WORKFLOW = 'invoiceWorkflow';
export const INVOICE_RUN_WORKFLOW = 'invoiceRunWorkflow';

type ContractWorkflowFn = typeof contractWorkflow;
type InvoiceWorkflowFn = typeof invoiceWorkflow;
type InvoiceRunWorkflowFn = typeof invoiceRunWorkflow;

/** How long the API waits for Temporal before it answers 503. */
const DEADLINE_MS = 10_000;
/** A reminder action renders a letter and mails it: allow the worker some time. */
const UPDATE_DEADLINE_MS = 60_000;

export function reasonOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function engineDown(detail: string, err: unknown, extra: Record<string, unknown> = {}): DomainError {
  return new DomainError('unavailable', 'workflow-unavailable', `${detail} (the process engine did not answer: ${reasonOf(err)})`, extra);
}

/**
 * Starts the contract's workflow; a running one is kept (`USE_EXISTING`), so repeating the call
 * after a 503 is safe. Throws whatever the client throws (the caller words the 503).
 */
export async function startContractWorkflow(temporal: TemporalDeps, contractId: string): Promise<void> {
  const { client, taskQueue } = temporal;
  await client.withDeadline(Date.now() + DEADLINE_MS, () =>
    client.workflow.start<ContractWorkflowFn>(CONTRACT_WORKFLOW, {
      workflowId: workflowIds.contract(contractId),
      taskQueue,
      args: [{ contractId }],
      workflowIdConflictPolicy: 'USE_EXISTING',
    }),
  );
}

/**
 * Tells the contract's workflow that its terms changed. Signal-with-start: a workflow that was
 * never started (Temporal down at creation) or that ended (the contract had ended and now runs
 * longer) is started and reads the new terms from PostgreSQL.
 */
export async function signalContractChanged(temporal: TemporalDeps, contractId: string): Promise<void> {
  const { client, taskQueue } = temporal;
  await client.withDeadline(Date.now() + DEADLINE_MS, () =>
    client.workflow.signalWithStart<ContractWorkflowFn, []>(CONTRACT_WORKFLOW, {
      workflowId: workflowIds.contract(contractId),
      taskQueue,
      args: [{ contractId }],
      signal: contractChangedSignal,
      signalArgs: [],
    }),
  );
}

/**
 * Delivers a booking to the invoice's workflow. Signal-with-start with the default reuse policy:
 * an invoice workflow that completed (paid) is started again, because a storno can come weeks
 * after the payment (MD06: 8 weeks) and must still reopen the invoice.
 */
export async function signalBooking(temporal: TemporalDeps, invoiceId: string, event: BookingEvent): Promise<void> {
  const { client, taskQueue } = temporal;
  const send = () =>
    client.withDeadline(Date.now() + DEADLINE_MS, () =>
      client.workflow.signalWithStart<InvoiceWorkflowFn, [BookingEvent]>(INVOICE_WORKFLOW, {
        workflowId: workflowIds.invoice(invoiceId),
        taskQueue,
        args: [{ invoiceId }],
        signal: bookingSignal,
        signalArgs: [event],
      }),
    );
  try {
    await send();
  } catch (err) {
    // A settled invoice's run may complete at the very moment of the signal ("Completed
    // workflow"); once it has, signal-with-start starts a new run: try once more.
    if (!(err instanceof WorkflowNotFoundError)) throw err;
    await send();
  }
}

/** Tells the invoice's workflow that it went into a pain.008 (no reminders while collecting). */
export async function signalExported(temporal: TemporalDeps, invoiceId: string, event: ExportedEvent): Promise<void> {
  const { client, taskQueue } = temporal;
  await client.withDeadline(Date.now() + DEADLINE_MS, () =>
    client.workflow.signalWithStart<InvoiceWorkflowFn, [ExportedEvent]>(INVOICE_WORKFLOW, {
      workflowId: workflowIds.invoice(invoiceId),
      taskQueue,
      args: [{ invoiceId }],
      signal: exportedSignal,
      signalArgs: [event],
    }),
  );
}

export type ReminderActionOutcome =
  | { ok: true; executionId: string; statusAfter: string }
  | { ok: false; reason: string; engineDown?: boolean };

/**
 * Runs one reminder action on one invoice: the invoice workflow is started if it is not running
 * (`USE_EXISTING`), then the `runReminderAction` Update executes with a stable updateId
 * (`run:<runId>/invoice:<invoiceId>`), so a repeat of the same run never acts twice. A refusal
 * of the validator (paid, credited, handed over) is an outcome, not an error.
 */
export async function runReminderAction(
  temporal: TemporalDeps,
  invoiceId: string,
  request: RunReminderActionRequest,
): Promise<ReminderActionOutcome> {
  const { client, taskQueue } = temporal;
  const workflowId = workflowIds.invoice(invoiceId);
  try {
    await client.withDeadline(Date.now() + DEADLINE_MS, () =>
      client.workflow.start<InvoiceWorkflowFn>(INVOICE_WORKFLOW, {
        workflowId,
        taskQueue,
        args: [{ invoiceId }],
        workflowIdConflictPolicy: 'USE_EXISTING',
      }),
    );
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) {
      return { ok: false, reason: engineDown('the invoice process could not be started', err).message, engineDown: true };
    }
  }
  // A workflow started just now refuses the update until it has loaded its invoice: asked again
  // shortly (a run usually starts the workflows of invoices that had none).
  for (let attempt = 1; ; attempt++) {
    const outcome = await executeReminderUpdate(temporal, workflowId, invoiceId, request);
    if (outcome !== 'loading') return outcome;
    if (attempt >= LOADING_ATTEMPTS) return { ok: false, reason: 'het factuurproces laadde de factuur niet op tijd; voer de actie opnieuw uit' };
    await new Promise((resolve) => setTimeout(resolve, LOADING_PAUSE_MS));
  }
}

/** Attempts and pause while a just-started invoice workflow loads its invoice (about 10 s in all). */
const LOADING_ATTEMPTS = 50;
const LOADING_PAUSE_MS = 200;

async function executeReminderUpdate(
  temporal: TemporalDeps,
  workflowId: string,
  invoiceId: string,
  request: RunReminderActionRequest,
): Promise<ReminderActionOutcome | 'loading'> {
  const { client } = temporal;
  try {
    const result: RunReminderActionResult = await client.withDeadline(Date.now() + UPDATE_DEADLINE_MS, () =>
      client.workflow.getHandle(workflowId).executeUpdate(runReminderActionUpdate, {
        args: [request],
        updateId: `run:${request.runId}/invoice:${invoiceId}`,
      }),
    );
    return { ok: true, executionId: result.executionId, statusAfter: result.statusAfter };
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure && err.cause.type === BillingFailure.InvoiceLoading) return 'loading';
    if (err instanceof WorkflowUpdateFailedError) {
      const cause = err.cause;
      const reason = cause instanceof ApplicationFailure || cause instanceof Error ? cause.message : err.message;
      return { ok: false, reason: reason || 'refused by the invoice process' };
    }
    if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) {
      return {
        ok: false,
        reason: "the invoice process did not confirm the action in time; if it ran, it shows in the invoice's reminder history",
        engineDown: true,
      };
    }
    return { ok: false, reason: engineDown('the action was not run', err).message, engineDown: true };
  }
}

/**
 * Makes sure the office's run of `date` invoices what is due: signal-with-start of
 * `invoice-run:<officeId>:<date>` (a running run invoices again after its current pass; a run
 * that went through starts anew and finds only what is due now). It waits for its date, at the
 * office's run hour (INVOICE_RUN_HOUR).
 */
export async function ensureInvoiceRun(temporal: TemporalDeps, officeId: string, date: string): Promise<void> {
  const { client, taskQueue } = temporal;
  const input: InvoiceRunInput = { officeId, date, ...(temporal.invoiceRunHour !== undefined ? { runHour: temporal.invoiceRunHour } : {}) };
  await client.withDeadline(Date.now() + DEADLINE_MS, () =>
    client.workflow.signalWithStart<InvoiceRunWorkflowFn, []>(INVOICE_RUN_WORKFLOW, {
      workflowId: workflowIds.invoiceRun(officeId, date),
      taskQueue,
      args: [input],
      signal: invoiceRunDueSignal,
      signalArgs: [],
    }),
  );
}

/** Starts in flight at once when a run's invoices get their workflows on their due date. */
export const FOLLOWER_START_CONCURRENCY = 32;

/**
 * Starts `invoice:<id>` for each invoice (a running one is kept: `USE_EXISTING`), at most
 * FOLLOWER_START_CONCURRENCY at once; the first failure is thrown after the others finished
 * (the caller repeats all: starting again is a no-op).
 */
export async function startInvoiceWorkflows(temporal: TemporalDeps, invoiceIds: readonly string[]): Promise<void> {
  const { client, taskQueue } = temporal;
  let next = 0;
  let failure: { error: unknown } | undefined;
  const starter = async (): Promise<void> => {
    while (!failure && next < invoiceIds.length) {
      const invoiceId = invoiceIds[next++]!;
      try {
        await client.withDeadline(Date.now() + DEADLINE_MS, () =>
          client.workflow.start<InvoiceWorkflowFn>(INVOICE_WORKFLOW, {
            workflowId: workflowIds.invoice(invoiceId),
            taskQueue,
            args: [{ invoiceId }],
            workflowIdConflictPolicy: 'USE_EXISTING',
          }),
        );
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) failure ??= { error: err };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(FOLLOWER_START_CONCURRENCY, invoiceIds.length) }, starter));
  if (failure) throw failure.error;
}
