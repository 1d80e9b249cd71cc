/** Persons (*relaties*): input, output and the duplicate suggestions. */
import { Type, type Static } from '@sinclair/typebox';
import { duplicateReasons } from '../../domain/crm/persons.js';
import {
  DateSchema,
  EmailSchema,
  HouseNumberSchema,
  IdSchema,
  InstantSchema,
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

const personFields = {
  firstName: Name(100),
  infix: Type.Optional(Type.String({ maxLength: 20, description: 'tussenvoegsel, e.g. "van der"' })),
  lastName: Name(100),
  birthDate: Type.Optional(DateSchema),
  email: Type.Optional(EmailSchema),
  phone: Type.Optional(Type.String({ pattern: '^\\+?[0-9][0-9 ()-]{5,19}$', description: 'phone number' })),
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
    createdAt: InstantSchema,
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
