/**
 * The XML pool's own failures (integrations/xml/pool.ts) as refusals: the document was not read,
 * so nothing was stored; trying again later may work. The document's own faults (limits,
 * DOCTYPE, shape) stay the codecs' errors and each feature's 400/413.
 */
import { Buffer } from 'node:buffer';
import { DomainError } from '../../domain/errors.js';
import { XmlPoolError } from '../../integrations/xml/index.js';

const slugs = { timeout: 'xml-read-timeout', crashed: 'xml-read-failed', busy: 'xml-reader-busy', closed: 'xml-reader-closed' } as const;

/** Runs `read` (a codec's `parse<X>OffThread`); an XmlPoolError leaves it as a DomainError 'unavailable'. */
export async function readXmlOffThread<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof XmlPoolError) {
      throw new DomainError('unavailable', slugs[err.failure], `${err.message}; nothing was stored`, { xmlReader: err.failure });
    }
    throw err;
  }
}

/**
 * The text of an XML body for storage, once the reader accepted it (so it is valid UTF-8):
 * the API hands bodies over as bytes, decoded here only for a document that is kept.
 */
export function xmlText(body: string | Uint8Array): string {
  return typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
}
