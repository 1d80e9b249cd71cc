/**
 * The appointment mail activity against a real PostgreSQL and a real SMTP peer: one mail per
 * applicant with an e-mail address, each with its own .ics (the applicant as ATTENDEE, the
 * appointment's UID and SEQUENCE); the same key again mails nobody twice; a mail about a
 * SEQUENCE the row has not reached yet fails retryably (the change is not committed yet); the
 * reminder has no attachment and is recorded on the row; no applicant with an address: a note.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApplicationFailure } from '@temporalio/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createOrm } from '../../db/orm.js';
import { newId } from '../../db/ids.js';
import { createMailer, type Mailer } from '../../integrations/mail/transport.js';
import { createAppointmentActivities } from '../../activities/appointments.activities.js';
import type { AppointmentActivities } from '../../activities/appointments.contract.js';
import { issueCredential } from '../../services/access/store.js';
import { insertAppointment, rescheduleAppointmentRow } from '../../services/appointments/store.js';
import { createFixture, startSmtpPeer, testDatabase, type Fixture, type SmtpPeer, type TestDatabase } from './support.js';

let db: TestDatabase;
let smtp: SmtpPeer;
let orm: MikroORM;
let mailer: Mailer;
let acts: AppointmentActivities;

beforeAll(async () => {
  db = await testDatabase();
  smtp = await startSmtpPeer();
  orm = await createOrm(db.url);
  mailer = createMailer(smtp.url);
  acts = createAppointmentActivities({ orm, mailer, mailFrom: 'Test Advies <noreply@test-advies.nl>' });
}, 120_000);

afterAll(async () => {
  mailer?.close();
  await orm?.close(true);
  await smtp?.stop();
  await db?.stop();
});

const mailsTo = (address: string) => smtp.received.filter((m) => m.envelopeTo.includes(address));

async function plan(f: Fixture): Promise<string> {
  const adviser = await issueCredential(orm.em.fork(), { officeId: f.officeId, name: 'Eva Adviseur', role: 'adviser' });
  const id = newId();
  await insertAppointment(orm.em.fork(), {
    id,
    officeId: f.officeId,
    dossierId: f.dossierId,
    productId: f.productId,
    adviserCredentialId: adviser.id,
    title: 'Oriëntatiegesprek',
    startsAt: new Date('2030-03-31T08:00:00Z'),
    endsAt: new Date('2030-03-31T09:00:00Z'),
    location: 'Kantoor Utrecht',
    videoUrl: null,
    notes: null,
    reminderAt: new Date('2030-03-30T07:00:00Z'),
    createdBy: adviser.id,
  });
  return id;
}

describe('appointment mail activity', () => {
  it('mails each applicant once with their own .ics; a repeat sends nothing; a SEQUENCE ahead of the row fails retryably; the reminder is recorded', async () => {
    const f = await createFixture(orm);
    const id = await plan(f);
    const key = `appointment:${id}/confirmation`;
    const first = await acts.sendAppointmentMail({ appointmentId: id, kind: 'confirmation', sequence: 0, key });
    expect(first.mailIds).toHaveLength(2);
    for (const [i, email] of f.emails.entries()) {
      const got = mailsTo(email);
      expect(got).toHaveLength(1);
      const [ics] = got[0]!.parsed.attachments;
      expect(ics?.contentType).toBe('text/calendar');
      const text = ics!.content.toString('utf8').replace(/\r\n[ \t]/g, '');
      expect(text).toContain('DTSTART;TZID=Europe/Amsterdam:20300331T100000');
      expect(text).toContain(`UID:appointment-${id}@test-advies.nl`);
      expect(text).toMatch(new RegExp(`ATTENDEE;[^\\r\\n]*CN="${i === 0 ? 'Anna van der Meer' : 'Bram Zoë-Çelik'}"[^\\r\\n]*:MAILTO:${email}`));
      expect(got[0]!.parsed.text).toContain('Adviseur: Eva Adviseur');
    }
    // The same key again (a retried activity): nothing new at the peer.
    expect((await acts.sendAppointmentMail({ appointmentId: id, kind: 'confirmation', sequence: 0, key })).mailIds).toEqual(first.mailIds);
    expect(mailsTo(f.emails[0])).toHaveLength(1);

    // About SEQUENCE 1 while the row is still at 0: retryable, nothing sent.
    const ahead = await acts.sendAppointmentMail({ appointmentId: id, kind: 'rescheduled', sequence: 1, key: `appointment:${id}/rescheduled:1` }).catch((e: unknown) => e);
    expect(ahead).toBeInstanceOf(ApplicationFailure);
    expect((ahead as ApplicationFailure).nonRetryable).toBe(false);
    expect(mailsTo(f.emails[0])).toHaveLength(1);
    // Once the row has it, the mail goes with the new time and SEQUENCE.
    await rescheduleAppointmentRow(orm.em.fork(), id, {
      startsAt: new Date('2030-10-27T09:00:00Z'),
      endsAt: new Date('2030-10-27T10:00:00Z'),
      location: 'Kantoor Utrecht',
      videoUrl: null,
      sequence: 1,
      reminderAt: new Date('2030-10-26T07:00:00Z'),
    });
    await acts.sendAppointmentMail({ appointmentId: id, kind: 'rescheduled', sequence: 1, key: `appointment:${id}/rescheduled:1` });
    const moved = mailsTo(f.emails[0])[1]!;
    expect(moved.parsed.subject).toBe('Gewijzigd: onze afspraak is verzet naar zondag 27 oktober 2030 om 10:00');
    expect(moved.parsed.attachments[0]!.content.toString('utf8')).toContain('SEQUENCE:1');

    await acts.sendAppointmentMail({ appointmentId: id, kind: 'reminder', sequence: 1, key: `appointment:${id}/reminder:1` });
    const reminder = mailsTo(f.emails[0])[2]!;
    expect(reminder.parsed.subject).toBe('Herinnering: morgen om 10:00 onze afspraak');
    expect(reminder.parsed.attachments).toHaveLength(0);
    const [row] = await orm.em.fork().execute<{ sent: boolean }[]>('select reminder_sent_at is not null as sent from appointments where id = ?', [id]);
    expect(row?.sent).toBe(true);
  });

  it('no applicant with an e-mail address: nothing sent, a note', async () => {
    const f = await createFixture(orm, { firstEmail: null, secondEmail: null });
    const id = await plan(f);
    expect(await acts.sendAppointmentMail({ appointmentId: id, kind: 'confirmation', sequence: 0, key: `appointment:${id}/confirmation` })).toEqual({
      mailIds: [],
      note: 'Geen mail verstuurd: geen aanvrager met een e-mailadres',
    });
  });
});
