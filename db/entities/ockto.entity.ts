import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import {
  callbackOutcomes,
  ocktoCollectStatuses,
  ocktoRetrievalStatuses,
  riskClassSources,
  sourceDataVia,
  type OcktoRetrievalStatus,
} from '../../domain/ockto/retrieval.js';
import { riskClasses, type RiskAnswers, type RiskReasonCode } from '../../domain/ockto/risk-class.js';

/**
 * Ockto retrievals and the risk classification (tables from Migration20261123040000_ockto).
 * Reads and the idempotent writes go through raw SQL (services/ockto/store.ts); the entities
 * make the schema known to MikroORM. The closed lists come from domain/ockto.
 */
export { ocktoRetrievalStatuses, riskClassSources, type OcktoRetrievalStatus };

export const OcktoRetrieval = defineEntity({
  name: 'OcktoRetrieval',
  tableName: 'ockto_retrievals',
  properties: {
    id: p.uuid().primary(),
    officeId: p.uuid(),
    personId: p.uuid(),
    dossierId: p.uuid().nullable(),
    status: p.enum([...ocktoRetrievalStatuses]).default('starting'),
    statusReason: p.text().nullable(),
    scenario: p.text().nullable(),
    sessionId: p.text().nullable().unique(),
    sessionUrl: p.text().nullable(),
    sessionQr: p.text().nullable(),
    reminderAfterSeconds: p.integer().nullable(),
    expireAfterSeconds: p.integer().nullable(),
    pollIntervalSeconds: p.integer().nullable(),
    retentionSeconds: p.integer().nullable(),
    answers: p.json<RiskAnswers>().nullable(),
    derivedClass: p.enum([...riskClasses]).nullable(),
    derivedReasons: p.json<RiskReasonCode[]>().nullable(),
    currentClass: p.enum([...riskClasses]).nullable(),
    requestedBy: p.uuid(),
    reminderSentAt: p.datetime().nullable(),
    reminderNote: p.text().nullable(),
    sharedAt: p.datetime().nullable(),
    endedAt: p.datetime().nullable(),
    sourceDeletedAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type OcktoRetrieval = InferEntity<typeof OcktoRetrieval>;

/** Raw source data; `data` is null once the retention ended (`deletedAt`). */
export const OcktoSourceDataRecord = defineEntity({
  name: 'OcktoSourceDataRecord',
  tableName: 'ockto_source_data',
  properties: {
    retrievalId: p.uuid().primary(),
    data: p.json<Record<string, unknown>>().nullable(),
    missing: p.json<string[]>(),
    receivedVia: p.enum([...sourceDataVia]),
    receivedAt: p.datetime().onCreate(() => new Date()),
    deletedAt: p.datetime().nullable(),
  },
});
export type OcktoSourceDataRecord = InferEntity<typeof OcktoSourceDataRecord>;

export const OcktoCallbackRecord = defineEntity({
  name: 'OcktoCallbackRecord',
  tableName: 'ockto_callbacks',
  properties: {
    id: p.uuid().primary(),
    eventId: p.text().unique(),
    officeId: p.uuid().nullable(),
    retrievalId: p.uuid().nullable(),
    sessionId: p.text(),
    /** Ockto's session status as reported. */
    status: p.enum([...ocktoCollectStatuses]),
    outcome: p.enum([...callbackOutcomes]),
    receivedAt: p.datetime().onCreate(() => new Date()),
  },
});
export type OcktoCallbackRecord = InferEntity<typeof OcktoCallbackRecord>;

export const RiskClassHistory = defineEntity({
  name: 'RiskClassHistory',
  tableName: 'risk_class_history',
  properties: {
    id: p.uuid().primary(),
    key: p.text().nullable().unique(),
    officeId: p.uuid(),
    personId: p.uuid(),
    retrievalId: p.uuid().nullable(),
    fromClass: p.enum([...riskClasses]).nullable(),
    toClass: p.enum([...riskClasses]),
    motivation: p.text().nullable(),
    source: p.enum([...riskClassSources]),
    actor: p.text(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type RiskClassHistory = InferEntity<typeof RiskClassHistory>;

export const ocktoEntities = [OcktoRetrieval, OcktoSourceDataRecord, OcktoCallbackRecord, RiskClassHistory];
