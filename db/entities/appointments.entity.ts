import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { appointmentStatuses } from '../../domain/appointments/appointment.js';

/** An appointment (*afspraak*) with a client of a dossier; written by services/appointments/store.ts. */
export const Appointment = defineEntity({
  name: 'Appointment',
  tableName: 'appointments',
  properties: {
    id: p.uuid().primary(),
    officeId: p.uuid(),
    dossierId: p.uuid(),
    productId: p.uuid().nullable(),
    adviserCredentialId: p.uuid(),
    title: p.text(),
    startsAt: p.datetime(),
    endsAt: p.datetime(),
    location: p.text().nullable(),
    videoUrl: p.text().nullable(),
    notes: p.text().nullable(),
    status: p.enum([...appointmentStatuses]).default('planned'),
    /** iCalendar SEQUENCE: raised by every reschedule and by the cancel. */
    sequence: p.integer().default(0),
    reminderAt: p.datetime().nullable(),
    reminderSentAt: p.datetime().nullable(),
    workflowId: p.text().unique(),
    createdBy: p.uuid(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()),
  },
});
export type Appointment = InferEntity<typeof Appointment>;
