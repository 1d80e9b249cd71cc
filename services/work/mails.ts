/**
 * Mails of a dossier: the templated mail a process step sends to the applicants (through the
 * outbox, once per key and recipient), and the mail list as advisers read it.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { ContactMoment } from '../../db/entities/index.js';
import { isoInstant, rows, type Row } from '../../db/sql.js';
import { DomainError } from '../../domain/errors.js';
import type { SendTemplatedMailInput } from '../../domain/products/side-effects.js';
import type { Mailer } from '../../integrations/mail/transport.js';
import { contextData, formatDateNl, loadDossierContext, personData, type Applicant } from '../dossiers/context.js';
import type { MailItem } from '../dossiers/schemas.js';
import { stepPayloadOf } from '../products/store.js';
import { loadTemplate, renderOrFail } from '../templates/load.js';
import { renderTemplate } from '../templates/render.js';
import { deliverMail, enqueueMail } from './mail-outbox.js';

export interface MailDeps {
  mailer: Mailer;
  mailFrom: string;
  now: () => Date;
}

/** The applicants a mail goes to; refused `no-recipient` when none of them has an e-mail address. */
export function recipientsOf(applicants: Applicant[], to: 'applicants' | 'firstApplicant', dossierId: string): Applicant[] {
  const chosen = to === 'firstApplicant' ? applicants.filter((a) => a.position === 1) : applicants;
  const withMail = chosen.filter((a) => a.person.email && a.person.email.includes('@'));
  if (withMail.length === 0) {
    throw new DomainError('unprocessable', 'no-recipient', `dossier ${dossierId}: no ${to === 'firstApplicant' ? 'first applicant' : 'applicant'} with an e-mail address`);
  }
  return withMail;
}

/** The free-text inputs of the step (stored in PostgreSQL); refused `not-found` when they are gone. */
export async function loadStepPayload(em: EntityManager, payloadId: string | undefined, productId: string): Promise<{ data: Record<string, unknown>; createdAt: Date } | null> {
  if (!payloadId) return null;
  const payload = await stepPayloadOf(em, payloadId, productId);
  if (!payload) throw new DomainError('not-found', 'not-found', `step payload ${payloadId} not found for product ${productId}`);
  return payload;
}

/** Renders the mail template for each recipient and sends it through the outbox (once per key and recipient). */
export async function sendTemplatedMail(em: EntityManager, deps: MailDeps, input: SendTemplatedMailInput): Promise<{ mailIds: string[] }> {
  const ctx = await loadDossierContext(em, input.dossierId, input.productId);
  const template = await loadTemplate(em, input.template, 'mail');
  const payload = await loadStepPayload(em, input.payloadId, input.productId);
  const recipients = recipientsOf(ctx.applicants, input.to, input.dossierId);

  // The contact moment registered in the same step (same key up to "/action:"), if any.
  const stepPrefix = input.key.includes('/action:') ? input.key.slice(0, input.key.lastIndexOf('/action:')) : null;
  const moment = stepPrefix
    ? await em.findOne(ContactMoment, { key: { $like: `${stepPrefix.replace(/[\\%_]/g, '\\$&')}/action:%` }, productId: input.productId })
    : null;
  const base = contextData(ctx, deps.now());
  base.input = input.input ?? {};
  base.payload = payload?.data ?? {};
  const channel = moment?.channel ?? input.input?.channel;
  const summary = moment?.summary ?? payload?.data.summary;
  if (channel !== undefined || summary !== undefined) {
    base.contactMoment = { channel, date: formatDateNl(moment?.at ?? payload?.createdAt ?? deps.now()), summary };
  }

  const mailIds: string[] = [];
  for (const recipient of recipients) {
    const key = `${input.key}#${recipient.person.id}`;
    const data = { ...base, recipient: personData(recipient.person) };
    const subject = renderOrFail(() => renderTemplate(template.subject ?? '', data, { context: 'text', name: template.key }));
    const bodyText = renderOrFail(() => renderTemplate(template.body, data, { context: 'text', name: template.key }));
    const row = await enqueueMail(
      em,
      { key, dossierId: input.dossierId, productId: input.productId, template: template.key, toAddress: recipient.person.email ?? '', subject, bodyText },
      deps.mailFrom,
    );
    mailIds.push(row.id);
  }
  for (const id of mailIds) await deliverMail(em, deps.mailer, id, deps.mailFrom);
  return { mailIds };
}

export interface MailRow extends Row {
  id: string;
  dossier_id: string;
  product_id: string | null;
  template: string;
  to_address: string;
  subject: string;
  status: string;
  created_at: unknown;
  sent_at: unknown;
}

/** The columns of a mail list (also used by the dossier detail). */
export const mailColumns = 'm.id, m.dossier_id, m.product_id, m.template, m.to_address, m.subject, m.status, m.created_at, m.sent_at';

/** Mails of the office (mails carry no office id: scoped through their dossier). */
export async function listMails(
  em: EntityManager,
  officeId: string,
  filter: { dossierId?: string | undefined; limit: number; offset: number },
): Promise<{ items: MailItem[]; total: number }> {
  let where = 'd.office_id = ?';
  const params: unknown[] = [officeId];
  if (filter.dossierId) {
    where += ' and m.dossier_id = ?';
    params.push(filter.dossierId);
  }
  const [count] = await rows<{ n: string }>(em, `select count(*) as n from mails m join dossiers d on d.id = m.dossier_id where ${where}`, params);
  const found = await rows<MailRow>(
    em,
    `select ${mailColumns} from mails m join dossiers d on d.id = m.dossier_id where ${where} order by m.created_at, m.id limit ? offset ?`,
    [...params, filter.limit, filter.offset],
  );
  return { total: Number(count?.n ?? 0), items: found.map(mailItem) };
}

export function mailItem(r: MailRow): MailItem {
  return {
    id: r.id,
    dossierId: r.dossier_id,
    productId: r.product_id,
    template: r.template,
    toAddress: r.to_address,
    subject: r.subject,
    status: r.status,
    createdAt: isoInstant(r.created_at) ?? '',
    sentAt: isoInstant(r.sent_at),
  };
}
