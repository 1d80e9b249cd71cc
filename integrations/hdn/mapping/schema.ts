/**
 * The shape of an HDN mapping data file (one per HDN version, `versions/<version>.json`).
 *
 * Why data and not code: the official HDN XSDs are for members only and HDN releases a major
 * version every May, so element paths and code lists are facts we only partly know and that
 * change per version. Everything a version decides lives in its data file; the reader/writer
 * (tree.ts) is generic. See docs/design/hdn-mapping.md.
 */
import { Type, type Static } from '@sinclair/typebox';

/** Where a fact came from; `unverified: true` says the public sources are silent and we chose. */
const Provenance = {
  unverified: Type.Optional(Type.Boolean()),
  note: Type.Optional(Type.String({ minLength: 1 })),
};

/**
 * How a leaf's text maps to our value:
 * - text: kept as sent; code: a string checked against `codeList` (unknown codes are recorded,
 *   never refused); date YYYY-MM-DD; time HH:MM:SS; integer: whole number;
 * - amount: decimal euros in XML ("250000.00"), integer cents in our domain;
 * - boolean: J/N in XML; rate: decimal string kept exactly ("3.85");
 * - base64: file content (PrintDoc/EncodedData), megabytes: handed over raw by the parser
 *   (`rawTextElementsFor`), line breaks dropped.
 */
export const valueKinds = ['text', 'code', 'date', 'time', 'integer', 'amount', 'boolean', 'rate', 'base64'] as const;
export type ValueKind = (typeof valueKinds)[number];

/** An element path relative to its parent: names separated by "/", no empty segments. */
const ElementPath = Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_.-]*(/[A-Za-z_][A-Za-z0-9_.-]*)*$' });

export const FieldMappingSchema = Type.Object(
  {
    path: ElementPath,
    kind: Type.Union(valueKinds.map((k) => Type.Literal(k))),
    /** For kind "code": the name of a list under `codeLists`. */
    codeList: Type.Optional(Type.String({ minLength: 1 })),
    required: Type.Optional(Type.Boolean()),
    /** Kind "text" only: the leaf may occur several times (text lines); read as string[]. */
    repeated: Type.Optional(Type.Boolean()),
    ...Provenance,
  },
  { additionalProperties: false },
);
export type FieldMapping = Static<typeof FieldMappingSchema>;

const Fields = Type.Record(Type.String({ pattern: '^[a-z][A-Za-z0-9]*$' }), FieldMappingSchema);

/** A repeated element (loan parts, document lines, applicants): one object per occurrence. */
export const GroupMappingSchema = Type.Object(
  {
    path: ElementPath,
    fields: Fields,
    ...Provenance,
  },
  { additionalProperties: false },
);
export type GroupMapping = Static<typeof GroupMappingSchema>;

export const MessageMappingSchema = Type.Object(
  {
    /** Root element of this message type's document. */
    root: Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_.-]*$' }),
    ...Provenance,
    fields: Fields,
    groups: Type.Optional(Type.Record(Type.String({ pattern: '^[a-z][A-Za-z0-9]*$' }), GroupMappingSchema)),
  },
  { additionalProperties: false },
);
export type MessageMapping = Static<typeof MessageMappingSchema>;

export const CodeEntrySchema = Type.Object(
  {
    code: Type.String({ minLength: 1 }),
    /** English meaning, for logs and code. */
    meaning: Type.String({ minLength: 1 }),
    /** Dutch label as the public source writes it, when it does. */
    label: Type.Optional(Type.String({ minLength: 1 })),
    /** Status codes: position in the normal flow (1 = first); deviations have none. */
    rank: Type.Optional(Type.Integer({ minimum: 1 })),
    /** Status codes: our product lifecycle category (a decision of ours, see domain/hdn/status.ts). */
    category: Type.Optional(Type.Union([Type.Literal('new'), Type.Literal('running'), Type.Literal('ended')])),
    terminal: Type.Optional(Type.Boolean()),
    /**
     * An unverified code is only treated as known when the office enables it (loader option
     * `enabledUnverifiedCodes`); otherwise it is read like any unknown code: recorded, kept.
     */
    ...Provenance,
  },
  { additionalProperties: false },
);
export type CodeEntry = Static<typeof CodeEntrySchema>;

export const CodeListSchema = Type.Object(
  {
    /** The element's name in the public sources (StatusAXBericht, AflossingsVorm, ...). */
    element: Type.String({ minLength: 1 }),
    ...Provenance,
    codes: Type.Array(CodeEntrySchema, { minItems: 1 }),
  },
  { additionalProperties: false },
);
export type CodeList = Static<typeof CodeListSchema>;

export const hdnMappedMessageTypes = ['AX', 'SX', 'OX', 'DA', 'DX'] as const;
export type HdnMappedMessageType = (typeof hdnMappedMessageTypes)[number];

export const HdnMappingFileSchema = Type.Object(
  {
    /** The BerichtVersie this file describes, e.g. "24.0". */
    hdnVersion: Type.String({ pattern: '^[0-9]+\\.[0-9]+$' }),
    /** Where the facts come from (free text). */
    sources: Type.String({ minLength: 1 }),
    /** True when every fixture this version is tested with is ours (no real sample is public). */
    syntheticFixtures: Type.Boolean(),
    /** The header inside every message (paths relative to the message root). */
    header: Type.Object({ ...Provenance, fields: Fields }, { additionalProperties: false }),
    messages: Type.Object(
      Object.fromEntries(hdnMappedMessageTypes.map((t) => [t, MessageMappingSchema])) as Record<HdnMappedMessageType, typeof MessageMappingSchema>,
      { additionalProperties: false },
    ),
    codeLists: Type.Record(Type.String({ pattern: '^[a-z][A-Za-z0-9]*$' }), CodeListSchema),
  },
  { additionalProperties: false },
);
export type HdnMappingFile = Static<typeof HdnMappingFileSchema>;
