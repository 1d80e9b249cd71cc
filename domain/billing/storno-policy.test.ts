import { describe, expect, it } from 'vitest';
import {
  decideStorno,
  defaultStornoPolicy,
  describeStornoReason,
  STORNO_REASON_CODES,
  STORNO_REASONS,
  validateStornoPolicy,
  type StornoAction,
  type StornoPolicy,
} from './storno-policy.js';

describe('reason codes', () => {
  it('every code has a Dutch and an English description', () => {
    for (const code of STORNO_REASON_CODES) {
      expect(STORNO_REASONS[code].nl.length).toBeGreaterThan(0);
      expect(STORNO_REASONS[code].en.length).toBeGreaterThan(0);
    }
  });
  it.each([
    ['AM04', 'Onvoldoende saldo'],
    [' md06 ', 'Terugboeking op verzoek van de betaler'],
    ['ZZ99', 'Onbekende reden'],
  ])('describeStornoReason(%j).nl = %s', (code, nl) => {
    expect(describeStornoReason(code).nl).toBe(nl);
  });
});

describe('decideStorno with the default policy', () => {
  it.each<[string, number, StornoAction, boolean]>([
    // code, re-collections so far, action, known
    ['AM04', 0, 'recollect', true],
    ['AM04', 1, 'remind', true],
    ['AM04', 5, 'remind', true],
    [' am04 ', 0, 'recollect', true],
    ['AG02', 0, 'recollect', true],
    ['AG02', 1, 'remind', true],
    ['MD06', 0, 'remind', true],
    ['MS02', 0, 'remind', true],
    ['MS03', 0, 'remind', true],
    ['AC01', 0, 'flag-mandate', true],
    ['AC04', 0, 'flag-mandate', true],
    ['AC06', 0, 'flag-mandate', true],
    ['AG01', 0, 'flag-mandate', true],
    ['MD01', 0, 'flag-mandate', true],
    ['MD02', 0, 'flag-mandate', true],
    ['MD07', 0, 'flag-mandate', true],
    ['SL01', 0, 'flag-mandate', true],
    ['RR01', 0, 'flag-mandate', true],
    ['RR02', 0, 'flag-mandate', true],
    ['RR03', 0, 'flag-mandate', true],
    ['RR04', 0, 'flag-mandate', true],
    ['XX99', 0, 'remind', false],
    ['', 0, 'remind', false],
  ])('%j after %i re-collection(s) → %s', (code, soFar, action, known) => {
    const d = decideStorno(defaultStornoPolicy, code, soFar);
    expect(d.action).toBe(action);
    expect(d.known).toBe(known);
    expect(d.reason.length).toBeGreaterThan(0);
  });
  it('AG02 re-collects with sequence type FRST; AM04 keeps the sequence', () => {
    expect(decideStorno(defaultStornoPolicy, 'AG02', 0)).toMatchObject({ action: 'recollect', sequenceType: 'FRST' });
    expect(decideStorno(defaultStornoPolicy, 'AM04', 0).sequenceType).toBeUndefined();
  });
  it('explains itself', () => {
    expect(decideStorno(defaultStornoPolicy, 'AM04', 0).reason).toBe('AM04 (Insufficient funds): re-collect (1 of 1) per the policy for AM04');
    expect(decideStorno(defaultStornoPolicy, 'AM04', 1).reason).toContain('reopen the invoice and start reminders');
    expect(decideStorno(defaultStornoPolicy, 'XX99', 0).reason).toContain('the default policy');
  });
  it('refuses a negative count', () => {
    expect(() => decideStorno(defaultStornoPolicy, 'AM04', -1)).toThrow(RangeError);
  });
});

describe('decideStorno with an office policy', () => {
  const policy: StornoPolicy = {
    default: { action: 'flag-mandate' },
    AM04: { action: 'recollect', maxRecollections: 2, then: 'flag-mandate' },
    // Not validated on purpose: the safety net must still refuse to re-collect AC01.
    AC01: { action: 'recollect' },
  };
  it.each<[string, number, StornoAction]>([
    ['AM04', 0, 'recollect'],
    ['AM04', 1, 'recollect'],
    ['AM04', 2, 'flag-mandate'],
    ['MD06', 0, 'flag-mandate'], // not listed → default
    ['AC01', 0, 'flag-mandate'], // never re-collected
  ])('%s after %i → %s', (code, soFar, action) => {
    expect(decideStorno(policy, code, soFar).action).toBe(action);
  });
});

describe('validateStornoPolicy', () => {
  it('accepts the default policy, also after a JSON round trip', () => {
    const r = validateStornoPolicy(JSON.parse(JSON.stringify(defaultStornoPolicy)));
    expect(r).toEqual({ ok: true, value: defaultStornoPolicy });
  });
  it('normalises lower-case codes', () => {
    expect(validateStornoPolicy({ default: { action: 'remind' }, am04: { action: 'recollect' } })).toEqual({
      ok: true,
      value: { default: { action: 'remind' }, AM04: { action: 'recollect' } },
    });
  });
  it.each([
    ['not an object', [], 'must be an object'],
    ['null', null, 'must be an object'],
    ['no default', { AM04: { action: 'recollect' } }, 'needs a "default" rule'],
    ['unknown code', { default: { action: 'remind' }, XX01: { action: 'remind' } }, '"XX01" is not a known reason code'],
    ['code twice', { default: { action: 'remind' }, AM04: { action: 'remind' }, am04: { action: 'remind' } }, 'listed twice'],
    ['rule not an object', { default: 'remind' }, '"default" must be an object'],
    ['bad action', { default: { action: 'retry' } }, '"default".action must be one of recollect, remind, flag-mandate (got "retry")'],
    ['maxRecollections without recollect', { default: { action: 'remind', maxRecollections: 1 } }, 'only allowed with action "recollect"'],
    ['maxRecollections 0', { default: { action: 'remind' }, AM04: { action: 'recollect', maxRecollections: 0 } }, 'from 1 to 3'],
    ['maxRecollections 4', { default: { action: 'remind' }, AM04: { action: 'recollect', maxRecollections: 4 } }, 'from 1 to 3'],
    ['bad then', { default: { action: 'remind' }, AM04: { action: 'recollect', then: 'recollect' } }, '.then must be "remind" or "flag-mandate"'],
    ['then without recollect', { default: { action: 'remind' }, MS02: { action: 'remind', then: 'remind' } }, '.then is only allowed'],
    ['bad sequenceType', { default: { action: 'remind' }, AG02: { action: 'recollect', sequenceType: 'RCUR' } }, 'may only be "FRST"'],
    ['default re-collects', { default: { action: 'recollect' } }, '"default" may not re-collect'],
    ['RR01 re-collects', { default: { action: 'remind' }, RR01: { action: 'recollect' } }, 'must never be re-collected'],
    ['MD01 re-collects', { default: { action: 'remind' }, MD01: { action: 'recollect' } }, 'must never be re-collected'],
    ['unknown field', { default: { action: 'remind', retries: 2 } }, '"default".retries is not a known field'],
  ])('%s', (_name, input, message) => {
    const r = validateStornoPolicy(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.join('\n')).toContain(message);
  });
  it('reports every problem at once', () => {
    const r = validateStornoPolicy({ AM04: { action: 'x' }, XX01: {} });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors).toHaveLength(3);
  });
});
