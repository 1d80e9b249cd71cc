import { describe, expect, it } from 'vitest';
import { appointmentIcs, type CalendarEvent } from './calendar.js';

const base: CalendarEvent = {
  uid: 'appointment-1@kantoor.nl',
  sequence: 0,
  method: 'REQUEST',
  title: 'Oriëntatiegesprek',
  startsAt: new Date('2026-07-01T08:00:00Z'),
  endsAt: new Date('2026-07-01T09:00:00Z'),
  location: 'Kantoor',
  videoUrl: null,
  description: 'Tot dan',
  organizer: { name: 'Kantoor', email: 'noreply@kantoor.nl' },
  attendee: { name: 'Anna Jansen', email: 'anna@example.nl' },
  stampedAt: new Date('2026-06-01T12:34:56Z'),
};

describe('appointmentIcs: Amsterdam wall time with a TZID on both sides of DST', () => {
  it.each([
    // start (UTC), end (UTC), DTSTART, DTEND
    ['2026-07-01T08:00:00Z', '2026-07-01T09:00:00Z', '20260701T100000', '20260701T110000'],
    ['2026-01-15T09:00:00Z', '2026-01-15T10:30:00Z', '20260115T100000', '20260115T113000'],
    ['2026-03-28T09:00:00Z', '2026-03-28T10:00:00Z', '20260328T100000', '20260328T110000'],
    ['2026-03-29T08:00:00Z', '2026-03-29T09:00:00Z', '20260329T100000', '20260329T110000'],
    ['2026-10-24T08:00:00Z', '2026-10-24T09:00:00Z', '20261024T100000', '20261024T110000'],
    ['2026-10-25T09:00:00Z', '2026-10-25T10:00:00Z', '20261025T100000', '20261025T110000'],
    // Spanning the autumn change: 01:30 CEST to 02:30 CET is two hours.
    ['2026-10-24T23:30:00Z', '2026-10-25T01:30:00Z', '20261025T013000', '20261025T023000'],
  ])('%s -> DTSTART %s', (start, end, dtstart, dtend) => {
    const ics = appointmentIcs({ ...base, startsAt: new Date(start), endsAt: new Date(end) });
    expect(ics).toContain(`DTSTART;TZID=Europe/Amsterdam:${dtstart}`);
    expect(ics).toContain(`DTEND;TZID=Europe/Amsterdam:${dtend}`);
    expect(ics).toContain('BEGIN:VTIMEZONE');
    expect(ics).toContain('DTSTAMP:20260601T123456Z');
  });

  it('a cancel: METHOD:CANCEL, STATUS:CANCELLED, the same UID with its SEQUENCE', () => {
    const ics = appointmentIcs({ ...base, method: 'CANCEL', sequence: 3 });
    expect(ics).toContain('METHOD:CANCEL');
    expect(ics).toContain('STATUS:CANCELLED');
    expect(ics).toContain('UID:appointment-1@kantoor.nl');
    expect(ics).toContain('SEQUENCE:3');
  });
});
