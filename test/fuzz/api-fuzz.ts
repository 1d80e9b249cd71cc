/**
 * The OpenAPI-driven fuzz of the API (issue 16 point 3), shared by the short run in `npm test`
 * (`test/fuzz/api.fuzz.test.ts`) and the long one (`npm run fuzz:api`, `test/fuzz/api-fuzz-run.ts`).
 *
 * It reads the document the API serves at /docs/json and sends seeded, generated requests to every
 * operation over real HTTP, as adviser, admin and designer (and now and then without a token):
 * path parameters, query and bodies generated from the operation's schemas (fast-check), with the
 * schemas' boundary values and, for a share of the requests, a hostile edit (NUL and other control
 * characters, RTL override, very long strings, 2^31 and 2^53, out-of-range dates and offsets,
 * wrong types, null, a dropped required field, an unknown field, deep nesting, a body of another
 * media type). Ids answered by the API (a created person, dossier, product, ...) are kept and used
 * as path parameters, so the fuzz reaches the routes behind an existing entity.
 *
 * Every answer is checked against the document: no 5xx (a 503 the operation documents, e.g. RISK
 * not configured, is counted apart), the status documented for the operation, the media type
 * documented for that status, and a JSON body valid for its documented schema (Ajv). A probe
 * asks GET /health/live all through the run; its latencies are reported (p50, p99, max).
 */
import fc from 'fast-check';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS with a `default` property; under NodeNext the import is the module object.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

export type FuzzRole = 'adviser' | 'admin' | 'designer';
export const fuzzRoles: readonly FuzzRole[] = ['adviser', 'admin', 'designer'];

type Schema = Record<string, unknown>;
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Schema }> };
  responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}
export interface OpenApiDoc {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

export interface FuzzOptions {
  baseUrl: string;
  tokens: Record<FuzzRole, string>;
  seed: number;
  /** Requests after the warm-up (the warm-up sends one valid request per operation without path parameters and role). */
  requests: number;
  /** Requests in flight at once (1 = the same seed gives the same requests in the same order). */
  concurrency?: number;
  /** Pause between two health probes. */
  probeEveryMs?: number;
  log?: (line: string) => void;
}

export interface FuzzFailure {
  operation: string;
  status: number;
  reason: string;
  example: string;
  count: number;
}

export interface FuzzReport {
  seed: number;
  operations: number;
  requests: number;
  byStatus: Record<string, number>;
  /** Operations answered with a 2xx at least once. */
  reached: number;
  documented503: number;
  failures: FuzzFailure[];
  health: { probes: number; p50: number; p99: number; max: number; failed: number };
  /** The slowest requests of the run (for a person looking for what stalls). */
  slowest: { ms: number; what: string }[];
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** What every hostile edit may put in place of a value. */
const hostileStrings = [
  '',
  ' ',
  '\u0000',
  'Anna\u0000Jansen',
  '\u0001\u0002\u001f',
  '\u001b[2J\u001b[31mred',
  '\u202eevil\u202c',
  '\u0085\u2028\u2029',
  '\ud800',
  '\uffff',
  'é'.repeat(300),
  'x'.repeat(5000),
  '<script>alert(1)</script>',
  "'; drop table persons; --",
  '../../etc/passwd',
  '%00',
  '{{7*7}}',
  '=HYPERLINK("http://x")',
  '0000-01-01',
  '0041-12-18',
  '9999-12-31',
  '2025-02-30',
  '+275760-09-13',
  '2025-01-01T00:00:00+23:59',
  '2025-01-01T00:00:00+17:55',
  '2025-01-01T25:61:00Z',
  'NaN',
  'Infinity',
  'true',
  'null',
  '1e309',
  '00000000-0000-0000-0000-000000000000',
];
const hostileNumbers = [0, -1, -0, 0.5, 1e-7, 2 ** 31 - 1, 2 ** 31, -(2 ** 31) - 1, 2 ** 53, 2 ** 53 + 2, 99_999_999_999, 100_000_000_000, 1e308, -1e308];
function nested(depth: number): unknown {
  let v: unknown = [];
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}
function nestedObject(depth: number): unknown {
  let v: unknown = {};
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
}
const hostileOthers: unknown[] = [null, true, false, [], {}, [null], { '': '' }, nested(64), nested(3000), nestedObject(3000)];
const hostileValue = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...hostileStrings) },
  { weight: 3, arbitrary: fc.constantFrom(...hostileNumbers) },
  { weight: 2, arbitrary: fc.constantFrom(...hostileOthers) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
);

/** Builds fast-check arbitraries for the schemas of one OpenAPI document. */
class Generator {
  constructor(private readonly doc: OpenApiDoc) {}

  private resolve(schema: Schema | undefined): Schema {
    let s = schema ?? {};
    for (let i = 0; i < 20 && typeof s.$ref === 'string'; i++) {
      const name = s.$ref.replace(/^#\/components\/schemas\//, '');
      s = this.doc.components?.schemas?.[name] ?? {};
    }
    return s;
  }

  /** Typical values (most of the time) and the schema's boundary values. */
  value(schemaIn: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
    const schema = this.resolve(schemaIn);
    const base = this.typical(schema, depth);
    const edges = this.boundaries(schema);
    const withEdges = edges.length > 0 ? fc.oneof({ weight: 5, arbitrary: base }, { weight: 1, arbitrary: fc.constantFrom(...edges) }) : base;
    return schema.nullable === true ? fc.option(withEdges, { nil: null, freq: 8 }) : withEdges;
  }

  private typical(schema: Schema, depth: number): fc.Arbitrary<unknown> {
    if (Array.isArray(schema.enum) && schema.enum.length > 0) return fc.constantFrom(...(schema.enum as unknown[]));
    if ('const' in schema) return fc.constant(schema.const);
    for (const key of ['anyOf', 'oneOf'] as const) {
      const list = schema[key];
      if (Array.isArray(list) && list.length > 0) return fc.oneof(...(list as Schema[]).map((s) => this.value(s, depth + 1)));
    }
    if (Array.isArray(schema.allOf) && schema.allOf.length > 0) {
      return fc
        .tuple(...(schema.allOf as Schema[]).map((s) => this.value(s, depth + 1)))
        .map((parts) => (parts.every((p) => typeof p === 'object' && p !== null && !Array.isArray(p)) ? Object.assign({}, ...parts) : parts[0]));
    }
    const type = Array.isArray(schema.type) ? (schema.type as string[])[0] : (schema.type as string | undefined);
    switch (type ?? (schema.properties ? 'object' : undefined)) {
      case 'string':
        return this.string(schema);
      case 'integer':
      case 'number':
        return this.number(schema, type === 'integer');
      case 'boolean':
        return fc.boolean();
      case 'null':
        return fc.constant(null);
      case 'array': {
        const minLength = Number(schema.minItems ?? 0);
        const maxLength = Math.max(minLength, Math.min(Number(schema.maxItems ?? 3), depth > 3 ? minLength : 3));
        return fc.array(this.value(schema.items as Schema, depth + 1), { minLength, maxLength });
      }
      case 'object': {
        const properties = (schema.properties ?? {}) as Record<string, Schema>;
        const keys = Object.keys(properties);
        if (keys.length === 0) return fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.boolean()), { maxKeys: 3 });
        const required = ((schema.required ?? []) as string[]).filter((k) => keys.includes(k));
        // Deep in the tree only what is required, so recursive schemas end.
        const model = Object.fromEntries(keys.filter((k) => depth < 5 || required.includes(k)).map((k) => [k, this.value(properties[k], depth + 1)]));
        return fc.record(model, { requiredKeys: required.filter((k) => k in model) });
      }
      default:
        return fc.jsonValue({ maxDepth: 2 });
    }
  }

  private string(schema: Schema): fc.Arbitrary<string> {
    const minLength = Number(schema.minLength ?? 0);
    const maxLength = Math.max(minLength, Math.min(Number(schema.maxLength ?? 40), 40));
    switch (schema.format) {
      case 'date':
        return fc.date({ min: new Date('1930-01-01T00:00:00Z'), max: new Date('2060-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
      case 'date-time':
        return fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2040-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());
      case 'uuid':
        return fc.uuid();
      case 'email':
        return fc.emailAddress().map((e) => (e.length <= Number(schema.maxLength ?? 320) ? e : `a@${'b'.repeat(10)}.nl`));
      default:
    }
    if (typeof schema.pattern === 'string') {
      try {
        // No filter (it can take forever to meet a length): repeat a short match up to the minimum
        // length and cut a long one (both keep simple `^[...]+$` patterns); what still misses the
        // pattern is a value the API has to refuse, which is fine for a fuzz.
        const upTo = Number(schema.maxLength ?? Infinity);
        return fc.stringMatching(new RegExp(schema.pattern)).map((s) => {
          let v = s;
          while (v.length > 0 && v.length < minLength) v += s;
          return v.length > upTo ? v.slice(0, upTo) : v;
        });
      } catch {
        // a pattern fast-check cannot generate from: plain strings (the API refuses most, which is fine)
      }
    }
    return fc.string({ minLength, maxLength });
  }

  private number(schema: Schema, integer: boolean): fc.Arbitrary<number> {
    const min = typeof schema.minimum === 'number' ? schema.minimum : -1_000_000;
    const max = typeof schema.maximum === 'number' ? schema.maximum : 1_000_000;
    if (integer) return fc.bigInt({ min: BigInt(Math.ceil(min)), max: BigInt(Math.floor(max)) }).map(Number);
    return fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
  }

  private boundaries(schema: Schema): unknown[] {
    const out: unknown[] = [];
    if (schema.type === 'string' && !schema.enum && !schema.format && !schema.pattern) {
      if (typeof schema.minLength === 'number') out.push('a'.repeat(schema.minLength), 'a'.repeat(Math.max(0, schema.minLength - 1)));
      if (typeof schema.maxLength === 'number' && schema.maxLength <= 100_000) out.push('a'.repeat(schema.maxLength), 'a'.repeat(schema.maxLength + 1));
    }
    if (schema.type === 'string' && schema.format === 'date') out.push('1900-01-01', '2200-12-31', '1899-12-31', '2201-01-01', '2024-02-29', '2023-02-29');
    if (schema.type === 'string' && schema.format === 'date-time') out.push('1900-01-01T00:00:00Z', '2200-12-31T23:59:59.999Z', '2025-06-01T12:00:00+14:00', '2025-06-01T12:00:00-12:00');
    if (schema.type === 'integer' || schema.type === 'number') {
      for (const key of ['minimum', 'maximum'] as const) {
        const v = schema[key];
        if (typeof v === 'number') out.push(v, key === 'minimum' ? v - 1 : v + 1);
      }
    }
    if (schema.type === 'array' && typeof schema.maxItems === 'number' && schema.maxItems <= 1000) {
      out.push(Array.from({ length: schema.maxItems + 1 }, () => null));
    }
    return out;
  }
}

/** The JSON paths (as key lists) of every value inside `value`, the root included. */
function pathsOf(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = [], depth = 0): (string | number)[][] {
  out.push(prefix);
  if (depth > 8) return out;
  if (Array.isArray(value)) value.forEach((v, i) => pathsOf(v, [...prefix, i], out, depth + 1));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) pathsOf(v, [...prefix, k], out, depth + 1);
  return out;
}

function setAt(root: unknown, path: (string | number)[], replace: (old: unknown, parent: Record<string | number, unknown> | undefined, key: string | number | undefined) => unknown): unknown {
  if (path.length === 0) return replace(root, undefined, undefined);
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  const next = replace(node[last], node, last);
  if (next === DROP) {
    if (Array.isArray(node)) node.splice(Number(last), 1);
    else delete node[last];
  } else node[last] = next;
  return copy;
}
const DROP = Symbol('drop');

interface HostileEdit {
  kind: 'replace' | 'drop' | 'unknown-field' | 'whole';
  pick: number;
  value: unknown;
}
const hostileEdit: fc.Arbitrary<HostileEdit> = fc.record({
  kind: fc.constantFrom('replace', 'replace', 'replace', 'drop', 'unknown-field', 'whole'),
  pick: fc.nat(),
  value: hostileValue,
});

function applyHostile(value: unknown, edit: HostileEdit): unknown {
  if (edit.kind === 'whole') return edit.value;
  const paths = pathsOf(value);
  const path = paths[edit.pick % paths.length] ?? [];
  if (edit.kind === 'replace') return setAt(value, path, () => edit.value);
  if (edit.kind === 'drop') return path.length === 0 ? undefined : setAt(value, path, () => DROP);
  const objects = paths.filter((p) => {
    let v: unknown = value;
    for (const k of p) v = (v as Record<string | number, unknown>)[k];
    return v !== null && typeof v === 'object' && !Array.isArray(v);
  });
  const target = objects[edit.pick % Math.max(1, objects.length)];
  return target ? setAt(value, target, (old) => ({ ...(old as object), unknownField: edit.value })) : value;
}

/** One generated request before the id pool fills in path parameters. */
interface Draft {
  role: FuzzRole | 'none' | 'bad-token';
  params: Record<string, unknown>;
  /** Per path parameter: take an id the API answered before (when there is one). */
  fromPool: Record<string, number | null>;
  query: Record<string, unknown>;
  headers: Record<string, unknown>;
  body: unknown;
  hostile: { where: 'body' | 'query' | 'params'; edit: HostileEdit } | null;
  bytes: Uint8Array;
}

interface CompiledOperation {
  name: string;
  method: string;
  path: string;
  op: Operation;
  bodyMedia: string | undefined;
  pathParams: Parameter[];
  draft: fc.Arbitrary<Draft>;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function compileOperations(doc: OpenApiDoc): CompiledOperation[] {
  const gen = new Generator(doc);
  const out: CompiledOperation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const params = op.parameters ?? [];
      const pathParams = params.filter((p) => p.in === 'path');
      const queryParams = params.filter((p) => p.in === 'query');
      const headerParams = params.filter((p) => p.in === 'header');
      const media = Object.keys(op.requestBody?.content ?? {});
      const bodyMedia = media.includes('application/json') ? 'application/json' : media[0];
      const bodySchema = bodyMedia ? op.requestBody?.content?.[bodyMedia]?.schema : undefined;
      const group = (list: Parameter[]) =>
        fc.record(Object.fromEntries(list.map((p) => [p.name, gen.value(p.schema)])), { requiredKeys: list.filter((p) => p.required).map((p) => p.name) });
      const draft = fc.record({
        role: fc.oneof({ weight: 32, arbitrary: fc.constantFrom(...fuzzRoles) }, { weight: 1, arbitrary: fc.constantFrom('none' as const, 'bad-token' as const) }),
        params: group(pathParams),
        fromPool: fc.record(Object.fromEntries(pathParams.map((p) => [p.name, fc.option(fc.nat(), { nil: null, freq: 6 })]))) as fc.Arbitrary<Record<string, number | null>>,
        query: group(queryParams),
        headers: group(headerParams),
        body: bodyMedia === 'application/json' ? gen.value(bodySchema) : fc.constant(undefined),
        hostile: fc.option(fc.record({ where: fc.constantFrom('body' as const, 'body' as const, 'query' as const, 'params' as const), edit: hostileEdit }), {
          nil: null,
          freq: 2,
        }),
        bytes: fc.uint8Array({ maxLength: 64 }),
      });
      out.push({ name: `${method.toUpperCase()} ${path}`, method: method.toUpperCase(), path, op, bodyMedia, pathParams, draft });
    }
  }
  return out;
}

/** Ids and keys the API answered with, for path parameters. */
class IdPool {
  private readonly byKey = new Map<string, unknown[]>();

  add(key: string, value: unknown): void {
    if (typeof value !== 'string' && typeof value !== 'number') return;
    const list = this.byKey.get(key) ?? [];
    if (list.includes(value)) return;
    list.push(value);
    if (list.length > 60) list.shift();
    this.byKey.set(key, list);
  }

  pick(keys: string[], n: number): unknown {
    for (const key of keys) {
      const list = this.byKey.get(key);
      if (list && list.length > 0) return list[n % list.length];
    }
    return undefined;
  }

  /** Collects `id`s by the collection they belong to and every other field by its name. */
  collect(path: string, body: unknown): void {
    const segments = path.split('/').filter((s) => s && !s.startsWith('{'));
    const collection = segments[segments.length - 1] ?? '';
    const walk = (value: unknown, owner: string, depth: number) => {
      if (depth > 5) return;
      if (Array.isArray(value)) return value.forEach((v) => walk(v, owner, depth + 1));
      if (!isRecord(value)) return;
      for (const [k, v] of Object.entries(value)) {
        if (k === 'id') this.add(`seg:${owner}`, v);
        else if (typeof v === 'string' || typeof v === 'number') this.add(`name:${k}`, v);
        else walk(v, k === 'items' ? owner : k.endsWith('s') ? k : `${k}s`, depth + 1);
      }
    };
    walk(body, collection, 0);
  }
}

/** Ajv validators of the documented response schemas (OpenAPI 3.0 schema objects). */
class ResponseValidator {
  private readonly ajv: Ajv;
  private readonly cache = new Map<string, ValidateFunction>();

  constructor(doc: OpenApiDoc) {
    this.ajv = new Ajv({ strict: false, allErrors: false, validateSchema: false, validateFormats: true });
    addFormats(this.ajv);
    this.ajv.addSchema({ components: doc.components ?? {} }, 'openapi');
  }

  check(key: string, schema: Schema, body: unknown): string | null {
    let fn = this.cache.get(key);
    if (!fn) {
      const rewritten = JSON.parse(JSON.stringify(schema).replace(/"\$ref":"#\/components\//g, '"$ref":"openapi#/components/')) as Schema;
      fn = this.ajv.compile(rewritten);
      this.cache.set(key, fn);
    }
    if (fn(body)) return null;
    return (fn.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`).join('; ');
  }
}
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}

function encodeParam(value: unknown): string {
  if (value === undefined) return '';
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
  // A lone surrogate cannot be percent-encoded as UTF-8: it goes as U+FFFD, as a browser sends it.
  return encodeURIComponent(text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'));
}

function snippet(value: unknown, max = 300): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  return text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text;
}

export async function fetchOpenApi(baseUrl: string): Promise<OpenApiDoc> {
  const res = await fetch(`${baseUrl}/docs/json`);
  if (!res.ok) throw new Error(`GET /docs/json answered ${res.status}`);
  return (await res.json()) as OpenApiDoc;
}

/** Runs the fuzz against a listening API; resolves with what it found (it never throws for a finding). */
export async function runApiFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const log = options.log ?? (() => undefined);
  const doc = await fetchOpenApi(options.baseUrl);
  const operations = compileOperations(doc);
  const validator = new ResponseValidator(doc);
  const pool = new IdPool();
  const failures = new Map<string, FuzzFailure>();
  const byStatus: Record<string, number> = {};
  const reached = new Set<string>();
  let documented503 = 0;
  let sent = 0;
  const slowest: { ms: number; what: string }[] = [];
  const forbidden = new Map<string, Set<FuzzRole>>();

  const fail = (operation: string, status: number, reason: string, example: string) => {
    const key = `${operation} ${status} ${reason.slice(0, 120)}`;
    const found = failures.get(key);
    if (found) found.count += 1;
    else failures.set(key, { operation, status, reason, example, count: 1 });
  };

  // The health probe, all through the run.
  const latencies: number[] = [];
  let probeFailed = 0;
  let probing = true;
  const probeEvery = options.probeEveryMs ?? 100;
  const prober = (async () => {
    while (probing) {
      const started = performance.now();
      try {
        const res = await fetch(`${options.baseUrl}/health/live`);
        await res.arrayBuffer();
        if (res.status !== 200) probeFailed += 1;
      } catch {
        probeFailed += 1;
      }
      latencies.push(performance.now() - started);
      await new Promise((r) => setTimeout(r, probeEvery));
    }
  })();

  const send = async (operation: CompiledOperation, draft: Draft, sequence: number) => {
    // Path parameters: an id the API answered before, or the generated (or hostile) value.
    const params: Record<string, unknown> = { ...draft.params };
    const segments = operation.path.split('/');
    for (const p of operation.pathParams) {
      const n = draft.fromPool[p.name];
      if (n === null || n === undefined) continue;
      const before = segments[segments.indexOf(`{${p.name}}`) - 1] ?? '';
      const keys = p.name === 'id' ? [`seg:${before}`, `name:${p.name}`] : [`name:${p.name}`, `seg:${p.name.replace(/Id$/, 's')}`, `seg:${before}`];
      const pooled = pool.pick(keys, n);
      if (pooled !== undefined) params[p.name] = pooled;
    }
    let query = draft.query;
    let body = draft.body;
    if (draft.hostile?.where === 'body' && operation.bodyMedia === 'application/json') body = applyHostile(body ?? {}, draft.hostile.edit);
    if (draft.hostile?.where === 'query') query = applyHostile(query, draft.hostile.edit) as Record<string, unknown>;
    if (draft.hostile?.where === 'params' && operation.pathParams.length > 0) {
      const p = operation.pathParams[draft.hostile.edit.pick % operation.pathParams.length] as Parameter;
      params[p.name] = draft.hostile.edit.value;
    }
    const url =
      options.baseUrl +
      operation.path.replace(/\{([^}]+)\}/g, (_m, name: string) => encodeParam(params[name] ?? 'x')) +
      (isRecord(query) && Object.keys(query).length > 0
        ? `?${Object.entries(query)
            .filter(([, v]) => v !== undefined)
            .map(([k, v]) => `${encodeURIComponent(k)}=${encodeParam(v)}`)
            .join('&')}`
        : '');
    // A role the operation refused (403) before is mostly swapped for another, so most requests reach the handler.
    let role = draft.role;
    const refused = forbidden.get(operation.name);
    if (role !== 'none' && role !== 'bad-token' && refused?.has(role) && (draft.bytes[0] ?? 0) < 230) {
      const others = fuzzRoles.filter((r) => !refused.has(r));
      if (others.length > 0) role = others[sequence % others.length] as FuzzRole;
    }
    const headers: Record<string, string> = {};
    if (role === 'bad-token') headers.authorization = 'Bearer not-a-token';
    else if (role !== 'none') headers.authorization = `Bearer ${options.tokens[role]}`;
    for (const [k, v] of Object.entries(draft.headers)) {
      const text = typeof v === 'string' ? v : JSON.stringify(v);
      // fetch itself refuses header values with control characters; those are tested in test/api/http-problems.test.ts.
      if (text !== undefined && /^[\x20-\x7e]*$/.test(text)) headers[k] = text;
    }
    let payload: string | Uint8Array | undefined;
    if (operation.bodyMedia === 'application/json') {
      if (body !== undefined) {
        payload = JSON.stringify(body);
        headers['content-type'] = 'application/json';
      }
    } else if (operation.bodyMedia) {
      headers['content-type'] = operation.bodyMedia;
      payload = /xml/.test(operation.bodyMedia) ? `<?xml version="1.0"?><x a="${draft.bytes.join('')}">${snippet(body ?? 'x', 40)}</x>` : draft.bytes;
    }
    const summary = `#${sequence} ${role} ${operation.method} ${url.slice(options.baseUrl.length, options.baseUrl.length + 200)}${payload !== undefined ? ` body ${snippet(typeof payload === 'string' ? payload : `<${payload.length} bytes>`)}` : ''}`;
    let res: Response;
    let text: string;
    const started = performance.now();
    // Said, not judged: a person watching the run sees which request keeps the API busy.
    const waiting = setTimeout(() => log(`[fuzz] still waiting after 5 s: ${summary}`), 5_000);
    try {
      const abort = new AbortController();
      const timeout = setTimeout(() => abort.abort(new Error('no answer within 60 s')), 60_000);
      try {
        res = await fetch(url, { method: operation.method, headers, body: payload, redirect: 'manual', signal: abort.signal });
        // A stream of server-sent events (GET /events) never ends: its head is the answer; the stream is closed.
        if ((res.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
          text = '';
          abort.abort();
        } else text = await res.text();
      } finally {
        clearTimeout(timeout);
      }
    } catch (err) {
      fail(operation.name, 0, `no answer: ${String(err).slice(0, 200)}`, summary);
      return;
    } finally {
      clearTimeout(waiting);
    }
    sent += 1;
    const took = performance.now() - started;
    slowest.push({ ms: took, what: `${summary} → ${res.status}` });
    slowest.sort((a, b) => b.ms - a.ms).splice(5);
    if (sent % 100 === 0) log(`[fuzz] ${sent} requests sent`);
    byStatus[res.status] = (byStatus[res.status] ?? 0) + 1;
    if (res.status === 403 && role !== 'none' && role !== 'bad-token') forbidden.set(operation.name, (forbidden.get(operation.name) ?? new Set()).add(role));
    const documented = operation.op.responses[String(res.status)] ?? operation.op.responses.default;
    if (res.status === 503 && documented) documented503 += 1;
    else if (res.status >= 500) fail(operation.name, res.status, `5xx: ${snippet(text, 200)}`, summary);
    if (!documented) {
      fail(operation.name, res.status, 'status not documented', `${summary} → ${snippet(text, 200)}`);
      return;
    }
    const media = (res.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
    const content = documented.content ?? {};
    if (Object.keys(content).length === 0) {
      if (text.length > 0) fail(operation.name, res.status, `a body (${media}) where none is documented`, summary);
    } else if (!(media in content)) {
      fail(operation.name, res.status, `media type ${media || '(none)'} not documented (${Object.keys(content).join(', ')})`, summary);
    } else if (/json/.test(media)) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        fail(operation.name, res.status, 'body is not JSON', summary);
        return;
      }
      const schema = content[media]?.schema;
      if (schema) {
        const problem = validator.check(`${operation.name} ${res.status} ${media}`, schema, parsed);
        if (problem) fail(operation.name, res.status, `breaks its schema: ${problem.slice(0, 300)}`, `${summary} → ${snippet(text, 300)}`);
      }
      if (res.status < 300) {
        reached.add(operation.name);
        pool.collect(operation.path, parsed);
      }
    } else if (res.status < 300) reached.add(operation.name);
  };

  const rng = fc.sample(fc.nat(), { seed: options.seed, numRuns: 1 })[0] ?? 0;
  const draftOf = (operation: CompiledOperation, i: number): Draft =>
    fc.sample(operation.draft, { seed: (options.seed ^ Math.imul(i + 1, 0x9e3779b1) ^ rng) | 0, numRuns: 1 })[0] as Draft;

  try {
    // Warm-up: one request per role to every operation without path parameters, valid as generated (fills the id pool).
    let sequence = 0;
    for (const operation of operations.filter((o) => o.pathParams.length === 0)) {
      for (const role of fuzzRoles) {
        const draft = { ...draftOf(operation, sequence), role, hostile: null };
        await send(operation, draft, sequence++);
      }
    }
    log(`[fuzz] warm-up: ${sequence} requests, ${reached.size} operations reached`);
    const picks = fc.sample(fc.nat({ max: operations.length - 1 }), { seed: options.seed, numRuns: options.requests });
    let next = 0;
    const concurrency = Math.max(1, options.concurrency ?? 1);
    const reportEvery = Math.max(1000, Math.floor(options.requests / 10));
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < picks.length) {
          const i = next++;
          const operation = operations[picks[i] as number] as CompiledOperation;
          await send(operation, draftOf(operation, sequence + i), sequence + i);
          if ((i + 1) % reportEvery === 0) log(`[fuzz] ${i + 1}/${picks.length} requests, ${failures.size} distinct failures`);
        }
      }),
    );
  } finally {
    probing = false;
    await prober;
  }

  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    seed: options.seed,
    operations: operations.length,
    requests: sent,
    byStatus,
    reached: reached.size,
    documented503,
    failures: [...failures.values()].sort((a, b) => b.count - a.count),
    slowest,
    health: { probes: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] ?? 0, failed: probeFailed },
  };
}

/** The report as lines for a person. */
export function formatFuzzReport(report: FuzzReport): string {
  const lines = [
    `[fuzz] seed ${report.seed}: ${report.requests} requests to ${report.operations} operations (${report.reached} answered 2xx at least once)`,
    `[fuzz] statuses: ${Object.entries(report.byStatus)
      .map(([s, n]) => `${s}×${n}`)
      .join(' ')}; documented 503 (dependency not configured): ${report.documented503}`,
    `[fuzz] GET /health/live during the run: ${report.health.probes} probes, p50 ${report.health.p50.toFixed(1)} ms, p99 ${report.health.p99.toFixed(1)} ms, max ${report.health.max.toFixed(1)} ms, failed ${report.health.failed}`,
    `[fuzz] ${report.failures.length} distinct failures`,
  ];
  lines.push(`[fuzz] slowest requests: ${report.slowest.map((s) => `${s.ms.toFixed(0)} ms ${s.what.slice(0, 160)}`).join('\n      ')}`);
  for (const f of report.failures) lines.push(`  ${f.operation} → ${f.status} ×${f.count}: ${f.reason}\n      e.g. ${f.example}`);
  return lines.join('\n');
}
