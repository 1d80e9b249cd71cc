/**
 * The appointment workflow's activity contract: the interface and its data types are defined in
 * domain/appointments/side-effects.ts. A mail failure keeps the outbox's type (MailRejected /
 * MailUnavailable).
 */
export type { AppointmentActivities, SendAppointmentMailInput, SendAppointmentMailResult } from '../domain/appointments/side-effects.js';
