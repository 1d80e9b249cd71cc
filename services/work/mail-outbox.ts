/**
 * The mail outbox: a row per (idempotency key, recipient) is written as `pending` first, then
 * sent, then marked `sent`. A retry finds the row and sends only if it is not yet `sent`.
 *
 * The send happens while the mail's key is locked (an advisory lock on the key, taken by single
 * and batch sends alike), so two concurrent attempts cannot both send one row. One window is
 * unavoidable: when the SMTP peer accepted the message and the process dies before the row is
 * marked `sent`, the next attempt sends again. It is one mail for a single send and the mails in
 * flight for a batch. The deterministic Message-ID (derived from the key) lets the receiving
 * side recognise that duplicate.
 *
 * A failed send throws a `MailSendError` (integrations/mail) after the attempt is recorded:
 * retryable (SMTP unavailable) or not (rejected); activities turn it into their failure type.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { classifyMailError, MailFailure, MailSendError } from '../../integrations/mail/errors.js';
import { domainOf, messageIdFor, type Mailer, type OutgoingMail } from '../../integrations/mail/transport.js';
import { textToHtml } from '../templates/render.js';
import {
  insertMailOnce,
  insertMailsOnce,
  lockMail,
  lockMailKey,
  mailByKey,
  openMailClaimSession,
  recordMailAttempt,
  type MailClaimSession,
  type MailRecord,
  type OutboxMail,
  type OutboxRow,
} from './store.js';

export type { OutboxMail };

/** Writes the outbox row unless one with the key exists; returns the row (new or existing). */
export async function enqueueMail(em: EntityManager, mail: OutboxMail, mailFrom: string): Promise<MailRecord> {
  await insertMailOnce(em, { ...mail, messageId: messageIdFor(mail.key, domainOf(mailFrom)) });
  return mailByKey(em, mail.key);
}

/** The message an outbox row is sent as. */
function outgoing(mailFrom: string, row: Pick<MailRecord, 'toAddress' | 'subject' | 'bodyText' | 'messageId' | 'template' | 'attachments'>): OutgoingMail {
  return {
    ...(row.attachments && row.attachments.length > 0 ? { attachments: row.attachments } : {}),
    from: mailFrom,
    to: row.toAddress,
    subject: row.subject,
    text: row.bodyText,
    html: textToHtml(row.bodyText),
    messageId: row.messageId,
    headers: { 'X-Dossierflow-Template': row.template },
  };
}

/** Sends a locked outbox row unless it was sent already; the failure to throw after the commit, if any. */
async function sendLocked(tem: EntityManager, mailer: Mailer, row: MailRecord, mailFrom: string): Promise<MailSendError | null> {
  if (row.status === 'sent') return null;
  if (row.status === 'failed') {
    return new MailSendError(row.lastError ?? 'mail failed permanently', MailFailure.Rejected, false);
  }
  const attempts = row.attempts + 1;
  try {
    await mailer.send(outgoing(mailFrom, row));
    // <- crash window: accepted by SMTP, not yet marked sent (see the module comment).
    await recordMailAttempt(tem, row.id, { status: 'sent', attempts, sentAt: new Date(), lastError: null });
    return null;
  } catch (err) {
    const failure = classifyMailError(err);
    await recordMailAttempt(tem, row.id, {
      status: failure.retryable ? row.status : 'failed',
      attempts,
      sentAt: null,
      lastError: failure.message.slice(0, 2000),
    });
    return failure;
  }
}

function throwIfFailed(outcome: MailSendError | null, mailId: string): void {
  if (outcome) throw new MailSendError(`mail ${mailId}: ${outcome.message}`, outcome.type, outcome.retryable, outcome.responseCode, { cause: outcome });
}

/** Sends an outbox row unless it was sent already. Throws a MailSendError on failure. */
export async function deliverMail(em: EntityManager, mailer: Mailer, mailId: string, mailFrom: string): Promise<void> {
  const outcome = await em.transactional(async (tem) => {
    await lockMailKey(tem, { id: mailId });
    return sendLocked(tem, mailer, await lockMail(tem, { id: mailId }), mailFrom);
  });
  throwIfFailed(outcome, mailId);
}

/**
 * enqueueMail and deliverMail in one transaction (two statements fewer per mail): the row is
 * written unless it exists, locked and sent unless it was sent. A concurrent attempt with the
 * same key waits on the unique key (or the lock) until this one committed, then finds it sent.
 * Returns the row's id; throws a MailSendError when the send failed (the row keeps the attempt).
 */
export async function sendMailOnce(em: EntityManager, mailer: Mailer, mail: OutboxMail, mailFrom: string): Promise<string> {
  const { id, outcome } = await em.transactional(async (tem) => {
    await insertMailOnce(tem, { ...mail, messageId: messageIdFor(mail.key, domainOf(mailFrom)) });
    await lockMailKey(tem, { key: mail.key });
    const row = await lockMail(tem, { key: mail.key });
    return { id: row.id, outcome: await sendLocked(tem, mailer, row, mailFrom) };
  });
  throwIfFailed(outcome, id);
  return id;
}

/** What a batch send did, by idempotency key. */
export interface BatchSendOutcome {
  /** Accepted by the SMTP peer now, or sent by an earlier attempt. */
  sent: string[];
  /** Refused for good (the row is `failed`): the key and the reason. */
  rejected: { key: string; reason: string }[];
  /** Held by a concurrent attempt (it sends them): not sent here. */
  busy: string[];
  /** The first retryable failure (SMTP unavailable); those rows stay pending for a retry. */
  unavailable?: MailSendError;
}

export interface BatchSendOptions {
  /** Keys claimed at a time (claims are given up per batch). */
  batchSize?: number;
  /**
   * Sends in flight at once (the pooled transport queues beyond its connections). It is also the
   * most mails a crash can send twice: each sender marks its mail sent before it sends the next.
   */
  concurrency?: number;
}

/** Sends in flight at once in a batch send unless the caller says otherwise. */
export const DEFAULT_MAIL_CONCURRENCY = 10;

/**
 * Marks accepted mails sent as soon as it can: while one update is being written, the mails
 * accepted meanwhile wait and go together in the next one (one commit for many mails, the
 * window of a crash never more than the mails whose senders are waiting here).
 */
function markWriter(session: MailClaimSession): (id: string) => Promise<void> {
  let waiting: { id: string; done: () => void; failed: (err: unknown) => void }[] = [];
  let writing = false;
  const write = async (): Promise<void> => {
    writing = true;
    try {
      while (waiting.length > 0) {
        const batch = waiting;
        waiting = [];
        try {
          await session.markSent(
            batch.map((w) => w.id),
            new Date(),
          );
          for (const w of batch) w.done();
        } catch (err) {
          for (const w of batch) w.failed(err);
        }
      }
    } finally {
      writing = false;
    }
  };
  return (id) =>
    new Promise<void>((done, failed) => {
      waiting.push({ id, done, failed });
      if (!writing) void write();
    });
}

/**
 * The outbox for many mails at once (an invoice run): every row is written in one statement
 * (unless its key exists); then, per batch, the keys are claimed in a session of their own (keys
 * a concurrent attempt holds are skipped, never sent twice at once), the pending rows sent in
 * parallel over the pooled SMTP transport, and each accepted row marked sent (and committed)
 * before its sender takes the next. A crash therefore sends again at most the mails that were
 * in flight, with the same Message-ID, which the receiving side recognises.
 */
export async function sendMailsOnce(em: EntityManager, mailer: Mailer, mails: readonly OutboxMail[], mailFrom: string, opts: BatchSendOptions = {}): Promise<BatchSendOutcome> {
  const domain = domainOf(mailFrom);
  await insertMailsOnce(em, mails.map((m) => ({ ...m, messageId: messageIdFor(m.key, domain) })));
  const batchSize = opts.batchSize ?? 50;
  const concurrency = opts.concurrency ?? DEFAULT_MAIL_CONCURRENCY;
  const out: BatchSendOutcome = { sent: [], rejected: [], busy: [] };
  const session = await openMailClaimSession(em);
  try {
    const markSent = markWriter(session);
    for (let i = 0; i < mails.length && !out.unavailable; i += batchSize) {
      const keys = mails.slice(i, i + batchSize).map((m) => m.key);
      const claimed = await session.claim(keys);
      try {
        const seen = new Set(claimed.map((r) => r.key));
        const held = keys.filter((k) => !seen.has(k));
        const sentByOther = new Set(await session.sentAmong(held));
        for (const k of held) (sentByOther.has(k) ? out.sent : out.busy).push(k);
        const pending: OutboxRow[] = [];
        for (const r of claimed) {
          if (r.status === 'sent') out.sent.push(r.key);
          else if (r.status === 'failed') out.rejected.push({ key: r.key, reason: r.last_error ?? 'mail failed permanently' });
          else pending.push(r);
        }
        let next = 0;
        const sender = async (): Promise<void> => {
          while (next < pending.length && !out.unavailable) {
            const row = pending[next++]!;
            try {
              await mailer.send(
                outgoing(mailFrom, { toAddress: row.to_address, subject: row.subject, bodyText: row.body_text, messageId: row.message_id, template: row.template, attachments: row.attachments }),
              );
            } catch (err) {
              const failure = classifyMailError(err);
              await session.recordAttempt(row.id, {
                status: failure.retryable ? row.status : 'failed',
                attempts: row.attempts + 1,
                lastError: failure.message.slice(0, 2000),
              });
              if (failure.retryable) out.unavailable ??= failure;
              else out.rejected.push({ key: row.key, reason: failure.message });
              continue;
            }
            // <- crash window: accepted by SMTP, not yet marked sent (this mail only).
            await markSent(row.id);
            out.sent.push(row.key);
          }
        };
        await Promise.all(Array.from({ length: Math.min(concurrency, pending.length) }, sender));
      } finally {
        await session.release(claimed.map((r) => r.key));
      }
    }
  } finally {
    await session.close();
  }
  return out;
}
