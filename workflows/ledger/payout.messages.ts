/**
 * Messages of the pay-out workflow (`payout:<payoutId>`): ids, credential ids and dates only.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { PayoutStatus } from '../../domain/ledger/payouts.js';

export interface PayoutWorkflowInput {
  payoutId: string;
}

export interface PayoutWorkflowState {
  payoutId: string;
  status: PayoutStatus;
  approvedBy: string | null;
  bookedOn: string | null;
}

/** The central organisation approves the pay-out (*akkoord*): booked, then the pain.001 is made. */
export const approvePayoutUpdate = defineUpdate<PayoutWorkflowState, [{ approvedBy: string }]>('approvePayout');
/** Not paid out after all (only before approval). */
export const cancelPayoutUpdate = defineUpdate<PayoutWorkflowState, []>('cancelPayout');
/** The bank statement shows the transfer booked (matched on its EndToEndId and amount). */
export const payoutBookedSignal = defineSignal<[{ bookedOn: string }]>('payoutBooked');
export const payoutStateQuery = defineQuery<PayoutWorkflowState>('payoutState');
