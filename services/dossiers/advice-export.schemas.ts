/**
 * The export of a dossier's client data for advice software (issue 19 deliverable 7). This
 * TypeBox schema IS the format: the API answers with it (and validates its own answer against
 * it), the OpenAPI document publishes it, and docs/advice-export.md describes it with its
 * versioning policy. Change it only as that policy says (a new field is a minor version, a
 * removed or changed one a major version), and move `adviceExportSchemaVersion` with it.
 *
 * Conventions: dates YYYY-MM-DD; amounts integer euro cents (as everywhere in the platform);
 * closed lists in English codes (their Dutch meaning in each description); every field is
 * present, null when the platform does not know it, so a reader can tell "unknown" from "absent
 * in this version".
 */
import { Type, type Static } from '@sinclair/typebox';
import { literalUnion } from '../../domain/closed-list.js';
import { GenderSchema, MaritalStatusSchema } from '../crm/persons.schemas.js';
import { PartnershipEndReasonSchema, PartnershipKindSchema } from '../crm/family.schemas.js';
import { IdSchema, InstantSchema, Nullable } from '../shared/schemas.js';

/** The version of the format this code writes ("major.minor", docs/advice-export.md). */
export const adviceExportSchemaVersion = '1.0';
export const adviceExportFormat = 'dossierflow.advice-export';

const Day = Type.String({ format: 'date', description: 'YYYY-MM-DD' });
const Cents = Type.Integer({ minimum: 0, description: 'integer euro cents' });

const NameFields = {
  firstName: Type.String({ description: 'voornaam' }),
  infix: Nullable(Type.String({ description: 'tussenvoegsel, e.g. "van der"' })),
  lastName: Type.String({ description: 'achternaam' }),
};

export const AdviceExportAddressSchema = Type.Object(
  {
    street: Type.String(),
    houseNumber: Type.Integer(),
    houseNumberSuffix: Nullable(Type.String()),
    postcode: Type.String({ description: '1234AB, without a space' }),
    city: Type.String(),
    country: Type.String({ description: 'ISO 3166-1 alpha-2, e.g. NL' }),
  },
  { additionalProperties: false },
);

const PartnerSchema = Type.Object(
  {
    personId: IdSchema,
    ...NameFields,
    birthDate: Nullable(Day),
    gender: Nullable(GenderSchema),
    dateOfDeath: Nullable(Day),
    kind: PartnershipKindSchema,
    startDate: Nullable(Day),
    coApplicant: Type.Boolean({ description: 'the partner is the other applicant of this dossier (then also in `clients`)' }),
  },
  { additionalProperties: false },
);

const ExPartnerSchema = Type.Object(
  {
    personId: IdSchema,
    ...NameFields,
    birthDate: Nullable(Day),
    dateOfDeath: Nullable(Day),
    kind: PartnershipKindSchema,
    startDate: Nullable(Day),
    endDate: Day,
    endReason: PartnershipEndReasonSchema,
  },
  { additionalProperties: false, description: 'an ended partnership: ex-partner (divorce, separation) or a partner who died (death)' },
);

const ChildSchema = Type.Object(
  { ...NameFields, birthDate: Day, gender: Nullable(GenderSchema), dateOfDeath: Nullable(Day) },
  { additionalProperties: false },
);

const IncomeLineSchema = Type.Object(
  {
    kind: literalUnion(['employment', 'pension', 'benefit'] as const, { description: 'employment (loondienst), pension (pensioen), benefit (uitkering)' }),
    source: Type.String({ description: 'employer, pension fund or kind of benefit as the source names it' }),
    yearlyCents: Cents,
  },
  { additionalProperties: false },
);

const IncomeSchema = Type.Object(
  {
    origin: Type.Literal('ockto', { description: 'consumer data retrieved from government sources via Ockto (UWV, pension registry)' }),
    retrievedAt: InstantSchema,
    lines: Type.Array(IncomeLineSchema),
  },
  { additionalProperties: false },
);

const ObligationsSchema = Type.Object(
  {
    origin: Type.Literal('ockto'),
    retrievedAt: InstantSchema,
    negativeCreditRegistrations: Type.Integer({ minimum: 0, description: 'negative credit registrations (BKR-like)' }),
    taxArrearsCents: Cents,
  },
  { additionalProperties: false },
);

export const AdviceExportClientSchema = Type.Object(
  {
    position: Type.Integer({ minimum: 1, maximum: 2, description: '1 = aanvrager, 2 = partner/co-applicant in this dossier' }),
    personId: IdSchema,
    ...NameFields,
    birthDate: Nullable(Day),
    gender: Nullable(GenderSchema),
    maritalStatus: Nullable(MaritalStatusSchema),
    dateOfDeath: Nullable(Day),
    contact: Type.Object({ email: Nullable(Type.String()), phone: Nullable(Type.String()) }, { additionalProperties: false }),
    address: Nullable(AdviceExportAddressSchema),
    currentPartner: Nullable(PartnerSchema),
    exPartners: Type.Array(ExPartnerSchema, { description: 'ended partnerships, oldest first' }),
    children: Type.Array(ChildSchema, { description: 'by birth date' }),
    income: Nullable(IncomeSchema),
    obligations: Nullable(ObligationsSchema),
  },
  { additionalProperties: false },
);
export type AdviceExportClient = Static<typeof AdviceExportClientSchema>;

export const AdviceExportSchema = Type.Object(
  {
    format: Type.Literal(adviceExportFormat),
    schemaVersion: Type.String({ pattern: '^[0-9]+\\.[0-9]+$', description: `major.minor of this format; this platform writes ${adviceExportSchemaVersion}` }),
    exportedAt: InstantSchema,
    exportedBy: IdSchema,
    office: Type.Object({ id: IdSchema, name: Type.String() }, { additionalProperties: false }),
    dossier: Type.Object({ id: IdSchema, number: Type.String(), status: Type.String() }, { additionalProperties: false }),
    clients: Type.Array(AdviceExportClientSchema, { minItems: 1, maxItems: 2, description: 'the applicants, by position' }),
    products: Type.Array(
      Type.Object({ id: IdSchema, type: Type.String(), company: Nullable(Type.String()), status: Type.String() }, { additionalProperties: false }),
      { description: 'the products of the dossier (mortgage, insurance, service) as context' },
    ),
  },
  { $id: 'AdviceExport', additionalProperties: false, description: 'docs/advice-export.md' },
);
export type AdviceExport = Static<typeof AdviceExportSchema>;
