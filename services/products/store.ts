/**
 * The one writer of the product tables: `products` (the product card), `product_parts`
 * (*rechterdelen*: loan parts, coverages), `product_history` (one row per workflow event) and
 * `step_payloads` (the free-text inputs of a step, kept out of Temporal). Every function runs on
 * the EntityManager it is given, so callers decide the transaction.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { Product, ProductHistory, ProductPart } from '../../db/entities/index.js';
import type { StatusCategory } from '../../domain/process/definition.js';
import type { RepaymentType } from '../../domain/selections/query.js';
import type { RecordTransitionInput } from '../../domain/products/side-effects.js';
import { newId } from '../../db/ids.js';
import { notifyProductChanged } from '../live/notify.js';
import { one } from '../../db/sql.js';
import { inList, scrubRows, type DossierScope } from '../privacy/scrub-rows.js';

export const ownedTables = ['products', 'product_parts', 'product_history', 'step_payloads'] as const;

export type { Product as ProductRecord, ProductPart as ProductPartRecord, ProductHistory as ProductHistoryRecord };

export interface NewProduct {
  id: string;
  officeId: string;
  dossierId: string;
  type: string;
  company: string | null;
  processKey: string;
  processVersion: number;
  /** The initial status of the process and its category. */
  status: string;
  category: StatusCategory;
  workflowId: string;
  /** The parts, numbered 1..n in this order: a description, or a description with its facts. */
  parts: readonly (string | NewPart)[];
  /**
   * Parts that follow the product's status (a mortgage's loan parts, a service's parts), or
   * keep their own (an insurance's coverages, set from RISK's events).
   */
  partsFollowProduct: boolean;
}

/**
 * A part with the facts the query manager filters on: a coverage's code, a loan part's
 * repayment type (*aflossingsvorm*) and amount.
 */
export interface NewPart {
  description: string;
  code?: string | null;
  repaymentType?: RepaymentType | null;
  amountCents?: number | null;
}

/** The product with its parts, in the caller's transaction. */
export async function insertProduct(tem: EntityManager, p: NewProduct): Promise<void> {
  const now = new Date();
  tem.create(Product, {
    id: p.id,
    officeId: p.officeId,
    dossierId: p.dossierId,
    type: p.type,
    company: p.company,
    processKey: p.processKey,
    processVersion: p.processVersion,
    status: p.status,
    category: p.category,
    workflowId: p.workflowId,
    createdAt: now,
    updatedAt: now,
  });
  // Foreign keys are scalar columns (no ORM relations), so flush the parent first.
  await tem.flush();
  p.parts.forEach((part, i) => {
    const facts: NewPart = typeof part === 'string' ? { description: part } : part;
    tem.create(ProductPart, {
      id: newId(),
      productId: p.id,
      number: i + 1,
      description: facts.description,
      status: p.status,
      category: p.category,
      followsProduct: p.partsFollowProduct,
      code: facts.code ?? null,
      repaymentType: facts.repaymentType ?? null,
      amountCents: facts.amountCents ?? null,
    });
  });
  await tem.flush();
}

/** Removes a product that never started (its workflow could not be started), with its parts. */
export async function deleteUnstartedProduct(tem: EntityManager, productId: string): Promise<void> {
  await tem.execute('delete from product_parts where product_id = ?', [productId]);
  await tem.execute('delete from products where id = ?', [productId]);
}

/**
 * Locks the product row for a transaction that records its history; false when it is gone.
 * `for no key update`: it serialises the history writers of one product, yet lets others point
 * rows at the product meanwhile (their foreign-key check takes `for key share`). `for update`
 * would block those, and deadlock with the API moving a lender message of this product (it holds
 * the message row, waits for the product) while the batch recording holds the product and waits
 * for that message row.
 */
export async function lockProductForHistory(tem: EntityManager, productId: string): Promise<boolean> {
  const product = await tem.execute<{ id: string }[]>('select id from products where id = ? for no key update', [productId]);
  return product.length > 0;
}

/**
 * One history entry, inside a transaction that holds the product lock: inserted once per key;
 * when inserted now, the product (and its parts that follow it) take its status unless a later
 * entry exists already.
 */
export async function insertHistoryEntry(tem: EntityManager, input: RecordTransitionInput): Promise<void> {
  const inserted = (await tem
    .createQueryBuilder(ProductHistory)
    .insert({
      id: newId(),
      productId: input.productId,
      key: input.key,
      seq: input.seq,
      at: new Date(input.at),
      actor: input.actor,
      kind: input.kind,
      stepId: input.stepId ?? null,
      label: input.label,
      fromStatus: input.fromStatus,
      toStatus: input.toStatus,
    })
    .onConflict(['key'] as never)
    .ignore()
    .execute('run')) as { affectedRows?: number };
  if (!inserted.affectedRows) return; // recorded before: the status update was committed with it
  if (input.process) {
    await tem.execute('update products set process_key = ?, process_version = ?, updated_at = now() where id = ?', [
      input.process.key,
      input.process.version,
      input.productId,
    ]);
  }
  // Only the newest history entry decides the product's current status.
  await tem.execute(
    `update products set status = ?, category = ?, updated_at = now()
      where id = ? and not exists (select 1 from product_history h where h.product_id = ? and h.seq > ?)`,
    [input.toStatus, input.toCategory, input.productId, input.productId, input.seq],
  );
  await tem.execute(
    `update product_parts set status = ?, category = ?
      where product_id = ? and follows_product
        and not exists (select 1 from product_history h where h.product_id = ? and h.seq > ?)`,
    [input.toStatus, input.toCategory, input.productId, input.productId, input.seq],
  );
  // In the history's transaction: the stream hears of the step only when it is committed.
  await notifyProductChanged(tem, input.productId);
}

/** The product's status and company as an external party (RISK) reports them. */
export async function setProductStatus(
  em: EntityManager,
  productId: string,
  s: { status: string; category: StatusCategory; company?: string | null },
): Promise<void> {
  if (s.company !== undefined) {
    await em.execute('update products set status = ?, category = ?, company = ?, updated_at = now() where id = ?', [s.status, s.category, s.company, productId]);
  } else {
    await em.execute('update products set status = ?, category = ?, updated_at = now() where id = ?', [s.status, s.category, productId]);
  }
  await notifyProductChanged(em, productId);
}

/** The wanted parts of a product whose parts carry a code in their description ("Casco (CASCO)"). */
export interface PlannedPart {
  code: string;
  description: string;
}

/**
 * Makes the product's parts follow a list of coded parts (an insurance's coverages): present
 * ones take the new description and status, dropped ones end (kept for the record), new ones are
 * appended with the next numbers.
 */
export async function syncCodedParts(
  em: EntityManager,
  productId: string,
  plan: readonly PlannedPart[],
  status: { status: string; category: StatusCategory },
  ended: { status: string; category: StatusCategory },
): Promise<void> {
  const existing = (await em.execute('select id, number, description from product_parts where product_id = ? order by number', [productId], 'all')) as {
    id: string;
    number: number;
    description: string;
  }[];
  const codeOf = (description: string) => /\(([^()]+)\)$/.exec(description)?.[1];
  const wanted = new Map(plan.map((p) => [p.code, p]));
  let nextNumber = existing.reduce((max, p) => Math.max(max, Number(p.number)), 0) + 1;
  for (const part of existing) {
    const code = codeOf(part.description);
    const planned = code !== undefined ? wanted.get(code) : undefined;
    if (planned) {
      await em.execute('update product_parts set description = ?, code = ?, status = ?, category = ? where id = ?', [
        planned.description,
        planned.code,
        status.status,
        status.category,
        part.id,
      ]);
      wanted.delete(planned.code);
    } else {
      await em.execute('update product_parts set status = ?, category = ? where id = ?', [ended.status, ended.category, part.id]);
    }
  }
  for (const planned of wanted.values()) {
    await em.execute(
      'insert into product_parts (id, product_id, number, description, code, status, category, follows_product) values (?, ?, ?, ?, ?, ?, ?, false)',
      [newId(), productId, nextNumber, planned.description, planned.code, status.status, status.category],
    );
    nextNumber += 1;
  }
}

/** Stores the free-text inputs of a step under `id` (a repeat with the same id keeps the first). */
export async function insertStepPayload(em: EntityManager, p: { id: string; productId: string; stepId: string; data: Record<string, string> }): Promise<void> {
  await em.execute('insert into step_payloads (id, product_id, step_id, data, created_at) values (?, ?, ?, ?::jsonb, now()) on conflict (id) do nothing', [
    p.id,
    p.productId,
    p.stepId,
    JSON.stringify(p.data),
  ]);
}

/** Removes a step payload whose step was refused. */
export async function deleteStepPayload(em: EntityManager, id: string): Promise<void> {
  await em.execute('delete from step_payloads where id = ?', [id]);
}

/** A step payload of the product (null when absent or of another product). */
export async function stepPayloadOf(em: EntityManager, payloadId: string, productId: string): Promise<{ data: Record<string, unknown>; createdAt: Date } | null> {
  const row = await one<{ data: Record<string, unknown>; created_at: Date }>(em, 'select data, created_at from step_payloads where id = ? and product_id = ?', [payloadId, productId]);
  return row ? { data: row.data, createdAt: new Date(row.created_at) } : null;
}

// ------------------------------------------------------------------ anonymisation (GDPR, services/privacy/anonymise.ts)

const productsOf = (dossiers: { sql: string }): string => `select id from products where dossier_id in ${dossiers.sql}`;

/** Free text entered in steps: redacted whole for products of a dossier that is only theirs, their identifiers replaced in a shared one. */
export async function anonymiseStepPayloads(tem: EntityManager, scope: DossierScope, needles: string[]): Promise<number> {
  const sole = inList(scope.sole);
  const shared = inList(scope.shared);
  const data = [{ name: 'data', kind: 'jsonb' as const }];
  return (
    (await scrubRows(tem, 'step_payloads', 'id', data, { sql: `product_id in (${productsOf(sole)})`, params: sole.params }, [], 'redact')) +
    (await scrubRows(tem, 'step_payloads', 'id', data, { sql: `product_id in (${productsOf(shared)})`, params: shared.params }, needles))
  );
}

/** Part descriptions of their dossiers' products: their identifiers replaced. */
export async function anonymiseProductParts(tem: EntityManager, scope: DossierScope, needles: string[]): Promise<number> {
  const all = inList(scope.all);
  return scrubRows(tem, 'product_parts', 'id', [{ name: 'description', kind: 'text', notNull: true }], { sql: `product_id in (${productsOf(all)})`, params: all.params }, needles);
}
