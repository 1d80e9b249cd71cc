/**
 * The mail outbox: a row per (idempotency key, recipient) is written as `pending` first, then
 * sent, then marked `sent`. A retry finds the row and sends only if it is not yet `sent`.
 *
 * The send happens while the row is locked (SELECT ... FOR UPDATE), so two concurrent attempts
 * of the same activity cannot both send. One window is unavoidable: when the SMTP peer accepted
 * the message and the process dies (or the commit fails) before the row is marked `sent`, the
 * next attempt sends again. The deterministic Message-ID (derived from the key) lets the
 * receiving side recognise that duplicate.
 *
 * A failed send throws a `MailSendError` (integrations/mail) after the attempt is recorded:
 * retryable (SMTP unavailable) or not (rejected); activities turn it into their failure type.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { classifyMailError, MailFailure, MailSendError } from '../../integrations/mail/errors.js';
import { domainOf, messageIdFor, type Mailer } from '../../integrations/mail/transport.js';
import { textToHtml } from '../templates/render.js';
import { insertMailOnce, lockMail, mailByKey, recordMailAttempt, type MailRecord, type OutboxMail } from './store.js';

export type { OutboxMail };

/** Writes the outbox row unless one with the key exists; returns the row (new or existing). */
export async function enqueueMail(em: EntityManager, mail: OutboxMail, mailFrom: string): Promise<MailRecord> {
  await insertMailOnce(em, { ...mail, messageId: messageIdFor(mail.key, domainOf(mailFrom)) });
  return mailByKey(em, mail.key);
}

/** Sends a locked outbox row unless it was sent already; the failure to throw after the commit, if any. */
async function sendLocked(tem: EntityManager, mailer: Mailer, row: MailRecord, mailFrom: string): Promise<MailSendError | null> {
  if (row.status === 'sent') return null;
  if (row.status === 'failed') {
    return new MailSendError(row.lastError ?? 'mail failed permanently', MailFailure.Rejected, false);
  }
  const attempts = row.attempts + 1;
  try {
    await mailer.send({
      from: mailFrom,
      to: row.toAddress,
      subject: row.subject,
      text: row.bodyText,
      html: textToHtml(row.bodyText),
      messageId: row.messageId,
      headers: { 'X-Dossierflow-Template': row.template },
    });
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
  const outcome = await em.transactional(async (tem) => sendLocked(tem, mailer, await lockMail(tem, { id: mailId }), mailFrom));
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
    const row = await lockMail(tem, { key: mail.key });
    return { id: row.id, outcome: await sendLocked(tem, mailer, row, mailFrom) };
  });
  throwIfFailed(outcome, id);
  return id;
}
