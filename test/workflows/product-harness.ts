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
  /** Make every call of `name` take `ms` of real time. */
  delay(name: ActivityName, ms: number): void;
  /** Calls except recordTransition, markHdnMessage and recordLenderMessages, as "name:key" strings. */
  effects(): string[];
  /** The application number/version sendHdnApplication answers with. */
  setApplication(number: string, version: number): void;
}

export function mockActivities(): MockControl {
  const calls: RecordedCall[] = [];
  const failures = new Set<ActivityName>();
  const delays = new Map<ActivityName, number>();
  let counter = 0;
  const hdnApplication = { number: '100001', version: 1 };

  async function run<N extends ActivityName, R>(name: N, input: Parameters<ProductActivities[N]>[0], result: () => R): Promise<R> {
    const startedAt = Date.now();
    const ms = delays.get(name);
    if (ms) await new Promise((r) => setTimeout(r, ms));
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
    delay: (name, ms) => {
      delays.set(name, ms);
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

/** Poll `fn` until it returns a truthy value (real time), for state reached after timers fire. */
export async function eventually<T>(fn: () => Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
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

