/**
 * The reminder to a client who has not shared yet: the Ockto link again by mail (through the
 * outbox, idempotent on the workflow's key). When it cannot go out (no address, no dossier to
 * file it under, no link yet) the reason is noted on the retrieval instead.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { one } from '../../db/sql.js';
import type { OcktoReminderResult } from '../../domain/ockto/side-effects.js';
import type { Mailer } from '../../integrations/mail/transport.js';
import type { PersonRow } from '../crm/store.js';
import { formatDateNl } from '../dossiers/context.js';
import { renderTemplate } from '../templates/render.js';
import { loadTemplate, renderOrFail } from '../templates/load.js';
import { deliverMail, enqueueMail } from '../work/mail-outbox.js';
import { policyOf, requireRetrieval, type OcktoConnection } from './session.js';
import { markReminderSent, setReminderNote } from './store.js';

export interface ReminderMailDeps {
  mailer: Mailer;
  mailFrom: string;
}

export async function sendOcktoReminder(
  em: EntityManager,
  deps: ReminderMailDeps & { ockto: OcktoConnection },
  input: { retrievalId: string; key: string },
  now: () => Date,
): Promise<OcktoReminderResult> {
  const { retrievalId, key } = input;
  const row = await requireRetrieval(em, retrievalId);
  const note = async (text: string): Promise<{ sent: false; note: string }> => {
    await setReminderNote(em, retrievalId, text);
    return { sent: false, note: text };
  };
  const person = await one<Pick<PersonRow, 'first_name' | 'email'>>(em, `select first_name, email from persons where id = ?`, [row.person_id]);
  if (!person?.email || !person.email.includes('@')) return note('Geen herinnering verstuurd: de klant heeft geen e-mailadres');
  // The outbox files mails under a dossier: the retrieval's, else the person's newest.
  const dossier = await one<{ id: string; number: string }>(
    em,
    `select d.id, d.number from dossiers d
      where d.id = ? or (?::uuid is null and d.id in (select dossier_id from dossier_applicants where person_id = ?))
      order by d.created_at desc limit 1`,
    [row.dossier_id, row.dossier_id, row.person_id],
  );
  if (!dossier) return note('Geen herinnering verstuurd: de klant heeft geen dossier om de mail in vast te leggen');
  if (!row.session_url) return note('Geen herinnering verstuurd: er is nog geen Ockto-link');
  const office = await one<{ name: string }>(em, `select name from offices where id = ?`, [row.office_id]);
  const t = await loadTemplate(em, 'ockto-reminder', 'mail');
  const expiresAt = new Date(new Date(row.created_at).getTime() + policyOf(row, deps.ockto.defaults).expireAfterMs);
  const data = {
    recipient: { firstName: person.first_name },
    office: { name: office?.name ?? '' },
    dossier: { number: dossier.number },
    ockto: { url: row.session_url, expiresOn: formatDateNl(expiresAt) },
  };
  const subject = renderOrFail(() => renderTemplate(t.subject ?? 'ockto-reminder', data, { context: 'text', name: 'ockto-reminder' }));
  const body = renderOrFail(() => renderTemplate(t.body, data, { context: 'text', name: 'ockto-reminder' }));
  const mail = await enqueueMail(em, { key, dossierId: dossier.id, productId: null, template: 'ockto-reminder', toAddress: person.email, subject, bodyText: body }, deps.mailFrom);
  await deliverMail(em, deps.mailer, mail.id, deps.mailFrom);
  await markReminderSent(em, retrievalId, now());
  return { sent: true };
}
