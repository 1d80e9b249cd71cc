/**
 * Track & Trace (*Track & Trace*): the office's products across dossiers, by status, category,
 * maatschappij (lender/insurer) and age in status, with counts. Query and answer schemas.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Nullable, PagingQuerySchema } from '../shared/schemas.js';

const Category = Type.Union([Type.Literal('new'), Type.Literal('running'), Type.Literal('ended')]);

export const TrackTraceQuerySchema = Type.Object(
  {
    status: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 80 }), { maxItems: 50, description: 'status codes (any of)' })),
    category: Type.Optional(Type.Array(Category, { maxItems: 3, description: 'status categories (any of)' })),
    company: Type.Optional(Type.String({ minLength: 1, maxLength: 120, description: 'maatschappij (lender/insurer), exact' })),
    type: Type.Optional(Type.String({ minLength: 1, maxLength: 80, description: 'product type, e.g. mortgage' })),
    minDaysInStatus: Type.Optional(Type.Integer({ minimum: 0, maximum: 36_500, description: 'at least this many days since the last status change' })),
    maxDaysInStatus: Type.Optional(Type.Integer({ minimum: 0, maximum: 36_500, description: 'at most this many days since the last status change' })),
    sort: Type.Optional(
      Type.Union([Type.Literal('daysInStatus'), Type.Literal('dossier'), Type.Literal('status')], {
        default: 'daysInStatus',
        description: 'daysInStatus: longest in status first',
      }),
    ),
    ...PagingQuerySchema,
  },
  { additionalProperties: false },
);
export type TrackTraceQuery = Static<typeof TrackTraceQuerySchema>;

export const TrackTraceItemSchema = Type.Object(
  {
    productId: Type.String({ format: 'uuid' }),
    dossierId: Type.String({ format: 'uuid' }),
    dossierNumber: Type.String(),
    clientName: Nullable(Type.String({ description: 'applicant 1 of the dossier' })),
    type: Type.String(),
    company: Nullable(Type.String()),
    status: Type.String(),
    statusLabel: Type.String({ description: "the status's label in the product's process version" }),
    category: Category,
    statusSince: Type.String({ format: 'date-time', description: 'the last status change (the start when none)' }),
    daysInStatus: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);
export type TrackTraceItem = Static<typeof TrackTraceItemSchema>;


export const TrackTraceListSchema = Type.Object(
  {
    items: Type.Array(TrackTraceItemSchema),
    total: Type.Integer({ description: 'products matching every filter' }),
    limit: Type.Integer(),
    offset: Type.Integer(),
    counts: Type.Object(
      {
        byStatus: Type.Array(
          Type.Object({ status: Type.String(), statusLabel: Type.String(), category: Category, count: Type.Integer({ minimum: 0 }) }, { additionalProperties: false }),
        ),
        byCategory: Type.Array(Type.Object({ category: Category, count: Type.Integer({ minimum: 0 }) }, { additionalProperties: false })),
        byCompany: Type.Array(Type.Object({ company: Type.String(), count: Type.Integer({ minimum: 0 }) }, { additionalProperties: false })),
        byType: Type.Array(Type.Object({ type: Type.String(), count: Type.Integer({ minimum: 0 }) }, { additionalProperties: false })),
      },
      {
        additionalProperties: false,
        description:
          'Counts over the products matching the filters other than status and category (maatschappij, type, age), ' +
          'so the overview shows the whole spread and picking a status or category narrows only the list.',
      },
    ),
  },
  { additionalProperties: false },
);
export type TrackTraceList = Static<typeof TrackTraceListSchema>;
