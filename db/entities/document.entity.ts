import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** A document in the dossier (e.g. the service agreement PDF), content stored as bytea. */
export const Document = defineEntity({
  name: 'Document',
  tableName: 'documents',
  properties: {
    id: p.uuid().primary(),
    key: p.text().unique(),
    officeId: p.uuid(),
    dossierId: p.uuid(),
    productId: p.uuid().nullable(),
    documentType: p.text(),
    filename: p.text(),
    contentType: p.text(),
    sizeBytes: p.integer(),
    /** sha256 hex of the content. */
    sha256: p.text(),
    /** Lazy: lists do not load the bytes; use `populate: ['content']` to read them. */
    content: p.blob().lazy(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type Document = InferEntity<typeof Document>;
