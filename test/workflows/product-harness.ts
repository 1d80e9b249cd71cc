/**
 * Shared harness for product-workflow tests and history recording: typed activity mocks that
 * record every call, the time-skipping test environment, and the workflow bundle.
 */
import { fileURLToPath } from 'node:url';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { HdnActivities } from '../../activities/hdn.contract.js';
import type { ProductActivities as ProductOnlyActivities } from '../../activities/products.contract.js';
import type { ProcessDefinition } from '../../domain/process/definition.js';
import { historySettled } from '../helpers/history.js';
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

/**
 * Ends a workflow the test is done with: waits until nothing is open in its history (settle),
 * then terminates it if it still runs. On the time-skipping test server every scheduled workflow
 * task and activity holds a time-skipping lock until it completes; one cut off by the
 * termination never completes (its late completion is refused: the workflow has ended), so its
 * lock is never released and every later `env.sleep` in the same environment runs on the wall
 * clock. A mock having recorded an activity's call does not mean the activity has completed on
 * the server (the call is recorded when the activity starts).
 */
export async function terminateWhenSettled(handle: {
  fetchHistory(): Promise<Parameters<typeof historySettled>[0]>;
  describe(): Promise<{ status: { name: string } }>;
  terminate(reason?: string): Promise<unknown>;
}): Promise<void> {
  await settle(handle);
  if ((await handle.describe()).status.name === 'RUNNING') await handle.terminate('test done');
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

