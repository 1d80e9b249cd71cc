/** HDN messages: the inbound answer, the inbox, message details, converting an AX, routing by hand; lender document uploads. */
import { Type, type Static } from '@sinclair/typebox';
import { literalUnion } from '../../domain/closed-list.js';
import { describeDocumentLineStatuses } from '../../domain/hdn/document-lines.js';
import { hdnMessageDirections, hdnMessageStates, hdnMessageTypes } from '../../domain/hdn/message-types.js';
import { IdSchema, InstantSchema, Nullable, PagingQuerySchema, XmlDocumentBody } from '../shared/schemas.js';

export const HdnMessageTypeSchema = literalUnion(hdnMessageTypes, {
  description: 'BerichtSoort: AX application, SX status, OX offer, DA document request, DX document',
});

export const HdnMessageDirectionSchema = literalUnion(hdnMessageDirections, {
  description: 'in: from advice software or a lender; out: sent by us to a lender',
});

export const HdnMessageStateSchema = literalUnion(
  hdnMessageStates,
  {
    description:
      'received (stored; an AX waits in the inbox, a lender message is not yet delivered), delivered (signalled to its ' +
      'product), applied/recorded/ignored (outcome set by the product process), parked (no product found; route it by ' +
      'hand), converted (AX turned into a product); outbound: pending, sent, failed',
  },
);

/** The body of POST /hdn/messages: the HDN XML itself (application/xml or text/xml). */
export const HdnXmlBodySchema = XmlDocumentBody({
  description: 'One HDN message as XML (UTF-8), at most 20 MiB. DOCTYPE and entity declarations are refused.',
});

export const HdnInboundAnswerSchema = Type.Object(
  {
    id: IdSchema,
    type: HdnMessageTypeSchema,
    state: HdnMessageStateSchema,
    duplicate: Type.Boolean({ description: 'true when this message had been received before (same answer, no new effect)' }),
    reason: Type.Optional(Type.String({ description: 'why the message is parked or only recorded' })),
  },
  { $id: 'HdnInboundAnswer' },
);
export type HdnInboundAnswer = Static<typeof HdnInboundAnswerSchema>;

const messageItemFields = {
  id: IdSchema,
  direction: HdnMessageDirectionSchema,
  type: HdnMessageTypeSchema,
  state: HdnMessageStateSchema,
  reason: Nullable(Type.String()),
  summary: Type.String({ description: 'non-personal one-line summary' }),
  senderNode: Type.String(),
  receiverNode: Type.String(),
  applicationNumber: Type.String({ description: 'AanvraagVolgNr' }),
  applicationVersion: Type.Integer({ description: 'AanvraagVersie' }),
  statusCode: Nullable(Type.String({ description: 'SX status code, e.g. "09"' })),
  codes: Type.Optional(
    Type.Array(
      Type.Object({
        field: Type.String({ description: 'our field, e.g. "statusCode" or "lines[2].documentKind"' }),
        element: Type.String({ description: 'the element path in the message' }),
        list: Type.String({ description: 'the code list of the HDN data file, e.g. "sxStatus"' }),
        code: Type.String(),
        status: Type.Union([Type.Literal('unknown'), Type.Literal('unverified')]),
        note: Type.String({ description: 'in Dutch words for the adviser, e.g. "onbekende status 77"' }),
      }),
      {
        description:
          'codes of this message that its HDN version does not know, or marks unverified and the office has not enabled ' +
          '(HDN_ENABLED_UNVERIFIED_CODES); the message was stored and handled all the same. Absent: none.',
      },
    ),
  ),
  productId: Nullable(Type.String()),
  receivedAt: InstantSchema,
  processedAt: Nullable(InstantSchema),
};

export const HdnMessageItemSchema = Type.Object(messageItemFields);
export type HdnMessageItem = Static<typeof HdnMessageItemSchema>;

export const HdnInboxQuerySchema = Type.Object(
  {
    state: Type.Optional(
      Type.Array(HdnMessageStateSchema, { description: 'repeat for several; default received and parked', maxItems: 10 }),
    ),
    type: Type.Optional(Type.Array(HdnMessageTypeSchema, { maxItems: 5 })),
    ...PagingQuerySchema,
  },
  { additionalProperties: false },
);
export type HdnInboxQuery = Static<typeof HdnInboxQuerySchema>;

export const HdnInboxSchema = Type.Object({
  items: Type.Array(HdnMessageItemSchema),
  total: Type.Integer(),
});
export type HdnInbox = Static<typeof HdnInboxSchema>;

export const HdnMessageDetailSchema = Type.Object(
  {
    ...messageItemFields,
    rawXml: Type.String({ description: 'the message exactly as received or sent (may hold personal data)' }),
    parsed: Type.Optional(
      Type.Unknown({ description: 'AX only: the parsed application (applicants, property, loan parts)' }),
    ),
  },
  { $id: 'HdnMessageDetail' },
);
export type HdnMessageDetail = Static<typeof HdnMessageDetailSchema>;

export const HdnConvertRequestSchema = Type.Object(
  {
    dossierId: Type.Optional(
      Type.String({
        format: 'uuid',
        description: 'put the product in this dossier; its applicants must include the matched persons',
      }),
    ),
  },
  { $id: 'HdnConvertRequest', additionalProperties: false },
);
export type HdnConvertRequest = Static<typeof HdnConvertRequestSchema>;

export const HdnConvertResultSchema = Type.Object(
  {
    productId: IdSchema,
    dossierId: IdSchema,
    personIds: Type.Array(IdSchema, { description: 'the persons of the AX applicants, in applicant order' }),
    createdPersons: Type.Array(IdSchema, { description: 'persons created by this call' }),
    matchedPersons: Type.Array(IdSchema, { description: 'existing persons reused (missing contact data filled in)' }),
    alreadyConverted: Type.Boolean({ description: 'true when the application had been converted before (nothing new made)' }),
  },
  { $id: 'HdnConvertResult' },
);
export type HdnConvertResult = Static<typeof HdnConvertResultSchema>;

export const HdnRouteRequestSchema = Type.Object(
  { productId: Type.String({ format: 'uuid', description: 'the mortgage product whose HDN application this message is about' }) },
  { $id: 'HdnRouteRequest', additionalProperties: false },
);
export type HdnRouteRequest = Static<typeof HdnRouteRequestSchema>;

export const ProductHdnMessagesQuerySchema = Type.Object(
  { includeXml: Type.Optional(Type.Boolean({ default: false, description: 'add rawXml to every item' })) },
  { additionalProperties: false },
);

export const ProductHdnMessageSchema = Type.Object({
  ...messageItemFields,
  rawXml: Type.Optional(Type.String()),
});
export type ProductHdnMessage = Static<typeof ProductHdnMessageSchema>;

export const ProductHdnMessagesSchema = Type.Object({ items: Type.Array(ProductHdnMessageSchema) });

export const HdnDocumentLineSchema = Type.Object(
  {
    id: IdSchema,
    lineId: Type.String({ description: "the lender's line reference (DocumentRegelId)" }),
    documentKind: Type.String({ description: 'SoortDocument' }),
    description: Nullable(Type.String()),
    status: Type.String({ description: `${describeDocumentLineStatuses()} (other codes as the lender sent them)` }),
    applicantPosition: Nullable(Type.Integer()),
    fetchedByLender: Type.Boolean({ description: 'the lender fetched it itself: no document may be sent for it' }),
    remark: Nullable(Type.String()),
    messageId: IdSchema,
    updatedAt: InstantSchema,
  },
);
export type HdnDocumentLineView = Static<typeof HdnDocumentLineSchema>;

export const HdnDocumentLinesSchema = Type.Object({ items: Type.Array(HdnDocumentLineSchema) });

/** Uploading a document for a line of the lender's checklist (sent to the lender as DX). */
export const LenderDocumentParamsSchema = Type.Object({
  id: Type.String({ format: 'uuid', description: 'product id' }),
  lineId: Type.String({ minLength: 1, maxLength: 64, description: "the line of the lender's checklist (DocumentRegelId)" }),
});
export const LenderDocumentQuerySchema = Type.Object({
  filename: Type.String({ minLength: 1, maxLength: 200, description: 'the original file name' }),
});
export const LenderDocumentUploadSchema = Type.Object(
  {
    documentId: Type.String({ format: 'uuid' }),
    filename: Type.String(),
    sizeBytes: Type.Integer(),
    lineId: Type.String(),
    documentKind: Type.String(),
    attempt: Type.Integer({ description: 'the how-manieth DX for this line' }),
    messageId: Type.String({ format: 'uuid', description: 'the outbound DX message' }),
  },
  { $id: 'LenderDocumentUpload' },
);
export type LenderDocumentUpload = Static<typeof LenderDocumentUploadSchema>;

/**
 * "New AX version needed" on a mortgage product: applicant data that went to the lender in the
 * last AX sent were changed since, so the lender decides on outdated data until the adviser
 * sends a new AX version. Nothing is sent automatically.
 */
export const AxVersionNeededSchema = Type.Object(
  {
    sentAt: InstantSchema,
    applicationVersion: Type.Integer({ description: 'the version of the application last sent (AX)' }),
    since: InstantSchema,
    changes: Type.Array(
      Type.Object({
        personId: IdSchema,
        position: Type.Integer({ description: 'applicant 1 or 2 of the dossier' }),
        field: Type.String({ description: 'the person field that changed (see PersonFieldHistoryLine.field)' }),
        at: InstantSchema,
      }),
      { description: 'every field changed since, the first change of each field' },
    ),
  },
  { description: 'null when the lender has the current data (or no AX was sent)' },
);
export type AxVersionNeeded = Static<typeof AxVersionNeededSchema>;
