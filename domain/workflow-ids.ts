/**
 * The one place where workflow ids are built from business keys. API, activities and
 * workflows all use these, so `product:<id>` means the same thing everywhere.
 */
export const workflowIds = {
  product: (productId: string): string => `product:${productId}`,
  /** Insurance products run insuranceWorkflow (RISK-driven), not the step interpreter: own prefix. */
  insurance: (productId: string): string => `insurance:${productId}`,
  contract: (contractId: string): string => `contract:${contractId}`,
  invoice: (invoiceId: string): string => `invoice:${invoiceId}`,
  /** The office's invoice run of one date (YYYY-MM-DD): every contract period due on or before it. */
  invoiceRun: (officeId: string, date: string): string => `invoice-run:${officeId}:${date}`,
  ockto: (retrievalId: string): string => `ockto:${retrievalId}`,
  campaign: (campaignId: string): string => `campaign:${campaignId}`,
  /** An appointment (*afspraak*): its confirmation, reminder, reschedule and cancel mails. */
  appointment: (appointmentId: string): string => `appointment:${appointmentId}`,
  /** A pay-out of a participant's RC balance (*uitbetaling*): approve, pain.001, bank statement, booked. */
  payout: (payoutId: string): string => `payout:${payoutId}`,
  /** One outbox mail the API could not send at once, delivered with retries (outboxMailWorkflow). */
  mail: (mailId: string): string => `mail:${mailId}`,
  /** The one RISK poller of the platform (riskPollerWorkflow): a fixed id, so every API replica starts the same one. */
  riskPoller: (): string => 'risk-poller',
  /** The poller of one office's IMAP mailbox (mailboxWorkflow): inbound mail (*inkomende mail*). */
  mailbox: (officeId: string): string => `mailbox:${officeId}`,
} as const;

/** Idempotency key of the n-th action of the step taken as the `seq`-th event of a workflow. */
export function actionKey(workflowId: string, seq: number, actionIndex: number): string {
  return `${workflowId}/event:${seq}/action:${actionIndex}`;
}

/** Idempotency key of the transition (history entry) recorded as the `seq`-th event of a workflow. */
export function transitionKey(workflowId: string, seq: number): string {
  return `${workflowId}/event:${seq}/transition`;
}
