/**
 * Payloads of the appointment routes. Times go in as either a wall-clock time in
 * Europe/Amsterdam (`{ date, time, zone: 'Europe/Amsterdam' }`: what an adviser types) or an
 * exact instant with its offset (`{ instant }`: what another system sends); they come out as
 * both: the instant with the Amsterdam offset of that day, and the Amsterdam date and time.
 */
import { Type, type Static } from '@sinclair/typebox';
import { appointmentStatuses, MAX_APPOINTMENT_MINUTES } from '../../domain/appointments/appointment.js';
import { AMSTERDAM } from '../../domain/dates.js';
import { DateSchema, described, FreeText, IdSchema, InstantSchema, Nullable } from '../shared/schemas.js';

export const AppointmentStatusSchema = Type.Union(
  appointmentStatuses.map((s) => Type.Literal(s)),
  { description: 'planned | rescheduled (a new time was sent) | cancelled' },
);

const TimeOfDaySchema = Type.String({ pattern: '^(?:[01][0-9]|2[0-3]):[0-5][0-9]$', description: 'wall-clock time HH:MM (24 h)', examples: ['10:00'] });
const ZoneSchema = Type.Literal(AMSTERDAM, { description: 'the only zone: the office calendar (Europe/Amsterdam)' });

export const LocalTimeSchema = Type.Object(
  { date: DateSchema, time: TimeOfDaySchema, zone: ZoneSchema },
  {
    additionalProperties: false,
    description:
      'A wall-clock time in Europe/Amsterdam. A time in the spring DST gap (last Sunday of March 02:00-02:59) does not exist and is refused (400, ' +
      '`nonexistent-local-time`); a time in the autumn overlap (last Sunday of October 02:00-02:59) means its first occurrence (summer time, +02:00), ' +
      'as RFC 5545 reads a DTSTART with a TZID. Send `{ instant }` to mean the other one.',
  },
);
export const InstantTimeSchema = Type.Object({ instant: InstantSchema }, { additionalProperties: false, description: 'An exact instant with its offset.' });
export const AppointmentTimeSchema = Type.Union([LocalTimeSchema, InstantTimeSchema]);
export type AppointmentTime = Static<typeof AppointmentTimeSchema>;

const TitleSchema = Type.String({ minLength: 1, maxLength: 200, description: 'what the appointment is, e.g. Oriëntatiegesprek (default)' });
const DurationSchema = Type.Integer({ minimum: 5, maximum: MAX_APPOINTMENT_MINUTES, description: 'minutes' });
const LocationSchema = Type.String({ minLength: 1, maxLength: 300, description: 'the place (an office address, the client at home)' });
const VideoUrlSchema = Type.String({ minLength: 9, maxLength: 500, pattern: '^https://[^\\s]+$', description: 'a video-call link (https)' });

export const AppointmentCreateSchema = Type.Object(
  {
    title: Type.Optional(TitleSchema),
    start: AppointmentTimeSchema,
    durationMinutes: DurationSchema,
    location: Type.Optional(LocationSchema),
    videoUrl: Type.Optional(VideoUrlSchema),
    notes: Type.Optional(FreeText({ maxLength: 4000 })),
    productId: Type.Optional(IdSchema),
    adviserCredentialId: Type.Optional(Type.String({ ...IdSchema, description: 'the adviser (a credential of the office); default: the caller' })),
  },
  { additionalProperties: false, description: 'A place, a video link or both; neither: the place is the office ("Op kantoor bij <office>").' },
);
export type AppointmentCreate = Static<typeof AppointmentCreateSchema>;

export const AppointmentRescheduleSchema = Type.Object(
  {
    start: AppointmentTimeSchema,
    durationMinutes: Type.Optional(DurationSchema),
    location: Type.Optional(Nullable(LocationSchema)),
    videoUrl: Type.Optional(Nullable(VideoUrlSchema)),
  },
  { additionalProperties: false, description: 'The new time; the duration, place and link stay unless given (null removes one, not both).' },
);
export type AppointmentReschedule = Static<typeof AppointmentRescheduleSchema>;

const LocalOutSchema = Type.Object({ date: DateSchema, time: TimeOfDaySchema, zone: ZoneSchema });

export const AppointmentSchema = Type.Object({
  id: Type.String(),
  dossierId: Type.String(),
  productId: Nullable(Type.String()),
  title: Type.String(),
  startsAt: described(InstantSchema, 'the start, with the Amsterdam offset of that day'),
  endsAt: InstantSchema,
  start: LocalOutSchema,
  end: LocalOutSchema,
  durationMinutes: Type.Integer(),
  location: Nullable(Type.String()),
  videoUrl: Nullable(Type.String()),
  notes: Nullable(Type.String()),
  status: AppointmentStatusSchema,
  sequence: Type.Integer({ description: 'iCalendar SEQUENCE: raised by every reschedule and by the cancel' }),
  reminderAt: Nullable(InstantSchema),
  reminderSentAt: Nullable(InstantSchema),
  adviser: Type.Object({ credentialId: Type.String(), name: Nullable(Type.String()) }),
  workflowId: Type.String(),
  createdAt: InstantSchema,
  updatedAt: InstantSchema,
});
export type Appointment = Static<typeof AppointmentSchema>;

export const AppointmentListSchema = Type.Object({ items: Type.Array(AppointmentSchema) });

