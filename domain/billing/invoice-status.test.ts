import { describe, expect, it } from 'vitest';
import {
  applyInvoiceEvent,
  applyInvoiceEvents,
  newInvoiceState,
  moneyOf,
  openCents,
  overpaidCents,
  type InvoiceEvent,
  type InvoiceState,
  type InvoiceStatus,
} from './invoice-status.js';

const TOTAL = 12_100;
const at = (status: InvoiceStatus, paidCents = 0, extra: Partial<InvoiceState> = {}): InvoiceState => ({
  status,
  totalCents: TOTAL,
  paidCents,
  transferredCents: 0,
  reversedCents: 0,
  ...extra,
});
const collected: InvoiceEvent = { type: 'collected', amountCents: TOTAL };
const storno: InvoiceEvent = { type: 'storno', reason: 'AM04', amountCents: TOTAL };
const transfer: InvoiceEvent = { type: 'paid', amountCents: TOTAL };

function run(start: InvoiceState, events: InvoiceEvent[]): InvoiceState {
  const r = applyInvoiceEvents(start, events);
  if (!r.ok) throw new Error(r.reason);
  return r.state;
}

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

describe('applyInvoiceEvent: single steps', () => {
  it.each<[string, InvoiceState, InvoiceEvent, InvoiceStatus, number, 'stop' | 'start' | 'unchanged', boolean]>([
    // name, before, event, status after, paid after, reminders, thank-you allowed
    ['send', at('open'), { type: 'sent' }, 'sent', 0, 'start', false],
    ['send again (idempotent)', at('sent'), { type: 'sent' }, 'sent', 0, 'unchanged', false],
    ['export to a SEPA file', at('sent'), { type: 'exported' }, 'collection_pending', 0, 'stop', false],
    ['export for a re-collection', at('reversed'), { type: 'exported' }, 'collection_pending', 0, 'stop', false],
    ['collected in full', at('collection_pending'), collected, 'collected', TOTAL, 'stop', true],
    ['paid in full by transfer', at('sent'), transfer, 'paid', TOTAL, 'stop', true],
    ['partial payment keeps the status', at('sent'), { type: 'paid', amountCents: 2_100 }, 'sent', 2_100, 'unchanged', false],
    ['partial payment while reminded', at('reminded'), { type: 'paid', amountCents: 2_100 }, 'reminded', 2_100, 'unchanged', false],
    ['rest paid after a partial payment', at('reminded', 2_100, { transferredCents: 2_100 }), { type: 'paid', amountCents: 10_000 }, 'paid', TOTAL, 'stop', true],
    ['paid by transfer after a storno', at('reversed', 0), transfer, 'paid', TOTAL, 'stop', true],
    ['storno after collection: reversed, amount open again', at('collected', TOTAL), storno, 'reversed', 0, 'unchanged', false],
    // Was -TOTAL (open 2 × TOTAL: issue 15's "openCents 6050 on a total of 3025"): a return takes back
    // only money that was received, so nothing is paid and the total is open, not twice the total.
    ['storno before its collection is confirmed', at('collection_pending'), storno, 'reversed', 0, 'unchanged', false],
    ['late collection confirmation after the storno stays reversed', at('reversed', -TOTAL), collected, 'reversed', 0, 'unchanged', false],
    ['storno while reminded keeps the escalation level', at('reminded', TOTAL), storno, 'reminded', 0, 'unchanged', false],
    ['first reminder', at('sent'), { type: 'reminderAction', statusAfter: 'reminded' }, 'reminded', 0, 'unchanged', false],
    ['second reminder', at('reminded'), { type: 'reminderAction', statusAfter: 'reminded' }, 'reminded', 0, 'unchanged', false],
    ['reminder after a storno', at('reversed'), { type: 'reminderAction', statusAfter: 'reminded' }, 'reminded', 0, 'unchanged', false],
    ['14-dagenbrief', at('reminded'), { type: 'reminderAction', statusAfter: 'final_notice' }, 'final_notice', 0, 'unchanged', false],
    ['hand-over', at('final_notice'), { type: 'reminderAction', statusAfter: 'handed_over' }, 'handed_over', 0, 'unchanged', false],
    ['paid while handed over', at('handed_over'), transfer, 'paid', TOTAL, 'stop', true],
    ['credit note', at('reminded'), { type: 'credited' }, 'credited', 0, 'stop', false],
  ])('%s', (_name, before, event, status, paid, reminders, thankYou) => {
    const r = applyInvoiceEvent(before, event);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.state.status).toBe(status);
    expect(r.state.paidCents).toBe(paid);
    expect(r.effects.reminders).toBe(reminders);
    expect(r.effects.thankYouAllowed).toBe(thankYou);
  });

  it('a storno asks the storno policy for the follow-up', () => {
    const r = applyInvoiceEvent(at('collected', TOTAL), storno);
    expect(r.ok && r.effects.stornoFollowUp).toEqual({ reason: 'AM04' });
    expect(r.ok && r.state.reversedCents).toBe(TOTAL);
  });

  it('overpayment is reported for a refund', () => {
    const r = applyInvoiceEvent(at('paid', TOTAL, { transferredCents: TOTAL }), collected);
    expect(r.ok && r.state.status).toBe('paid');
    expect(r.ok && r.effects.overpaidCents).toBe(TOTAL);
  });

  it('a payment on a credited invoice is to be refunded, the status stays credited', () => {
    const r = applyInvoiceEvent(at('credited'), transfer);
    expect(r.ok && r.state.status).toBe('credited');
    expect(r.ok && r.effects.overpaidCents).toBe(TOTAL);
  });

  it.each<[string, InvoiceState, InvoiceEvent, string]>([
    ['send a paid invoice', at('paid', TOTAL), { type: 'sent' }, 'cannot be marked sent while it is paid'],
    ['export a paid invoice', at('paid', TOTAL), { type: 'exported' }, 'cannot go into a direct debit file while it is paid'],
    ['export twice', at('collection_pending'), { type: 'exported' }, 'while it is collection_pending'],
    ['export with nothing open', at('sent', TOTAL), { type: 'exported' }, 'Nothing is outstanding'],
    ['remind a paid invoice', at('paid', TOTAL), { type: 'reminderAction', statusAfter: 'reminded' }, 'No reminder for an invoice that is paid'],
    ['remind a credited invoice', at('credited'), { type: 'reminderAction', statusAfter: 'reminded' }, 'credited'],
    ['remind during collection', at('collection_pending'), { type: 'reminderAction', statusAfter: 'reminded' }, 'being collected'],
    ['remind an unsent invoice', at('open'), { type: 'reminderAction', statusAfter: 'reminded' }, 'never sent'],
    ['lower the escalation', at('final_notice'), { type: 'reminderAction', statusAfter: 'reminded' }, 'may not lower'],
    ['reminder to a non-escalation status', at('sent'), { type: 'reminderAction', statusAfter: 'paid' as 'reminded' }, 'must set reminded'],
    ['credit twice', at('credited'), { type: 'credited' }, 'already credited'],
    ['credit during collection', at('collection_pending'), { type: 'credited' }, 'direct debit file'],
    ['zero payment', at('sent'), { type: 'paid', amountCents: 0 }, 'must be positive'],
    ['fractional storno', at('collected', TOTAL), { type: 'storno', reason: 'AM04', amountCents: 1.5 }, 'must be positive'],
  ])('refuses: %s', (_name, before, event, reason) => {
    const r = applyInvoiceEvent(before, event);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(reason);
  });
});

describe('order independence (bank facts in any order)', () => {
  const exported = run(newInvoiceState(TOTAL), [{ type: 'sent' }, { type: 'exported' }]);

  it.each(permutations([collected, storno]).map((p) => [p.map((e) => e.type).join(' → '), p] as const))(
    'collection and its storno: %s ends reversed with the full amount open',
    (_name, events) => {
      const s = run(exported, [...events]);
      expect(s.status).toBe('reversed');
      expect(s.paidCents).toBe(0);
      expect(openCents(s)).toBe(TOTAL);
    },
  );

  it.each(permutations([storno, transfer]).map((p) => [p.map((e) => e.type).join(' → '), p] as const))(
    'after a collection, storno and payment by transfer: %s ends paid',
    (_name, events) => {
      const s = run(exported, [collected, ...events]);
      expect(s.status).toBe('paid');
      expect(s.paidCents).toBe(TOTAL);
      expect(openCents(s)).toBe(0);
    },
  );

  it.each(permutations([collected, storno, transfer]).map((p) => [p.map((e) => e.type).join(' → '), p] as const))(
    'collection, storno and transfer: %s ends paid',
    (_name, events) => {
      const s = run(exported, [...events]);
      expect(s.status).toBe('paid');
      expect(s.paidCents).toBe(TOTAL);
    },
  );

  it.each(
    permutations([
      { type: 'paid', amountCents: 2_100 },
      { type: 'paid', amountCents: 4_000 },
      { type: 'paid', amountCents: 6_000 },
    ] as InvoiceEvent[]).map((p) => [p.map((e) => (e as { amountCents: number }).amountCents).join(' + '), p] as const),
  )('partial payments %s end paid', (_name, events) => {
    const sent = run(newInvoiceState(TOTAL), [{ type: 'sent' }]);
    const s = run(sent, [...events]);
    expect(s.status).toBe('paid');
    expect(openCents(s)).toBe(0);
  });

  it('never a thank-you after a storno until the invoice is really settled', () => {
    let s = exported;
    for (const e of [storno, collected]) {
      const r = applyInvoiceEvent(s, e);
      expect(r.ok && r.effects.thankYouAllowed).toBe(false);
      if (r.ok) s = r.state;
    }
    const paid = applyInvoiceEvent(s, transfer);
    expect(paid.ok && paid.effects.thankYouAllowed).toBe(true);
  });

  it('herincasso after AM04: reversed → exported → collected', () => {
    const s = run(exported, [collected, storno, { type: 'exported' }, collected]);
    expect(s).toMatchObject({ status: 'collected', paidCents: TOTAL, reversedCents: TOTAL });
  });

  it('applyInvoiceEvents names the refused step and keeps the count', () => {
    const r = applyInvoiceEvents(newInvoiceState(TOTAL), [{ type: 'sent' }, transfer, { type: 'reminderAction', statusAfter: 'reminded' }]);
    expect(r.ok).toBe(false);
    expect(r.applied).toBe(2);
    if (!r.ok) expect(r.reason).toMatch(/^Event 3 \(reminderAction\)/);
  });

  it('accepts a minimal state without the optional counters', () => {
    const r = applyInvoiceEvent({ status: 'collection_pending', totalCents: TOTAL, paidCents: 0 }, collected);
    expect(r.ok && r.state.status).toBe('collected');
  });
});

describe('the money invariant: open = total + costs − received, per reference', () => {
  const T = 3_025;
  const E1 = 'INV-2026-00001-0-abcdef12';
  const E2 = 'INV-2026-00001-1-abcdef12';
  const sentExported = (total = T): InvoiceState => run(newInvoiceState(total), [{ type: 'sent' }, { type: 'exported' }]);
  const credit = (ref: string, amountCents = T): InvoiceEvent => ({ type: 'collected', amountCents, ref });
  const ret = (ref: string | undefined, reason = 'MD06', amountCents = T): InvoiceEvent => ({ type: 'storno', reason, amountCents, ...(ref ? { ref } : {}) });
  const pay = (ref: string, amountCents = T): InvoiceEvent => ({ type: 'paid', amountCents, ref });
  const money = (s: InvoiceState) => ({ status: s.status, paidCents: moneyOf(s).paidCents, openCents: openCents(s), overpaidCents: overpaidCents(s) });

  it.each<[string, InvoiceEvent[], { status: InvoiceStatus; paidCents: number; openCents: number; overpaidCents: number }]>([
    // name, events after sent + exported, expected money and status
    ["issue 15: the batch credit is unmatched, the return (MD06) comes alone", [ret(E1)], { status: 'reversed', paidCents: 0, openCents: T, overpaidCents: 0 }],
    ['the return first, the batch credit matched later', [ret(E1), credit(E1)], { status: 'reversed', paidCents: 0, openCents: T, overpaidCents: 0 }],
    ['credit, then its return', [credit(E1), ret(E1)], { status: 'reversed', paidCents: 0, openCents: T, overpaidCents: 0 }],
    ['the same return in two files counts once', [credit(E1), ret(E1), ret(E1)], { status: 'reversed', paidCents: 0, openCents: T, overpaidCents: 0 }],
    ['the same credit in a camt.054 and the camt.053 counts once', [credit(E1), credit(E1)], { status: 'collected', paidCents: T, openCents: 0, overpaidCents: 0 }],
    ['a reject before settlement (pain.002), the credit never comes', [ret(E1, 'AC04')], { status: 'reversed', paidCents: 0, openCents: T, overpaidCents: 0 }],
    ['return before credit, then the client pays by transfer', [ret(E1), pay('booking:p1')], { status: 'paid', paidCents: T, openCents: 0, overpaidCents: 0 }],
    ['return before credit, transfer, then the credit', [ret(E1), pay('booking:p1'), credit(E1)], { status: 'paid', paidCents: T, openCents: 0, overpaidCents: 0 }],
    ['collected and paid by transfer too: the second is the client\'s credit', [credit(E1), pay('booking:p1')], { status: 'paid', paidCents: T, openCents: 0, overpaidCents: T }],
    ['an overpayment taken back by the return of the collection', [credit(E1), pay('booking:p1'), ret(E1)], { status: 'paid', paidCents: T, openCents: 0, overpaidCents: 0 }],
    ['herincasso: returned, re-collected under a new EndToEndId', [credit(E1), ret(E1, 'AM04'), { type: 'exported' }, credit(E2)], { status: 'collected', paidCents: T, openCents: 0, overpaidCents: 0 }],
    ['herincasso whose return arrives before its credit', [credit(E1), ret(E1, 'AM04'), { type: 'exported' }, ret(E2, 'AM04'), credit(E2)], { status: 'reversed', paidCents: 0, openCents: T, overpaidCents: 0 }],
    ['a late duplicate of the first return after the herincasso succeeded', [credit(E1), ret(E1, 'AM04'), { type: 'exported' }, credit(E2), ret(E1, 'AM04')], { status: 'collected', paidCents: T, openCents: 0, overpaidCents: 0 }],
    ['a pain.002 reject: no money moved, the total stays open', [{ type: 'rejected', reason: 'AC04', ref: E1 }], { status: 'reversed', paidCents: 0, openCents: T, overpaidCents: 0 }],
    ['a pain.002 reject, then the client pays by transfer', [{ type: 'rejected', reason: 'AC04', ref: E1 }, pay('booking:p1')], { status: 'paid', paidCents: T, openCents: 0, overpaidCents: 0 }],
    ['a pain.002 reject after a transfer settled it stays paid', [pay('booking:p1'), { type: 'rejected', reason: 'AC04', ref: E1 }], { status: 'paid', paidCents: T, openCents: 0, overpaidCents: 0 }],
    ['a pain.002 reject and the return of the same collection: still only the total open', [{ type: 'rejected', reason: 'AC04', ref: E1 }, ret(E1)], { status: 'reversed', paidCents: 0, openCents: T, overpaidCents: 0 }],
    ['a partial transfer, then the rest', [pay('booking:p1', 1_000), pay('booking:p2', 2_025)], { status: 'paid', paidCents: T, openCents: 0, overpaidCents: 0 }],
    ['a payment reversed by hand (its own reference)', [pay('booking:p1'), ret('booking:p1')], { status: 'reversed', paidCents: 0, openCents: T, overpaidCents: 0 }],
    ['a return naming no reference takes back at most what was received', [ret(undefined), ret(undefined)], { status: 'reversed', paidCents: 0, openCents: T, overpaidCents: 0 }],
    ['a return naming no reference: collected money first, then transferred', [credit(E1), pay('booking:p1'), ret(undefined)], { status: 'paid', paidCents: T, openCents: 0, overpaidCents: 0 }],
    ['€ 21.474.836,47 on € 30,25: all but the total is the client\'s credit', [pay('booking:p1', 2_147_483_647)], { status: 'paid', paidCents: T, openCents: 0, overpaidCents: 2_147_483_647 - T }],
  ])('%s', (_name, events, expected) => {
    expect(money(run(sentExported(), events))).toEqual(expected);
  });

  it.each<[string, InvoiceState, InvoiceEvent[], { status: InvoiceStatus; paidCents: number; openCents: number; overpaidCents: number }]>([
    ['costs are owed on top of the total', at('reminded'), [{ type: 'costs', amountCents: 4_000 }], { status: 'reminded', paidCents: 0, openCents: TOTAL + 4_000, overpaidCents: 0 }],
    ['the total alone leaves the costs open', at('final_notice', 0, { costsCents: 4_000 }), [pay('booking:p1', TOTAL)], { status: 'final_notice', paidCents: TOTAL, openCents: 4_000, overpaidCents: 0 }],
    ['total and costs paid settle it', at('final_notice', 0, { costsCents: 4_000 }), [pay('booking:p1', TOTAL + 4_000)], { status: 'paid', paidCents: TOTAL + 4_000, openCents: 0, overpaidCents: 0 }],
    ['costs are never lowered', at('final_notice', 0, { costsCents: 4_000 }), [{ type: 'costs', amountCents: 1_000 }], { status: 'final_notice', paidCents: 0, openCents: TOTAL + 4_000, overpaidCents: 0 }],
    ['a credit note: nothing owed, the money received is the client\'s credit', at('reminded', 2_000, { transferredCents: 2_000 }), [{ type: 'credited' }], { status: 'credited', paidCents: 0, openCents: 0, overpaidCents: 2_000 }],
    ['a payment on a credited invoice is the client\'s credit', at('credited'), [pay('booking:p1')], { status: 'credited', paidCents: 0, openCents: 0, overpaidCents: T }],
    ['an old state with a negative paid amount (the bug) reads as a return waiting for its credit', at('reversed', -TOTAL), [], { status: 'reversed', paidCents: 0, openCents: TOTAL, overpaidCents: 0 }],
  ])('%s', (_name, before, events, expected) => {
    expect(money(run(before, events))).toEqual(expected);
  });

  it('a duplicate return has no follow-up and changes nothing', () => {
    const s = run(sentExported(), [credit(E1), ret(E1)]);
    const again = applyInvoiceEvent(s, ret(E1));
    expect(again.ok && again.effects).toMatchObject({ duplicate: true });
    expect(again.ok && again.effects.stornoFollowUp).toBeUndefined();
    expect(again.ok && again.state).toEqual(s);
  });

  it('a return before its credit asks the storno policy at once; the late credit does not settle', () => {
    const r = applyInvoiceEvent(sentExported(), ret(E1, 'AM04'));
    expect(r.ok && r.effects.stornoFollowUp).toEqual({ reason: 'AM04' });
    const late = applyInvoiceEvent(r.ok ? r.state : sentExported(), credit(E1));
    expect(late.ok && late.effects.thankYouAllowed).toBe(false);
    expect(late.ok && late.state.status).toBe('reversed');
  });

  it.each<[string, InvoiceState, InvoiceEvent, string]>([
    ['costs on a paid invoice', at('paid', TOTAL), { type: 'costs', amountCents: 4_000 }, 'paid'],
    ['costs on a credited invoice', at('credited'), { type: 'costs', amountCents: 4_000 }, 'credited'],
    ['costs during a collection', at('collection_pending'), { type: 'costs', amountCents: 4_000 }, 'being collected'],
    ['costs beyond the maximum amount', at('reminded'), { type: 'costs', amountCents: 100_000_000_000 }, 'from 0 to'],
    ['negative costs', at('reminded'), { type: 'costs', amountCents: -1 }, 'from 0 to'],
  ])('refuses: %s', (_name, before, event, reason) => {
    const r = applyInvoiceEvent(before, event);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(reason);
  });
});
