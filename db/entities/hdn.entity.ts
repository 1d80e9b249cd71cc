import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { hdnMessageDirections, hdnMessageStates, hdnMessageTypes } from '../../domain/hdn/message-types.js';

/**
 * HDN bookkeeping (tables from Migration20261123000000_hdn). Most reads and the idempotent
 * writes (`insert ... on conflict do nothing`) go through raw SQL; the entities exist so the
 * schema is known to MikroORM and simple inserts can use `em.create`.
 *
 * The `hdn_node` column of `api_credentials` is read with SQL by the HDN inbound route only.
 * The closed lists (message types, directions, states) are defined in domain/hdn/message-types.ts;
 * services/hdn/store.ts is the one writer of these tables.
 */

/** A lender we can address over HDN (*maatschappij*), by its HDN receiver code. */
export const HdnLender = defineEntity({
  name: 'HdnLender',
  tableName: 'hdn_lenders',
  properties: {
    code: p.text().primary(),
    name: p.text(),
    nodeNumber: p.text(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type HdnLender = InferEntity<typeof HdnLender>;

/** Every HDN message in or out, stored before it is acknowledged, unique on its key. */
export const HdnMessageRecord = defineEntity({
  name: 'HdnMessageRecord',
  tableName: 'hdn_messages',
  properties: {
    id: p.uuid().primary(),
    officeId: p.uuid(),
    direction: p.enum([...hdnMessageDirections]),
    type: p.enum([...hdnMessageTypes]),
    messageKey: p.text().unique(),
    senderNode: p.text(),
    receiverNode: p.text(),
    applicationNumber: p.text(),
    applicationVersion: p.integer(),
    statusCode: p.text().nullable(),
    /** Codes of the message that are unknown or unverified in its HDN version (Migration20261208100000_hdn_message_codes). */
    codes: p.json<{ field: string; element: string; list: string; code: string; status: 'unknown' | 'unverified' }[]>().nullable(),
    /** Non-personal one-liner (hdnMessageSummary). */
    summary: p.text(),
    /** The message exactly as received or sent. May hold personal data (AX). */
    rawXml: p.text().lazy(),
    state: p.enum([...hdnMessageStates]),
    reason: p.text().nullable(),
    productId: p.uuid().nullable(),
    credentialId: p.uuid().nullable(),
    receivedAt: p.datetime().onCreate(() => new Date()),
    processedAt: p.datetime().nullable(),
  },
});
export type HdnMessageRecord = InferEntity<typeof HdnMessageRecord>;

/** The HDN application behind a mortgage product: one per (office, application number). */
export const HdnApplicationRecord = defineEntity({
  name: 'HdnApplicationRecord',
  tableName: 'hdn_applications',
  properties: {
    productId: p.uuid().primary(),
    officeId: p.uuid(),
    applicationNumber: p.text(),
    /** The newest AX version converted for this application. */
    applicationVersion: p.integer(),
    lenderCode: p.text(),
    /** The AX the product was made from. */
    sourceMessageId: p.uuid(),
  },
  uniques: [{ properties: ['officeId', 'applicationNumber'] }],
});
export type HdnApplicationRecord = InferEntity<typeof HdnApplicationRecord>;

/** A line of the lender's document checklist (from DA messages), one per (product, line id). */
export const HdnDocumentLineRecord = defineEntity({
  name: 'HdnDocumentLineRecord',
  tableName: 'hdn_document_lines',
  properties: {
    id: p.uuid().primary(),
    productId: p.uuid(),
    lineId: p.text(),
    documentKind: p.text(),
    description: p.text().nullable(),
    status: p.text(),
    applicantPosition: p.integer().nullable(),
    fetchedByLender: p.boolean().default(false),
    remark: p.text().nullable(),
    messageId: p.uuid(),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
  uniques: [{ properties: ['productId', 'lineId'] }],
});
export type HdnDocumentLineRecord = InferEntity<typeof HdnDocumentLineRecord>;
