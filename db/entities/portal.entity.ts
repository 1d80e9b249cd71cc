import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** A client-portal activation link; only the sha256 of the token is stored. */
export const PortalActivation = defineEntity({
  name: 'PortalActivation',
  tableName: 'portal_activations',
  properties: {
    id: p.uuid().primary(),
    /** `<workflow idempotency key>#<person id>`. */
    key: p.text().unique(),
    dossierId: p.uuid(),
    personId: p.uuid(),
    tokenHash: p.text().unique(),
    expiresAt: p.datetime(),
    activatedAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type PortalActivation = InferEntity<typeof PortalActivation>;
