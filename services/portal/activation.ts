/**
 * The client portal's activation (*Digimap* in the seeds): a link mailed to each applicant
 * (valid PORTAL_ACTIVATION_DAYS), and its use by the client.
 */
import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { SendPortalActivationInput } from '../../domain/products/side-effects.js';
import { refuse } from '../../domain/errors.js';
import type { Mailer } from '../../integrations/mail/transport.js';
import { hashToken } from '../access/tokens.js';
import { contextData, formatDateNl, loadDossierContext, personData } from '../dossiers/context.js';
import { loadTemplate, renderOrFail } from '../templates/load.js';
import { renderTemplate } from '../templates/render.js';
import { deliverMail, enqueueMail } from '../work/mail-outbox.js';
import { recipientsOf } from '../work/mails.js';
import { mailByKey } from '../work/store.js';
import { activateByTokenHash, insertActivationOnce } from './store.js';

export const PORTAL_ACTIVATION_DAYS = 14;

export interface PortalMailDeps {
  mailer: Mailer;
  mailFrom: string;
  publicUrl: string;
  now: () => Date;
}

/**
 * One activation link and mail per applicant with an e-mail address, once per key. The
 * activation row and its mail are written in one transaction: the plain token exists only in the
 * mail body (the outbox), so a retry re-sends the same link.
 */
export async function sendPortalActivation(em: EntityManager, deps: PortalMailDeps, input: SendPortalActivationInput): Promise<{ mailIds: string[] }> {
  const ctx = await loadDossierContext(em, input.dossierId, input.productId);
  const template = await loadTemplate(em, input.template, 'mail');
  const recipients = recipientsOf(ctx.applicants, 'applicants', input.dossierId);
  const base = contextData(ctx, deps.now());
  const publicUrl = deps.publicUrl.replace(/\/+$/, '');

  const mailIds: string[] = [];
  for (const recipient of recipients) {
    const key = `${input.key}#${recipient.person.id}`;
    const row = await em.transactional(async (tem) => {
      const token = randomBytes(32).toString('base64url');
      const createdAt = deps.now();
      const expiresAt = new Date(createdAt.getTime() + PORTAL_ACTIVATION_DAYS * 86_400_000);
      const inserted = await insertActivationOnce(tem, { key, dossierId: input.dossierId, personId: recipient.person.id, tokenHash: hashToken(token), expiresAt, createdAt });
      if (!inserted) return mailByKey(tem, key).catch(() => {
        throw new Error(`portal activation ${key} exists without its mail`);
      });
      const data = {
        ...base,
        recipient: personData(recipient.person),
        activationUrl: `${publicUrl}/portal/activate/${token}`,
        activation: { expiresOn: formatDateNl(expiresAt), days: PORTAL_ACTIVATION_DAYS },
      };
      const subject = renderOrFail(() => renderTemplate(template.subject ?? '', data, { context: 'text', name: template.key }));
      const bodyText = renderOrFail(() => renderTemplate(template.body, data, { context: 'text', name: template.key }));
      return enqueueMail(
        tem,
        { key, dossierId: input.dossierId, productId: input.productId, template: template.key, toAddress: recipient.person.email ?? '', subject, bodyText },
        deps.mailFrom,
      );
    });
    mailIds.push(row.id);
  }
  for (const id of mailIds) await deliverMail(em, deps.mailer, id, deps.mailFrom);
  return { mailIds };
}

/** The client opens the link from the mail: the first use counts; an unknown or expired link is refused. */
export async function activatePortal(em: EntityManager, token: string): Promise<void> {
  const row = token ? await activateByTokenHash(em, hashToken(token)) : undefined;
  if (!row) throw refuse.notFoundAs('activation-not-found', 'This activation link is unknown or has expired');
}
