/**
 * What the outbox mail workflow asks of the outside world: only the outbox row's id crosses
 * (the recipient, subject and body stay in PostgreSQL, in `mails`).
 */
export interface DeliverOutboxMailInput {
  mailId: string;
}

export interface MailDeliveryActivities {
  /** Sends the outbox row unless it was sent already (services/work/mail-outbox.ts deliverMail). */
  deliverOutboxMail(input: DeliverOutboxMailInput): Promise<void>;
}
