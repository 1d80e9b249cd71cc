/** The outbox mail workflow's side effect (MailDeliveryActivities): one line into services/work/mail-outbox.ts. */
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Mailer } from '../integrations/mail/transport.js';
import { deliverMail } from '../services/work/mail-outbox.js';
import type { MailDeliveryActivities } from './work.contract.js';
import { sharedFailureTypes, withFailureTypes } from './failures.js';

export interface MailDeliveryActivitiesDeps {
  orm: MikroORM;
  mailer: Mailer;
  mailFrom: string;
}

export function createMailDeliveryActivities(deps: MailDeliveryActivitiesDeps): MailDeliveryActivities {
  const fork = (): EntityManager => deps.orm.em.fork();
  return withFailureTypes(
    {
      deliverOutboxMail: (input) => deliverMail(fork(), deps.mailer, input.mailId, deps.mailFrom),
    },
    sharedFailureTypes,
  );
}
