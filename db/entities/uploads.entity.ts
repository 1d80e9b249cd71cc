import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { uploadContentTypes, uploadStatuses } from '../../domain/uploads/uploads.js';

/** An uploaded file (tus), written only by services/uploads/store.ts. */
export const Upload = defineEntity({
  name: 'Upload',
  tableName: 'uploads',
  properties: {
    id: p.uuid().primary(),
    officeId: p.uuid(),
    /** The creating principal's credential (an api credential or a portal session). */
    credentialId: p.uuid(),
    filename: p.text(),
    /** Declared length (tus Upload-Length), at most 25 MB. */
    length: p.integer(),
    /** Bytes stored so far (the tus Upload-Offset): the sum of its chunks. */
    received: p.integer().default(0),
    /** Sniffed from the content; null until known. */
    contentType: p.enum([...uploadContentTypes]).nullable(),
    sha256: p.text().nullable(),
    status: p.enum([...uploadStatuses]).default('receiving'),
    /** The scanner's words (`stream: OK`, the signature found, or why it was not scanned). */
    scanResult: p.text().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    completedAt: p.datetime().nullable(),
    expiresAt: p.datetime(),
  },
});
export type Upload = InferEntity<typeof Upload>;

/** A part of an upload's bytes, keyed by the offset it starts at. */
export const UploadChunk = defineEntity({
  name: 'UploadChunk',
  tableName: 'upload_chunks',
  properties: {
    uploadId: p.uuid().primary(),
    offset: p.integer().primary(),
    data: p.blob(),
  },
});
export type UploadChunk = InferEntity<typeof UploadChunk>;
