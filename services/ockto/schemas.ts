/**
 * Ockto retrievals and the Wwft risk classification (*risicoclassificatie*): start a retrieval
 * for a person, read it with its four answers and class, deviate with a motivation, and the
 * callback Ockto sends when the client shared (or declined).
 */
import { Type, type Static } from '@sinclair/typebox';
import { callbackAnswers, ocktoRetrievalStatuses, riskClassOrigins, riskClassSources, sourceDataStates } from '../../domain/ockto/retrieval.js';
import { identityAnswers, incomeAnswers, registrationAnswers, riskClasses, riskReasonCodes, screeningAnswers, MAX_MOTIVATION_LENGTH, MIN_MOTIVATION_LENGTH } from '../../domain/ockto/risk-class.js';
import { OcktoCallbackSchema } from '../../integrations/ockto/types.js';
import { IdSchema, InstantSchema, Nullable } from '../shared/schemas.js';

export { OcktoCallbackSchema };

const literals = <T extends string>(values: readonly T[], description?: string) =>
  Type.Union(
    values.map((v) => Type.Literal(v)),
    description ? { description } : {},
  );

export const RiskClassSchema = literals(riskClasses, 'Laag, Hoog or Onacceptabel (Wwft)');
const DAY = 86_400;

export const OcktoRetrievalCreateSchema = Type.Object(
  {
    dossierId: Type.Optional(IdSchema),
    scenario: Type.Optional(
      Type.String({ pattern: '^[a-z-]{1,40}$', description: 'Simulated Ockto only: what the simulated client does (shares, shares-pep, sanction, arrears, partial, declines, never)' }),
    ),
    reminderAfterSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 30 * DAY, description: 'Remind the client after this long (default OCKTO_REMINDER_HOURS)' })),
    expireAfterSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 90 * DAY, description: "End 'expired' after this long (default OCKTO_TIMEOUT_DAYS)" })),
    pollIntervalSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: DAY, description: 'Ask Ockto this often besides the callbacks (default OCKTO_POLL_SECONDS)' })),
    retentionSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 * DAY, description: 'Keep the raw data this long after it arrived (default OCKTO_RETENTION_DAYS)' })),
  },
  { additionalProperties: false, $id: 'OcktoRetrievalCreate' },
);
export type OcktoRetrievalCreate = Static<typeof OcktoRetrievalCreateSchema>;

const AnswersSchema = Type.Object({
  identity: literals(identityAnswers, 'Identity verified against the government source (BRP)?'),
  screening: literals(screeningAnswers, 'Sanction list or PEP?'),
  income: literals(incomeAnswers, 'Source of income/wealth explained by the data?'),
  registrations: literals(registrationAnswers, 'Negative registrations (BKR) or tax arrears?'),
});

export const RiskHistoryEntrySchema = Type.Object({
  id: IdSchema,
  at: InstantSchema,
  actor: Type.String({ description: "credential id of the adviser, or 'system:ockto'" }),
  actorName: Nullable(Type.String({ description: "name of the office credential that made the change; null for 'system:ockto'" })),
  from: Nullable(RiskClassSchema),
  to: RiskClassSchema,
  motivation: Nullable(Type.String()),
  source: literals(riskClassSources, "'data': derived from an Ockto retrieval's data; 'manual': set by an adviser"),
  origin: literals(riskClassOrigins, "'ockto': belongs to a retrieval (derived, or a deviation from it); 'manual': set on the person without a retrieval"),
  retrievalId: Nullable(IdSchema),
});

export const OcktoRetrievalSchema = Type.Object(
  {
    id: IdSchema,
    personId: IdSchema,
    dossierId: Nullable(IdSchema),
    workflowId: Type.String(),
    status: literals(ocktoRetrievalStatuses),
    statusReason: Nullable(Type.String()),
    session: Nullable(Type.Object({ url: Type.String(), qr: Nullable(Type.String()) })),
    questions: Type.Array(Type.Object({ key: Type.String(), question: Type.String(), answer: Nullable(Type.String()) })),
    answers: Nullable(AnswersSchema),
    derivedClass: Nullable(RiskClassSchema),
    reasons: Type.Array(Type.Object({ code: literals(riskReasonCodes), text: Type.String() })),
    currentClass: Nullable(RiskClassSchema),
    reminderSentAt: Nullable(InstantSchema),
    reminderNote: Nullable(Type.String()),
    sharedAt: Nullable(InstantSchema),
    endedAt: Nullable(InstantSchema),
    sourceData: Type.Object({
      state: literals(sourceDataStates),
      missing: Type.Array(Type.String()),
      deletedAt: Nullable(InstantSchema),
    }),
    history: Type.Array(RiskHistoryEntrySchema),
    createdAt: InstantSchema,
  },
  { $id: 'OcktoRetrieval' },
);
export type OcktoRetrievalView = Static<typeof OcktoRetrievalSchema>;

export const RiskClassChangeSchema = Type.Object(
  {
    riskClass: RiskClassSchema,
    motivation: Type.String({ minLength: MIN_MOTIVATION_LENGTH, maxLength: MAX_MOTIVATION_LENGTH, description: 'Why the adviser deviates (*motivering*)' }),
  },
  { additionalProperties: false, $id: 'RiskClassChange' },
);
export type RiskClassChange = Static<typeof RiskClassChangeSchema>;

/** An adviser sets a person's class by hand (*handmatige risicoclassificatie*), with or without an Ockto retrieval. */
export const PersonRiskClassSetSchema = Type.Object(
  {
    class: RiskClassSchema,
    motivation: Type.String({
      minLength: MIN_MOTIVATION_LENGTH,
      maxLength: MAX_MOTIVATION_LENGTH,
      description: `Why this class (*motivering*): at least ${MIN_MOTIVATION_LENGTH} characters once trimmed; kept with the history (Wwft)`,
    }),
  },
  { additionalProperties: false, $id: 'PersonRiskClassSet' },
);
export type PersonRiskClassSet = Static<typeof PersonRiskClassSetSchema>;

export const OcktoCallbackAnswerSchema = Type.Object({
  status: literals(callbackAnswers),
  eventId: Type.String(),
  detail: Type.Optional(Type.String()),
});

export const PersonRiskSchema = Type.Object(
  {
    personId: IdSchema,
    currentClass: Nullable(RiskClassSchema),
    history: Type.Array(RiskHistoryEntrySchema),
    retrievals: Type.Array(Type.Object({ id: IdSchema, status: literals(ocktoRetrievalStatuses), currentClass: Nullable(RiskClassSchema), createdAt: InstantSchema })),
  },
  { $id: 'PersonRisk' },
);
export type PersonRiskView = Static<typeof PersonRiskSchema>;
