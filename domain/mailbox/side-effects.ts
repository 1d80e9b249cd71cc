/**
 * The mailbox workflow's activity (`mailbox:<officeId>`): one poll of the office's IMAP mailbox.
 * Input and result are ids and counts only: the mails themselves go to PostgreSQL.
 */
export interface PollMailboxInput {
  officeId: string;
}

export interface PollMailboxResult {
  /** New UIDs fetched from the server in this poll. */
  fetched: number;
  /** Mails stored for the first time (a mail stored before, by Message-ID, is a duplicate). */
  stored: number;
  duplicates: number;
  /** Of the stored: linked to at least one person by address / left in the inbox. */
  matched: number;
  unmatched: number;
  /** The server's UIDVALIDITY differed from the one kept: the mailbox was read from the start. */
  rescanned: boolean;
}

export interface MailboxActivities {
  pollMailbox(input: PollMailboxInput): Promise<PollMailboxResult>;
}
