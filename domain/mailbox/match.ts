/**
 * Which persons an inbound mail belongs to (*koppelen aan relaties*). Pure.
 *
 * Decisions (docs/design/mail-in.md):
 * - Only the From address counts. Reply-To is chosen by the sender's software (forms, mailing
 *   tools, a secretary) and can name anyone: matching on it would put a stranger's mail on a
 *   client's card. A client writing from another address lands in the inbox, where an adviser
 *   links it by hand.
 * - Addresses compare case-insensitively as a whole (the local part too: no mail system we meet
 *   treats case as significant, and a client who types their address in capitals is the same
 *   person), after trimming and without a `mailto:`.
 * - Several persons of the office with that address (partners sharing one mailbox) are all
 *   linked: the mail is about their household, and parking it would hide it from both cards.
 * - No person: the mail waits in the office's inbox of unmatched mail.
 */

/** The comparable form of an address (undefined when it is not one). */
export function addressKey(address: string | undefined | null): string | undefined {
  if (!address) return undefined;
  const key = address.trim().replace(/^mailto:/i, '').toLowerCase();
  return /^[^\s@]+@[^\s@]+$/.test(key) ? key : undefined;
}

export interface MatchCandidate {
  personId: string;
  email: string | null;
}

/** The ids of the persons whose address is the From address, each once, in the order given. */
export function matchPersons(fromAddress: string | undefined | null, candidates: readonly MatchCandidate[]): string[] {
  const from = addressKey(fromAddress);
  if (from === undefined) return [];
  const out: string[] = [];
  for (const c of candidates) {
    if (addressKey(c.email) === from && !out.includes(c.personId)) out.push(c.personId);
  }
  return out;
}
