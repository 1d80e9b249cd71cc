/**
 * Pay-outs (*uitbetalingen*) of a participant's positive RC balance (issue 21): the statuses,
 * the rules of how much, and the SEPA references. A pay-out goes requested → approved (the first
 * half of the mirror booking is posted) → file_created (the pain.001 is made) → settled (the bank
 * statement showed the transfer; the second half is posted); a requested pay-out can be
 * cancelled before approval.
 */
export const payoutStatuses = ['requested', 'approved', 'file_created', 'settled', 'cancelled'] as const;
export type PayoutStatus = (typeof payoutStatuses)[number];

/** Statuses after which nothing more happens. */
export const finalPayoutStatuses: readonly PayoutStatus[] = ['settled', 'cancelled'];

/** Why a pay-out of this balance cannot be made, or null (the whole positive balance is paid out). */
export function payoutProblem(p: { balanceCents: number; participantIban: string | null }): string | null {
  if (p.balanceCents <= 0) return 'the participant has no positive balance to pay out';
  if (!p.participantIban) return 'the participant has no IBAN to pay out to';
  return null;
}

/**
 * The period of a pay-out in Dutch, for its booking texts and the remittance on the transfer
 * (*omschrijving*): "2026", "2026 kwartaal 2", "2026 maand 03" (SEPA characters only).
 */
export function payoutPeriodText(year: number, period: string): string {
  const quarter = /^Q([1-4])$/.exec(period);
  if (quarter) return `${year} kwartaal ${quarter[1]}`;
  const month = /^M(0[1-9]|1[0-2])$/.exec(period);
  if (month) return `${year} maand ${month[1]}`;
  return String(year);
}

/** EndToEndId of the transfer: the bank reports it back on the statement (max 35, SEPA charset). */
export function payoutEndToEndId(payoutId: string): string {
  return `RCU-${payoutId.replace(/-/g, '').slice(0, 30)}`;
}

/** MsgId of the pain.001 of one pay-out. */
export function payoutMessageId(payoutId: string): string {
  return `RCM-${payoutId.replace(/-/g, '').slice(0, 30)}`;
}

/**
 * What a statement entry says about the pay-out: `confirmed` when a booked debit carries its
 * EndToEndId with the same amount; `mismatch` (with why) when it carries the id with another
 * amount or as a credit; `absent` otherwise.
 */
export function statementVerdict(
  expected: { endToEndId: string; amountCents: number },
  entry: { creditDebit: 'CRDT' | 'DBIT'; status: string; amountCents: number; reversal: boolean; transactions: { endToEndId?: string; amountCents?: number }[] },
): { kind: 'confirmed' } | { kind: 'mismatch'; reason: string } | { kind: 'absent' } {
  const tx = entry.transactions.find((t) => t.endToEndId === expected.endToEndId);
  if (!tx) return { kind: 'absent' };
  if (entry.status !== 'BOOK') return { kind: 'absent' };
  if (entry.creditDebit !== 'DBIT' || entry.reversal) return { kind: 'mismatch', reason: 'the transfer came back or was booked as a credit' };
  const amount = tx.amountCents ?? (entry.transactions.length === 1 ? entry.amountCents : undefined);
  if (amount !== expected.amountCents) return { kind: 'mismatch', reason: `booked ${amount ?? '?'} cents, expected ${expected.amountCents}` };
  return { kind: 'confirmed' };
}
