/**
 * The mailbox workflow's activity (MailboxActivities): one line into services/mailbox/poll.ts.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import type { ImapAccount } from '../integrations/imap/account.js';
import { pollMailbox, type PollMailboxDeps } from '../services/mailbox/poll.js';
import { MailboxActivityFailure, type MailboxActivities } from './mailbox.contract.js';
import { withFailureTypes } from './failures.js';

export interface MailboxActivitiesDeps {
  orm: MikroORM;
  accounts: ReadonlyMap<string, ImapAccount>;
  /** Tests only (see PollMailboxDeps.afterStore). */
  afterStore?: PollMailboxDeps['afterStore'];
}

export function createMailboxActivities(deps: MailboxActivitiesDeps): MailboxActivities {
  return withFailureTypes(
    {
      pollMailbox: (input) =>
        pollMailbox({ em: () => deps.orm.em.fork(), accounts: deps.accounts, ...(deps.afterStore ? { afterStore: deps.afterStore } : {}) }, input.officeId),
    },
    { bySlug: { 'mailbox-not-configured': MailboxActivityFailure.NotConfigured, 'mailbox-unavailable': MailboxActivityFailure.Unavailable } },
  );
}
