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

/** A client's portal session (*portaalsessie*): a short-lived bearer credential opened with an activation link. */
export const PortalSession = defineEntity({
  name: 'PortalSession',
  tableName: 'portal_sessions',
  properties: {
    id: p.uuid().primary(),
    tokenHash: p.text().unique(),
    activationId: p.uuid(),
    officeId: p.uuid(),
    dossierId: p.uuid(),
    personId: p.uuid(),
    expiresAt: p.datetime(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type PortalSession = InferEntity<typeof PortalSession>;
