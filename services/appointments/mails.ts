/**
 * The appointment mails (confirmation, rescheduled, cancelled, reminder), rendered from
 * PostgreSQL when the workflow asks for one and sent through the outbox: one mail per applicant
 * with an e-mail address, on the workflow's key + `#<person id>`. Confirmation and rescheduled
 * carry the .ics as METHOD:REQUEST, cancelled as METHOD:CANCEL, all with the appointment's UID
 * and its SEQUENCE; the reminder carries none (it changes nothing in the calendar).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { personFullName, type MailAttachment } from '../../db/entities/index.js';
import { formatDutch } from '../../domain/appointments/appointment.js';
import type { SendAppointmentMailInput, SendAppointmentMailResult } from '../../domain/appointments/side-effects.js';
import { DomainError } from '../../domain/errors.js';
import { addressOf } from '../../integrations/mail/compose.js';
import { domainOf, type Mailer } from '../../integrations/mail/transport.js';
import { loadDossierContext, personData } from '../dossiers/context.js';
import { defaultTemplates } from '../templates/defaults.js';
import { renderTemplate } from '../templates/render.js';
import { renderOrFail } from '../templates/load.js';
import { deliverMail, enqueueMail } from '../work/mail-outbox.js';
import { one } from '../../db/sql.js';
import { appointmentIcs } from './calendar.js';
import { appointmentById, markReminderSent, type AppointmentRow } from './store.js';

export interface AppointmentMailDeps {
  mailer: Mailer;
  mailFrom: string;
}

/** The UID of an appointment's calendar event: the same in every mail about it. */
export function appointmentUid(appointmentId: string, mailFrom: string): string {
  return `appointment-${appointmentId}@${domainOf(mailFrom)}`;
}

/** The newest published version of the template, else the shipped default (an office that never published one still mails). */
async function appointmentTemplate(em: EntityManager, key: string): Promise<{ key: string; subject: string; body: string }> {
  const published = await one<{ subject: string | null; body: string }>(em, `select subject, body from templates where key = ? and kind = 'mail' order by version desc limit 1`, [key]);
  if (published) return { key, subject: published.subject ?? '', body: published.body };
  const shipped = defaultTemplates.find((t) => t.key === key);
  if (!shipped) throw new DomainError('unprocessable', 'template-missing', `no mail template "${key}"`);
  return shipped;
}

const asDate = (v: unknown): Date => (v instanceof Date ? v : new Date(String(v)));

/** The `appointment` data of the templates. */
export function appointmentData(row: AppointmentRow): Record<string, string> {
  const start = formatDutch(asDate(row.starts_at));
  const end = formatDutch(asDate(row.ends_at));
  const where = [row.location ? `Locatie: ${row.location}` : null, row.video_url ? `Videolink: ${row.video_url}` : null].filter((s): s is string => s !== null).join('\n');
  return { title: row.title, date: start.date, time: start.time, dateTime: start.dateTime, endTime: end.time, where, adviser: row.adviser_name ?? '' };
}

export async function sendAppointmentMail(em: EntityManager, deps: AppointmentMailDeps, input: SendAppointmentMailInput, now: () => Date): Promise<SendAppointmentMailResult> {
  const row = await appointmentById(em, input.appointmentId);
  if (!row) return { mailIds: [], note: 'De afspraak bestaat niet meer' };
  if (Number(row.sequence) < input.sequence) {
    // The change is recorded in the same transaction that told the workflow: not committed yet.
    throw new DomainError('unavailable', 'appointment-not-yet-updated', `appointment ${row.id} is at sequence ${row.sequence}, the mail is about ${input.sequence}`);
  }
  if (input.kind === 'reminder' && row.status === 'cancelled') return { mailIds: [], note: 'De afspraak is geannuleerd: geen herinnering' };
  const ctx = await loadDossierContext(em, row.dossier_id);
  const recipients = ctx.applicants.filter((a) => a.person.email && a.person.email.includes('@'));
  if (recipients.length === 0) return { mailIds: [], note: 'Geen mail verstuurd: geen aanvrager met een e-mailadres' };

  const template = await appointmentTemplate(em, `appointment-${input.kind}`);
  const appointment = appointmentData(row);
  const method = input.kind === 'cancelled' ? 'CANCEL' : input.kind === 'reminder' ? null : 'REQUEST';
  const mailIds: string[] = [];
  for (const r of recipients) {
    const data = { office: { name: ctx.office.name }, dossier: { number: ctx.dossier.number }, recipient: personData(r.person), appointment };
    const subject = renderOrFail(() => renderTemplate(template.subject, data, { context: 'text', name: template.key }));
    const bodyText = renderOrFail(() => renderTemplate(template.body, data, { context: 'text', name: template.key }));
    const attachments: MailAttachment[] = method
      ? [
          {
            filename: method === 'CANCEL' ? 'afspraak-geannuleerd.ics' : 'afspraak.ics',
            contentType: `text/calendar; method=${method}; charset=utf-8`,
            content: appointmentIcs({
              uid: appointmentUid(row.id, deps.mailFrom),
              sequence: Number(row.sequence),
              method,
              title: row.title,
              startsAt: asDate(row.starts_at),
              endsAt: asDate(row.ends_at),
              location: row.location,
              videoUrl: row.video_url,
              description: bodyText,
              organizer: { name: ctx.office.name, email: addressOf(deps.mailFrom) },
              attendee: { name: personFullName(r.person), email: r.person.email! },
              stampedAt: asDate(row.updated_at),
            }),
          },
        ]
      : [];
    const mail = await enqueueMail(
      em,
      { key: `${input.key}#${r.person.id}`, dossierId: row.dossier_id, productId: row.product_id, template: template.key, toAddress: r.person.email!, subject, bodyText, attachments },
      deps.mailFrom,
    );
    mailIds.push(mail.id);
  }
  for (const id of mailIds) await deliverMail(em, deps.mailer, id, deps.mailFrom);
  if (input.kind === 'reminder') await markReminderSent(em, row.id, now());
  return { mailIds };
}
