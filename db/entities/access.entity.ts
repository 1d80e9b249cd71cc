import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { allRoles } from '../../domain/roles.js';

/** An advice office (*advieskantoor*): the tenant every row belongs to. */
export const Office = defineEntity({
  name: 'Office',
  tableName: 'offices',
  properties: {
    id: p.uuid().primary(),
    name: p.text(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type Office = InferEntity<typeof Office>;

/** A bearer credential of a user role or an external party; only the sha256 of the token is kept. */
export const ApiCredential = defineEntity({
  name: 'ApiCredential',
  tableName: 'api_credentials',
  properties: {
    id: p.uuid().primary(),
    officeId: p.uuid(),
    name: p.text(),
    role: p.enum([...allRoles]),
    tokenHash: p.text().unique(),
    createdAt: p.datetime().onCreate(() => new Date()),
    revokedAt: p.datetime().nullable(),
  },
});
export type ApiCredential = InferEntity<typeof ApiCredential>;
