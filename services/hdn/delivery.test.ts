/**
 * Group commit of lender messages per product (delivery.ts), against a stand-in Temporal client
 * whose signals wait until the test lets them through, and a stand-in EntityManager that answers
 * the row updates: who goes alone, who goes together and in which order, what each caller gets back.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../domain/errors.js';
import type { TemporalDeps } from '../../integrations/temporal/connection.js';
import type { LenderMessage } from '../../workflows/products/product.messages.js';
import { deliverLenderMessage } from './delivery.js';
import type { MessageRow } from './store.js';
import type { ProductWorkflowRef } from './workflow.js';

interface SignalCall {
  workflowId: string;
  messageIds: string[];
  release(): void;
  fail(err: Error): void;
}

/** A Temporal client whose every signal waits for `release()` (or `fail()`) of its call. */
function heldTemporal(): { temporal: TemporalDeps; calls: SignalCall[] } {
  const calls: SignalCall[] = [];
  const client = {
    withDeadline: <R>(_deadline: number | Date, fn: () => Promise<R>) => fn(),
    workflow: {
      getHandle: (workflowId: string) => ({
        signal: (_def: unknown, ...args: LenderMessage[]) =>
          new Promise<void>((resolve, reject) => {
            calls.push({ workflowId, messageIds: args.map((m) => m.messageId), release: resolve, fail: reject });
          }),
      }),
    },
  } as unknown as Client;
  return { temporal: { client, taskQueue: 'test', checkHealth: async () => undefined }, calls };
}

/** Answers `update hdn_messages ... returning` with a 'delivered' row per id, and records how many statements ran. */
function fakeEm(): { em: EntityManager; statements: string[] } {
  const statements: string[] = [];
  const row = (id: string): MessageRow =>
    ({ id, state: 'delivered', reason: null, product_id: 'p' }) as unknown as MessageRow;
  const em = {
    execute: async (sql: string, params: unknown[]) => {
      statements.push(sql);
      if (!sql.includes('update hdn_messages')) return [];
      const ids = sql.includes('any(?::uuid[])') ? String(params[3]).replace(/[{}"]/g, '').split(',') : [String(params[3])];
      return ids.map(row);
    },
  } as unknown as EntityManager;
  return { em, statements };
}

const ref = (n: number): ProductWorkflowRef => ({ productId: `p${n}`, dossierId: 'd', workflowId: `product:p${n}`, processKey: 'mortgage', processVersion: 1 });
const sx = (id: string): LenderMessage => ({ messageId: id, type: 'SX', statusCode: '10', applicationNumber: '100001', applicationVersion: 1 });
const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

describe('deliverLenderMessage: per product in batches', () => {
  it('signals a message alone when its product has nothing under way, and the ones that arrive meanwhile together, in order', async () => {
    const { temporal, calls } = heldTemporal();
    const { em, statements } = fakeEm();
    const first = deliverLenderMessage(temporal, em, ref(1), 'm1', sx('m1'), 'retry');
    await settle();
    expect(calls.map((c) => c.messageIds)).toEqual([['m1']]);
    // While m1's signal is under way: three more for the same product, one for another product.
    const more = ['m2', 'm3', 'm4'].map((id) => deliverLenderMessage(temporal, em, ref(1), id, sx(id), 'retry'));
    const other = deliverLenderMessage(temporal, em, ref(2), 'o1', sx('o1'), 'retry');
    await settle();
    expect(calls.map((c) => [c.workflowId, c.messageIds])).toEqual([
      ['product:p1', ['m1']],
      ['product:p2', ['o1']],
    ]);
    calls[0]!.release();
    expect((await first).id).toBe('m1');
    await settle();
    expect(calls[2]).toMatchObject({ workflowId: 'product:p1', messageIds: ['m2', 'm3', 'm4'] });
    calls[2]!.release();
    expect((await Promise.all(more)).map((r) => [r.id, r.state])).toEqual([
      ['m2', 'delivered'],
      ['m3', 'delivered'],
      ['m4', 'delivered'],
    ]);
    calls[1]!.release();
    expect((await other).id).toBe('o1');
    // One update per signal: m1, the batch of three, o1.
    expect(statements.filter((s) => s.includes('update hdn_messages'))).toHaveLength(3);
    // The lane closed: the next message for p1 goes at once, alone.
    const later = deliverLenderMessage(temporal, em, ref(1), 'm5', sx('m5'), 'retry');
    await settle();
    expect(calls.at(-1)?.messageIds).toEqual(['m5']);
    calls.at(-1)!.release();
    await later;
  });

  it('Temporal not answering: every caller of the batch gets a 503 with its own words, nothing is marked, and the next message is tried again', async () => {
    const { temporal, calls } = heldTemporal();
    const { em, statements } = fakeEm();
    const first = deliverLenderMessage(temporal, em, ref(3), 'a1', sx('a1'), 'first: resend it');
    await settle();
    const second = deliverLenderMessage(temporal, em, ref(3), 'a2', sx('a2'), 'second: route it again');
    const third = deliverLenderMessage(temporal, em, ref(3), 'a3', sx('a3'), 'third: resend it');
    calls[0]!.release();
    await first;
    await settle();
    expect(calls[1]?.messageIds).toEqual(['a2', 'a3']);
    calls[1]!.fail(new Error('14 UNAVAILABLE: connect ECONNREFUSED'));
    const refused = await Promise.allSettled([second, third]);
    const problems = refused.map((r) => (r.status === 'rejected' ? (r.reason as DomainError) : undefined));
    expect(problems.map((p) => p instanceof DomainError && p.message)).toEqual([
      expect.stringMatching(/^second: route it again \(the process engine did not answer: 14 UNAVAILABLE/),
      expect.stringMatching(/^third: resend it \(the process engine did not answer/),
    ]);
    expect(statements.filter((s) => s.includes('update hdn_messages'))).toHaveLength(1);
    const again = deliverLenderMessage(temporal, em, ref(3), 'a2', sx('a2'), 'retry');
    await settle();
    expect(calls.at(-1)?.messageIds).toEqual(['a2']);
    calls.at(-1)!.release();
    expect((await again).state).toBe('delivered');
  });
});
