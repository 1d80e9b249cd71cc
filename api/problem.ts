/**
 * RFC 9457 problem details. Route code throws an HttpProblem; the problem plugin turns every
 * error (thrown, validation, parse, not found, unexpected) into `application/problem+json`.
 */
import { STATUS_CODES } from 'node:http';

export const PROBLEM_BASE = 'https://dossierflow.local/problems/';

export interface ProblemFieldError {
  /** JSON-pointer-like path into the request part, e.g. `/body/applicants/0/person/email`. */
  path: string;
  message: string;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  errors?: ProblemFieldError[];
  [extra: string]: unknown;
}

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export function titleFor(status: number): string {
  return titles[status] ?? STATUS_CODES[status] ?? (status >= 500 ? 'Server Error' : 'Client Error');
}

export class HttpProblem extends Error {
  readonly status: number;
  readonly slug: string;
  readonly extra: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    slug: string,
    detail: string,
    extra: Record<string, unknown> = {},
    headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'HttpProblem';
    this.status = status;
    this.slug = slug;
    this.extra = extra;
    this.headers = headers;
  }
}

export const problems = {
  notFound: (what: string, id?: string) =>
    new HttpProblem(404, 'not-found', id === undefined ? `${what} not found` : `${what} ${id} not found`),
  conflict: (slug: string, detail: string, extra: Record<string, unknown> = {}) =>
    new HttpProblem(409, slug, detail, extra),
  badRequest: (slug: string, detail: string, extra: Record<string, unknown> = {}) =>
    new HttpProblem(400, slug, detail, extra),
  unavailable: (slug: string, detail: string, extra: Record<string, unknown> = {}) =>
    new HttpProblem(503, slug, detail, extra),
};
