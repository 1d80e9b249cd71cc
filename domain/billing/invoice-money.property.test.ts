/**
 * The money invariant as a property (issue 15): for any interleaving of the invoice's own steps
 * (sent, exported, reminders, collection costs, a credit note) and the bank's and the adviser's
 * money facts (collections credited, returned, rejected before settlement, payments by transfer
 * and their reversal by hand, every fact possibly twice, in any order),
 *
 *     open = owed − received, never negative, never above owed = total + costs (0 once credited),
 *
 * where `received` is computed here by an independent model: a reference (a collection's
 * EndToEndId, a payment's `booking:<id>`) counts its amount when its credit is known and its
 * return is not; a return whose credit is not known, or a reject, counts nothing. Money beyond
 * what is owed is the client's credit (`overpaidCents`), never absorbed; the status follows the
 * money (nothing open ⇔ paid, collected or credited).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_AMOUNT_CENTS } from './money.js';
import { applyInvoiceEvent, moneyOf, newInvoiceState, owedCents, type InvoiceEvent, type InvoiceState } from './invoice-status.js';

/** A step of the generated history, with the reference it is about (amounts are fixed per reference). */
type Step =
  | { kind: 'credit' | 'return' | 'reject'; collection: number }
  | { kind: 'pay' | 'unpay'; payment: number }
  | { kind: 'sent' | 'exported' | 'credited' | 'remind' | 'final' }
  | { kind: 'costs'; amountCents: number };

const amount = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 50_000 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: MAX_AMOUNT_CENTS }) },
  { weight: 1, arbitrary: fc.constantFrom(1, 3_025, 3_296, 2_147_483_647, 2_147_483_648, MAX_AMOUNT_CENTS) },
);

const scenario = fc.record({
  totalCents: amount,
  collections: fc.array(amount, { minLength: 1, maxLength: 3 }),
  payments: fc.array(amount, { minLength: 1, maxLength: 3 }),
  steps: fc.array(
    fc.oneof(
      { weight: 3, arbitrary: fc.record({ kind: fc.constantFrom('credit' as const, 'return' as const, 'reject' as const), collection: fc.nat(2) }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom('pay' as const, 'unpay' as const), payment: fc.nat(2) }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom('sent' as const, 'exported' as const, 'credited' as const, 'remind' as const, 'final' as const) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('costs' as const), amountCents: fc.integer({ min: 0, max: 10_000 }) }) },
    ),
    { maxLength: 30 },
  ),
});

const refOfCollection = (i: number) => `E2E-${i}`;
const refOfPayment = (i: number) => `booking:p${i}`;

function eventOf(step: Step, collections: number[], payments: number[]): InvoiceEvent {
  switch (step.kind) {
    case 'credit':
      return { type: 'collected', amountCents: collections[step.collection % collections.length]!, ref: refOfCollection(step.collection % collections.length) };
    case 'return':
      return { type: 'storno', reason: 'MD06', amountCents: collections[step.collection % collections.length]!, ref: refOfCollection(step.collection % collections.length) };
    case 'reject':
      return { type: 'rejected', reason: 'AC04', ref: refOfCollection(step.collection % collections.length) };
    case 'pay':
      return { type: 'paid', amountCents: payments[step.payment % payments.length]!, ref: refOfPayment(step.payment % payments.length) };
    case 'unpay':
      return { type: 'storno', reason: 'MD06', amountCents: payments[step.payment % payments.length]!, ref: refOfPayment(step.payment % payments.length) };
    case 'costs':
      return { type: 'costs', amountCents: step.amountCents };
    case 'remind':
      return { type: 'reminderAction', statusAfter: 'reminded' };
    case 'final':
      return { type: 'reminderAction', statusAfter: 'final_notice' };
    default:
      return { type: step.kind };
  }
}

/** The independent model: which references brought money in and did not take it back. */
class Model {
  private readonly credited = new Map<string, number>();
  private readonly returned = new Set<string>();

  see(event: InvoiceEvent): void {
    if ((event.type === 'collected' || event.type === 'paid') && event.ref) this.credited.set(event.ref, event.amountCents);
    if (event.type === 'storno' && event.ref) this.returned.add(event.ref);
  }

  get receivedCents(): number {
    let sum = 0;
    for (const [ref, cents] of this.credited) if (!this.returned.has(ref)) sum += cents;
    return sum;
  }
}

function checkInvariant(state: InvoiceState, model: Model): void {
  const m = moneyOf(state);
  const owed = owedCents(state);
  expect(owed).toBe(state.status === 'credited' ? 0 : state.totalCents + (state.costsCents ?? 0));
  expect(m.receivedCents).toBe(model.receivedCents);
  expect(m.openCents).toBe(Math.max(0, owed - model.receivedCents));
  expect(m.openCents).toBeGreaterThanOrEqual(0);
  expect(m.openCents).toBeLessThanOrEqual(owed);
  expect(m.paidCents).toBe(Math.min(owed, model.receivedCents));
  expect(state.paidCents).toBe(m.paidCents);
  expect(m.overpaidCents).toBe(Math.max(0, model.receivedCents - owed));
  expect(m.paidCents + m.openCents).toBe(owed);
  expect(m.paidCents + m.overpaidCents).toBe(model.receivedCents);
  for (const v of [m.openCents, m.paidCents, m.overpaidCents]) expect(Number.isSafeInteger(v)).toBe(true);
  // The status follows the money.
  if (state.status !== 'open' || model.receivedCents > 0) {
    expect(m.openCents === 0).toBe(['paid', 'collected', 'credited'].includes(state.status));
  }
}

describe('the money invariant holds for any interleaving of invoice, collection, credit, return, reject, payment and costs', () => {
  it('open = total + costs − received after every step, never negative nor above total + costs', () => {
    fc.assert(
      fc.property(scenario, ({ totalCents, collections, payments, steps }) => {
        let state = newInvoiceState(totalCents);
        const model = new Model();
        for (const step of steps) {
          const event = eventOf(step, collections, payments);
          const t = applyInvoiceEvent(state, event);
          if (!t.ok) {
            // Only our own steps may be refused; what the bank or the client did always counts.
            expect(['sent', 'exported', 'credited', 'reminderAction', 'costs']).toContain(event.type);
            continue;
          }
          model.see(event);
          state = t.state;
          checkInvariant(state, model);
          if (t.effects.overpaidCents !== undefined) expect(t.effects.overpaidCents).toBe(moneyOf(state).overpaidCents);
        }
      }),
      { numRuns: 3_000, seed: 15 },
    );
  });

  it('the bank facts in any order end with the same money (and a second copy of any fact changes nothing)', () => {
    const facts = fc.record({
      totalCents: amount,
      collections: fc.array(amount, { minLength: 1, maxLength: 3 }),
      payments: fc.array(amount, { minLength: 1, maxLength: 3 }),
      steps: fc.array(
        fc.oneof(
          fc.record({ kind: fc.constantFrom('credit' as const, 'return' as const, 'reject' as const), collection: fc.nat(2) }),
          fc.record({ kind: fc.constantFrom('pay' as const, 'unpay' as const), payment: fc.nat(2) }),
        ),
        { maxLength: 12 },
      ),
    });
    fc.assert(
      fc.property(facts, fc.infiniteStream(fc.nat()), ({ totalCents, collections, payments, steps }, randoms) => {
        const events = steps.map((s) => eventOf(s, collections, payments));
        const play = (list: InvoiceEvent[]) => {
          // Sent and in a direct debit file, then the facts.
          let state: InvoiceState = { ...newInvoiceState(totalCents), status: 'collection_pending' };
          for (const e of list) {
            const s = applyInvoiceEvent(state, e);
            expect(s.ok).toBe(true);
            if (s.ok) state = s.state;
          }
          const m = moneyOf(state);
          return { open: m.openCents, paid: m.paidCents, overpaid: m.overpaidCents, settled: ['paid', 'collected'].includes(state.status) };
        };
        const shuffled = [...events];
        const it = randoms[Symbol.iterator]();
        for (let i = shuffled.length - 1; i > 0; i--) {
          const j = it.next().value! % (i + 1);
          [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
        }
        const doubled = events.flatMap((e) => [e, e]);
        const expected = play(events);
        expect(play(shuffled)).toEqual(expected);
        expect(play(doubled)).toEqual(expected);
      }),
      { numRuns: 2_000, seed: 15 },
    );
  });

  it("issue 15's example: an MD06 return of a collection never booked leaves 3025 open on 3025, never 6050", () => {
    let state = newInvoiceState(3_025);
    for (const e of [{ type: 'sent' }, { type: 'exported' }, { type: 'storno', reason: 'MD06', amountCents: 3_025, ref: 'E2E-0' }] as InvoiceEvent[]) {
      const t = applyInvoiceEvent(state, e);
      if (t.ok) state = t.state;
    }
    expect(state.status).toBe('reversed');
    expect(moneyOf(state).openCents).toBe(3_025);
  });
});
