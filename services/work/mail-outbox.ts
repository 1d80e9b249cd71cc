/**
 * The mail outbox: a row per (idempotency key, recipient) is written as `pending` first, then
 * sent, then marked `sent`. A retry finds the row and sends only if it is not yet `sent`.
 *
 * The send happens while the row is locked (SELECT ... FOR UPDATE), so two concurrent attempts
 * of the same activity cannot both send. One window is unavoidable: when the SMTP peer accepted
 * the message and the process dies (or the commit fails) before the row is marked `sent`, the
 * next attempt sends again. The deterministic Message-ID (derived from the key) lets the
 * receiving side recognise that duplicate.
 */
import { LockMode } from '@mikro-orm/core';
import { ApplicationFailure } from '@temporalio/common';
import type { EntityManager, RequiredEntityData } from '@mikro-orm/postgresql';
import { Mail } from '../../db/entities/index.js';
import { newId } from '../../db/ids.js';
import { classifyMailError, MailSendError, MailFailure } from '../../integrations/mail/errors.js';
import { domainOf, messageIdFor, type Mailer } from '../../integrations/mail/transport.js';
import { textToHtml } from '../templates/render.js';
import { insertIfAbsent } from '../../activities/support.js';
import { ProductActivityFailure } from '../../activities/products.contract.js';

export interface OutboxMail {
  key: string;
  dossierId: string;
  productId: string | null;
  template: string;
  toAddress: string;
  subject: string;
  bodyText: string;
}

function outboxRow(mail: OutboxMail, mailFrom: string): RequiredEntityData<Mail> {
  return {
    id: newId(),
    key: mail.key,
    dossierId: mail.dossierId,
    productId: mail.productId,
    template: mail.template,
    toAddress: mail.toAddress,
    subject: mail.subject,
    bodyText: mail.bodyText,
    status: 'pending',
    messageId: messageIdFor(mail.key, domainOf(mailFrom)),
    attempts: 0,
    lastError: null,
    createdAt: new Date(),
    sentAt: null,
  };
}

/** Writes the outbox row unless one with the key exists; returns the row (new or existing). */
export async function enqueueMail(em: EntityManager, mail: OutboxMail, mailFrom: string): Promise<Mail> {
  await insertIfAbsent(em, Mail, outboxRow(mail, mailFrom));
  return em.findOneOrFail(Mail, { key: mail.key });
}

/** Sends a locked outbox row unless it was sent already; the failure to throw after the commit, if any. */
async function sendLocked(mailer: Mailer, row: Mail, mailFrom: string): Promise<MailSendError | null> {
  if (row.status === 'sent') return null;
  if (row.status === 'failed') {
    return new MailSendError(row.lastError ?? 'mail failed permanently', MailFailure.Rejected, false);
  }
  row.attempts += 1;
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
    row.status = 'sent';
    row.sentAt = new Date();
    row.lastError = null;
    return null;
  } catch (err) {
    const failure = classifyMailError(err);
    row.lastError = failure.message.slice(0, 2000);
    if (!failure.retryable) row.status = 'failed';
    return failure;
  }
}

function throwIfFailed(outcome: MailSendError | null, mailId: string): void {
  if (outcome) {
    throw ApplicationFailure.create({
      type: outcome.retryable ? ProductActivityFailure.MailUnavailable : ProductActivityFailure.MailRejected,
      message: `mail ${mailId}: ${outcome.message}`,
      nonRetryable: !outcome.retryable,
    });
  }
}

/** Sends an outbox row unless it was sent already. Throws an ApplicationFailure on failure. */
export async function deliverMail(em: EntityManager, mailer: Mailer, mailId: string, mailFrom: string): Promise<void> {
  const outcome = await em.transactional(async (tem) => {
    const row = await tem.findOneOrFail(Mail, { id: mailId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    return sendLocked(mailer, row, mailFrom);
  });
  throwIfFailed(outcome, mailId);
}

/**
 * enqueueMail and deliverMail in one transaction (two statements fewer per mail): the row is
 * written unless it exists, locked and sent unless it was sent. A concurrent attempt with the
 * same key waits on the unique key (or the lock) until this one committed, then finds it sent.
 * Returns the row's id; throws an ApplicationFailure when the send failed (the row keeps the attempt).
 */
export async function sendMailOnce(em: EntityManager, mailer: Mailer, mail: OutboxMail, mailFrom: string): Promise<string> {
  const { id, outcome } = await em.transactional(async (tem) => {
    await insertIfAbsent(tem, Mail, outboxRow(mail, mailFrom));
    const row = await tem.findOneOrFail(Mail, { key: mail.key }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    return { id: row.id, outcome: await sendLocked(mailer, row, mailFrom) };
  });
  throwIfFailed(outcome, id);
  return id;
}
