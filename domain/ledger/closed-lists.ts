/**
 * The closed lists of the RC ledger (*rekening-courantadministratie*), defined once. The CHECK
 * constraints of Migration20261213120000_rc_ledger hold the same values
 * (test/integration/closed-lists.test.ts compares them); a change here needs a migration there.
 */

/**
 * The kinds of ledger account of a central organisation (ledger_accounts.kind), from the central
 * organisation's point of view:
 * - `bank`: its bank account (*bank*), money in and out;
 * - `receivable`: invoices not yet paid (*debiteuren*);
 * - `vat`: VAT to pay (*af te dragen btw*);
 * - `revenue`: its own turnover (*omzet*), per booking category;
 * - `participant_rc`: the current account with one participant (*rekening-courant deelnemer*):
 *   a credit balance is owed to the participant (to pay out), a debit balance is to claim;
 * - `intermediate`: the intermediate account of the mirror booking (*tussenrekening
 *   spiegelboeking*): a pay-out leaves the RC through it, so no revenue is booked again.
 */
export const accountKinds = ['bank', 'receivable', 'vat', 'revenue', 'participant_rc', 'intermediate'] as const;
export type AccountKind = (typeof accountKinds)[number];

/**
 * What a booking category (*boekingscategorie*, booking_categories.kind) stands for in the
 * participant's overview: `income` (*inkomsten*: commission, invoiced advice), `cost` (*kosten*
 * charged by the central organisation), `payout` (*kostencategorie voor uitbetalingen*).
 */
export const categoryKinds = ['income', 'cost', 'payout'] as const;
export type CategoryKind = (typeof categoryKinds)[number];

/**
 * Why an entry was posted (journal_entries.kind): `commission` (*provisie*) received for a
 * participant's product, `invoice` of the platform's billing for a participant, `charge` of the
 * central organisation to a participant, `payout` approved (RC to the intermediate account),
 * `payout_settled` when the bank statement confirms it (intermediate account to the bank), and
 * `reversal` (*tegenboeking*), the only correction of a posted entry.
 */
export const entryKinds = ['commission', 'invoice', 'charge', 'payout', 'payout_settled', 'reversal'] as const;
export type EntryKind = (typeof entryKinds)[number];

/** The label of lines without a category (bookings from before categories existed). */
export const UNCATEGORISED_LABEL = 'Overig';
