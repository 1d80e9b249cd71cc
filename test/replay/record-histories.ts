/**
 * Records workflow histories for the replay test: runs known walks of the product workflow (and
 * of the RISK poller) in the time-skipping test server with mock activities and writes each
 * history as JSON to test/replay/histories/. Run after a deliberate, patched change of workflow code:
 *
 *   npx tsx test/replay/record-histories.ts [file.json ...]   (no names: all of them)
 *
 * Keep old files: replaying them against new code is what guards running workflows. To record
 * a walk as the code before a change ran it, run this script in a checkout of that commit.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { addDays, todayInAmsterdam } from '../../domain/dates.js';
import type { ProcessDefinition } from '../../domain/process/definition.js';
import { mortgageProcessV1, serviceProcessV1 } from '../../domain/processes/index.js';
import { workflowIds } from '../../domain/workflow-ids.js';
import type { appointmentWorkflow, payoutWorkflow, invoiceRunWorkflow, invoiceWorkflow, mailboxWorkflow, outboxMailWorkflow, productWorkflow, riskPollerWorkflow } from '../../workflows/index.js';
import type { MailboxActivities } from '../../activities/mailbox.contract.js';
import { mailboxIntervalSignal, mailboxPollNowSignal, mailboxStateQuery } from '../../workflows/mailbox/mailbox.messages.js';
import type { MailDeliveryActivities } from '../../activities/work.contract.js';
import type { AppointmentActivities } from '../../activities/appointments.contract.js';
import type { PayoutActivities } from '../../activities/ledger.contract.js';
import { approvePayoutUpdate, payoutBookedSignal, payoutStateQuery } from '../../workflows/ledger/payout.messages.js';
import { reminderInstant } from '../../domain/appointments/appointment.js';
import { appointmentStateQuery, rescheduleAppointmentUpdate } from '../../workflows/appointments/appointment.messages.js';
import type { RiskPollActivities } from '../../activities/insurance.contract.js';
import type { BillingActivities, InvoiceRunActivities } from '../../activities/billing.contract.js';
import { defaultReminderLadder } from '../../domain/billing/reminder-ladder.js';
import { defaultStornoPolicy } from '../../domain/billing/storno-policy.js';
import { bookingSignal, exportedSignal, invoiceRunDueSignal, invoiceRunStateQuery, invoiceStateQuery } from '../../workflows/billing/billing.messages.js';
import { riskPollerStateQuery, riskPollIntervalSignal } from '../../workflows/insurance/risk-poller.messages.js';
import {
  lenderMessageSignal,
  productStateQuery,
  takeStepUpdate,
  type LenderMessage,
  type TakeStepRequest,
} from '../../workflows/products/product.messages.js';
import { createTimeSkippingEnv, deadlineProcess, eventually, mockActivities, workflowBundle } from '../workflows/product-harness.js';

const outDir = fileURLToPath(new URL('./histories/', import.meta.url));
const DAY = 86_400_000;

type Handle = WorkflowHandle<typeof productWorkflow>;
interface Recording {
  file: string;
  productId: string;
  definition: ProcessDefinition;
  walk(handle: Handle, env: TestWorkflowEnvironment, mock: ReturnType<typeof mockActivities>): Promise<void>;
}

const step = (handle: Handle, req: Omit<TakeStepRequest, 'actor'>) =>
  handle.executeUpdate(takeStepUpdate, { args: [{ actor: 'adviser-1', ...req }] });

const recordings: Recording[] = [
  {
    file: 'service-process-v1.json',
    productId: 'replay-service-1',
    definition: serviceProcessV1,
    async walk(handle) {
      await step(handle, { stepId: 'choose-checklist', input: { profile: 'starter' } });
      await step(handle, { stepId: 'send-portal-activation' });
      await step(handle, {
        stepId: 'register-contact',
        input: { channel: 'telefoon', sendReport: true, followUpTask: true, followUpDate: '2030-01-15' },
        payloadId: 'payload-1',
      });
      await step(handle, { stepId: 'register-contact', input: { channel: 'gesprek', sendReport: false }, payloadId: 'payload-2' });
      await step(handle, { stepId: 'create-agreement' }).catch(() => undefined);
      await handle.query(productStateQuery);
    },
  },
  {
    file: 'service-process-v1-cancelled.json',
    productId: 'replay-service-2',
    definition: serviceProcessV1,
    async walk(handle) {
      await step(handle, { stepId: 'choose-checklist', input: { profile: 'ondernemer' } });
      await step(handle, { stepId: 'cancel' });
      await handle.result();
    },
  },
  {
    // Lender messages one at a time, as the workflow handled them before LENDER_BATCH_PATCH.
    file: 'mortgage-lender-messages-v1.json',
    productId: 'replay-mortgage-1',
    definition: mortgageProcessV1,
    async walk(handle, _env, mock) {
      await step(handle, { stepId: 'send-application' });
      const messages: Omit<LenderMessage, 'messageId' | 'applicationNumber' | 'applicationVersion'>[] = [
        { type: 'SX', statusCode: '09' },
        { type: 'SX', statusCode: '10' },
        { type: 'SX', statusCode: '09' },
        { type: 'OX', offerNumber: 'OF-1', offerType: '18', acceptanceDate: '2030-01-15', validityDate: '2030-06-30' },
        { type: 'DA', lines: 4 },
        { type: 'SX', statusCode: '22' },
      ];
      for (const [i, m] of messages.entries()) {
        const messageId = `replay-msg-${i + 1}`;
        await handle.signal(lenderMessageSignal, { applicationNumber: '100001', applicationVersion: 1, ...m, messageId });
        await eventually(async () => mock.callsOf('markHdnMessage').some((c) => c.messageId === messageId));
      }
      await handle.query(productStateQuery);
    },
  },
  {
    // SX 31 as the workflow applied it before HDN_ENABLED_UNVERIFIED_CODES (issue 17): recorded
    // with the code of that time, so the replay guards the "signal without enabledUnverifiedSx"
    // path (31 still known for such signals).
    file: 'mortgage-sx31-before-setting.json',
    productId: 'replay-mortgage-sx31',
    definition: mortgageProcessV1,
    async walk(handle, _env, mock) {
      await step(handle, { stepId: 'send-application' });
      for (const [i, statusCode] of ['09', '05', '31', '26', '20'].entries()) {
        const messageId = `replay-sx31-${i + 1}`;
        await handle.signal(lenderMessageSignal, { applicationNumber: '100001', applicationVersion: 1, type: 'SX', statusCode, messageId });
        await eventually(async () => mock.callsOf('markHdnMessage').some((c) => c.messageId === messageId));
      }
      await handle.query(productStateQuery);
    },
  },
  {
    // Lender messages delivered in batches (services/hdn/delivery.ts): several messages in one
    // signal, a message id signalled twice (skipped, LENDER_DEDUPE_PATCH), a signal of a duplicate only.
    file: 'mortgage-lender-batches.json',
    productId: 'replay-mortgage-batches',
    definition: mortgageProcessV1,
    async walk(handle, _env, mock) {
      await step(handle, { stepId: 'send-application' });
      const m = (n: number, rest: Omit<LenderMessage, 'messageId' | 'applicationNumber' | 'applicationVersion'>): LenderMessage => ({
        applicationNumber: '100001',
        applicationVersion: 1,
        messageId: `replay-batch-${n}`,
        ...rest,
      });
      const markedAll = (...ns: number[]) =>
        eventually(async () => ns.every((n) => mock.callsOf('markHdnMessage').some((c) => c.messageId === `replay-batch-${n}`)));
      await handle.signal(lenderMessageSignal, m(1, { type: 'SX', statusCode: '09' }), m(2, { type: 'SX', statusCode: '10' }));
      await markedAll(1, 2);
      await handle.signal(
        lenderMessageSignal,
        m(2, { type: 'SX', statusCode: '10' }),
        m(3, { type: 'OX', offerNumber: 'OF-1', offerType: '18', acceptanceDate: '2030-01-15', validityDate: '2030-06-30' }),
        m(4, { type: 'DA', lines: 4 }),
      );
      await markedAll(3, 4);
      await handle.signal(lenderMessageSignal, m(4, { type: 'DA', lines: 4 }));
      await handle.signal(lenderMessageSignal, m(5, { type: 'SX', statusCode: '22' }));
      await markedAll(5);
      await handle.query(productStateQuery);
    },
  },
  {
    file: 'deadline-watch.json',
    productId: 'replay-deadline-1',
    definition: deadlineProcess,
    async walk(handle, env) {
      const today = todayInAmsterdam(new Date(await env.currentTimeMs()));
      await step(handle, { stepId: 'set-date', input: { conditionDate: addDays(today, 10) } });
      await env.sleep(12 * DAY);
      await eventually(async () => (await handle.query(productStateQuery)).status === 'escalated');
      await step(handle, { stepId: 'close' });
      await handle.result();
    },
  },
];

/** Walks of other workflows: each starts its workflow on `taskQueue` and returns the handle whose (closed or open) run is recorded. */
interface OtherRecording {
  file: string;
  activities: object;
  walk(env: TestWorkflowEnvironment, taskQueue: string): Promise<WorkflowHandle>;
}

/** The RISK poller: a round, a new interval during the wait, a round that fails once and is retried, then continue-as-new. */
function riskPollerRecording(): OtherRecording {
  let calls = 0;
  const activities: RiskPollActivities = {
    async pollRiskEvents(input) {
      calls += 1;
      if (calls === 2) throw ApplicationFailure.create({ type: 'RiskUnavailable', message: 'RISK answered 503' });
      return { offices: input.officeIds?.length ?? 0, fetched: calls, stored: 1, failedOfficeIds: [] };
    },
  };
  return {
    file: 'risk-poller-v1.json',
    activities,
    async walk(env, taskQueue) {
      const handle = await env.client.workflow.start<typeof riskPollerWorkflow>('riskPollerWorkflow', {
        taskQueue,
        workflowId: workflowIds.riskPoller(),
        args: [{ intervalSeconds: 60, officeIds: ['replay-office-1'], roundsPerRun: 3 }],
      });
      // Into the wait after the first round, then a new interval re-plans that wait.
      await eventually(async () => (await handle.query(riskPollerStateQuery)).rounds >= 1);
      await handle.signal(riskPollIntervalSignal, 90);
      await eventually(async () => (await handle.query(riskPollerStateQuery)).intervalSeconds === 90);
      await env.sleep(5 * 60_000);
      // The first run has continued as new after its third round: record that run, complete.
      await eventually(async () => (await env.client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId).describe()).status.name === 'CONTINUED_AS_NEW');
      return env.client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId);
    },
  };
}

/** An office's mailbox poller: a poll, "poll now", a new interval, a poll that fails once and is retried, then continue-as-new. */
function mailboxRecording(): OtherRecording {
  let calls = 0;
  const activities: MailboxActivities = {
    async pollMailbox() {
      calls += 1;
      if (calls === 3) throw ApplicationFailure.create({ type: 'MailboxUnavailable', message: 'IMAP server unreachable' });
      return { fetched: calls, stored: 1, duplicates: calls - 1, matched: 1, unmatched: 0, rescanned: false };
    },
  };
  return {
    file: 'mailbox-v1.json',
    activities,
    async walk(env, taskQueue) {
      const handle = await env.client.workflow.start<typeof mailboxWorkflow>('mailboxWorkflow', {
        taskQueue,
        workflowId: workflowIds.mailbox('replay-office-1'),
        args: [{ officeId: 'replay-office-1', intervalSeconds: 60, pollsPerRun: 4 }],
      });
      await eventually(async () => (await handle.query(mailboxStateQuery)).polls >= 1);
      await handle.signal(mailboxPollNowSignal);
      await eventually(async () => (await handle.query(mailboxStateQuery)).polls >= 2);
      await handle.signal(mailboxIntervalSignal, 90);
      await eventually(async () => (await handle.query(mailboxStateQuery)).intervalSeconds === 90);
      await env.sleep(5 * 60_000);
      await eventually(async () => (await env.client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId).describe()).status.name === 'CONTINUED_AS_NEW');
      return env.client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId);
    },
  };
}

/**
 * An invoice under the money invariant (issue 15): in a direct debit file, its return (MD06)
 * arrives before the collection's credit, then the credit of the same EndToEndId (it takes back
 * nothing more: open stays the total), then a transfer of more than the total settles it and
 * leaves the rest as the client's credit; a second copy of the return changes nothing.
 */
function invoiceMoneyRecording(): OtherRecording {
  const invoiceId = 'replay-invoice-money-1';
  let status = 'sent';
  let paidCents = 0;
  const applied: string[] = [];
  const activities: Partial<BillingActivities> = {
    async loadInvoiceFacts() {
      return {
        invoiceId,
        status,
        totalCents: 3_025,
        paidCents,
        transferredCents: 0,
        costsCents: 0,
        ledger: { entries: {}, unreferencedReturnsCents: 0 },
        appliedBookings: [...applied],
        dueDate: '2026-12-01',
        paymentMethod: 'sepa',
        consumer: true,
        delivery: 'email',
        reminderMode: 'module',
        ladder: defaultReminderLadder.actions,
        stornoPolicy: defaultStornoPolicy,
        recollections: 0,
        remindersDone: 0,
        mandateFlagged: false,
      };
    },
    async recordInvoiceStatus(input) {
      status = input.status;
      paidCents = input.paidCents;
      if (input.applied) applied.push(`${input.applied.bookingId}:${input.applied.kind}`);
    },
    async scheduleRecollection() {},
    async flagMandate() {},
    async executeReminderAction(input) {
      return { executionId: input.key, statusAfter: status };
    },
  };
  return {
    file: 'billing-invoice-money-v1.json',
    activities,
    async walk(env, taskQueue) {
      const handle = await env.client.workflow.start<typeof invoiceWorkflow>('invoiceWorkflow', {
        taskQueue,
        workflowId: workflowIds.invoice(invoiceId),
        args: [{ invoiceId }],
      });
      await handle.signal(exportedSignal, { exportId: 'replay-export-1', sequenceType: 'FRST' });
      await eventually(async () => (await handle.query(invoiceStateQuery)).status === 'collection_pending');
      const e2e = 'INV-REPLAY-0001-0-abcdef12';
      await handle.signal(bookingSignal, { bookingId: 'ret-1', kind: 'reversal', amountCents: 3_025, reasonCode: 'MD06', reference: e2e });
      await eventually(async () => applied.includes('ret-1:reversal'));
      await handle.signal(bookingSignal, { bookingId: 'col-1', kind: 'collection', amountCents: 3_025, reference: e2e });
      await handle.signal(bookingSignal, { bookingId: 'ret-2', kind: 'reversal', amountCents: 3_025, reasonCode: 'MD06', reference: e2e });
      await eventually(async () => applied.includes('ret-2:reversal'));
      const state = await handle.query(invoiceStateQuery);
      if (state.openCents !== 3_025) throw new Error(`open ${state.openCents}, expected 3025`);
      await handle.signal(bookingSignal, { bookingId: 'pay-1', kind: 'payment', amountCents: 5_000 });
      await handle.result();
      return handle;
    },
  };
}

/**
 * An invoice run: waits for its date, numbers 1,300 contracts in two chunks and issues them in
 * parts (one part fails for good and is issued by the sweep), makes sure the run of the next
 * date exists; a `contractsDue` signal makes a second pass (nothing due); then, on the due date,
 * starts the invoice workflows of what is still unpaid, and ends.
 */
function invoiceRunRecording(): OtherRecording {
  let chunks = 0;
  let issueCalls = 0;
  let sweeps = 0;
  let followed = false;
  // Dates relative to the test server's clock (set in walk), as the server's timers see them.
  let date = '2031-01-01';
  const activities: Pick<InvoiceRunActivities, 'createRunInvoices' | 'issueRunInvoices' | 'unissuedRunRanges' | 'ensureInvoiceRuns' | 'runDueDates' | 'startRunFollowers'> = {
    async createRunInvoices(input) {
      chunks += 1;
      const year = Number(input.date.slice(0, 4));
      if (chunks === 1) return { claimed: 1000, created: 1000, ranges: [{ year, from: 1, to: 1000 }], nextDates: [addDays(date, 31)], more: true };
      if (chunks === 2) return { claimed: 300, created: 300, ranges: [{ year, from: 1001, to: 1300 }], nextDates: [addDays(date, 31)], more: false };
      return { claimed: 0, created: 0, ranges: [], nextDates: [], more: false };
    },
    async issueRunInvoices(input) {
      issueCalls += 1;
      if (issueCalls === 2) throw ApplicationFailure.create({ type: 'BillingNotFound', message: 'a part that fails for good', nonRetryable: true });
      const n = input.range.to - input.range.from + 1;
      return { issued: n, pdfs: n, mailed: n - 1, posted: 1 };
    },
    async unissuedRunRanges() {
      sweeps += 1;
      return sweeps === 1 ? [{ year: Number(date.slice(0, 4)), from: 251, to: 500 }] : [];
    },
    async ensureInvoiceRuns() {},
    async runDueDates() {
      return followed ? [] : [addDays(date, 14)];
    },
    async startRunFollowers() {
      followed = true;
      return { started: 12 };
    },
  };
  return {
    file: 'billing-invoice-run-v1.json',
    activities,
    async walk(env, taskQueue) {
      date = addDays(todayInAmsterdam(new Date(await env.currentTimeMs())), 1);
      const handle = await env.client.workflow.start<typeof invoiceRunWorkflow>('invoiceRunWorkflow', {
        taskQueue,
        workflowId: workflowIds.invoiceRun('replay-office-1', date),
        args: [{ officeId: 'replay-office-1', date }],
      });
      await env.sleep(3 * DAY);
      await eventually(async () => (await handle.query(invoiceRunStateQuery)).phase === 'following');
      await handle.signal(invoiceRunDueSignal);
      await handle.result();
      return handle;
    },
  };
}

/** An appointment (issue 18): confirmation, a reschedule (Update) that moves the reminder timer, the reminder the day before, the start. */
function appointmentRecording(): OtherRecording {
  const activities: AppointmentActivities = {
    async sendAppointmentMail() {
      return { mailIds: [randomUUID()] };
    },
  };
  return {
    file: 'appointment-v1.json',
    activities,
    async walk(env, taskQueue) {
      const now = new Date(await env.currentTimeMs());
      const startsAt = new Date(now.getTime() + 20 * DAY);
      const handle = await env.client.workflow.start<typeof appointmentWorkflow>('appointmentWorkflow', {
        taskQueue,
        workflowId: workflowIds.appointment('replay-appointment-1'),
        args: [{ appointmentId: 'replay-appointment-1', sequence: 0, startsAt: startsAt.toISOString(), reminderAt: reminderInstant(startsAt, now)?.toISOString() ?? null }],
      });
      await eventually(async () => (await handle.query(appointmentStateQuery)).mailsSent.length === 1);
      const moved = new Date(now.getTime() + 30 * DAY);
      await handle.executeUpdate(rescheduleAppointmentUpdate, { args: [{ sequence: 1, startsAt: moved.toISOString(), reminderAt: reminderInstant(moved, now)?.toISOString() ?? null }] });
      await handle.result();
      return handle;
    },
  };
}

/**
 * A pay-out (issue 21): approved (the booking fails once and is retried), the pain.001 made, an
 * early bank signal (before the file) ignored, the statement's signal, then booked.
 */
function payoutRecording(): OtherRecording {
  let approveCalls = 0;
  const activities: PayoutActivities = {
    async approvePayout() {
      approveCalls += 1;
      if (approveCalls === 1) throw ApplicationFailure.create({ type: 'Unavailable', message: 'database away' });
      return { entryId: 'entry-1' };
    },
    async createPayoutFile() {
      return { endToEndId: 'RCU-replay' };
    },
    async settlePayout() {
      return { entryId: 'entry-2' };
    },
    async cancelPayout() {},
  };
  return {
    file: 'payout-v1.json',
    activities,
    async walk(env, taskQueue) {
      const handle = await env.client.workflow.start<typeof payoutWorkflow>('payoutWorkflow', {
        taskQueue,
        workflowId: workflowIds.payout('replay-payout-1'),
        args: [{ payoutId: 'replay-payout-1' }],
      });
      await handle.signal(payoutBookedSignal, { bookedOn: '2026-07-01' });
      await handle.executeUpdate(approvePayoutUpdate, { args: [{ approvedBy: 'admin-1' }] });
      await eventually(async () => (await handle.query(payoutStateQuery)).status === 'file_created');
      await handle.signal(payoutBookedSignal, { bookedOn: '2026-07-03' });
      await handle.result();
      return handle;
    },
  };
}

/** An outbox mail the API could not send at once: the SMTP server away on the first try, sent on the second. */
function outboxMailRecording(): OtherRecording {
  let calls = 0;
  const activities: MailDeliveryActivities = {
    async deliverOutboxMail() {
      calls += 1;
      if (calls === 1) throw ApplicationFailure.create({ type: 'MailUnavailable', message: 'connect ECONNREFUSED' });
    },
  };
  return {
    file: 'outbox-mail-v1.json',
    activities,
    async walk(env, taskQueue) {
      const handle = await env.client.workflow.start<typeof outboxMailWorkflow>('outboxMailWorkflow', {
        taskQueue,
        workflowId: workflowIds.mail('replay-mail-1'),
        args: [{ mailId: 'replay-mail-1' }],
      });
      await handle.result();
      return handle;
    },
  };
}

const otherRecordings: OtherRecording[] = [riskPollerRecording(), mailboxRecording(), invoiceMoneyRecording(), invoiceRunRecording(), appointmentRecording(), outboxMailRecording(), payoutRecording()];

async function main(): Promise<void> {
  const env = await createTimeSkippingEnv();
  try {
    await mkdir(outDir, { recursive: true });
    const only = process.argv.slice(2);
    for (const rec of otherRecordings.filter((r) => only.length === 0 || only.includes(r.file))) {
      const taskQueue = `record-${randomUUID()}`;
      const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: await workflowBundle(), activities: rec.activities });
      await worker.runUntil(async () => {
        const handle = await rec.walk(env, taskQueue);
        const history = await handle.fetchHistory();
        await env.client.workflow.getHandle(handle.workflowId).terminate('recorded').catch(() => undefined);
        await writeFile(`${outDir}${rec.file}`, `${historyToJSON(history)}\n`);
        console.log(`recorded ${rec.file}: ${history.events?.length ?? 0} events`);
      });
    }
    for (const rec of recordings.filter((r) => only.length === 0 || only.includes(r.file))) {
      const mock = mockActivities();
      const taskQueue = `record-${randomUUID()}`;
      const worker = await Worker.create({
        connection: env.nativeConnection,
        taskQueue,
        workflowBundle: await workflowBundle(),
        activities: mock.activities,
      });
      await worker.runUntil(async () => {
        const handle = await env.client.workflow.start<typeof productWorkflow>('productWorkflow', {
          taskQueue,
          workflowId: workflowIds.product(rec.productId),
          args: [{ productId: rec.productId, dossierId: 'replay-dossier', definition: rec.definition, startedBy: 'adviser-1' }],
        });
        await rec.walk(handle, env, mock);
        const history = await handle.fetchHistory();
        await writeFile(`${outDir}${rec.file}`, `${historyToJSON(history)}\n`);
        console.log(`recorded ${rec.file}: ${history.events?.length ?? 0} events`);
      });
    }
  } finally {
    await env.teardown();
  }
}

await main();
