/**
 * Organisations in the CRM (*organisaties*): the API shapes the UI uses (from the OpenAPI
 * document) and the Dutch labels of their closed lists.
 */
import type { components } from '../../generated/api';
import type { ApiRequestBody, ApiResponse } from '../../types';

export type Organisation = ApiResponse<'/organisations/{id}'>;
export type OrganisationInput = ApiRequestBody<'/organisations'>;
export type OrganisationKind = Organisation['kind'];
export type Contact = ApiResponse<'/organisations/{id}/contacts'>['items'][number];
export type ContactRole = Contact['role'];
export type PartyLink = ApiResponse<'/dossiers/{id}/parties'>['items'][number];
export type PartyRole = PartyLink['role'];
/** The 409 answer of a create or edit: `possible-duplicate` names the organisations with that KvK number. */
export type OrganisationProblem = components['schemas']['OrganisationProblem'];
export type OrganisationDuplicate = NonNullable<OrganisationProblem['possibleDuplicates']>[number];

export const organisationKindLabel: Record<OrganisationKind, string> = {
  lender: 'Geldverstrekker',
  notary: 'Notaris',
  employer: 'Werkgever',
  insurer: 'Verzekeraar',
  accountant: 'Accountant',
  appraiser: 'Taxateur',
  estate_agent: 'Makelaar',
  other: 'Overig',
};

export const contactRoleLabel: Record<ContactRole, string> = {
  contact: 'Contactpersoon',
  director: 'Directeur',
  notary: 'Notaris',
  account_manager: 'Accountmanager',
  employee: 'Medewerker',
  other: 'Overig',
};

export const partyRoleLabel: Record<PartyRole, string> = {
  lender: 'Geldverstrekker',
  insurer: 'Verzekeraar',
  notary: 'Notaris',
  employer: 'Werkgever',
  accountant: 'Accountant',
  appraiser: 'Taxateur',
  estate_agent: 'Makelaar',
  other: 'Overig',
};

export const organisationKinds = Object.keys(organisationKindLabel) as OrganisationKind[];
export const contactRoles = Object.keys(contactRoleLabel) as ContactRole[];
export const partyRoles = Object.keys(partyRoleLabel) as PartyRole[];
/** The roles a product knows itself (its company): never linked by hand to a product. */
export const productDerivedRoles: readonly PartyRole[] = ['lender', 'insurer'];

/** "Stationsplein 1, 3511ED Utrecht", or a dash. */
export function addressLine(a: Organisation['address']): string {
  return a ? `${a.street} ${a.houseNumber}${a.houseNumberSuffix ?? ''}, ${a.postcode} ${a.city}` : '–';
}

/** "12345678" as the KvK prints it: "1234 5678". */
export const kvkLabel = (n: string | null): string => (n ? `${n.slice(0, 4)} ${n.slice(4)}` : '–');
