/**
 * Identity keys of HDN messages, for idempotent sending and for deduplicating deliveries.
 *
 * Pure string building (this runs in workflows too: no crypto module). Every part is
 * percent-encoded before joining with "|", so different parts can never produce the same key
 * ("12|3" + "4" vs "12" + "3|4"). Keys are meant for a unique text column; very long ones are
 * shortened (see `bounded`) so they stay well below PostgreSQL's btree entry limit.
 */
import type { HdnHeader, HdnMessage } from './types.js';

/** Keys longer than this keep a readable head and end in a hash of the whole. */
export const MAX_KEY_LENGTH = 512;

function join(parts: readonly (string | undefined)[]): string {
  return parts.map((p) => encodeURIComponent(p ?? '')).join('|');
}

/**
 * The idempotency key of an outbound message: (type, receiver, sender, application number,
 * application version) — the same AX may not be placed twice with that combination.
 *
 * `discriminator` is for outbound types that legitimately repeat within one application
 * version (a DX per DA line, and again after a rejected line): pass e.g. the line id plus an
 * attempt number. AX leaves it out.
 */
export function outboundKey(
  header: Pick<HdnHeader, 'messageType' | 'receiverNode' | 'senderNode' | 'applicationNumber' | 'applicationVersion'>,
  discriminator?: string,
): string {
  return bounded(
    `hdn-out|${join([header.messageType, header.receiverNode, header.senderNode, header.applicationNumber, header.applicationVersion])}` +
      (discriminator === undefined ? '' : `|${join([discriminator])}`),
  );
}

/**
 * A deterministic identity of an inbound message: who sent it about what, when (VerzendDt and
 * VerzendTijd), and what it says. A redelivery of the same message gives the same key; a new
 * status for the same application is sent at another moment and/or says something else, so
 * it gets a new key.
 */
export function inboundKey(message: HdnMessage): string {
  const h = message.header;
  const head = join([h.messageType, h.senderNode, h.receiverNode, h.applicationNumber, h.applicationVersion, h.sentDate, h.sentTime]);
  return bounded(`hdn-in|${head}|${join(bodyIdentity(message))}`);
}

function bodyIdentity(m: HdnMessage): (string | undefined)[] {
  switch (m.type) {
    case 'AX':
      return [];
    case 'SX':
      return [m.statusCode, m.documentReference];
    case 'OX':
      return [m.offerNumber, m.offerType];
    case 'DA':
      // Sorted: the same checklist is the same message whatever order the lines came in.
      return m.lines.map((l) => `${encodeURIComponent(l.lineId)}=${encodeURIComponent(l.status)}`).sort();
    case 'DX':
      return [m.lineId];
  }
}

/**
 * Shortens a key beyond MAX_KEY_LENGTH to a head plus the length and a 64-bit hash of the
 * whole (two differently mixed 32-bit lanes). Not cryptographic: the inputs come from
 * authenticated HDN nodes; the hash only has to keep honest long keys apart.
 */
function bounded(key: string): string {
  if (key.length <= MAX_KEY_LENGTH) return key;
  const head = key.slice(0, MAX_KEY_LENGTH - 32);
  return `${head}~${key.length.toString(36)}~${hash64(key)}`;
}

function hash64(text: string): string {
  let a = 0x811c9dc5; // FNV-1a
  let b = 0x9747b28c; // murmur-style multiply and shift
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 13;
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}
