import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

import { dossierStatuses, type DossierStatus } from '../../domain/dossiers/status.js';

export { dossierStatuses, type DossierStatus };

/** A client dossier (*klantdossier*) of one household. */
export const Dossier = defineEntity({
  name: 'Dossier',
  tableName: 'dossiers',
  properties: {
    id: p.uuid().primary(),
    officeId: p.uuid(),
    /** "2026-000123", unique per office (see services/dossiers/numbers.ts). */
    number: p.text(),
    status: p.enum([...dossierStatuses]),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
  uniques: [{ properties: ['officeId', 'number'] }],
});
export type Dossier = InferEntity<typeof Dossier>;

/** An applicant (*aanvrager*) of a dossier: position 1 or 2. */
export const DossierApplicant = defineEntity({
  name: 'DossierApplicant',
  tableName: 'dossier_applicants',
  properties: {
    dossierId: p.uuid().primary(),
    position: p.integer().primary(),
    personId: p.uuid(),
  },
  primaryKeys: ['dossierId', 'position'],
});
export type DossierApplicant = InferEntity<typeof DossierApplicant>;

/** Dossier history: status changes with actor and time. */
export const DossierEvent = defineEntity({
  name: 'DossierEvent',
  tableName: 'dossier_events',
  properties: {
    id: p.uuid().primary(),
    dossierId: p.uuid(),
    /** Idempotency key of the change (null for changes made directly through the API). */
    key: p.text().unique().nullable(),
    at: p.datetime(),
    actor: p.text(),
    kind: p.text(),
    fromStatus: p.text().nullable(),
    toStatus: p.text(),
  },
});
export type DossierEvent = InferEntity<typeof DossierEvent>;

/** Counter row per office and year for dossier numbers (not gapless). */
export const DossierCounter = defineEntity({
  name: 'DossierCounter',
  tableName: 'dossier_counters',
  properties: {
    officeId: p.uuid().primary(),
    year: p.integer().primary(),
    last: p.integer(),
  },
  primaryKeys: ['officeId', 'year'],
});
export type DossierCounter = InferEntity<typeof DossierCounter>;
