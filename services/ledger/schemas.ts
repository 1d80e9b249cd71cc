/**
 * Payloads of the RC ledger routes (issue 21): the central organisation's settings and
 * participants, postings (commission, charges, reversals) and the RC overviews
 * (*saldo-overzicht RC deelnemers*). Amounts are whole cents; positive balances are owed to the
 * participant (to pay out), negative ones are claimed from it.
 */
import { Type, type Static } from '@sinclair/typebox';
import { literalUnion } from '../../domain/closed-list.js';
import { categoryKinds, entryKinds } from '../../domain/ledger/closed-lists.js';
import { payoutStatuses } from '../../domain/ledger/payouts.js';
import { MAX_OVERVIEW_YEAR, MIN_OVERVIEW_YEAR, overviewPeriods } from '../../domain/ledger/periods.js';
import { MAX_AMOUNT_CENTS } from '../../domain/billing/money.js';
import { DateSchema, described, InstantSchema, Nullable } from '../shared/schemas.js';

const IbanSchema = Type.String({ minLength: 15, maxLength: 42, pattern: '^[A-Za-z]{2}[0-9]{2}[A-Za-z0-9 ]{11,36}$', examples: ['NL91ABNA0417164300'] });
const BicSchema = Type.String({ pattern: '^[A-Z0-9]{8}([A-Z0-9]{3})?$', examples: ['ABNANL2A'] });
const CentsSchema = Type.Integer({ minimum: -MAX_AMOUNT_CENTS * 1000, maximum: MAX_AMOUNT_CENTS * 1000, description: 'whole cents' });
/** Offices, entries and pay-outs are named by UUID: anything else is refused at the edge (400), not at the database. */
const IdSchema = Type.String({ format: 'uuid' });
export const UuidParamsSchema = Type.Object({ id: IdSchema }, { additionalProperties: false });
const PositiveCentsSchema = Type.Integer({ minimum: 1, maximum: MAX_AMOUNT_CENTS, description: 'whole cents > 0' });
const ShareSchema = Type.Integer({ minimum: 0, maximum: 10_000, description: "the central organisation's share of the participant's income, basis points (1500 = 15%)" });
const ReferenceSchema = Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9][A-Za-z0-9._/:-]*$', description: 'the reference the posting is made once for (a statement line, an invoice number): no personal data' });

export const OverviewPeriodSchema = literalUnion(overviewPeriods, { description: 'year, a quarter (Q1..Q4) or a month (M01..M12)' });
export const CategoryKindSchema = literalUnion(categoryKinds);
export const EntryKindSchema = literalUnion(entryKinds);

export const OverviewQuerySchema = Type.Object(
  {
    year: Type.Integer({ minimum: MIN_OVERVIEW_YEAR, maximum: MAX_OVERVIEW_YEAR }),
    period: Type.Optional(OverviewPeriodSchema),
  },
  { additionalProperties: false },
);
export type OverviewQuery = Static<typeof OverviewQuerySchema>;

export const OrganisationSettingsSchema = Type.Object({ iban: IbanSchema, bic: Type.Optional(Nullable(BicSchema)) }, { additionalProperties: false });
export type OrganisationSettings = Static<typeof OrganisationSettingsSchema>;

export const RcRoleSchema = Type.Object(
  {
    role: Type.Union([Type.Literal('central'), Type.Literal('participant'), Type.Literal('none')], {
      description: 'central: this office is a central organisation; participant: one of its participants; none: neither',
    }),
    centralOfficeId: Nullable(IdSchema),
    mayViewOverview: Type.Boolean({ description: 'a central organisation sees its overviews; a participant only when allowed' }),
  },
  { additionalProperties: false },
);
export type RcRole = Static<typeof RcRoleSchema>;

export const ParticipantSettingsSchema = Type.Object(
  { mayViewOverview: Type.Boolean(), centralShareBp: Type.Optional(ShareSchema), iban: Type.Optional(Nullable(IbanSchema)) },
  { additionalProperties: false },
);
export type ParticipantSettings = Static<typeof ParticipantSettingsSchema>;

export const CommissionSchema = Type.Object(
  {
    participantOfficeId: IdSchema,
    reference: ReferenceSchema,
    productType: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 40, pattern: '^[a-z][a-z0-9_-]*$', description: 'the product type (the category): mortgage, insurance, service, ...' }))),
    amountCents: PositiveCentsSchema,
    entryDate: DateSchema,
  },
  { additionalProperties: false },
);
export type Commission = Static<typeof CommissionSchema>;

export const ChargeSchema = Type.Object(
  {
    participantOfficeId: IdSchema,
    reference: ReferenceSchema,
    categoryCode: Type.String({ minLength: 1, maxLength: 40, pattern: '^[a-z0-9][a-z0-9_-]*$', description: 'booking category code, made with its default name when new' }),
    amountCents: PositiveCentsSchema,
    entryDate: DateSchema,
  },
  { additionalProperties: false },
);
export type Charge = Static<typeof ChargeSchema>;

export const ReversalSchema = Type.Object({ entryDate: DateSchema }, { additionalProperties: false });

export const PostedEntrySchema = Type.Object(
  { entryId: IdSchema, created: described(Type.Boolean(), 'false when this key was posted before: nothing new was booked') },
  { additionalProperties: false },
);

const PositionProperties = {
  openingBalanceCents: described(CentsSchema, 'balance before the period (credit minus debit)'),
  incomeCents: described(CentsSchema, 'credits in the period (*inkomsten*)'),
  costsCents: described(CentsSchema, 'debits in the period other than pay-outs (*kosten*)'),
  paidOutCents: described(CentsSchema, 'debits in the period in a pay-out category (*uitbetaald*)'),
  closingBalanceCents: described(CentsSchema, 'balance at the end of the period'),
  toPayOutCents: described(CentsSchema, 'what the central organisation owes at the end of the period (*uit te betalen*)'),
  toClaimCents: described(CentsSchema, 'what it claims at the end of the period (*te vorderen*)'),
};

export const OverviewCategorySchema = Type.Object(
  {
    code: Nullable(Type.String({ description: 'null: lines without a category' })),
    name: Type.String({ description: 'the category name; "Overig" for lines without one' }),
    kind: Nullable(CategoryKindSchema),
    debitCents: CentsSchema,
    creditCents: CentsSchema,
  },
  { additionalProperties: false },
);

export const OverviewLineSchema = Type.Object(
  {
    entryId: IdSchema,
    date: DateSchema,
    kind: EntryKindSchema,
    description: Type.String(),
    categoryName: Type.String(),
    debitCents: CentsSchema,
    creditCents: CentsSchema,
  },
  { additionalProperties: false },
);

export const MAX_OVERVIEW_LINES = 1000;

export const ParticipantOverviewSchema = Type.Object(
  {
    officeId: IdSchema,
    name: Type.String(),
    year: Type.Integer(),
    period: OverviewPeriodSchema,
    from: DateSchema,
    to: DateSchema,
    ...PositionProperties,
    categories: Type.Array(OverviewCategorySchema, { description: 'per category (*product*), debit and credit in the period' }),
    lines: Type.Array(OverviewLineSchema, { description: `the period's RC lines, oldest first, at most ${MAX_OVERVIEW_LINES}` }),
    linesTruncated: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type ParticipantOverview = Static<typeof ParticipantOverviewSchema>;

export const CentralOverviewRowSchema = Type.Object(
  { officeId: IdSchema, name: Type.String(), mayViewOverview: Type.Boolean(), centralShareBp: Type.Integer(), ...PositionProperties },
  { additionalProperties: false },
);

export const CentralOverviewSchema = Type.Object(
  {
    year: Type.Integer(),
    period: OverviewPeriodSchema,
    from: DateSchema,
    to: DateSchema,
    participants: Type.Array(CentralOverviewRowSchema),
    totals: Type.Object(PositionProperties, { additionalProperties: false }),
  },
  { additionalProperties: false },
);
export type CentralOverview = Static<typeof CentralOverviewSchema>;

export const PayoutStatusSchema = literalUnion(payoutStatuses, { description: 'requested | approved (booked to the intermediate account) | file_created (pain.001 made) | settled (the bank statement showed it) | cancelled' });

export const PayoutRequestSchema = Type.Object(
  { year: Type.Integer({ minimum: MIN_OVERVIEW_YEAR, maximum: MAX_OVERVIEW_YEAR }), period: Type.Optional(OverviewPeriodSchema) },
  { additionalProperties: false, description: "pays out the participant's balance at the end of this period" },
);

export const PayoutSchema = Type.Object(
  {
    id: IdSchema,
    participantOfficeId: IdSchema,
    amountCents: PositiveCentsSchema,
    status: PayoutStatusSchema,
    year: Type.Integer(),
    period: Type.String(),
    endToEndId: Type.String({ description: 'the EndToEndId of the transfer: the bank statement reports it back' }),
    settledOn: Nullable(DateSchema),
    hasFile: Type.Boolean({ description: 'the pain.001 can be downloaded' }),
    requestedAt: described(InstantSchema, 'when the pay-out was requested'),
  },
  { additionalProperties: false },
);
export const PayoutListSchema = Type.Object({ items: Type.Array(PayoutSchema) }, { additionalProperties: false });

/** Narrows the list of pay-outs: one participant's (its page), or those in one status (waiting for approval: `requested`). */
export const PayoutListQuerySchema = Type.Object(
  {
    participantOfficeId: Type.Optional(described(IdSchema, "only this participant's pay-outs")),
    status: Type.Optional(PayoutStatusSchema),
  },
  { additionalProperties: false },
);
export type PayoutListQuery = Static<typeof PayoutListQuerySchema>;
