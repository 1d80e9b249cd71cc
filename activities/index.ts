/** The activities registered on the worker: all I/O of the workflows, each idempotent. */
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Mailer } from '../integrations/mail/transport.js';
import type { ProductActivities } from './product.contract.js';
import { createProductActivities } from './product.activities.js';

export interface ActivitiesDeps {
  orm: MikroORM;
  mailer: Mailer;
  settings: { publicUrl: string; mailFrom: string };
  /** Clock, for tests. */
  now?: () => Date;
}

export type Activities = ProductActivities;

export function createActivities(deps: ActivitiesDeps): Activities {
  return { ...createProductActivities(deps) };
}

export type { ProductActivities } from './product.contract.js';
