/**
 * Mail failures, classified: a retryable failure (connection refused, timeout, 4xx
 * "try again later") may succeed on a later attempt; a permanent one (5xx: mailbox unknown,
 * message rejected) never will, so retrying it is pointless.
 */

export const MailFailure = {
  /** Transient: connection, timeout, 4xx. */
  Unavailable: 'MailUnavailable',
  /** Permanent: 5xx from the SMTP peer, invalid address. */
  Rejected: 'MailRejected',
} as const;
export type MailFailureType = (typeof MailFailure)[keyof typeof MailFailure];

export class MailSendError extends Error {
  constructor(
    message: string,
    readonly type: MailFailureType,
    readonly retryable: boolean,
    readonly responseCode?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'MailSendError';
  }
}

const TRANSIENT_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'ECONNREFUSED', 'ECONNRESET', 'EDNS', 'EPIPE', 'EAI_AGAIN']);

/** Turns whatever nodemailer threw into a MailSendError with the right retryability. */
export function classifyMailError(err: unknown): MailSendError {
  if (err instanceof MailSendError) return err;
  const e = (err ?? {}) as { message?: string; code?: string; responseCode?: number; response?: string };
  const message = e.response ?? e.message ?? String(err);
  if (typeof e.responseCode === 'number') {
    if (e.responseCode >= 500) {
      return new MailSendError(`SMTP rejected the message (${e.responseCode}): ${message}`, MailFailure.Rejected, false, e.responseCode, { cause: err });
    }
    return new MailSendError(`SMTP deferred the message (${e.responseCode}): ${message}`, MailFailure.Unavailable, true, e.responseCode, { cause: err });
  }
  if (e.code === 'EENVELOPE' || e.code === 'EMESSAGE') {
    return new MailSendError(`invalid message or envelope: ${message}`, MailFailure.Rejected, false, undefined, { cause: err });
  }
  if (e.code && TRANSIENT_CODES.has(e.code)) {
    return new MailSendError(`SMTP unavailable (${e.code}): ${message}`, MailFailure.Unavailable, true, undefined, { cause: err });
  }
  // Unknown: assume transient; the activity's retry policy bounds the attempts.
  return new MailSendError(`mail send failed: ${message}`, MailFailure.Unavailable, true, undefined, { cause: err });
}
