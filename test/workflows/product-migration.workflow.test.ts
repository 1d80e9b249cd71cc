/**
 * Moving a running product to another version of its process (the `migrateDefinition`
 * Update), and step guards, on the time-skipping test server with typed activity mocks.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { ProcessDefinition } from '../../domain/process/definition.js';
import { mortgageProcessV1, serviceProcessV1 } from '../../domain/processes/index.js';
import { workflowIds } from '../../domain/workflow-ids.js';
import type { productWorkflow } from '../../workflows/index.js';
import {
  ProductFailure,
  lenderMessageSignal,
  migrateDefinitionUpdate,
  productStateQuery,
  takeStepUpdate,
  type ProductCarriedState,
  type ProductState,
  type TakeStepRequest,
} from '../../workflows/products/product.messages.js';
import { createTimeSkippingEnv, endWhenSettled, eventually, mockActivities, workflowBundle, type MockControl } from './product-harness.js';

let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  await workflowBundle();
}, 120_000);

afterAll(async () => {
  await env?.teardown();
});

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** Service v2: a welcome call step after the checklist, with its own status. */
function serviceV2(): ProcessDefinition {
  const d = clone(serviceProcessV1);
  d.version = 2;
  d.statuses.splice(2, 0, { code: 'welcomed', label: 'Welkom gebeld', category: 'new' });
  d.steps.splice(1, 0, { id: 'welcome-call', label: 'Welkomstgesprek', from: ['checklist-chosen'], to: 'welcomed', actions: [] });
  d.steps.find((s) => s.id === 'send-portal-activation')!.from.push('welcomed');
  d.steps.find((s) => s.id === 'cancel')!.from.push('welcomed');
  return d;
}

interface Ctx {
  mock: MockControl;
  handle: WorkflowHandle<typeof productWorkflow>;
  step(req: Omit<TakeStepRequest, 'actor'>): Promise<ProductState>;
  migrate(definition: ProcessDefinition): Promise<{ fromVersion: number; toVersion: number; state: ProductState }>;
  state(): Promise<ProductState>;
}

async function withProduct(
  definition: ProcessDefinition,
  fn: (ctx: Ctx) => Promise<void>,
  carried?: ProductCarriedState,
): Promise<void> {
  const mock = mockActivities();
  const taskQueue = `migration-${randomUUID()}`;
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: await workflowBundle(), activities: mock.activities });
  const productId = randomUUID();
  await worker.runUntil(async () => {
    const handle = await env.client.workflow.start<typeof productWorkflow>('productWorkflow', {
      taskQueue,
      workflowId: workflowIds.product(productId),
      args: [{ productId, dossierId: 'dossier-1', definition, startedBy: 'user-1', ...(carried ? { carried } : {}) }],
    });
    const ctx: Ctx = {
      mock,
      handle,
      step: (req) => handle.executeUpdate(takeStepUpdate, { args: [{ actor: 'user-1', ...req }] }),
      migrate: (d) => handle.executeUpdate(migrateDefinitionUpdate, { args: [{ definition: d, actor: 'designer-1' }] }),
      state: () => handle.query(productStateQuery),
    };
    // Ended once settled (terminateWhenSettled), also when the test throws: a termination that
    // cuts off an open activity or workflow task (the step guards test ends on a lender message)
    // leaves the test server's time skipping locked for the rest of this file.
    await endWhenSettled(
      env,
      handle,
      async () => {
        if (!carried) await eventually(async () => (await ctx.state()).history.length === 1);
        await fn(ctx);
      },
      () => mock.releaseHeld(),
    );
  });
}

async function refusal(p: Promise<unknown>): Promise<{ message: string; type: string | undefined }> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    const cause = (err as WorkflowUpdateFailedError).cause as { message: string; type?: string } | undefined;
    return { message: cause?.message ?? '', type: cause?.type };
  }
  throw new Error('expected the update to be refused');
}

describe('migrateDefinition', () => {
  it('moves a running product to v2: new steps available, history and process version recorded', async () => {
    await withProduct(serviceProcessV1, async ({ mock, step, migrate, state }) => {
      await step({ stepId: 'choose-checklist', input: { profile: 'loondienst' } });
      expect((await state()).availableSteps.map((s) => s.id)).not.toContain('welcome-call');

      const result = await migrate(serviceV2());
      expect(result).toMatchObject({ fromVersion: 1, toVersion: 2 });
      expect(result.state).toMatchObject({ processKey: 'service', processVersion: 2, status: 'checklist-chosen' });
      expect(result.state.availableSteps.map((s) => s.id)).toEqual(['welcome-call', 'send-portal-activation', 'cancel']);
      const entry = result.state.history.at(-1)!;
      expect(entry).toMatchObject({ kind: 'migration', actor: 'designer-1', fromStatus: 'checklist-chosen', toStatus: 'checklist-chosen' });
      expect(entry.label).toMatch(/versie 1 naar .*versie 2/);
      const recorded = mock.callsOf('recordTransition').at(-1)!;
      expect(recorded).toMatchObject({ kind: 'migration', process: { key: 'service', version: 2 }, toCategory: 'new' });

      const after = await step({ stepId: 'welcome-call' });
      expect(after).toMatchObject({ status: 'welcomed', statusLabel: 'Welkom gebeld', processVersion: 2 });
      // Steps before the migration were not recorded with a process version.
      expect(mock.callsOf('recordTransition').filter((c) => c.process)).toHaveLength(1);
    });
  });

  it('refuses a target without the current status, another process, the same version or an invalid one; nothing recorded', async () => {
    await withProduct(serviceProcessV1, async ({ mock, step, migrate, state }) => {
      await step({ stepId: 'choose-checklist', input: { profile: 'loondienst' } });
      const before = mock.callsOf('recordTransition').length;

      const noStatus = serviceV2();
      noStatus.statuses = noStatus.statuses.filter((s) => s.code !== 'checklist-chosen');
      noStatus.steps = noStatus.steps.map((s) => ({ ...s, from: s.from.filter((c) => c !== 'checklist-chosen') })).filter((s) => s.from.length > 0);
      noStatus.steps.find((s) => s.id === 'choose-checklist')!.from = ['new'];
      noStatus.steps.find((s) => s.id === 'choose-checklist')!.to = 'welcomed';
      const r1 = await refusal(migrate(noStatus));
      expect(r1.message).toMatch(/status "checklist-chosen" \(Stukkenlijst gekozen\) van het product bestaat niet in service versie 2/);

      const other = { ...clone(mortgageProcessV1), version: 2 };
      expect((await refusal(migrate(other))).message).toMatch(/volgt proces "service", niet "mortgage"/);
      expect((await refusal(migrate(clone(serviceProcessV1)))).message).toMatch(/volgt al service versie 1/);
      const invalid = serviceV2();
      invalid.initialStatus = 'nope';
      expect((await refusal(migrate(invalid))).message).toMatch(/ongeldig: \/initialStatus/);

      expect(mock.callsOf('recordTransition')).toHaveLength(before);
      expect(await state()).toMatchObject({ processVersion: 1, status: 'checklist-chosen' });
    });
  });

  it('keeps the migrated definition across continue-as-new (carried state)', async () => {
    const v2 = serviceV2();
    const carried: ProductCarriedState = { status: 'welcomed', seq: 3, history: [], watches: [], definition: v2 };
    await withProduct(
      serviceProcessV1,
      async ({ state, step }) => {
        expect(await state()).toMatchObject({ processVersion: 2, status: 'welcomed', statusLabel: 'Welkom gebeld' });
        expect((await step({ stepId: 'send-portal-activation' })).status).toBe('portal-invited');
      },
      carried,
    );
  });
});

describe('step guards', () => {
  function guarded(): ProcessDefinition {
    const d = clone(mortgageProcessV1);
    d.steps.push(
      {
        id: 'accept-rate-offer',
        label: 'Renteaanbod accepteren',
        from: d.steps.find((s) => s.id === 'enter-financing-condition')!.from,
        guard: { applicationSent: true, lenderStatusIn: ['22'] },
        actions: [{ kind: 'createTask', title: 'Renteaanbod tekenen', assignee: 'backoffice' }],
      },
      {
        id: 'internal-review',
        label: 'Interne review',
        from: ['advies-ontvangen'],
        guard: { applicationSent: false, productCategory: ['new'] },
        actions: [],
      },
    );
    return d;
  }

  it('are evaluated by the workflow on facts it knows (application sent, last SX)', async () => {
    await withProduct(guarded(), async ({ handle, mock, step, state }) => {
      expect((await state()).availableSteps.map((s) => s.id)).toEqual(['send-application', 'enter-financing-condition', 'cancel', 'internal-review']);
      const early = await refusal(step({ stepId: 'accept-rate-offer' }));
      expect(early).toMatchObject({ message: expect.stringMatching(/niet toegestaan/) });
      await step({ stepId: 'internal-review' });
      await step({ stepId: 'send-application' });
      expect((await refusal(step({ stepId: 'internal-review' }))).message).toMatch(/niet toegestaan/);
      const tooSoon = await refusal(step({ stepId: 'accept-rate-offer' }));
      expect(tooSoon.message).toMatch(/nu niet toegestaan: de laatste status van de maatschappij is er nog niet, de stap vraagt SX 22/);

      await handle.signal(lenderMessageSignal, { messageId: 'm1', type: 'SX', applicationNumber: '100001', applicationVersion: 1, statusCode: '22' });
      await eventually(async () => mock.callsOf('markHdnMessage').length === 1);
      const s = await state();
      expect(s.status).toBe('renteaanbod');
      expect(s.availableSteps.map((x) => x.id)).toContain('accept-rate-offer');
      await step({ stepId: 'accept-rate-offer' });
      expect(mock.callsOf('createTask').map((t) => t.title)).toContain('Renteaanbod tekenen');
      expect(ProductFailure.StepNotAllowed).toBe('StepNotAllowed');
    });
  });
});
