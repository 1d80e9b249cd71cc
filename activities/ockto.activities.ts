/**
 * The Ockto workflow's side effects (OcktoActivities): thin adapters over services/ockto
 * (session, result, reminder, outcome, source data). Every write is idempotent: the session on
 * the retrieval (and Ockto's idempotency-key), source data on its retrieval id, the history
 * record on its key, the reminder on the mail outbox key, the deletion on `deleted_at is null`.
 * Refusals and Ockto's errors become the failure types the workflow knows.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { OcktoClient } from '../integrations/ockto/client.js';
import type { OcktoPolicyDefaults } from '../integrations/ockto/config.js';
import { OcktoError } from '../integrations/ockto/errors.js';
import type { Mailer } from '../integrations/mail/transport.js';
import { recordOcktoOutcome } from '../services/ockto/outcome.js';
import { sendOcktoReminder } from '../services/ockto/reminder.js';
import { collectOcktoResult, startOcktoSession } from '../services/ockto/session.js';
import { deleteOcktoSourceData } from '../services/ockto/source-data.js';
import { withFailureTypes, type FailureTypes } from './failures.js';
import { OcktoActivityFailure, type OcktoActivities } from './ockto.contract.js';

export interface OcktoActivitiesDeps {
  orm: MikroORM;
  mailer: Mailer;
  mailFrom: string;
  ockto: { client: OcktoClient | undefined; defaults: OcktoPolicyDefaults };
  now?: () => Date;
}

/** The Ockto group's refusals by slug (the rest as every group: activities/failures.ts). */
const ocktoFailureTypes: FailureTypes = {
  bySlug: { 'ockto-retrieval-not-found': OcktoActivityFailure.NotFound },
};

/** Ockto's own errors keep their type (OcktoErrorType) and retryability. */
function ocktoErrorsAsFailures<A extends unknown[], R>(fn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args) => {
    try {
      return await fn(...args);
    } catch (err) {
      if (err instanceof OcktoError) throw ApplicationFailure.create({ type: err.type, message: err.message, nonRetryable: !err.retryable });
      throw err;
    }
  };
}

export function createOcktoActivities(deps: OcktoActivitiesDeps): OcktoActivities {
  const now = deps.now ?? (() => new Date());
  const fork = (): EntityManager => deps.orm.em.fork();
  const mail = { mailer: deps.mailer, mailFrom: deps.mailFrom, ockto: deps.ockto };
  return withFailureTypes(
    {
      startOcktoSession: ocktoErrorsAsFailures((input: { retrievalId: string }) => startOcktoSession(fork(), deps.ockto, input)),
      collectOcktoResult: ocktoErrorsAsFailures((input: { retrievalId: string }) => collectOcktoResult(fork(), deps.ockto, input)),
      sendOcktoReminder: (input) => sendOcktoReminder(fork(), mail, input, now),
      recordOcktoOutcome: (input) => recordOcktoOutcome(fork(), input, now()),
      deleteOcktoSourceData: (input) => deleteOcktoSourceData(fork(), input, now()),
    },
    ocktoFailureTypes,
  );
}
