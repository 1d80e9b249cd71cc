/**
 * Appointments (*afspraken*, e.g. the *oriëntatiegesprek* of a mortgage case): the closed lists
 * and the pure time rules, shared by the API, the service and the workflow.
 *
 * Every appointment time is a wall-clock time in Europe/Amsterdam (the office's calendar), stored
 * as an instant. The rules here are the one place where local times become instants and back, so
 * the .ics, the mail text and the reminder timer agree on both sides of a DST change.
 */
import { DateTime } from 'luxon';
import { AMSTERDAM } from '../dates.js';

/**
 * Status of an appointment. `planned` after planning, `rescheduled` after a new time (*verzet*),
 * `cancelled` for good (*geannuleerd*). Whether it took place is not tracked here: the contact
 * log records the conversation.
 */
export const appointmentStatuses = ['planned', 'rescheduled', 'cancelled'] as const;
export type AppointmentStatus = (typeof appointmentStatuses)[number];

/** The mails an appointment sends; each has a template `appointment-<kind>`. */
export const appointmentMailKinds = ['confirmation', 'rescheduled', 'cancelled', 'reminder'] as const;
export type AppointmentMailKind = (typeof appointmentMailKinds)[number];

/** Wall-clock hour of the reminder on the day before (09:00 Europe/Amsterdam, see reminderInstant). */
export const REMINDER_LOCAL_HOUR = 9;
/**
 * How far ahead an appointment may be planned (two years): an office plans weeks ahead; a date
 * centuries away is a typing error, and would hold a workflow timer for as long.
 */
export const MAX_PLANNING_DAYS = 731;
/** The longest appointment we accept (a working day). */
export const MAX_APPOINTMENT_MINUTES = 8 * 60;

/** Why a local time cannot be turned into an instant. */
export type LocalTimeProblem = 'invalid' | 'nonexistent';

export type LocalInstant = { ok: true; instant: Date; ambiguous: boolean } | { ok: false; problem: LocalTimeProblem };

/**
 * The instant of a wall-clock time (date 'YYYY-MM-DD', time 'HH:MM') in Europe/Amsterdam.
 *
 * - A time in the spring gap (last Sunday of March, 02:00-02:59) does not exist: refused
 *   (`nonexistent`), never silently moved an hour (luxon would move it to 03:xx).
 * - A time in the autumn overlap (last Sunday of October, 02:00-02:59) happens twice: it means
 *   the first occurrence (still summer time, +02:00), as RFC 5545 3.3.5 prescribes for a
 *   DTSTART with a TZID: the calendar that reads our .ics then shows the same hour we mean.
 *   `ambiguous` says so; a caller who means the second one sends an instant with its offset.
 */
export function localToInstant(date: string, time: string, zone: string = AMSTERDAM): LocalInstant {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^(\d{2}):(\d{2})$/.exec(time);
  if (!d || !t) return { ok: false, problem: 'invalid' };
  const wall = { year: Number(d[1]), month: Number(d[2]), day: Number(d[3]), hour: Number(t[1]), minute: Number(t[2]) };
  const local = DateTime.fromObject(wall, { zone });
  if (!local.isValid || local.day !== wall.day || local.month !== wall.month) return { ok: false, problem: 'invalid' };
  if (local.hour !== wall.hour || local.minute !== wall.minute) return { ok: false, problem: 'nonexistent' };
  // Every instant that shows this wall time: one, or two in the overlap. The earliest wins.
  const candidates = [local.minus({ hours: 1 }), local, local.plus({ hours: 1 })].filter(
    (c) => c.setZone(zone).hour === wall.hour && c.setZone(zone).minute === wall.minute && c.setZone(zone).day === wall.day,
  );
  const first = candidates.reduce((a, b) => (b.toMillis() < a.toMillis() ? b : a));
  return { ok: true, instant: first.toJSDate(), ambiguous: candidates.length > 1 };
}

/** The wall-clock date and time of an instant in Europe/Amsterdam ('YYYY-MM-DD', 'HH:MM') and its offset ('+01:00' / '+02:00'). */
export function instantToLocal(at: Date, zone: string = AMSTERDAM): { date: string; time: string; offset: string } {
  const dt = DateTime.fromJSDate(at, { zone });
  return { date: dt.toFormat('yyyy-MM-dd'), time: dt.toFormat('HH:mm'), offset: dt.toFormat('ZZ') };
}

/**
 * When the reminder goes: on the calendar day before the appointment at 09:00 Europe/Amsterdam
 * (what an office sends, and what a client expects to read in the morning), not 24 hours before:
 * across a DST change those differ by an hour, and 24 hours before a 08:30 appointment would be
 * 08:30 the day before. Null when that moment is not after `now` (planned the day before or on
 * the day itself: the confirmation has just gone out, a reminder would only repeat it).
 */
export function reminderInstant(startsAt: Date, now: Date, zone: string = AMSTERDAM): Date | null {
  const dayBefore = DateTime.fromJSDate(startsAt, { zone }).startOf('day').minus({ days: 1 }).set({ hour: REMINDER_LOCAL_HOUR, minute: 0, second: 0, millisecond: 0 });
  const at = dayBefore.toJSDate();
  return at.getTime() > now.getTime() ? at : null;
}

/** Dutch text of an instant's wall time for mails: "maandag 30 maart 2026 om 10:00". */
export function formatDutch(at: Date, zone: string = AMSTERDAM): { date: string; time: string; dateTime: string } {
  const dt = DateTime.fromJSDate(at, { zone }).setLocale('nl');
  const date = dt.toFormat('cccc d LLLL yyyy');
  const time = dt.toFormat('HH:mm');
  return { date, time, dateTime: `${date} om ${time}` };
}
