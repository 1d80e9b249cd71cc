/**
 * What other features use of an upload (the checklist, the portal, DX to the lender): a completed
 * file's facts and its bytes. The upload itself (tus) is services/uploads/receive.ts.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { refuse } from '../../domain/errors.js';
import type { Principal } from '../../domain/roles.js';
import { MAX_FILE_BYTES, type UploadContentType } from '../../domain/uploads/uploads.js';
import { chunkAt, chunkIndex, uploadInOffice, type UploadRow } from './store.js';

export { MAX_FILE_BYTES };

export interface CompletedUpload {
  id: string;
  officeId: string;
  filename: string;
  /** Sniffed from the content: application/pdf, image/jpeg, image/png, image/heic or DOCX. */
  contentType: UploadContentType;
  sizeBytes: number;
  sha256: string;
  completedAt: Date;
}

function completed(row: UploadRow | undefined, uploadId: string): CompletedUpload {
  if (!row) throw refuse.notFound('Upload', uploadId);
  if (row.status === 'infected') {
    throw refuse.conflict('upload-infected', `Upload ${uploadId} was refused by the virus scan (${row.scan_result ?? 'found'}); its bytes are deleted`);
  }
  if (row.status !== 'complete' || row.content_type === null || row.sha256 === null || row.completed_at === null) {
    throw refuse.conflict('upload-not-complete', `Upload ${uploadId} is not complete: ${row.received} of ${row.length} bytes received`, {
      received: row.received,
      length: row.length,
    });
  }
  return {
    id: row.id,
    officeId: row.office_id,
    filename: row.filename,
    contentType: row.content_type,
    sizeBytes: row.length,
    sha256: row.sha256,
    completedAt: new Date(row.completed_at),
  };
}

/**
 * A completed (all bytes in, type sniffed, scanned clean or scanning not configured) upload
 * created by this same principal (same office AND credential: for a portal session, the
 * session); not-found otherwise, conflict `upload-not-complete` while bytes are missing.
 */
export async function completedUploadOf(em: EntityManager, principal: Principal, uploadId: string): Promise<CompletedUpload> {
  const row = await uploadInOffice(em, principal.officeId, uploadId);
  return completed(row && row.credential_id === principal.credentialId ? row : undefined, uploadId);
}

/** The same without the creator check (the office's own later use: DX, the adviser downloading), scoped to the office. */
export async function completedUploadInOffice(em: EntityManager, officeId: string, uploadId: string): Promise<CompletedUpload> {
  return completed(await uploadInOffice(em, officeId, uploadId), uploadId);
}

/** Its bytes, chunk by chunk from PostgreSQL (one chunk in memory at a time, never the whole file). */
export async function* readUploadChunks(em: EntityManager, uploadId: string): AsyncIterable<Buffer> {
  for (const { offset } of await chunkIndex(em, uploadId)) {
    const data = await chunkAt(em, uploadId, offset);
    if (data) yield data;
  }
}

/** The whole file in memory: only for paths that need it whole (a DX message carries it base64). */
export async function uploadBytes(em: EntityManager, uploadId: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of readUploadChunks(em, uploadId)) parts.push(part);
  return Buffer.concat(parts);
}
