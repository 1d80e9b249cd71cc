/**
 * The product workflow against the time-skipping test server, with typed activity mocks.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { addDays, instantAt, todayInAmsterdam } from '../../domain/dates.js';
import type { ProcessDefinition } from '../../domain/process/definition.js';
import { serviceProcessV1 } from '../../domain/processes/index.js';
import { actionKey, transitionKey, workflowIds } from '../../domain/workflow-ids.js';
import type { productWorkflow } from '../../workflows/index.js';
import {
  ProductFailure,
  productStateQuery,
  takeStepUpdate,
  type ProductState,
  type TakeStepRequest,
} from '../../workflows/products/product.messages.js';
import {
  acceptedUpdates,
  createTimeSkippingEnv,
  deadlineProcess,
  endWhenSettled,
  eventually,
  mockActivities,
  workflowBundle,
  type MockControl,
} from './product-harness.js';

const DAY = 86_400_000;
let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  await workflowBundle();
}, 120_000);

afterAll(async () => {
  await env?.teardown();
});

interface Ctx {
  mock: MockControl;
  handle: WorkflowHandle<typeof productWorkflow>;
  workflowId: string;
  step(req: Omit<TakeStepRequest, 'actor'> & { actor?: string }): Promise<ProductState>;
  state(): Promise<ProductState>;
}

/** Runs `fn` with a fresh worker (own task queue) and a started product workflow. */
async function withProduct(definition: ProcessDefinition, fn: (ctx: Ctx) => Promise<void>, mock = mockActivities()): Promise<void> {
  const taskQueue = `test-${randomUUID()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await workflowBundle(),
    activities: mock.activities,
  });
  const productId = randomUUID();
  const workflowId = workflowIds.product(productId);
  await worker.runUntil(async () => {
    const handle = await env.client.workflow.start<typeof productWorkflow>('productWorkflow', {
      taskQueue,
      workflowId,
      args: [{ productId, dossierId: 'dossier-1', definition, startedBy: 'user-1' }],
    });
    const ctx: Ctx = {
      mock,
      handle,
      workflowId,
      step: (req) => handle.executeUpdate(takeStepUpdate, { args: [{ actor: 'user-1', ...req }] }),
      state: () => handle.query(productStateQuery),
    };
    // Ended once settled, also when the test throws: a termination that cuts off an open
    // activity or workflow task leaves the test server's time skipping locked for the rest of
    // this file (terminateWhenSettled), and a failed test's workflow must not outlive it.
    await endWhenSettled(
      env,
      handle,
      async () => {
        await eventually(async () => (await ctx.state()).history.length === 1);
        await fn(ctx);
      },
      () => mock.releaseHeld(),
    );
  });
}

async function rejection(p: Promise<unknown>): Promise<{ message: string; type: string | undefined }> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    const cause = (err as WorkflowUpdateFailedError).cause as { message: string; type?: string } | undefined;
    return { message: cause?.message ?? '', type: cause?.type };
  }
  throw new Error('expected the update to be rejected');
}

describe('product workflow: service process', () => {
  it('walks the whole service process, running actions in order with per-event keys', async () => {
    await withProduct(serviceProcessV1, async ({ mock, step, state, workflowId }) => {
      const start = await state();
      expect(start.status).toBe('new');
      expect(start.availableSteps.map((s) => s.id)).toEqual(['choose-checklist', 'cancel']);
      expect(mock.callsOf('recordTransition')[0]).toMatchObject({ key: transitionKey(workflowId, 1), kind: 'started', toStatus: 'new', seq: 1 });

      let s = await step({ stepId: 'choose-checklist', input: { profile: 'starter' } });
      expect(s.status).toBe('checklist-chosen');
      expect(mock.callsOf('createChecklist')).toEqual([
        { key: actionKey(workflowId, 2, 0), productId: expect.any(String), dossierId: 'dossier-1', profile: 'starter' },
      ]);

      s = await step({ stepId: 'send-portal-activation' });
      expect(s.status).toBe('portal-invited');
      expect(mock.callsOf('sendPortalActivation')[0]).toMatchObject({ key: actionKey(workflowId, 3, 0), template: 'portal-activation' });

      s = await step({
        stepId: 'register-contact',
        input: { channel: 'telefoon', sendReport: true, followUpTask: true, followUpDate: '2030-01-15' },
        payloadId: 'payload-1',
      });
      expect(s.status).toBe('in-contact');
      expect(mock.callsOf('registerContactMoment')[0]).toMatchObject({ key: actionKey(workflowId, 4, 0), payloadId: 'payload-1', actor: 'user-1' });
      expect(mock.callsOf('sendTemplatedMail')[0]).toMatchObject({
        key: actionKey(workflowId, 4, 1),
        template: 'conversation-report',
        to: 'applicants',
        payloadId: 'payload-1',
      });
      expect(mock.callsOf('createTask')[0]).toMatchObject({
        key: actionKey(workflowId, 4, 2),
        title: 'Opvolging contactmoment',
        assignee: 'adviser',
        dueDate: '2030-01-15',
      });

      s = await step({ stepId: 'create-agreement' });
      expect(s).toMatchObject({ status: 'agreed', statusLabel: 'Opdracht verstrekt', category: 'running', availableSteps: [] });
      expect(mock.callsOf('generateDocument')[0]).toMatchObject({
        key: actionKey(workflowId, 5, 0),
        template: 'service-agreement',
        documentType: 'opdracht-tot-dienstverlening',
      });
      expect(mock.callsOf('setDossierStatus')[0]).toMatchObject({ key: actionKey(workflowId, 5, 1), status: 'client' });

      expect(s.history.map((h) => [h.seq, h.kind, h.stepId ?? '', h.fromStatus, h.toStatus])).toEqual([
        [1, 'started', '', 'new', 'new'],
        [2, 'step', 'choose-checklist', 'new', 'checklist-chosen'],
        [3, 'step', 'send-portal-activation', 'checklist-chosen', 'portal-invited'],
        [4, 'step', 'register-contact', 'portal-invited', 'in-contact'],
        [5, 'step', 'create-agreement', 'in-contact', 'agreed'],
      ]);
      expect(mock.callsOf('recordTransition').map((r) => r.key)).toEqual([1, 2, 3, 4, 5].map((n) => transitionKey(workflowId, n)));
      expect(mock.callsOf('recordTransition').at(-1)).toMatchObject({ toStatus: 'agreed', toCategory: 'running', stepId: 'create-agreement' });
      // Every effect happened exactly once, in step order.
      expect(mock.effects()).toEqual([
        `createChecklist:${actionKey(workflowId, 2, 0)}`,
        `sendPortalActivation:${actionKey(workflowId, 3, 0)}`,
        `registerContactMoment:${actionKey(workflowId, 4, 0)}`,
        `sendTemplatedMail:${actionKey(workflowId, 4, 1)}`,
        `createTask:${actionKey(workflowId, 4, 2)}`,
        `generateDocument:${actionKey(workflowId, 5, 0)}`,
        `setDossierStatus:${actionKey(workflowId, 5, 1)}`,
      ]);
    });
  }, 60_000);

  it('skips actions whose condition does not hold', async () => {
    await withProduct(serviceProcessV1, async ({ mock, step }) => {
      await step({ stepId: 'choose-checklist', input: { profile: 'loondienst' } });
      await step({ stepId: 'send-portal-activation' });
      const s = await step({ stepId: 'register-contact', input: { channel: 'gesprek', sendReport: false }, payloadId: 'p' });
      expect(s.status).toBe('in-contact');
      expect(mock.callsOf('registerContactMoment')).toHaveLength(1);
      expect(mock.callsOf('sendTemplatedMail')).toHaveLength(0);
      expect(mock.callsOf('createTask')).toHaveLength(0);
      // Register again from in-contact: follow-up task only.
      await step({ stepId: 'register-contact', input: { channel: 'video', followUpTask: true, followUpDate: '2030-02-01' }, payloadId: 'q' });
      expect(mock.callsOf('sendTemplatedMail')).toHaveLength(0);
      expect(mock.callsOf('createTask')).toEqual([expect.objectContaining({ dueDate: '2030-02-01' })]);
    });
  }, 60_000);

  it('refuses a step not allowed now in the validator: reason given, nothing recorded', async () => {
    await withProduct(serviceProcessV1, async ({ mock, step, state, workflowId }) => {
      const r = await rejection(step({ stepId: 'create-agreement' }));
      expect(r.message).toBe(
        'Stap "Opdracht tot dienstverlening aanmaken" is niet toegestaan zolang het product "Nieuw" is; toegestaan vanuit: Activatielink verstuurd, In gesprek',
      );
      const unknown = await rejection(step({ stepId: 'no-such-step' }));
      expect(unknown.message).toMatch(/Onbekende stap "no-such-step"/);
      expect(mock.calls.map((c) => c.name)).toEqual(['recordTransition']); // only 'started'
      expect((await state()).history).toHaveLength(1);
      // The refused attempts consumed no event number.
      await step({ stepId: 'choose-checklist', input: { profile: 'ondernemer' } });
      expect(mock.callsOf('createChecklist')[0]!.key).toBe(actionKey(workflowId, 2, 0));
    });
  }, 60_000);

  it('refuses invalid input in the validator', async () => {
    await withProduct(serviceProcessV1, async ({ mock, step }) => {
      expect((await rejection(step({ stepId: 'choose-checklist', input: { profile: 'astronaut' } }))).message).toMatch(
        /"profile".*moet een van deze zijn: loondienst, ondernemer, gepensioneerd, starter/,
      );
      expect((await rejection(step({ stepId: 'choose-checklist' }))).message).toMatch(/"profile".*is verplicht/);
      expect((await rejection(step({ stepId: 'choose-checklist', input: { profile: 'starter', extra: 1 } }))).message).toMatch(
        /Onbekende invoer "extra"/,
      );
      await step({ stepId: 'choose-checklist', input: { profile: 'starter' } });
      await step({ stepId: 'send-portal-activation' });
      const before = mock.calls.length;
      // Required text (summary) lives in a payload: no payload → refused.
      expect((await rejection(step({ stepId: 'register-contact', input: { channel: 'telefoon' } }))).message).toMatch(/"summary".*payload/);
      // Text in the input (personal data in history) → refused.
      expect(
        (await rejection(step({ stepId: 'register-contact', input: { channel: 'telefoon', summary: 'Jan belde' }, payloadId: 'p' }))).message,
      ).toMatch(/"summary".*vrije tekst/);
      expect(
        (await rejection(step({ stepId: 'register-contact', input: { channel: 'telefoon', followUpDate: '2025-02-30' }, payloadId: 'p' })))
          .message,
      ).toMatch(/"followUpDate".*datum/);
      expect(
        (await rejection(step({ stepId: 'register-contact', input: { channel: 'telefoon', sendReport: 'yes' }, payloadId: 'p' }))).message,
      ).toMatch(/"sendReport".*ja of nee/);
      expect(mock.calls.length).toBe(before);
    });
  }, 60_000);

  it('uses the same idempotency key when an activity is retried', async () => {
    const mock = mockActivities();
    mock.failOnce('createChecklist');
    await withProduct(
      serviceProcessV1,
      async ({ step, workflowId }) => {
        const s = await step({ stepId: 'choose-checklist', input: { profile: 'gepensioneerd' } });
        expect(s.status).toBe('checklist-chosen');
        const keys = mock.callsOf('createChecklist').map((c) => c.key);
        expect(keys).toEqual([actionKey(workflowId, 2, 0), actionKey(workflowId, 2, 0)]);
        expect(mock.callsOf('recordTransition')).toHaveLength(2);
      },
      mock,
    );
  }, 60_000);

  it('serialises concurrent steps and re-checks each when its turn comes', async () => {
    const mock = mockActivities();
    await withProduct(
      serviceProcessV1,
      async ({ step, workflowId, handle }) => {
        await step({ stepId: 'choose-checklist', input: { profile: 'starter' } });
        await step({ stepId: 'send-portal-activation' });
        // The first contact moment is held inside its activity until both updates are accepted,
        // so the second one is certainly waiting for its turn (no "takes 300 ms" race).
        const contact = mock.hold('registerContactMoment');
        const both = Promise.all([
          step({ stepId: 'register-contact', input: { channel: 'telefoon' }, payloadId: 'a' }),
          step({ stepId: 'register-contact', input: { channel: 'video' }, payloadId: 'b' }),
        ]);
        await contact.entered();
        await eventually(async () => acceptedUpdates(await handle.fetchHistory()) >= 4);
        contact.release();
        const [a, b] = await both;
        const moments = mock.calls.filter((c) => c.name === 'registerContactMoment');
        expect(moments).toHaveLength(2);
        // The second contact moment started only after the first one finished.
        expect(moments[1]!.startedAt).toBeGreaterThanOrEqual(moments[0]!.endedAt);
        expect(mock.callsOf('registerContactMoment').map((m) => m.key).sort()).toEqual([actionKey(workflowId, 4, 0), actionKey(workflowId, 5, 0)]);
        expect([a.history.length, b.history.length].sort()).toEqual([4, 5]);

        // Both accepted by the validator; whichever runs second is no longer allowed.
        const document = mock.hold('generateDocument');
        const settled = Promise.allSettled([step({ stepId: 'create-agreement' }), step({ stepId: 'cancel' })]);
        // Both updates pass the validator while the first one's document is still being made.
        await eventually(async () => acceptedUpdates(await handle.fetchHistory()) >= 6);
        document.release();
        const results = await settled;
        const ok = results.filter((r) => r.status === 'fulfilled');
        const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        expect(ok).toHaveLength(1);
        expect(failed).toHaveLength(1);
        const cause = (failed[0]!.reason as WorkflowUpdateFailedError).cause as { message: string; type?: string };
        expect(cause.type).toBe(ProductFailure.StepNotAllowed);
        expect(cause.message).toMatch(/is niet toegestaan zolang het product "(Opdracht verstrekt|Vervallen)" is/);
      },
      mock,
    );
  }, 60_000);

  it('finishes once the product reaches an ended status', async () => {
    await withProduct(serviceProcessV1, async ({ step, handle }) => {
      const s = await step({ stepId: 'cancel' });
      expect(s).toMatchObject({ status: 'cancelled', category: 'ended' });
      const result = await handle.result();
      expect(result).toMatchObject({ status: 'cancelled', statusLabel: 'Vervallen' });
    });
  }, 60_000);

  it('resumes from carried state (continue-as-new input) without recording a new start', async () => {
    const mock = mockActivities();
    const taskQueue = `test-${randomUUID()}`;
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: await workflowBundle(), activities: mock.activities });
    const productId = randomUUID();
    const workflowId = workflowIds.product(productId);
    await worker.runUntil(async () => {
      const carried = {
        status: 'in-contact',
        seq: 41,
        history: [{ seq: 41, at: '2025-01-01T10:00:00.000Z', actor: 'u', kind: 'step' as const, stepId: 'register-contact', label: 'Contactmoment registreren', fromStatus: 'portal-invited', toStatus: 'in-contact' }],
        watches: [],
      };
      const handle = await env.client.workflow.start<typeof productWorkflow>('productWorkflow', {
        taskQueue,
        workflowId,
        args: [{ productId, dossierId: 'd', definition: serviceProcessV1, startedBy: 'u', carried }],
      });
      await endWhenSettled(env, handle, async () => {
        const s = await handle.executeUpdate(takeStepUpdate, { args: [{ actor: 'u', stepId: 'create-agreement' }] });
        expect(s.status).toBe('agreed');
        expect(s.history.map((h) => h.seq)).toEqual([41, 42]);
        expect(mock.callsOf('recordTransition').map((r) => r.kind)).toEqual(['step']);
        expect(mock.callsOf('generateDocument')[0]!.key).toBe(actionKey(workflowId, 42, 0));
      });
    });
  }, 60_000);

  it('fails at once on an invalid definition', async () => {
    const broken = { ...serviceProcessV1, initialStatus: 'nope' };
    const mock = mockActivities();
    const taskQueue = `test-${randomUUID()}`;
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: await workflowBundle(), activities: mock.activities });
    await worker.runUntil(async () => {
      const err = await env.client.workflow
        .execute<typeof productWorkflow>('productWorkflow', {
          taskQueue,
          workflowId: workflowIds.product(randomUUID()),
          args: [{ productId: 'p', dossierId: 'd', definition: broken, startedBy: 'u' }],
        })
        .catch((e: unknown) => e as { cause?: { type?: string; message?: string } });
      expect(err).toMatchObject({ cause: { type: ProductFailure.InvalidDefinition } });
      expect(mock.calls).toHaveLength(0);
    });
  }, 60_000);
});

describe('product workflow: waitForDate', () => {
  it('sends reminders at 09:00 Amsterdam N days before and escalates on the date', async () => {
    await withProduct(deadlineProcess, async ({ mock, step, state, workflowId }) => {
      const today = todayInAmsterdam(new Date(await env.currentTimeMs()));
      const date = addDays(today, 10);
      const s = await step({ stepId: 'set-date', input: { conditionDate: date } });
      expect(s.status).toBe('open');
      expect(s.deadlines).toEqual([
        {
          deadline: 'financing-condition',
          date,
          pending: [
            { at: instantAt(addDays(date, -7), 9).toISOString(), kind: 'reminder', daysBefore: 7 },
            { at: instantAt(addDays(date, -2), 9).toISOString(), kind: 'reminder', daysBefore: 2 },
            { at: instantAt(date, 9).toISOString(), kind: 'onDate' },
          ],
        },
      ]);

      await env.sleep(4 * DAY);
      const afterFirst = await eventually(async () => {
        const st = await state();
        return st.history.some((h) => h.kind === 'reminder') && st;
      });
      expect(afterFirst.deadlines[0]!.pending).toHaveLength(2);

      await env.sleep(8 * DAY);
      const end = await eventually(async () => {
        const st = await state();
        return st.status === 'escalated' && st;
      });
      expect(end.history.map((h) => [h.seq, h.kind, h.fromStatus, h.toStatus])).toEqual([
        [1, 'started', 'open', 'open'],
        [2, 'step', 'open', 'open'],
        [3, 'reminder', 'open', 'open'],
        [4, 'reminder', 'open', 'open'],
        [5, 'escalation', 'open', 'escalated'],
      ]);
      expect(end.deadlines).toEqual([]);
      expect(mock.callsOf('createTask').map((t) => [t.key, t.title, t.dueDate])).toEqual([
        [actionKey(workflowId, 3, 0), 'Ontbindende voorwaarde nadert', date],
        [actionKey(workflowId, 4, 0), 'Ontbindende voorwaarde nadert', date],
        [actionKey(workflowId, 5, 0), 'Ontbindende voorwaarde verlopen', date],
      ]);
      expect(mock.callsOf('sendTemplatedMail').map((m) => [m.key, m.template])).toEqual([
        [actionKey(workflowId, 3, 1), 'financing-reminder'],
        [actionKey(workflowId, 4, 1), 'financing-reminder'],
      ]);
      const escalation = mock.callsOf('recordTransition').at(-1)!;
      expect(escalation).toMatchObject({ kind: 'escalation', toStatus: 'escalated', actor: 'system', key: transitionKey(workflowId, 5) });
      // The reminder fired at 09:00 Amsterdam (the workflow clock at firing time, within a task's latency).
      const firedAt = Date.parse(mock.callsOf('recordTransition')[2]!.at) - instantAt(addDays(date, -7), 9).getTime();
      expect(firedAt).toBeGreaterThanOrEqual(0);
      expect(firedAt).toBeLessThan(60_000);
    });
  }, 60_000);

  it('replaces the watch when the date is entered again, and stops once satisfied', async () => {
    await withProduct(deadlineProcess, async ({ mock, step, state }) => {
      const today = todayInAmsterdam(new Date(await env.currentTimeMs()));
      await step({ stepId: 'set-date', input: { conditionDate: addDays(today, 10) } });
      const later = addDays(today, 20);
      const s = await step({ stepId: 'set-date', input: { conditionDate: later } });
      expect(s.deadlines).toHaveLength(1);
      expect(s.deadlines[0]!.date).toBe(later);

      await env.sleep(14 * DAY); // past the first reminder for the new date (day 13)
      await eventually(async () => (await state()).history.some((h) => h.kind === 'reminder'));
      const fin = await step({ stepId: 'finalise' });
      expect(fin.status).toBe('final');
      expect(fin.deadlines).toEqual([]);

      await env.sleep(10 * DAY);
      const st = await state();
      expect(st.status).toBe('final');
      expect(st.history.filter((h) => h.kind === 'reminder')).toHaveLength(1);
      expect(st.history.some((h) => h.kind === 'escalation')).toBe(false);
      expect(mock.callsOf('createTask')).toHaveLength(1);
    });
  }, 60_000);
});
