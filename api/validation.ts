/**
 * The request validators (Fastify's `schemaController.compilersFactory.buildValidator`): one Ajv
 * per kind of HTTP part, so that a JSON body is taken exactly as sent while the querystring,
 * path parameters and headers (which are text by nature) are still read as the numbers and
 * booleans their schemas declare.
 *
 * - body: no type coercion. `{"optOut": null}`, `"false"` or `0` is not a boolean, `""` is not
 *   `null` and `false` is not a string: each answers 400 naming the field.
 * - querystring, params, headers: `coerceTypes: 'array'` (`?limit=20`, `?status=a&status=b`);
 *   a number must be finite (`?limit=Infinity`, `?from=1e309`: 400, see `x-finite`).
 *
 * Every string schema follows the text rule of domain/text.ts through the `x-text` keyword:
 * `line` (the default, added here to every string schema that does not say otherwise), `free`
 * (tab and line breaks allowed: notes, summaries, template bodies, descriptions) or `document`
 * (a whole XML document taken as the body; the XML reader checks it, integrations/xml).
 */
import { AjvCompiler, type Ajv, type ValidatorFactory } from '@fastify/ajv-compiler';
import { textKinds, textProblem, type TextKind } from '../domain/text.js';

export const TEXT_KEYWORD = 'x-text';
const textKeywordValues = [...textKinds, 'document'] as const;
type TextKeywordValue = (typeof textKeywordValues)[number];

function addTextKeyword(ajv: Ajv): void {
  if (ajv.getKeyword(TEXT_KEYWORD)) return;
  ajv.addKeyword({
    keyword: TEXT_KEYWORD,
    type: 'string',
    schemaType: 'string',
    errors: true,
    metaSchema: { enum: [...textKeywordValues] },
    validate: function checkText(kind: TextKeywordValue, data: string): boolean {
      if (kind === 'document') return true;
      const message = textProblem(data, kind as TextKind);
      if (message === undefined) return true;
      (checkText as unknown as { errors: unknown[] }).errors = [{ keyword: TEXT_KEYWORD, message, params: { kind } }];
      return false;
    },
  });
}

/**
 * `x-finite` (added here to every number and integer schema): the value is a finite number. Ajv
 * coerces a query value `Infinity` or `1e309` to Infinity, which then skips `minimum`/`maximum`
 * (Ajv checks those only on finite numbers) and reached SQL as `limit Infinity` (a 500); with
 * this keyword it answers 400 naming the parameter. A JSON body cannot carry a non-finite number
 * past the type check, so this only ever refuses coerced text.
 */
export const FINITE_KEYWORD = 'x-finite';

function addFiniteKeyword(ajv: Ajv): void {
  if (ajv.getKeyword(FINITE_KEYWORD)) return;
  ajv.addKeyword({
    keyword: FINITE_KEYWORD,
    schemaType: 'boolean',
    errors: true,
    validate: function checkFinite(wanted: boolean, data: unknown): boolean {
      if (!wanted || typeof data !== 'number' || Number.isFinite(data)) return true;
      (checkFinite as unknown as { errors: unknown[] }).errors = [{ keyword: FINITE_KEYWORD, message: 'must be a finite number', params: {} }];
      return false;
    },
  });
}

const isNumberSchema = (schema: Record<string, unknown>): boolean =>
  ['number', 'integer'].some((t) => schema.type === t || (Array.isArray(schema.type) && schema.type.includes(t)));

// Keywords whose values are data, not subschemas: never rewritten.
const dataKeywords = new Set(['enum', 'const', 'default', 'examples', 'example']);

const isStringSchema = (schema: Record<string, unknown>): boolean =>
  schema.type === 'string' || (Array.isArray(schema.type) && schema.type.includes('string'));

/**
 * The schema with `x-text: line` on every string schema that has no `x-text` of its own, and
 * `x-finite` on every number and integer schema. A copy:
 * the route's schema object also feeds the OpenAPI document. Memoised on the original object, so
 * a schema that occurs in several places (a registered `$id` schema used inline, say) stays one
 * object for Ajv.
 */
const rewritten = new WeakMap<object, unknown>();
export function withTextRule<T>(schema: T): T {
  if (schema === null || typeof schema !== 'object') return schema;
  const cached = rewritten.get(schema);
  if (cached !== undefined) return cached as T;
  if (Array.isArray(schema)) {
    const out: unknown[] = [];
    rewritten.set(schema, out);
    for (const item of schema) out.push(withTextRule(item));
    return out as T;
  }
  const source = schema as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  rewritten.set(schema, out);
  for (const [key, value] of Object.entries(source)) out[key] = dataKeywords.has(key) ? value : withTextRule(value);
  if (isStringSchema(source) && !(TEXT_KEYWORD in source)) out[TEXT_KEYWORD] = 'line';
  if (isNumberSchema(source)) out[FINITE_KEYWORD] = true;
  return out as T;
}

const sharedOptions = {
  // Reject unknown properties (additionalProperties: false) instead of silently dropping them.
  removeAdditional: false,
  allErrors: true,
  useDefaults: true,
} as const;

interface ValidatorRoute {
  schema: unknown;
  method: string;
  url: string;
  httpPart?: string;
}

/**
 * The `buildValidator` of Fastify's schema controller. (Its declared type says the compiler takes
 * a schema; Fastify calls it with the route definition, as here.)
 */
export function buildValidator(): ValidatorFactory {
  const pool = AjvCompiler();
  const factory = (externalSchemas: Record<string, unknown>) => {
    const externals = Object.fromEntries(Object.entries(externalSchemas).map(([id, s]) => [id, withTextRule(s)])) as Record<string, object>;
    const onCreate = (ajv: Ajv) => {
      addTextKeyword(ajv);
      addFiniteKeyword(ajv);
    };
    const body = pool(externals, { customOptions: { ...sharedOptions, coerceTypes: false }, onCreate });
    const text = pool(externals, { customOptions: { ...sharedOptions, coerceTypes: 'array' }, onCreate });
    // The pool's compilers take the route definition ({ schema, method, url, httpPart }), though
    // their type says schema.
    return (route: ValidatorRoute) => {
      const compile = route.httpPart === 'body' ? body : text;
      return compile({ ...route, schema: withTextRule(route.schema) } as never);
    };
  };
  return factory as unknown as ValidatorFactory;
}
