/**
 * The one module that makes entity ids: random UUIDs (v4), made in the application, and ids
 * derived from a client's Idempotency-Key, so a repeated request names the row of its first
 * attempt (no table of keys needed).
 */
import { createHash, randomUUID } from 'node:crypto';

export function newId(): string {
  return randomUUID();
}

/**
 * A UUID (RFC 9562 layout, version 8: custom) that is a hash of its parts: the same parts always
 * give the same id. The first part names what the id is for (`product`, `step-payload`).
 */
export function keyedId(...parts: readonly string[]): string {
  const h = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${h.slice(18, 20)}-${h.slice(20, 32)}`;
}
