/**
 * Shared harness for product-workflow tests and history recording: typed activity mocks that
 * record every call, the time-skipping test environment, and the workflow bundle.
 */
import { fileURLToPath } from 'node:url';
import { WorkflowNotFoundError } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { HdnActivities } from '../../activities/hdn.contract.js';
import type { ProductActivities as ProductOnlyActivities } from '../../activities/products.contract.js';
import type { ProcessDefinition } from '../../domain/process/definition.js';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { historySettled, nextTimerDueMs } from '../helpers/history.js';
export { acceptedUpdates, handledSignals, historySettled, signalsSeen } from '../helpers/history.js';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const workflowsPath = fileURLToPath(new URL('../../workflows/index.ts', import.meta.url));

export function testServerPath(): string {
  return process.env.TEMPORAL_TEST_SERVER ?? `${repoRoot}.tools/bin/temporal-test-server`;
}

let runtimeInstalled = false;
/** Worker logs at WARN and above only (set TEMPORAL_TEST_LOG=INFO to see everything). */
function quietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({ logger: new DefaultLogger(process.env.TEMPORAL_TEST_LOG === 'INFO' ? 'INFO' : 'WARN') });
  } catch {
    // Already installed by someone else: keep theirs.
  }
}

export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  quietRuntime();
  return TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: testServerPath() } },
  });
}

/**
 * The time-skipping environment of a test file, set up by the file's hooks: `'each'` starts a
 * fresh test server for every test (workflows one test leaves behind, such as abandoned children,
 * must not hold back time skipping in the next), `'file'` one server for the whole file. The
 * workflow bundle is built before the first test. The returned object always stands for the
 * environment of the test now running (it forwards to it), so a file keeps one `env` constant.
 */
export function timeSkippingEnv(scope: 'each' | 'file'): TestWorkflowEnvironment {
  let current: TestWorkflowEnvironment | undefined;
  const start = async (): Promise<void> => {
    current = await createTimeSkippingEnv();
  };
  const stop = async (): Promise<void> => {
    await current?.teardown();
    current = undefined;
  };
  beforeAll(async () => {
    await workflowBundle();
    if (scope === 'file') await start();
  }, 120_000);
  if (scope === 'each') {
    beforeEach(start, 60_000);
    afterEach(stop);
  } else {
    afterAll(stop);
  }
  return new Proxy({} as TestWorkflowEnvironment, {
    get(_target, property) {
      if (!current) throw new Error('the time-skipping environment is used outside a test (before its hook started it)');
      const value: unknown = Reflect.get(current, property, current);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(current) : value;
    },
  });
}

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/** The workflow bundle, built once per process (bundling takes a few seconds). */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  quietRuntime();
  bundle ??= bundleWorkflowCode({ workflowsPath, logger: quietLogger });
  return bundle;
}

/** Everything the product workflow may call. */
type ProductActivities = ProductOnlyActivities & HdnActivities;

const noop = (): void => {};
const quietLogger = { trace: noop, debug: noop, info: noop, warn: noop, error: noop, log: noop };

export type ActivityName = keyof ProductActivities;
export interface RecordedCall<N extends ActivityName = ActivityName> {
  name: N;
  input: Parameters<ProductActivities[N]>[0];
  /** Real time the call started and ended (ms), to check serialisation. */
  startedAt: number;
  endedAt: number;
}

export interface MockControl {
  activities: ProductActivities;
  calls: RecordedCall[];
  /** Calls of one activity, typed. */
  callsOf<N extends ActivityName>(name: N): Parameters<ProductActivities[N]>[0][];
  /** Make the next call of `name` throw a retryable error once. */
  failOnce(name: ActivityName): void;
  /**
   * Hold every call of `name` at its start until the gate is released: the test waits for the
   * call to be entered (an event, not a delay), arranges what must happen while the activity is
   * busy, then releases it. Calls after the release pass straight through.
   */
  hold(name: ActivityName): Gate;
  /** Releases every gate `hold` made: after a failed test, so held activities can complete. */
  releaseHeld(): void;
  /** Calls except recordTransition, markHdnMessage and recordLenderMessages, as "name:key" strings. */
  effects(): string[];
  /** The application number/version sendHdnApplication answers with. */
  setApplication(number: string, version: number): void;
}

export function mockActivities(): MockControl {
  const calls: RecordedCall[] = [];
  const failures = new Set<ActivityName>();
  const gates = new Map<ActivityName, Gate>();
  let counter = 0;
  const hdnApplication = { number: '100001', version: 1 };

  async function run<N extends ActivityName, R>(name: N, input: Parameters<ProductActivities[N]>[0], result: () => R): Promise<R> {
    const gate = gates.get(name);
    if (gate) await gate.pass();
    const startedAt = Date.now();
    const call = { name, input, startedAt, endedAt: Date.now() } as RecordedCall;
    calls.push(call);
    if (failures.delete(name)) throw new Error(`mock ${name}: transient failure`);
    return result();
  }

  const activities: ProductActivities = {
    recordTransition: (input) => run('recordTransition', input, () => undefined),
    sendTemplatedMail: (input) => run('sendTemplatedMail', input, () => ({ mailIds: [`mail-${++counter}`] })),
    sendPortalActivation: (input) => run('sendPortalActivation', input, () => ({ mailIds: [`mail-${++counter}`] })),
    createTask: (input) => run('createTask', input, () => ({ taskId: `task-${++counter}` })),
    generateDocument: (input) => run('generateDocument', input, () => ({ documentId: `doc-${++counter}` })),
    setDossierStatus: (input) => run('setDossierStatus', input, () => undefined),
    createChecklist: (input) => run('createChecklist', input, () => ({ checklistId: `cl-${++counter}`, items: 8 })),
    registerContactMoment: (input) => run('registerContactMoment', input, () => ({ contactMomentId: `cm-${++counter}` })),
    sendHdnApplication: (input) =>
      run('sendHdnApplication', input, () => ({
        messageId: `ax-${++counter}`,
        applicationNumber: hdnApplication.number,
        applicationVersion: hdnApplication.version,
        lenderCode: 'VBH',
        sentNow: true,
      })),
    sendHdnDocument: (input) =>
      run('sendHdnDocument', input, () => ({ messageId: `dx-${++counter}`, documentKind: 'salarisstrook', sentNow: true })),
    markHdnMessage: (input) => run('markHdnMessage', input, () => undefined),
    // A batch has, per message, the effects of recordTransition + markHdnMessage; they are
    // listed as those calls too (after the batch call), so tests read outcomes one way.
    recordLenderMessages: (input) =>
      run('recordLenderMessages', input, () => {
        const at = Date.now();
        for (const r of input.records) {
          calls.push({ name: 'recordTransition', input: r.transition, startedAt: at, endedAt: at });
          calls.push({ name: 'markHdnMessage', input: { messageId: r.messageId, productId: input.productId, outcome: r.outcome, reason: r.reason }, startedAt: at, endedAt: at });
        }
        return undefined;
      }),
    applyDocumentRequest: (input) => run('applyDocumentRequest', input, () => ({ lines: 4 })),
  };

  return {
    activities,
    calls,
    callsOf: <N extends ActivityName>(name: N) =>
      calls.filter((c) => c.name === name).map((c) => c.input as Parameters<ProductActivities[N]>[0]),
    failOnce: (name) => {
      failures.add(name);
    },
    hold: (name) => {
      const gate = new Gate();
      gates.set(name, gate);
      return gate;
    },
    releaseHeld: () => {
      for (const gate of gates.values()) gate.release();
    },
    effects: () =>
      calls
        .filter((c) => c.name !== 'recordTransition' && c.name !== 'markHdnMessage' && c.name !== 'recordLenderMessages')
        .map((c) => `${c.name}:${'key' in c.input ? c.input.key : 'messageId' in c.input ? c.input.messageId : 'documentId' in c.input ? c.input.documentId : ''}`),
    setApplication: (number, version) => {
      hdnApplication.number = number;
      hdnApplication.version = version;
    },
  };
}

/**
 * A gate for activity mocks: callers of `pass()` wait until `release()`; `entered(n)` resolves
 * once n callers arrived. Explicit synchronisation instead of "this activity takes 300 ms".
 */
export class Gate {
  private arrived = 0;
  private readonly waiters: { n: number; resolve: () => void }[] = [];
  private open = false;
  private readonly opened: Promise<void>;
  private openIt!: () => void;

  constructor() {
    this.opened = new Promise<void>((resolve) => {
      this.openIt = resolve;
    });
  }

  /** Called by the mock: counts the arrival, then waits for the release. */
  async pass(): Promise<void> {
    this.arrived += 1;
    for (const w of this.waiters.filter((x) => x.n <= this.arrived)) {
      this.waiters.splice(this.waiters.indexOf(w), 1);
      w.resolve();
    }
    if (!this.open) await this.opened;
  }

  /** Resolves once at least `n` calls reached the gate. */
  entered(n = 1): Promise<void> {
    if (this.arrived >= n) return Promise.resolve();
    return new Promise<void>((resolve) => this.waiters.push({ n, resolve }));
  }

  release(): void {
    this.open = true;
    this.openIt();
  }
}

/**
 * Waits until the workflow has no workflow task and no activity open: what an activity did is
 * then also in the workflow's state. Checking a mock's side effect and querying straight away
 * races the workflow task that records the activity's result (seen: "expected false to be true"
 * on `mandateFlagged` right after the flagMandate call was seen).
 */
export async function settle(handle: { fetchHistory(): Promise<Parameters<typeof historySettled>[0]> }): Promise<void> {
  await eventually(async () => historySettled(await handle.fetchHistory()));
}

/** What terminateWhenSettled and endWhenSettled need of a workflow handle. */
export interface EndableHandle {
  fetchHistory(): Promise<Parameters<typeof historySettled>[0] & Parameters<typeof nextTimerDueMs>[0]>;
  describe(): Promise<{ status: { name: string } }>;
  terminate(reason?: string): Promise<unknown>;
}

/** The test server's clock (a TestWorkflowEnvironment). */
export type ServerClock = Pick<TestWorkflowEnvironment, 'currentTimeMs'>;

/**
 * A timer due within this much server time counts as about to fire. Outside `env.sleep` and
 * `result()` the test server's clock runs at the wall clock's pace, so such a timer can fire in
 * the moment between "settled" and the termination. Seen with the RISK poller: its next round
 * was due 20-50 ms after its test's last check, and in one run under load the termination cut
 * off a workflow task of that run ("Task not found when completing: Completed workflow"); the
 * next test's activity retry and env.sleep then ran on the wall clock and timed out.
 */
const TIMER_MARGIN_MS = 3_000;

/** Nothing open in the run's history, and no timer of it about to fire. */
async function quiet(clock: ServerClock, handle: EndableHandle): Promise<boolean> {
  const history = await handle.fetchHistory();
  if (!historySettled(history)) return false;
  const due = nextTimerDueMs(history);
  return due === undefined || due - (await clock.currentTimeMs()) > TIMER_MARGIN_MS;
}

/**
 * Ends a workflow the test is done with: waits until nothing is open in its history (settle)
 * and none of its timers is about to fire, then terminates it if it still runs. On the
 * time-skipping test server every scheduled workflow task and activity holds a time-skipping
 * lock until it completes; one cut off by the termination never completes (its late completion
 * is refused: the workflow has ended), so its lock is never released and every later
 * `env.sleep` in the same environment runs on the wall clock. A mock having recorded an
 * activity's call does not mean the activity has completed on the server (the call is recorded
 * when the activity starts). A timer due in the next moments would schedule a workflow task
 * right before the termination (TIMER_MARGIN_MS): it is let fire and its work settle first.
 * `handle` without a run id ends the latest run.
 */
export async function terminateWhenSettled(clock: ServerClock, handle: EndableHandle): Promise<void> {
  await eventually(() => quiet(clock, handle));
  await terminateIfRunning(handle, 'test done');
}

async function terminateIfRunning(handle: EndableHandle, reason: string): Promise<void> {
  if ((await handle.describe()).status.name !== 'RUNNING') return;
  await handle.terminate(reason).catch((err: unknown) => {
    // It may have ended on its own between the two calls (a settled run can complete): fine.
    if (!(err instanceof WorkflowNotFoundError)) throw err;
  });
}

/** How long a failed test's workflow may take to become quiet before it is terminated regardless. */
const QUIET_AFTER_FAILURE_MS = 10_000;

/**
 * Runs `body` (the test's part with a started workflow), then ends the workflow: with
 * terminateWhenSettled when `body` succeeded, and also when it threw, so a failing test does not
 * leave its workflow running (timers firing later with no worker, or an activity cut off) in an
 * environment the later tests of the file share. After a failure, `releaseHeld` runs first (the
 * test may have failed while an activity waited at a gate), then the workflow gets a bounded
 * time to become quiet and is terminated whether or not it did; nothing in that cleanup throws,
 * so the test reports the body's own error.
 */
export async function endWhenSettled<T>(clock: ServerClock, handle: EndableHandle, body: () => Promise<T>, releaseHeld?: () => void): Promise<T> {
  let succeeded = false;
  try {
    const result = await body();
    succeeded = true;
    return result;
  } finally {
    if (succeeded) {
      await terminateWhenSettled(clock, handle).catch(async (err: unknown) => {
        // It did not become quiet (or could not be ended): the test fails on that, and the
        // workflow is still terminated so it does not outlive the test.
        await terminateIfRunning(handle, 'test failed').catch(() => undefined);
        throw err;
      });
    } else {
      await endAfterFailure(clock, handle, releaseHeld);
    }
  }
}

async function endAfterFailure(clock: ServerClock, handle: EndableHandle, releaseHeld?: () => void): Promise<void> {
  try {
    releaseHeld?.();
    await eventually(() => quiet(clock, handle), QUIET_AFTER_FAILURE_MS);
  } catch {
    // Still not quiet after the bound: terminate it anyway; the test has failed already.
  }
  await terminateIfRunning(handle, 'test failed').catch(() => undefined);
}

/** Poll `fn` until it returns a truthy value (real time), for state reached after timers fire. */
export async function eventually<T>(fn: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error('eventually: condition not reached in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A small definition with a guarded date, like the financing condition of a mortgage. */
export const deadlineProcess: ProcessDefinition = {
  key: 'deadline-test',
  version: 1,
  name: 'Termijntest',
  productType: 'mortgage',
  initialStatus: 'open',
  statuses: [
    { code: 'open', label: 'Open', category: 'new' },
    { code: 'final', label: 'Definitief', category: 'running' },
    { code: 'escalated', label: 'Verlopen', category: 'running' },
    { code: 'closed', label: 'Gesloten', category: 'ended' },
  ],
  steps: [
    {
      id: 'set-date',
      label: 'Datum ontbindende voorwaarde invoeren',
      from: ['open'],
      input: [{ name: 'conditionDate', label: 'Datum', type: 'date', required: true }],
      actions: [
        {
          kind: 'waitForDate',
          deadline: 'financing-condition',
          dateFromInput: 'conditionDate',
          remindDaysBefore: [2, 7],
          reminder: { task: 'Ontbindende voorwaarde nadert', mailTemplate: 'financing-reminder' },
          onDate: { task: 'Ontbindende voorwaarde verlopen', toStatus: 'escalated' },
          satisfiedBy: ['final'],
        },
      ],
    },
    { id: 'finalise', label: 'Offerte definitief', from: ['open'], to: 'final', actions: [] },
    { id: 'close', label: 'Sluiten', from: ['open', 'final', 'escalated'], to: 'closed', actions: [] },
  ],
};

