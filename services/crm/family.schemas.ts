/** Family data of a person (*gezin*, issue 19 deliverable 6): partnerships and children. */
import { Type, type Static } from '@sinclair/typebox';
import { literalUnion } from '../../domain/closed-list.js';
import { partnershipEndReasons, partnershipKinds } from '../../domain/crm/family.js';
import { DateSchema, IdSchema, Nullable } from '../shared/schemas.js';
import { GenderSchema, MaritalStatusSchema } from './persons.schemas.js';

const Name = (max: number) => Type.String({ minLength: 1, maxLength: max, pattern: '\\S' });

export const PartnershipKindSchema = literalUnion(partnershipKinds, { description: 'marriage (huwelijk), registered_partnership (geregistreerd partnerschap), cohabitation (samenwonen)' });
export const PartnershipEndReasonSchema = literalUnion(partnershipEndReasons, { description: 'divorce (echtscheiding), separation (uit elkaar), death (overlijden)' });

const partnershipFields = {
  kind: PartnershipKindSchema,
  startDate: Type.Optional(Nullable(DateSchema)),
  endDate: Type.Optional(Nullable(DateSchema)),
  endReason: Type.Optional(Nullable(PartnershipEndReasonSchema)),
  deceasedPersonId: Type.Optional(Nullable(IdSchema)),
};

/**
 * A new partnership of this person with another person of the office. Ended ones are ex-partners;
 * one ended by death names the deceased, whose date of death becomes the end date.
 */
export const PartnershipInputSchema = Type.Object(
  { partnerId: IdSchema, ...partnershipFields },
  { additionalProperties: false, description: 'a partnership; left-out dates and reason are "none"' },
);
export type PartnershipInput = Static<typeof PartnershipInputSchema>;

/** The whole partnership as it is to be (PUT): what is left out becomes empty. */
export const PartnershipUpdateSchema = Type.Object(partnershipFields, { additionalProperties: false });
export type PartnershipUpdate = Static<typeof PartnershipUpdateSchema>;

export const PartnershipSchema = Type.Object({
  id: IdSchema,
  partner: Type.Object({
    id: IdSchema,
    name: Type.String(),
    birthDate: Nullable(Type.String({ format: 'date' })),
    dateOfDeath: Nullable(Type.String({ format: 'date' })),
  }),
  kind: PartnershipKindSchema,
  startDate: Nullable(Type.String({ format: 'date' })),
  endDate: Nullable(Type.String({ format: 'date' })),
  endReason: Nullable(PartnershipEndReasonSchema),
  deceasedPersonId: Nullable(IdSchema),
  current: Type.Boolean({ description: 'no end date: the current partner' }),
});
export type Partnership = Static<typeof PartnershipSchema>;

export const ChildInputSchema = Type.Object(
  {
    firstName: Name(100),
    infix: Type.Optional(Nullable(Type.String({ maxLength: 20 }))),
    lastName: Name(100),
    birthDate: DateSchema,
    gender: Type.Optional(Nullable(GenderSchema)),
    dateOfDeath: Type.Optional(Nullable(DateSchema)),
  },
  { additionalProperties: false },
);
export type ChildInput = Static<typeof ChildInputSchema>;

export const ChildSchema = Type.Object({
  id: IdSchema,
  firstName: Type.String(),
  infix: Nullable(Type.String()),
  lastName: Type.String(),
  name: Type.String(),
  birthDate: Type.String({ format: 'date' }),
  gender: Nullable(GenderSchema),
  dateOfDeath: Nullable(Type.String({ format: 'date' })),
  age: Type.Integer({ description: 'whole years today (or at death)' }),
});
export type Child = Static<typeof ChildSchema>;

/** The family part of the card: the person's own family fields, partnerships (current and ex) and children. */
export const FamilySchema = Type.Object({
  personId: IdSchema,
  gender: Nullable(GenderSchema),
  maritalStatus: Nullable(MaritalStatusSchema),
  dateOfDeath: Nullable(Type.String({ format: 'date' })),
  version: Type.Integer({ description: 'the person\'s version (edit gender, marital status and date of death with PATCH /persons/:id)' }),
  currentPartner: Nullable(PartnershipSchema),
  partnerships: Type.Array(PartnershipSchema, { description: 'all, oldest first; ended ones are ex-partners' }),
  children: Type.Array(ChildSchema, { description: 'by birth date' }),
});
export type Family = Static<typeof FamilySchema>;
