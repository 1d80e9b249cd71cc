/**
 * Delivering stored lender messages to their product's workflow (*bezorging*), per product in
 * batches (group commit): a message whose product has no signal under way is signalled at once,
 * alone; messages for that product that arrive while a signal is under way wait for it and then
 * go together, in arrival order, in the next signal (one message per signal argument), and their
 * rows are marked in one statement. No message waits longer than the signal before it; every
 * caller still answers only after its own message was signalled (or recorded, or refused with 503),
 * so the answer is the same as when each message went alone.
 *
 * The batches live in this API process: one lane per product workflow and Temporal client (so
 * two apps in one process, e.g. tests with a stubbed client, do not share lanes). A crash loses
 * nothing: a message's row stays 'received' until its signal succeeded, and a redelivery of a
 * 'received' row is delivered again; the workflow skips a message id it handled already.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { TemporalDeps } from '../../integrations/temporal/connection.js';
import type { LenderMessage } from '../../workflows/products/product.messages.js';
import { moveMessages, type MessageRow } from './store.js';
import { ProcessEngineUnavailable, signalLenderMessages, unavailable, type ProductWorkflowRef } from './workflow.js';

export const PROCESS_ENDED = 'het proces van het product is beëindigd';

/** At most this many messages in one signal (the workflow records at most LENDER_BATCH_MAX per activity). */
export const DELIVERY_BATCH_MAX = 100;

interface Waiting {
  em: EntityManager;
  product: ProductWorkflowRef;
  rowId: string;
  signal: LenderMessage;
  /** What the caller can do when Temporal does not answer (its 503's detail). */
  whenUnavailable: string;
  resolve(row: MessageRow): void;
  reject(err: unknown): void;
}

/** Per Temporal client: product workflow id → the messages waiting for the signal under way. */
const lanes = new WeakMap<TemporalDeps, Map<string, Waiting[]>>();

/** Counts of this process's deliveries, for benchmarks and logs: messages and the signals that carried them. */
export const deliveryCounts = { messages: 0, signals: 0 };

/**
 * Delivers the stored lender message `rowId` (its non-personal facts: `signal`) to `product` and
 * returns its row afterwards: 'delivered', or 'recorded' with PROCESS_ENDED when the product's
 * process has ended. Temporal down: a 503 DomainError saying `whenUnavailable`; the row stays as it was.
 */
export function deliverLenderMessage(
  temporal: TemporalDeps,
  em: EntityManager,
  product: ProductWorkflowRef,
  rowId: string,
  signal: LenderMessage,
  whenUnavailable: string,
): Promise<MessageRow> {
  let byWorkflow = lanes.get(temporal);
  if (!byWorkflow) lanes.set(temporal, (byWorkflow = new Map()));
  return new Promise<MessageRow>((resolve, reject) => {
    const waiting: Waiting = { em, product, rowId, signal, whenUnavailable, resolve, reject };
    const lane = byWorkflow.get(product.workflowId);
    if (lane) {
      lane.push(waiting);
      return;
    }
    const fresh = [waiting];
    byWorkflow.set(product.workflowId, fresh);
    void drain(temporal, byWorkflow, product.workflowId, fresh);
  });
}

/** Signals the lane's messages batch by batch until none wait, then closes the lane. */
async function drain(temporal: TemporalDeps, byWorkflow: Map<string, Waiting[]>, workflowId: string, lane: Waiting[]): Promise<void> {
  try {
    while (lane.length > 0) {
      const batch = lane.splice(0, DELIVERY_BATCH_MAX);
      try {
        const rows = await deliverBatch(temporal, batch);
        batch.forEach((w, i) => w.resolve(rows[i]!));
      } catch (err) {
        for (const w of batch) w.reject(err instanceof ProcessEngineUnavailable ? unavailable(w.whenUnavailable, err.reason) : err);
      }
    }
  } finally {
    byWorkflow.delete(workflowId);
  }
}

/** One signal for the batch, then its rows follow in one statement (on the first caller's connection). */
async function deliverBatch(temporal: TemporalDeps, batch: Waiting[]): Promise<MessageRow[]> {
  const first = batch[0]!;
  const signals = batch.map((w) => w.signal) as [LenderMessage, ...LenderMessage[]];
  const outcome = await signalLenderMessages(temporal, first.em, first.product, signals);
  deliveryCounts.signals += 1;
  deliveryCounts.messages += batch.length;
  const ids = batch.map((w) => w.rowId);
  const productId = first.product.productId;
  return moveMessages(first.em, ids, outcome === 'delivered' ? { state: 'delivered', reason: null, productId } : { state: 'recorded', reason: PROCESS_ENDED, productId });
}
