import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { statusCategories } from '../../domain/process/definition.js';
import { historyKinds } from '../../domain/products/history.js';

export { statusCategories };

/** A product (service, mortgage, insurance) driven by the workflow `product:<id>`. */
export const Product = defineEntity({
  name: 'Product',
  tableName: 'products',
  properties: {
    id: p.uuid().primary(),
    officeId: p.uuid(),
    dossierId: p.uuid(),
    type: p.text(),
    company: p.text().nullable(),
    processKey: p.text(),
    processVersion: p.integer(),
    status: p.text(),
    category: p.enum([...statusCategories]),
    workflowId: p.text().unique(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type Product = InferEntity<typeof Product>;

/** A part of a product (*rechterdeel*): loan part, coverage. */
export const ProductPart = defineEntity({
  name: 'ProductPart',
  tableName: 'product_parts',
  properties: {
    id: p.uuid().primary(),
    productId: p.uuid(),
    number: p.integer(),
    description: p.text(),
    status: p.text(),
    category: p.enum([...statusCategories]),
    /** The part's status follows the product's status on every transition. */
    followsProduct: p.boolean().default(true),
    /** An insurance coverage's code (RISK, the quote request). */
    code: p.text().nullable(),
    /** A mortgage loan part's *aflossingsvorm* (domain/selections/query.ts repaymentTypes). */
    repaymentType: p.text().nullable(),
    /** A mortgage loan part's amount in cents. */
    amountCents: p.bigint('number').nullable(),
  },
  uniques: [{ properties: ['productId', 'number'] }],
});
export type ProductPart = InferEntity<typeof ProductPart>;

/** The product history, kept current by the workflow through recordTransition. */
export const ProductHistory = defineEntity({
  name: 'ProductHistory',
  tableName: 'product_history',
  properties: {
    id: p.uuid().primary(),
    productId: p.uuid(),
    key: p.text().unique(),
    seq: p.integer(),
    at: p.datetime(),
    actor: p.text(),
    kind: p.enum([...historyKinds]),
    stepId: p.text().nullable(),
    label: p.text(),
    fromStatus: p.text(),
    toStatus: p.text(),
  },
  uniques: [{ properties: ['productId', 'seq'] }],
});
export type ProductHistory = InferEntity<typeof ProductHistory>;

/** Free-text step inputs (may be personal): stored here, the workflow sees only the id. */
export const StepPayload = defineEntity({
  name: 'StepPayload',
  tableName: 'step_payloads',
  properties: {
    id: p.uuid().primary(),
    productId: p.uuid(),
    stepId: p.text(),
    data: p.json<Record<string, unknown>>(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type StepPayload = InferEntity<typeof StepPayload>;
