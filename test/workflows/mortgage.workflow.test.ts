/**
 * The mortgage process on the product workflow, time-skipping test server and typed activity
 * mocks: lender messages (signals) moving the status, ranking and terminal codes, older
 * application versions, the SX09 watchdog, the financing-condition guard and offer dates.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { addDays, todayInAmsterdam } from '../../domain/dates.js';
import { mortgageProcessV1 } from '../../domain/processes/index.js';
import { workflowIds } from '../../domain/workflow-ids.js';
import type { productWorkflow } from '../../workflows/index.js';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import {
  deliverDocumentUpdate,
  lenderMessageSignal,
  productStateQuery,
  takeStepUpdate,
  type LenderMessage,
  type ProductState,
} from '../../workflows/products/product.messages.js';
import { createTimeSkippingEnv, endWhenSettled, eventually, mockActivities, workflowBundle, type MockControl } from './product-harness.js';

const MINUTE = 60_000;
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
  state(): Promise<ProductState>;
  /** Sends a lender message and waits until the workflow marked it. */
  lender(m: Omit<LenderMessage, 'messageId' | 'applicationNumber' | 'applicationVersion'> & { applicationVersion?: number }): Promise<void>;
  sendApplication(): Promise<ProductState>;
}

let messageCounter = 0;

/** Today on the test server's clock: time skipping moves it ahead of the real one. */
async function workflowToday(): Promise<string> {
  return todayInAmsterdam(new Date(await env.currentTimeMs()));
}

async function withMortgage(fn: (ctx: Ctx) => Promise<void>): Promise<void> {
  const mock = mockActivities();
  const taskQueue = `mortgage-${randomUUID()}`;
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: await workflowBundle(), activities: mock.activities });
  const productId = randomUUID();
  await worker.runUntil(async () => {
    const handle = await env.client.workflow.start<typeof productWorkflow>('productWorkflow', {
      taskQueue,
      workflowId: workflowIds.product(productId),
      args: [{ productId, dossierId: 'dossier-1', definition: mortgageProcessV1, startedBy: 'user-1' }],
    });
    const state = () => handle.query(productStateQuery);
    const ctx: Ctx = {
      mock,
      handle,
      state,
      sendApplication: () => handle.executeUpdate(takeStepUpdate, { args: [{ stepId: 'send-application', actor: 'user-1' }] }),
      lender: async (m) => {
        const messageId = `msg-${++messageCounter}`;
        await handle.signal(lenderMessageSignal, { applicationNumber: '100001', applicationVersion: 1, ...m, messageId });
        await eventually(async () => mock.callsOf('markHdnMessage').some((c) => c.messageId === messageId));
      },
    };
    // Not straight after the last lender message: `lender()` returns once the mock recorded the
    // call, while the recording activity (and the workflow task after it) may still be open; a
    // termination cutting them off left the test server's time skipping locked for good, and the
    // later env.sleep calls of this file hung (DA/OX and the day-scale deadline tests). Ended the
    // same way when the test throws (terminateWhenSettled, via endWhenSettled).
    await endWhenSettled(
      env,
      handle,
      async () => {
        await eventually(async () => (await state()).history.length === 1);
        await fn(ctx);
      },
      () => mock.releaseHeld(),
    );
  });
}

const outcomeOf = (mock: MockControl) => mock.callsOf('markHdnMessage').map((c) => `${c.outcome}`);

describe('mortgage process: lender messages', () => {
  it('walks the normal SX flow to loan in servicing, recording every message', async () => {
    await withMortgage(async ({ mock, state, lender, sendApplication }) => {
      const sent = await sendApplication();
      expect(sent.status).toBe('aanvraag-verstuurd');
      expect(sent.application).toMatchObject({ applicationNumber: '100001', version: 1, lenderCode: 'VBH' });
      expect(mock.callsOf('sendHdnApplication')).toHaveLength(1);

      const flow: [string, string][] = [
        ['09', 'ontvangst-bevestigd'],
        ['10', 'in-behandeling'],
        ['22', 'renteaanbod'],
        ['12', 'wacht-op-stukken'],
        ['04', 'in-acceptatie'],
        ['23', 'bindend-aanbod'],
        ['05', 'definitief-akkoord'],
        ['31', 'bij-notaris'],
        ['26', 'uitbetaling'],
        ['20', 'lopend'],
      ];
      for (const [code, status] of flow) {
        await lender({ type: 'SX', statusCode: code });
        expect((await state()).status, `after SX ${code}`).toBe(status);
      }
      const st = await state();
      expect(st.category).toBe('running');
      expect(st.application?.sxReceived).toEqual(flow.map(([c]) => c));
      expect(outcomeOf(mock)).toEqual(flow.map(() => 'applied'));
      const lenderEntries = st.history.filter((h) => h.kind === 'lender');
      expect(lenderEntries.map((h) => h.label)).toContain('SX 20 Lening in beheer');
      // Terminal 20: a late status changes nothing.
      await lender({ type: 'SX', statusCode: '10' });
      expect((await state()).status).toBe('lopend');
      expect(outcomeOf(mock).at(-1)).toBe('recorded');
    });
  });

  it('SX 31 (not on the official list): recorded, not applied, unless the office enabled it; 40, 80-82 and 77 never move the product', async () => {
    await withMortgage(async ({ mock, state, lender, sendApplication }) => {
      await sendApplication();
      await lender({ type: 'SX', statusCode: '05', enabledUnverifiedSx: [] });
      expect((await state()).status).toBe('definitief-akkoord');
      // Nothing enabled: 31 is kept in the history with the reason, the status stays.
      await lender({ type: 'SX', statusCode: '31', enabledUnverifiedSx: [] });
      expect((await state()).status).toBe('definitief-akkoord');
      expect(mock.callsOf('markHdnMessage').at(-1)).toMatchObject({ outcome: 'recorded', reason: expect.stringMatching(/SX 31 .*niet op de officiële HDN-lijst.*HDN_ENABLED_UNVERIFIED_CODES/) });
      expect((await state()).history.at(-1)?.label).toBe('SX 31 Dossier naar notaris (niet-officiële code, niet toegepast)');
      for (const code of ['40', '81', '77']) {
        await lender({ type: 'SX', statusCode: code, enabledUnverifiedSx: [] });
        expect((await state()).status, `after SX ${code}`).toBe('definitief-akkoord');
        expect(outcomeOf(mock).at(-1)).toBe('recorded');
      }
      // The office enabled 31: it is a flow status like the others.
      await lender({ type: 'SX', statusCode: '31', enabledUnverifiedSx: ['31'] });
      expect((await state()).status).toBe('bij-notaris');
      expect(outcomeOf(mock).at(-1)).toBe('applied');
      await lender({ type: 'SX', statusCode: '26', enabledUnverifiedSx: [] });
      expect((await state()).status).toBe('uitbetaling');
    });
  });

  it('never moves back: SX09 after SX10 is recorded, the status stays at 10', async () => {
    await withMortgage(async ({ mock, state, lender, sendApplication }) => {
      await sendApplication();
      await lender({ type: 'SX', statusCode: '10' });
      await lender({ type: 'SX', statusCode: '09' });
      const st = await state();
      expect(st.status).toBe('in-behandeling');
      expect(outcomeOf(mock)).toEqual(['applied', 'recorded']);
      expect(mock.callsOf('markHdnMessage')[1]?.reason).toMatch(/09|back|rank/i);
      expect(st.history.filter((h) => h.kind === 'lender')).toHaveLength(2);
    });
  });

  it('treats rejection (11) as terminal: the product ends and the workflow completes', async () => {
    await withMortgage(async ({ handle, state, lender, sendApplication }) => {
      await sendApplication();
      await lender({ type: 'SX', statusCode: '09' });
      await lender({ type: 'SX', statusCode: '11' });
      const result = await handle.result();
      expect(result.status).toBe('afgewezen');
      expect(result.category).toBe('ended');
      void state;
    });
  });

  it('records messages queued while it was busy in one call, decided in arrival order by the same rules', async () => {
    await withMortgage(async ({ mock, handle, state, sendApplication }) => {
      mock.setApplication('100001', 2);
      await sendApplication();
      // The first batch is held inside its activity until the next five messages are on the
      // server, so they queue up behind it (explicit synchronisation, not a 400 ms delay that a
      // loaded machine can outrun).
      const firstBatch = mock.hold('recordLenderMessages');
      const signal = (messageId: string, m: Omit<LenderMessage, 'messageId' | 'applicationNumber' | 'applicationVersion'> & { applicationVersion?: number }) =>
        handle.signal(lenderMessageSignal, { applicationNumber: '100001', applicationVersion: 2, ...m, messageId });
      await signal('batch-1', { type: 'SX', statusCode: '09' });
      await firstBatch.entered();
      await signal('batch-2', { type: 'SX', statusCode: '10' });
      await signal('batch-3', { type: 'SX', statusCode: '09' });
      // Offer dates from the test server's clock, not the calendar: the time-skipping server's
      // clock may be years ahead after the earlier tests of this file (seen: ten years, one run
      // in three), and an acceptance date in its past would be escalated at once.
      const today = await workflowToday();
      await signal('batch-4', { type: 'OX', offerNumber: 'OF-1', offerType: '18', acceptanceDate: addDays(today, 40), validityDate: addDays(today, 200) });
      await signal('batch-5', { type: 'SX', statusCode: '22' });
      await signal('batch-6', { type: 'SX', statusCode: '10', applicationVersion: 1 });
      // Every signal above is in the history now (handle.signal resolved); only then may the
      // first batch finish, so batches 2-6 are all waiting when the workflow looks again.
      firstBatch.release();
      await eventually(async () => mock.callsOf('markHdnMessage').length === 6);

      const batches = mock.callsOf('recordLenderMessages');
      expect(batches.length).toBeLessThan(6);
      expect(batches.flatMap((b) => b.records.map((r) => r.messageId))).toEqual(['batch-1', 'batch-2', 'batch-3', 'batch-4', 'batch-5', 'batch-6']);
      expect(outcomeOf(mock)).toEqual(['applied', 'applied', 'recorded', 'applied', 'applied', 'ignored']);
      const transitions = mock.callsOf('recordTransition').filter((t) => t.kind === 'lender');
      // One seq per message, ascending, each entry starting where the previous one left the product.
      expect(transitions.map((t) => t.seq)).toEqual([...transitions.map((t) => t.seq)].sort((a, b) => a - b));
      expect(new Set(transitions.map((t) => t.key)).size).toBe(6);
      for (const [i, t] of transitions.entries()) if (i > 0) expect(t.fromStatus).toBe(transitions[i - 1]!.toStatus);
      const st = await state();
      expect(st.status).toBe('renteaanbod');
      expect(st.application?.lastSx).toBe('22');
      expect(st.deadlines.length).toBeGreaterThan(0);
    });
  });

  it('keeps messages of an older application version without acting on them', async () => {
    await withMortgage(async ({ mock, state, lender, sendApplication }) => {
      mock.setApplication('100001', 2);
      await sendApplication();
      await lender({ type: 'SX', statusCode: '10', applicationVersion: 1 });
      expect((await state()).status).toBe('aanvraag-verstuurd');
      expect(outcomeOf(mock)).toEqual(['ignored']);
      expect(mock.callsOf('markHdnMessage')[0]?.reason).toMatch(/aanvraagversie 1.*versie 2/);
      await lender({ type: 'SX', statusCode: '10', applicationVersion: 2 });
      expect((await state()).status).toBe('in-behandeling');
    });
  });

  it('turns a DA into the lender checklist and an OX into guarded offer dates', async () => {
    await withMortgage(async ({ mock, state, lender, sendApplication }) => {
      await sendApplication();
      await lender({ type: 'SX', statusCode: '09' });
      await lender({ type: 'DA', lines: 4 });
      expect(mock.callsOf('applyDocumentRequest')).toHaveLength(1);
      const today = await workflowToday();
      await lender({ type: 'OX', offerNumber: 'OF-1', offerType: '18', acceptanceDate: addDays(today, 10), validityDate: addDays(today, 120) });
      await lender({ type: 'SX', statusCode: '22' });
      const st = await state();
      expect(st.deadlines.map((d) => d.deadline)).toEqual(['renteaanbod-acceptatie']);
      // 3 days before the acceptance date a reminder task appears.
      await env.sleep(8 * DAY);
      await eventually(async () => mock.callsOf('createTask').some((t) => /Renteaanbod/.test(t.title)));
      // Reaching underwriting (04) satisfies the rate-offer watch: no on-date escalation.
      await lender({ type: 'SX', statusCode: '04' });
      expect((await state()).deadlines).toEqual([]);
    });
  });
});

describe('mortgage process: documents', () => {
  it('sends a DX per upload with a new attempt number per line, and not before the application went out', async () => {
    await withMortgage(async ({ mock, state, handle, sendApplication }) => {
      const deliver = (documentId: string, lineId: string) =>
        handle.executeUpdate(deliverDocumentUpdate, { args: [{ documentId, lineId, actor: 'user-1' }], updateId: `dx:${documentId}` });
      const early = await deliver('doc-0', 'R1').catch((err: unknown) => err);
      expect(early).toBeInstanceOf(WorkflowUpdateFailedError);
      expect(String((early as WorkflowUpdateFailedError).cause?.message)).toMatch(/nog niet naar de maatschappij verstuurd/);
      expect(mock.callsOf('sendHdnDocument')).toEqual([]);

      await sendApplication();
      expect(await deliver('doc-1', 'R1')).toMatchObject({ lineId: 'R1', attempt: 1 });
      expect(await deliver('doc-2', 'R2')).toMatchObject({ lineId: 'R2', attempt: 1 });
      expect(await deliver('doc-3', 'R1')).toMatchObject({ lineId: 'R1', attempt: 2 });
      // The same update id again (a retried HTTP call): the same answer, no second DX.
      expect(await deliver('doc-3', 'R1')).toMatchObject({ lineId: 'R1', attempt: 2 });
      expect(mock.callsOf('sendHdnDocument').map((c) => `${c.lineId}#${c.attempt}`)).toEqual(['R1#1', 'R2#1', 'R1#2']);
      expect((await state()).history.filter((h) => h.stepId === 'deliver-document')).toHaveLength(3);
    });
  });
});

describe('mortgage process: deadlines', () => {
  it('creates a task when no SX09 arrives within 15 minutes of sending', async () => {
    await withMortgage(async ({ mock, state, sendApplication }) => {
      await sendApplication();
      expect((await state()).deadlines.map((d) => d.deadline)).toEqual(['hdn-sx09']);
      await env.sleep(16 * MINUTE);
      const task = await eventually(async () => mock.callsOf('createTask').find((t) => /SX09/.test(t.title)));
      expect(task.assignee).toBe('adviser');
      const st = await state();
      expect(st.history.some((h) => h.kind === 'watchdog')).toBe(true);
      expect(st.status).toBe('aanvraag-verstuurd');
    });
  });

  it('does not raise the watchdog when the SX09 comes in time', async () => {
    await withMortgage(async ({ mock, state, lender, sendApplication }) => {
      await sendApplication();
      await lender({ type: 'SX', statusCode: '09' });
      expect((await state()).deadlines).toEqual([]);
      await env.sleep(30 * MINUTE);
      expect(mock.callsOf('createTask')).toEqual([]);
    });
  });

  it('reminds before the financing-condition date and escalates on the day without final approval', async () => {
    await withMortgage(async ({ mock, state, handle, lender, sendApplication }) => {
      await sendApplication();
      await lender({ type: 'SX', statusCode: '09' });
      const today = await workflowToday();
      const conditionDate = addDays(today, 20);
      await handle.executeUpdate(takeStepUpdate, {
        args: [{ stepId: 'enter-financing-condition', actor: 'user-1', input: { financingConditionDate: conditionDate } }],
      });
      expect((await state()).deadlines.map((d) => d.deadline)).toEqual(['ontbindende-voorwaarde']);
      await env.sleep(21 * DAY);
      await eventually(async () => mock.callsOf('createTask').some((t) => /verloopt vandaag/.test(t.title)));
      const reminders = mock.callsOf('createTask').filter((t) => /nadert/.test(t.title));
      expect(reminders).toHaveLength(3); // 14, 7 and 3 days before
      expect((await state()).history.some((h) => h.kind === 'escalation')).toBe(true);
    });
  });

  it('stops guarding the financing condition once the final approval (SX05) is in', async () => {
    await withMortgage(async ({ mock, state, handle, lender, sendApplication }) => {
      await sendApplication();
      const today = await workflowToday();
      await handle.executeUpdate(takeStepUpdate, {
        args: [{ stepId: 'enter-financing-condition', actor: 'user-1', input: { financingConditionDate: addDays(today, 20) } }],
      });
      for (const code of ['09', '10', '04', '23', '05']) await lender({ type: 'SX', statusCode: code });
      expect((await state()).deadlines).toEqual([]);
      await env.sleep(25 * DAY);
      expect(mock.callsOf('createTask').filter((t) => /ontbindende voorwaarde/i.test(t.title))).toEqual([]);
    });
  });
});
