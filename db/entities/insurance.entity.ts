import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { insuranceEventKinds } from '../../domain/insurance/events.js';
import { riskMessageSources, riskMessageStates } from '../../domain/insurance/risk-messages.js';

/**
 * RISK bookkeeping (tables from Migration20261123030000_risk), written only by
 * services/insurance/store.ts. Reads and the concurrency-safe writes (`insert ... on conflict`,
 * row locks) go through raw SQL; the entities make the schema known to MikroORM. The closed
 * lists (event kinds, message sources and states) come from domain/insurance.
 */

export const RiskMessageRecord = defineEntity({
  name: 'RiskMessageRecord',
  tableName: 'risk_messages',
  properties: {
    id: p.uuid().primary(),
    officeId: p.uuid(),
    messageKey: p.text(),
    kind: p.enum([...insuranceEventKinds]),
    policyNumber: p.text(),
    version: p.integer(),
    eventAt: p.datetime(),
    summary: p.text(),
    rawXml: p.text().lazy(),
    /** What the RISK AFD mapping could not explain (Migration20261207040000_risk_afd). */
    notes: p.json<unknown[]>(),
    source: p.enum([...riskMessageSources]),
    state: p.enum([...riskMessageStates]),
    reason: p.text().nullable(),
    productId: p.uuid().nullable(),
    credentialId: p.uuid().nullable(),
    receivedAt: p.datetime().onCreate(() => new Date()),
    processedAt: p.datetime().nullable(),
  },
  uniques: [{ properties: ['officeId', 'messageKey'] }],
});
export type RiskMessageRecord = InferEntity<typeof RiskMessageRecord>;

export const InsurancePolicyRecord = defineEntity({
  name: 'InsurancePolicyRecord',
  tableName: 'insurance_policies',
  properties: {
    productId: p.uuid().primary(),
    officeId: p.uuid(),
    dossierId: p.uuid(),
    personId: p.uuid().nullable(),
    externalRef: p.text().nullable(),
    branch: p.text(),
    insurerCode: p.text().nullable(),
    startDate: p.date().nullable(),
    premiumCents: p.bigint('number').nullable(),
    paymentTermMonths: p.integer().nullable(),
    requestedCoverages: p.json<unknown[]>(),
    lastVersion: p.integer().nullable(),
    lastEventAt: p.datetime().nullable(),
    lastMessageId: p.uuid().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
  uniques: [{ properties: ['officeId', 'externalRef'] }],
});
export type InsurancePolicyRecord = InferEntity<typeof InsurancePolicyRecord>;

export const InsuranceHistoryRecord = defineEntity({
  name: 'InsuranceHistoryRecord',
  tableName: 'insurance_history',
  properties: {
    id: p.uuid().primary(),
    productId: p.uuid(),
    messageId: p.uuid().unique(),
    seq: p.integer(),
    kind: p.enum([...insuranceEventKinds]),
    version: p.integer(),
    eventAt: p.datetime(),
    premiumCents: p.bigint('number'),
    startDate: p.date().nullable(),
    coverages: p.json<unknown[]>(),
    fromStatus: p.text(),
    toStatus: p.text(),
    recordedAt: p.datetime().onCreate(() => new Date()),
  },
  uniques: [{ properties: ['productId', 'seq'] }],
});
export type InsuranceHistoryRecord = InferEntity<typeof InsuranceHistoryRecord>;

export const RiskRelationRecord = defineEntity({
  name: 'RiskRelationRecord',
  tableName: 'risk_relations',
  properties: {
    officeId: p.uuid().primary(),
    relationNumber: p.text().primary(),
    personId: p.uuid(),
  },
});
export type RiskRelationRecord = InferEntity<typeof RiskRelationRecord>;

export const RiskPollCursorRecord = defineEntity({
  name: 'RiskPollCursorRecord',
  tableName: 'risk_poll_cursors',
  properties: {
    officeId: p.uuid().primary(),
    cursor: p.text(),
    polledAt: p.datetime().onCreate(() => new Date()),
  },
});
export type RiskPollCursorRecord = InferEntity<typeof RiskPollCursorRecord>;

export const riskEntities = [RiskMessageRecord, InsurancePolicyRecord, InsuranceHistoryRecord, RiskRelationRecord, RiskPollCursorRecord];
