/**
 * The closed lists and limits of an upload (a file sent in parts over tus, *bestand*): the
 * migration CHECKs of `uploads`, the entity (db/entities/uploads.entity.ts) and the API schemas
 * follow these.
 */

/** The largest file accepted: 25 MB (the seeds' limit for documents, portal and adviser alike). */
export const MAX_FILE_BYTES = 25 * 1024 * 1024;

/**
 * Where an upload is: bytes still arriving (`receiving`, also while all are in but the type or
 * scan is not yet done), `complete` (all in, type allowed, scanned clean or scanning not
 * configured), `infected` (the scanner found something: its bytes are deleted, the row says why).
 * A file of a type not allowed is removed entirely, so it has no status.
 */
export const uploadStatuses = ['receiving', 'complete', 'infected'] as const;
export type UploadStatus = (typeof uploadStatuses)[number];

/** The file types accepted, as sniffed from the content (never as declared by the client). */
export const uploadContentTypes = [
  'application/pdf',
  'image/jpeg',
  'image/png',
  'image/heic',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
] as const;
export type UploadContentType = (typeof uploadContentTypes)[number];

export function isUploadContentType(value: string): value is UploadContentType {
  return (uploadContentTypes as readonly string[]).includes(value);
}

/** How long an upload that is not completed is kept (a slow client resumes within this). */
export const UPLOAD_EXPIRY_HOURS = 24;
