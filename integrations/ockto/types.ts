/**
 * The Ockto wire format as our adapter defines it. No public Ockto API description exists
 * (REFERENCE.md), so this is our own JSON contract, spoken by simulators/ockto and by the
 * adapter a real Ockto connection would sit behind. TypeBox schemas validate everything that
 * comes in (answers of GET /sessions/:id and the callbacks on our platform).
 *
 * Source data sections mirror the government sources the client logs into with DigiD:
 * identity (BRP via MijnOverheid), screening (sanction lists/PEP, checked by Ockto),
 * income (UWV employment history, pension registry, benefits), registrations (BKR-like
 * negative registrations, Belastingdienst arrears). A section that is absent was not shared.
 */
import { Type, type Static } from '@sinclair/typebox';
import { DATE_PATTERN } from '../../domain/dates.js';

export const ocktoSessionStatuses = ['pending', 'shared', 'declined', 'expired', 'failed'] as const;
export type OcktoSessionStatus = (typeof ocktoSessionStatuses)[number];

const Text = (max = 200) => Type.String({ minLength: 1, maxLength: max });
const Cents = Type.Integer({ minimum: 0, maximum: 100_000_000_00 });
const IsoDate = Type.String({ pattern: DATE_PATTERN, description: 'YYYY-MM-DD, 1900-01-01 to 2200-12-31' });

export const OcktoSourceDataSchema = Type.Object(
  {
    identity: Type.Optional(
      Type.Object(
        {
          source: Type.Literal('BRP'),
          verified: Type.Boolean(),
          firstNames: Text(),
          lastName: Text(),
          birthDate: IsoDate,
          nationality: Type.Optional(Text(60)),
        },
        { additionalProperties: false },
      ),
    ),
    screening: Type.Optional(
      Type.Object(
        {
          sanctionListHit: Type.Boolean(),
          pep: Type.Boolean(),
          checkedOn: IsoDate,
        },
        { additionalProperties: false },
      ),
    ),
    income: Type.Optional(
      Type.Object(
        {
          employment: Type.Array(Type.Object({ employer: Text(), yearlyCents: Cents }, { additionalProperties: false }), { maxItems: 50 }),
          pension: Type.Array(Type.Object({ fund: Text(), yearlyCents: Cents }, { additionalProperties: false }), { maxItems: 50 }),
          benefits: Type.Array(Type.Object({ kind: Text(60), yearlyCents: Cents }, { additionalProperties: false }), { maxItems: 50 }),
        },
        { additionalProperties: false },
      ),
    ),
    registrations: Type.Optional(
      Type.Object(
        {
          negativeCreditRegistrations: Type.Integer({ minimum: 0, maximum: 1000 }),
          taxArrearsCents: Cents,
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type OcktoSourceData = Static<typeof OcktoSourceDataSchema>;
export const ocktoSections = ['identity', 'screening', 'income', 'registrations'] as const;
export type OcktoSection = (typeof ocktoSections)[number];

/** POST /sessions answer. */
export const OcktoSessionCreatedSchema = Type.Object({
  sessionId: Type.String({ pattern: '^[A-Za-z0-9_-]{6,80}$' }),
  // Patterns, not formats: TypeBox's Value.Check knows no formats unless registered.
  url: Type.String({ pattern: '^https?://[^\\s]+$', maxLength: 2000 }),
  qr: Type.Optional(Type.String({ maxLength: 20_000 })),
  expiresAt: Type.Optional(Type.String({ maxLength: 40 })),
});
export type OcktoSessionCreated = Static<typeof OcktoSessionCreatedSchema>;

/** GET /sessions/:id answer, and the body of a callback (plus its eventId). */
export const OcktoResultSchema = Type.Object({
  sessionId: Type.String({ pattern: '^[A-Za-z0-9_-]{6,80}$' }),
  status: Type.Union(ocktoSessionStatuses.map((s) => Type.Literal(s))),
  /** Present when status is 'shared'. */
  data: Type.Optional(OcktoSourceDataSchema),
  /** Sections the client did not share (partial data), as Ockto reports them. */
  missing: Type.Optional(Type.Array(Type.Union(ocktoSections.map((s) => Type.Literal(s))), { maxItems: 4 })),
});
export type OcktoResult = Static<typeof OcktoResultSchema>;

export const OcktoCallbackSchema = Type.Composite(
  [
    Type.Object({ eventId: Type.String({ pattern: '^[A-Za-z0-9_.:-]{6,120}$', description: "Ockto's id of this notification (deduplication)" }) }),
    OcktoResultSchema,
  ],
  { additionalProperties: false, $id: 'OcktoCallback', description: 'A session changed: sent by Ockto (the simulated Ockto) with its party credential' },
);
export type OcktoCallback = Static<typeof OcktoCallbackSchema>;
