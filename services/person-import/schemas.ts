/** The person import (admins): the report per file and the progress of a running import. */
import { Type, type Static } from '@sinclair/typebox';
import { IdSchema, InstantSchema, Nullable } from '../shared/schemas.js';
import { personImportFormats, personImportStatuses } from '../../domain/person-import/import.js';

export const PersonImportQuerySchema = Type.Object(
  {
    dryRun: Type.Optional(Type.Boolean({ default: false, description: 'true: validate and report only, import nothing' })),
    importId: Type.Optional(Type.String({ format: 'uuid', description: 'an id chosen by the client, to poll GET /persons/imports/{id} while the import runs' })),
  },
  { additionalProperties: false },
);

export const ImportSkippedSchema = Type.Object({
  row: Type.Integer({ description: 'row number in the file as the user sees it (the header is row 1)' }),
  reasons: Type.Array(Type.String()),
});

export const ImportDuplicateSchema = Type.Object({
  row: Type.Integer(),
  reasons: Type.Array(Type.String()),
  ofRow: Type.Optional(Type.Integer({ description: 'the earlier row of the same file it duplicates' })),
  existing: Type.Array(Type.Object({ id: IdSchema, name: Type.String(), reasons: Type.Array(Type.String()) }), { description: 'existing persons it likely is' }),
});

export const PersonImportReportSchema = Type.Object({
  importId: IdSchema,
  dryRun: Type.Boolean(),
  total: Type.Integer({ description: 'data rows in the file' }),
  imported: Type.Integer({ description: 'persons created (0 in a dry run)' }),
  wouldImport: Type.Integer({ description: 'rows that pass every check (what a real run imports)' }),
  skipped: Type.Array(ImportSkippedSchema, { description: 'invalid rows, not imported' }),
  duplicates: Type.Array(ImportDuplicateSchema, { description: 'likely duplicates, never imported' }),
  ignoredColumns: Type.Array(Type.String()),
});
export type PersonImportReport = Static<typeof PersonImportReportSchema>;

export const PersonImportStatusSchema = Type.Object({
  id: IdSchema,
  dryRun: Type.Boolean(),
  format: Type.Union(personImportFormats.map((f) => Type.Literal(f))),
  status: Type.Union(personImportStatuses.map((s) => Type.Literal(s))),
  total: Type.Integer(),
  processed: Type.Integer({ description: 'rows handled so far (updated per batch)' }),
  imported: Type.Integer(),
  error: Nullable(Type.String()),
  report: Nullable(PersonImportReportSchema),
  createdBy: Type.String(),
  createdAt: InstantSchema,
  updatedAt: InstantSchema,
});
export type PersonImportStatus = Static<typeof PersonImportStatusSchema>;
