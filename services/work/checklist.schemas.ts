/** Payloads of the client's document checklist (*stukkenlijst*): the adviser's view, the portal's, and their actions. */
import { Type, type Static } from '@sinclair/typebox';
import { checklistLineStatuses } from '../../domain/work/checklist-lines.js';
import { checklistUploaders } from '../../domain/work/items.js';
import { describeDocumentLineStatuses } from '../../domain/hdn/document-lines.js';
import { DateSchema, FreeText, IdSchema, InstantSchema, Nullable } from '../shared/schemas.js';

export const ChecklistLineParamsSchema = Type.Object({ id: IdSchema, lineId: IdSchema }, { additionalProperties: false });
export const PortalLineParamsSchema = Type.Object({ lineId: IdSchema }, { additionalProperties: false });

export const ChecklistFileSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  filename: Type.String(),
  contentType: Type.String(),
  sizeBytes: Type.Integer({ minimum: 0 }),
  uploadedBy: Type.Union(checklistUploaders.map((u) => Type.Literal(u)), { description: 'adviser or client (in the portal)' }),
  attachedAt: InstantSchema,
});

/** A DA line of one of the dossier's products that asks for the same document (for sending it on as DX). */
export const LenderLineSchema = Type.Object({
  productId: Type.String({ format: 'uuid' }),
  lineId: Type.String(),
  documentKind: Type.String({ description: 'HDN SoortDocument' }),
  description: Nullable(Type.String()),
  status: Type.String({ description: `DocumentStatus: ${describeDocumentLineStatuses()}` }),
});

export const ChecklistLineSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  checklistId: Type.String({ format: 'uuid' }),
  productId: Type.String({ format: 'uuid' }),
  code: Type.String(),
  label: Type.String(),
  status: Type.Union(checklistLineStatuses.map((s) => Type.Literal(s)), { description: 'expired: the file is older than the line\'s validity on today\'s date' }),
  statusLabel: Type.String({ description: 'Dutch: Opgevraagd, Aangeleverd, Goedgekeurd, Afgekeurd, Verlopen' }),
  validityMonths: Nullable(Type.Integer({ minimum: 0 })),
  validUntil: Nullable(DateSchema),
  file: Nullable(ChecklistFileSchema),
  reviewedAt: Nullable(InstantSchema),
  reviewedBy: Nullable(Type.String({ description: "the reviewing adviser's credential name" })),
  rejectionReason: Nullable(Type.String()),
});
export type ChecklistLine = Static<typeof ChecklistLineSchema>;

export const AdviserChecklistLineSchema = Type.Composite([
  ChecklistLineSchema,
  Type.Object({
    lenderLines: Type.Array(LenderLineSchema, { description: 'DA lines of the dossier\'s products this file can be sent on to as DX' }),
    history: Type.Array(
      Type.Object({
        file: ChecklistFileSchema,
        review: Nullable(Type.Union([Type.Literal('approved'), Type.Literal('rejected')])),
        reviewedAt: Nullable(InstantSchema),
        rejectionReason: Nullable(Type.String()),
      }),
      { description: 'every file attached to the line, newest first' },
    ),
  }),
]);
export type AdviserChecklistLine = Static<typeof AdviserChecklistLineSchema>;

export const ChecklistSchema = Type.Object({
  dossierId: Type.String({ format: 'uuid' }),
  today: DateSchema,
  lines: Type.Array(AdviserChecklistLineSchema),
});

export const PortalChecklistSchema = Type.Object({
  dossierId: Type.String({ format: 'uuid' }),
  dossierNumber: Type.String(),
  officeName: Type.String(),
  today: DateSchema,
  lines: Type.Array(ChecklistLineSchema),
});

export const AttachUploadBodySchema = Type.Object(
  { uploadId: Type.String({ format: 'uuid', description: 'a completed upload (POST /uploads, tus) made with the same credential' }) },
  { additionalProperties: false },
);
export type AttachUploadBody = Static<typeof AttachUploadBodySchema>;

export const RejectLineBodySchema = Type.Object(
  { reason: FreeText({ minLength: 3, maxLength: 1000, description: 'why (*reden*), mailed to the client' }) },
  { additionalProperties: false },
);

export const SendToLenderBodySchema = Type.Object(
  { productId: Type.Optional(Type.String({ format: 'uuid' })), lineId: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })) },
  { additionalProperties: false, description: 'the DA line to send to; may be left out when exactly one matches' },
);

export const SendToLenderResultSchema = Type.Object({
  productId: Type.String({ format: 'uuid' }),
  lineId: Type.String(),
  documentId: Type.String({ format: 'uuid' }),
  filename: Type.String(),
  sizeBytes: Type.Integer(),
});

export const OpenPortalSessionBodySchema = Type.Object(
  { token: Type.String({ minLength: 16, maxLength: 200, pattern: '^[A-Za-z0-9_-]+$', description: 'the token of the activation link' }) },
  { additionalProperties: false },
);
export const PortalSessionSchema = Type.Object({
  token: Type.String({ description: 'bearer token of the portal session (role client)' }),
  expiresAt: InstantSchema,
  dossierId: Type.String({ format: 'uuid' }),
});
