/**
 * Payloads of the inbound mail routes (*inkomende mail*): the mails on a person's card, on a
 * dossier and in the office's inbox of unmatched mail, one mail with its text, and linking a mail
 * to a person (and a dossier) by hand.
 */
import { Type, type Static } from '@sinclair/typebox';
import { inboundMailLinkKinds } from '../../domain/mailbox/closed-lists.js';
import { IdSchema, InstantSchema, Nullable } from '../shared/schemas.js';

export const InboundMailLinkKindSchema = Type.Union(
  inboundMailLinkKinds.map((k) => Type.Literal(k)),
  { description: 'address: linked when stored, by the From address | hand: linked by an adviser' },
);

export const InboundMailLinkSchema = Type.Object(
  {
    personId: IdSchema,
    personName: Nullable(Type.String()),
    dossierId: Nullable(IdSchema),
    dossierNumber: Nullable(Type.String()),
    kind: InboundMailLinkKindSchema,
    linkedAt: InstantSchema,
  },
  { additionalProperties: false },
);

export const InboundAttachmentSchema = Type.Object(
  {
    id: IdSchema,
    filename: Type.String(),
    contentType: Type.String(),
    sizeBytes: Type.Integer({ minimum: 0 }),
    /** False: over the size limit, not kept (name and size only). */
    stored: Type.Boolean({ description: 'false: larger than the limit, only its name and size were kept' }),
    /** Download path (GET, adviser credential). */
    url: Nullable(Type.String()),
  },
  { additionalProperties: false },
);

export const InboundMailSummarySchema = Type.Object(
  {
    id: IdSchema,
    messageId: Type.String({ description: 'the normalised Message-ID, or synthetic:<sha256> for a mail without one' }),
    fromAddress: Nullable(Type.String()),
    fromName: Nullable(Type.String()),
    toAddresses: Type.Array(Type.String()),
    subject: Type.String(),
    sentAt: Nullable(InstantSchema),
    receivedAt: InstantSchema,
    links: Type.Array(InboundMailLinkSchema),
    attachments: Type.Array(InboundAttachmentSchema),
  },
  { additionalProperties: false },
);
export type InboundMailSummary = Static<typeof InboundMailSummarySchema>;

export const InboundMailSchema = Type.Composite(
  [
    InboundMailSummarySchema,
    Type.Object({
      text: Nullable(Type.String({ description: 'the plain text body (of a multipart/alternative: its text part)' })),
      hasHtml: Type.Boolean({ description: 'the mail also had an HTML body (kept, not shown: the text is)' }),
    }),
  ],
  { additionalProperties: false },
);
export type InboundMail = Static<typeof InboundMailSchema>;

export const InboundMailListSchema = Type.Object({ items: Type.Array(InboundMailSummarySchema) }, { additionalProperties: false });
export type InboundMailList = Static<typeof InboundMailListSchema>;

export const InboundMailLinkCreateSchema = Type.Object(
  {
    personId: IdSchema,
    dossierId: Type.Optional(Nullable(IdSchema)),
  },
  { additionalProperties: false, description: 'Link the mail to a person of the office (and optionally one of their dossiers).' },
);
export type InboundMailLinkCreate = Static<typeof InboundMailLinkCreateSchema>;

export const InboundAttachmentParamsSchema = Type.Object({ id: IdSchema, attachmentId: IdSchema }, { additionalProperties: false });
