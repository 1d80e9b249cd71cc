/**
 * What the appointment workflow asks of the outside world (the appointment activities). Only
 * the appointment id, the SEQUENCE of the iCalendar event and the mail's idempotency key cross
 * here: who the client is, where they meet and with whom stay in PostgreSQL and are read when
 * the mail is rendered.
 */
import type { AppointmentMailKind } from './appointment.js';

export interface SendAppointmentMailInput {
  appointmentId: string;
  kind: AppointmentMailKind;
  /**
   * The appointment's SEQUENCE the mail is about: the activity waits (fails retryably) until the
   * row has reached it, so a mail never shows the times from before the change it announces.
   */
  sequence: number;
  /** Outbox key made in the workflow; one mail per key and recipient. */
  key: string;
}

export interface SendAppointmentMailResult {
  /** Outbox rows sent (one per applicant with an e-mail address). */
  mailIds: string[];
  /** Why nothing was sent (no applicant with an e-mail address), else absent. */
  note?: string;
}

export interface AppointmentActivities {
  /** Renders the mail (with the .ics for confirmation, rescheduled and cancelled) from PostgreSQL and sends it through the outbox. */
  sendAppointmentMail(input: SendAppointmentMailInput): Promise<SendAppointmentMailResult>;
}
