/** Persons (*relaties*): input, output and the duplicate suggestions. */
import { Type, type Static } from '@sinclair/typebox';
import { duplicateReasons } from '../../domain/crm/persons.js';
import { literalUnion } from '../../domain/closed-list.js';
import { personEditFields } from '../../domain/crm/person-changes.js';
import { genders, maritalStatuses } from '../../domain/crm/family.js';
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
  ref,
} from '../shared/schemas.js';

const Name = (max: number) => Type.String({ minLength: 1, maxLength: max, pattern: '\\S' });

export const AddressSchema = Type.Object(
  {
    street: Name(120),
    houseNumber: HouseNumberSchema,
    houseNumberSuffix: Type.Optional(Type.String({ minLength: 1, maxLength: 10 })),
    postcode: PostcodeSchema,
    city: Name(80),
  },
  { $id: 'Address', additionalProperties: false },
);
export type Address = Static<typeof AddressSchema>;

const InfixSchema = Type.String({ maxLength: 20, description: 'tussenvoegsel, e.g. "van der"' });
const PhoneSchema = Type.String({ pattern: '^\\+?[0-9][0-9 ()-]{5,19}$', description: 'phone number' });
export const GenderSchema = literalUnion(genders, { description: 'geslacht: male (man), female (vrouw), other (anders), unknown (onbekend)' });
export const MaritalStatusSchema = literalUnion(maritalStatuses, {
  description: 'burgerlijke staat (domain/crm/family.ts): married_* carries the property regime, cohabiting* is samenwonend',
});

const personFields = {
  firstName: Name(100),
  infix: Type.Optional(InfixSchema),
  lastName: Name(100),
  birthDate: Type.Optional(DateSchema),
  email: Type.Optional(EmailSchema),
  phone: Type.Optional(PhoneSchema),
  address: Type.Optional(ref(AddressSchema)),
  allowDuplicate: Type.Optional(
    Type.Boolean({ description: 'create even when likely duplicates exist (default false: answer 409 with suggestions)' }),
  ),
};

export const PersonInputSchema = Type.Object(personFields, { $id: 'PersonInput', additionalProperties: false });
export type PersonInput = Static<typeof PersonInputSchema>;

export const PersonSchema = Type.Object(
  {
    id: IdSchema,
    firstName: Type.String(),
    infix: Nullable(Type.String()),
    lastName: Type.String(),
    name: Type.String({ description: 'display name' }),
    birthDate: Nullable(Type.String({ format: 'date' })),
    email: Nullable(Type.String()),
    phone: Nullable(Type.String()),
    address: Nullable(
      Type.Object({
        street: Type.String(),
        houseNumber: Type.Integer(),
        houseNumberSuffix: Nullable(Type.String()),
        postcode: Type.String(),
        city: Type.String(),
      }),
    ),
    gender: Nullable(GenderSchema),
    maritalStatus: Nullable(MaritalStatusSchema),
    dateOfDeath: Nullable(Type.String({ format: 'date', description: 'overlijdensdatum' })),
    createdAt: InstantSchema,
    version: Type.Integer({ minimum: 1, description: 'counts every change; send it back with an edit (If-Match or `version`)' }),
  },
  { $id: 'Person' },
);
export type Person = Static<typeof PersonSchema>;

export const DuplicateReasonSchema = Type.Union(
  duplicateReasons.map((r) => Type.Literal(r)),
  { description: 'why the person is a likely duplicate' },
);
export type { DuplicateReason } from '../../domain/crm/persons.js';

export const DuplicateSuggestionSchema = Type.Object(
  {
    id: IdSchema,
    name: Type.String(),
    birthDate: Nullable(Type.String()),
    email: Nullable(Type.String()),
    postcode: Nullable(Type.String()),
    houseNumber: Nullable(Type.Integer()),
    reasons: Type.Array(DuplicateReasonSchema),
  },
  { $id: 'DuplicateSuggestion' },
);
export type DuplicateSuggestion = Static<typeof DuplicateSuggestionSchema>;

/** 409 answer when likely duplicates exist: nothing was created. */
export const DuplicateProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    instance: Type.String(),
    possibleDuplicates: Type.Array(ref(DuplicateSuggestionSchema)),
    applicantIndex: Type.Optional(Type.Integer({ description: 'for POST /dossiers: which applicant' })),
  },
  { $id: 'DuplicateProblem', additionalProperties: true },
);

export const DuplicateQuerySchema = Type.Object(
  {
    lastName: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    birthDate: Type.Optional(DateSchema),
    email: Type.Optional(EmailSchema),
    postcode: Type.Optional(PostcodeSchema),
    houseNumber: Type.Optional(HouseNumberSchema),
  },
  { additionalProperties: false },
);

export const DuplicateListSchema = Type.Object({ possibleDuplicates: Type.Array(ref(DuplicateSuggestionSchema)) });

export const PersonSearchQuerySchema = Type.Object(
  { q: Type.Optional(Type.String({ maxLength: 200 })), ...PagingQuerySchema },
  { additionalProperties: false },
);

export const PersonListSchema = Type.Object({
  items: Type.Array(ref(PersonSchema)),
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
});

// ---- editing a person -----------------------------------------------------------------------

/**
 * An edit of a person: only the fields sent change; `null` clears a field that may be empty
 * (names cannot be cleared). The address is changed as a whole. The version the edit started
 * from goes as `If-Match` or as `version`: when the person changed meanwhile the edit is refused.
 */
export const PersonPatchSchema = Type.Object(
  {
    firstName: Type.Optional(Name(100)),
    infix: Type.Optional(Clearable(InfixSchema, 'tussenvoegsel')),
    lastName: Type.Optional(Name(100)),
    birthDate: Type.Optional(Clearable(DateSchema, 'birth date')),
    email: Type.Optional(Clearable(EmailSchema, 'e-mail address')),
    phone: Type.Optional(Clearable(PhoneSchema, 'phone number')),
    address: Type.Optional(Clearable(ref(AddressSchema), 'the whole address')),
    gender: Type.Optional(Clearable(GenderSchema, 'geslacht')),
    maritalStatus: Type.Optional(Clearable(MaritalStatusSchema, 'burgerlijke staat')),
    dateOfDeath: Type.Optional(Clearable(DateSchema, 'date of death (overlijdensdatum)')),
    version: Type.Optional(Type.Integer({ minimum: 1, maximum: INT4_MAX, description: 'the version the edit started from (or send If-Match)' })),
    allowDuplicate: Type.Optional(
      Type.Boolean({ description: 'save even when the changed data make the person look like another one (default false: 409 with suggestions)' }),
    ),
  },
  { $id: 'PersonPatch', additionalProperties: false },
);
export type PersonPatch = Static<typeof PersonPatchSchema>;

export const PersonEditFieldSchema = literalUnion(personEditFields, { description: 'the person field that changed' });

/** One line of a person's field history (*wijzigingshistorie*). */
export const PersonFieldHistoryLineSchema = Type.Object(
  {
    id: IdSchema,
    personId: IdSchema,
    personName: Type.String({ description: 'the person as named now' }),
    field: PersonEditFieldSchema,
    oldValue: Nullable(Type.String()),
    newValue: Nullable(Type.String()),
    actor: Type.String({ description: 'credential id of who changed it' }),
    actorName: Nullable(Type.String({ description: 'name of that credential' })),
    dossierId: Nullable(Type.String({ description: 'the dossier the edit was made in, if any' })),
    at: InstantSchema,
  },
  { $id: 'PersonFieldHistoryLine' },
);
export type PersonFieldHistoryLine = Static<typeof PersonFieldHistoryLineSchema>;

export const PersonFieldHistoryPageSchema = Type.Object({
  items: Type.Array(ref(PersonFieldHistoryLineSchema), { description: 'newest first' }),
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
});

export const HistoryQuerySchema = Type.Object({ ...PagingQuerySchema }, { additionalProperties: false });

export const IfMatchHeadersSchema = Type.Object({
  'if-match': Type.Optional(Type.String({ maxLength: 40, description: 'the ETag of the GET ("3" or W/"3"): the version the edit started from' })),
});

/**
 * 409 answer of an edit: `possible-duplicate` (with the suggestions, as on create) or
 * `edited-meanwhile` (with the version the person has now). Nothing was changed.
 */
export const PersonEditProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    instance: Type.String(),
    possibleDuplicates: Type.Optional(Type.Array(ref(DuplicateSuggestionSchema))),
    currentVersion: Type.Optional(Type.Integer({ description: 'edited-meanwhile: the version of the person now' })),
    applicantIndex: Type.Optional(Type.Integer({ description: 'for PATCH /dossiers/:id: which applicant' })),
  },
  { $id: 'PersonEditProblem', additionalProperties: true },
);
