/**
 * Building blocks shared by every payload schema. One TypeBox schema per payload serves
 * validation and the OpenAPI document alike; shared ones carry an `$id` and are registered
 * with `fastify.addSchema` (see schemas/index.ts), routes point at them with `ref()`.
 */
import { Type, type Static, type StringOptions, type TSchema } from '@sinclair/typebox';
import { DATE_MAX, DATE_MIN, DATE_PATTERN } from '../../domain/dates.js';

/** The same schema with its own description (a shared date, say, saying what the date is). */
export const described = <T extends TSchema>(schema: T, description: string): T => ({ ...schema, description });

/** A `$ref` to a registered schema that keeps the static type of the target. */
export function ref<T extends TSchema>(schema: T) {
  if (!schema.$id) throw new Error('ref() needs a schema with an $id');
  return Type.Unsafe<Static<T>>(Type.Ref(schema.$id));
}

export const IdSchema = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$', description: 'identifier' });

// ---- text ---------------------------------------------------------------------------------------
// Every string the API takes follows the text rule of domain/text.ts: no NUL, ESC or other control
// characters, no bidi overrides, no lone surrogates. By default a string is one line (no tab or
// line break either; api/validation.ts adds `x-text: line` to every string schema without an
// `x-text` of its own); free text says so with `FreeText`.

/** Free text: tab and line breaks allowed (notes, summaries, template bodies, descriptions). */
export const FREE_TEXT = { 'x-text': 'free' } as const;
export const FreeText = (options: StringOptions = {}) => Type.String({ ...options, ...FREE_TEXT });
/** A whole XML document as the body: its text is checked by the XML reader (integrations/xml). */
export const XmlDocumentBody = (options: StringOptions = {}) => Type.String({ ...options, 'x-text': 'document' });

// ---- numbers ------------------------------------------------------------------------------------

/** The largest PostgreSQL `integer` (int4): the maximum of every whole number stored in one. */
export const INT4_MAX = 2_147_483_647;

// ---- dates and instants -------------------------------------------------------------------------

export { DATE_MAX, DATE_MIN };
const YEAR = '(?:19[0-9]{2}|2[01][0-9]{2}|2200)';
/**
 * A real calendar date `YYYY-MM-DD` from 1900-01-01 to 2200-12-31 (domain/dates.ts DATE_MIN,
 * DATE_MAX: format `date` checks month lengths and leap years, the pattern the years). The one
 * date schema of every payload.
 */
export const DateSchema = Type.String({
  format: 'date',
  pattern: DATE_PATTERN,
  description: `calendar date YYYY-MM-DD, ${DATE_MIN} to ${DATE_MAX}`,
  examples: ['1990-04-12'],
});
/**
 * An instant (RFC 3339 date-time with seconds and an offset `Z` or within ±14:00, the offsets in
 * use on earth), its date from 1900 to 2200. The one instant schema of every payload.
 */
export const InstantSchema = Type.String({
  format: 'date-time',
  pattern: `^${YEAR}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\\.[0-9]{1,9})?(?:Z|[+-](?:(?:0[0-9]|1[0-3]):[0-5][0-9]|14:00))$`,
  description: 'instant, RFC 3339 with an offset (Z or -14:00 to +14:00), e.g. 2026-03-01T09:30:00Z',
  examples: ['2026-03-01T09:30:00Z'],
});

export const EmailSchema = Type.String({ format: 'email', maxLength: 254, examples: ['anna@example.nl'] });
/** Dutch postcode, stored normalised as `1234AB`. */
export const PostcodeSchema = Type.String({ pattern: '^[1-9][0-9]{3} ?[A-Za-z]{2}$', description: 'Dutch postcode, e.g. "1234 AB"; stored as "1234AB"', examples: ['1234AB'] });
export const HouseNumberSchema = Type.Integer({ minimum: 1, maximum: 99999 });
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
/**
 * A field of a PATCH or PUT that can be cleared: `null` clears it, leaving it out keeps it (PATCH).
 * The only way to clear: an empty string is never "nothing" (bodies are taken without coercion).
 */
export const Clearable = <T extends TSchema>(schema: T, description: string) =>
  Type.Union([schema, Type.Null()], { description: `${description}; null clears it` });

export function normalisePostcode(postcode: string): string {
  return postcode.replace(/\s+/g, '').toUpperCase();
}

export const IdParamsSchema = Type.Object({ id: IdSchema }, { additionalProperties: false });

export const PagingQuerySchema = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
};

export const ProblemFieldErrorSchema = Type.Object({ path: Type.String(), message: Type.String() });

/** RFC 9457 problem details; every error answers this as `application/problem+json`. */
export const ProblemSchema = Type.Object(
  {
    type: Type.String({ description: 'URI identifying the problem type' }),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String({ description: 'readable explanation; for 5xx only a reference to the logged error' }),
    instance: Type.String({ description: 'path of the request' }),
    errors: Type.Optional(Type.Array(ProblemFieldErrorSchema, { description: 'validation errors, one per field path' })),
  },
  { $id: 'Problem', additionalProperties: true, description: 'application/problem+json' },
);
export type Problem = Static<typeof ProblemSchema>;

/** The media type of every error answer (RFC 9457). */
export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

/** One documented error answer: `application/problem+json` with the given schema (default: Problem). */
export function problemResponse<T extends TSchema>(schema: T, description?: string) {
  return {
    ...(description ? { description } : {}),
    content: { [PROBLEM_MEDIA_TYPE]: { schema: ref(schema) } },
  };
}

/**
 * Error answers a route documents beyond the ones every route gets (api/plugins/problem.ts adds
 * 400, 401/403, 404, 413/415, 414, 431 and 500 from the route's own schema, roles and method).
 */
export function problemResponses(...codes: number[]): Record<number, ReturnType<typeof problemResponse<typeof ProblemSchema>>> {
  const out: Record<number, ReturnType<typeof problemResponse<typeof ProblemSchema>>> = {};
  for (const c of codes) out[c] = problemResponse(ProblemSchema);
  return out;
}
