/** The CRM card (*relatiekaart*): admin definitions, the parts of a card, the work queue. */
import { Type, type Static } from '@sinclair/typebox';
import { Clearable, DateSchema, described, FreeText, IdSchema, InstantSchema, Nullable, PagingQuerySchema } from '../shared/schemas.js';
import { DossierStatusSchema } from '../dossiers/schemas.js';
import { PersonSchema } from './persons.schemas.js';
import { identificationDocumentTypes, identificationMethods, notePriorities, noteSorts, propertyTypes, relationTypes } from '../../domain/crm/card.js';

export { identificationDocumentTypes, identificationMethods, notePriorities, noteSorts, propertyTypes, relationTypes };
export type { NoteSort, PropertyType, RelationType } from '../../domain/crm/card.js';

const Text = (max: number, description?: string) =>
  Type.String({ minLength: 1, maxLength: max, pattern: '\\S', ...(description ? { description } : {}) });

// ---- admin definitions ----------------------------------------------------------------------


export const PropertyDefinitionInputSchema = Type.Object(
  {
    key: Type.String({ pattern: '^[a-z][a-z0-9_-]{0,59}$', description: 'stable key, e.g. "hobby"' }),
    label: Text(120),
    type: Type.Union(propertyTypes.map((t) => Type.Literal(t))),
    choices: Type.Optional(Type.Array(Text(120), { minItems: 1, maxItems: 100, uniqueItems: true, description: 'only (and required) for type choice' })),
  },
  { additionalProperties: false },
);
export type PropertyDefinitionInput = Static<typeof PropertyDefinitionInputSchema>;

export const PropertyDefinitionSchema = Type.Object({
  id: IdSchema,
  key: Type.String(),
  label: Type.String(),
  type: Type.Union(propertyTypes.map((t) => Type.Literal(t))),
  choices: Nullable(Type.Array(Type.String())),
  createdAt: InstantSchema,
});
export type PropertyDefinition = Static<typeof PropertyDefinitionSchema>;

export const PropertyValueSchema = Type.Union([Type.String({ maxLength: 2000 }), Type.Number(), Type.Boolean(), Type.Null()]);
export type PropertyValue = Static<typeof PropertyValueSchema>;

/**
 * On input the value is taken as sent and checked against the property's type in code: a union
 * here would let the app's type coercion turn 2 into "2" or "true" into true.
 */
export const PropertyValueInputSchema = Type.Object(
  { value: Type.Unsafe<unknown>({ description: 'string (text, date YYYY-MM-DD, choice), number, boolean, or null' }) },
  { additionalProperties: false, description: 'null clears the value' },
);

export const PropertyKeyParamsSchema = Type.Object({ id: IdSchema, key: Type.String({ maxLength: 60 }) }, { additionalProperties: false });

export const IndicatorInputSchema = Type.Object(
  {
    label: Text(80, 'e.g. Lead, Oud-medewerker'),
    showInDossier: Type.Optional(Type.Boolean({ description: 'show behind the person name in the dossier (default false)' })),
  },
  { additionalProperties: false },
);
export type IndicatorInput = Static<typeof IndicatorInputSchema>;

export const IndicatorSchema = Type.Object({ id: IdSchema, label: Type.String(), showInDossier: Type.Boolean() });
export type Indicator = Static<typeof IndicatorSchema>;

export const PersonIndicatorsInputSchema = Type.Object(
  { indicatorIds: Type.Array(IdSchema, { maxItems: 100, uniqueItems: true, description: 'the complete set of active indicators' }) },
  { additionalProperties: false },
);

// ---- relations --------------------------------------------------------------------------------


export const RelationInputSchema = Type.Object(
  {
    personId: IdSchema,
    type: Type.Union(relationTypes.map((t) => Type.Literal(t)), { description: 'what personId is to this person: partner, ouder (parent), kind (child), collega, other' }),
  },
  { additionalProperties: false },
);

export const RelationSchema = Type.Object({
  id: IdSchema,
  type: Type.Union(relationTypes.map((t) => Type.Literal(t))),
  person: Type.Object({ id: IdSchema, name: Type.String() }),
  createdAt: InstantSchema,
});
export type Relation = Static<typeof RelationSchema>;

// ---- notes ------------------------------------------------------------------------------------

const PrioritySchema = Type.Union(notePriorities.map((p) => Type.Literal(p)));

export const NoteInputSchema = Type.Object(
  {
    title: Text(200),
    text: Type.Optional(FreeText({ maxLength: 20_000, description: 'the note itself (free text: line breaks allowed); default empty' })),
    priority: Type.Optional(PrioritySchema),
    showInDossier: Type.Optional(Type.Boolean()),
    alwaysFirst: Type.Optional(Type.Boolean({ description: 'always shown first (otherwise the newest note is on top)' })),
  },
  { additionalProperties: false },
);
export type NoteInput = Static<typeof NoteInputSchema>;

export const NoteSchema = Type.Object({
  id: IdSchema,
  title: Type.String(),
  text: Type.String(),
  priority: PrioritySchema,
  showInDossier: Type.Boolean(),
  alwaysFirst: Type.Boolean(),
  createdBy: Type.String(),
  createdByName: Type.Optional(Type.String({ description: "the author's name (the credential's), in lists" })),
  createdAt: InstantSchema,
  updatedAt: InstantSchema,
});
export type Note = Static<typeof NoteSchema>;

export const NoteQuerySchema = Type.Object(
  { sort: Type.Optional(Type.Union(noteSorts.map((s) => Type.Literal(s)), { description: 'after always-first: newest first (date), highest priority first, or by author name A–Z, then newest (author)' })) },
  { additionalProperties: false },
);

export const SubIdParamsSchema = Type.Object({ id: IdSchema, itemId: IdSchema }, { additionalProperties: false });

// ---- signals ----------------------------------------------------------------------------------

const TimeSchema = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'HH:MM, Europe/Amsterdam' });

export const SignalInputSchema = Type.Object(
  { title: Text(200), date: DateSchema, time: Type.Optional(TimeSchema) },
  { additionalProperties: false },
);
export type SignalInput = Static<typeof SignalInputSchema>;

export const SignalPatchSchema = Type.Object(
  {
    title: Type.Optional(Text(200)),
    date: Type.Optional(DateSchema),
    time: Type.Optional(Clearable(TimeSchema, 'HH:MM, Europe/Amsterdam')),
    done: Type.Optional(Type.Boolean({ description: 'true: done (leaves the work queue); false: open again' })),
  },
  { additionalProperties: false, minProperties: 1, description: 'only the fields sent change; time: null removes the time' },
);
export type SignalPatch = Static<typeof SignalPatchSchema>;

export const SignalSchema = Type.Object({
  id: IdSchema,
  title: Type.String(),
  date: Type.String({ format: 'date' }),
  time: Nullable(Type.String()),
  done: Type.Boolean(),
  due: Type.Boolean({ description: 'open and its moment has come: it is in the work queue' }),
  createdAt: InstantSchema,
});
export type Signal = Static<typeof SignalSchema>;

// ---- identification (klantidentificatie) ------------------------------------------------------


export const IdentificationInputSchema = Type.Object(
  {
    method: Type.Union(identificationMethods.map((m) => Type.Literal(m)), { description: 'in_person (in persoon), video, idin, copy (kopie), other' }),
    documentType: Type.Union(identificationDocumentTypes.map((d) => Type.Literal(d))),
    documentNumber: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9]{6,20}$', description: 'stored; answered masked (last 4 only)' })),
    validUntil: Type.Optional(DateSchema),
    checkedAt: Type.Optional(described(InstantSchema, 'when the identity was checked; default now; not in the future')),
  },
  { additionalProperties: false },
);
export type IdentificationInput = Static<typeof IdentificationInputSchema>;

export const IdentificationSchema = Type.Object({
  method: Type.Union(identificationMethods.map((m) => Type.Literal(m))),
  documentType: Type.Union(identificationDocumentTypes.map((d) => Type.Literal(d))),
  documentNumberMasked: Nullable(Type.String({ description: 'all but the last 4 characters masked' })),
  validUntil: Nullable(Type.String({ format: 'date' })),
  expired: Type.Boolean(),
  checkedBy: Type.Object({ credentialId: IdSchema, name: Type.String() }),
  checkedAt: InstantSchema,
  updatedAt: InstantSchema,
});
export type Identification = Static<typeof IdentificationSchema>;

// ---- the card ---------------------------------------------------------------------------------

const CardPropertySchema = Type.Object({
  key: Type.String(),
  label: Type.String(),
  type: Type.String(),
  choices: Nullable(Type.Array(Type.String())),
  value: PropertyValueSchema,
});

const CardFileSchema = Type.Object({
  id: IdSchema,
  dossierId: IdSchema,
  dossierNumber: Type.String(),
  documentType: Type.String(),
  filename: Type.String(),
  sizeBytes: Type.Integer(),
  createdAt: InstantSchema,
  href: Type.String(),
});

const CardMailSchema = Type.Object({
  id: IdSchema,
  direction: Type.Union([Type.Literal('out'), Type.Literal('in')]),
  dossierId: IdSchema,
  toAddress: Type.String(),
  subject: Type.String(),
  status: Type.String(),
  createdAt: InstantSchema,
  sentAt: Nullable(InstantSchema),
});

const CardDossierSchema = Type.Object({
  id: IdSchema,
  number: Type.String(),
  status: DossierStatusSchema,
  createdAt: InstantSchema,
  applicants: Type.Array(Type.Object({ position: Type.Integer(), personId: IdSchema, name: Type.String() })),
  products: Type.Array(Type.Object({ id: IdSchema, type: Type.String(), company: Nullable(Type.String()), status: Type.String(), category: Type.String() })),
  href: Type.String(),
});

export const CrmCardSchema = Type.Object({
  basic: Type.Object({
    id: IdSchema,
    firstName: Type.String(),
    infix: Nullable(Type.String()),
    lastName: Type.String(),
    name: Type.String(),
    anonymised: Type.Boolean(),
    createdAt: InstantSchema,
  }),
  personal: Type.Object({ birthDate: Nullable(Type.String({ format: 'date' })) }),
  contact: Type.Object({
    email: Nullable(Type.String()),
    phone: Nullable(Type.String()),
    address: PersonSchema.properties.address,
    mailOptOut: Type.Boolean(),
  }),
  properties: Type.Array(CardPropertySchema),
  indicators: Type.Array(IndicatorSchema),
  relations: Type.Array(RelationSchema),
  notes: Type.Array(NoteSchema),
  signals: Type.Object({ open: Type.Integer(), items: Type.Array(SignalSchema) }),
  identification: Nullable(IdentificationSchema),
  riskClass: Nullable(Type.Object({ class: Type.String(), since: InstantSchema })),
  files: Type.Array(CardFileSchema),
  mails: Type.Array(CardMailSchema),
  sameAddress: Type.Array(Type.Object({ id: IdSchema, name: Type.String(), houseNumberSuffix: Nullable(Type.String()) })),
  dossiers: Type.Array(CardDossierSchema),
  newDossier: Type.Object({ method: Type.Literal('POST'), href: Type.String(), description: Type.String() }),
});
export type CrmCard = Static<typeof CrmCardSchema>;

export const PersonDossierInputSchema = Type.Object(
  { partnerPersonId: Type.Optional(IdSchema) },
  { additionalProperties: false, description: 'this person is applicant 1; optionally a second applicant' },
);

// ---- dossier highlights (what the dossier view shows of its applicants' cards) ------------------

export const DossierHighlightsSchema = Type.Object({
  applicants: Type.Array(
    Type.Object({ personId: IdSchema, indicators: Type.Array(IndicatorSchema), notes: Type.Array(NoteSchema) }),
  ),
});

// ---- work queue -------------------------------------------------------------------------------

export const WorkQueueQuerySchema = Type.Object(
  {
    kind: Type.Optional(Type.Union([Type.Literal('task'), Type.Literal('signal'), Type.Literal('appointment')])),
    assignee: Type.Optional(Type.Union([Type.Literal('adviser'), Type.Literal('backoffice')], { description: 'filters tasks; signals have no assignee' })),
    ...PagingQuerySchema,
  },
  { additionalProperties: false },
);

export const WorkQueueItemSchema = Type.Object({
  kind: Type.Union([Type.Literal('task'), Type.Literal('signal'), Type.Literal('appointment')], {
    description: 'an open task, a CRM signal whose moment has come, or an upcoming appointment (date and time in Europe/Amsterdam; assignee: the adviser)',
  }),
  id: IdSchema,
  title: Type.String(),
  dueDate: Nullable(Type.String({ format: 'date' })),
  dueTime: Nullable(Type.String()),
  assignee: Nullable(Type.String()),
  dossierId: Nullable(IdSchema),
  personId: Nullable(IdSchema),
  personName: Nullable(Type.String()),
  createdAt: InstantSchema,
  href: Type.String(),
});
export type WorkQueueItem = Static<typeof WorkQueueItemSchema>;

export const WorkQueueSchema = Type.Object({
  items: Type.Array(WorkQueueItemSchema),
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
});
