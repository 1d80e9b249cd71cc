/**
 * The product workflow's HDN side effects (HdnActivities): thin adapters over services/hdn.
 * Sending to the lender (services/hdn/send-to-lender.ts) is idempotent on the HDN key; the
 * outcome of lender messages (services/hdn/lender-messages.ts) and the lender's checklist
 * (services/hdn/lender-checklist.ts) on the message id and (product, line id). Refusals become
 * the activity failure types the workflow knows (activities/hdn.contract.ts).
 */
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { HdnGateway } from '../integrations/hdn/gateway.js';
import { applyDocumentRequest } from '../services/hdn/lender-checklist.js';
import { markLenderMessage, recordLenderMessages } from '../services/hdn/lender-messages.js';
import { HdnRefusal } from '../services/hdn/refusals.js';
import { sendApplicationToLender, sendDocumentToLender, type LenderGatewayDeps } from '../services/hdn/send-to-lender.js';
import { withFailureTypes, type FailureTypes } from './failures.js';
import { HdnActivityFailure, type HdnActivities } from './hdn.contract.js';
import type { XsdFolderValidator } from '../integrations/xml/index.js';

export interface HdnActivitiesDeps {
  orm: MikroORM;
  /** The HDN gateway, or undefined when none is configured (sending then fails non-retryably). */
  gateway: HdnGateway | undefined;
  /** Our own HDN node number (*VerzenderNrHDN* of what we send). */
  node: string;
  now?: () => Date;
  /** The office's HDN XSDs (XSD_DIR_HDN); absent = what we send is not checked against an XSD. */
  xsd?: XsdFolderValidator;
}

/** The HDN refusals as the failure types of activities/hdn.contract.ts (the rest as for every activity: sharedFailureTypes). */
export const hdnFailureTypes: FailureTypes = {
  bySlug: {
    [HdnRefusal.NoApplication]: HdnActivityFailure.NoApplication,
    [HdnRefusal.UnknownLender]: HdnActivityFailure.UnknownLender,
    [HdnRefusal.GatewayRejected]: HdnActivityFailure.Rejected,
    [HdnRefusal.GatewayUnavailable]: HdnActivityFailure.Unavailable,
    [HdnRefusal.LineNotSendable]: HdnActivityFailure.LineNotSendable,
  },
};

export function createHdnActivities(deps: HdnActivitiesDeps): HdnActivities {
  const fork = (): EntityManager => deps.orm.em.fork();
  const lender: LenderGatewayDeps = { gateway: deps.gateway, node: deps.node, now: deps.now ?? (() => new Date()), ...(deps.xsd ? { xsd: deps.xsd } : {}) };
  return withFailureTypes(
    {
      sendHdnApplication: (input) => sendApplicationToLender(fork(), lender, input),
      sendHdnDocument: (input) => sendDocumentToLender(fork(), lender, input),
      markHdnMessage: (input) => markLenderMessage(fork(), input),
      recordLenderMessages: (input) => recordLenderMessages(fork(), input),
      applyDocumentRequest: (input) => applyDocumentRequest(fork(), input),
    },
    hdnFailureTypes,
  );
}
