/**
 * The product workflow's side effects (ProductActivities): thin adapters over the services.
 * Every call is idempotent through a unique `key` (see the services' stores). Personal data is
 * loaded by the services from PostgreSQL and never returned to the workflow: results are ids
 * and counts. Refusals become activity failures in activities/failures.ts.
 */
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Mailer } from '../integrations/mail/transport.js';
import { setDossierStatus } from '../services/dossiers/status.js';
import { sendPortalActivation } from '../services/portal/activation.js';
import { recordTransition } from '../services/products/history.js';
import { createChecklist } from '../services/work/checklists.js';
import { registerContactMoment } from '../services/work/contact-moments.js';
import { generateDocument } from '../services/work/documents.js';
import { sendTemplatedMail } from '../services/work/mails.js';
import { createTask } from '../services/work/tasks.js';
import { withFailureTypes } from './failures.js';
import type { ProductActivities } from './products.contract.js';

export interface ActivityDeps {
  orm: MikroORM;
  mailer: Mailer;
  settings: { publicUrl: string; mailFrom: string };
  /** Clock, for tests. */
  now?: () => Date;
}

export function createProductActivities(deps: ActivityDeps): ProductActivities {
  const now = deps.now ?? (() => new Date());
  const fork = (): EntityManager => deps.orm.em.fork();
  const mail = { mailer: deps.mailer, mailFrom: deps.settings.mailFrom, now };
  return withFailureTypes({
    recordTransition: (input) => recordTransition(fork(), input),
    sendTemplatedMail: (input) => sendTemplatedMail(fork(), mail, input),
    sendPortalActivation: (input) => sendPortalActivation(fork(), { ...mail, publicUrl: deps.settings.publicUrl }, input),
    createTask: (input) => createTask(fork(), input, now()),
    generateDocument: (input) => generateDocument(fork(), input, now()),
    setDossierStatus: (input) => setDossierStatus(fork(), input, now()),
    createChecklist: (input) => createChecklist(fork(), input, now()),
    registerContactMoment: (input) => registerContactMoment(fork(), input, now()),
  });
}
