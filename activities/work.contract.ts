/**
 * The outbox mail workflow's activity contract: the interface is defined in
 * domain/work/side-effects.ts. A mail failure keeps the outbox's type (MailRejected: not retried;
 * MailUnavailable: retried by the workflow's policy).
 */
export type { DeliverOutboxMailInput, MailDeliveryActivities } from '../domain/work/side-effects.js';
