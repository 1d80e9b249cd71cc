/**
 * The product workflow seen from the HDN side: rebuild its input from PostgreSQL, start it
 * after an AX was converted, and deliver a lender message (a signal; signal-with-start when no workflow runs).
 *
 * Both calls are safe to repeat. A closed product process is never started again
 * (`REJECT_DUPLICATE`): a late lender message for an ended product is recorded, not acted on.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import type { HdnMessage } from '../../integrations/hdn/types.js';
import type { LenderMessageType } from '../../domain/hdn/message-types.js';
import type { productWorkflow } from '../../workflows/index.js';
import {
  lenderMessageSignal,
  type LenderMessage,
  type ProductWorkflowInput,
} from '../../workflows/products/product.messages.js';
import type { TemporalDeps } from '../../integrations/temporal/connection.js';
import { getDefinition } from '../process/definitions.js';
import { DomainError } from '../../domain/errors.js';
import { one, type Row } from '../../db/sql.js';

/** How long the API waits for Temporal before it answers 503 (the message stays stored). */
const TEMPORAL_DEADLINE_MS = 10_000;

/** Who "started" a product process that HDN traffic (re)started: never a person. */
const HDN_ACTOR = 'hdn';

/** A parsed message of one of the lender message types (domain/hdn/message-types.ts). */
export type LenderHdnMessage = Extract<HdnMessage, { type: LenderMessageType }>;

/** What the API needs to reach a product's workflow (no definition: that is only read to start it). */
export interface ProductWorkflowRef {
  productId: string;
  dossierId: string;
  workflowId: string;
  processKey: string;
  processVersion: number;
}

export interface ProductWorkflowStart {
  workflowId: string;
  input: ProductWorkflowInput;
}

export async function productWorkflowRef(em: EntityManager, productId: string): Promise<ProductWorkflowRef> {
  const p = await one<{ id: string; dossier_id: string; process_key: string; process_version: number; workflow_id: string } & Row>(
    em,
    'select id, dossier_id, process_key, process_version, workflow_id from products where id = ?',
    [productId],
  );
  if (!p) throw new Error(`product ${productId} not found`);
  return { productId: p.id, dossierId: p.dossier_id, workflowId: p.workflow_id, processKey: p.process_key, processVersion: Number(p.process_version) };
}

/** The workflow input of a product from its ref and its (immutable, cached) definition. */
export async function workflowStartOf(em: EntityManager, ref: ProductWorkflowRef, startedBy = HDN_ACTOR): Promise<ProductWorkflowStart> {
  const definition = await getDefinition(em, ref.processKey, ref.processVersion);
  if (!definition) throw new Error(`process definition ${ref.processKey}@${ref.processVersion} of product ${ref.productId} is missing`);
  return { workflowId: ref.workflowId, input: { productId: ref.productId, dossierId: ref.dossierId, definition, startedBy } };
}

/** The workflow id and input of a product, from its row and its (immutable) definition. */
export async function productWorkflowStart(em: EntityManager, productId: string, startedBy = HDN_ACTOR): Promise<ProductWorkflowStart> {
  return workflowStartOf(em, await productWorkflowRef(em, productId), startedBy);
}

/** Only non-personal facts travel to Temporal (docs/ARCHITECTURE.md rule 3); the rest stays in the stored row. */
export function lenderMessageOf(messageId: string, m: LenderHdnMessage, enabledUnverifiedSx: readonly string[] = []): LenderMessage {
  const base: LenderMessage = {
    messageId,
    type: m.type,
    applicationNumber: m.header.applicationNumber,
    applicationVersion: Number(m.header.applicationVersion),
  };
  switch (m.type) {
    case 'SX':
      return {
        ...base,
        statusCode: m.statusCode,
        // The office's choice travels with the status: the workflow has no settings of its own.
        enabledUnverifiedSx: [...enabledUnverifiedSx],
        ...(m.documentReference !== undefined ? { documentReference: m.documentReference } : {}),
        ...(m.offerNumber !== undefined ? { offerNumber: m.offerNumber } : {}),
      };
    case 'OX':
      return {
        ...base,
        offerNumber: m.offerNumber,
        offerType: m.offerType,
        ...(m.acceptanceDate !== undefined ? { acceptanceDate: m.acceptanceDate } : {}),
        ...(m.validityDate !== undefined ? { validityDate: m.validityDate } : {}),
      };
    case 'DA':
      return { ...base, lines: m.lines.length };
    default:
      // A type whose facts the product does not need travels as ids only (its text stays stored).
      return base;
  }
}

export type SignalOutcome = 'delivered' | 'process-ended';

/** Temporal did not answer a delivery; each caller words what it can do then (`unavailable`). */
export class ProcessEngineUnavailable extends Error {
  constructor(readonly reason: unknown) {
    super(reason instanceof Error ? reason.message : String(reason));
    this.name = 'ProcessEngineUnavailable';
  }
}

/**
 * Signals lender messages (one or more, in arrival order, all for `product`) to the product's
 * running workflow in one signal, one message per argument. Only when there is none (never
 * started, e.g. Temporal was down at convert time, or ended) does it signal-with-start, with the
 * whole process definition as start input; so the usual signal carries a few hundred bytes per
 * message, not the definition (measured in bench/hdn-ingest.ts). A closed process is never started
 * again (`REJECT_DUPLICATE`): the messages are then recorded as `process-ended`.
 * Throws ProcessEngineUnavailable when Temporal does not answer.
 */
export async function signalLenderMessages(
  temporal: TemporalDeps,
  em: EntityManager,
  product: ProductWorkflowRef,
  signals: readonly [LenderMessage, ...LenderMessage[]],
): Promise<SignalOutcome> {
  const { client, taskQueue } = temporal;
  try {
    await client.withDeadline(Date.now() + TEMPORAL_DEADLINE_MS, () =>
      client.workflow.getHandle<typeof productWorkflow>(product.workflowId).signal(lenderMessageSignal, ...signals),
    );
    return 'delivered';
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw new ProcessEngineUnavailable(err);
  }
  const start = await workflowStartOf(em, product);
  try {
    await client.withDeadline(Date.now() + TEMPORAL_DEADLINE_MS, () =>
      client.workflow.signalWithStart<typeof productWorkflow, [LenderMessage, ...LenderMessage[]]>('productWorkflow', {
        workflowId: start.workflowId,
        taskQueue,
        args: [start.input],
        signal: lenderMessageSignal,
        signalArgs: [...signals],
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      }),
    );
    return 'delivered';
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return 'process-ended';
    throw new ProcessEngineUnavailable(err);
  }
}

/**
 * Starts the product process after a conversion. Repeating it is harmless: a running process
 * is kept (`USE_EXISTING`) and an ended one is not started again (`REJECT_DUPLICATE`), so a
 * second convert call can safely retry a start that failed the first time.
 */
export async function ensureProductWorkflow(temporal: TemporalDeps, start: ProductWorkflowStart): Promise<void> {
  const { client, taskQueue } = temporal;
  try {
    await client.withDeadline(Date.now() + TEMPORAL_DEADLINE_MS, () =>
      client.workflow.start<typeof productWorkflow>('productWorkflow', {
        workflowId: start.workflowId,
        taskQueue,
        args: [start.input],
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      }),
    );
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return;
    throw unavailable('The product was created, but its process could not be started yet; repeat the convert request', err);
  }
}

/** The 503 problem of a delivery or start Temporal did not answer; `detail` says what the caller can do. */
export function unavailable(detail: string, err: unknown): DomainError {
  const reason = err instanceof Error ? err.message : String(err);
  return new DomainError('unavailable', 'workflow-unavailable', `${detail} (the process engine did not answer: ${reason})`);
}
