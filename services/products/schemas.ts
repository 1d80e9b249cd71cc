/** Products, parts (*rechterdelen*) and process steps. */
import { Type, type Static } from '@sinclair/typebox';
import { ContractSummarySchema } from '../billing/schemas.js';
import { FreeText, IdSchema, InstantSchema, Nullable } from '../shared/schemas.js';
import { AxVersionNeededSchema } from '../hdn/schemas.js';
import { repaymentTypes } from '../../domain/selections/query.js';

export const ProductCreateSchema = Type.Object(
  {
    type: Type.String({
      pattern: '^[a-z0-9][a-z0-9-]{0,62}$',
      description: 'product type, e.g. "service"; a published process definition must exist for it',
      examples: ['service'],
    }),
    company: Type.Optional(Type.String({ minLength: 1, maxLength: 120, description: 'maatschappij' })),
    parts: Type.Array(
      Type.Object(
        {
          description: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' }),
          code: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$', description: 'coverage code (*dekking*) of an insurance part' })),
          repaymentType: Type.Optional(
            Type.Union(repaymentTypes.map((t) => Type.Literal(t)), { description: 'aflossingsvorm of a mortgage loan part (*leningdeel*)' }),
          ),
          amountCents: Type.Optional(Type.Integer({ minimum: 0, maximum: 99_999_999_999, description: 'amount of a loan part, euro cents' })),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 50 },
    ),
  },
  { $id: 'ProductCreate', additionalProperties: false },
);
export type ProductCreate = Static<typeof ProductCreateSchema>;

export const ProductPartSchema = Type.Object(
  {
    id: IdSchema,
    productId: IdSchema,
    number: Type.Integer(),
    description: Type.String(),
    status: Type.String(),
    statusLabel: Type.String(),
    category: Type.String(),
  },
  { $id: 'ProductPart' },
);
export type ProductPartView = Static<typeof ProductPartSchema>;

export const StepInputFieldViewSchema = Type.Object({
  name: Type.String(),
  label: Type.String(),
  type: Type.String(),
  required: Type.Boolean(),
  choices: Type.Optional(Type.Array(Type.String())),
});

export const AvailableStepSchema = Type.Object(
  {
    id: Type.String(),
    label: Type.String(),
    to: Nullable(Type.String()),
    input: Type.Array(StepInputFieldViewSchema),
  },
  { $id: 'AvailableStep' },
);
export type AvailableStepView = Static<typeof AvailableStepSchema>;

export const ProductHistoryEntrySchema = Type.Object({
  seq: Type.Integer(),
  at: InstantSchema,
  actor: Type.String(),
  kind: Type.String(),
  stepId: Nullable(Type.String()),
  label: Type.String(),
  fromStatus: Type.String(),
  toStatus: Type.String(),
});

/** What every view of a product shows (the product card, the dossier's product list). */
export const productCardFields = {
  id: IdSchema,
  type: Type.String(),
  company: Nullable(Type.String()),
  status: Type.String(),
  statusLabel: Type.String(),
  category: Type.String(),
  processKey: Type.String(),
  processVersion: Type.Integer(),
  createdAt: InstantSchema,
  /** A mortgage whose sent AX no longer matches the applicants' data (services/hdn/ax-version-needed.ts). */
  axVersionNeeded: Nullable(AxVersionNeededSchema),
};

export const ProductSchema = Type.Object(
  {
    ...productCardFields,
    dossierId: IdSchema,
    workflowId: Type.String(),
    parts: Type.Array(Type.Unsafe<ProductPartView>(Type.Ref('ProductPart'))),
    availableSteps: Type.Array(Type.Unsafe<AvailableStepView>(Type.Ref('AvailableStep'))),
    history: Type.Array(ProductHistoryEntrySchema),
    contract: Nullable(ContractSummarySchema),
    updatedAt: InstantSchema,
  },
  { $id: 'Product' },
);
export type ProductView = Static<typeof ProductSchema>;

// A string is a choice, a date or (stored as the step payload) free text such as a conversation report.
const StepValue = Type.Union([Type.Boolean(), FreeText({ maxLength: 10_000 }), Type.Integer({ minimum: -Number.MAX_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER })]);

export const StepRequestSchema = Type.Object(
  {
    input: Type.Optional(
      Type.Record(Type.String({ pattern: '^[a-zA-Z][a-zA-Z0-9]{0,62}$' }), StepValue, {
        description: 'step inputs by field name; text fields are stored in PostgreSQL, the rest goes to the workflow',
        maxProperties: 50,
      }),
    ),
  },
  { $id: 'StepRequest', additionalProperties: false },
);
export type StepRequest = Static<typeof StepRequestSchema>;

export const ProductPartParamsSchema = Type.Object({ id: IdSchema, partId: IdSchema }, { additionalProperties: false });
export const StepParamsSchema = Type.Object(
  { id: IdSchema, stepId: Type.String({ minLength: 1, maxLength: 63 }) },
  { additionalProperties: false },
);
export const StepHeadersSchema = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: '^[\\x21-\\x7e]+$' })),
});

export const StepResultSchema = Type.Object({ product: Type.Unsafe<ProductView>(Type.Ref('Product')) });
