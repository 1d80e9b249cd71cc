/**
 * Activities are thin adapters over the services; this is where a service's refusal becomes a
 * Temporal activity failure. A `DomainError` (domain/errors.ts) gets the failure `type` its
 * workflows know (by slug, else by kind, else the slug itself) and is non-retryable unless the
 * refusal is `unavailable`; a `MailSendError` keeps its type and retryability. Anything else
 * stays retryable (the activity's retry policy bounds it).
 */
import { ApplicationFailure } from '@temporalio/common';
import { DomainError, type RefusalKind } from '../domain/errors.js';
import { MailSendError } from '../integrations/mail/errors.js';

export interface FailureTypes {
  bySlug?: Readonly<Record<string, string>>;
  byKind?: Readonly<Partial<Record<RefusalKind, string>>>;
}

/** The failure types every activity group shares (the product workflow's names, also used by billing, Ockto and campaigns). */
export const sharedFailureTypes: FailureTypes = {
  bySlug: {
    'not-found': 'NotFound',
    'no-recipient': 'NoRecipient',
    'template-missing': 'TemplateMissing',
    'template-invalid': 'TemplateInvalid',
    'unknown-checklist-profile': 'UnknownChecklistProfile',
  },
  byKind: { 'not-found': 'NotFound' },
};

export function toActivityFailure(err: unknown, types: FailureTypes = sharedFailureTypes): unknown {
  if (err instanceof ApplicationFailure) return err;
  if (err instanceof MailSendError) {
    return ApplicationFailure.create({ type: err.type, message: err.message, nonRetryable: !err.retryable, cause: err });
  }
  if (err instanceof DomainError) {
    const type = types.bySlug?.[err.slug] ?? sharedFailureTypes.bySlug?.[err.slug] ?? types.byKind?.[err.kind] ?? sharedFailureTypes.byKind?.[err.kind] ?? err.slug;
    return ApplicationFailure.create({ type, message: err.message, nonRetryable: err.kind !== 'unavailable', details: [err.slug] });
  }
  return err;
}

type AsyncFunctions<T> = { [K in keyof T]: T[K] extends (...args: infer A) => Promise<infer R> ? (...args: A) => Promise<R> : never };

/** The same activities, each translating what it throws with `toActivityFailure`. */
export function withFailureTypes<T extends AsyncFunctions<T>>(activities: T, types: FailureTypes = sharedFailureTypes): T {
  const wrapped = {} as Record<string, unknown>;
  for (const [name, fn] of Object.entries(activities) as [string, (...args: unknown[]) => Promise<unknown>][]) {
    wrapped[name] = async (...args: unknown[]): Promise<unknown> => {
      try {
        return await fn(...args);
      } catch (err) {
        throw toActivityFailure(err, types);
      }
    };
  }
  return wrapped as T;
}
