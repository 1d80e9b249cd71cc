/** The activities registered on the worker: all I/O of the workflows, each idempotent. */
import type { MikroORM } from '@mikro-orm/postgresql';
import type { HdnGateway } from '../integrations/hdn/gateway.js';
import type { Mailer } from '../integrations/mail/transport.js';
import type { BillingActivities } from './billing.contract.js';
import { createBillingActivities } from './billing.activities.js';
import type { HdnActivities } from './hdn.contract.js';
import { createHdnActivities } from './hdn.activities.js';
import type { ProductActivities } from './product.contract.js';
import { createProductActivities } from './product.activities.js';

export interface ActivitiesDeps {
  orm: MikroORM;
  mailer: Mailer;
  settings: { publicUrl: string; mailFrom: string };
  /** HDN: our node number and the gateway (undefined: sending an application fails with a clear reason). */
  hdn?: { node: string; gateway: HdnGateway | undefined };
  /** Clock, for tests. */
  now?: () => Date;
}

export type Activities = ProductActivities & HdnActivities & BillingActivities;

export function createActivities(deps: ActivitiesDeps): Activities {
  const hdn = deps.hdn ?? { node: 'DFL001', gateway: undefined };
  return {
    ...createProductActivities(deps),
    ...createHdnActivities({ orm: deps.orm, gateway: hdn.gateway, node: hdn.node, ...(deps.now ? { now: deps.now } : {}) }),
    ...createBillingActivities({ orm: deps.orm, mailer: deps.mailer, settings: { mailFrom: deps.settings.mailFrom }, ...(deps.now ? { now: deps.now } : {}) }),
  };
}

export type { ProductActivities } from './product.contract.js';
