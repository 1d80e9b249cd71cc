/** Client dossiers (*klantdossiers*). */
import { Type, type Static } from '@sinclair/typebox';
import { literalUnion } from '../../domain/closed-list.js';
import { dossierStatuses } from '../../domain/dossiers/status.js';
import { IdSchema, InstantSchema, Nullable, PagingQuerySchema, ref } from '../shared/schemas.js';
import { PersonFieldHistoryLineSchema, PersonInputSchema, PersonPatchSchema, PersonSchema } from '../crm/persons.schemas.js';
import { productCardFields } from '../products/schemas.js';

export const DossierStatusSchema = literalUnion(dossierStatuses, {
  description: 'prospect or client (klant)',
});

/** An applicant: an existing person, or a new one (same fields as POST /persons). */
export const ApplicantInputSchema = Type.Union(
  [
    Type.Object({ personId: IdSchema }, { additionalProperties: false }),
    Type.Object({ person: ref(PersonInputSchema) }, { additionalProperties: false }),
  ],
  { $id: 'ApplicantInput' },
);
export type ApplicantInput = Static<typeof ApplicantInputSchema>;

export const DossierCreateSchema = Type.Object(
  { applicants: Type.Array(ref(ApplicantInputSchema), { minItems: 1, maxItems: 2 }) },
  { $id: 'DossierCreate', additionalProperties: false },
);
export type DossierCreate = Static<typeof DossierCreateSchema>;

const ApplicantSummary = Type.Object({
  position: Type.Integer(),
  personId: IdSchema,
  name: Type.String(),
  email: Nullable(Type.String()),
});

export const DossierSummarySchema = Type.Object(
  {
    id: IdSchema,
    number: Type.String(),
    status: DossierStatusSchema,
    applicants: Type.Array(ApplicantSummary),
    createdAt: InstantSchema,
  },
  { $id: 'DossierSummary' },
);
export type DossierSummary = Static<typeof DossierSummarySchema>;

export const DocumentSummarySchema = Type.Object({
  id: IdSchema,
  productId: Nullable(Type.String()),
  documentType: Type.String(),
  filename: Type.String(),
  contentType: Type.String(),
  sizeBytes: Type.Integer(),
  createdAt: InstantSchema,
  href: Type.String(),
});
export type DocumentSummary = Static<typeof DocumentSummarySchema>;

export const TaskSchema = Type.Object({
  id: IdSchema,
  dossierId: IdSchema,
  productId: Nullable(Type.String()),
  title: Type.String(),
  assignee: Type.String(),
  dueDate: Nullable(Type.String({ format: 'date' })),
  status: Type.String(),
  createdAt: InstantSchema,
  completedAt: Nullable(InstantSchema),
});
export type TaskItem = Static<typeof TaskSchema>;

export const MailSchema = Type.Object({
  id: IdSchema,
  dossierId: IdSchema,
  productId: Nullable(Type.String()),
  template: Type.String(),
  toAddress: Type.String(),
  subject: Type.String(),
  status: Type.String(),
  createdAt: InstantSchema,
  sentAt: Nullable(InstantSchema),
});
export type MailItem = Static<typeof MailSchema>;

export const DossierProductSchema = Type.Object(productCardFields);

export const DossierEventSchema = Type.Object({
  at: InstantSchema,
  actor: Type.String(),
  kind: Type.String(),
  fromStatus: Nullable(Type.String()),
  toStatus: Type.String(),
});

export const DossierSchema = Type.Object(
  {
    id: IdSchema,
    number: Type.String(),
    status: DossierStatusSchema,
    applicants: Type.Array(Type.Object({ position: Type.Integer(), person: ref(PersonSchema) })),
    products: Type.Array(DossierProductSchema),
    documents: Type.Array(DocumentSummarySchema),
    tasks: Type.Array(TaskSchema),
    mails: Type.Array(MailSchema),
    history: Type.Array(DossierEventSchema),
    createdAt: InstantSchema,
    updatedAt: InstantSchema,
  },
  { $id: 'Dossier' },
);
export type Dossier = Static<typeof DossierSchema>;

export const DossierSearchQuerySchema = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200, description: 'applicant name or e-mail' })),
    status: Type.Optional(DossierStatusSchema),
    ...PagingQuerySchema,
  },
  { additionalProperties: false },
);

export const DossierListSchema = Type.Object({
  items: Type.Array(ref(DossierSummarySchema)),
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
});

/**
 * Editing the dossier's client data: the applicants are persons, so this edits the one person
 * record (the CRM card shows the same change, and the card's edits show here). Each applicant
 * names the version of the person the edit started from (`person.version` of GET /dossiers/:id).
 */
export const DossierPatchSchema = Type.Object(
  {
    applicants: Type.Array(
      Type.Object(
        {
          position: Type.Integer({ minimum: 1, maximum: 2, description: 'applicant 1 or 2' }),
          person: ref(PersonPatchSchema),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 2 },
    ),
  },
  { $id: 'DossierPatch', additionalProperties: false },
);
export type DossierPatch = Static<typeof DossierPatchSchema>;

export const DossierFieldHistoryPageSchema = Type.Object({
  items: Type.Array(
    Type.Object({ ...PersonFieldHistoryLineSchema.properties, position: Type.Integer({ description: 'applicant 1 or 2 of this dossier' }) }),
    { description: 'newest first' },
  ),
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
});
