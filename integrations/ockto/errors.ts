/**
 * Ockto failures, one enum of `type` strings (docs/ARCHITECTURE.md rule 8: failure types from one enum per
 * integration), each retryable or not, so activities only decide "retry" or "give up".
 */
export const OcktoErrorType = {
  /** Network error, timeout, 5xx, 429: try again later. */
  Unavailable: 'OcktoUnavailable',
  /** Ockto refused the request (4xx): our request or credentials are wrong; retrying will not help. */
  Rejected: 'OcktoRejected',
  /** Ockto answered something that is not our contract. */
  InvalidResponse: 'OcktoInvalidResponse',
  /** Ockto does not know the session. */
  UnknownSession: 'OcktoUnknownSession',
  /** No Ockto connection configured (OCKTO_URL / OCKTO_TOKEN). */
  NotConfigured: 'OcktoNotConfigured',
} as const;
export type OcktoErrorType = (typeof OcktoErrorType)[keyof typeof OcktoErrorType];

const retryable: ReadonlySet<OcktoErrorType> = new Set([OcktoErrorType.Unavailable]);

export class OcktoError extends Error {
  readonly type: OcktoErrorType;
  readonly retryable: boolean;
  readonly status?: number;
  constructor(type: OcktoErrorType, message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'OcktoError';
    this.type = type;
    this.retryable = retryable.has(type);
    this.status = options.status;
  }
}
