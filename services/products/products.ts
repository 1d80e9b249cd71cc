/**
 * Products: create (rows + workflow start), read model from PostgreSQL, parts, and taking a
 * step through the workflow's `takeStep` Update (text inputs stay in `step_payloads`).
 */
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  type WorkflowHandle,
} from '@temporalio/client';
import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';
import { deleteStepPayload, deleteUnstartedProduct, insertProduct, insertStepPayload } from './store.js';
import { keyedId, newId } from '../../db/ids.js';
import type { ProcessDefinition, StepInputValues } from '../../domain/process/definition.js';
import { statusOf, validateStepInput } from '../../domain/process/rules.js';
import { workflowIds } from '../../domain/workflow-ids.js';
import type { productWorkflow } from '../../workflows/index.js';
import {
  ProductFailure,
  takeStepUpdate,
  type ProductState,
  type ProductWorkflowInput,
} from '../../workflows/products/product.messages.js';
import type { ProductCreate, ProductPartView, ProductView } from './schemas.js';
import type { Principal } from '../../domain/roles.js';
import type { TemporalDeps } from '../../integrations/temporal/connection.js';
import { contractSummaryOfProduct } from '../billing/contract-summary.js';
import { axVersionNeededOf } from '../hdn/ax-version-needed.js';
import { availableStepViews, getDefinition, latestDefinitionForType, statusLabelOf } from '../process/definitions.js';
import { requireDossier } from '../dossiers/dossiers.js';
import { DomainError, refuse } from '../../domain/errors.js';
import { isoInstant, looksLikeUuid, one, rows, type Row } from '../../db/sql.js';

/** How long the API waits for Temporal when starting a workflow or taking a step. */
const START_DEADLINE_MS = 10_000;
const STEP_DEADLINE_MS = 60_000;

interface ProductRow extends Row {
  id: string;
  dossier_id: string;
  type: string;
  company: string | null;
  process_key: string;
  process_version: number;
  status: string;
  category: string;
  workflow_id: string;
  created_at: unknown;
  updated_at: unknown;
}

interface PartRow extends Row {
  id: string;
  product_id: string;
  number: number;
  description: string;
  status: string;
  category: string;
}

export async function findProductRow(em: EntityManager, officeId: string, id: string): Promise<ProductRow | undefined> {
  if (!looksLikeUuid(id)) return undefined;
  return one<ProductRow>(
    em,
    `select id, dossier_id, type, company, process_key, process_version, status, category, workflow_id, created_at, updated_at
     from products where office_id = ? and id = ?`,
    [officeId, id],
  );
}

async function requireProduct(em: EntityManager, officeId: string, id: string): Promise<ProductRow> {
  const row = await findProductRow(em, officeId, id);
  if (!row) throw refuse.notFound('Product', id);
  return row;
}

async function requireDefinitionOf(em: EntityManager, p: ProductRow): Promise<ProcessDefinition> {
  const def = await getDefinition(em, p.process_key, Number(p.process_version));
  if (!def) throw new Error(`process definition ${p.process_key}@${p.process_version} of product ${p.id} is missing`);
  return def;
}

function partView(def: ProcessDefinition | undefined, r: PartRow): ProductPartView {
  return {
    id: r.id,
    productId: r.product_id,
    number: Number(r.number),
    description: r.description,
    status: r.status,
    statusLabel: statusLabelOf(def, r.status),
    category: r.category,
  };
}

export async function getProductView(em: EntityManager, officeId: string, id: string): Promise<ProductView | undefined> {
  const p = await findProductRow(em, officeId, id);
  if (!p) return undefined;
  const def = await requireDefinitionOf(em, p);
  const parts = await rows<PartRow>(
    em,
    'select id, product_id, number, description, status, category from product_parts where product_id = ? order by number',
    [id],
  );
  const history = await rows<{
    seq: number;
    at: unknown;
    actor: string;
    kind: string;
    step_id: string | null;
    label: string;
    from_status: string;
    to_status: string;
  }>(em, 'select seq, at, actor, kind, step_id, label, from_status, to_status from product_history where product_id = ? order by seq', [id]);
  return {
    id: p.id,
    dossierId: p.dossier_id,
    type: p.type,
    company: p.company,
    status: p.status,
    statusLabel: statusLabelOf(def, p.status),
    category: p.category,
    processKey: p.process_key,
    processVersion: Number(p.process_version),
    axVersionNeeded: (await axVersionNeededOf(em, [p.id])).get(p.id) ?? null,
    workflowId: p.workflow_id,
    parts: parts.map((r) => partView(def, r)),
    availableSteps: availableStepViews(def, p.status),
    history: history.map((h) => ({
      seq: Number(h.seq),
      at: isoInstant(h.at) ?? '',
      actor: h.actor,
      kind: h.kind,
      stepId: h.step_id,
      label: h.label,
      fromStatus: h.from_status,
      toStatus: h.to_status,
    })),
    contract: await contractSummaryOfProduct(em, officeId, id),
    createdAt: isoInstant(p.created_at) ?? '',
    updatedAt: isoInstant(p.updated_at) ?? '',
  };
}

export async function getPartView(em: EntityManager, officeId: string, productId: string, partId: string): Promise<ProductPartView> {
  const p = await requireProduct(em, officeId, productId);
  const part = looksLikeUuid(partId)
    ? await one<PartRow>(
        em,
        'select id, product_id, number, description, status, category from product_parts where product_id = ? and id = ?',
        [productId, partId],
      )
    : undefined;
  if (!part) throw refuse.notFound('Part', partId);
  return partView(await getDefinition(em, p.process_key, Number(p.process_version)), part);
}

function temporalUnavailable(what: string, err: unknown): DomainError {
  const reason = err instanceof Error ? err.message : String(err);
  return new DomainError('unavailable', 'workflow-unavailable', `${what}: the process engine (Temporal) did not answer (${reason})`);
}

/**
 * A repeated create (same Idempotency-Key) of a product that exists: its process is started
 * when the first attempt stopped before that (a running one is kept, an ended one is not started
 * again), and the caller gets the same product.
 */
async function repeatedCreate(em: EntityManager, temporal: TemporalDeps, principal: Principal, existing: ProductRow, dossierId: string): Promise<string> {
  if (existing.dossier_id !== dossierId) {
    throw new DomainError('conflict', 'idempotency-key-reused', `This Idempotency-Key already created product ${existing.id} in another dossier`);
  }
  const def = await requireDefinitionOf(em, existing);
  const input: ProductWorkflowInput = { productId: existing.id, dossierId, definition: def, startedBy: principal.credentialId };
  try {
    const { client, taskQueue } = temporal;
    await client.withDeadline(Date.now() + START_DEADLINE_MS, () =>
      client.workflow.start<typeof productWorkflow>('productWorkflow', {
        workflowId: existing.workflow_id,
        taskQueue,
        args: [input],
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      }),
    );
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw temporalUnavailable('The product exists, but its process could not be started yet; repeat the request', err);
  }
  return existing.id;
}

/**
 * Inserts the product and its parts (one transaction) with the newest published definition
 * for the type, then starts `product:<id>`. If the start fails, the rows are removed again
 * and the caller gets 503. With an Idempotency-Key a repeat answers the product of the first
 * attempt (`created: false`) instead of making a second one.
 */
export async function createProduct(
  em: EntityManager,
  temporal: TemporalDeps,
  principal: Principal,
  dossierId: string,
  body: ProductCreate,
  log: { error(obj: object, msg: string): void },
  idempotencyKey?: string,
): Promise<{ id: string; created: boolean }> {
  const { officeId } = principal;
  await requireDossier(em, officeId, dossierId);
  // The same key in the same office always names the same product.
  const keyedProductId = idempotencyKey ? keyedId('product', officeId, idempotencyKey) : undefined;
  if (keyedProductId) {
    const existing = await findProductRow(em, officeId, keyedProductId);
    if (existing) return { id: await repeatedCreate(em, temporal, principal, existing, dossierId), created: false };
  }
  const def = await latestDefinitionForType(em, body.type);
  if (!def) {
    throw new DomainError('unprocessable', 'no-published-process', `No published process definition for product type "${body.type}"`);
  }
  const initial = statusOf(def, def.initialStatus);
  if (!initial) throw new Error(`definition ${def.key}@${def.version}: initial status ${def.initialStatus} unknown`);

  const productId = keyedProductId ?? newId();
  const workflowId = workflowIds.product(productId);
  const insert = em.transactional((tem) =>
    insertProduct(tem, {
      id: productId,
      officeId,
      dossierId,
      type: body.type,
      company: body.company?.trim() ?? null,
      processKey: def.key,
      processVersion: def.version,
      status: initial.code,
      category: initial.category,
      workflowId,
      parts: body.parts.map((part) => ({
        description: part.description.trim(),
        code: part.code ?? null,
        repaymentType: part.repaymentType ?? null,
        amountCents: part.amountCents ?? null,
      })),
      partsFollowProduct: true,
    }),
  );
  try {
    await insert;
  } catch (err) {
    // The same key at the same moment: the other attempt inserted the row first.
    const existing = keyedProductId && err instanceof UniqueConstraintViolationException ? await findProductRow(em.fork(), officeId, keyedProductId) : undefined;
    if (!existing) throw err;
    return { id: await repeatedCreate(em.fork(), temporal, principal, existing, dossierId), created: false };
  }

  const input: ProductWorkflowInput = { productId, dossierId, definition: def, startedBy: principal.credentialId };
  try {
    const { client, taskQueue } = temporal;
    await client.withDeadline(Date.now() + START_DEADLINE_MS, () =>
      client.workflow.start<typeof productWorkflow>('productWorkflow', {
        workflowId,
        taskQueue,
        args: [input],
        workflowIdConflictPolicy: 'USE_EXISTING',
      }),
    );
  } catch (err) {
    log.error({ err, productId }, 'starting the product workflow failed; removing the product again');
    await em.fork().transactional((tem) => deleteUnstartedProduct(tem, productId));
    throw temporalUnavailable('The product was not created', err);
  }
  return { id: productId, created: true };
}

export interface StepOutcome {
  product: ProductView;
}

/**
 * Takes a step: checks the step and its input against the product's definition, stores the
 * text inputs in `step_payloads`, then runs the `takeStep` Update (updateId = Idempotency-Key).
 * A refusal (validator, StepNotAllowed, InvalidStepInput) is a 409 and the payload is removed.
 */
export async function takeStep(
  em: EntityManager,
  temporal: TemporalDeps,
  principal: Principal,
  productId: string,
  stepId: string,
  rawInput: Record<string, boolean | string | number> | undefined,
  idempotencyKey: string | undefined,
): Promise<StepOutcome> {
  const p = await requireProduct(em, principal.officeId, productId);
  const def = await requireDefinitionOf(em, p);
  const step = def.steps.find((s) => s.id === stepId);
  if (!step) {
    const known = def.steps.map((s) => s.id).join(', ');
    throw new DomainError('not-found', 'unknown-step', `Process "${def.name}" (version ${def.version}) has no step "${stepId}"; steps: ${known}`);
  }

  // Split text inputs (to PostgreSQL) from the rest (to the workflow).
  const textFields = new Set((step.input ?? []).filter((f) => f.type === 'text').map((f) => f.name));
  const input: StepInputValues = {};
  const text: Record<string, string> = {};
  for (const [name, value] of Object.entries(rawInput ?? {})) {
    if (textFields.has(name)) {
      if (typeof value !== 'string') throw new DomainError('conflict', 'invalid-step-input', `Invoer "${name}" moet tekst zijn`);
      if (value.trim() !== '') text[name] = value;
    } else {
      input[name] = value;
    }
  }
  const hasPayload = Object.keys(text).length > 0;
  const inputProblems = validateStepInput(step, input, hasPayload);
  if (inputProblems.length > 0) throw new DomainError('conflict', 'invalid-step-input', inputProblems.join('; '));
  let payloadId: string | undefined;
  if (hasPayload) {
    // A repeated request (same Idempotency-Key) reuses the row of its first attempt, whose id the
    // workflow already holds, instead of storing the text a second time.
    payloadId = idempotencyKey ? keyedId('step-payload', productId, stepId, idempotencyKey) : newId();
    await insertStepPayload(em, { id: payloadId, productId, stepId, data: text });
  }
  const removePayload = async (): Promise<void> => {
    if (payloadId) await deleteStepPayload(em.fork(), payloadId);
  };

  const handle: WorkflowHandle = temporal.client.workflow.getHandle(p.workflow_id);
  let state: ProductState;
  try {
    state = await temporal.client.withDeadline(Date.now() + STEP_DEADLINE_MS, () =>
      handle.executeUpdate(takeStepUpdate, {
        args: [
          {
            stepId,
            actor: principal.credentialId,
            ...(Object.keys(input).length > 0 ? { input } : {}),
            ...(payloadId ? { payloadId } : {}),
          },
        ],
        ...(idempotencyKey ? { updateId: idempotencyKey } : {}),
      }),
    );
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) {
      await removePayload();
      const cause = err.cause;
      const reason = cause instanceof Error && cause.message ? cause.message : err.message;
      const type = cause instanceof ApplicationFailure ? cause.type : undefined;
      if (type === ProductFailure.StepNotAllowed || type === ProductFailure.InvalidStepInput || type === 'Error' || type == null) {
        throw new DomainError('conflict', type === ProductFailure.InvalidStepInput ? 'invalid-step-input' : 'step-not-allowed', reason);
      }
      throw new DomainError('unprocessable', 'step-failed', `Stap "${step.label}" is mislukt: ${reason}`, { failureType: type });
    }
    if (err instanceof WorkflowNotFoundError) {
      await removePayload();
      throw new DomainError('conflict', 'process-not-running', `The process of product ${productId} is not running`);
    }
    if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) {
      throw new DomainError('unavailable', 'step-outcome-unknown',
        'The process engine did not confirm the step in time; repeat the request with the same Idempotency-Key to get its outcome',
      );
    }
    throw temporalUnavailable('The step was not taken', err);
  }

  const view = await getProductView(em.fork(), principal.officeId, productId);
  if (!view) throw refuse.notFound('Product', productId);
  // The Update's answer is the authority on status and history (the read model follows it).
  return {
    product: {
      ...view,
      status: state.status,
      statusLabel: state.statusLabel,
      category: state.category,
      availableSteps: availableStepViews(def, state.status),
      history: state.history.map((h) => ({
        seq: h.seq,
        at: h.at,
        actor: h.actor,
        kind: h.kind,
        stepId: h.stepId ?? null,
        label: h.label,
        fromStatus: h.fromStatus,
        toStatus: h.toStatus,
      })),
    },
  };
}
