/**
 * The pay-out workflow's activity contract: the interface and its data types are defined in
 * domain/ledger/side-effects.ts.
 */
export type { ApprovePayoutInput, CreatePayoutFileInput, PayoutActivities, SettlePayoutInput } from '../domain/ledger/side-effects.js';
export { PayoutRefusal } from '../domain/ledger/side-effects.js';
