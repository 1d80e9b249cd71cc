import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { afdEntity, childrenOf, entitiesAt, label, readAfd, writeAfd, type AfdMessage } from './index.js';

const m = readAfd(readFileSync(new URL('./fixtures/contractdocument.xml', import.meta.url)));

describe('model accessors', () => {
  const pp = childrenOf(m, 'PP')[0]!;
  const cases: [string, () => unknown, unknown][] = [
    ['label reads a prefixed label', () => label(pp, 'NUMMER'), 'SYN-POL-42'],
    ['label gives "" for an empty element', () => label(childrenOf(pp, 'VP')[0]!, 'TITEL'), ''],
    ['label gives undefined when absent', () => label(pp, 'GEENLABEL'), undefined],
    ['childrenOf a message', () => childrenOf(m, 'AL').length, 1],
    ['childrenOf an entity', () => childrenOf(pp, 'VP').map((v) => label(v, 'ANAAM')), ['Voorbeeld', 'Tweede']],
    ['childrenOf with no match', () => childrenOf(pp, 'QQ'), []],
    ['entitiesAt follows codes', () => entitiesAt(m, ['PP', 'ZZ']).map((z) => label(z, 'CODE')), ['SYN']],
    ['entitiesAt with a missing step', () => entitiesAt(m, ['AL', 'VP']), []],
  ];
  it.each(cases)('%s', (_name, run, expected) => {
    expect(run()).toEqual(expected);
  });
});

describe('afdEntity', () => {
  it('prefixes labels, puts ENTITEI and VOLGNUM first, skips undefined', () => {
    const vp = afdEntity('VP', { ANAAM: 'X', VOORL: undefined, GEBDAT: '19800229' }, { sequence: 2 });
    expect(Object.entries(vp.attributes)).toEqual([
      ['VP_ENTITEI', 'VP'],
      ['VP_VOLGNUM', '2'],
      ['VP_ANAAM', 'X'],
      ['VP_GEBDAT', '19800229'],
    ]);
    const msg: AfdMessage = { kind: 'Contractdocument', rootAttributes: {}, entities: [afdEntity('PP', { NUMMER: '1' }, { sequence: 1, children: [vp] })] };
    expect(readAfd(writeAfd(msg))).toEqual(msg);
  });
});
