/**
 * The invoice run (`invoice-run:<officeId>:<date>`) against the time-skipping test server with
 * typed activity fakes that keep the run's invoice numbers in memory: it waits for its date
 * before numbering; it numbers in chunks until a chunk is not full; it issues each range in parts,
 * and the sweep picks up a part that failed for good once; it makes sure the runs of the next
 * dates exist; a `contractsDue` signal makes another pass; on each due date it starts the
 * followers of what is still unpaid, and ends; whatever the order of the issue answers, nothing
 * that went out is issued again.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Context } from '@temporalio/activity';
import type { WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { Worker } from '@temporalio/worker';
import { BillingActivityFailure, type InvoiceNumberRange, type InvoiceRunActivities, type RunChunkResult } from '../../activities/billing.contract.js';
import { addDays, instantAt, todayInAmsterdam } from '../../domain/dates.js';
import { rangesOf, splitRange } from '../../domain/billing/number-ranges.js';
import { workflowIds } from '../../domain/workflow-ids.js';
import type { invoiceRunWorkflow } from '../../workflows/index.js';
import { INVOICE_HOUR } from '../../workflows/billing/contract.workflow.js';
import { ISSUE_PARALLEL, RUN_CHUNK } from '../../workflows/billing/invoice-run.workflow.js';
import { invoiceRunDueSignal, invoiceRunStateQuery } from '../../workflows/billing/billing.messages.js';
import { eventually, timeSkippingEnv, workflowBundle } from './product-harness.js';

const HOUR = 3_600_000;
const OFFICE = 'office-1';
const env = timeSkippingEnv('each');

/** The run's state as its query answers it at run time (the workflow's state has these two counts too). */
type RunState = Awaited<ReturnType<typeof invoiceRunWorkflow>>;
type RunHandle = WorkflowHandle<typeof invoiceRunWorkflow>;

const workflowToday = async (): Promise<string> => todayInAmsterdam(new Date(await env.currentTimeMs()));
const key = (r: InvoiceNumberRange): string => `${r.year}:${r.from}-${r.to}`;
const numbersOf = (r: InvoiceNumberRange): number[] => Array.from({ length: r.to - r.from + 1 }, (_, i) => r.from + i);

/**
 * What an issue call does: `ok` issues the range; `fail` fails for good (non-retryable, nothing
 * issued: a dossier that is gone); `lost` issues the range and then fails for good (the answer
 * is lost: the workflow counts a failed part, PostgreSQL knows the invoices went out).
 */
type IssueOutcome = 'ok' | 'fail' | 'lost';

interface RunFakeOptions {
  /** Answers of createRunInvoices, in order; after them nothing is due (an empty chunk). */
  chunks?: Omit<RunChunkResult, 'claimed'>[];
  /** The outcome of the `call`-th call (1, 2, ...) for this range; `ok` when absent. */
  issue?: (range: InvoiceNumberRange, call: number) => IssueOutcome;
  /** The first `hold` issue calls wait until the test releases them. */
  hold?: number;
  /** The run's invoices and their due dates (for runDueDates/startRunFollowers). */
  invoices?: { id: string; dueDate: string }[];
}

interface LoggedCall {
  name: keyof InvoiceRunActivities;
  input: unknown;
  /** The test server's clock when the activity was scheduled. */
  scheduledAt: number;
}

/** In-memory invoice run facts with the idempotency rules of services/billing/invoice-run.ts. */
function fakeRun(opts: RunFakeOptions = {}) {
  const log: LoggedCall[] = [];
  const chunks = [...(opts.chunks ?? [])];
  /** Numbers the run made, and the ones issued (PDF stored, mailed or posted). */
  const made = new Set<number>();
  const issued = new Set<number>();
  /** Issue calls, in the order they started, with their outcome. */
  const issueCalls: { range: InvoiceNumberRange; outcome: IssueOutcome }[] = [];
  /** Issue calls that touched numbers already issued (the thing that must never happen). */
  const reissued: InvoiceNumberRange[] = [];
  const held: { range: InvoiceNumberRange; release: () => void }[] = [];
  let year = 0;
  let running = 0;
  let maxRunning = 0;
  const invoices = new Map((opts.invoices ?? []).map((i) => [i.id, { ...i, paid: false, followed: false }]));

  const record = (name: keyof InvoiceRunActivities, input: unknown): void => {
    log.push({ name, input, scheduledAt: Context.current().info.currentAttemptScheduledTimestampMs });
  };

  const activities: InvoiceRunActivities = {
    async handContractToRun() {
      throw new Error('not an activity of the invoice run');
    },
    async createRunInvoices(input) {
      record('createRunInvoices', input);
      year = Number(input.date.slice(0, 4));
      const next = chunks.shift() ?? { created: 0, ranges: [], nextDates: [], more: false };
      for (const r of next.ranges) for (const n of numbersOf(r)) made.add(n);
      return { claimed: next.created, ...next };
    },
    async issueRunInvoices(input) {
      record('issueRunInvoices', input);
      const { range } = input;
      const call = issueCalls.filter((c) => key(c.range) === key(range)).length + 1;
      const outcome = opts.issue?.(range, call) ?? 'ok';
      issueCalls.push({ range, outcome });
      running += 1;
      maxRunning = Math.max(maxRunning, running);
      try {
        if (issueCalls.length <= (opts.hold ?? 0)) {
          await new Promise<void>((release) => held.push({ range, release }));
        }
        if (outcome === 'fail') throw ApplicationFailure.create({ type: BillingActivityFailure.NotFound, message: `dossier gone in ${key(range)}`, nonRetryable: true });
        const numbers = numbersOf(range);
        if (numbers.some((n) => issued.has(n))) reissued.push(range);
        const fresh = numbers.filter((n) => !issued.has(n));
        for (const n of fresh) issued.add(n);
        if (outcome === 'lost') throw ApplicationFailure.create({ type: 'AnswerLost', message: `answer of ${key(range)} lost`, nonRetryable: true });
        return { issued: numbers.length, pdfs: fresh.length, mailed: Math.max(0, fresh.length - 1), posted: fresh.length > 0 ? 1 : 0 };
      } finally {
        running -= 1;
      }
    },
    async unissuedRunRanges(input) {
      record('unissuedRunRanges', input);
      return rangesOf([...made].filter((n) => !issued.has(n)).map((seq) => ({ year, seq })));
    },
    async ensureInvoiceRuns(input) {
      record('ensureInvoiceRuns', input);
    },
    async runDueDates(input) {
      record('runDueDates', input);
      return [...new Set([...invoices.values()].filter((i) => !i.paid && !i.followed).map((i) => i.dueDate))].sort();
    },
    async startRunFollowers(input) {
      record('startRunFollowers', input);
      let started = 0;
      for (const i of invoices.values()) {
        if (i.dueDate === input.dueDate && !i.paid && !i.followed) {
          i.followed = true;
          started += 1;
        }
      }
      return { started };
    },
  };

  return {
    activities,
    log,
    issueCalls,
    reissued,
    held,
    made,
    issued,
    maxRunning: () => maxRunning,
    pay: (id: string) => {
      invoices.get(id)!.paid = true;
    },
    inputsOf<N extends keyof InvoiceRunActivities>(name: N): Parameters<InvoiceRunActivities[N]>[0][] {
      return log.filter((c) => c.name === name).map((c) => c.input as Parameters<InvoiceRunActivities[N]>[0]);
    },
    callsOf: (name: keyof InvoiceRunActivities): LoggedCall[] => log.filter((c) => c.name === name),
  };
}

async function withWorker<T>(activities: InvoiceRunActivities, fn: (taskQueue: string) => Promise<T>): Promise<T> {
  const taskQueue = `invoice-run-${randomUUID()}`;
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: await workflowBundle(), activities });
  return worker.runUntil(() => fn(taskQueue));
}

async function startRun(taskQueue: string, date: string, runHour?: number): Promise<RunHandle> {
  return env.client.workflow.start<typeof invoiceRunWorkflow>('invoiceRunWorkflow', {
    taskQueue,
    workflowId: workflowIds.invoiceRun(OFFICE, date),
    args: [{ officeId: OFFICE, date, ...(runHour !== undefined ? { runHour } : {}) }],
  });
}

const stateOf = async (handle: RunHandle): Promise<RunState> => (await handle.query(invoiceRunStateQuery)) as RunState;

/** Every number made went out exactly once (none issued again), except the ones in `except`. */
function expectIssuedOnce(fake: ReturnType<typeof fakeRun>, except: number[] = []): void {
  expect(fake.reissued).toEqual([]);
  const expected = [...fake.made].filter((n) => !except.includes(n)).sort((a, b) => a - b);
  expect([...fake.issued].sort((a, b) => a - b)).toEqual(expected);
}

describe('invoice run workflow', () => {
  it('waits until 06:00 of its date before numbering: nothing numbered before, numbered once the skipping clock reaches it', async () => {
    const date = addDays(await workflowToday(), 2);
    const at = instantAt(date, INVOICE_HOUR).getTime();
    const fake = fakeRun({ chunks: [{ created: 10, ranges: [{ year: Number(date.slice(0, 4)), from: 1, to: 10 }], nextDates: [], more: false }] });
    await withWorker(fake.activities, async (taskQueue) => {
      const handle = await startRun(taskQueue, date);
      expect((await stateOf(handle)).phase).toBe('waiting');
      // To a minute before its date's 06:00 on the skipping clock: still waiting, nothing asked.
      await env.sleep(at - (await env.currentTimeMs()) - 60_000);
      expect((await stateOf(handle)).phase).toBe('waiting');
      expect(fake.log).toEqual([]);
      // Past it: the first chunk is claimed, scheduled no earlier than 06:00.
      await env.sleep(2 * 60_000);
      await eventually(async () => fake.callsOf('createRunInvoices').length === 1);
      expect(fake.callsOf('createRunInvoices')[0]!.scheduledAt).toBeGreaterThanOrEqual(at);
      const result = await handle.result();
      expect(result).toMatchObject({ phase: 'done', created: 10, issued: 10, unissued: 0, failedParts: 0 });
      expect(fake.callsOf('createRunInvoices')).toHaveLength(1);
    });
  });

  it.each([
    [0, 'at midnight'],
    [22, 'at 22:00'],
  ])('with run hour %i starts %s of its date instead of 06:00 (setting INVOICE_RUN_HOUR)', async (runHour) => {
    const date = addDays(await workflowToday(), 2);
    const at = instantAt(date, runHour).getTime();
    const fake = fakeRun({ chunks: [{ created: 3, ranges: [{ year: Number(date.slice(0, 4)), from: 1, to: 3 }], nextDates: [], more: false }] });
    await withWorker(fake.activities, async (taskQueue) => {
      const handle = await startRun(taskQueue, date, runHour);
      await env.sleep(at - (await env.currentTimeMs()) - 60_000);
      expect((await stateOf(handle)).phase).toBe('waiting');
      expect(fake.log).toEqual([]);
      await env.sleep(2 * 60_000);
      await eventually(async () => fake.callsOf('createRunInvoices').length === 1);
      const scheduledAt = fake.callsOf('createRunInvoices')[0]!.scheduledAt;
      expect(scheduledAt).toBeGreaterThanOrEqual(at);
      expect(scheduledAt).toBeLessThan(at + 5 * 60_000);
      expect(await handle.result()).toMatchObject({ phase: 'done', created: 3, issued: 3 });
    });
  });

  it('claims chunks of RUN_CHUNK until a chunk answers more: false', async () => {
    const date = addDays(await workflowToday(), -1);
    const year = Number(date.slice(0, 4));
    const fake = fakeRun({
      chunks: [
        { created: 1000, ranges: [{ year, from: 1, to: 1000 }], nextDates: [], more: true },
        { created: 1000, ranges: [{ year, from: 1001, to: 2000 }], nextDates: [], more: true },
        { created: 100, ranges: [{ year, from: 2001, to: 2100 }], nextDates: [], more: false },
        // Would be claimed if the run asked once more.
        { created: 5, ranges: [{ year, from: 2101, to: 2105 }], nextDates: [], more: false },
      ],
    });
    await withWorker(fake.activities, async (taskQueue) => {
      const handle = await startRun(taskQueue, date);
      const result = await handle.result();
      const runKey = workflowIds.invoiceRun(OFFICE, date);
      expect(fake.inputsOf('createRunInvoices')).toEqual([1, 2, 3].map(() => ({ officeId: OFFICE, date, runKey, limit: RUN_CHUNK })));
      expect(result).toMatchObject({ phase: 'done', created: 2100, issued: 2100, unissued: 0 });
      expectIssuedOnce(fake);
      expect(fake.made.has(2101)).toBe(false);
    });
  });

  it.each([
    ['fails for good every time (its dossier is gone): swept once, then left unissued', (): IssueOutcome => 'fail', 2, 250],
    ['fails for good once (non-retryable), then goes out in the sweep', (call: number): IssueOutcome => (call === 1 ? 'fail' : 'ok'), 1, 0],
  ] as const)('issues each range in parts; a part that %s', async (_label, failing, failedParts, unissued) => {
    const date = addDays(await workflowToday(), -1);
    const year = Number(date.slice(0, 4));
    const bad = { year, from: 251, to: 500 };
    const fake = fakeRun({
      chunks: [
        { created: 1000, ranges: [{ year, from: 1, to: 1000 }], nextDates: [], more: true },
        { created: 300, ranges: [{ year, from: 1001, to: 1300 }], nextDates: [], more: false },
      ],
      issue: (range, call) => (key(range) === key(bad) ? failing(call) : 'ok'),
    });
    await withWorker(fake.activities, async (taskQueue) => {
      const handle = await startRun(taskQueue, date);
      const result = await handle.result();
      // The parts of each range (splitRange), each asked once in the pass ...
      const parts = [...splitRange({ year, from: 1, to: 1000 }), ...splitRange({ year, from: 1001, to: 1300 })];
      expect(parts.map(key)).toEqual([`${year}:1-250`, `${year}:251-500`, `${year}:501-750`, `${year}:751-1000`, `${year}:1001-1250`, `${year}:1251-1300`]);
      const calls = fake.issueCalls.map((c) => key(c.range));
      expect(calls.slice(0, parts.length).sort()).toEqual(parts.map(key).sort());
      expect(fake.issueCalls.every((c) => c.range.to - c.range.from + 1 <= 250)).toBe(true);
      // ... and the failed part once more, from the sweep: exactly once.
      expect(calls.slice(parts.length)).toEqual([key(bad)]);
      expect(calls.filter((k) => k === key(bad))).toHaveLength(2);
      // The first sweep finds the failed part, the second finds no progress (or nothing): the pass ends.
      expect(fake.callsOf('unissuedRunRanges')).toHaveLength(2);
      expect(result).toMatchObject({ phase: 'done', created: 1300, issued: 1300 - unissued, unissued, failedParts });
      expectIssuedOnce(fake, unissued ? numbersOf(bad) : []);
    });
  });

  it('makes sure the runs of the chunks\' next dates exist: once per pass, distinct and sorted, after the sweep', async () => {
    const date = addDays(await workflowToday(), -1);
    const year = Number(date.slice(0, 4));
    const [d31, d62, d92] = [addDays(date, 31), addDays(date, 62), addDays(date, 92)];
    const fake = fakeRun({
      chunks: [
        { created: 1000, ranges: [{ year, from: 1, to: 1000 }], nextDates: [d62, d31], more: true },
        { created: 10, ranges: [{ year, from: 1001, to: 1010 }], nextDates: [d92, d31], more: false },
      ],
    });
    await withWorker(fake.activities, async (taskQueue) => {
      const handle = await startRun(taskQueue, date);
      await handle.result();
      expect(fake.inputsOf('ensureInvoiceRuns')).toEqual([{ officeId: OFFICE, dates: [d31, d62, d92] }]);
      const names = fake.log.map((c) => c.name);
      expect(names.indexOf('ensureInvoiceRuns')).toBeGreaterThan(names.lastIndexOf('unissuedRunRanges'));
      expect(names.indexOf('ensureInvoiceRuns')).toBeGreaterThan(names.lastIndexOf('issueRunInvoices'));
    });
  });

  it('makes no run of a next date when the chunks give none', async () => {
    const date = addDays(await workflowToday(), -1);
    const fake = fakeRun({ chunks: [{ created: 0, ranges: [], nextDates: [], more: false }] });
    await withWorker(fake.activities, async (taskQueue) => {
      const result = await (await startRun(taskQueue, date)).result();
      expect(result.phase).toBe('done');
      expect(fake.callsOf('ensureInvoiceRuns')).toEqual([]);
      expect(fake.callsOf('issueRunInvoices')).toEqual([]);
    });
  });

  it('a contractsDue signal while following makes a second pass; one while waiting changes nothing', async () => {
    const date = addDays(await workflowToday(), 2);
    const year = Number(date.slice(0, 4));
    const fake = fakeRun({
      chunks: [
        { created: 10, ranges: [{ year, from: 1, to: 10 }], nextDates: [addDays(date, 31)], more: false },
        { created: 5, ranges: [{ year, from: 11, to: 15 }], nextDates: [addDays(date, 40)], more: false },
      ],
      invoices: [{ id: 'i1', dueDate: addDays(date, 14) }],
    });
    await withWorker(fake.activities, async (taskQueue) => {
      const handle = await startRun(taskQueue, date);
      expect((await stateOf(handle)).phase).toBe('waiting');
      await handle.signal(invoiceRunDueSignal);
      await env.sleep(instantAt(date, INVOICE_HOUR).getTime() - (await env.currentTimeMs()) + HOUR);
      // Following (runDueDates asked) after exactly one pass: a second one would have come first.
      await eventually(async () => fake.callsOf('runDueDates').length === 1);
      expect(fake.callsOf('createRunInvoices')).toHaveLength(1);
      expect(fake.callsOf('startRunFollowers')).toEqual([]);

      await handle.signal(invoiceRunDueSignal);
      await eventually(async () => fake.callsOf('runDueDates').length === 2);
      expect(fake.callsOf('createRunInvoices')).toHaveLength(2);
      expect(fake.inputsOf('issueRunInvoices').map((c) => key(c.range))).toEqual([`${year}:1-10`, `${year}:11-15`]);
      expect(fake.callsOf('unissuedRunRanges')).toHaveLength(2);
      expect(fake.inputsOf('ensureInvoiceRuns').map((c) => c.dates)).toEqual([[addDays(date, 31)], [addDays(date, 40)]]);
      // The signal ended the wait for the due date; no follower was started early.
      expect(fake.callsOf('startRunFollowers')).toEqual([]);
      expect(await stateOf(handle)).toMatchObject({ created: 15, issued: 15 });

      const result = await handle.result();
      expect(result).toMatchObject({ phase: 'done', created: 15, issued: 15, followedUntil: addDays(date, 14) });
      expect(fake.callsOf('createRunInvoices')).toHaveLength(2);
      expectIssuedOnce(fake);
    });
  });

  it('on each due date starts the followers of what is still unpaid, then ends', async () => {
    const date = addDays(await workflowToday(), -1);
    const [d14, d21, d28] = [addDays(date, 14), addDays(date, 21), addDays(date, 28)];
    const fake = fakeRun({
      chunks: [{ created: 3, ranges: [{ year: Number(date.slice(0, 4)), from: 1, to: 3 }], nextDates: [], more: false }],
      invoices: [
        { id: 'a', dueDate: d14 },
        { id: 'b', dueDate: d21 },
        { id: 'c', dueDate: d28 },
      ],
    });
    await withWorker(fake.activities, async (taskQueue) => {
      const handle = await startRun(taskQueue, date);
      await eventually(async () => fake.callsOf('runDueDates').length === 1);
      const at14 = instantAt(d14, INVOICE_HOUR).getTime();
      // An hour before the first due date: nothing started yet.
      await env.sleep(at14 - (await env.currentTimeMs()) - HOUR);
      expect((await stateOf(handle)).phase).toBe('following');
      expect(fake.callsOf('startRunFollowers')).toEqual([]);
      // Invoice b is paid before the run asks again: its due date needs no followers.
      fake.pay('b');
      await env.sleep(2 * HOUR);
      await eventually(async () => fake.callsOf('startRunFollowers').length === 1);
      const first = fake.callsOf('startRunFollowers')[0]!;
      expect(first.input).toEqual({ runKey: workflowIds.invoiceRun(OFFICE, date), dueDate: d14 });
      expect(first.scheduledAt).toBeGreaterThanOrEqual(at14);
      await eventually(async () => (await stateOf(handle)).followedUntil === d14);

      const result = await handle.result();
      expect(result).toMatchObject({ phase: 'done', followedUntil: d28 });
      expect(fake.inputsOf('startRunFollowers').map((c) => c.dueDate)).toEqual([d14, d28]);
      expect(fake.callsOf('startRunFollowers')[1]!.scheduledAt).toBeGreaterThanOrEqual(instantAt(d28, INVOICE_HOUR).getTime());
      // Asked after each due date; the last answer (none left) ends the run.
      expect(fake.callsOf('runDueDates')).toHaveLength(3);
    });
  });

  it.each([
    [[0, 1, 2, 3]],
    [[3, 2, 1, 0]],
    [[2, 0, 3, 1]],
    [[1, 3, 0, 2]],
  ])('whatever the order of the issue answers (%j), nothing that went out is issued again', async (order) => {
    const date = addDays(await workflowToday(), -1);
    const year = Number(date.slice(0, 4));
    const fake = fakeRun({
      chunks: [
        { created: 1000, ranges: [{ year, from: 1, to: 1000 }], nextDates: [], more: true },
        { created: 300, ranges: [{ year, from: 1001, to: 1300 }], nextDates: [], more: false },
      ],
      hold: ISSUE_PARALLEL,
      // 251-500 fails for good once (goes out in the sweep); 501-750 goes out but its answer is lost.
      issue: (range, call) => (range.from === 251 && call === 1 ? 'fail' : range.from === 501 ? 'lost' : 'ok'),
    });
    await withWorker(fake.activities, async (taskQueue) => {
      const handle = await startRun(taskQueue, date);
      // The first chunk's four parts are in flight together; they answer in the given order,
      // each answer taken in by the workflow (its counts change) before the next is given.
      await eventually(async () => fake.held.length === ISSUE_PARALLEL);
      const held = [...fake.held].sort((a, b) => a.range.from - b.range.from);
      for (const i of order) {
        const before = await stateOf(handle);
        held[i]!.release();
        await eventually(async () => {
          const now = await stateOf(handle);
          return now.issued + now.failedParts > before.issued + before.failedParts;
        });
      }
      const result = await handle.result();
      expect(fake.maxRunning()).toBeLessThanOrEqual(ISSUE_PARALLEL);
      // Nothing that went out was asked again: not the lost answer, not a part issued in the pass.
      expectIssuedOnce(fake);
      for (const [i, c] of fake.issueCalls.entries()) {
        if (c.outcome === 'fail') continue;
        expect(fake.issueCalls.slice(i + 1).map((l) => key(l.range))).not.toContain(key(c.range));
      }
      expect(fake.issueCalls.filter((c) => c.range.from === 251).map((c) => c.outcome)).toEqual(['fail', 'ok']);
      expect(fake.issueCalls.filter((c) => c.range.from === 501)).toHaveLength(1);
      expect(fake.issueCalls).toHaveLength(7);
      expect(result).toMatchObject({ phase: 'done', created: 1300, unissued: 0, failedParts: 2 });
      // The lost answer's 250 went out but are not counted by the workflow.
      expect(result.issued).toBe(1300 - 250);
    });
  });
});
