/**
 * The type of a file from its content (file-type), never from what the client declares.
 * DOCX is a zip whose identifying entries may lie beyond the first part, so a zip is decided
 * only over the whole file (a stream over the stored chunks).
 */
import { fileTypeFromBuffer, fileTypeFromStream } from 'file-type';
import { isUploadContentType, type UploadContentType } from '../../domain/uploads/uploads.js';

/** Enough for file-type to tell every accepted type but a zip (its own sample size). */
export const SNIFF_BYTES = 4100;

export type Sniffed = { kind: 'allowed'; contentType: UploadContentType } | { kind: 'undecided' } | { kind: 'refused'; detected: string };

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

function decide(mime: string | undefined): Sniffed {
  if (mime !== undefined && isUploadContentType(mime)) return { kind: 'allowed', contentType: mime };
  return { kind: 'refused', detected: mime ?? 'unknown' };
}

/** From the first bytes of a file still arriving (at least SNIFF_BYTES of them, or the whole file). */
export async function sniffHead(head: Buffer): Promise<Sniffed> {
  if (head.subarray(0, 4).equals(ZIP_MAGIC)) return { kind: 'undecided' };
  return decide((await fileTypeFromBuffer(head))?.mime);
}

/** From the whole file, read as a stream. */
export async function sniffWhole(source: AsyncIterable<Buffer>): Promise<Sniffed> {
  const stream = ReadableStream.from(source) as ReadableStream<Uint8Array>;
  try {
    return decide((await fileTypeFromStream(stream))?.mime);
  } finally {
    await stream.cancel().catch(() => undefined);
  }
}
