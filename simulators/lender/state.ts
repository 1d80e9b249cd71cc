/** What the simulated lender keeps per application, and the read-only view it shows (admin API, tests). */
import type { HdnApplication, HdnMessageType } from '../../integrations/hdn/types.js';
import type { Plan, ScenarioName } from './scenarios.js';

export interface SentMessageView {
  /** Position in the order the lender sent its messages (1-based; a duplicate copy has its own). */
  seq: number;
  type: HdnMessageType;
  /** SX: the status code; OX: the offer type ("18"/"00"). */
  code?: string;
  /** OX: the offer number; DA: "requested" or "approved". */
  detail?: string;
  /** 1, or 2 for the second delivery of the same message ('duplicates'). */
  copy: number;
  /** When the message was built (ISO). */
  at: string;
  delivered: boolean;
  /** Delivery attempts so far. */
  attempts: number;
  /** Last HTTP status the platform answered. */
  status?: number;
  /** Why the last attempt failed (a 4xx is final, anything else is retried). */
  error?: string;
}

export interface DocumentLineView {
  lineId: string;
  documentKind: string;
  fetchedByLender: boolean;
}

export type ApplicationStateName = 'running' | 'waiting-for-documents' | 'finished' | 'superseded' | 'stopped' | 'failed';

export interface ApplicationView {
  /** The node that placed the AX (the platform). */
  senderNode: string;
  applicationNumber: string;
  applicationVersion: string;
  /** BerichtVersie of the AX, copied into every reply. */
  messageVersion: string;
  scenario: ScenarioName;
  state: ApplicationStateName;
  receivedAt: string;
  /** How often this AX arrived; repeats are acknowledged but start no second flow. */
  axReceived: number;
  messages: SentMessageView[];
  /** The lines of the DA the lender sent (empty before the DA). */
  documentLines: DocumentLineView[];
  /** Line ids a DX arrived for, first arrival order, each once. */
  dxReceived: string[];
  /** Why the scenario failed (state 'failed': a bug, not a delivery problem). */
  error?: string;
}

export interface ApplicationState {
  view: ApplicationView;
  application: HdnApplication;
  /** Amsterdam date of arrival; offer validity counts from it. */
  receivedOn: string;
  plan: Plan;
  /** Snapshot of the settings at arrival: a later PUT /admin/scenario affects later applications only. */
  stepDelayMs: number;
  /** Aborted when a newer version of the application supersedes this one. */
  controller: AbortController;
}

/** Applications are identified by who placed them, their number and their version. */
export function applicationKey(senderNode: string, applicationNumber: string, applicationVersion: string): string {
  return JSON.stringify([senderNode, applicationNumber, applicationVersion]);
}

/** DA lines still waiting for a DX (lines the lender fetched itself never wait). */
export function missingDocuments(view: ApplicationView): string[] {
  return view.documentLines.filter((l) => !l.fetchedByLender && !view.dxReceived.includes(l.lineId)).map((l) => l.lineId);
}
