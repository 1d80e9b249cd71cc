/**
 * The invoice status machine as pure rules, holding the money invariant by construction:
 *
 *     open = owed − received ≥ 0,   owed = total + charged costs (0 once credited),
 *     received = the money actually received and still held:
 *                payments + credited collections − returns of money that was credited.
 *
 * Money is tracked per reference (a `MoneyLedger`), not as a running sum, so that bank facts in
 * any order and any number of copies end in the same place:
 * - A collection's reference is its EndToEndId; a payment by transfer is its own reference
 *   (`booking:<id>`). Per reference the credit and the return count once each (a statement
 *   and a notification carrying the same credit, or the same return in two files, are one fact),
 *   and a return takes back at most what that reference brought in: a return that arrives
 *   before its credit is known (batch credits, a later file) waits for it, and a return of a
 *   collection that is never credited (a reject before settlement) takes back nothing.
 * - A reversal that names no reference (only old facts: bookings stored before references
 *   existed) takes back collected money first, then transferred money, never more than was
 *   received.
 * - What is received beyond what is owed is not absorbed: `overpaidCents` is the client's
 *   credit from this invoice (a credit balance, refunded or offset by the back office), and
 *   `paidCents` (the money applied to the invoice) is at most what is owed. Open is never
 *   negative and never more than total + costs.
 *
 * The status follows the money: a money event that leaves nothing open settles the invoice
 * ('collected' when all of it came by direct debit, else 'paid'); a return that leaves money
 * open makes it 'reversed' (an escalated invoice keeps its escalation level); a credit note
 * ('credited') owes nothing any more. Bank facts (paid, collected, storno) are never refused:
 * the money moved. Our own steps (sent, exported, reminderAction, costs, credited) are refused
 * with a reason when they make no sense now, and then nothing changes. A storno does not decide
 * the follow-up (re-collect, remind, flag the mandate): the effects name the reason code and the
 * storno policy decides (storno-policy.ts); a duplicate of a return has no follow-up.
 */

import { invoiceStatuses, type InvoiceStatus } from './closed-lists.js';
import { MAX_AMOUNT_CENTS } from './money.js';

export { invoiceStatuses, type InvoiceStatus };

/** Statuses a reminder action may set, in escalation order. */
export const ESCALATION_STATUSES = ['reminded', 'final_notice', 'handed_over'] as const;
export type EscalationStatus = (typeof ESCALATION_STATUSES)[number];

export function isInvoiceStatus(v: unknown): v is InvoiceStatus {
  return typeof v === 'string' && (invoiceStatuses as readonly string[]).includes(v);
}

export function isEscalationStatus(v: unknown): v is EscalationStatus {
  return typeof v === 'string' && (ESCALATION_STATUSES as readonly string[]).includes(v);
}

/** How money came in: by transfer (the client paid) or by direct debit (we collected). */
export type MoneyVia = 'transfer' | 'collection';

/** The money of one reference. */
export interface MoneyEntry {
  via: MoneyVia;
  /** What the reference brought in (the largest of its copies; 0 while only its return is known). */
  creditedCents: number;
  /** What a return of the reference took back (the largest of its copies). */
  returnedCents: number;
}

export interface MoneyLedger {
  /** By reference: a collection's EndToEndId, `booking:<id>` for a payment by transfer. */
  entries: Record<string, MoneyEntry>;
  /** Reversals that name no reference: they take back collected money first, then transferred money. */
  unreferencedReturnsCents: number;
}

export interface InvoiceState {
  status: InvoiceStatus;
  totalCents: number;
  /** The money applied to the invoice: received, at most what is owed; never negative. */
  paidCents: number;
  /** Collection costs charged (after a 14-dagenbrief); default 0. */
  costsCents?: number;
  /** Part of the money received that came by transfer (not by direct debit); default 0. */
  transferredCents?: number;
  /** Returns that took effect so far (for the history; never decreases); default 0. */
  reversedCents?: number;
  /**
   * The money facts. Absent in states written before the ledger existed: they are read as an
   * opening balance (see `ledgerOf`).
   */
  ledger?: MoneyLedger;
}

export type InvoiceEvent =
  | { type: 'sent' }
  | { type: 'exported' }
  /** Money received by transfer; `ref` defaults to a reference of its own. */
  | { type: 'paid'; amountCents: number; ref?: string }
  /** A direct debit credited by the bank; `ref` is its EndToEndId. */
  | { type: 'collected'; amountCents: number; ref?: string }
  /** A return (storno, reject, refund, a payment reversed by hand) of the money of `ref`. */
  | { type: 'storno'; reason: string; amountCents: number; ref?: string }
  /**
   * A collection the bank rejected before settlement (pain.002): no money moved, the collection
   * never happens. The money stays as it is (nothing to take back); what follows is a storno's.
   */
  | { type: 'rejected'; reason: string; ref?: string }
  | { type: 'reminderAction'; statusAfter: EscalationStatus }
  /** Collection costs charged so far (never lowered: a smaller amount changes nothing). */
  | { type: 'costs'; amountCents: number }
  | { type: 'credited' };

export interface InvoiceEffects {
  /** What the reminder escalation should do now. */
  reminders: 'stop' | 'start' | 'unchanged';
  /** May a "thank you for your payment" go out now? False after a storno, and while not settled. */
  thankYouAllowed: boolean;
  /** A return took effect: ask the storno policy what to do (re-collect, remind, flag the mandate). */
  stornoFollowUp?: { reason: string };
  /** More was received than owed: the client's credit from this invoice (refund or offset). */
  overpaidCents?: number;
  /** The money fact was known already (same reference, same or smaller amount): nothing changed. */
  duplicate?: boolean;
}

export type InvoiceTransition =
  | { ok: true; state: InvoiceState; effects: InvoiceEffects }
  | { ok: false; reason: string };

export function emptyLedger(): MoneyLedger {
  return { entries: {}, unreferencedReturnsCents: 0 };
}

export function newInvoiceState(totalCents: number): InvoiceState {
  if (!Number.isSafeInteger(totalCents) || totalCents < 0) throw new RangeError(`Invoice total must be non-negative whole cents: ${totalCents}`);
  return { status: 'open', totalCents, paidCents: 0, costsCents: 0, transferredCents: 0, reversedCents: 0, ledger: emptyLedger() };
}

/**
 * The state's ledger. A state without one (written before the ledger existed) is an opening
 * balance: its transferred part as one payment, the rest of `paidCents` as one collection, and a
 * negative rest (a storno booked before its collection, the old way) as an unreferenced return.
 */
export function ledgerOf(state: Pick<InvoiceState, 'paidCents' | 'transferredCents' | 'ledger'>): MoneyLedger {
  if (state.ledger) return state.ledger;
  const transferred = Math.max(0, state.transferredCents ?? 0);
  const rest = state.paidCents - transferred;
  const entries: Record<string, MoneyEntry> = {};
  if (transferred > 0) entries['opening:transfer'] = { via: 'transfer', creditedCents: transferred, returnedCents: 0 };
  if (rest > 0) entries['opening:collection'] = { via: 'collection', creditedCents: rest, returnedCents: 0 };
  return { entries, unreferencedReturnsCents: rest < 0 ? -rest : 0 };
}

/** The money actually received and still held, and the part of it that came by transfer. */
export function receivedOf(ledger: MoneyLedger): { receivedCents: number; transferredCents: number } {
  let collected = 0;
  let transferred = 0;
  for (const e of Object.values(ledger.entries)) {
    const held = Math.max(0, e.creditedCents - e.returnedCents);
    if (e.via === 'collection') collected += held;
    else transferred += held;
  }
  const fromCollections = Math.max(0, collected - ledger.unreferencedReturnsCents);
  const leftToTakeBack = Math.max(0, ledger.unreferencedReturnsCents - collected);
  const fromTransfers = Math.max(0, transferred - leftToTakeBack);
  return { receivedCents: fromCollections + fromTransfers, transferredCents: fromTransfers };
}

/** What the client owes in all: total + charged costs; nothing once the invoice is credited. */
export function owedCents(state: Pick<InvoiceState, 'status' | 'totalCents' | 'costsCents'>): number {
  return state.status === 'credited' ? 0 : state.totalCents + (state.costsCents ?? 0);
}

/** The money of a state, derived from its ledger: what is received, applied, open and overpaid. */
export function moneyOf(state: InvoiceState): { receivedCents: number; transferredCents: number; paidCents: number; openCents: number; overpaidCents: number } {
  const { receivedCents, transferredCents } = receivedOf(ledgerOf(state));
  const owed = owedCents(state);
  return {
    receivedCents,
    transferredCents,
    paidCents: Math.min(receivedCents, owed),
    openCents: Math.max(0, owed - receivedCents),
    overpaidCents: Math.max(0, receivedCents - owed),
  };
}

/** Amount still to be paid: total + costs − received, never negative (0 once credited). */
export function openCents(state: InvoiceState): number {
  return moneyOf(state).openCents;
}

/** The client's credit from this invoice: what was received beyond what is owed. */
export function overpaidCents(state: InvoiceState): number {
  return moneyOf(state).overpaidCents;
}

/** A money fact as it changes the ledger; `changed` false when it was known already. */
export type MoneyFact =
  | { kind: 'credit'; via: MoneyVia; amountCents: number; ref?: string }
  | { kind: 'return'; amountCents: number; ref?: string };

export function recordMoney(ledger: MoneyLedger, fact: MoneyFact): { ledger: MoneyLedger; changed: boolean; tookEffectCents: number } {
  if (fact.kind === 'return' && fact.ref === undefined) {
    return {
      ledger: { ...ledger, unreferencedReturnsCents: ledger.unreferencedReturnsCents + fact.amountCents },
      changed: true,
      tookEffectCents: fact.amountCents,
    };
  }
  // A credit without a reference is a reference of its own (never a copy of another one).
  const ref = fact.ref ?? `unnamed:${Object.keys(ledger.entries).length + 1}`;
  const known = ledger.entries[ref];
  const entry: MoneyEntry = known ?? { via: fact.kind === 'credit' ? fact.via : 'collection', creditedCents: 0, returnedCents: 0 };
  let next: MoneyEntry;
  if (fact.kind === 'credit') {
    if (entry.creditedCents >= fact.amountCents) return { ledger, changed: false, tookEffectCents: 0 };
    // A return known before its credit leaves the `via` to the credit.
    next = { ...entry, via: entry.creditedCents === 0 ? fact.via : entry.via, creditedCents: fact.amountCents };
  } else {
    if (entry.returnedCents >= fact.amountCents) return { ledger, changed: false, tookEffectCents: 0 };
    next = { ...entry, returnedCents: fact.amountCents };
  }
  return {
    ledger: { ...ledger, entries: { ...ledger.entries, [ref]: next } },
    changed: true,
    tookEffectCents: fact.kind === 'return' ? fact.amountCents - entry.returnedCents : 0,
  };
}

/**
 * A booking line as a money fact (the invoice workflow and the facts it restarts from use this one
 * rule): a payment or collection credits its reference (the line's, else `booking:<id>`); a
 * reversal takes back its reference (the line's, else the line's own money when the same line
 * was credited before: a payment reversed by hand), else it names no reference.
 */
export function moneyFactOfBooking(
  b: { bookingId: string; kind: 'payment' | 'collection' | 'reversal'; amountCents: number; reference?: string | null | undefined },
  lineWasCredited: boolean,
): MoneyFact {
  const own = `booking:${b.bookingId}`;
  if (b.kind === 'reversal') {
    const ref = b.reference ?? (lineWasCredited ? own : undefined);
    return { kind: 'return', amountCents: b.amountCents, ...(ref !== undefined ? { ref } : {}) };
  }
  return { kind: 'credit', via: b.kind === 'payment' ? 'transfer' : 'collection', amountCents: b.amountCents, ref: b.reference ?? own };
}

/** The ledger of the booking lines an invoice applied (`applied`: the kinds it applied each line as). */
export function ledgerOfBookings(
  lines: readonly { bookingId: string; applied: readonly string[]; amountCents: number; reference: string | null }[],
): MoneyLedger {
  let ledger = emptyLedger();
  for (const line of lines) {
    const credited = line.applied.includes('payment') || line.applied.includes('collection');
    for (const kind of line.applied) {
      if (kind !== 'payment' && kind !== 'collection' && kind !== 'reversal') continue;
      ledger = recordMoney(ledger, moneyFactOfBooking({ bookingId: line.bookingId, kind, amountCents: line.amountCents, reference: line.reference }, credited)).ledger;
    }
  }
  return ledger;
}

/** The money event of a fact (for applyInvoiceEvent). */
export function eventOfMoneyFact(fact: MoneyFact, reason = 'MS03'): InvoiceEvent {
  const ref = fact.ref !== undefined ? { ref: fact.ref } : {};
  if (fact.kind === 'return') return { type: 'storno', reason, amountCents: fact.amountCents, ...ref };
  return { type: fact.via === 'transfer' ? 'paid' : 'collected', amountCents: fact.amountCents, ...ref };
}

function settledStatus(transferredCents: number): 'paid' | 'collected' {
  return transferredCents > 0 ? 'paid' : 'collected';
}

const ESCALATION_RANK: Record<EscalationStatus, number> = { reminded: 1, final_notice: 2, handed_over: 3 };

function effectsOf(state: InvoiceState, over: Partial<InvoiceEffects> = {}): InvoiceEffects {
  const base: InvoiceEffects = { reminders: 'unchanged', thankYouAllowed: false };
  const overpaid = overpaidCents(state);
  if (overpaid > 0) base.overpaidCents = overpaid;
  return { ...base, ...over };
}

function positiveAmount(event: { type: string; amountCents: number }): string | undefined {
  return Number.isSafeInteger(event.amountCents) && event.amountCents > 0
    ? undefined
    : `The ${event.type} amount must be positive whole cents (got ${event.amountCents})`;
}

/** The state with its derived money (paid, transferred) brought in line with its ledger. */
function withMoney(s: InvoiceState): InvoiceState {
  const m = moneyOf(s);
  return { ...s, paidCents: m.paidCents, transferredCents: m.transferredCents };
}

/** Applies one event; a refused step leaves the state as it was (the caller keeps the old one). */
export function applyInvoiceEvent(state: InvoiceState, event: InvoiceEvent): InvoiceTransition {
  const s: InvoiceState = withMoney({ costsCents: 0, transferredCents: 0, reversedCents: 0, ...state, ledger: ledgerOf(state) });
  switch (event.type) {
    case 'sent': {
      if (s.status === 'sent') return { ok: true, state: s, effects: effectsOf(s) };
      if (s.status !== 'open') return { ok: false, reason: `The invoice cannot be marked sent while it is ${s.status}` };
      const next = { ...s, status: 'sent' as const };
      // The escalation clock runs from the due date of a sent invoice.
      return { ok: true, state: next, effects: effectsOf(next, { reminders: 'start' }) };
    }
    case 'exported': {
      if (!['open', 'sent', 'reversed'].includes(s.status)) {
        return { ok: false, reason: `The invoice cannot go into a direct debit file while it is ${s.status}` };
      }
      if (openCents(s) <= 0) return { ok: false, reason: 'Nothing is outstanding on this invoice' };
      const next = { ...s, status: 'collection_pending' as const };
      // No reminders while the money is being collected.
      return { ok: true, state: next, effects: effectsOf(next, { reminders: 'stop' }) };
    }
    case 'paid':
    case 'collected':
    case 'storno': {
      const bad = positiveAmount(event);
      if (bad) return { ok: false, reason: bad };
      const isReturn = event.type === 'storno';
      const fact: MoneyFact = isReturn
        ? { kind: 'return', amountCents: event.amountCents, ...(event.ref !== undefined ? { ref: event.ref } : {}) }
        : { kind: 'credit', via: event.type === 'paid' ? 'transfer' : 'collection', amountCents: event.amountCents, ...(event.ref !== undefined ? { ref: event.ref } : {}) };
      const recorded = recordMoney(s.ledger!, fact);
      if (!recorded.changed) return { ok: true, state: s, effects: effectsOf(s, { duplicate: true }) };
      const next = withMoney({ ...s, ledger: recorded.ledger, reversedCents: (s.reversedCents ?? 0) + recorded.tookEffectCents });
      const followUp = isReturn ? { stornoFollowUp: { reason: event.reason } } : {};
      if (s.status === 'credited') return { ok: true, state: next, effects: effectsOf(next, followUp) };
      if (openCents(next) <= 0) {
        next.status = settledStatus(next.transferredCents ?? 0);
        return { ok: true, state: next, effects: effectsOf(next, { ...followUp, reminders: 'stop', thankYouAllowed: !isReturn }) };
      }
      // Money is open after a return (also one that arrived before its credit): the collection
      // failed. An escalated invoice keeps its escalation level; everything else is 'reversed'.
      // A settled invoice that a return reopens is 'reversed' too.
      if (isReturn) {
        if (!isEscalationStatus(s.status)) next.status = 'reversed';
      } else if (s.status === 'paid' || s.status === 'collected') {
        next.status = 'reversed';
      }
      // A partial payment leaves the status as it was; only the open amount changes.
      return { ok: true, state: next, effects: effectsOf(next, followUp) };
    }
    case 'rejected': {
      // Like a storno for what follows (the storno policy decides), but no money moved: the
      // ledger, hence the open amount, stays as it is.
      const followUp = { stornoFollowUp: { reason: event.reason } };
      if (s.status === 'credited') return { ok: true, state: s, effects: effectsOf(s, followUp) };
      const next: InvoiceState = { ...s };
      if (openCents(next) <= 0) {
        // Settled meanwhile (paid by transfer): nothing to chase.
        next.status = settledStatus(next.transferredCents ?? 0);
        return { ok: true, state: next, effects: effectsOf(next, { ...followUp, reminders: 'stop' }) };
      }
      if (!isEscalationStatus(s.status)) next.status = 'reversed';
      return { ok: true, state: next, effects: effectsOf(next, followUp) };
    }
    case 'reminderAction': {
      if (!isEscalationStatus(event.statusAfter)) {
        return { ok: false, reason: `A reminder action must set ${ESCALATION_STATUSES.join(', ')} (got ${String(event.statusAfter)})` };
      }
      if (s.status === 'credited' || s.status === 'paid' || s.status === 'collected' || openCents(s) <= 0) {
        return { ok: false, reason: `No reminder for an invoice that is ${s.status === 'credited' ? 'credited' : 'paid'}` };
      }
      if (s.status === 'collection_pending') {
        return { ok: false, reason: 'No reminder while the amount is being collected by direct debit' };
      }
      if (s.status === 'open') return { ok: false, reason: 'No reminder for an invoice that was never sent' };
      if (isEscalationStatus(s.status) && ESCALATION_RANK[event.statusAfter] < ESCALATION_RANK[s.status]) {
        return { ok: false, reason: `A reminder action may not lower the invoice from ${s.status} to ${event.statusAfter}` };
      }
      const next = { ...s, status: event.statusAfter };
      return { ok: true, state: next, effects: effectsOf(next) };
    }
    case 'costs': {
      if (!Number.isSafeInteger(event.amountCents) || event.amountCents < 0 || event.amountCents > MAX_AMOUNT_CENTS) {
        return { ok: false, reason: `Collection costs must be whole cents from 0 to ${MAX_AMOUNT_CENTS} (got ${event.amountCents})` };
      }
      if (event.amountCents <= (s.costsCents ?? 0)) return { ok: true, state: s, effects: effectsOf(s) };
      if (s.status === 'credited' || s.status === 'paid' || s.status === 'collected' || openCents(s) <= 0) {
        return { ok: false, reason: `No collection costs on an invoice that is ${s.status === 'credited' ? 'credited' : 'paid'}` };
      }
      if (s.status === 'collection_pending') return { ok: false, reason: 'No collection costs while the amount is being collected by direct debit' };
      if (s.status === 'open') return { ok: false, reason: 'No collection costs on an invoice that was never sent' };
      const next = withMoney({ ...s, costsCents: event.amountCents });
      return { ok: true, state: next, effects: effectsOf(next) };
    }
    case 'credited': {
      if (s.status === 'credited') return { ok: false, reason: 'The invoice is already credited' };
      if (s.status === 'collection_pending') {
        return { ok: false, reason: 'The invoice is in a direct debit file: wait for the collection or its return before crediting' };
      }
      // A credit note: nothing is owed any more; money received becomes the client's credit.
      const next = withMoney({ ...s, status: 'credited' as const });
      return { ok: true, state: next, effects: effectsOf(next, { reminders: 'stop' }) };
    }
    default:
      return { ok: false, reason: `Unknown invoice event: ${JSON.stringify(event)}` };
  }
}

/** Applies events in order; stops at the first refused step and says which. */
export function applyInvoiceEvents(state: InvoiceState, events: readonly InvoiceEvent[]): InvoiceTransition & { applied: number } {
  let current: InvoiceTransition = { ok: true, state, effects: effectsOf(state) };
  for (let i = 0; i < events.length; i++) {
    const r = applyInvoiceEvent(current.ok ? current.state : state, events[i]!);
    if (!r.ok) return { ...r, reason: `Event ${i + 1} (${events[i]!.type}): ${r.reason}`, applied: i };
    current = r;
  }
  return { ...current, applied: events.length };
}
