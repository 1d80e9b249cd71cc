/**
 * Appointments through the API with the real Temporal of the global setup, an in-process worker
 * and the SMTP peer: planning mails the applicant a confirmation whose .ics says the Amsterdam
 * wall time that was typed (DTSTART;TZID=Europe/Amsterdam) on both sides of the DST changes;
 * a reschedule mails "gewijzigd" with the same UID and SEQUENCE 1; a cancel mails METHOD:CANCEL
 * with SEQUENCE 2; after that no change is accepted. Refusals: a local time in the spring gap
 * (400), a start in the past (422), another office's dossier (404).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MikroORM } from '../../db/orm.js';
import type { StoredMail } from '../../simulators/smtp/smtp-peer.js';
import { bearer, createTestOffice, ensureShippedProcesses, openOrm, startAppWithWorker, uniquePerson, type AppWithWorker, type TestOffice } from './support.js';

let orm: MikroORM;
let platform: AppWithWorker;
let office: TestOffice;
let other: TestOffice;

beforeAll(async () => {
  orm = await openOrm();
  await ensureShippedProcesses(orm);
  office = await createTestOffice(orm, 'Afsprakenkantoor');
  other = await createTestOffice(orm, 'Ander kantoor');
  platform = await startAppWithWorker(orm, `appointments-${randomUUID()}`);
});

afterAll(async () => {
  await platform?.stop();
  await orm?.close(true);
});

const adviser = () => bearer(office.tokens.adviser);
const YEAR = new Date().getUTCFullYear() + 1;

/** The last Sunday of a month of YEAR ('YYYY-MM-DD'): the DST change in the EU. */
function lastSunday(month: number, plusDays = 0): string {
  const d = new Date(Date.UTC(YEAR, month, 0));
  d.setUTCDate(d.getUTCDate() - d.getUTCDay() + plusDays);
  return d.toISOString().slice(0, 10);
}

async function mailsTo(email: string): Promise<StoredMail[]> {
  const res = await fetch(`${process.env.MAIL_UI_URL}/messages`);
  const all = (await res.json()) as StoredMail[];
  return all.filter((m) => m.to.some((a) => a.toLowerCase() === email.toLowerCase()));
}

async function waitForMail(email: string, match: (m: StoredMail) => boolean): Promise<StoredMail> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const found = (await mailsTo(email)).find(match);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no matching mail to ${email}: ${(await mailsTo(email)).map((m) => m.subject).join(' | ')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function ics(mail: StoredMail): Promise<string> {
  expect(mail.attachments).toHaveLength(1);
  expect(mail.attachments[0]!.contentType).toBe('text/calendar');
  const res = await fetch(`${process.env.MAIL_UI_URL}/messages/${mail.id}/attachments/0`);
  expect(res.ok).toBe(true);
  // Folded lines (RFC 5545 3.1) unfolded, so a long line can be matched whole.
  return (await res.text()).replace(/\r\n[ \t]/g, '');
}

async function newDossier(token = office.tokens.adviser) {
  const person = uniquePerson();
  const res = await platform.app.inject({ method: 'POST', url: '/dossiers', headers: bearer(token), payload: { applicants: [{ person }] } });
  expect(res.statusCode, res.body).toBe(201);
  return { dossierId: res.json().id as string, email: person.email };
}

function expectProblem(res: { statusCode: number; headers: Record<string, unknown>; body: string }, status: number, slug?: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
  if (slug) expect(JSON.parse(res.body).type).toMatch(new RegExp(`${slug}$`));
}

describe('appointments', () => {
  it.each([
    ['the Monday after the spring change (CEST, +02:00)', 3, 1, '10:00', '+02:00', 0, '09:00', '+02:00'],
    ['the Saturday before the spring change (CET, +01:00)', 3, -1, '10:00', '+01:00', -2, '09:00', '+01:00'],
    ['the autumn change day (CET, +01:00); reminder on Saturday in summer time', 10, 0, '14:30', '+01:00', -1, '09:00', '+02:00'],
  ])('planned on %s: the confirmation with an .ics that says the wall time typed reaches the SMTP peer', async (_name, month, plus, time, offset, remPlus, remTime, remOffset) => {
    const { dossierId, email } = await newDossier();
    const date = lastSunday(month, plus);
    const res = await platform.app.inject({
      method: 'POST',
      url: `/dossiers/${dossierId}/appointments`,
      headers: adviser(),
      payload: { start: { date, time, zone: 'Europe/Amsterdam' }, durationMinutes: 60, location: 'Kantoor, Stationsplein 1, Utrecht', notes: 'Eerste gesprek' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const a = res.json();
    expect(a).toMatchObject({ status: 'planned', sequence: 0, title: 'Oriëntatiegesprek', startsAt: `${date}T${time}:00${offset}`, start: { date, time, zone: 'Europe/Amsterdam' } });
    expect(a.reminderAt).toBe(`${lastSunday(month, remPlus)}T${remTime}:00${remOffset}`);
    expect(res.headers.location).toBe(`/appointments/${a.id}`);

    const mail = await waitForMail(email, (m) => m.subject.startsWith('Bevestiging'));
    expect(mail.subject).toContain(`om ${time}`);
    expect(mail.text).toContain(`Tijd: ${time} tot`);
    expect(mail.text).toContain('Locatie: Kantoor, Stationsplein 1, Utrecht');
    const cal = await ics(mail);
    expect(cal).toContain('METHOD:REQUEST');
    expect(cal).toContain(`DTSTART;TZID=Europe/Amsterdam:${date.replaceAll('-', '')}T${time.replace(':', '')}00`);
    expect(cal).toContain('SEQUENCE:0');
    expect(cal).toMatch(new RegExp(`UID:appointment-${a.id}@`));
    expect(cal).toContain(`ATTENDEE;ROLE=REQ-PARTICIPANT;RSVP=FALSE;CN=`);
    expect(cal).toMatch(/DTSTAMP:\d{8}T\d{6}Z/);
  });

  it('reschedule then cancel: same UID, SEQUENCE 1 and 2, METHOD:CANCEL; then no more changes (409); list and read', async () => {
    const { dossierId, email } = await newDossier();
    const planned = await platform.app.inject({
      method: 'POST',
      url: `/dossiers/${dossierId}/appointments`,
      headers: adviser(),
      payload: { title: 'Adviesgesprek', start: { date: lastSunday(3, 1), time: '09:30', zone: 'Europe/Amsterdam' }, durationMinutes: 45, videoUrl: 'https://meet.example.nl/abc' },
    });
    expect(planned.statusCode, planned.body).toBe(201);
    const id = planned.json().id as string;
    const first = await ics(await waitForMail(email, (m) => m.subject.startsWith('Bevestiging')));
    expect(first).toContain('LOCATION:https://meet.example.nl/abc');

    // An instant with its offset: 2 h earlier UTC on the autumn change day is 10:00 CET... written as +01:00.
    const autumn = lastSunday(10, 0);
    const moved = await platform.app.inject({ method: 'POST', url: `/appointments/${id}/reschedule`, headers: adviser(), payload: { start: { instant: `${autumn}T10:00:00+01:00` } } });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({ status: 'rescheduled', sequence: 1, startsAt: `${autumn}T10:00:00+01:00`, durationMinutes: 45, reminderAt: `${lastSunday(10, -1)}T09:00:00+02:00` });
    const changed = await waitForMail(email, (m) => m.subject.startsWith('Gewijzigd'));
    const second = await ics(changed);
    expect(second).toContain(`DTSTART;TZID=Europe/Amsterdam:${autumn.replaceAll('-', '')}T100000`);
    expect(second).toContain(`DTEND;TZID=Europe/Amsterdam:${autumn.replaceAll('-', '')}T104500`);
    expect(second).toContain('SEQUENCE:1');
    expect(second).toContain('METHOD:REQUEST');
    const uid = /UID:([^\r\n]+)/.exec(first)?.[1];
    expect(uid).toBeTruthy();
    expect(second).toContain(`UID:${uid}`);

    // The work queue shows it with its Amsterdam date and time, under the adviser; not under the back office.
    const queue = async (query = 'kind=appointment') =>
      ((await platform.app.inject({ method: 'GET', url: `/work-queue?${query}&limit=200`, headers: adviser() })).json().items as Record<string, unknown>[]).filter((i) => i.id === id);
    expect(await queue()).toEqual([
      expect.objectContaining({ kind: 'appointment', title: 'Afspraak: Adviesgesprek', dueDate: autumn, dueTime: '10:00', dossierId, href: `/dossiers/${dossierId}`, assignee: 'test adviser' }),
    ]);
    expect(await queue('assignee=adviser')).toHaveLength(1);
    expect(await queue('assignee=backoffice')).toHaveLength(0);
    expect(await queue('kind=task')).toHaveLength(0);

    const cancelled = await platform.app.inject({ method: 'POST', url: `/appointments/${id}/cancel`, headers: adviser() });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json()).toMatchObject({ status: 'cancelled', sequence: 2, reminderAt: null });
    const third = await ics(await waitForMail(email, (m) => m.subject.startsWith('Geannuleerd')));
    expect(third).toContain('METHOD:CANCEL');
    expect(third).toContain('STATUS:CANCELLED');
    expect(third).toContain('SEQUENCE:2');
    expect(third).toContain(`UID:${uid}`);
    expect(await queue()).toEqual([]);

    expectProblem(await platform.app.inject({ method: 'POST', url: `/appointments/${id}/cancel`, headers: adviser() }), 409, 'appointment-cancelled');
    expectProblem(
      await platform.app.inject({ method: 'POST', url: `/appointments/${id}/reschedule`, headers: adviser(), payload: { start: { date: lastSunday(10, 2), time: '10:00', zone: 'Europe/Amsterdam' } } }),
      409,
    );

    const list = await platform.app.inject({ method: 'GET', url: `/dossiers/${dossierId}/appointments`, headers: adviser() });
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((x: { id: string; status: string }) => [x.id, x.status])).toEqual([[id, 'cancelled']]);
    const one = await platform.app.inject({ method: 'GET', url: `/appointments/${id}`, headers: adviser() });
    expect(one.json()).toMatchObject({ id, title: 'Adviesgesprek', videoUrl: 'https://meet.example.nl/abc', location: null });
    // Exactly one mail of each kind: the outbox keys hold.
    expect((await mailsTo(email)).map((m) => m.subject.split(/[ :]/)[0]).sort()).toEqual(['Bevestiging', 'Geannuleerd', 'Gewijzigd']);
  });

  it('refusals: the spring gap (400), a start in the past or beyond two years (422), no place and link on a reschedule (400; when planning: the office), unknown or foreign dossier and appointment (404)', async () => {
    const { dossierId } = await newDossier();
    const post = (payload: Record<string, unknown>, dossier = dossierId, token = office.tokens.adviser) =>
      platform.app.inject({ method: 'POST', url: `/dossiers/${dossier}/appointments`, headers: bearer(token), payload });
    expectProblem(await post({ start: { date: lastSunday(3, 0), time: '02:30', zone: 'Europe/Amsterdam' }, durationMinutes: 60, location: 'Kantoor' }), 400, 'nonexistent-local-time');
    expectProblem(await post({ start: { date: '2020-01-06', time: '10:00', zone: 'Europe/Amsterdam' }, durationMinutes: 60, location: 'Kantoor' }), 422, 'appointment-in-past');
    expectProblem(await post({ start: { date: '2200-12-31', time: '10:00', zone: 'Europe/Amsterdam' }, durationMinutes: 60, location: 'Kantoor' }), 422, 'appointment-too-far');
    // Neither a place nor a link: at the office.
    const atOffice = await post({ start: { date: lastSunday(3, 1), time: '10:00', zone: 'Europe/Amsterdam' }, durationMinutes: 60 });
    expect(atOffice.statusCode, atOffice.body).toBe(201);
    expect(atOffice.json()).toMatchObject({ location: expect.stringMatching(/^Op kantoor bij Afsprakenkantoor/), videoUrl: null });
    // Removing both on a reschedule is refused.
    expectProblem(
      await platform.app.inject({ method: 'POST', url: `/appointments/${atOffice.json().id}/reschedule`, headers: adviser(), payload: { start: { date: lastSunday(3, 2), time: '10:00', zone: 'Europe/Amsterdam' }, location: null } }),
      400,
    );
    expectProblem(await post({ start: { date: lastSunday(3, 1), time: '10:00', zone: 'Europe/London' }, durationMinutes: 60, location: 'Kantoor' }), 400);
    expectProblem(await post({ start: { date: lastSunday(3, 1), time: '10:00', zone: 'Europe/Amsterdam' }, durationMinutes: 60, location: 'Kantoor' }, dossierId, other.tokens.adviser), 404);
    expectProblem(await platform.app.inject({ method: 'GET', url: `/appointments/${randomUUID()}`, headers: adviser() }), 404);
    expect((await platform.app.inject({ method: 'GET', url: `/dossiers/${dossierId}/appointments`, headers: adviser() })).json().items).toHaveLength(1);
  });
});
