/** The activities registered on the worker: all I/O of the workflows, each idempotent. */
import type { MikroORM } from '@mikro-orm/postgresql';
import type { HdnGateway } from '../integrations/hdn/gateway.js';
import type { Mailer } from '../integrations/mail/transport.js';
import type { BillingActivities, InvoiceRunActivities } from './billing.contract.js';
import { createBillingActivities, createInvoiceRunActivities } from './billing.activities.js';
import type { HdnActivities } from './hdn.contract.js';
import { createHdnActivities } from './hdn.activities.js';
import type { ProductActivities } from './products.contract.js';
import { createProductActivities } from './products.activities.js';
import type { OcktoActivities } from './ockto.contract.js';
import { createOcktoActivities } from './ockto.activities.js';
import { defaultOcktoPolicy, type OcktoConfig } from '../integrations/ockto/config.js';
import type { InsuranceActivities, RiskPollActivities } from './insurance.contract.js';
import { createInsuranceActivities } from './insurance.activities.js';
import type { RiskClient } from '../integrations/risk/client.js';
import type { RiskAfdMapping } from '../integrations/risk/afd-mapping.js';
import type { TemporalDeps } from '../integrations/temporal/connection.js';
import { createPdfPool, type PdfPool } from '../integrations/pdf/pool.js';
import type { CampaignActivities } from './campaigns.contract.js';
import { createCampaignActivities } from './campaigns.activities.js';
import type { AppointmentActivities } from './appointments.contract.js';
import { createAppointmentActivities } from './appointments.activities.js';
import type { PayoutActivities } from './ledger.contract.js';
import { createPayoutActivities } from './ledger.activities.js';
import type { MailDeliveryActivities } from './work.contract.js';
import { createMailDeliveryActivities } from './work.activities.js';
import type { XsdFolderValidator } from '../integrations/xml/index.js';
import type { MailboxActivities } from './mailbox.contract.js';
import { createMailboxActivities, type MailboxActivitiesDeps } from './mailbox.activities.js';

export interface ActivitiesDeps {
  orm: MikroORM;
  mailer: Mailer;
  settings: { publicUrl: string; mailFrom: string };
  /** HDN: our node number and the gateway (undefined: sending an application fails with a clear reason). */
  hdn?: { node: string; gateway: HdnGateway | undefined; xsd?: XsdFolderValidator };
  /** Ockto: the client and the default timings (integrations/ockto ocktoConfigFromSettings; absent: no Ockto connection, default timings). */
  ockto?: OcktoConfig;
  /** RISK: the client quote requests and polling go to (integrations/risk riskClientFromSettings; absent or undefined: they fail with a reason). */
  risk?: { client: RiskClient | undefined; mapping?: RiskAfdMapping; xsd?: XsdFolderValidator };
  /** Temporal, for activities that deliver to other workflows (the RISK poll routes polled messages with signal-with-start). */
  temporal?: TemporalDeps;
  /** The PDF threads of bulk rendering (the invoice run); absent: documents render on the activity's thread. */
  pdf?: PdfPool;
  /** Inbound mail: the offices' IMAP mailboxes (settings IMAP_MAILBOXES; absent: a poll fails as not configured). */
  mailbox?: Omit<MailboxActivitiesDeps, 'orm'>;
  /** Clock, for tests. */
  now?: () => Date;
}

export type Activities = ProductActivities & HdnActivities & BillingActivities & InvoiceRunActivities & OcktoActivities & InsuranceActivities & RiskPollActivities & CampaignActivities & AppointmentActivities & PayoutActivities & MailDeliveryActivities & MailboxActivities;

export function createActivities(deps: ActivitiesDeps): Activities {
  const hdn = deps.hdn ?? { node: 'DFL001', gateway: undefined };
  return {
    ...createProductActivities(deps),
    ...createHdnActivities({ orm: deps.orm, gateway: hdn.gateway, node: hdn.node, ...(deps.now ? { now: deps.now } : {}), ...(hdn.xsd ? { xsd: hdn.xsd } : {}) }),
    ...createBillingActivities({ orm: deps.orm, mailer: deps.mailer, settings: { mailFrom: deps.settings.mailFrom }, ...(deps.now ? { now: deps.now } : {}) }),
    ...createInvoiceRunActivities({
      orm: deps.orm,
      mailer: deps.mailer,
      settings: { mailFrom: deps.settings.mailFrom },
      pdf: deps.pdf ?? createPdfPool({ threads: 0 }),
      temporal: deps.temporal,
      ...(deps.now ? { now: deps.now } : {}),
    }),
    ...createOcktoActivities({ orm: deps.orm, mailer: deps.mailer, mailFrom: deps.settings.mailFrom, ockto: deps.ockto ?? { client: undefined, defaults: defaultOcktoPolicy }, ...(deps.now ? { now: deps.now } : {}) }),
    ...createInsuranceActivities({
      orm: deps.orm,
      client: deps.risk?.client,
      temporal: deps.temporal,
      ...(deps.risk?.mapping ? { mapping: deps.risk.mapping } : {}),
      ...(deps.risk?.xsd ? { xsd: deps.risk.xsd } : {}),
    }),
    ...createCampaignActivities({ orm: deps.orm, mailer: deps.mailer, mailFrom: deps.settings.mailFrom, ...(deps.now ? { now: deps.now } : {}) }),
    ...createPayoutActivities({ orm: deps.orm }),
    ...createAppointmentActivities({ orm: deps.orm, mailer: deps.mailer, mailFrom: deps.settings.mailFrom, ...(deps.now ? { now: deps.now } : {}) }),
    ...createMailDeliveryActivities({ orm: deps.orm, mailer: deps.mailer, mailFrom: deps.settings.mailFrom }),
    ...createMailboxActivities({ orm: deps.orm, accounts: deps.mailbox?.accounts ?? new Map(), ...(deps.mailbox?.afterStore ? { afterStore: deps.mailbox.afterStore } : {}) }),
  };
}

export type { ProductActivities } from './products.contract.js';
