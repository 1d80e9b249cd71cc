/**
 * The booking rules of the RC ledger (*boekingsregels*), pure: each business event becomes one
 * journal entry whose lines balance (sum of debits = sum of credits). The services resolve the
 * symbolic accounts to rows and post; PostgreSQL checks the balance again when the transaction
 * commits (a deferred constraint trigger), so a bug here cannot leave an unbalanced ledger.
 *
 * Sides, from the central organisation's books: a credit on a participant's RC raises what it is
 * owed (income of the participant), a debit lowers it (costs, pay-outs).
 *
 * The mirror booking (*spiegelboeking*, seed 000): a pay-out is booked from the RC to the
 * intermediate account (*tussenrekening*) and, when the bank statement confirms it, from the
 * intermediate account to the bank. Revenue is booked once, when the invoice or commission is
 * booked, never again at the pay-out.
 */
import type { AccountKind, EntryKind } from './closed-lists.js';

/** A ledger account by what it is; the participant's RC names the participant (its office id). */
export type AccountRef =
  | { kind: 'participant_rc'; participantId: string }
  | { kind: Exclude<AccountKind, 'participant_rc'> };

export interface PostingLine {
  account: AccountRef;
  /** Booking category code (*boekingscategorie*); null shows as "Overig". */
  category: string | null;
  debitCents: number;
  creditCents: number;
}

export interface PostingEntry {
  kind: EntryKind;
  lines: PostingLine[];
}

/** A stable text key of an account ref (maps, tests). */
export function accountKey(a: AccountRef): string {
  return a.kind === 'participant_rc' ? `participant_rc:${a.participantId}` : a.kind;
}

const rc = (participantId: string): AccountRef => ({ kind: 'participant_rc', participantId });
const dr = (account: AccountRef, category: string | null, cents: number): PostingLine => ({ account, category, debitCents: cents, creditCents: 0 });
const cr = (account: AccountRef, category: string | null, cents: number): PostingLine => ({ account, category, debitCents: 0, creditCents: cents });

/** Zero-amount lines say nothing and the database refuses them: left out. */
const nonZero = (lines: PostingLine[]): PostingLine[] => lines.filter((l) => l.debitCents + l.creditCents > 0);

/** The central organisation's share (*afdracht*) of an amount, in basis points, rounded half up. */
export function shareOf(amountCents: number, shareBp: number): number {
  if (!Number.isSafeInteger(amountCents) || amountCents < 0) throw new RangeError(`amount must be whole cents >= 0: ${amountCents}`);
  if (!Number.isInteger(shareBp) || shareBp < 0 || shareBp > 10_000) throw new RangeError(`share must be 0..10000 basis points: ${shareBp}`);
  return Math.floor((amountCents * shareBp + 5_000) / 10_000);
}

function positive(amountCents: number, what: string): void {
  if (!Number.isSafeInteger(amountCents) || amountCents <= 0) throw new RangeError(`${what} must be whole cents > 0: ${amountCents}`);
}

/**
 * Commission (*provisie*) received centrally for a participant's product: the bank is debited
 * with all of it, the central organisation's share is its revenue, the rest is owed to the
 * participant (its RC is credited).
 */
export function commissionEntry(p: { participantId: string; category: string | null; amountCents: number; centralShareBp: number }): PostingEntry {
  positive(p.amountCents, 'commission');
  const share = shareOf(p.amountCents, p.centralShareBp);
  return {
    kind: 'commission',
    lines: nonZero([
      dr({ kind: 'bank' }, p.category, p.amountCents),
      cr({ kind: 'revenue' }, p.category, share),
      cr(rc(p.participantId), p.category, p.amountCents - share),
    ]),
  };
}

/**
 * An invoice of the platform's billing made by a participant's office: the receivable is the
 * total, VAT is owed to the tax office, the central organisation's share of the net amount is
 * its revenue (booked here, once) and the rest is owed to the participant. Null for an invoice
 * of nothing (a zero total books nothing).
 */
export function invoiceEntry(p: { participantId: string; category: string | null; netCents: number; vatCents: number; centralShareBp: number }): PostingEntry | null {
  if (!Number.isSafeInteger(p.netCents) || p.netCents < 0 || !Number.isSafeInteger(p.vatCents) || p.vatCents < 0) {
    throw new RangeError(`invoice amounts must be whole cents >= 0: ${p.netCents}, ${p.vatCents}`);
  }
  if (p.netCents + p.vatCents === 0) return null;
  const share = shareOf(p.netCents, p.centralShareBp);
  return {
    kind: 'invoice',
    lines: nonZero([
      dr({ kind: 'receivable' }, p.category, p.netCents + p.vatCents),
      cr({ kind: 'vat' }, p.category, p.vatCents),
      cr({ kind: 'revenue' }, p.category, share),
      cr(rc(p.participantId), p.category, p.netCents - share),
    ]),
  };
}

/** A cost the central organisation charges a participant (*kosten*): the RC is debited, revenue credited. */
export function chargeEntry(p: { participantId: string; category: string | null; amountCents: number }): PostingEntry {
  positive(p.amountCents, 'charge');
  return { kind: 'charge', lines: [dr(rc(p.participantId), p.category, p.amountCents), cr({ kind: 'revenue' }, p.category, p.amountCents)] };
}

/**
 * A pay-out approved: the first half of the mirror booking, from the participant's RC to the
 * intermediate account, in the pay-out category (*kostencategorie voor uitbetalingen*). No revenue.
 */
export function payoutEntry(p: { participantId: string; category: string; amountCents: number }): PostingEntry {
  positive(p.amountCents, 'pay-out');
  return { kind: 'payout', lines: [dr(rc(p.participantId), p.category, p.amountCents), cr({ kind: 'intermediate' }, p.category, p.amountCents)] };
}

/** The bank statement confirms the pay-out: the second half, from the intermediate account to the bank. */
export function payoutSettledEntry(p: { category: string; amountCents: number }): PostingEntry {
  positive(p.amountCents, 'pay-out');
  return { kind: 'payout_settled', lines: [dr({ kind: 'intermediate' }, p.category, p.amountCents), cr({ kind: 'bank' }, p.category, p.amountCents)] };
}

/**
 * The reversing entry (*tegenboeking*) of a posted entry: the same lines with debit and credit
 * swapped, so every balance returns to what it was. A reversal itself is not reversed again
 * (post the original once more instead): that keeps "reversed" a yes/no fact of an entry.
 */
export function reversalOf(entry: PostingEntry): PostingEntry {
  if (entry.kind === 'reversal') throw new RangeError('a reversal is not reversed; post the entry again instead');
  return { kind: 'reversal', lines: entry.lines.map((l) => ({ ...l, debitCents: l.creditCents, creditCents: l.debitCents })) };
}

/** Why lines cannot be posted as one entry, or null when they can (the database checks the same). */
export function entryProblem(lines: readonly PostingLine[]): string | null {
  if (lines.length < 2) return 'an entry has at least two lines';
  let debit = 0;
  let credit = 0;
  for (const l of lines) {
    if (!Number.isSafeInteger(l.debitCents) || !Number.isSafeInteger(l.creditCents) || l.debitCents < 0 || l.creditCents < 0) {
      return 'amounts are whole cents >= 0';
    }
    if ((l.debitCents > 0) === (l.creditCents > 0)) return 'a line is either debit or credit, not zero and not both';
    debit += l.debitCents;
    credit += l.creditCents;
  }
  return debit === credit ? null : `debit ${debit} and credit ${credit} differ`;
}

/** Debit minus credit per account, over any lines. */
export function balances(lines: Iterable<PostingLine>): Map<string, number> {
  const out = new Map<string, number>();
  for (const l of lines) {
    const k = accountKey(l.account);
    out.set(k, (out.get(k) ?? 0) + l.debitCents - l.creditCents);
  }
  return out;
}

/** The trial balance (*proefbalans*): the sum of all balances, zero for any set of balanced entries. */
export function trialBalance(lines: Iterable<PostingLine>): number {
  let sum = 0;
  for (const b of balances(lines).values()) sum += b;
  return sum;
}

/**
 * A participant's position from its RC lines: credits minus debits. Positive: the central
 * organisation pays out (*uit te betalen*); negative: it claims (*te vorderen*).
 */
export function rcPosition(creditCents: number, debitCents: number): { balanceCents: number; toPayOutCents: number; toClaimCents: number } {
  const balanceCents = creditCents - debitCents;
  return { balanceCents, toPayOutCents: Math.max(balanceCents, 0), toClaimCents: Math.max(-balanceCents, 0) };
}
