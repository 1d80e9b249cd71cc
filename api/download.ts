/**
 * The one way a stored file is answered as a download (documents, invoice PDFs, reminder letters,
 * checklist files): an RFC 6266 name, the exact length, never cached, never sniffed by the browser.
 */
import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';

/** RFC 6266 content-disposition with an ASCII fallback and the UTF-8 name. */
export function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

export interface Download {
  contentType: string;
  filename: string;
  sizeBytes: number;
  /** Sent as the ETag when known. */
  sha256?: string;
  /** The whole file, or its chunks as they are read (streamed, never whole in memory). */
  body: Buffer | AsyncIterable<Buffer>;
}

export function sendDownload(reply: FastifyReply, file: Download): FastifyReply {
  reply
    .header('content-type', file.contentType)
    .header('content-disposition', contentDisposition(file.filename))
    .header('content-length', String(file.sizeBytes))
    .header('cache-control', 'private, no-store')
    .header('x-content-type-options', 'nosniff');
  if (file.sha256) reply.header('etag', `"${file.sha256}"`);
  return reply.send(Buffer.isBuffer(file.body) ? file.body : Readable.from(file.body));
}
