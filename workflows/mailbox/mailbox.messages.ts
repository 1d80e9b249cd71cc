/**
 * Messages of the mailbox workflow (`mailbox:<officeId>`, see domain/workflow-ids.ts): one per
 * office with an IMAP mailbox. Input, signal, query and results carry an office id, an interval
 * and counts only: the mails, their senders and subjects are stored in PostgreSQL by the activity,
 * and the mailbox's credentials stay in the worker's settings (IMAP_MAILBOXES).
 */
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { PollMailboxResult } from '../../activities/mailbox.contract.js';

export interface MailboxPollerInput {
  officeId: string;
  /** Seconds from the end of one poll to the start of the next (settings IMAP_POLL_SECONDS). */
  intervalSeconds: number;
  /** Continue as new after this many polls (default POLLS_PER_RUN), or earlier when Temporal suggests it. */
  pollsPerRun?: number;
  /** Set only when the workflow continues as new. */
  carried?: MailboxPollerTotals;
}

/** Totals since the poller first started (carried across continue-as-new). */
export interface MailboxPollerTotals {
  polls: number;
  /** Polls whose activity failed after its retries (the loop went on). */
  failedPolls: number;
  /** Mails newly stored. */
  stored: number;
}

export interface MailboxPollerState extends MailboxPollerTotals {
  intervalSeconds: number;
  pollsThisRun: number;
  lastPoll?: PollMailboxResult;
  /** ISO instant (workflow time) the last poll ended. */
  lastPollAt?: string;
}

/** A new interval in seconds (an integer 5-86400; anything else is ignored). Takes effect for the wait in progress. */
export const mailboxIntervalSignal = defineSignal<[number]>('mailboxInterval');
/** Poll now (e.g. after an adviser asks), without waiting for the interval. */
export const mailboxPollNowSignal = defineSignal('mailboxPollNow');
export const mailboxStateQuery = defineQuery<MailboxPollerState>('mailboxState');
