import { describe, expect, it } from 'vitest';
import { formatDutch, instantToLocal, localToInstant, reminderInstant } from './appointment.js';

describe('localToInstant (Europe/Amsterdam)', () => {
  it.each([
    // date, time, instant (UTC), ambiguous: winter +01:00, summer +02:00, both DST changes of 2026 and 2027
    ['2026-01-15', '10:00', '2026-01-15T09:00:00.000Z', false],
    ['2026-07-01', '10:00', '2026-07-01T08:00:00.000Z', false],
    ['2026-03-28', '10:00', '2026-03-28T09:00:00.000Z', false], // Saturday before the spring change: CET
    ['2026-03-29', '01:59', '2026-03-29T00:59:00.000Z', false], // just before the gap
    ['2026-03-29', '03:00', '2026-03-29T01:00:00.000Z', false], // just after the gap: CEST
    ['2026-03-29', '10:00', '2026-03-29T08:00:00.000Z', false],
    ['2026-10-24', '10:00', '2026-10-24T08:00:00.000Z', false], // Saturday before the autumn change: CEST
    ['2026-10-25', '10:00', '2026-10-25T09:00:00.000Z', false], // CET again
    ['2026-10-25', '02:30', '2026-10-25T00:30:00.000Z', true], // twice: the first (CEST) occurrence
    ['2026-10-25', '01:59', '2026-10-24T23:59:00.000Z', false],
    ['2026-10-25', '03:00', '2026-10-25T02:00:00.000Z', false],
    ['2027-03-28', '09:30', '2027-03-28T07:30:00.000Z', false],
    ['2027-10-31', '02:00', '2027-10-31T00:00:00.000Z', true],
  ])('%s %s -> %s', (date, time, iso, ambiguous) => {
    const r = localToInstant(date, time);
    expect(r).toEqual({ ok: true, instant: new Date(iso), ambiguous });
    if (r.ok) expect(instantToLocal(r.instant)).toMatchObject({ date, time });
  });

  it.each([
    ['2026-03-29', '02:00', 'nonexistent'],
    ['2026-03-29', '02:30', 'nonexistent'],
    ['2026-03-29', '02:59', 'nonexistent'],
    ['2027-03-28', '02:15', 'nonexistent'],
    ['2026-02-30', '10:00', 'invalid'],
    ['2026-01-15', '24:00', 'invalid'],
    ['2026-01-15', '10:60', 'invalid'],
    ['2026-1-15', '10:00', 'invalid'],
    ['2026-01-15', '9:00', 'invalid'],
  ])('%s %s is refused: %s', (date, time, problem) => {
    expect(localToInstant(date, time)).toEqual({ ok: false, problem });
  });
});

describe('reminderInstant: the day before at 09:00 Amsterdam', () => {
  const longBefore = new Date('2026-01-01T00:00:00Z');
  it.each([
    // appointment start (UTC), reminder (UTC), why
    ['2026-07-01T08:00:00Z', '2026-06-30T07:00:00Z', 'summer: 09:00 CEST'],
    ['2026-01-15T09:00:00Z', '2026-01-14T08:00:00Z', 'winter: 09:00 CET'],
    ['2026-03-30T08:00:00Z', '2026-03-29T07:00:00Z', 'Monday after the spring change: reminder on the change day, 09:00 CEST'],
    ['2026-03-29T08:00:00Z', '2026-03-28T08:00:00Z', 'on the spring change day: reminder Saturday 09:00 CET (23 h before, not 24)'],
    ['2026-10-25T09:00:00Z', '2026-10-24T07:00:00Z', 'on the autumn change day: reminder Saturday 09:00 CEST (26 h before)'],
    ['2026-10-26T09:00:00Z', '2026-10-25T08:00:00Z', 'Monday after the autumn change: reminder Sunday 09:00 CET'],
    ['2026-07-01T06:30:00Z', '2026-06-30T07:00:00Z', 'an 08:30 appointment: still 09:00 the day before (more than 24 h ahead)'],
    ['2026-06-30T22:30:00Z', '2026-06-30T07:00:00Z', '00:30 on 1 July: the day before is 30 June'],
  ])('%s -> %s (%s)', (start, reminder) => {
    expect(reminderInstant(new Date(start), longBefore)?.toISOString()).toBe(new Date(reminder).toISOString());
  });

  it.each([
    ['2026-07-01T08:00:00Z', '2026-06-30T07:00:00Z', 'planned at the reminder moment itself'],
    ['2026-07-01T08:00:00Z', '2026-06-30T12:00:00Z', 'planned the afternoon before'],
    ['2026-07-01T08:00:00Z', '2026-07-01T06:00:00Z', 'planned on the day'],
  ])('no reminder for %s planned at %s (%s)', (start, now) => {
    expect(reminderInstant(new Date(start), new Date(now))).toBeNull();
  });
});

describe('formatDutch', () => {
  it.each([
    ['2026-03-30T08:00:00Z', 'maandag 30 maart 2026 om 10:00'],
    ['2026-03-28T09:00:00Z', 'zaterdag 28 maart 2026 om 10:00'],
    ['2026-10-25T09:00:00Z', 'zondag 25 oktober 2026 om 10:00'],
    ['2026-10-24T08:00:00Z', 'zaterdag 24 oktober 2026 om 10:00'],
  ])('%s -> %s', (iso, text) => {
    expect(formatDutch(new Date(iso)).dateTime).toBe(text);
  });
});
