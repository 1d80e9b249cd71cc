/**
 * The appointment workflow's side effects (AppointmentActivities): one line into
 * services/appointments/mails.ts. The mail goes through the outbox on the workflow's key.
 */
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Mailer } from '../integrations/mail/transport.js';
import { sendAppointmentMail } from '../services/appointments/mails.js';
import type { AppointmentActivities } from './appointments.contract.js';
import { sharedFailureTypes, withFailureTypes } from './failures.js';

export interface AppointmentActivitiesDeps {
  orm: MikroORM;
  mailer: Mailer;
  mailFrom: string;
  now?: () => Date;
}

export function createAppointmentActivities(deps: AppointmentActivitiesDeps): AppointmentActivities {
  const fork = (): EntityManager => deps.orm.em.fork();
  const now = deps.now ?? (() => new Date());
  return withFailureTypes(
    {
      sendAppointmentMail: (input) => sendAppointmentMail(fork(), { mailer: deps.mailer, mailFrom: deps.mailFrom }, input, now),
    },
    sharedFailureTypes,
  );
}
