/**
 * Delivers one outbox mail that the API wrote but could not send at once (`mail:<mailId>`, for
 * example the client's rejection mail of a checklist line while the SMTP server is away): the
 * delivery is retried with backoff for about two days, so a mail the office promised is not left
 * pending. The outbox sends a row at most once, so a retry after a crash, or a second start for
 * the same mail, never mails twice. A refusal by the SMTP server (MailRejected) is not retried:
 * the row says failed with the server's words, as /mails shows it.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { MailDeliveryActivities } from '../../activities/work.contract.js';
import type { OutboxMailWorkflowInput } from './outbox-mail.messages.js';

const acts = proxyActivities<MailDeliveryActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '30 seconds', backoffCoefficient: 2, maximumInterval: '1 hour', maximumAttempts: 55, nonRetryableErrorTypes: ['MailRejected', 'NotFound'] },
});

export async function outboxMailWorkflow(input: OutboxMailWorkflowInput): Promise<{ mailId: string }> {
  await acts.deliverOutboxMail({ mailId: input.mailId });
  return { mailId: input.mailId };
}
