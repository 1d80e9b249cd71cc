/** The outbox mail workflow's public contract (`mail:<mailId>`). */
export interface OutboxMailWorkflowInput {
  /** The `mails` row to send; nothing personal crosses. */
  mailId: string;
}
