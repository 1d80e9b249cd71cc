/**
 * The iCalendar file (RFC 5545, built with ical-generator) of an appointment: METHOD:REQUEST for
 * the invitation and every change (same UID, the row's SEQUENCE), METHOD:CANCEL with
 * STATUS:CANCELLED for the cancel, so a calendar updates or removes the one event it has.
 *
 * Times are written as Europe/Amsterdam wall time with a TZID and a VTIMEZONE block. ical-generator
 * formats a plain Date with a TZID by its UTC fields (08:00Z would read as 08:00 Amsterdam): it
 * is given luxon DateTimes in the Amsterdam zone instead, which it formats by their local fields.
 */
import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { DateTime } from 'luxon';
import { AMSTERDAM } from '../../domain/dates.js';

export interface CalendarEvent {
  uid: string;
  sequence: number;
  method: 'REQUEST' | 'CANCEL';
  title: string;
  startsAt: Date;
  endsAt: Date;
  /** The place and/or the video link as the event's LOCATION; the link also as URL. */
  location: string | null;
  videoUrl: string | null;
  description: string;
  organizer: { name: string; email: string };
  attendee: { name: string; email: string };
  /** DTSTAMP: when this version of the event was made (the row's updated_at), so a resent mail is the same file. */
  stampedAt: Date;
}

export function appointmentIcs(e: CalendarEvent): string {
  const cal = ical({
    prodId: { company: 'dossierflow', product: 'afspraken', language: 'NL' },
    method: e.method === 'CANCEL' ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST,
    timezone: { name: AMSTERDAM, generator: getVtimezoneComponent },
  });
  const local = (d: Date): DateTime => DateTime.fromJSDate(d, { zone: AMSTERDAM });
  const where = [e.location, e.videoUrl].filter((s): s is string => !!s).join(' / ');
  cal.createEvent({
    id: e.uid,
    sequence: e.sequence,
    start: local(e.startsAt),
    end: local(e.endsAt),
    timezone: AMSTERDAM,
    summary: e.title,
    description: e.description,
    ...(where ? { location: where } : {}),
    ...(e.videoUrl ? { url: e.videoUrl } : {}),
    organizer: { name: e.organizer.name, email: e.organizer.email },
    attendees: [{ name: e.attendee.name, email: e.attendee.email, rsvp: false }],
    ...(e.method === 'CANCEL' ? { status: ICalEventStatus.CANCELLED } : { status: ICalEventStatus.CONFIRMED }),
  });
  // ical-generator writes DTSTAMP in the calendar's zone without a TZID (a floating time); RFC
  // 5545 3.8.7.2 wants it in UTC: written here as such.
  const stamp = DateTime.fromJSDate(e.stampedAt, { zone: 'utc' }).toFormat("yyyyMMdd'T'HHmmss'Z'");
  return cal.toString().replace(/^DTSTAMP:[^\r\n]*$/m, `DTSTAMP:${stamp}`);
}
