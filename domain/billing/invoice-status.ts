/**
 * The invoice status machine as pure rules. Money is tracked as amounts, not as a sequence, so
 * that bank facts arriving in any order end in the same place:
 * - `paidCents` is the net amount received: transfers + collections − reversals (storno). It may
 *   be negative for a while when a storno arrives before the confirmation of its collection.
 * - The invoice is settled when `paidCents ≥ totalCents`; its status is then 'collected' when no
 *   money came by transfer, else 'paid' (so "collected, storno, paid by transfer" and "paid by
 *   transfer, collected, storno" both end 'paid').
 * - Bank facts (paid, collected, storno) are never refused: the money moved. Our own steps (sent,
 *   exported, reminderAction, credited) are refused with a reason when they make no sense now,
 *   and then nothing changes.
 * - A storno does not decide the follow-up (re-collect, remind, flag the mandate): the effects
 *   name the reason code and the storno policy decides (storno-policy.ts).
 */

import { invoiceStatuses, type InvoiceStatus } from './closed-lists.js';

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

export interface InvoiceState {
  status: InvoiceStatus;
  totalCents: number;
  /** Net received: transfers + collections − reversals. */
  paidCents: number;
  /** Part of `paidCents` that came by transfer (not by direct debit); default 0. */
  transferredCents?: number;
  /** Sum of all reversals so far (for the history; never decreases); default 0. */
  reversedCents?: number;
}

export type InvoiceEvent =
  | { type: 'sent' }
  | { type: 'exported' }
  | { type: 'paid'; amountCents: number }
  | { type: 'collected'; amountCents: number }
  | { type: 'storno'; reason: string; amountCents: number }
  /** A collection the bank rejected before settlement (pain.002): no money moved, the collection never happens. */
  | { type: 'rejected'; reason: string }
  | { type: 'reminderAction'; statusAfter: EscalationStatus }
  | { type: 'credited' };

export interface InvoiceEffects {
  /** What the reminder escalation should do now. */
  reminders: 'stop' | 'start' | 'unchanged';
  /** May a "thank you for your payment" go out now? False after a storno, and while not settled. */
  thankYouAllowed: boolean;
  /** A storno came in: ask the storno policy what to do (re-collect, remind, flag the mandate). */
  stornoFollowUp?: { reason: string };
  /** More was received than owed: refund this much (after the return window for collections). */
  overpaidCents?: number;
}

export type InvoiceTransition =
  | { ok: true; state: InvoiceState; effects: InvoiceEffects }
  | { ok: false; reason: string };

export function newInvoiceState(totalCents: number): InvoiceState {
  if (!Number.isSafeInteger(totalCents) || totalCents < 0) throw new RangeError(`Invoice total must be non-negative whole cents: ${totalCents}`);
  return { status: 'open', totalCents, paidCents: 0, transferredCents: 0, reversedCents: 0 };
}

/** Amount still to be paid (0 when settled or overpaid). */
export function openCents(state: InvoiceState): number {
  return Math.max(0, state.totalCents - state.paidCents);
}

function settledStatus(state: InvoiceState): 'paid' | 'collected' {
  return (state.transferredCents ?? 0) > 0 ? 'paid' : 'collected';
}

const CLOSED: readonly InvoiceStatus[] = ['paid', 'collected', 'credited'];
const ESCALATION_RANK: Record<EscalationStatus, number> = { reminded: 1, final_notice: 2, handed_over: 3 };

function noEffects(state: InvoiceState, over: Partial<InvoiceEffects> = {}): InvoiceEffects {
  const base: InvoiceEffects = { reminders: 'unchanged', thankYouAllowed: false };
  const overpaid = state.paidCents - state.totalCents;
  if (state.status !== 'credited' && overpaid > 0) base.overpaidCents = overpaid;
  if (state.status === 'credited' && state.paidCents > 0) base.overpaidCents = state.paidCents;
  return { ...base, ...over };
}

function positiveAmount(event: { type: string; amountCents: number }): string | undefined {
  return Number.isSafeInteger(event.amountCents) && event.amountCents > 0
    ? undefined
    : `The ${event.type} amount must be positive whole cents (got ${event.amountCents})`;
}

/** Applies one event; a refused step leaves the state as it was (the caller keeps the old one). */
export function applyInvoiceEvent(state: InvoiceState, event: InvoiceEvent): InvoiceTransition {
  const s: InvoiceState = { transferredCents: 0, reversedCents: 0, ...state };
  switch (event.type) {
    case 'sent': {
      if (s.status === 'sent') return { ok: true, state: s, effects: noEffects(s) };
      if (s.status !== 'open') return { ok: false, reason: `The invoice cannot be marked sent while it is ${s.status}` };
      const next = { ...s, status: 'sent' as const };
      // The escalation clock runs from the due date of a sent invoice.
      return { ok: true, state: next, effects: noEffects(next, { reminders: 'start' }) };
    }
    case 'exported': {
      if (!['open', 'sent', 'reversed'].includes(s.status)) {
        return { ok: false, reason: `The invoice cannot go into a direct debit file while it is ${s.status}` };
      }
      if (openCents(s) <= 0) return { ok: false, reason: 'Nothing is outstanding on this invoice' };
      const next = { ...s, status: 'collection_pending' as const };
      // No reminders while the money is being collected.
      return { ok: true, state: next, effects: noEffects(next, { reminders: 'stop' }) };
    }
    case 'paid':
    case 'collected': {
      const bad = positiveAmount(event);
      if (bad) return { ok: false, reason: bad };
      const next: InvoiceState = {
        ...s,
        paidCents: s.paidCents + event.amountCents,
        transferredCents: (s.transferredCents ?? 0) + (event.type === 'paid' ? event.amountCents : 0),
      };
      if (s.status === 'credited') return { ok: true, state: next, effects: noEffects(next) };
      if (next.paidCents >= next.totalCents) {
        next.status = settledStatus(next);
        return { ok: true, state: next, effects: noEffects(next, { reminders: 'stop', thankYouAllowed: true }) };
      }
      // Partial payment, or the late confirmation of a collection already reversed: the open
      // amount changes, the status does not.
      return { ok: true, state: next, effects: noEffects(next) };
    }
    case 'storno': {
      const bad = positiveAmount(event);
      if (bad) return { ok: false, reason: bad };
      const next: InvoiceState = {
        ...s,
        paidCents: s.paidCents - event.amountCents,
        reversedCents: (s.reversedCents ?? 0) + event.amountCents,
      };
      const followUp = { stornoFollowUp: { reason: event.reason } };
      if (s.status === 'credited') return { ok: true, state: next, effects: noEffects(next, followUp) };
      if (next.paidCents >= next.totalCents) {
        // Still settled (e.g. the client also paid by transfer): nothing to chase.
        next.status = settledStatus(next);
        return { ok: true, state: next, effects: noEffects(next, { ...followUp, reminders: 'stop' }) };
      }
      // An escalated invoice keeps its escalation level; everything else becomes 'reversed'.
      if (!isEscalationStatus(s.status)) next.status = 'reversed';
      return { ok: true, state: next, effects: noEffects(next, followUp) };
    }
    case 'rejected': {
      // Like a storno for what follows (the storno policy decides), but no money moved.
      const followUp = { stornoFollowUp: { reason: event.reason } };
      if (s.status === 'credited') return { ok: true, state: s, effects: noEffects(s, followUp) };
      const next: InvoiceState = { ...s };
      if (next.paidCents >= next.totalCents && next.totalCents > 0) {
        // Settled meanwhile (paid by transfer): nothing to chase.
        next.status = settledStatus(next);
        return { ok: true, state: next, effects: noEffects(next, { ...followUp, reminders: 'stop' }) };
      }
      if (!isEscalationStatus(s.status)) next.status = 'reversed';
      return { ok: true, state: next, effects: noEffects(next, followUp) };
    }
    case 'reminderAction': {
      if (!isEscalationStatus(event.statusAfter)) {
        return { ok: false, reason: `A reminder action must set ${ESCALATION_STATUSES.join(', ')} (got ${String(event.statusAfter)})` };
      }
      if (CLOSED.includes(s.status) || openCents(s) <= 0) {
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
      return { ok: true, state: next, effects: noEffects(next) };
    }
    case 'credited': {
      if (s.status === 'credited') return { ok: false, reason: 'The invoice is already credited' };
      if (s.status === 'collection_pending') {
        return { ok: false, reason: 'The invoice is in a direct debit file: wait for the collection or its return before crediting' };
      }
      const next = { ...s, status: 'credited' as const };
      return { ok: true, state: next, effects: noEffects(next, { reminders: 'stop' }) };
    }
    default:
      return { ok: false, reason: `Unknown invoice event: ${JSON.stringify(event)}` };
  }
}

/** Applies events in order; stops at the first refused step and says which. */
export function applyInvoiceEvents(state: InvoiceState, events: readonly InvoiceEvent[]): InvoiceTransition & { applied: number } {
  let current: InvoiceTransition = { ok: true, state, effects: noEffects(state) };
  for (let i = 0; i < events.length; i++) {
    const r = applyInvoiceEvent(current.ok ? current.state : state, events[i]!);
    if (!r.ok) return { ...r, reason: `Event ${i + 1} (${events[i]!.type}): ${r.reason}`, applied: i };
    current = r;
  }
  return { ...current, applied: events.length };
}
