/**
 * Organisations in the CRM (*organisaties*, issue 19 deliverable 3): input, output, contact
 * persons and party links. The KvK number, vestigingsnummer and website are taken as typed and
 * checked and normalised by the domain rules (domain/crm/organisations.ts), so a refusal names
 * the field with the rule's own words.
 */
import { Type, type Static } from '@sinclair/typebox';
import { literalUnion } from '../../domain/closed-list.js';
import { contactRoles, organisationKinds, partyRoles } from '../../domain/crm/organisations.js';
import {
  Clearable,
  DateSchema,
  EmailSchema,
  HouseNumberSchema,
  IdSchema,
  InstantSchema,
  INT4_MAX,
  Nullable,
  PagingQuerySchema,
  PostcodeSchema,
} from '../shared/schemas.js';

const Text = (max: number, description?: string) => Type.String({ minLength: 1, maxLength: max, pattern: '\\S', ...(description ? { description } : {}) });

export const OrganisationKindSchema = literalUnion(organisationKinds, { description: 'soort organisatie: lender (geldverstrekker), notary (notaris), employer (werkgever), insurer (verzekeraar), accountant, appraiser (taxateur), estate_agent (makelaar), other (overig)' });
export const ContactRoleSchema = literalUnion(contactRoles, { description: 'rol: contact (contactpersoon), director (directeur), notary (notaris), account_manager (accountmanager), employee (medewerker), other (overig)' });
export const PartyRoleSchema = literalUnion(partyRoles, { description: 'rol van de organisatie bij het dossier of product' });

const KvkInput = Type.String({ minLength: 8, maxLength: 20, pattern: '^(?:[ .-]*[0-9]){8}[ .-]*$', description: 'KvK-nummer: 8 digits (spaces, dots, hyphens ignored); stored as 8 digits', examples: ['12345678'] });
const EstablishmentInput = Type.String({ minLength: 12, maxLength: 24, pattern: '^(?:[ .-]*[0-9]){12}[ .-]*$', description: 'vestigingsnummer: 12 digits; stored as 12 digits', examples: ['000012345678'] });
const WebsiteInput = Type.String({ minLength: 1, maxLength: 200, description: 'website, e.g. www.example.nl (https:// added when no scheme is given)' });
const PhoneInput = Type.String({ pattern: '^\\+?[0-9][0-9 ()-]{5,19}$', description: 'phone number' });
const LenderCodeInput = Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9_-]+$', description: 'HDN code of the lender (hdn_lenders): mortgages sent to this code show the organisation as their lender' });

export const OrganisationAddressSchema = Type.Object(
  {
    street: Text(120),
    houseNumber: HouseNumberSchema,
    houseNumberSuffix: Type.Optional(Type.String({ minLength: 1, maxLength: 10 })),
    postcode: PostcodeSchema,
    city: Text(80),
  },
  { additionalProperties: false },
);

export const OrganisationInputSchema = Type.Object(
  {
    kind: OrganisationKindSchema,
    name: Text(200, 'naam'),
    kvkNumber: Type.Optional(KvkInput),
    establishmentNumber: Type.Optional(EstablishmentInput),
    lenderCode: Type.Optional(LenderCodeInput),
    address: Type.Optional(OrganisationAddressSchema),
    phone: Type.Optional(PhoneInput),
    email: Type.Optional(EmailSchema),
    website: Type.Optional(WebsiteInput),
    allowDuplicate: Type.Optional(Type.Boolean({ description: 'create even when the KvK number is in use in the office (default false: 409 possible-duplicate)' })),
  },
  { additionalProperties: false },
);
export type OrganisationInput = Static<typeof OrganisationInputSchema>;

/** An edit: only the fields sent change, null clears an optional one; the version it started from as If-Match or `version`. */
export const OrganisationPatchSchema = Type.Object(
  {
    kind: Type.Optional(OrganisationKindSchema),
    name: Type.Optional(Text(200, 'naam')),
    kvkNumber: Type.Optional(Clearable(KvkInput, 'KvK-nummer')),
    establishmentNumber: Type.Optional(Clearable(EstablishmentInput, 'vestigingsnummer')),
    lenderCode: Type.Optional(Clearable(LenderCodeInput, 'HDN lender code')),
    address: Type.Optional(Clearable(OrganisationAddressSchema, 'the whole address')),
    phone: Type.Optional(Clearable(PhoneInput, 'phone number')),
    email: Type.Optional(Clearable(EmailSchema, 'e-mail address')),
    website: Type.Optional(Clearable(WebsiteInput, 'website')),
    archived: Type.Optional(Type.Boolean({ description: 'archive (true) or bring back (false); an archived organisation is left out of searches unless asked for' })),
    version: Type.Optional(Type.Integer({ minimum: 1, maximum: INT4_MAX, description: 'the version the edit started from (or send If-Match)' })),
    allowDuplicate: Type.Optional(Type.Boolean({ description: 'save even when the new KvK number is in use in the office' })),
  },
  { additionalProperties: false },
);
export type OrganisationPatch = Static<typeof OrganisationPatchSchema>;

export const OrganisationSchema = Type.Object({
  id: IdSchema,
  kind: OrganisationKindSchema,
  name: Type.String(),
  kvkNumber: Nullable(Type.String({ description: '8 digits' })),
  establishmentNumber: Nullable(Type.String({ description: '12 digits' })),
  lenderCode: Nullable(Type.String()),
  address: Nullable(
    Type.Object({ street: Type.String(), houseNumber: Type.Integer(), houseNumberSuffix: Nullable(Type.String()), postcode: Type.String(), city: Type.String() }),
  ),
  phone: Nullable(Type.String()),
  email: Nullable(Type.String()),
  website: Nullable(Type.String()),
  archived: Type.Boolean(),
  createdAt: InstantSchema,
  updatedAt: InstantSchema,
  version: Type.Integer({ minimum: 1, description: 'counts every change; send it back with an edit (If-Match or `version`)' }),
});
export type Organisation = Static<typeof OrganisationSchema>;

export const OrganisationSearchQuerySchema = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200, description: 'part of the name, the KvK number (separators ignored) or the city' })),
    kind: Type.Optional(OrganisationKindSchema),
    includeArchived: Type.Optional(Type.Boolean({ default: false })),
    ...PagingQuerySchema,
  },
  { additionalProperties: false },
);

export const OrganisationListSchema = Type.Object({
  items: Type.Array(OrganisationSchema),
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
});

/** An existing organisation the new or changed one may be the same as (same KvK number). */
export const OrganisationDuplicateSchema = Type.Object({
  id: IdSchema,
  name: Type.String(),
  kvkNumber: Type.String(),
  establishmentNumber: Nullable(Type.String()),
  city: Nullable(Type.String()),
  archived: Type.Boolean(),
});
export type OrganisationDuplicate = Static<typeof OrganisationDuplicateSchema>;

/** 409: `possible-duplicate` (with the organisations of that KvK number), `edited-meanwhile` (with the version now) or `organisation-still-linked`. */
export const OrganisationProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    instance: Type.String(),
    possibleDuplicates: Type.Optional(Type.Array(OrganisationDuplicateSchema)),
    currentVersion: Type.Optional(Type.Integer()),
    linked: Type.Optional(Type.Record(Type.String(), Type.Integer(), { description: 'organisation-still-linked: what is linked, counted' })),
  },
  { $id: 'OrganisationProblem', additionalProperties: true },
);

// ---- contact persons ------------------------------------------------------------------------

export const ContactInputSchema = Type.Object(
  {
    personId: IdSchema,
    role: ContactRoleSchema,
    functionTitle: Type.Optional(Text(120, 'functietitel, e.g. "hypotheekadviseur intermediair"')),
    startDate: Type.Optional(DateSchema),
    endDate: Type.Optional(DateSchema),
  },
  { additionalProperties: false },
);
export type ContactInput = Static<typeof ContactInputSchema>;

export const ContactPatchSchema = Type.Object(
  {
    role: Type.Optional(ContactRoleSchema),
    functionTitle: Type.Optional(Clearable(Text(120), 'functietitel')),
    startDate: Type.Optional(Clearable(DateSchema, 'start date')),
    endDate: Type.Optional(Clearable(DateSchema, 'end date (the person left)')),
  },
  { additionalProperties: false },
);
export type ContactPatch = Static<typeof ContactPatchSchema>;

export const ContactSchema = Type.Object({
  id: IdSchema,
  organisationId: IdSchema,
  organisationName: Type.String(),
  organisationKind: OrganisationKindSchema,
  personId: IdSchema,
  personName: Type.String(),
  role: ContactRoleSchema,
  functionTitle: Nullable(Type.String()),
  startDate: Nullable(Type.String({ format: 'date' })),
  endDate: Nullable(Type.String({ format: 'date' })),
  current: Type.Boolean({ description: 'no end date, or one still to come' }),
  createdAt: InstantSchema,
});
export type Contact = Static<typeof ContactSchema>;
export const ContactListSchema = Type.Object({ items: Type.Array(ContactSchema) });

// ---- parties of dossiers and products -------------------------------------------------------

export const PartyLinkInputSchema = Type.Object(
  {
    dossierId: Type.Optional(IdSchema),
    productId: Type.Optional(IdSchema),
    role: PartyRoleSchema,
  },
  { additionalProperties: false, description: 'exactly one of dossierId and productId' },
);
export type PartyLinkInput = Static<typeof PartyLinkInputSchema>;

export const PartyLinkSchema = Type.Object({
  id: Nullable(IdSchema),
  organisationId: IdSchema,
  organisationName: Type.String(),
  organisationKind: OrganisationKindSchema,
  role: PartyRoleSchema,
  dossierId: IdSchema,
  dossierNumber: Type.String(),
  productId: Nullable(IdSchema),
  productType: Nullable(Type.String()),
  productCompany: Nullable(Type.String()),
  derived: Type.Boolean({ description: "true: the product's own company (maatschappij) names this organisation; not stored, cannot be removed here" }),
  createdAt: Nullable(InstantSchema),
});
export type PartyLink = Static<typeof PartyLinkSchema>;
export const PartyLinkListSchema = Type.Object({ items: Type.Array(PartyLinkSchema) });
