/**
 * The invoice run (`invoice-run:<officeId>:<date>`): every contract period of the office due on
 * or before the date, invoiced, issued and followed up (services/billing/invoice-run.ts).
 *
 * It waits for its date (06:00 Amsterdam time, or the run hour of its input), then, per pass:
 * 1. claims the due contracts in chunks (one activity and one transaction each: numbered without
 *    gaps, the contracts' next dates set), one chunk at a time because the office's counter
 *    serialises them anyway;
 * 2. issues each chunk's range of numbers in parts (PDF, mail or post), up to ISSUE_PARALLEL
 *    parts at once while the next chunks are numbered;
 * 3. sweeps: whatever the run made and did not issue (a chunk whose answer was lost when the
 *    worker died) is issued from what PostgreSQL says;
 * 4. makes sure the runs of the contracts' next dates exist.
 * A `contractsDue` signal (a contract created or changed, due on this date) makes another pass,
 * also while it waits. Then it follows up: on each due date of its invoices it starts the invoice
 * workflows of the ones still open or sent (the reminder ladder); a paid, collected or exported
 * invoice needs none until a booking comes (which starts one). It ends when none is left to
 * follow; a later `contractsDue` starts it again (signal-with-start).
 *
 * No I/O, no Node built-ins; the clock is the workflow's.
 */
import { ActivityFailure, allHandlersFinished, condition, continueAsNew, proxyActivities, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import type { RetryPolicy } from '@temporalio/common';
import type { InvoiceNumberRange, InvoiceRunActivities } from '../../activities/billing.contract.js';
import { instantAt } from '../../domain/dates.js';
import { splitRange } from '../../domain/billing/number-ranges.js';
import { INVOICE_HOUR } from './contract.workflow.js';
import { invoiceRunDueSignal, invoiceRunStateQuery, type InvoiceRunInput, type InvoiceRunState } from './billing.messages.js';

/** Contracts claimed per chunk (one transaction; invoices and lines in one multi-row statement). */
export const RUN_CHUNK = 1000;
/** Issue activities in flight at once (each renders its PDFs in the worker's thread pool and mails through the pooled SMTP transport). */
export const ISSUE_PARALLEL = 4;
/** Sweeps that issue nothing new end the pass (an invoice whose dossier is gone stays unissued, counted in the state). */
const SWEEPS = 3;

const retry: RetryPolicy = { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', nonRetryableErrorTypes: ['BillingNotFound'] };
const acts = proxyActivities<InvoiceRunActivities>({ startToCloseTimeout: '2 minutes', retry });
/** Issuing heartbeats after its PDFs and after each batch of mails: a dead worker's part is taken over after 30 s. */
const issuing = proxyActivities<InvoiceRunActivities>({ startToCloseTimeout: '10 minutes', heartbeatTimeout: '30 seconds', retry });

export async function invoiceRunWorkflow(input: InvoiceRunInput): Promise<InvoiceRunState & { unissued: number; failedParts: number }> {
  const runKey = workflowInfo().workflowId;
  const { officeId, date } = input;
  const hour = input.runHour ?? INVOICE_HOUR;
  const state: InvoiceRunState & { unissued: number; failedParts: number } = {
    officeId,
    date,
    phase: 'waiting',
    created: input.carried?.created ?? 0,
    issued: input.carried?.issued ?? 0,
    unissued: 0,
    failedParts: 0,
  };
  // The first pass always runs; a signal before it changes nothing.
  let due = true;
  setHandler(invoiceRunDueSignal, () => {
    due = true;
  });
  setHandler(invoiceRunStateQuery, () => ({ ...state }));

  const at = instantAt(date, hour).getTime();
  if (at > Date.now()) await sleep(at - Date.now());

  /** Issues one part of a range; a part that fails for good is counted (its invoices stay for the sweep). */
  const issue = async (range: InvoiceNumberRange): Promise<void> => {
    try {
      const r = await issuing.issueRunInvoices({ officeId, runKey, range });
      state.issued += r.mailed + r.posted;
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      state.failedParts += 1;
    }
  };
  const inFlight = new Set<Promise<void>>();
  const launch = async (range: InvoiceNumberRange): Promise<void> => {
    for (const part of splitRange(range)) {
      while (inFlight.size >= ISSUE_PARALLEL) await Promise.race(inFlight);
      const p: Promise<void> = issue(part).finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
  };

  const pass = async (): Promise<void> => {
    state.phase = 'invoicing';
    const nextDates = new Set<string>();
    for (;;) {
      const chunk = await acts.createRunInvoices({ officeId, date, runKey, limit: RUN_CHUNK });
      state.created += chunk.created;
      for (const d of chunk.nextDates) nextDates.add(d);
      for (const r of chunk.ranges) await launch(r);
      if (!chunk.more) break;
    }
    await Promise.all(inFlight);
    let left = Infinity;
    for (let sweep = 0; sweep < SWEEPS; sweep++) {
      const ranges = await acts.unissuedRunRanges({ officeId, runKey });
      const count = ranges.reduce((n, r) => n + r.to - r.from + 1, 0);
      state.unissued = count;
      if (count === 0 || count >= left) break;
      left = count;
      for (const r of ranges) await launch(r);
      await Promise.all(inFlight);
    }
    if (nextDates.size > 0) await acts.ensureInvoiceRuns({ officeId, dates: [...nextDates].sort() });
  };

  for (;;) {
    if (due) {
      due = false;
      await pass();
      continue;
    }
    if (workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      if (!due) {
        await continueAsNew<typeof invoiceRunWorkflow>({ officeId, date, ...(input.runHour !== undefined ? { runHour: input.runHour } : {}), carried: { created: state.created, issued: state.issued, ...(state.followedUntil ? { followedUntil: state.followedUntil } : {}) } });
      }
      continue;
    }
    state.phase = 'following';
    const [next] = await acts.runDueDates({ runKey });
    if (next === undefined) {
      await condition(allHandlersFinished);
      if (due) continue;
      break;
    }
    const when = instantAt(next, hour).getTime();
    if (when > Date.now() && (await condition(() => due, when - Date.now()))) continue;
    await acts.startRunFollowers({ runKey, dueDate: next });
    state.followedUntil = next;
  }
  state.phase = 'done';
  return { ...state };
}
