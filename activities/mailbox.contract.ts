/**
 * The mailbox workflow's activity contract: the interface and its types are defined in
 * domain/mailbox/side-effects.ts (so the service takes the same types); the failure types the
 * workflow decides on are defined here.
 */
export type { MailboxActivities, PollMailboxInput, PollMailboxResult } from '../domain/mailbox/side-effects.js';

/** Failure types the mailbox activity raises (ApplicationFailure.type). */
export const MailboxActivityFailure = {
  /** No mailbox configured for the office on the worker (IMAP_MAILBOXES): retrying does not help. */
  NotConfigured: 'MailboxNotConfigured',
  /** The IMAP server cannot be reached or refused the login: the next poll tries again. */
  Unavailable: 'MailboxUnavailable',
} as const;
