/**
 * Anonymising a person in a stored AX (GDPR art. 17): their applicant element is rewritten
 * (read → replace → write), so the stored message stays a valid HDN message. When they were its
 * only applicant the property's address goes too (it is their home); the household's children
 * (*Kind*) go in any case.
 *
 * Rewritten in the shape it was found in (issue 17, deliverable 7): a legacy `<HDN>` row with
 * the legacy builder (codec.ts), a public-shape row (what we send since issue 17, or an adviser's
 * public AX) with the mapping writer of the version that read it.
 * The writes are services/hdn/store.ts `anonymiseHdnOfPerson`.
 */
import { buildHdn } from '../../integrations/hdn/codec.js';
import { readHdnMessageDetailed } from '../../integrations/hdn/read.js';
import { buildPublicHdn } from '../../integrations/hdn/write.js';
import type { HdnApplicant, HdnApplication } from '../../integrations/hdn/types.js';
import { REDACTED, REDACTED_DATE, type PersonIdentity } from '../privacy/scrub.js';

/** What a stored AX that the codec cannot read any more becomes: a tombstone rather than kept whole. */
export const UNREADABLE_AX_TOMBSTONE = `<!-- ${REDACTED}: AVG, bericht verwijderd -->`;

function sameText(a: string | undefined | null, b: string | undefined | null): boolean {
  return Boolean(a && b && a.trim().toLowerCase() === b.trim().toLowerCase());
}

/** Whether an AX applicant is this person: same e-mail, or same last name and birth date. */
function applicantIsPerson(a: HdnApplicant, p: PersonIdentity): boolean {
  if (sameText(a.email, p.email)) return true;
  return sameText(a.lastName, p.lastName) && a.birthDate === p.birthDate;
}

function anonymousApplicant(position: number): HdnApplicant {
  return { position, firstName: REDACTED, lastName: REDACTED, birthDate: REDACTED_DATE };
}

/**
 * The AX with this person's applicant element replaced; when they were its only applicant the
 * property's address goes too (it is their home). Null when the message cannot be parsed.
 */
export function anonymiseAx(xml: string, person: PersonIdentity): { xml: string; matched: boolean } | null {
  let read;
  try {
    read = readHdnMessageDetailed(xml, { maxBytes: Number.MAX_SAFE_INTEGER });
  } catch {
    return null;
  }
  const message = read.message;
  if (message.type !== 'AX') return { xml, matched: false };
  const matched = message.applicants.filter((a) => applicantIsPerson(a, person));
  if (matched.length === 0) return { xml, matched: false };
  const onlyThem = matched.length === message.applicants.length;
  const next: HdnApplication = {
    ...message,
    applicants: message.applicants.map((a) => (applicantIsPerson(a, person) ? anonymousApplicant(a.position) : a)),
  };
  // The household's children (issue 19: *Kind*, names and birth dates) are the family of the
  // applicants: anonymising one of them takes the children out of the stored AX too.
  delete next.children;
  if (onlyThem && message.property) {
    const { street: _s, houseNumber: _h, houseNumberSuffix: _x, postcode: _p, city: _c, extra: _e, ...rest } = message.property;
    next.property = rest;
  }
  if (read.shape === 'legacy') return { xml: buildHdn(next), matched: true };
  try {
    return { xml: buildPublicHdn(next), matched: true };
  } catch {
    // What the mapping read it cannot write back (a data file changed since): a tombstone, never the person's data kept.
    return null;
  }
}
