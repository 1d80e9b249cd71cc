/**
 * What the pay-out workflow (`payout:<id>`) asks of the outside world. Ids, amounts and dates
 * only (docs/ARCHITECTURE.md rule 3). Each activity is idempotent: it moves the pay-out on from
 * the status it expects and posts on a key of the pay-out, so a retry books nothing twice.
 */
export interface ApprovePayoutInput {
  payoutId: string;
  /** The credential that approved it (from the Update). */
  approvedBy: string;
}

export interface CreatePayoutFileInput {
  payoutId: string;
  /** ISO instant of the file (the workflow's clock, so a replay writes the same). */
  createdAt: string;
}

export interface SettlePayoutInput {
  payoutId: string;
  /** The statement's booking date of the transfer (YYYY-MM-DD). */
  bookedOn: string;
}

export interface PayoutActivities {
  /** Posts the first half of the mirror booking (RC → intermediate account); status approved. */
  approvePayout(input: ApprovePayoutInput): Promise<{ entryId: string }>;
  /** Writes the pain.001, checked and read back, and keeps it with the pay-out; status file_created. */
  createPayoutFile(input: CreatePayoutFileInput): Promise<{ endToEndId: string }>;
  /** Posts the second half (intermediate account → bank); status settled. */
  settlePayout(input: SettlePayoutInput): Promise<{ entryId: string }>;
  /** A requested pay-out not approved: status cancelled (nothing was booked). */
  cancelPayout(input: { payoutId: string }): Promise<void>;
}

/** Slugs of the refusals the workflow does not retry. */
export const PayoutRefusal = {
  /** The balance went below the amount requested between request and approval. */
  BalanceTooLow: 'payout-balance-too-low',
  NotFound: 'payout-not-found',
} as const;
