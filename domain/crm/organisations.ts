/**
 * Organisations in the CRM (*organisaties*: lenders, notaries, employers, insurers, accountants,
 * ...), their contact persons and their links to dossiers and products (issue 19, deliverable 3).
 * The closed lists here are followed by the migration's CHECKs, the API schemas
 * (services/crm/organisations.schemas.ts) and the UI labels; the number rules are pure so they
 * are table-tested (organisations.test.ts).
 */

/** What kind of party an organisation is (organisations.kind); Dutch labels for the UI. */
export const organisationKinds = ['lender', 'notary', 'employer', 'insurer', 'accountant', 'appraiser', 'estate_agent', 'other'] as const;
export type OrganisationKind = (typeof organisationKinds)[number];
export const organisationKindLabels: Record<OrganisationKind, string> = {
  lender: 'Geldverstrekker',
  notary: 'Notaris',
  employer: 'Werkgever',
  insurer: 'Verzekeraar',
  accountant: 'Accountant',
  appraiser: 'Taxateur',
  estate_agent: 'Makelaar',
  other: 'Overig',
};

/** What a CRM person is at an organisation (crm_organisation_contacts.role); the free function title comes on top. */
export const contactRoles = ['contact', 'director', 'notary', 'account_manager', 'employee', 'other'] as const;
export type ContactRole = (typeof contactRoles)[number];
export const contactRoleLabels: Record<ContactRole, string> = {
  contact: 'Contactpersoon',
  director: 'Directeur',
  notary: 'Notaris',
  account_manager: 'Accountmanager',
  employee: 'Medewerker',
  other: 'Overig',
};

/** What an organisation is to a dossier or product (crm_organisation_links.role). */
export const partyRoles = ['lender', 'insurer', 'notary', 'employer', 'accountant', 'appraiser', 'estate_agent', 'other'] as const;
export type PartyRole = (typeof partyRoles)[number];
export const partyRoleLabels: Record<PartyRole, string> = {
  lender: 'Geldverstrekker',
  insurer: 'Verzekeraar',
  notary: 'Notaris',
  employer: 'Werkgever',
  accountant: 'Accountant',
  appraiser: 'Taxateur',
  estate_agent: 'Makelaar',
  other: 'Overig',
};

/**
 * Roles a product already knows: the lender of a mortgage and the insurer of a policy are the
 * product's *maatschappij* (products.company, and for an HDN mortgage its lender code). A link
 * with such a role is derived from that, never stored a second time.
 */
export const productDerivedRoles: readonly PartyRole[] = ['lender', 'insurer'];

/** The derived role of an organisation of this kind towards a product whose company it is (null: none). */
export function derivedProductRole(kind: OrganisationKind): PartyRole | null {
  return kind === 'lender' ? 'lender' : kind === 'insurer' ? 'insurer' : null;
}

export type NumberCheck = { ok: true; value: string } | { ok: false; message: string };

/** Spaces, dots and hyphens people type between the digits ("1234 5678", "1234.56.78"). */
const SEPARATORS = /[\s.-]/g;

/**
 * A KvK number (*KvK-nummer*, Dutch Chamber of Commerce): exactly 8 digits, stored without
 * separators. There is no check digit to verify (the KvK dropped the 11-test for new numbers),
 * so the format is all we can check.
 */
export function parseKvkNumber(raw: string): NumberCheck {
  const value = raw.replace(SEPARATORS, '');
  if (!/^[0-9]{8}$/.test(value)) return { ok: false, message: 'must be a KvK number of 8 digits (spaces, dots and hyphens are ignored)' };
  return { ok: true, value };
}

/** A *vestigingsnummer* (establishment number of the KvK): exactly 12 digits, stored without separators, not all zeros. */
export function parseEstablishmentNumber(raw: string): NumberCheck {
  const value = raw.replace(SEPARATORS, '');
  if (!/^[0-9]{12}$/.test(value)) return { ok: false, message: 'must be a vestigingsnummer of 12 digits (spaces, dots and hyphens are ignored)' };
  if (/^0+$/.test(value)) return { ok: false, message: 'must be a vestigingsnummer, not twelve zeros' };
  return { ok: true, value };
}

/** A website as typed ("www.notaris.nl") with a scheme (https:// when none), or the reason it is no web address. */
export function normaliseWebsite(raw: string): NumberCheck {
  const trimmed = raw.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(trimmed) ? trimmed : `https://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return { ok: false, message: 'must be a web address, e.g. www.example.nl' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, message: 'must be an http(s) web address' };
  if (!url.hostname.includes('.')) return { ok: false, message: 'must be a web address with a domain, e.g. www.example.nl' };
  return { ok: true, value: withScheme };
}

/** Whether a contact person's period is well-formed: the end (when known) not before the start (when known). */
export function periodIsValid(startDate: string | null, endDate: string | null): boolean {
  return startDate === null || endDate === null || startDate <= endDate;
}
