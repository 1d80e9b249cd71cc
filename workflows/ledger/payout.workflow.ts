/**
 * The pay-out workflow (`payout:<payoutId>`, issue 21): waits for the central organisation's
 * approval (an Update, refused once approved or cancelled), books the first half of the mirror
 * booking (RC → intermediate account), makes the pain.001 credit transfer, waits durably for the
 * bank statement that shows the transfer (a Signal from the statement import) and books the
 * second half (intermediate account → bank). Every activity is idempotent on the pay-out, so a
 * retry or a replay books nothing twice.
 */
import { allHandlersFinished, condition, proxyActivities, setHandler } from '@temporalio/workflow';
import type { PayoutActivities } from '../../activities/ledger.contract.js';
import { approvePayoutUpdate, cancelPayoutUpdate, payoutBookedSignal, payoutStateQuery, type PayoutWorkflowInput, type PayoutWorkflowState } from './payout.messages.js';

const acts = proxyActivities<PayoutActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes', nonRetryableErrorTypes: ['NotFound'] },
});

export async function payoutWorkflow(input: PayoutWorkflowInput): Promise<PayoutWorkflowState> {
  const state: PayoutWorkflowState = { payoutId: input.payoutId, status: 'requested', approvedBy: null, bookedOn: null };
  let cancelled = false;
  const snapshot = (): PayoutWorkflowState => ({ ...state });

  setHandler(
    approvePayoutUpdate,
    (req) => {
      state.approvedBy = req.approvedBy;
      return snapshot();
    },
    {
      validator: (_req) => {
        if (cancelled) throw new Error('The pay-out is cancelled');
        if (state.approvedBy !== null) throw new Error('The pay-out is approved already');
      },
    },
  );
  setHandler(
    cancelPayoutUpdate,
    () => {
      cancelled = true;
      return snapshot();
    },
    {
      validator: () => {
        if (state.approvedBy !== null) throw new Error('An approved pay-out is not cancelled: reverse its entry instead');
      },
    },
  );
  // Only a booking after the file was made counts; an early or second one is ignored.
  setHandler(payoutBookedSignal, (s) => {
    if (state.status === 'file_created' && state.bookedOn === null) state.bookedOn = s.bookedOn;
  });
  setHandler(payoutStateQuery, snapshot);

  await condition(() => cancelled || state.approvedBy !== null);
  if (cancelled) {
    await acts.cancelPayout({ payoutId: input.payoutId });
    state.status = 'cancelled';
  } else {
    await acts.approvePayout({ payoutId: input.payoutId, approvedBy: state.approvedBy! });
    state.status = 'approved';
    await acts.createPayoutFile({ payoutId: input.payoutId, createdAt: new Date().toISOString() });
    state.status = 'file_created';
    await condition(() => state.bookedOn !== null);
    await acts.settlePayout({ payoutId: input.payoutId, bookedOn: state.bookedOn! });
    state.status = 'settled';
  }
  await condition(allHandlersFinished);
  return snapshot();
}
