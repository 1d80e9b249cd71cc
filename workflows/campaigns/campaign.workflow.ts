/**
 * The mail campaign workflow (`campaign:<campaignId>`): works through the recipients frozen at
 * creation in batches, each batch one activity that mails idempotently per recipient, keeps the
 * campaign row current (status and counters), and obeys pause / resume / cancel signals between
 * batches. Cancel stops after the current batch and marks the recipients not reached.
 *
 * The workflow decides (when to send the next batch, whether to stop); the activities do. Its
 * input and history hold only the campaign id, a person id as the batch cursor and counters.
 */
import { allHandlersFinished, condition, continueAsNew, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { CampaignProgress, CampaignStatus, CampaignActivities } from '../../activities/campaigns.contract.js';
import {
  campaignStateQuery,
  cancelCampaignSignal,
  pauseCampaignSignal,
  resumeCampaignSignal,
  type CampaignWorkflowInput,
  type CampaignWorkflowState,
} from './campaign.messages.js';

/** Batches per run before continuing as new: keeps the history short for campaigns of any size. */
export const BATCHES_PER_RUN = 100;

const acts = proxyActivities<CampaignActivities>({
  // A batch of up to 500 mails over SMTP; generous, and a retry only sends what is still pending.
  startToCloseTimeout: '10 minutes',
  retry: {
    initialInterval: '5 seconds',
    backoffCoefficient: 2,
    // An unreachable SMTP peer: keep trying (the campaign waits, nobody is mailed twice).
    maximumInterval: '5 minutes',
  },
});

export async function campaignWorkflow(input: CampaignWorkflowInput): Promise<CampaignWorkflowState> {
  // Handlers before the first await: a pause or cancel may come while the campaign is loaded.
  let paused = input.carried?.paused ?? false;
  let cancelRequested = input.carried?.cancelRequested ?? false;
  const state: CampaignWorkflowState = {
    campaignId: input.campaignId,
    state: 'starting',
    total: 0,
    sent: 0,
    failed: 0,
    skipped: 0,
    cancelled: 0,
    pending: 0,
    batches: input.carried?.batches ?? 0,
  };
  setHandler(pauseCampaignSignal, () => {
    if (!cancelRequested) paused = true;
  });
  setHandler(resumeCampaignSignal, () => {
    paused = false;
  });
  setHandler(cancelCampaignSignal, () => {
    cancelRequested = true;
  });
  setHandler(campaignStateQuery, (): CampaignWorkflowState => ({ ...state }));

  const apply = (p: CampaignProgress): void => {
    Object.assign(state, { total: p.total, sent: p.sent, failed: p.failed, skipped: p.skipped, cancelled: p.cancelled, pending: p.pending });
  };
  const record = async (status: CampaignStatus): Promise<void> => {
    apply(await acts.recordCampaignStatus({ campaignId: input.campaignId, status }));
    state.state = status;
  };

  const loaded = await acts.loadCampaign({ campaignId: input.campaignId });
  apply(loaded.progress);
  if (!loaded.exists) {
    state.state = 'cancelled';
    return { ...state };
  }
  if (loaded.status === 'cancelled' || loaded.status === 'completed') {
    // A run started again after the end (reset, manual start): nothing left to do.
    state.state = loaded.status;
    return { ...state };
  }
  state.state = loaded.status;

  let cursor = input.carried?.afterRecipientId;
  let batchesThisRun = 0;
  for (;;) {
    if (cancelRequested) {
      apply(await acts.cancelCampaignRecipients({ campaignId: input.campaignId }));
      state.state = 'cancelled';
      break;
    }
    if (paused) {
      if (state.state !== 'paused') await record('paused');
      await condition(() => !paused || cancelRequested);
      continue;
    }
    if (state.state !== 'running') await record('running');

    const batch = await acts.sendCampaignBatch({
      campaignId: input.campaignId,
      batchSize: loaded.batchSize,
      ...(cursor !== undefined ? { afterRecipientId: cursor } : {}),
    });
    state.batches += 1;
    batchesThisRun += 1;
    apply(batch.progress);
    if (batch.processed === 0 && cursor !== undefined && batch.progress.pending > 0) {
      // Nothing after the cursor but rows still pending (never expected): sweep from the start once more.
      cursor = undefined;
      continue;
    }
    if (batch.processed === 0 || batch.progress.pending === 0) {
      await record('completed');
      break;
    }
    cursor = batch.lastRecipientId ?? cursor;

    if (batchesThisRun >= BATCHES_PER_RUN || workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof campaignWorkflow>({
        campaignId: input.campaignId,
        carried: { paused, cancelRequested, batches: state.batches, ...(cursor !== undefined ? { afterRecipientId: cursor } : {}) },
      });
    }
    // The throttle between batches; a pause or cancel ends the wait at once.
    if (loaded.batchIntervalMs > 0) await condition(() => paused || cancelRequested, loaded.batchIntervalMs);
  }
  await condition(allHandlersFinished);
  return { ...state };
}
