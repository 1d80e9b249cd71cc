import { describe, expect, it } from 'vitest';
import { compareEvents, decideEvent, InsuranceStatus, statusAfter } from './events.js';
import { amountToCents, centsToAmount, partsForCoverages, totalPremiumCents } from './premium.js';

const stamp = (version: number, eventAt: string, messageId = `m${version}`) => ({ version, eventAt, messageId });

describe('insurance event ordering (last writer wins)', () => {
  it('orders by version, then event time, then message id', () => {
    expect(compareEvents(stamp(1, '2026-11-23T10:00:00Z'), stamp(2, '2026-11-23T09:00:00Z'))).toBe(-1);
    expect(compareEvents(stamp(2, '2026-11-23T10:00:00Z', 'a'), stamp(2, '2026-11-23T11:00:00Z', 'b'))).toBe(-1);
    expect(compareEvents(stamp(2, '2026-11-23T10:00:00Z', 'b'), stamp(2, '2026-11-23T10:00:00Z', 'a'))).toBe(1);
    expect(compareEvents(stamp(2, '2026-11-23T10:00:00Z', 'a'), stamp(2, '2026-11-23T10:00:00Z', 'a'))).toBe(0);
  });

  it('applies the first event and every newer one', () => {
    expect(decideEvent(undefined, stamp(1, '2026-11-23T10:00:00Z')).outcome).toBe('apply');
    expect(decideEvent(stamp(1, '2026-11-23T10:00:00Z'), stamp(2, '2026-11-23T10:05:00Z')).outcome).toBe('apply');
  });

  it('keeps an older event out (out of order) and names why', () => {
    const d = decideEvent(stamp(3, '2026-11-23T10:00:00Z'), stamp(2, '2026-11-23T11:00:00Z'));
    expect(d).toEqual({ outcome: 'stale', reason: expect.stringContaining('verkeerde volgorde') });
  });

  it('a second message with the same version: the later event time wins, the earlier is a flagged conflict', () => {
    expect(decideEvent(stamp(2, '2026-11-23T10:00:00Z', 'a'), stamp(2, '2026-11-23T10:01:00Z', 'b')).outcome).toBe('apply');
    const d = decideEvent(stamp(2, '2026-11-23T10:01:00Z', 'b'), stamp(2, '2026-11-23T10:00:00Z', 'a'));
    expect(d.outcome).toBe('stale');
    expect(d.reason).toMatch(/conflict/);
  });

  it('the same message again is a duplicate', () => {
    expect(decideEvent(stamp(2, '2026-11-23T10:00:00Z'), stamp(2, '2026-11-23T10:00:00Z')).outcome).toBe('duplicate');
  });

  it('both arrival orders of two events end with the newer one applied', () => {
    const older = stamp(2, '2026-11-23T10:00:00Z');
    const newer = stamp(3, '2026-11-23T10:00:00Z');
    for (const [first, second] of [[older, newer], [newer, older]] as const) {
      let last = undefined as typeof older | undefined;
      for (const e of [first, second]) if (decideEvent(last, e).outcome === 'apply') last = e;
      expect(last).toBe(newer);
    }
  });
});

describe('insurance status', () => {
  it('moves along quote → final → mutation → cancellation and never back from ended', () => {
    expect(statusAfter(InsuranceStatus.QuoteRequested, 'quote')).toBe(InsuranceStatus.QuoteReceived);
    expect(statusAfter(InsuranceStatus.QuoteReceived, 'final')).toBe(InsuranceStatus.Running);
    expect(statusAfter(InsuranceStatus.Running, 'mutation')).toBe(InsuranceStatus.Running);
    expect(statusAfter(InsuranceStatus.Running, 'quote')).toBe(InsuranceStatus.Running);
    expect(statusAfter(InsuranceStatus.Running, 'cancellation')).toBe(InsuranceStatus.Ended);
    expect(statusAfter(InsuranceStatus.Ended, 'mutation')).toBe(InsuranceStatus.Ended);
  });
});

describe('premium and coverage mapping', () => {
  it('parses AFD amounts into cents', () => {
    expect(amountToCents('123.45')).toBe(12345);
    expect(amountToCents('7,5')).toBe(750);
    expect(amountToCents('12')).toBe(1200);
    expect(amountToCents('-3.10')).toBe(-310);
    expect(amountToCents('1.234')).toBeUndefined();
    expect(amountToCents('12 euro')).toBeUndefined();
    expect(centsToAmount(12345)).toBe('123.45');
    expect(centsToAmount(-5)).toBe('-0.05');
  });

  it('one part per coverage code, in RISK order, last listing wins', () => {
    const parts = partsForCoverages([
      { code: 'WA', description: 'Aansprakelijkheid', premiumCents: 1000 },
      { code: 'CASCO', description: 'Casco', premiumCents: 2000 },
      { code: 'WA', description: 'Aansprakelijkheid', premiumCents: 1100 },
    ]);
    expect(parts.map((p) => [p.number, p.code, p.premiumCents])).toEqual([
      [1, 'WA', 1100],
      [2, 'CASCO', 2000],
    ]);
    expect(totalPremiumCents([{ code: 'A', description: 'a', premiumCents: 5 }, { code: 'B', description: 'b', premiumCents: 7 }])).toBe(12);
  });
});
