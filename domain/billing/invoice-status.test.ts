import { describe, expect, it } from 'vitest';
import {
  applyInvoiceEvent,
  applyInvoiceEvents,
  newInvoiceState,
  openCents,
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
    ['storno before its collection is confirmed', at('collection_pending'), storno, 'reversed', -TOTAL, 'unchanged', false],
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
