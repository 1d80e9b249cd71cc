import { describe, expect, it } from 'vitest';
import { addressKey, matchPersons, type MatchCandidate } from './match.js';

describe('addressKey', () => {
  const cases: [string | undefined | null, string | undefined][] = [
    ['Jan@Example.NL', 'jan@example.nl'],
    ['  jan@example.nl ', 'jan@example.nl'],
    ['mailto:Jan@example.nl', 'jan@example.nl'],
    ['jan', undefined],
    ['jan@', undefined],
    ['jan @example.nl', undefined],
    ['', undefined],
    [null, undefined],
    [undefined, undefined],
  ];
  it.each(cases)('%j -> %j', (input, expected) => {
    expect(addressKey(input)).toBe(expected);
  });
});

describe('matchPersons', () => {
  const persons: MatchCandidate[] = [
    { personId: 'jan', email: 'jan@example.nl' },
    { personId: 'piet', email: 'Piet@Example.NL' },
    { personId: 'anna', email: 'gezin@example.nl' },
    { personId: 'bert', email: 'GEZIN@example.nl' },
    { personId: 'nomail', email: null },
  ];
  const cases: [string, string | undefined | null, string[]][] = [
    ['exact address', 'jan@example.nl', ['jan']],
    ['case-insensitive both ways', 'PIET@example.nl', ['piet']],
    ['shared address: every person', 'Gezin@Example.nl', ['anna', 'bert']],
    ['unknown address', 'vreemde@example.nl', []],
    ['no From', undefined, []],
    ['not an address', 'jan', []],
    ['a part of an address does not match', 'an@example.nl', []],
  ];
  it.each(cases)('%s', (_name, from, expected) => {
    expect(matchPersons(from, persons)).toEqual(expected);
  });

  it('lists a person once even when listed twice', () => {
    expect(matchPersons('jan@example.nl', [...persons, { personId: 'jan', email: 'JAN@example.nl' }])).toEqual(['jan']);
  });
});
