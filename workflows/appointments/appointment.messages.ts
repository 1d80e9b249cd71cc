/**
 * Messages of the appointment workflow (`appointment:<appointmentId>`). Only the id, the
 * iCalendar SEQUENCE and instants travel here (non-personal facts); the client, the place and
 * the adviser stay in PostgreSQL.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';

export interface AppointmentWorkflowInput {
  appointmentId: string;
  /** The SEQUENCE of the iCalendar event as planned (0). */
  sequence: number;
  /** ISO instants. */
  startsAt: string;
  /** The reminder moment (domain/appointments reminderInstant), or null: no reminder. */
  reminderAt: string | null;
}

export interface RescheduleAppointmentRequest {
  /** The new SEQUENCE (higher than the current one): the row in PostgreSQL carries it. */
  sequence: number;
  startsAt: string;
  reminderAt: string | null;
}

export interface CancelAppointmentRequest {
  sequence: number;
}

export type AppointmentWorkflowStatus = 'planned' | 'rescheduled' | 'cancelled' | 'started';

export interface AppointmentWorkflowState {
  appointmentId: string;
  status: AppointmentWorkflowStatus;
  sequence: number;
  startsAt: string;
  reminderAt: string | null;
  /** The keys of the mails sent so far, in order. */
  mailsSent: string[];
  reminderSent: boolean;
}

/** A new time: a "gewijzigd" mail with the same UID and the higher SEQUENCE; the reminder timer moves. */
export const rescheduleAppointmentUpdate = defineUpdate<AppointmentWorkflowState, [RescheduleAppointmentRequest]>('rescheduleAppointment');
/** Cancelled for good: a cancel mail (METHOD:CANCEL), no reminder. */
export const cancelAppointmentUpdate = defineUpdate<AppointmentWorkflowState, [CancelAppointmentRequest]>('cancelAppointment');
export const appointmentStateQuery = defineQuery<AppointmentWorkflowState>('appointmentState');
