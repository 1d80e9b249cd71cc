/**
 * Pure rules for RISK insurance events (DOMAIN.md process 6): which event wins when two
 * events about one quote/policy meet (last-writer by version, then event time), and how an
 * event kind moves the insurance product's status. No I/O, no clock: the API, the activities
 * and the insurance workflow share this one truth.
 */

/**
 * What a RISK message says happened to a quote or policy (closed list: risk_messages.kind and
 * insurance_history.kind follow it, as do the entities and the API schemas).
 */
export const insuranceEventKinds = ['quote', 'final', 'mutation', 'cancellation'] as const;
export type InsuranceEventKind = (typeof insuranceEventKinds)[number];

/** Where an event stands in the order of one quote/policy. */
export interface EventStamp {
  /** RISK's sequence number of the event for this quote/policy (the mapping's version label; 1 when absent), >= 1. */
  version: number;
  /** When RISK made the event, ISO 8601 (AL_ADATMSG + AL_ATIJDMSG). */
  eventAt: string;
  /** The stored message's id: the last tie-breaker, so the order is total and deterministic. */
  messageId: string;
}

/**
 * Orders two events of one quote/policy: version first (RISK numbers its events), then the
 * event time (two events with one version are a conflict on RISK's side; the later one wins),
 * then the message id, so two replicas deciding independently always agree.
 */
export function compareEvents(a: EventStamp, b: EventStamp): number {
  if (a.version !== b.version) return a.version < b.version ? -1 : 1;
  const ta = Date.parse(a.eventAt);
  const tb = Date.parse(b.eventAt);
  if (ta !== tb) return ta < tb ? -1 : 1;
  if (a.messageId === b.messageId) return 0;
  return a.messageId < b.messageId ? -1 : 1;
}

export type EventDecision =
  | { outcome: 'apply'; reason: string }
  | { outcome: 'duplicate'; reason: string }
  | { outcome: 'stale'; reason: string };

/**
 * Last-writer rule: an event is applied only when it is newer than the last applied one.
 * An older (out-of-order) event is kept in the inbox as `ignored` with the reason, never
 * merged into the product (REFERENCE: conflicts are flagged, never silently merged).
 */
export function decideEvent(lastApplied: EventStamp | undefined, incoming: EventStamp): EventDecision {
  if (!lastApplied) return { outcome: 'apply', reason: `eerste gebeurtenis (versie ${incoming.version})` };
  if (lastApplied.messageId === incoming.messageId) return { outcome: 'duplicate', reason: 'dit bericht is al verwerkt' };
  const order = compareEvents(lastApplied, incoming);
  if (order < 0) return { outcome: 'apply', reason: `versie ${incoming.version} na ${lastApplied.version}` };
  if (incoming.version === lastApplied.version) {
    return {
      outcome: 'stale',
      reason: `conflict: versie ${incoming.version} is al verwerkt uit een bericht van ${lastApplied.eventAt}; het latere bericht geldt`,
    };
  }
  return { outcome: 'stale', reason: `verkeerde volgorde: versie ${incoming.version} is ouder dan de verwerkte versie ${lastApplied.version}` };
}

/** Status codes of the insurance process (domain/processes/insurance.process.ts). */
export const InsuranceStatus = {
  QuoteRequested: 'offerte-aangevraagd',
  QuoteReceived: 'offerte-ontvangen',
  Running: 'lopend',
  Ended: 'beeindigd',
} as const;
export type InsuranceStatusCode = (typeof InsuranceStatus)[keyof typeof InsuranceStatus];
/** The insurance process's statuses as a list (no table CHECKs them: products.status is free text). */
export const insuranceStatuses: readonly InsuranceStatusCode[] = Object.values(InsuranceStatus);

/**
 * The status an applied event moves the product to. A mutation keeps a running policy
 * running (and makes a quote that was never reported final running: RISK only mutates
 * policies); a quote after the policy is final does not move it back.
 */
export function statusAfter(current: string, kind: InsuranceEventKind): InsuranceStatusCode | string {
  switch (kind) {
    case 'quote':
      return current === InsuranceStatus.QuoteRequested ? InsuranceStatus.QuoteReceived : current;
    case 'final':
    case 'mutation':
      return current === InsuranceStatus.Ended ? current : InsuranceStatus.Running;
    case 'cancellation':
      return InsuranceStatus.Ended;
  }
}

export function isInsuranceEventKind(value: string): value is InsuranceEventKind {
  return (insuranceEventKinds as readonly string[]).includes(value);
}
