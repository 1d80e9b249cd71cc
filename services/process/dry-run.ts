/**
 * Dry run of a process definition before it is published: the REAL product workflow runs the
 * definition on a Temporal time-skipping test server (the Java test server installed with the
 * tools), with recording activities that touch no data. They collect what the run would do
 * ("would send mail portal-activation to the applicants", "would create task ...") and a
 * scripted sequence of steps, lender messages and elapsed days drives it. This is a
 * simulation, the designer's feature, not a test double standing in for production.
 *
 * One test environment is started lazily and reused (its start costs about a second or two;
 * see README); time skipping is global to that server, so dry runs are serialised. Each run
 * gets its own worker and task queue, and its workflow is terminated at the end.
 */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { HdnActivities } from '../../domain/hdn/side-effects.js';
import type { ProductActivities } from '../../domain/products/side-effects.js';
import type { ProcessDefinition, StepInputValues } from '../../domain/process/definition.js';
import type { EntityManager } from '@mikro-orm/postgresql';
import { statusOf, validateDefinition } from '../../domain/process/rules.js';
import { requireDraft } from './drafts.js';
import { temporalTestServerPath } from '../../config/tools.js';
import { workflowIds } from '../../domain/workflow-ids.js';
import type { productWorkflow } from '../../workflows/index.js';
import {
  lenderMessageSignal,
  productStateQuery,
  takeStepUpdate,
  type LenderMessage,
  type ProductState,
} from '../../workflows/products/product.messages.js';
import type { DryRunResult, DryRunScriptItem } from './schemas.js';
import { DomainError } from '../../domain/errors.js';

const DAY_MS = 86_400_000;
const workflowsPath = fileURLToPath(new URL('../../workflows/index.ts', import.meta.url));
const APPLICATION_NUMBER = 'DRYRUN0001';

export function testServerPath(): string {
  return temporalTestServerPath();
}

let envStart: Promise<TestWorkflowEnvironment> | undefined;
let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
let queue: Promise<unknown> = Promise.resolve();

const noop = (): void => {};
const quietLogger = { trace: noop, debug: noop, info: noop, warn: noop, error: noop, log: noop };

async function environment(): Promise<TestWorkflowEnvironment> {
  envStart ??= (async () => {
    // A dev dependency in development; production images that leave it out answer 503.
    const { TestWorkflowEnvironment } = await import('@temporalio/testing');
    return TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: testServerPath() } } });
  })();
  try {
    return await envStart;
  } catch (err) {
    envStart = undefined;
    const reason = err instanceof Error ? err.message : String(err);
    throw new DomainError('unavailable', 'dry-run-unavailable', `The dry-run engine (Temporal time-skipping test server) could not start: ${reason}`);
  }
}

function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath, logger: quietLogger });
  bundle.catch(() => (bundle = undefined));
  return bundle;
}

/** Stops the shared test environment (app close). */
export async function closeDryRunEnvironment(): Promise<void> {
  const started = envStart;
  envStart = undefined;
  if (started) await (await started.catch(() => undefined))?.teardown();
}

type Effects = Pick<DryRunResult, 'mails' | 'tasks' | 'documents' | 'other'> & {
  transitions: DryRunResult['history'];
  marked: Set<string>;
};

/** Activities that record what they would do and touch nothing. */
function recordingActivities(effects: Effects, now: () => string): ProductActivities & HdnActivities {
  let counter = 0;
  const recipients = (to: 'applicants' | 'firstApplicant') => (to === 'firstApplicant' ? 'the first applicant' : 'the applicants');
  return {
    async recordTransition(input) {
      if (effects.transitions.some((t) => t.seq === input.seq)) return;
      effects.transitions.push({ seq: input.seq, at: input.at, kind: input.kind, label: input.label, fromStatus: input.fromStatus, toStatus: input.toStatus });
    },
    async sendTemplatedMail(input) {
      effects.mails.push({ at: now(), template: input.template, to: input.to, description: `would send mail "${input.template}" to ${recipients(input.to)}` });
      return { mailIds: [`dry-run-mail-${++counter}`] };
    },
    async sendPortalActivation(input) {
      effects.mails.push({
        at: now(),
        template: input.template,
        to: 'applicants',
        description: `would send the client-portal activation link with mail "${input.template}" to the applicants`,
      });
      return { mailIds: [`dry-run-mail-${++counter}`] };
    },
    async createTask(input) {
      effects.tasks.push({
        at: now(),
        title: input.title,
        assignee: input.assignee,
        dueDate: input.dueDate ?? null,
        description: `would create task "${input.title}" for the ${input.assignee}${input.dueDate ? `, due ${input.dueDate}` : ''}`,
      });
      return { taskId: `dry-run-task-${++counter}` };
    },
    async generateDocument(input) {
      effects.documents.push({
        at: now(),
        template: input.template,
        documentType: input.documentType,
        description: `would generate document "${input.documentType}" from template "${input.template}"`,
      });
      return { documentId: `dry-run-document-${++counter}` };
    },
    async setDossierStatus(input) {
      effects.other.push({ at: now(), kind: 'setDossierStatus', description: `would set the dossier status to ${input.status}` });
    },
    async createChecklist(input) {
      effects.other.push({ at: now(), kind: 'createChecklist', description: `would create the document checklist for profile "${input.profile}"` });
      return { checklistId: `dry-run-checklist-${++counter}`, items: 0 };
    },
    async registerContactMoment() {
      effects.other.push({ at: now(), kind: 'registerContactMoment', description: 'would register a contact moment' });
      return { contactMomentId: `dry-run-contact-${++counter}` };
    },
    async sendHdnApplication() {
      effects.other.push({ at: now(), kind: 'sendHdnApplication', description: 'would send the HDN application (AX) to the lender' });
      return { messageId: `dry-run-ax-${++counter}`, applicationNumber: APPLICATION_NUMBER, applicationVersion: 1, lenderCode: 'DRYRUN', sentNow: true };
    },
    async sendHdnDocument(input) {
      effects.other.push({ at: now(), kind: 'sendHdnDocument', description: `would send a document (DX) for checklist line ${input.lineId}` });
      return { messageId: `dry-run-dx-${++counter}`, documentKind: 'document', sentNow: true };
    },
    async markHdnMessage(input) {
      effects.marked.add(input.messageId);
    },
    async recordLenderMessages(input) {
      for (const r of input.records) {
        if (!effects.transitions.some((t) => t.seq === r.transition.seq)) {
          const t = r.transition;
          effects.transitions.push({ seq: t.seq, at: t.at, kind: t.kind, label: t.label, fromStatus: t.fromStatus, toStatus: t.toStatus });
        }
        effects.marked.add(r.messageId);
      }
    },
    async applyDocumentRequest() {
      effects.other.push({ at: now(), kind: 'applyDocumentRequest', description: "would store the lender's document checklist (DA)" });
      return { lines: 0 };
    },
  };
}

async function until(what: string, fn: () => Promise<boolean> | boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error(`dry run: ${what} did not happen in time`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function statusTrail(initial: string, history: DryRunResult['history']): string[] {
  const trail = [initial];
  for (const h of [...history].sort((a, b) => a.seq - b.seq)) if (h.toStatus !== trail.at(-1)) trail.push(h.toStatus);
  return trail;
}

/**
 * Runs `definition` (already validated: the workflow refuses an invalid one) through `script`.
 * A refused step or an unknown lender status code does not throw: the answer has ok=false and
 * the index and reason of the item that failed, with everything up to there.
 */
/** Dry run of the stored draft of `key`; refused (`invalid-process-definition`, every problem with its path) when it cannot run. */
export async function dryRunDraft(em: EntityManager, key: string, script: DryRunScriptItem[], actor: string): Promise<DryRunResult> {
  const draft = await requireDraft(em, key);
  const problems = validateDefinition(draft.definition);
  if (problems.length > 0) {
    throw new DomainError('unprocessable', 'invalid-process-definition', `The draft cannot run: ${problems.length} problem(s)`, { errors: problems });
  }
  return dryRun(draft.definition as unknown as ProcessDefinition, script, actor);
}

export async function dryRun(definition: ProcessDefinition, script: DryRunScriptItem[], actor: string): Promise<DryRunResult> {
  const run = queue.then(() => runOnce(definition, script, actor));
  queue = run.catch(() => undefined);
  return run;
}

async function runOnce(definition: ProcessDefinition, script: DryRunScriptItem[], actor: string): Promise<DryRunResult> {
  const started = Date.now();
  const env = await environment();
  const effects: Effects = { mails: [], tasks: [], documents: [], other: [], transitions: [], marked: new Set() };
  let clock = Date.now();
  const now = () => new Date(clock).toISOString();
  const activities = recordingActivities(effects, now);
  const taskQueue = `dry-run-${randomUUID()}`;
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: await workflowBundle(), activities });
  const productId = `dry-run-${randomUUID()}`;
  let failure: DryRunResult['failure'];
  let state: ProductState | undefined;

  await worker.runUntil(async () => {
    const handle = await env.client.workflow.start<typeof productWorkflow>('productWorkflow', {
      taskQueue,
      workflowId: workflowIds.product(productId),
      args: [{ productId, dossierId: 'dry-run', definition, startedBy: actor }],
    });
    const tick = async () => {
      clock = await env.currentTimeMs();
    };
    /** Waits until the workflow has nothing in flight (after timers fired or a signal). */
    const settle = async (): Promise<void> => {
      let calls = -1;
      await until('the process to settle', async () => {
        const desc = await handle.describe();
        const pending = desc.raw.pendingActivities?.length ?? 0;
        const count = effects.transitions.length + effects.mails.length + effects.tasks.length + effects.other.length;
        const stable = pending === 0 && count === calls;
        calls = count;
        if (!stable) await new Promise((r) => setTimeout(r, 50));
        return stable;
      });
    };
    try {
      await tick();
      await until('the start', () => effects.transitions.length >= 1);
      let messages = 0;
      for (const [index, item] of script.entries()) {
        await tick();
        if ('step' in item) {
          const step = definition.steps.find((s) => s.id === item.step);
          const textFields = new Set((step?.input ?? []).filter((f) => f.type === 'text').map((f) => f.name));
          const input: StepInputValues = {};
          let hasText = false;
          for (const [name, value] of Object.entries(item.input ?? {})) {
            if (textFields.has(name)) hasText = true;
            else input[name] = value;
          }
          try {
            await handle.executeUpdate(takeStepUpdate, {
              args: [{ stepId: item.step, actor, ...(Object.keys(input).length ? { input } : {}), ...(hasText ? { payloadId: 'dry-run-payload' } : {}) }],
            });
          } catch (err) {
            const cause = (err as { cause?: unknown }).cause;
            failure = { index, reason: cause instanceof Error ? cause.message : err instanceof Error ? err.message : String(err) };
            break;
          }
        } else if ('lenderMessage' in item) {
          const m = item.lenderMessage;
          const messageId = `dry-run-message-${++messages}`;
          const message: LenderMessage = {
            messageId,
            type: m.type,
            applicationNumber: APPLICATION_NUMBER,
            applicationVersion: m.applicationVersion ?? 1,
            ...(m.statusCode !== undefined ? { statusCode: m.statusCode } : {}),
            ...(m.offerType !== undefined ? { offerType: m.offerType } : {}),
            ...(m.acceptanceDate !== undefined ? { acceptanceDate: m.acceptanceDate } : {}),
            ...(m.validityDate !== undefined ? { validityDate: m.validityDate } : {}),
          };
          await handle.signal(lenderMessageSignal, message);
          await until(`lender message ${index}`, () => effects.marked.has(messageId));
        } else {
          await env.sleep(item.advanceDays * DAY_MS);
          await tick();
          await settle();
        }
      }
      await tick();
      await settle();
      state = await handle.query(productStateQuery);
    } finally {
      const desc = await handle.describe().catch(() => undefined);
      if (desc?.status.name === 'RUNNING') await handle.terminate('dry run finished').catch(() => undefined);
    }
  });

  const history = [...effects.transitions].sort((a, b) => a.seq - b.seq);
  const final = state?.status ?? history.at(-1)?.toStatus ?? definition.initialStatus;
  const status = statusOf(definition, final);
  return {
    ok: failure === undefined,
    ...(failure ? { failure } : {}),
    key: definition.key,
    version: definition.version,
    statusTrail: statusTrail(definition.initialStatus, history),
    finalStatus: final,
    finalStatusLabel: status?.label ?? final,
    finalCategory: status?.category ?? 'new',
    history,
    mails: effects.mails,
    tasks: effects.tasks,
    documents: effects.documents,
    other: effects.other,
    availableSteps: (state?.availableSteps ?? []).map((s) => s.id),
    durationMs: Date.now() - started,
  };
}
