/**
 * Every error answers `application/problem+json` `{ type, title, status, detail, instance, errors? }`.
 * Validation errors list each field path; malformed JSON is a readable 400; unknown routes a
 * 404 problem, a known path with another method a 405 with `Allow`; 5xx details are hidden behind
 * the request id and the real error is logged.
 *
 * Fastify's own answers are problems too: the router's (`frameworkErrors`: a malformed URL
 * encoding, a path parameter over `maxParamLength`) and the HTTP parser's before any route is
 * known (`problemClientErrorHandler`: 431 headers too large, 414 request line too long, 400 for a
 * control byte in a header or another malformed request, 408). Both are wired in api/app.ts.
 *
 * It also documents them: an onRoute hook completes every documented route's responses with the
 * answers the platform gives it whatever its handler does (`standardProblemCodes`), each as
 * `application/problem+json`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import { DomainError, type RefusalKind } from '../../domain/errors.js';
import { PROBLEM_MEDIA_TYPE, ProblemSchema, ref } from '../../services/shared/schemas.js';
import { HttpProblem, PROBLEM_BASE, titleFor, type ProblemBody, type ProblemFieldError } from '../problem.js';
import { isRateLimitedRoute } from './rate-limit.js';

/** The one mapping of the services' typed refusals (domain/errors.ts) to HTTP statuses. */
export const statusOfRefusal: Record<RefusalKind, number> = {
  'not-found': 404,
  invalid: 400,
  unprocessable: 422,
  conflict: 409,
  forbidden: 403,
  'too-large': 413,
  'unsupported-type': 415,
  unavailable: 503,
  'upstream-failed': 502,
};

/** Problem types of Fastify's own 4xx errors (the rest keep `about:blank`). */
const slugOfFastifyCode: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'body-too-large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported-media-type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad-content-length',
  FST_ERR_CTP_INVALID_TYPE: 'bad-content-type',
};

interface AjvLikeError {
  instancePath?: string;
  message?: string;
  keyword?: string;
  params?: Record<string, unknown>;
}

function fieldErrors(context: string | undefined, validation: AjvLikeError[]): ProblemFieldError[] {
  return validation.map((v) => {
    let path = v.instancePath ?? '';
    const params = v.params ?? {};
    if (v.keyword === 'required' && typeof params.missingProperty === 'string') {
      path += `/${params.missingProperty}`;
    } else if (v.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') {
      path += `/${params.additionalProperty}`;
    }
    let message = v.message ?? 'is invalid';
    if (v.keyword === 'additionalProperties') message = 'is not an allowed property';
    if (v.keyword === 'required') message = 'is required';
    if (v.keyword === 'enum' && Array.isArray(params.allowedValues)) {
      message = `must be one of ${params.allowedValues.map((x) => JSON.stringify(x)).join(', ')}`;
    }
    return { path: `/${context ?? 'body'}${path}`, message };
  });
}

export function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  slug: string,
  detail: string,
  extra: Record<string, unknown> = {},
): FastifyReply {
  const body: ProblemBody = {
    type: slug === 'about:blank' ? slug : `${PROBLEM_BASE}${slug}`,
    title: titleFor(status),
    status,
    detail,
    instance: request.url.split('?')[0] ?? request.url,
    ...extra,
  };
  return reply.code(status).type('application/problem+json').send(body);
}

/** Methods a request can be routed by (HEAD routes come with GET). */
const routableMethods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
/** Methods whose requests Fastify parses a body for: they can answer 413 and 415. */
const bodyMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Path parameters longer than this are refused by the router (414) before any route runs (api/app.ts). */
export const MAX_PARAM_LENGTH = 256;

/**
 * The error answers a route gives whatever its handler does, from its own declaration:
 * 400 always (every route can be sent a query string, and the text rule of the input contract,
 * api/plugins/input-contract.ts, checks every querystring and path parameter value, declared or
 * not; besides that, validation and malformed bodies), 401/403 when it has roles, 404 when its path has parameters (an unknown id), 413/415 when its
 * method carries a body (body limit, content type), 429 when the party rate limit applies to it
 * (api/plugins/rate-limit.ts), and always 414 (a request line over the HTTP parser's limit, or a
 * path parameter over the router's), 431 (headers over the parser's limit) and 500.
 */
export function standardProblemCodes(route: Pick<RouteOptions, 'method' | 'url' | 'config'>): number[] {
  const methods = (Array.isArray(route.method) ? route.method : [route.method]).map((m) => String(m).toUpperCase());
  const takesBody = methods.some((m) => bodyMethods.has(m));
  const hasParams = /[:*]/.test(route.url);
  const codes = new Set<number>([400, 414, 431, 500]);
  const config = (route.config ?? {}) as { roles?: readonly string[]; public?: boolean };
  if (config.public !== true) {
    codes.add(401);
    codes.add(403);
  }
  if (hasParams) codes.add(404);
  if (isRateLimitedRoute(route.config as Parameters<typeof isRateLimitedRoute>[0])) codes.add(429);
  if (takesBody) {
    codes.add(413);
    codes.add(415);
  }
  return [...codes].sort((a, b) => a - b);
}

type ResponseEntry = Record<string, unknown>;
const isRecord = (v: unknown): v is ResponseEntry => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Completes a route's documented responses: each error code (declared or standard) is
 * `application/problem+json` (a bare schema declared for it becomes that media type's schema).
 * Undocumented routes (`hide`, or no schema) are left alone.
 */
export function documentProblems(route: RouteOptions): void {
  const schema = route.schema as (Record<string, unknown> & { response?: Record<string, unknown>; hide?: boolean }) | undefined;
  if (!schema || schema.hide) return;
  const response: Record<string, unknown> = { ...(schema.response ?? {}) };
  for (const [code, entry] of Object.entries(response)) {
    if (Number(code) < 400 || !isRecord(entry) || isRecord(entry.content)) continue;
    response[code] = { description: titleFor(Number(code)), content: { [PROBLEM_MEDIA_TYPE]: { schema: entry } } };
  }
  for (const code of standardProblemCodes(route)) {
    if (response[code] === undefined) {
      response[code] = { description: titleFor(code), content: { [PROBLEM_MEDIA_TYPE]: { schema: ref(ProblemSchema) } } };
    }
  }
  for (const [code, entry] of Object.entries(response)) {
    if (Number(code) >= 400 && isRecord(entry) && entry.description === undefined) response[code] = { description: titleFor(Number(code)), ...entry };
  }
  route.schema = { ...schema, response };
}

/** The allowed methods of `path` when some route matches it with another method than `method`. */
function otherMethods(app: FastifyInstance, method: string, path: string): string[] {
  return routableMethods.filter((m) => m !== method && app.findRoute({ method: m, url: path }) !== null);
}

/** Fastify's `frameworkErrors`: the router's own refusals (a malformed URL, an over-long path parameter). */
export function problemFrameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    sendProblem(request, reply, 414, 'uri-too-long', `A path parameter is longer than ${MAX_PARAM_LENGTH} characters`);
    return;
  }
  if (error.code === 'FST_ERR_BAD_URL') {
    sendProblem(request, reply, 400, 'bad-url', 'The URL is not valid (malformed percent-encoding)');
    return;
  }
  request.log.error({ err: error }, 'router error');
  sendProblem(request, reply, 500, 'internal', `An internal error occurred; reference ${request.id}`);
}

/** What the HTTP parser's refusal `code` is answered with (before any request object exists). */
export function clientErrorAnswer(code: string | undefined, requestLineTooLong: boolean): { status: number; slug: string; detail: string } {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      // Node counts the request line into the header limit: a URL that is most of it is a 414.
      return requestLineTooLong
        ? { status: 414, slug: 'uri-too-long', detail: 'The request line (method and URL) is longer than the server accepts' }
        : { status: 431, slug: 'headers-too-large', detail: 'The request headers are larger than the server accepts' };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
    case 'ERR_HTTP_REQUEST_HEADERS_TIMEOUT':
      return { status: 408, slug: 'request-timeout', detail: 'The request did not arrive in time' };
    case 'HPE_INVALID_HEADER_TOKEN':
    case 'HPE_INVALID_HEADER_VALUE':
    case 'HPE_LF_EXPECTED':
    case 'HPE_CR_EXPECTED':
      return { status: 400, slug: 'bad-header', detail: 'A request header has a name or value that is not allowed (e.g. a control character)' };
    case 'HPE_INVALID_METHOD':
      return { status: 400, slug: 'bad-method', detail: 'The request method is not a known HTTP method' };
    case 'HPE_INVALID_URL':
      return { status: 400, slug: 'bad-url', detail: 'The request target is not a valid URL' };
    default:
      return { status: 400, slug: 'bad-request', detail: `The request is not valid HTTP (${code ?? 'unknown parse error'})` };
  }
}

/**
 * What the parser had received of a refused request: its path (for `instance`; "/" when it is not
 * a short printable path) and whether the request line is the larger part of what overflowed.
 */
function rawRequestFacts(raw: Buffer | undefined): { path: string; lineDominates: boolean } {
  if (!raw || raw.length === 0) return { path: '/', lineDominates: false };
  const lineEnd = raw.indexOf('\r\n');
  const lineLength = lineEnd === -1 ? raw.length : lineEnd;
  const headersEnd = raw.indexOf('\r\n\r\n');
  const headersLength = (headersEnd === -1 ? raw.length : headersEnd) - lineLength;
  const line = raw.subarray(0, Math.min(lineLength, 1024)).toString('latin1');
  const path = (line.split(' ')[1] ?? '/').split('?')[0] ?? '/';
  return { path: /^\/[\x21-\x7e]{0,255}$/.test(path) ? path : '/', lineDominates: lineLength > headersLength };
}

/**
 * Fastify's `clientErrorHandler`: the Node HTTP parser refused the request (headers too large, a
 * control byte in a header, a malformed request line, a timeout). There is no request or reply
 * yet, so the problem is written to the socket as a whole HTTP response, then the connection is
 * closed (the parser cannot continue on it).
 */
export function problemClientErrorHandler(this: FastifyInstance, error: Error & { code?: string; rawPacket?: unknown }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const raw = rawRequestFacts(Buffer.isBuffer(error.rawPacket) ? error.rawPacket : undefined);
  const answer = clientErrorAnswer(error.code, raw.lineDominates);
  this.log.debug({ err: error }, `client error answered ${answer.status}`);
  const body: ProblemBody = {
    type: `${PROBLEM_BASE}${answer.slug}`,
    title: titleFor(answer.status),
    status: answer.status,
    detail: answer.detail,
    instance: raw.path,
  };
  const json = JSON.stringify(body);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${answer.status} ${titleFor(answer.status)}\r\n` +
        `Content-Type: ${PROBLEM_MEDIA_TYPE}\r\n` +
        `Content-Length: ${Buffer.byteLength(json)}\r\n` +
        'Connection: close\r\n\r\n' +
        json,
    );
  }
  socket.destroy(error);
}

/** The server's 'checkExpectation' listener: an `Expect:` header other than 100-continue. */
export function answerExpectationFailed(request: IncomingMessage, response: ServerResponse): void {
  const body: ProblemBody = {
    type: `${PROBLEM_BASE}expectation-failed`,
    title: titleFor(417),
    status: 417,
    detail: 'Only "Expect: 100-continue" is supported',
    instance: (request.url ?? '/').split('?')[0] ?? '/',
  };
  response.writeHead(417, { 'content-type': PROBLEM_MEDIA_TYPE, connection: 'close' }).end(JSON.stringify(body));
}

async function problemPlugin(app: FastifyInstance): Promise<void> {
  app.addHook('onRoute', documentProblems);

  // HTTP/1.1 requires a Host header (RFC 9112 3.2); Node's own check answers an empty 400, so it is off (api/app.ts) and done here.
  app.addHook('onRequest', async (request) => {
    if (request.raw.httpVersion === '1.1' && request.headers.host === undefined) {
      throw new HttpProblem(400, 'missing-host', 'An HTTP/1.1 request needs a Host header');
    }
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? request.url;
    const allowed = otherMethods(app, request.method, path);
    if (allowed.length > 0) {
      reply.header('allow', allowed.join(', '));
      return sendProblem(request, reply, 405, 'method-not-allowed', `${request.method} is not allowed on ${path}; allowed: ${allowed.join(', ')}`);
    }
    return sendProblem(request, reply, 404, 'route-not-found', `No route ${request.method} ${path}`);
  });

  app.setErrorHandler((error: FastifyError | HttpProblem | DomainError | Error, request, reply) => {
    if (error instanceof DomainError) {
      const status = statusOfRefusal[error.kind];
      if (status >= 500) request.log.warn({ err: error }, 'answered with a server-side problem');
      return sendProblem(request, reply, status, error.slug, error.message, error.extra);
    }
    if (error instanceof HttpProblem) {
      for (const [k, v] of Object.entries(error.headers)) reply.header(k, v);
      if (error.status >= 500) request.log.warn({ err: error }, 'answered with a server-side problem');
      return sendProblem(request, reply, error.status, error.slug, error.message, error.extra);
    }
    const fe = error as FastifyError & { validation?: AjvLikeError[]; validationContext?: string };
    if (Array.isArray(fe.validation)) {
      const errors = fieldErrors(fe.validationContext, fe.validation);
      const detail = `Request validation failed: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`;
      return sendProblem(request, reply, 400, 'validation', detail, { errors });
    }
    if (fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || (error instanceof SyntaxError && fe.statusCode === 400)) {
      return sendProblem(request, reply, 400, 'malformed-json', 'Request body is not valid JSON');
    }
    if (fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
      return sendProblem(request, reply, 400, 'empty-body', 'Request body is empty but content-type is application/json');
    }
    const status = typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 600 ? fe.statusCode : 500;
    if (status < 500) {
      return sendProblem(request, reply, status, slugOfFastifyCode[fe.code] ?? 'about:blank', fe.message || titleFor(status));
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendProblem(
      request,
      reply,
      status,
      'internal',
      `An internal error occurred; reference ${request.id}`,
    );
  });
}

export default fp(problemPlugin, { name: 'problem', fastify: '5.x' });
