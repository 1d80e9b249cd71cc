/** Selections (*querymanager*, DOMAIN process 8): the query, its result, saved queries, export, call tasks. */
import { Type, type Static } from '@sinclair/typebox';
import { DateSchema, IdSchema, InstantSchema, Nullable } from '../shared/schemas.js';
import { comparisonOps, exportFormats, offerStatuses, repaymentTypes, selectionDateOn, textOps } from '../../domain/selections/query.js';

const Code = (description: string) => Type.String({ minLength: 1, maxLength: 60, pattern: '^[A-Za-z0-9_-]+$', description });

export type { OfferStatus } from '../../domain/selections/query.js';

export const ProductFilterSchema = Type.Object(
  {
    type: Code('product type: service, mortgage, insurance, ...'),
    company: Type.Optional(Type.String({ minLength: 1, maxLength: 120, description: 'maatschappij (exact)' })),
    status: Type.Optional(Code('system status code, e.g. lopend')),
    category: Type.Optional(Type.Union([Type.Literal('new'), Type.Literal('running'), Type.Literal('ended')])),
    branch: Type.Optional(Code('insurance branch (RISK), e.g. 020; only insurance products have one')),
  },
  { additionalProperties: false },
);
export type ProductFilter = Static<typeof ProductFilterSchema>;

const literals = <T extends string>(values: readonly T[], description?: string) =>
  Type.Union(values.map((v) => Type.Literal(v)), description ? { description } : {});
const Comparison = literals(comparisonOps, 'lt <, lte <=, eq =, gte >=, gt >');

/** A loan part (*leningdeel*) of a running mortgage of the dossier that meets every condition given. */
export const LoanPartFilterSchema = Type.Object(
  {
    repaymentType: Type.Optional(literals(repaymentTypes, 'aflossingsvorm, e.g. aflossingsvrij (interest-only)')),
    amount: Type.Optional(
      Type.Object(
        { op: Comparison, cents: Type.Integer({ minimum: 0, maximum: 99_999_999_999, description: 'euro cents' }) },
        { additionalProperties: false, description: 'the loan part amount compared with cents' },
      ),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type LoanPartFilter = Static<typeof LoanPartFilterSchema>;

const CoverageCode = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$', description: 'coverage code (*dekking*), as RISK or the quote request has it' });
const PropertyKey = Type.String({ pattern: '^[a-z][a-z0-9_-]{0,59}$', description: 'the CRM property key (CRM admin)' });

/**
 * A free CRM property compared with a value of its type (a `choice` property compares as text).
 * The person has the property set and the comparison holds.
 */
export const PropertyFilterSchema = Type.Union(
  [
    Type.Object({ type: Type.Literal('text'), key: PropertyKey, op: literals(textOps, 'eq (case-insensitive) or contains'), value: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
    Type.Object({ type: Type.Literal('number'), key: PropertyKey, op: Comparison, value: Type.Number({ minimum: -1e15, maximum: 1e15 }) }, { additionalProperties: false }),
    Type.Object({ type: Type.Literal('date'), key: PropertyKey, op: Comparison, value: DateSchema }, { additionalProperties: false }),
    Type.Object({ type: Type.Literal('boolean'), key: PropertyKey, value: Type.Boolean() }, { additionalProperties: false }),
  ],
  { description: 'a CRM property (*eigenschap*) compared by its type' },
);
export type PropertyFilter = Static<typeof PropertyFilterSchema>;

const queryFields = {
  withProducts: Type.Optional(Type.Array(ProductFilterSchema, { maxItems: 2, description: 'the dossier has a product like each of these' })),
  withoutProducts: Type.Optional(Type.Array(ProductFilterSchema, { maxItems: 2, description: 'the dossier has no product like any of these' })),
  productType: Type.Optional(Code('with a product of this type (combined with company, offerStatus and a product date)')),
  company: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })),
  offerStatus: Type.Optional(
    Type.Union(offerStatuses.map((s) => Type.Literal(s)), {
      description: 'requested (offerte aangevraagd), received (offerte ontvangen), accepted, rejected',
    }),
  ),
  dossierStatus: Type.Optional(Type.Union([Type.Literal('prospect'), Type.Literal('client')])),
  dateFrom: Type.Optional(DateSchema),
  dateTo: Type.Optional(DateSchema),
  dateOn: Type.Optional(Type.Union(selectionDateOn.map((d) => Type.Literal(d)), { description: 'which created date the range is on (default dossier)' })),
  includeOlderDossiers: Type.Optional(Type.Boolean({ description: 'also older dossiers of a person (default: only the newest)' })),
  loanParts: Type.Optional(Type.Array(LoanPartFilterSchema, { maxItems: 3, description: 'the dossier has a loan part like each of these' })),
  withCoverages: Type.Optional(Type.Array(CoverageCode, { maxItems: 5, uniqueItems: true, description: 'the dossier has a running insurance coverage with each of these codes' })),
  withoutCoverages: Type.Optional(Type.Array(CoverageCode, { maxItems: 5, uniqueItems: true, description: 'the dossier has no running insurance coverage with any of these codes' })),
  properties: Type.Optional(Type.Array(PropertyFilterSchema, { maxItems: 5, description: 'the person has each of these CRM properties' })),
  withIndicators: Type.Optional(Type.Array(IdSchema, { maxItems: 10, uniqueItems: true, description: 'the person has each of these indicators' })),
  withoutIndicators: Type.Optional(Type.Array(IdSchema, { maxItems: 10, uniqueItems: true, description: 'the person has none of these indicators' })),
};

export const SelectionQuerySchema = Type.Object(queryFields, { $id: 'SelectionQuery', additionalProperties: false });
export type SelectionQuery = Static<typeof SelectionQuerySchema>;

export const SelectionRunSchema = Type.Object(
  {
    ...queryFields,
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
  },
  { additionalProperties: false },
);
export type SelectionRun = Static<typeof SelectionRunSchema>;

export const SelectionRowSchema = Type.Object(
  {
    personId: IdSchema,
    name: Type.String(),
    firstName: Type.String(),
    infix: Nullable(Type.String()),
    lastName: Type.String(),
    email: Nullable(Type.String()),
    phone: Nullable(Type.String()),
    street: Nullable(Type.String()),
    houseNumber: Nullable(Type.Integer()),
    houseNumberSuffix: Nullable(Type.String()),
    postcode: Nullable(Type.String()),
    city: Nullable(Type.String()),
    birthDate: Nullable(Type.String()),
    mailOptOut: Type.Boolean(),
    dossierId: Nullable(IdSchema),
    dossierNumber: Nullable(Type.String()),
    dossierStatus: Nullable(Type.String()),
    dossierCreatedAt: Nullable(InstantSchema),
  },
  { $id: 'SelectionRow' },
);
export type SelectionRow = Static<typeof SelectionRowSchema>;

export const SelectionResultSchema = Type.Object({
  items: Type.Array(Type.Unsafe<SelectionRow>(Type.Ref('SelectionRow'))),
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
});

export const SavedSelectionCreateSchema = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 120, pattern: '\\S' }), query: Type.Unsafe<SelectionQuery>(Type.Ref('SelectionQuery')) },
  { additionalProperties: false },
);

export const SavedSelectionSchema = Type.Object(
  { id: IdSchema, name: Type.String(), query: Type.Unsafe<SelectionQuery>(Type.Ref('SelectionQuery')), createdAt: InstantSchema },
  { $id: 'SavedSelection' },
);
export type SavedSelection = Static<typeof SavedSelectionSchema>;

export const SavedSelectionListSchema = Type.Object({ items: Type.Array(Type.Unsafe<SavedSelection>(Type.Ref('SavedSelection'))) });

export const SelectionExportQuerySchema = Type.Object(
  { format: Type.Union(exportFormats.map((f) => Type.Literal(f))), savedId: IdSchema },
  { additionalProperties: false },
);

export const SelectionExportCreateSchema = Type.Object(
  {
    format: Type.Union(exportFormats.map((f) => Type.Literal(f))),
    query: Type.Optional(Type.Unsafe<SelectionQuery>(Type.Ref('SelectionQuery', { description: 'the selection; left out or {}: every person of the CRM' }))),
  },
  { additionalProperties: false },
);

export const SelectionTasksCreateSchema = Type.Object(
  {
    query: Type.Unsafe<SelectionQuery>(Type.Ref('SelectionQuery')),
    runKey: Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9._:-]+$', description: 'the same key makes no second task for a dossier' }),
    title: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S', examples: ['Bellen: woonlastenverzekering aanbieden'] }),
    dueDate: Type.Optional(DateSchema),
  },
  { additionalProperties: false },
);

export const SelectionTasksResultSchema = Type.Object({
  runKey: Type.String(),
  dossiers: Type.Integer({ description: 'dossiers in the selection' }),
  created: Type.Integer({ description: 'tasks made now' }),
  existing: Type.Integer({ description: 'tasks an earlier call with the same runKey made' }),
});
