import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

import { mailStatuses, type MailStatus } from '../../domain/work/items.js';

export { mailStatuses, type MailStatus };

/**
 * The mail outbox: one row per (idempotency key, recipient), inserted as pending before
 * sending, marked sent after the SMTP peer accepted it.
 */
export const Mail = defineEntity({
  name: 'Mail',
  tableName: 'mails',
  properties: {
    id: p.uuid().primary(),
    /** `<workflow idempotency key>#<recipient person id or address>`. */
    key: p.text().unique(),
    dossierId: p.uuid(),
    productId: p.uuid().nullable(),
    template: p.text(),
    toAddress: p.text(),
    subject: p.text(),
    bodyText: p.text(),
    status: p.enum([...mailStatuses]).default('pending'),
    /** Deterministic Message-ID, derived from the key. */
    messageId: p.text(),
    attempts: p.integer().default(0),
    lastError: p.text().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    sentAt: p.datetime().nullable(),
  },
});
export type Mail = InferEntity<typeof Mail>;
