/**
 * The billing workflows against the time-skipping test server with typed activity mocks that
 * keep their facts in memory: a year of monthly invoices from one contract; a storno that sends
 * an invoice up the ladder to the 14-dagenbrief; a payment during the ladder that stops it;
 * payment and storno in either order; the reminder module's update refusing paid invoices.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import type { BillingActivities, ExecuteReminderActionInput, InvoiceFacts } from '../../activities/billing.contract.js';
import type { HandedContract, InvoiceRunActivities } from '../../domain/billing/side-effects.js';
import { addDays, todayInAmsterdam } from '../../domain/dates.js';
import { ledgerOfBookings } from '../../domain/billing/invoice-status.js';
import { defaultReminderLadder } from '../../domain/billing/reminder-ladder.js';
import { defaultStornoPolicy } from '../../domain/billing/storno-policy.js';
import { workflowIds } from '../../domain/workflow-ids.js';
import type { contractWorkflow, invoiceWorkflow } from '../../workflows/index.js';
import { bookingSignal, exportedSignal, type BookingEvent, invoiceStateQuery, runReminderActionUpdate } from '../../workflows/billing/billing.messages.js';
import { eventually, handledSignals, settle, terminateWhenSettled, timeSkippingEnv, workflowBundle } from './product-harness.js';

const DAY = 86_400_000;
const env = timeSkippingEnv('each');

const workflowToday = async (): Promise<string> => todayInAmsterdam(new Date(await env.currentTimeMs()));

/**
 * The booking lines "stored" before they are signalled (by invoice, then booking id), as the API
 * stores them: the fake's facts build the money ledger from the lines applied so far, as
 * services/billing/invoice-status.ts does, so a later run restarts from the money received.
 */
const storedLines = new Map<string, Map<string, BookingEvent>>();

interface FakeInvoice extends InvoiceFacts {
  key: string;
  billedFrom: string;
  billedUntil: string;
  invoiceDate: string;
  /** The client's credit from this invoice, as the workflow recorded it. */
  creditCents?: number;
}

/** In-memory billing facts with the same idempotency rules as the real activities. */
function fakeBilling(contract: { startDate: string; period: 'month' | 'quarter' | 'year'; endDate?: string }, overrides: Partial<InvoiceFacts> = {}) {
  const invoices = new Map<string, FakeInvoice>();
  const reminders: ExecuteReminderActionInput[] = [];
  const executed = new Set<string>();
  const issued: string[] = [];
  const recollections: { invoiceId: string; recollection: number }[] = [];
  const flags: string[] = [];
  const byKey = new Map<string, string>();

  const activities: BillingActivities = {
    async loadContractTerms({ contractId }) {
      const billed = [...invoices.values()].map((i) => i.billedUntil).sort();
      const last = billed.at(-1);
      return { contractId, active: !contract.endDate || !last || last < contract.endDate, ...contract, ...(last ? { lastBilledUntil: last } : {}) };
    },
    async createContractInvoice(input) {
      const existing = byKey.get(input.key);
      if (existing) {
        const inv = invoices.get(existing)!;
        return { invoiceId: inv.invoiceId, invoiceWorkflowId: workflowIds.invoice(inv.invoiceId), number: inv.key, totalCents: inv.totalCents, dueDate: inv.dueDate, created: false };
      }
      const invoiceId = randomUUID();
      const inv: FakeInvoice = {
        ...facts(invoiceId, addDays(input.invoiceDate, 14)),
        key: input.key,
        billedFrom: input.billedFrom,
        billedUntil: input.billedUntil,
        invoiceDate: input.invoiceDate,
      };
      invoices.set(invoiceId, inv);
      byKey.set(input.key, invoiceId);
      return { invoiceId, invoiceWorkflowId: workflowIds.invoice(invoiceId), number: `2026-${invoices.size}`, totalCents: inv.totalCents, dueDate: inv.dueDate, created: true };
    },
    async issueInvoice({ invoiceId }) {
      issued.push(invoiceId);
      const inv = invoices.get(invoiceId)!;
      if (inv.status === 'open') inv.status = 'sent';
      return { documentId: `pdf-${invoiceId}` };
    },
    async loadInvoiceFacts({ invoiceId }) {
      const inv = invoices.get(invoiceId);
      if (!inv) throw new Error(`no invoice ${invoiceId}`);
      const lines = storedLines.get(invoiceId);
      const applied = new Map<string, string[]>();
      for (const a of inv.appliedBookings) {
        const [bookingId, kind] = a.split(':') as [string, string];
        applied.set(bookingId, [...(applied.get(bookingId) ?? []), kind]);
      }
      const ledger = lines
        ? ledgerOfBookings([...applied].flatMap(([bookingId, kinds]) => {
            const line = lines.get(bookingId);
            return line ? [{ bookingId, applied: kinds, amountCents: line.amountCents, reference: line.reference ?? null }] : [];
          }))
        : undefined;
      return {
        ...inv,
        ...(ledger ? { ledger } : {}),
        remindersDone: reminders.filter((r) => r.invoiceId === invoiceId && r.key.includes('/reminder:')).length,
      };
    },
    async recordInvoiceStatus({ invoiceId, status, paidCents, creditCents, applied }) {
      const inv = invoices.get(invoiceId)!;
      inv.status = status;
      inv.paidCents = paidCents;
      if (creditCents !== undefined) inv.creditCents = creditCents;
      if (applied) inv.appliedBookings = [...inv.appliedBookings, `${applied.bookingId}:${applied.kind}`];
    },

    async scheduleRecollection({ invoiceId, recollection }) {
      recollections.push({ invoiceId, recollection });
      invoices.get(invoiceId)!.recollections = recollection;
    },
    async flagMandate({ key }) {
      flags.push(key);
    },
    async executeReminderAction(input) {
      if (!executed.has(input.key)) {
        executed.add(input.key);
        reminders.push(input);
      }
      const inv = invoices.get(input.invoiceId)!;
      const action = input.action ?? defaultReminderLadder.actions[input.actionIndex ?? 0]!;
      if (!input.notification) inv.status = action.statusAfter;
      const today = todayInAmsterdam(new Date());
      return {
        executionId: input.key,
        statusAfter: input.notification ? inv.status : action.statusAfter,
        ...(action.type === 'letter' ? { payBy: addDays(today, 16), costsCents: 4000 } : {}),
      };
    },
  };

  function facts(invoiceId: string, dueDate: string): InvoiceFacts {
    return {
      invoiceId,
      status: 'open',
      totalCents: 12_100,
      paidCents: 0,
      transferredCents: 0,
      appliedBookings: [],
      dueDate,
      paymentMethod: 'sepa',
      consumer: true,
      delivery: 'email',
      reminderMode: 'workflow',
      ladder: defaultReminderLadder.actions,
      stornoPolicy: defaultStornoPolicy,
      recollections: 0,
      remindersDone: 0,
      mandateFlagged: false,
      ...overrides,
    };
  }

  /** An invoice that exists without a contract workflow (sent, due on `dueDate`). */
  function addInvoice(dueDate: string): string {
    const invoiceId = randomUUID();
    invoices.set(invoiceId, { ...facts(invoiceId, dueDate), status: 'sent', key: invoiceId, billedFrom: dueDate, billedUntil: dueDate, invoiceDate: dueDate });
    return invoiceId;
  }

  return { activities, invoices, reminders, issued, recollections, flags, addInvoice };
}

/**
 * Invoice workflows started as children outlive their parent: end them, or time skipping stalls
 * without a worker. Their latest run, once nothing is open in it (terminateWhenSettled): a
 * termination cutting off an activity or workflow task locks the server's time skipping. A run
 * that completes on its own in between (a settled invoice ends) is fine.
 */
async function terminateInvoices(ids: Iterable<string>): Promise<void> {
  for (const id of ids) await terminateWhenSettled(env, env.client.workflow.getHandle(workflowIds.invoice(id)));
}

/** Delivers a booking as the API does: signal-with-start (a settled invoice's workflow has ended). */
async function book(
  taskQueue: string,
  invoiceId: string,
  event: { bookingId: string; kind: 'payment' | 'collection' | 'reversal' | 'rejection'; amountCents: number; reasonCode?: string; reference?: string },
): Promise<void> {
  const lines = storedLines.get(invoiceId) ?? new Map<string, BookingEvent>();
  lines.set(event.bookingId, event);
  storedLines.set(invoiceId, lines);
  const send = () =>
    env.client.workflow.signalWithStart('invoiceWorkflow', {
      taskQueue,
      workflowId: workflowIds.invoice(invoiceId),
      args: [{ invoiceId }],
      signal: bookingSignal,
      signalArgs: [event],
    });
  try {
    await send();
  } catch (err) {
    // The test server can answer "Completed workflow" when the run completes at that very
    // moment; the API retries the same way (services/billing/workflows.ts).
    if (!(err instanceof WorkflowNotFoundError)) throw err;
    await send();
  }
}

async function withWorker<T>(activities: BillingActivities & Partial<Pick<InvoiceRunActivities, 'handContractToRun'>>, fn: (taskQueue: string) => Promise<T>): Promise<T> {
  const taskQueue = `billing-${randomUUID()}`;
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: await workflowBundle(), activities });
  return worker.runUntil(() => fn(taskQueue));
}

describe('contract workflow', () => {
  // Since INVOICE_RUN_PATCH a new contract workflow plans and hands its contract to the office's
  // invoice runs, which make the invoices (test/integration/invoice-run.test.ts, test/chaos); the
  // code before the patch (invoicing every period itself) is what workflows started before it
  // run until they next wake: test/replay/histories/billing-contract-v1.json replays it.
  const handOver = (next: (contractId: string) => string | undefined) => {
    const calls: string[] = [];
    return {
      calls,
      handContractToRun: async ({ contractId }: { contractId: string }): Promise<HandedContract> => {
        calls.push(contractId);
        const nextInvoiceDate = next(contractId);
        return { contractId, ...(nextInvoiceDate ? { nextInvoiceDate } : {}) };
      },
    };
  };

  it('hands a new monthly contract to the invoice runs: the next invoice date on the card, no invoice of its own, then it ends', async () => {
    const start = await workflowToday();
    const fake = fakeBilling({ startDate: start, period: 'month' });
    const runs = handOver(() => start);
    await withWorker({ ...fake.activities, handContractToRun: runs.handContractToRun }, async (taskQueue) => {
      const contractId = randomUUID();
      const handle = await env.client.workflow.start<typeof contractWorkflow>('contractWorkflow', {
        taskQueue,
        workflowId: workflowIds.contract(contractId),
        args: [{ contractId }],
      });
      const result = await handle.result();
      expect(result).toMatchObject({ contractId, ended: true, nextInvoiceDate: start });
      expect(runs.calls).toEqual([contractId]);
      expect(fake.invoices.size).toBe(0);
      expect(fake.issued).toHaveLength(0);
    });
  });

  it('a contract with everything invoiced ends without a next date', async () => {
    const start = await workflowToday();
    const fake = fakeBilling({ startDate: start, period: 'month', endDate: addDays(start, 45) });
    const runs = handOver(() => undefined);
    await withWorker({ ...fake.activities, handContractToRun: runs.handContractToRun }, async (taskQueue) => {
      const contractId = randomUUID();
      const handle = await env.client.workflow.start<typeof contractWorkflow>('contractWorkflow', {
        taskQueue,
        workflowId: workflowIds.contract(contractId),
        args: [{ contractId }],
      });
      const result = await handle.result();
      expect(result.ended).toBe(true);
      expect(result.nextInvoiceDate).toBeUndefined();
      expect(runs.calls).toEqual([contractId]);
      expect(fake.invoices.size).toBe(0);
    });
  });
});

describe('invoice workflow', () => {
  it('after a storno (MD06) in month 3 mails at once and escalates up the ladder to the 14-dagenbrief', async () => {
    const today = await workflowToday();
    const fake = fakeBilling({ startDate: today, period: 'month' });
    const invoiceId = fake.addInvoice(addDays(today, 14));
    await withWorker(fake.activities, async (taskQueue) => {
      const handle = await env.client.workflow.start<typeof invoiceWorkflow>('invoiceWorkflow', {
        taskQueue,
        workflowId: workflowIds.invoice(invoiceId),
        args: [{ invoiceId }],
      });
      await handle.signal(exportedSignal, { exportId: 'exp-1', sequenceType: 'RCUR' });
      await eventually(async () => (await handle.query(invoiceStateQuery)).status === 'collection_pending');
      // Months pass while the collection is pending: no reminders.
      await env.sleep(60 * DAY);
      expect(fake.reminders).toEqual([]);
      await book(taskQueue, invoiceId, { bookingId: 'b-collect', kind: 'collection', amountCents: 12_100 });
      await eventually(async () => fake.invoices.get(invoiceId)!.status === 'collected');
      await book(taskQueue, invoiceId, { bookingId: 'b-storno', kind: 'reversal', amountCents: 12_100, reasonCode: 'MD06' });
      await eventually(async () => fake.reminders.some((r) => r.key.endsWith('/storno:b-storno')));
      const current = env.client.workflow.getHandle(workflowIds.invoice(invoiceId));
      await settle(current);
      let st = await current.query(invoiceStateQuery);
      expect(st.status).toBe('reversed');
      expect(st.openCents).toBe(12_100);
      expect(fake.reminders[0]).toMatchObject({ notification: true, stornoReason: expect.stringMatching(/^MD06/) });

      await env.sleep(40 * DAY);
      await eventually(async () => (await current.query(invoiceStateQuery)).status === 'final_notice');
      const steps = fake.reminders.filter((r) => r.key.includes('/reminder:')).map((r) => r.action?.name);
      expect(steps).toEqual(['Betalingsherinnering', 'Tweede herinnering', '14-dagenbrief']);
      st = await current.query(invoiceStateQuery);
      expect(st.remindersDone).toBe(3);
      expect(fake.invoices.get(invoiceId)!.status).toBe('final_notice');
      void handle;
      await terminateInvoices([invoiceId]);
    });
  });

  it('stops the ladder when the client pays during it, and ends the workflow', async () => {
    const today = await workflowToday();
    const fake = fakeBilling({ startDate: today, period: 'month' }, { paymentMethod: 'transfer' });
    const invoiceId = fake.addInvoice(addDays(today, 14));
    await withWorker(fake.activities, async (taskQueue) => {
      const handle = await env.client.workflow.start<typeof invoiceWorkflow>('invoiceWorkflow', {
        taskQueue,
        workflowId: workflowIds.invoice(invoiceId),
        args: [{ invoiceId }],
      });
      await env.sleep(30 * DAY);
      await eventually(async () => fake.reminders.length === 1);
      await settle(handle);
      expect((await handle.query(invoiceStateQuery)).status).toBe('reminded');
      await handle.signal(bookingSignal, { bookingId: 'b-pay', kind: 'payment', amountCents: 12_100 });
      const result = await handle.result();
      expect(result.status).toBe('paid');
      await env.sleep(60 * DAY);
      expect(fake.reminders).toHaveLength(1);
    });
  });

  it.each([
    [['collection', 'reversal'], 'reversed'],
    [['reversal', 'collection'], 'reversed'],
    [['collection', 'reversal', 'payment'], 'paid'],
    [['reversal', 'payment', 'collection'], 'paid'],
    [['payment', 'collection', 'reversal'], 'paid'],
  ] as const)('ends right whatever the order: %j -> %s', async (order, expected) => {
    const today = await workflowToday();
    const fake = fakeBilling({ startDate: today, period: 'month' });
    const invoiceId = fake.addInvoice(addDays(today, 14));
    await withWorker(fake.activities, async (taskQueue) => {
      // As the API delivers bookings: signal-with-start (a settled invoice's workflow has ended).
      for (const [i, kind] of order.entries()) {
        const before = fake.invoices.get(invoiceId)!.appliedBookings.length;
        // The API stores the booking line before it signals; the real facts sum those lines.
        if (kind === 'payment') fake.invoices.get(invoiceId)!.transferredCents += 12_100;
        await book(taskQueue, invoiceId, { bookingId: `b${i}`, kind, amountCents: 12_100, ...(kind === 'reversal' ? { reasonCode: 'MD06' } : {}) });
        // Each booking is handled before the next arrives (the bank's order).
        // (Applied, not "paid changed": a return before its credit, or money beyond the total, leaves the paid amount as it was.)
        await eventually(async () => fake.invoices.get(invoiceId)!.appliedBookings.length > before);
        // The money invariant after every step: paid (hence open) within 0 .. total.
        const paid = fake.invoices.get(invoiceId)!.paidCents;
        expect(paid).toBeGreaterThanOrEqual(0);
        expect(paid).toBeLessThanOrEqual(12_100);
      }
      await eventually(async () => fake.invoices.get(invoiceId)!.status === expected, 5_000).catch(() => undefined);
      expect(fake.invoices.get(invoiceId)!.status).toBe(expected);
      await terminateInvoices([invoiceId]);
    });
  });

  it('money beyond the total is recorded as the client\'s credit, and a return of the collection takes it back', async () => {
    const today = await workflowToday();
    const fake = fakeBilling({ startDate: today, period: 'month' });
    const invoiceId = fake.addInvoice(addDays(today, 14));
    await withWorker(fake.activities, async (taskQueue) => {
      const e2e = 'INV-OVERPAID-0-abcdef12';
      await book(taskQueue, invoiceId, { bookingId: 'c1', kind: 'collection', amountCents: 12_100, reference: e2e });
      await eventually(async () => fake.invoices.get(invoiceId)!.status === 'collected');
      // The client also paid by transfer: settled already, the transfer is the client's credit.
      await book(taskQueue, invoiceId, { bookingId: 'p1', kind: 'payment', amountCents: 12_100 });
      await eventually(async () => fake.invoices.get(invoiceId)!.creditCents === 12_100);
      expect(fake.invoices.get(invoiceId)).toMatchObject({ status: 'paid', paidCents: 12_100 });
      // The collection comes back (MD06): the transfer pays the invoice, no credit is left, nothing is open.
      await book(taskQueue, invoiceId, { bookingId: 'r1', kind: 'reversal', amountCents: 12_100, reasonCode: 'MD06', reference: e2e });
      await eventually(async () => fake.invoices.get(invoiceId)!.creditCents === 0);
      expect(fake.invoices.get(invoiceId)).toMatchObject({ status: 'paid', paidCents: 12_100 });
      await terminateInvoices([invoiceId]);
    });
  });

  it('a pain.002 rejection moves no money: the total stays open, and a duplicate of it is applied once', async () => {
    const today = await workflowToday();
    const fake = fakeBilling({ startDate: today, period: 'month' });
    const invoiceId = fake.addInvoice(addDays(today, 14));
    await withWorker(fake.activities, async (taskQueue) => {
      await book(taskQueue, invoiceId, { bookingId: 'rj1', kind: 'rejection', amountCents: 12_100, reasonCode: 'MS02', reference: 'INV-REJ-0-abcdef12' });
      await book(taskQueue, invoiceId, { bookingId: 'rj1', kind: 'rejection', amountCents: 12_100, reasonCode: 'MS02', reference: 'INV-REJ-0-abcdef12' });
      await eventually(async () => fake.invoices.get(invoiceId)!.appliedBookings.includes('rj1:rejection'));
      const handle = env.client.workflow.getHandle(workflowIds.invoice(invoiceId));
      await eventually(async () => (await handle.query(invoiceStateQuery)).events.some((e) => /al verwerkt/.test(e.what)));
      const st = await handle.query(invoiceStateQuery);
      expect(st).toMatchObject({ status: 'reversed', paidCents: 0, openCents: 12_100, overpaidCents: 0 });
      expect(fake.invoices.get(invoiceId)!.appliedBookings.filter((b) => b === 'rj1:rejection')).toHaveLength(1);
      await terminateInvoices([invoiceId]);
    });
  });

  it('counts a booking delivered twice once, also in a later run', async () => {
    const today = await workflowToday();
    const fake = fakeBilling({ startDate: today, period: 'month' }, { paymentMethod: 'transfer' });
    const invoiceId = fake.addInvoice(addDays(today, 14));
    await withWorker(fake.activities, async (taskQueue) => {
      await book(taskQueue, invoiceId, { bookingId: 'half', kind: 'payment', amountCents: 6_000 });
      await book(taskQueue, invoiceId, { bookingId: 'half', kind: 'payment', amountCents: 6_000 });
      await eventually(async () => fake.invoices.get(invoiceId)!.paidCents === 6_000);
      await book(taskQueue, invoiceId, { bookingId: 'rest', kind: 'payment', amountCents: 6_100 });
      await eventually(async () => fake.invoices.get(invoiceId)!.status === 'paid');
      // The workflow has ended; the same booking again starts a new run that knows it.
      await book(taskQueue, invoiceId, { bookingId: 'rest', kind: 'payment', amountCents: 6_100 });
      // Wait for the new run to have handled that booking (explicit state, not a 500 ms pause).
      const latest = env.client.workflow.getHandle(workflowIds.invoice(invoiceId));
      await eventually(async () => handledSignals(await latest.fetchHistory()));
      expect(fake.invoices.get(invoiceId)!.paidCents).toBe(12_100);
      await terminateInvoices([invoiceId]);
    });
  });

  it('re-collects once after AM04, then reminds after a second AM04', async () => {
    const today = await workflowToday();
    const fake = fakeBilling({ startDate: today, period: 'month' });
    const invoiceId = fake.addInvoice(addDays(today, 14));
    await withWorker(fake.activities, async (taskQueue) => {
      const handle = await env.client.workflow.start<typeof invoiceWorkflow>('invoiceWorkflow', {
        taskQueue,
        workflowId: workflowIds.invoice(invoiceId),
        args: [{ invoiceId }],
      });
      await book(taskQueue, invoiceId, { bookingId: 'c1', kind: 'collection', amountCents: 12_100 });
      await eventually(async () => fake.invoices.get(invoiceId)!.status === 'collected');
      await book(taskQueue, invoiceId, { bookingId: 'r1', kind: 'reversal', amountCents: 12_100, reasonCode: 'AM04' });
      await eventually(async () => fake.recollections.length === 1);
      expect(fake.reminders).toEqual([]);
      const current = env.client.workflow.getHandle(workflowIds.invoice(invoiceId));
      await current.signal(exportedSignal, { exportId: 'exp-2', sequenceType: 'RCUR' });
      await book(taskQueue, invoiceId, { bookingId: 'c2', kind: 'collection', amountCents: 12_100 });
      await eventually(async () => fake.invoices.get(invoiceId)!.status === 'collected');
      await book(taskQueue, invoiceId, { bookingId: 'r2', kind: 'reversal', amountCents: 12_100, reasonCode: 'AM04' });
      await eventually(async () => fake.reminders.some((r) => r.key.endsWith('/storno:r2')));
      expect(fake.recollections).toHaveLength(1);
      void handle;
      await terminateInvoices([invoiceId]);
    });
  });

  it('flags the mandate after AC04 and never re-collects', async () => {
    const today = await workflowToday();
    const fake = fakeBilling({ startDate: today, period: 'month' });
    const invoiceId = fake.addInvoice(addDays(today, 14));
    await withWorker(fake.activities, async (taskQueue) => {
      const handle = await env.client.workflow.start<typeof invoiceWorkflow>('invoiceWorkflow', {
        taskQueue,
        workflowId: workflowIds.invoice(invoiceId),
        args: [{ invoiceId }],
      });
      await book(taskQueue, invoiceId, { bookingId: 'c1', kind: 'collection', amountCents: 12_100 });
      await eventually(async () => fake.invoices.get(invoiceId)!.status === 'collected');
      await book(taskQueue, invoiceId, { bookingId: 'r1', kind: 'reversal', amountCents: 12_100, reasonCode: 'AC04' });
      await eventually(async () => fake.flags.length === 1);
      const current = env.client.workflow.getHandle(workflowIds.invoice(invoiceId));
      await settle(current);
      expect(fake.recollections).toEqual([]);
      expect((await current.query(invoiceStateQuery)).mandateFlagged).toBe(true);
      void handle;
      await terminateInvoices([invoiceId]);
    });
  });

  it('reminder module: the update runs an action, and refuses once the invoice is paid', async () => {
    const today = await workflowToday();
    const fake = fakeBilling({ startDate: today, period: 'month' }, { reminderMode: 'module', paymentMethod: 'transfer' });
    const invoiceId = fake.addInvoice(addDays(today, 14));
    await withWorker(fake.activities, async (taskQueue) => {
      const handle = await env.client.workflow.start<typeof invoiceWorkflow>('invoiceWorkflow', {
        taskQueue,
        workflowId: workflowIds.invoice(invoiceId),
        args: [{ invoiceId }],
      });
      // In module mode the workflow itself never reminds.
      await env.sleep(60 * DAY);
      expect(fake.reminders).toEqual([]);
      const done = await handle.executeUpdate(runReminderActionUpdate, { args: [{ runId: 'run-1', actionGroupId: 'g1', actionIndex: 0, actor: 'user-1' }] });
      expect(done.statusAfter).toBe('reminded');
      await handle.signal(bookingSignal, { bookingId: 'p', kind: 'payment', amountCents: 12_100 });
      await eventually(async () => fake.invoices.get(invoiceId)!.status === 'paid');
      const refused = await handle
        .executeUpdate(runReminderActionUpdate, { args: [{ runId: 'run-2', actionGroupId: 'g1', actionIndex: 1, actor: 'user-1' }] })
        .catch((err: unknown) => err);
      if (refused instanceof WorkflowUpdateFailedError) expect(String(refused.cause?.message)).toMatch(/paid/);
      else expect(String(refused)).toMatch(/not found|completed|paid/i); // the workflow may already have ended (settled)
      expect(fake.reminders).toHaveLength(1);
    });
  });
});
