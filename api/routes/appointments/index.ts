/**
 * Appointments (*afspraken*, issue 18): plan one with a dossier (confirmation mail with an .ics,
 * a reminder the day before at 09:00 Amsterdam, both by the workflow appointment:<id>), list and
 * read them, reschedule (a "gewijzigd" mail, same calendar event) and cancel (a cancel mail).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { principalOf } from '../../plugins/auth.js';
import { cancelAppointment, getAppointment, listAppointments, planAppointment, rescheduleAppointment } from '../../../services/appointments/appointments.js';
import { AppointmentCreateSchema, AppointmentListSchema, AppointmentRescheduleSchema, AppointmentSchema } from '../../../services/appointments/schemas.js';
import { IdParamsSchema, problemResponses } from '../../../services/shared/schemas.js';

const roles = ['adviser'] as const;
const tags = ['appointments'];
const timesNote =
  'Times: `{ date, time, zone: "Europe/Amsterdam" }` (wall-clock time; a time in the spring DST gap is refused with 400 ' +
  '`nonexistent-local-time`, one in the autumn overlap means the first, summer-time occurrence) or `{ instant }` with an offset.';

const appointmentsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/dossiers/:id/appointments',
    {
      config: { roles },
      schema: {
        tags,
        summary: 'Plan an appointment: the applicants get a confirmation with an .ics, and a reminder the day before at 09:00 (Europe/Amsterdam)',
        description: `${timesNote} The start lies in the future and at most two years ahead (422 otherwise).`,
        security: [{ bearer: [] }],
        params: IdParamsSchema,
        body: AppointmentCreateSchema,
        response: { 201: AppointmentSchema, ...problemResponses(400, 401, 403, 404, 422, 503) },
      },
    },
    async (request, reply) => {
      const appointment = await planAppointment(app.deps.orm.em.fork(), app.deps.temporal, principalOf(request), request.params.id, request.body, new Date());
      return reply.code(201).header('location', `/appointments/${appointment.id}`).send(appointment);
    },
  );

  app.get(
    '/dossiers/:id/appointments',
    {
      config: { roles },
      schema: {
        tags,
        summary: "The dossier's appointments, soonest first (cancelled ones too, with their status)",
        security: [{ bearer: [] }],
        params: IdParamsSchema,
        response: { 200: AppointmentListSchema, ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => listAppointments(app.deps.orm.em.fork(), principalOf(request).officeId, request.params.id),
  );

  app.get(
    '/appointments/:id',
    {
      config: { roles },
      schema: {
        tags,
        summary: 'An appointment',
        security: [{ bearer: [] }],
        params: IdParamsSchema,
        response: { 200: AppointmentSchema, ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => getAppointment(app.deps.orm.em.fork(), principalOf(request).officeId, request.params.id),
  );

  app.post(
    '/appointments/:id/reschedule',
    {
      config: { roles },
      schema: {
        tags,
        summary: 'Move an appointment: a "gewijzigd" mail with the same calendar event (higher SEQUENCE); the reminder moves along',
        description: `${timesNote} Refused (409) once it is cancelled or has started.`,
        security: [{ bearer: [] }],
        params: IdParamsSchema,
        body: AppointmentRescheduleSchema,
        response: { 200: AppointmentSchema, ...problemResponses(400, 401, 403, 404, 409, 422, 503) },
      },
    },
    async (request) => rescheduleAppointment(app.deps.orm.em.fork(), app.deps.temporal, principalOf(request).officeId, request.params.id, request.body, new Date()),
  );

  app.post(
    '/appointments/:id/cancel',
    {
      config: { roles },
      schema: {
        tags,
        summary: 'Cancel an appointment: a cancel mail (METHOD:CANCEL removes it from the calendar), no reminder',
        description: 'Refused (409) once it is cancelled or has started.',
        security: [{ bearer: [] }],
        params: IdParamsSchema,
        response: { 200: AppointmentSchema, ...problemResponses(401, 403, 404, 409, 503) },
      },
    },
    async (request) => cancelAppointment(app.deps.orm.em.fork(), app.deps.temporal, principalOf(request).officeId, request.params.id, new Date()),
  );
};

export default appointmentsRoutes;
