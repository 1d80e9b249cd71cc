/**
 * The identity of an inbound mail (*inkomende mail*): its Message-ID, normalised so that the
 * same mail fetched twice, or delivered twice with different folding or case, is stored once
 * (unique per office). Pure: the synthetic id of a mail without a Message-ID is made from a
 * digest the caller computes (integrations/imap/parse.ts, SHA-256 of the headers that identify
 * a mail and its body).
 */

/** The longest Message-ID kept (RFC 5322 lines are at most 998 characters). */
export const MAX_MESSAGE_ID_LENGTH = 998;

/** Prefix of the id of a mail that has no (usable) Message-ID header. */
export const SYNTHETIC_PREFIX = 'synthetic:';

/**
 * The normalised Message-ID: the first `<...>` of the header (or the whole value when it has no
 * brackets), without the brackets, without whitespace (folding), with the domain part (after the
 * last `@`) in lower case (domains are case-insensitive; the left part is kept as sent).
 * `undefined` when there is none, when it is empty, too long, or has no `@` (not an id).
 */
export function normaliseMessageId(header: string | undefined | null): string | undefined {
  if (header === undefined || header === null) return undefined;
  const unfolded = header.replace(/\s+/g, '');
  const bracketed = /<([^<>]*)>/.exec(unfolded);
  const bare = (bracketed ? bracketed[1]! : unfolded).replace(/^<|>$/g, '');
  if (bare === '' || bare.length > MAX_MESSAGE_ID_LENGTH) return undefined;
  const at = bare.lastIndexOf('@');
  if (at <= 0 || at === bare.length - 1) return undefined;
  return `${bare.slice(0, at)}@${bare.slice(at + 1).toLowerCase()}`;
}

/** The id of a mail without a Message-ID: `synthetic:<hex digest>`. */
export function syntheticMessageId(hexDigest: string): string {
  if (!/^[0-9a-f]{64}$/.test(hexDigest)) throw new Error('syntheticMessageId: expects a SHA-256 hex digest');
  return `${SYNTHETIC_PREFIX}${hexDigest}`;
}
