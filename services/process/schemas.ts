/** The process designer: drafts, validation, publish, versions, diffs, migrations, dry runs, templates. */
import { Type, type Static } from '@sinclair/typebox';
import { literalUnion } from '../../domain/closed-list.js';
import { lenderMessageTypes } from '../../domain/hdn/message-types.js';
import { migrationBlockers } from '../../domain/process/migration.js';
import { DateSchema, FreeText, IdSchema, INT4_MAX, InstantSchema, Nullable } from '../shared/schemas.js';

export const KeyParamsSchema = Type.Object(
  { key: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$', description: 'process (or template) key' }) },
  { additionalProperties: false },
);

export const DefinitionProblemSchema = Type.Object(
  {
    path: Type.String({ description: 'JSON pointer into the definition, e.g. /steps/2/to' }),
    message: Type.String(),
  },
);

export const ValidationResultSchema = Type.Object(
  {
    ok: Type.Boolean({ description: 'true when the draft may be published' }),
    problems: Type.Array(DefinitionProblemSchema, { description: 'errors: each blocks publishing' }),
    warnings: Type.Array(DefinitionProblemSchema, { description: 'worth a look; do not block publishing' }),
  },
);
export type ValidationResult = Static<typeof ValidationResultSchema>;

export const ProcessDraftInputSchema = Type.Object(
  {
    /**
     * The definition as the designer has it. Saved even when invalid (work in progress): the
     * answer lists the problems. `key` and `version` are set by the server (the URL's key, the
     * next version number).
     */
    definition: Type.Record(Type.String(), Type.Unknown(), { description: 'a process definition (see ProcessDefinition)' }),
    /** The published version the draft starts from; default: the newest published version. */
    baseVersion: Type.Optional(Type.Integer({ minimum: 1, maximum: INT4_MAX })),
  },
  { additionalProperties: false },
);
export type ProcessDraftInput = Static<typeof ProcessDraftInputSchema>;

export const ProcessDraftSchema = Type.Object(
  {
    key: Type.String(),
    baseVersion: Nullable(Type.Integer()),
    /** The version publishing would create now. */
    nextVersion: Type.Integer(),
    definition: Type.Record(Type.String(), Type.Unknown()),
    updatedBy: Type.String(),
    updatedAt: InstantSchema,
    validation: ValidationResultSchema,
  },
);
export type ProcessDraftView = Static<typeof ProcessDraftSchema>;

export const PublishResultSchema = Type.Object({ key: Type.String(), version: Type.Integer() });

export const VersionSummarySchema = Type.Object({
  key: Type.String(),
  version: Type.Integer(),
  name: Type.String(),
  productType: Type.String(),
  publishedAt: InstantSchema,
  /** Products of the caller's office that follow this version. */
  products: Type.Integer(),
});

const FieldChangeSchema = Type.Object({ field: Type.String(), from: Type.Unknown(), to: Type.Unknown() });
const ItemChangeSchema = Type.Object({ id: Type.String(), changes: Type.Array(FieldChangeSchema) });
const Collection = Type.Object({
  added: Type.Array(Type.Unknown()),
  removed: Type.Array(Type.Unknown()),
  changed: Type.Array(ItemChangeSchema),
});
export const DefinitionDiffSchema = Type.Object(
  {
    key: Type.String(),
    fromVersion: Type.Integer(),
    toVersion: Type.Integer(),
    changes: Type.Array(FieldChangeSchema, { description: 'name, productType, initialStatus' }),
    statuses: Collection,
    steps: Collection,
    lenderStatuses: Collection,
    offerDeadlines: Collection,
    stepOrderChanged: Type.Boolean(),
    identical: Type.Boolean(),
  },
);

export const MigrateProductSchema = Type.Object({ toVersion: Type.Integer({ minimum: 1, maximum: INT4_MAX }) }, { additionalProperties: false });
export const MigrateProductResultSchema = Type.Object({
  productId: IdSchema,
  processKey: Type.String(),
  fromVersion: Type.Integer(),
  toVersion: Type.Integer(),
  status: Type.String(),
  statusLabel: Type.String(),
  category: Type.String(),
});

export const BulkMigrationSchema = Type.Object(
  {
    fromVersion: Type.Integer({ minimum: 1, maximum: INT4_MAX }),
    toVersion: Type.Integer({ minimum: 1, maximum: INT4_MAX }),
    filter: Type.Optional(
      Type.Object(
        { status: Type.Optional(Type.Array(Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$' }), { minItems: 1, maxItems: 100 })) },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type BulkMigration = Static<typeof BulkMigrationSchema>;

export const BulkMigrationResultSchema = Type.Object({
  key: Type.String(),
  fromVersion: Type.Integer(),
  toVersion: Type.Integer(),
  /** Products of the office on fromVersion that matched the filter (ended ones are left alone). */
  selected: Type.Integer(),
  migrated: Type.Array(IdSchema),
  /** Products the workflow refused or could not reach (raced with a step, process ended, ...). */
  failed: Type.Array(Type.Object({ productId: IdSchema, reason: Type.String() })),
});

const ScriptItemSchema = Type.Union([
  Type.Object(
    {
      step: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$' }),
      input: Type.Optional(
        Type.Record(Type.String({ pattern: '^[a-zA-Z][a-zA-Z0-9]{0,62}$' }), Type.Union([Type.Boolean(), FreeText({ maxLength: 10_000 }), Type.Number({ minimum: -Number.MAX_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER })]), {
          maxProperties: 50,
        }),
      ),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      lenderMessage: Type.Object(
        {
          type: literalUnion(lenderMessageTypes),
          statusCode: Type.Optional(Type.String({ pattern: '^[0-9]{2}$' })),
          offerType: Type.Optional(Type.String({ pattern: '^[0-9]{2}$' })),
          acceptanceDate: Type.Optional(DateSchema),
          validityDate: Type.Optional(DateSchema),
          applicationVersion: Type.Optional(Type.Integer({ minimum: 1, maximum: INT4_MAX })),
        },
        { additionalProperties: false },
      ),
    },
    { additionalProperties: false },
  ),
  // At least 0.0001 day (8.64 s): a positive advance, as `minimum` because OpenAPI 3.0.3 knows no numeric exclusiveMinimum.
  Type.Object(
    { advanceDays: Type.Number({ minimum: 0.0001, maximum: 3650, description: 'days to advance the clock (fractions allowed), at least 0.0001 (8.64 s)' }) },
    { additionalProperties: false },
  ),
]);
export type DryRunScriptItem = Static<typeof ScriptItemSchema>;

export const DryRunRequestSchema = Type.Object(
  { script: Type.Array(ScriptItemSchema, { maxItems: 200 }) },
  { additionalProperties: false },
);
export type DryRunRequest = Static<typeof DryRunRequestSchema>;

export const DryRunResultSchema = Type.Object(
  {
    ok: Type.Boolean({ description: 'false when a script item was refused (see failure); the run stops there' }),
    failure: Type.Optional(Type.Object({ index: Type.Integer(), reason: Type.String() })),
    key: Type.String(),
    version: Type.Integer(),
    /** Every status the product was in, in order (consecutive repeats collapsed). */
    statusTrail: Type.Array(Type.String()),
    finalStatus: Type.String(),
    finalStatusLabel: Type.String(),
    finalCategory: Type.String(),
    history: Type.Array(
      Type.Object({
        seq: Type.Integer(),
        at: Type.String(),
        kind: Type.String(),
        label: Type.String(),
        fromStatus: Type.String(),
        toStatus: Type.String(),
      }),
    ),
    mails: Type.Array(Type.Object({ at: Type.String(), template: Type.String(), to: Type.String(), description: Type.String() })),
    tasks: Type.Array(Type.Object({ at: Type.String(), title: Type.String(), assignee: Type.String(), dueDate: Nullable(Type.String()), description: Type.String() })),
    documents: Type.Array(Type.Object({ at: Type.String(), template: Type.String(), documentType: Type.String(), description: Type.String() })),
    /** Everything else the run would do: HDN messages, dossier status, checklists, contact moments. */
    other: Type.Array(Type.Object({ at: Type.String(), kind: Type.String(), description: Type.String() })),
    availableSteps: Type.Array(Type.String()),
    durationMs: Type.Integer(),
  },
);
export type DryRunResult = Static<typeof DryRunResultSchema>;

export const TemplateKindSchema = Type.Union([Type.Literal('mail'), Type.Literal('document')]);
export const TemplateSummarySchema = Type.Object({
  key: Type.String(),
  kind: TemplateKindSchema,
  latestVersion: Type.Integer(),
  versions: Type.Integer(),
  updatedAt: InstantSchema,
  hasDraft: Type.Boolean(),
});
export const TemplateVersionSchema = Type.Object({
  key: Type.String(),
  version: Type.Integer(),
  kind: TemplateKindSchema,
  subject: Nullable(Type.String()),
  body: Type.String(),
  createdAt: InstantSchema,
});
export const TemplateDraftInputSchema = Type.Object(
  {
    kind: TemplateKindSchema,
    subject: Type.Optional(Type.String({ minLength: 1, maxLength: 300, description: 'mail templates: the subject (one line)' })),
    body: FreeText({ minLength: 1, maxLength: 100_000 }),
  },
  { additionalProperties: false },
);
export type TemplateDraftInput = Static<typeof TemplateDraftInputSchema>;
export const TemplateDraftSchema = Type.Object({
  key: Type.String(),
  baseVersion: Nullable(Type.Integer()),
  kind: TemplateKindSchema,
  subject: Nullable(Type.String()),
  body: Type.String(),
  updatedBy: Type.String(),
  updatedAt: InstantSchema,
});

export const MigrationPreviewQuerySchema = Type.Object(
  { from: Type.Integer({ minimum: 1, maximum: INT4_MAX }), to: Type.Integer({ minimum: 1, maximum: INT4_MAX }) },
  { additionalProperties: false },
);
export const MigrationPreviewSchema = Type.Object({
  key: Type.String(),
  fromVersion: Type.Integer(),
  toVersion: Type.Integer(),
  /** Every product of the office on fromVersion, oldest first; `movable` false with the blocker when it cannot move. */
  items: Type.Array(
    Type.Object({
      productId: IdSchema,
      dossierId: IdSchema,
      status: Type.String(),
      statusLabel: Type.String(),
      category: Type.String(),
      movable: Type.Boolean(),
      blocker: Type.Optional(literalUnion(migrationBlockers, { description: 'ended: ended products keep their version; status-missing: the status does not exist in the target version' })),
    }),
  ),
});
