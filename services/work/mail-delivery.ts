/**
 * Mails the API writes to the outbox outside a workflow (the client's rejection mail of a
 * checklist line) are tried at once; what did not go out is handed to a durable delivery
 * (`mail:<mailId>`, workflows/work/outbox-mail.workflow.ts) that retries for about two days. The
 * workflow id is the mail's, so handing the same mail over twice starts one delivery.
 */
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { workflowIds } from '../../domain/workflow-ids.js';
import type { Mailer } from '../../integrations/mail/transport.js';
import type { TemporalDeps } from '../../integrations/temporal/connection.js';
import type { outboxMailWorkflow } from '../../workflows/work/outbox-mail.workflow.js';
import { deliverMail } from './mail-outbox.js';

const START_DEADLINE_MS = 5_000;

export interface MailDeliveryDeps {
  /** Absent: nothing is sent at once, every mail goes to the durable delivery. */
  mailer?: Mailer;
  mailFrom: string;
  /** Absent: a mail that did not go out at once stays pending in the outbox. */
  temporal?: TemporalDeps;
}

export interface MailDeliveryOutcome {
  /** Sent now. */
  sent: string[];
  /** Handed to the durable delivery (`mail:<id>`), which retries. */
  retrying: string[];
  /** Neither: pending in the outbox (no process engine); handing them over again retries. */
  pending: string[];
}

/** Sends each outbox row now when it can; hands the rest to the durable delivery. */
export async function deliverNowOrLater(em: EntityManager, deps: MailDeliveryDeps, mailIds: readonly string[]): Promise<MailDeliveryOutcome> {
  const outcome: MailDeliveryOutcome = { sent: [], retrying: [], pending: [] };
  for (const id of mailIds) {
    if (deps.mailer) {
      try {
        await deliverMail(em, deps.mailer, id, deps.mailFrom);
        outcome.sent.push(id);
        continue;
      } catch {
        // recorded on the outbox row (attempts, last error); the delivery below retries it
      }
    }
    (deps.temporal && (await startDelivery(deps.temporal, id)) ? outcome.retrying : outcome.pending).push(id);
  }
  return outcome;
}

async function startDelivery(temporal: TemporalDeps, mailId: string): Promise<boolean> {
  const { client, taskQueue } = temporal;
  try {
    await client.withDeadline(Date.now() + START_DEADLINE_MS, () =>
      client.workflow.start<typeof outboxMailWorkflow>('outboxMailWorkflow', { workflowId: workflowIds.mail(mailId), taskQueue, args: [{ mailId }] }),
    );
    return true;
  } catch (err) {
    return err instanceof WorkflowExecutionAlreadyStartedError;
  }
}
