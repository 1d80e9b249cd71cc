/**
 * One poll of an office's IMAP mailbox (the activity of `mailbox:<officeId>`): the messages with
 * a UID above the cursor, each parsed, stored and linked in ONE transaction, and only then the
 * cursor moved past its UID (docs/ARCHITECTURE.md rule 4: stored first). A crash between the two
 * re-reads that message next poll, and the unique (office, Message-ID) makes it a duplicate: the
 * mail is on the card once. A changed UIDVALIDITY (the mailbox was rebuilt) resets the cursor and
 * reads the mailbox again; again only new Message-IDs are stored.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { refuse } from '../../domain/errors.js';
import { matchPersons, type MatchCandidate } from '../../domain/mailbox/match.js';
import type { PollMailboxResult } from '../../domain/mailbox/side-effects.js';
import { rows } from '../../db/sql.js';
import type { ImapAccount } from '../../integrations/imap/account.js';
import { readNewMessages } from '../../integrations/imap/client.js';
import { ImapError } from '../../integrations/imap/errors.js';
import { parseInboundMail } from '../../integrations/imap/parse.js';
import { advanceMailboxCursor, insertInboundMail, mailboxCursorOf, resetMailboxCursor, type StoredInboundMail } from './store.js';

/** Attachments above this are not kept (name and size are): 10 MB, the checklist upload limit's order. */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

export interface PollMailboxDeps {
  /** A fresh EntityManager per call (a fork). */
  em: () => EntityManager;
  /** The offices' mailboxes (settings IMAP_MAILBOXES). */
  accounts: ReadonlyMap<string, ImapAccount>;
  maxAttachmentBytes?: number;
  /**
   * Tests only: called after a mail's transaction committed and before the cursor moves (the
   * moment a worker kill is the most harmful). Throwing or hanging here is a crash at that point.
   */
  afterStore?: (info: { uid: number; mailId: string; created: boolean }) => Promise<void>;
}

/** The persons of the office whose address is the From address (case-insensitive). */
async function candidatesFor(em: EntityManager, officeId: string, fromAddress: string | null): Promise<MatchCandidate[]> {
  if (!fromAddress) return [];
  return rows<{ personId: string; email: string | null }>(
    em,
    `select id as "personId", email from persons where office_id = ? and lower(email) = lower(?) and anonymised_at is null order by created_at, id`,
    [officeId, fromAddress.trim()],
  );
}

/**
 * Stores one message of the office's mailbox (parse, match by From address, insert once by
 * Message-ID, attachments and links) in one transaction; a Message-ID stored before is a duplicate.
 */
export async function storeInboundMessage(em: EntityManager, officeId: string, source: Buffer, maxAttachmentBytes = MAX_ATTACHMENT_BYTES): Promise<StoredInboundMail> {
  const mail = await parseInboundMail(source);
  return em.transactional(async (tem) => {
    const personIds = matchPersons(mail.fromAddress, await candidatesFor(tem, officeId, mail.fromAddress));
    return insertInboundMail(tem, officeId, mail, personIds, maxAttachmentBytes);
  });
}

export async function pollMailbox(deps: PollMailboxDeps, officeId: string): Promise<PollMailboxResult> {
  const account = deps.accounts.get(officeId.toLowerCase());
  if (!account) throw refuse.unavailable('mailbox-not-configured', `No IMAP mailbox is configured for office ${officeId} (IMAP_MAILBOXES)`);
  const em = deps.em();
  const result: PollMailboxResult = { fetched: 0, stored: 0, duplicates: 0, matched: 0, unmatched: 0, rescanned: false };
  let uidValidity = '';
  try {
    const read = await readNewMessages(
      account,
      await mailboxCursorOf(em, officeId),
      async (validity, rescanned) => {
        uidValidity = validity;
        const cursor = await mailboxCursorOf(em, officeId);
        if (!cursor || rescanned) await resetMailboxCursor(em, officeId, validity);
      },
      async (uid, source) => {
        const stored = await storeInboundMessage(em, officeId, source, deps.maxAttachmentBytes);
        if (stored.created) {
          result.stored += 1;
          if (stored.linkedPersonIds.length > 0) result.matched += 1;
          else result.unmatched += 1;
        } else result.duplicates += 1;
        await deps.afterStore?.({ uid, mailId: stored.id, created: stored.created });
        await advanceMailboxCursor(em, officeId, uidValidity, uid);
      },
    );
    result.fetched = read.fetched;
    result.rescanned = read.rescanned;
    return result;
  } catch (err) {
    if (err instanceof ImapError) throw refuse.unavailable('mailbox-unavailable', err.message);
    throw err;
  }
}
