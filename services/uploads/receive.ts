/**
 * Receiving an upload in parts (the tus protocol's logic, free of HTTP): create with a declared
 * length, append bytes at the offset the client names, as they stream in (flushed to PostgreSQL
 * every FLUSH_BYTES, so memory per upload stays bounded and a connection cut mid-way keeps what
 * arrived: the client asks the offset and continues), sniff the type as soon as enough arrived,
 * and at the last byte: the type over the whole file, its sha256, the virus scan, complete.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError, refuse } from '../../domain/errors.js';
import type { Principal } from '../../domain/roles.js';
import { MAX_FILE_BYTES, UPLOAD_EXPIRY_HOURS, uploadContentTypes, type UploadContentType } from '../../domain/uploads/uploads.js';
import { newId } from '../../db/ids.js';
import { ClamdError, type ScanVerdict } from '../../integrations/clamd/client.js';
import { readUploadChunks } from './files.js';
import { SNIFF_BYTES, sniffHead, sniffWhole, type Sniffed } from './sniff.js';
import { appendChunk, deleteExpiredUploads, deleteUpload, headBytes, insertUpload, markComplete, markInfected, setContentType, sha256Of, uploadInOffice, type UploadRow } from './store.js';

/** Bytes gathered before they are written as one chunk. */
export const FLUSH_BYTES = 512 * 1024;

export interface UploadDeps {
  /** The virus scanner (clamd over INSTREAM); absent: not scanned, and `log` says so once per upload. */
  scan?: (source: AsyncIterable<Buffer>) => Promise<ScanVerdict>;
  log: (message: string, facts: Record<string, unknown>) => void;
  /** Chunk size (tests use a small one); default FLUSH_BYTES. */
  flushBytes?: number;
}

export interface UploadState {
  id: string;
  length: number;
  offset: number;
  status: UploadRow['status'];
  contentType: UploadContentType | null;
  /** True when the request body ended early (the connection was cut): `offset` is what was kept. */
  interrupted?: boolean;
}

function stateOf(row: UploadRow): UploadState {
  return { id: row.id, length: row.length, offset: row.received, status: row.status, contentType: row.content_type };
}

/** A filename safe to store and show: no path, no control characters, bounded. */
export function safeUploadFilename(raw: string | undefined): string {
  const base = (raw ?? '').split(/[\\/]/).pop() ?? '';
  const cleaned = [...base]
    .map((ch) => (ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f || '<>:"|?*'.includes(ch) ? '_' : ch))
    .join('')
    .trim()
    .slice(0, 200);
  return cleaned === '' || cleaned.startsWith('.') ? 'bestand' : cleaned;
}

export function tooLarge(length: number): DomainError {
  return refuse.tooLarge('upload-too-large', `A file may be at most ${MAX_FILE_BYTES} bytes (25 MB); this one has ${length}`, { maxBytes: MAX_FILE_BYTES });
}

/** tus creation: a new upload of `length` bytes; over 25 MB is refused before anything is stored. */
export async function createUpload(em: EntityManager, principal: Principal, input: { length: number; filename?: string }, now = new Date()): Promise<UploadState> {
  if (!Number.isSafeInteger(input.length) || input.length < 0) throw refuse.invalidField('/headers/upload-length', 'must be a whole number of bytes');
  if (input.length > MAX_FILE_BYTES) throw tooLarge(input.length);
  await deleteExpiredUploads(em, now);
  const id = newId();
  await insertUpload(em, {
    id,
    officeId: principal.officeId,
    credentialId: principal.credentialId,
    filename: safeUploadFilename(input.filename),
    length: input.length,
    expiresAt: new Date(now.getTime() + UPLOAD_EXPIRY_HOURS * 3_600_000),
  });
  return { id, length: input.length, offset: 0, status: 'receiving', contentType: null };
}

/** The upload of this principal (same office and credential); not found for anyone else. */
async function ownUpload(em: EntityManager, principal: Principal, id: string, now = new Date()): Promise<UploadRow> {
  const row = await uploadInOffice(em, principal.officeId, id);
  if (!row || row.credential_id !== principal.credentialId) throw refuse.notFound('Upload', id);
  if (row.status === 'receiving' && new Date(row.expires_at) < now) {
    await deleteUpload(em, id);
    throw refuse.notFoundAs('upload-expired', `Upload ${id} was not completed in time and is removed; start it again`);
  }
  return row;
}

/** tus HEAD: where the upload is. */
export async function uploadStateOf(em: EntityManager, principal: Principal, id: string): Promise<UploadState> {
  const row = await ownUpload(em, principal, id);
  if (row.status === 'infected') throw infected(id, row.scan_result ?? '');
  return stateOf(row);
}

/** tus termination: the upload and its bytes are removed. */
export async function terminateUpload(em: EntityManager, principal: Principal, id: string): Promise<void> {
  await ownUpload(em, principal, id);
  await deleteUpload(em, id);
}

function infected(id: string, answer: string): DomainError {
  return refuse.unprocessable('upload-infected', `The virus scan refused upload ${id} (${answer}); its bytes are deleted`, { scanResult: answer });
}

function typeRefused(detected: string): DomainError {
  return refuse.unsupportedType(
    'upload-type-not-allowed',
    `Files of type ${detected} are not accepted (by their content); send PDF, JPEG, PNG, HEIC or DOCX`,
    { detected, allowed: [...uploadContentTypes] },
  );
}

/** Refuses and removes an upload whose content is of a type not allowed. */
async function applySniffed(em: EntityManager, id: string, sniffed: Sniffed): Promise<UploadContentType | null> {
  if (sniffed.kind === 'refused') {
    await deleteUpload(em, id);
    throw typeRefused(sniffed.detected);
  }
  if (sniffed.kind === 'allowed') {
    await setContentType(em, id, sniffed.contentType);
    return sniffed.contentType;
  }
  return null;
}

/**
 * tus PATCH: appends the body at `offset` as it streams in. Refusals: another offset than the
 * stored one (409, the stored one in `offset`), bytes past the declared length (413, before
 * reading when Content-Length says so, else at the first byte too many), a type not allowed
 * (415, the upload removed), infected (422, bytes deleted), scanner unavailable (503: all bytes
 * are kept; an empty PATCH at the last offset tries again).
 */
export async function receiveBytes(
  em: EntityManager,
  deps: UploadDeps,
  principal: Principal,
  id: string,
  offset: number,
  body: AsyncIterable<Buffer>,
  contentLength?: number,
): Promise<UploadState> {
  const row = await ownUpload(em, principal, id);
  if (row.status !== 'receiving') {
    if (row.status === 'infected') throw infected(id, row.scan_result ?? '');
    throw refuse.conflict('upload-complete', `Upload ${id} is complete; nothing more is accepted`, { offset: row.received });
  }
  if (offset !== row.received) {
    throw refuse.conflict('upload-offset-mismatch', `Upload-Offset ${offset} is not the stored offset ${row.received}; ask it with HEAD and continue from there`, {
      offset: row.received,
    });
  }
  if (contentLength !== undefined && offset + contentLength > row.length) {
    throw refuse.tooLarge('beyond-upload-length', `${contentLength} bytes at offset ${offset} pass the declared length ${row.length}`, { offset: row.received, length: row.length });
  }
  const flushBytes = deps.flushBytes ?? FLUSH_BYTES;
  let at = offset;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const flush = async () => {
    if (pendingBytes === 0) return;
    const data = pending.length === 1 ? pending[0]! : Buffer.concat(pending);
    pending = [];
    pendingBytes = 0;
    const moved = await appendChunk(em, id, at, data);
    if (moved === undefined) throw refuse.conflict('upload-offset-mismatch', `Upload ${id} moved on meanwhile (another request appended or it was removed)`);
    at = moved;
  };
  let interrupted = false;
  try {
    for await (const piece of body) {
      if (at + pendingBytes + piece.length > row.length) {
        throw refuse.tooLarge('beyond-upload-length', `The body passes the declared length ${row.length}; bytes up to offset ${at} are kept`, { offset: at, length: row.length });
      }
      pending.push(piece);
      pendingBytes += piece.length;
      // Awaiting here pauses the body stream (for-await backpressure): memory stays at about one chunk.
      if (pendingBytes >= flushBytes) await flush();
    }
  } catch (err) {
    if (!isConnectionCut(err)) throw err;
    // The connection was cut mid-body: keep what arrived, so the client can resume from there.
    interrupted = true;
  }
  await flush();
  const state: UploadState = { ...stateOf(row), offset: at };
  if (interrupted) {
    deps.log('upload interrupted; the bytes received are kept for a resume', { uploadId: id, offset: at, length: row.length });
    return { ...state, interrupted: true };
  }

  let contentType = row.content_type;
  if (contentType === null && (at >= SNIFF_BYTES || at === row.length) && at > 0) {
    contentType = await applySniffed(em, id, await sniffHead(await headBytes(em, id, 64 * 1024)));
  }
  if (at < row.length) return { ...state, contentType };
  return finish(em, deps, { ...row, received: at, content_type: contentType });
}

/** The request body ended because the client's connection went away (Node: `aborted`, ECONNRESET). */
function isConnectionCut(err: unknown): boolean {
  if (err instanceof DomainError || !(err instanceof Error)) return false;
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ECONNRESET' || code === 'ECONNABORTED' || code === 'ERR_STREAM_PREMATURE_CLOSE' || err.message === 'aborted';
}

/** All bytes are in: the type over the whole file, the sha256, the virus scan, complete. */
async function finish(em: EntityManager, deps: UploadDeps, row: UploadRow): Promise<UploadState> {
  const id = row.id;
  let contentType = row.content_type;
  if (contentType === null) contentType = await applySniffed(em, id, await sniffWhole(readUploadChunks(em, id)));
  if (contentType === null) {
    await deleteUpload(em, id);
    throw typeRefused('unknown');
  }
  const sha256 = await sha256Of(em, id);

  let scanResult: string;
  if (deps.scan) {
    let verdict: ScanVerdict;
    try {
      verdict = await deps.scan(readUploadChunks(em, id));
    } catch (err) {
      if (!(err instanceof ClamdError)) throw err;
      deps.log('upload not scanned: the virus scanner gave no verdict', { uploadId: id, reason: err.message });
      throw refuse.unavailable('scan-unavailable', `The virus scan of upload ${id} failed (${err.message}); all bytes are kept: try again with an empty PATCH at offset ${row.length}`);
    }
    if (verdict.verdict === 'infected') {
      await markInfected(em, id, verdict.answer);
      deps.log('upload infected: bytes deleted', { uploadId: id, signature: verdict.signature });
      throw infected(id, verdict.answer);
    }
    scanResult = verdict.answer;
  } else {
    deps.log('upload not scanned: no virus scanner configured (CLAMD_ADDRESS)', { uploadId: id });
    scanResult = 'not scanned: no scanner configured';
  }
  if (!(await markComplete(em, id, { sha256, contentType, scanResult }))) {
    throw refuse.conflict('upload-offset-mismatch', `Upload ${id} changed while it was being completed`);
  }
  return { id, length: row.length, offset: row.length, status: 'complete', contentType };
}
