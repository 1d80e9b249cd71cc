/**
 * Makes sure every office with a mailbox (settings IMAP_MAILBOXES) has its poller workflow
 * `mailbox:<officeId>` running, with this interval: signal-with-start on the fixed id, so every
 * API start (and every replica) finds the one that runs; the credentials never travel with it.
 */
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { workflowIds } from '../../domain/workflow-ids.js';
import type { TemporalDeps } from '../../integrations/temporal/connection.js';
import type { mailboxWorkflow } from '../../workflows/index.js';
import { mailboxIntervalSignal, mailboxPollNowSignal, type MailboxPollerInput } from '../../workflows/mailbox/mailbox.messages.js';

const TEMPORAL_DEADLINE_MS = 10_000;

export async function ensureMailboxPoller(temporal: TemporalDeps, input: MailboxPollerInput): Promise<{ workflowId: string; runId: string }> {
  const { client, taskQueue } = temporal;
  for (let attempt = 1; ; attempt++) {
    try {
      const handle = await client.withDeadline(Date.now() + TEMPORAL_DEADLINE_MS, () =>
        client.workflow.signalWithStart<typeof mailboxWorkflow, [number]>('mailboxWorkflow', {
          workflowId: workflowIds.mailbox(input.officeId),
          taskQueue,
          args: [input],
          signal: mailboxIntervalSignal,
          signalArgs: [input.intervalSeconds],
        }),
      );
      return { workflowId: handle.workflowId, runId: handle.signaledRunId };
    } catch (err) {
      // Another replica started it at the same moment: the run exists now, so the next try signals it.
      if (!(err instanceof WorkflowExecutionAlreadyStartedError) || attempt >= 3) throw err;
    }
  }
}

/** Asks the office's poller to poll now (the inbox's "Nu ophalen"); false when the office has no poller running. */
export async function pollMailboxNow(temporal: TemporalDeps, officeId: string): Promise<boolean> {
  try {
    await temporal.client.withDeadline(Date.now() + TEMPORAL_DEADLINE_MS, () => temporal.client.workflow.getHandle(workflowIds.mailbox(officeId)).signal(mailboxPollNowSignal));
    return true;
  } catch (err) {
    if ((err as { name?: string }).name === 'WorkflowNotFoundError') return false;
    throw err;
  }
}
