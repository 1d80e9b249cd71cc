/**
 * Building blocks shared by every payload schema. One TypeBox schema per payload serves
 * validation and the OpenAPI document alike; shared ones carry an `$id` and are registered
 * with `fastify.addSchema` (see schemas/index.ts), routes point at them with `ref()`.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';

/** A `$ref` to a registered schema that keeps the static type of the target. */
export function ref<T extends TSchema>(schema: T) {
  if (!schema.$id) throw new Error('ref() needs a schema with an $id');
  return Type.Unsafe<Static<T>>(Type.Ref(schema.$id));
}

export const IdSchema = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$', description: 'identifier' });
/** A real calendar date `YYYY-MM-DD` (format `date` checks month lengths and leap years). */
export const DateSchema = Type.String({ format: 'date', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description: 'calendar date YYYY-MM-DD', examples: ['1990-04-12'] });
export const EmailSchema = Type.String({ format: 'email', maxLength: 254, examples: ['anna@example.nl'] });
/** Dutch postcode, stored normalised as `1234AB`. */
export const PostcodeSchema = Type.String({ pattern: '^[1-9][0-9]{3} ?[A-Za-z]{2}$', description: 'Dutch postcode, e.g. "1234 AB"; stored as "1234AB"', examples: ['1234AB'] });
export const HouseNumberSchema = Type.Integer({ minimum: 1, maximum: 99999 });
export const InstantSchema = Type.String({ format: 'date-time' });
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

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
