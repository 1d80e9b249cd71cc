/**
 * The payloads of person files (*bestanden* on the CRM card): a file, its history (audit of
 * attach, moves and delete) and the two inputs (attach an upload, move to a dossier or back).
 */
import { Type, type Static } from '@sinclair/typebox';
import { literalUnion } from '../../domain/closed-list.js';
import { personFileEventKinds } from '../../domain/person-files/files.js';
import { IdSchema, InstantSchema, Nullable } from '../shared/schemas.js';

const Uuid = (description: string) => Type.String({ format: 'uuid', description });

const DossierRefSchema = Type.Object({ id: Type.String(), number: Nullable(Type.String()) }, { additionalProperties: false });
const ActorSchema = Type.Object({ credentialId: Type.String(), name: Nullable(Type.String()) }, { additionalProperties: false });

export const PersonFileEventSchema = Type.Object(
  {
    kind: literalUnion(personFileEventKinds, { description: 'attached to the card, moved (from → to; null = the card), deleted' }),
    from: Nullable(DossierRefSchema),
    to: Nullable(DossierRefSchema),
    by: ActorSchema,
    at: InstantSchema,
  },
  { additionalProperties: false },
);
export type PersonFileEvent = Static<typeof PersonFileEventSchema>;

export const PersonFileSchema = Type.Object(
  {
    id: Type.String(),
    personId: Type.String(),
    personName: Type.Optional(Type.String({ description: 'on the dossier view: whose file it is' })),
    filename: Type.String(),
    contentType: Type.String({ description: 'sniffed from the content by the upload engine' }),
    sizeBytes: Type.Integer({ minimum: 0 }),
    sha256: Type.String(),
    dossier: Nullable(DossierRefSchema),
    createdBy: ActorSchema,
    createdAt: InstantSchema,
    updatedAt: InstantSchema,
    href: Type.String({ description: 'GET: the bytes (streamed)' }),
    history: Type.Array(PersonFileEventSchema),
  },
  { additionalProperties: false },
);
export type PersonFile = Static<typeof PersonFileSchema>;

export const PersonFileListSchema = Type.Object({ items: Type.Array(PersonFileSchema) }, { additionalProperties: false });

export const PersonFileAttachSchema = Type.Object(
  { uploadId: Uuid('a completed upload (tus, POST /uploads) made by the calling credential') },
  { additionalProperties: false },
);

export const PersonFileMoveSchema = Type.Object(
  { dossierId: Nullable(Uuid('a dossier of the office in which the person is an applicant; null moves it back to the card only')) },
  { additionalProperties: false },
);

export const PersonFileParamsSchema = Type.Object({ id: IdSchema, fileId: IdSchema }, { additionalProperties: false });
