/**
 * The one transport to an office's IMAP mailbox (imapflow). It reads, it never changes the
 * mailbox (no flags, no moves, no deletes: the office's own mail program keeps working as before).
 *
 * `readNewMessages` hands the messages with a UID above the cursor to `onMessage` one at a time,
 * in UID order, and waits for it before it fetches the next: the caller stores each mail and then
 * moves its cursor, so a crash at any moment re-reads at most the mail it was busy with.
 */
import { ImapFlow } from 'imapflow';
import type { ImapAccount } from './account.js';
import { ImapError } from './errors.js';

export interface MailboxCursor {
  /** The mailbox's UIDVALIDITY the UIDs belong to (a decimal string: it is a 32-bit unsigned number). */
  uidValidity: string;
  lastUid: number;
}

export interface ReadResult {
  uidValidity: string;
  /** The cursor's UIDVALIDITY was another one: every message was read from the start. */
  rescanned: boolean;
  fetched: number;
}

/** Most messages one poll reads (the rest come next poll). */
export const MAX_MESSAGES_PER_POLL = 200;

export async function readNewMessages(
  account: ImapAccount,
  cursor: MailboxCursor | undefined,
  /** Called before the first message with the mailbox's UIDVALIDITY (and whether it is a rescan). */
  onOpen: (uidValidity: string, rescanned: boolean) => Promise<void>,
  onMessage: (uid: number, source: Buffer) => Promise<void>,
  limit = MAX_MESSAGES_PER_POLL,
): Promise<ReadResult> {
  const client = new ImapFlow({
    host: account.host,
    port: account.port,
    secure: account.secure,
    auth: { user: account.user, pass: account.password },
    logger: false,
    disableAutoIdle: true,
    connectionTimeout: 30_000,
    greetingTimeout: 15_000,
    socketTimeout: 120_000,
  });
  // A dropped connection is reported through the command that fails; the event must not crash the process.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (err) {
    const authenticationFailed = Boolean((err as { authenticationFailed?: boolean }).authenticationFailed);
    throw new ImapError(`IMAP ${account.host}:${account.port}: ${authenticationFailed ? 'login refused' : `cannot connect (${(err as Error).message})`}`, authenticationFailed, { cause: err });
  }
  // What onOpen/onMessage throw (the caller's database) is passed on unchanged; everything else is the server's.
  let callerError: { err: unknown } | undefined;
  const caller = async (fn: () => Promise<void>): Promise<void> => {
    try {
      await fn();
    } catch (err) {
      callerError = { err };
      throw err;
    }
  };
  try {
    const lock = await client.getMailboxLock(account.mailbox, { readOnly: true });
    try {
      const box = client.mailbox;
      if (!box) throw new ImapError(`IMAP mailbox ${account.mailbox} could not be opened`, false);
      const uidValidity = String(box.uidValidity);
      const rescanned = cursor !== undefined && cursor.uidValidity !== uidValidity;
      const after = cursor && !rescanned ? cursor.lastUid : 0;
      await caller(() => onOpen(uidValidity, rescanned));
      // `n:*` also answers the highest message when its UID is below n: hence the filter.
      const uids = ((await client.search({ uid: `${after + 1}:*` }, { uid: true })) || []).filter((u) => u > after).sort((a, b) => a - b).slice(0, limit);
      let fetched = 0;
      for (const uid of uids) {
        const message = await client.fetchOne(String(uid), { uid: true, source: true }, { uid: true });
        // Expunged between the search and the fetch: nothing to store, the cursor may pass it.
        if (!message || !message.source) continue;
        fetched += 1;
        await caller(() => onMessage(uid, message.source!));
      }
      return { uidValidity, rescanned, fetched };
    } finally {
      lock.release();
    }
  } catch (err) {
    if (err instanceof ImapError) throw err;
    if (callerError) throw callerError.err;
    throw new ImapError(`IMAP ${account.host}:${account.port}: ${(err as Error).message}`, false, { cause: err });
  } finally {
    await client.logout().catch(() => client.close());
  }
}
