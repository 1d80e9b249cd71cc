/**
 * RISK payloads: the webhook's XML body and answer, the RISK inbox, matching by hand, the quote
 * request and the insurance view of a product. Inline schemas (no $id): only RISK routes use them.
 */
import { Type, type Static } from '@sinclair/typebox';
import { DateSchema, IdSchema, InstantSchema, Nullable, XmlDocumentBody } from '../shared/schemas.js';
import { insuranceEventKinds } from '../../domain/insurance/events.js';
import { riskMessageSources, riskMessageStates } from '../../domain/insurance/risk-messages.js';

const Code = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$' });

export const RiskXmlBodySchema = XmlDocumentBody({
  description:
    'One RISK message as SIVI AFD 1.0 XML (<Contractdocument>, UTF-8), at most 10 MiB. DOCTYPE and entity declarations are refused.',
});

/**
 * One RISK message as AFD 2.0 JSON. Its exact shape is not public (integrations/risk/afd2-json.ts
 * reads it through the same mapping as the XML), so the document promises an object and no more.
 */
export const RiskAfd2JsonBodySchema = Type.Object(
  {},
  {
    additionalProperties: true,
    description: 'One RISK message as AFD 2.0 JSON (shape unverified: not public), at most 10 MiB, read through the RISK AFD mapping.',
  },
);

/** The webhook's body per content type: the reader is chosen by it, a body in the other form is refused. */
export const RiskWebhookBodySchema = {
  content: {
    'application/xml': { schema: RiskXmlBodySchema },
    'text/xml': { schema: RiskXmlBodySchema },
    'application/json': { schema: RiskAfd2JsonBodySchema },
  },
} as const;

export const RiskMessageStateSchema = Type.Union(
  riskMessageStates.map((s) => Type.Literal(s)),
  {
    description:
      'received → waiting (no match: in the RISK inbox) or delivered → applied / ignored (older or conflicting) / recorded (product ended); parked: failed RISK\'s AFD XSD (reason = the validator\'s words), never routed',
  },
);
export const RiskEventKindSchema = Type.Union(insuranceEventKinds.map((s) => Type.Literal(s)));
export const RiskMessageSourceSchema = Type.Union(riskMessageSources.map((s) => Type.Literal(s)));

export const RiskInboundAnswerSchema = Type.Object({
  id: IdSchema,
  state: RiskMessageStateSchema,
  duplicate: Type.Boolean({ description: 'true when this message had been received before (same answer, no new effect)' }),
  productId: Nullable(IdSchema),
  reason: Type.Optional(Type.String()),
});
export type RiskInboundAnswer = Static<typeof RiskInboundAnswerSchema>;

export const RiskMessageItemSchema = Type.Object({
  id: IdSchema,
  messageKey: Type.String({ description: 'AL_BERRFNR (RISK\'s message reference)' }),
  kind: RiskEventKindSchema,
  policyNumber: Type.String({ description: 'PP_NUMMER' }),
  version: Type.Integer({ description: 'RISK event version (the mapping\'s version label; 1 when the message has none)' }),
  eventAt: InstantSchema,
  state: RiskMessageStateSchema,
  reason: Nullable(Type.String()),
  summary: Type.String({ description: 'non-personal one-line summary' }),
  notes: Type.Array(Type.String(), { description: 'what the RISK AFD mapping could not explain (unknown branch or code, fallbacks), in words' }),
  source: RiskMessageSourceSchema,
  productId: Nullable(IdSchema),
  receivedAt: InstantSchema,
  processedAt: Nullable(InstantSchema),
});
export type RiskMessageItem = Static<typeof RiskMessageItemSchema>;

export const RiskInboxQuerySchema = Type.Object(
  {
    state: Type.Optional(RiskMessageStateSchema),
    limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
  },
  { additionalProperties: false },
);

export const RiskMatchRequestSchema = Type.Object(
  {
    dossierId: IdSchema,
    personId: Type.Optional(IdSchema),
  },
  { additionalProperties: false },
);
export type RiskMatchRequest = Static<typeof RiskMatchRequestSchema>;

export const InsuranceQuoteRequestSchema = Type.Object(
  {
    branch: Type.String({ pattern: '^[0-9]{3}$', description: 'ADNBRA branch code (3 digits; no public code list: see integrations/afd/code-lists)' }),
    insurerCode: Type.Optional(Code),
    startDate: DateSchema,
    personId: Type.Optional(IdSchema),
    coverages: Type.Array(
      Type.Object(
        {
          code: Code,
          description: Type.String({ minLength: 1, maxLength: 200 }),
          insuredAmountCents: Type.Optional(Type.Integer({ minimum: 0, maximum: 99_999_999_999, description: 'euro cents' })),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 20 },
    ),
  },
  { additionalProperties: false },
);
export type InsuranceQuoteRequest = Static<typeof InsuranceQuoteRequestSchema>;

export const InsuranceQuoteCreatedSchema = Type.Object({ productId: IdSchema, workflowId: Type.String() });

export const InsuranceViewSchema = Type.Object({
  productId: IdSchema,
  dossierId: IdSchema,
  externalRef: Nullable(Type.String({ description: "RISK's quote/policy number" })),
  branch: Type.String(),
  insurerCode: Nullable(Type.String()),
  startDate: Nullable(DateSchema),
  premiumCents: Nullable(Type.Integer()),
  paymentTermMonths: Nullable(Type.Integer()),
  lastVersion: Nullable(Type.Integer()),
  lastEventAt: Nullable(InstantSchema),
  history: Type.Array(
    Type.Object({
      seq: Type.Integer(),
      kind: RiskEventKindSchema,
      version: Type.Integer(),
      eventAt: InstantSchema,
      premiumCents: Type.Integer(),
      startDate: Nullable(DateSchema),
      coverages: Type.Array(Type.Object({ code: Type.String(), premiumCents: Type.Integer() })),
      fromStatus: Type.String(),
      toStatus: Type.String(),
      messageId: IdSchema,
      recordedAt: InstantSchema,
    }),
  ),
});
export type InsuranceView = Static<typeof InsuranceViewSchema>;

export const RiskPollResultSchema = Type.Object({
  fetched: Type.Integer(),
  stored: Type.Integer(),
  cursor: Type.String(),
});
