/**
 * Every error answers `application/problem+json` `{ type, title, status, detail, instance, errors? }`.
 * Validation errors list each field path; malformed JSON is a readable 400; unknown routes a
 * 404 problem; 5xx details are hidden behind the request id and the real error is logged.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { DomainError, type RefusalKind } from '../../domain/errors.js';
import { HttpProblem, PROBLEM_BASE, titleFor, type ProblemBody, type ProblemFieldError } from '../problem.js';

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

async function problemPlugin(app: FastifyInstance): Promise<void> {
  app.setNotFoundHandler((request, reply) => {
    sendProblem(request, reply, 404, 'route-not-found', `No route ${request.method} ${request.url.split('?')[0]}`);
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
      return sendProblem(request, reply, status, 'about:blank', fe.message || titleFor(status));
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
