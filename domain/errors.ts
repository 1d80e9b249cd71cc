/**
 * The typed refusals of the application layer. Services (services/<feature>/) throw these, free
 * of HTTP; the API turns each into problem+json in one place (api/plugins/problem.ts maps the
 * kind to a status), and activities into a Temporal failure. A refusal always says why, in words
 * an adviser or a counterpart can act on, and carries a stable `slug` machines can match.
 */

/** The closed list of refusal kinds. */
export const refusalKinds = [
  /** The thing asked for does not exist (or belongs to another office). */
  'not-found',
  /** The input breaks a rule; `fields` names the paths when they are known. */
  'invalid',
  /** The input is well-formed but cannot be acted upon (e.g. an unknown process version). */
  'unprocessable',
  /** Not allowed in the current state (e.g. a paid invoice cannot be reminded). */
  'conflict',
  /** The caller may not do this (e.g. a credential without an HDN node). */
  'forbidden',
  /** The payload is larger than accepted. */
  'too-large',
  /** The payload's type is not accepted. */
  'unsupported-type',
  /** A part we depend on (process engine, dry-run engine) did not answer: try again. */
  'unavailable',
  /** An external counterpart refused or failed (e.g. RISK answered an error). */
  'upstream-failed',
] as const;
export type RefusalKind = (typeof refusalKinds)[number];

export interface FieldError {
  /** JSON-pointer-like path into the input, e.g. `/body/applicants/0/person/email`. */
  path: string;
  message: string;
}

export class DomainError extends Error {
  readonly kind: RefusalKind;
  /** Stable, machine-readable reason, e.g. `invoice-paid`; becomes the problem type. */
  readonly slug: string;
  /** Extra facts for the caller (counts, ids, the current state); never personal data of others. */
  readonly extra: Record<string, unknown>;

  constructor(kind: RefusalKind, slug: string, detail: string, extra: Record<string, unknown> = {}) {
    super(detail);
    this.name = 'DomainError';
    this.kind = kind;
    this.slug = slug;
    this.extra = extra;
  }
}

/** Short constructors for the common refusals. */
export const refuse = {
  notFound: (what: string, id?: string): DomainError =>
    new DomainError('not-found', 'not-found', id === undefined ? `${what} not found` : `${what} ${id} not found`),
  /** Not found, with a slug and wording of its own (e.g. an unknown or expired link). */
  notFoundAs: (slug: string, detail: string, extra: Record<string, unknown> = {}): DomainError => new DomainError('not-found', slug, detail, extra),
  invalid: (slug: string, detail: string, extra: Record<string, unknown> = {}): DomainError => new DomainError('invalid', slug, detail, extra),
  /** An invalid field, answered like a schema violation (`errors: [{ path, message }]`). */
  invalidField: (path: string, message: string): DomainError =>
    new DomainError('invalid', 'validation', `Request validation failed: ${path} ${message}`, { errors: [{ path, message }] satisfies FieldError[] }),
  unprocessable: (slug: string, detail: string, extra: Record<string, unknown> = {}): DomainError =>
    new DomainError('unprocessable', slug, detail, extra),
  conflict: (slug: string, detail: string, extra: Record<string, unknown> = {}): DomainError => new DomainError('conflict', slug, detail, extra),
  forbidden: (slug: string, detail: string, extra: Record<string, unknown> = {}): DomainError => new DomainError('forbidden', slug, detail, extra),
  tooLarge: (slug: string, detail: string, extra: Record<string, unknown> = {}): DomainError => new DomainError('too-large', slug, detail, extra),
  unsupportedType: (slug: string, detail: string, extra: Record<string, unknown> = {}): DomainError =>
    new DomainError('unsupported-type', slug, detail, extra),
  unavailable: (slug: string, detail: string, extra: Record<string, unknown> = {}): DomainError =>
    new DomainError('unavailable', slug, detail, extra),
  upstreamFailed: (slug: string, detail: string, extra: Record<string, unknown> = {}): DomainError =>
    new DomainError('upstream-failed', slug, detail, extra),
};
