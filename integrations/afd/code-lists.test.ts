import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { afdCodeLists, defineAfdCodeList, lookupAfdCode, parseAfdBoolean, readAfd, type UnknownAfdCode } from './index.js';

describe('AFD code lists as data', () => {
  it('holds what REFERENCE.md gives and no more', () => {
    expect([...afdCodeLists.alFunctie.codes.keys()]).toEqual(['01', '13']);
    expect(afdCodeLists.alFunctie.codes.get('01')?.meaning).toBeNull();
    expect([...afdCodeLists.paymentTerms.codes.keys()]).toEqual(['1', '3', '6', '12']);
    // Named lists without public codes stay empty (and say so), not guessed.
    expect(afdCodeLists.adnBranches.codes.size).toBe(0);
    expect(afdCodeLists.adnCoverages.codes.size).toBe(0);
    expect(afdCodeLists.insurers.codes.size).toBe(0);
    for (const list of Object.values(afdCodeLists)) expect(list.complete).toBe(false);
  });

  const lookups: [string, keyof typeof afdCodeLists, string, boolean][] = [
    ['a known function code', 'alFunctie', '01', true],
    ['another known function code', 'alFunctie', '13', true],
    ['an unknown function code', 'alFunctie', '99', false],
    ['a word where a code belongs (our old shape)', 'alFunctie', 'DEFINITIEF', false],
    ['a known payment term', 'paymentTerms', '12', true],
    ['an unknown payment term', 'paymentTerms', '2', false],
    ['a padded payment term (codes are compared as written)', 'paymentTerms', '01', false],
    ['any branch (no public codes yet)', 'adnBranches', '020', false],
  ];
  it.each(lookups)('%s', (_name, list, code, known) => {
    const unknown: UnknownAfdCode[] = [];
    const entry = lookupAfdCode(afdCodeLists[list], code, unknown, 'here');
    expect(entry !== undefined).toBe(known);
    expect(unknown).toEqual(known ? [] : [{ list: afdCodeLists[list].id, code, at: 'here' }]);
  });

  it('records unknown codes read from a message instead of throwing', () => {
    const m = readAfd(readFileSync(new URL('./fixtures/contractdocument.xml', import.meta.url)));
    const unknown: UnknownAfdCode[] = [];
    const al = m.entities[0]!;
    const pp = m.entities[1]!;
    expect(lookupAfdCode(afdCodeLists.alFunctie, al.attributes.AL_FUNCTIE!, unknown, 'AL_FUNCTIE')).toEqual({ code: '01', meaning: null });
    expect(lookupAfdCode(afdCodeLists.paymentTerms, pp.attributes.PP_BETTERM!, unknown)?.meaning).toMatch(/12 months/);
    expect(lookupAfdCode(afdCodeLists.adnBranches, pp.attributes.PP_BRANCHE!, unknown, 'PP_BRANCHE')).toBeUndefined();
    expect(lookupAfdCode(afdCodeLists.insurers, pp.attributes.PP_MYAAND!, unknown)).toBeUndefined();
    expect(unknown).toEqual([
      { list: 'ADNBRA', code: '999', at: 'PP_BRANCHE' },
      { list: 'PORMAA', code: 'SYN1' },
    ]);
    expect(parseAfdBoolean('J')).toBe(true);
  });

  it('loads a fuller list given as data (an office with SIVI\'s lists)', () => {
    const list = defineAfdCodeList({ id: 'ADNBRA', labels: ['PP_BRANCHE'], source: 'test', complete: true, codes: [{ code: 'B1', meaning: 'synthetic' }] });
    expect(lookupAfdCode(list, 'B1')).toEqual({ code: 'B1', meaning: 'synthetic' });
    expect(Object.isFrozen(list)).toBe(true);
  });

  const badLists: [string, unknown, RegExp][] = [
    ['not an object', [], /must be an object/],
    ['no id', { labels: [], source: 's', complete: false, codes: [] }, /id must be/],
    ['no source', { id: 'X', labels: [], complete: false, codes: [] }, /source/],
    ['complete not boolean', { id: 'X', labels: [], source: 's', complete: 'yes', codes: [] }, /complete/],
    ['a bad label', { id: 'X', labels: ['branche'], source: 's', complete: false, codes: [] }, /labels/],
    ['codes not a list', { id: 'X', labels: [], source: 's', complete: false, codes: {} }, /codes must be a list/],
    ['a bad code', { id: 'X', labels: [], source: 's', complete: false, codes: [{ code: 'a b', meaning: null }] }, /codes\[0\]\.code/],
    ['a bad meaning', { id: 'X', labels: [], source: 's', complete: false, codes: [{ code: 'A', meaning: 1 }] }, /meaning/],
    ['a code twice', { id: 'X', labels: [], source: 's', complete: false, codes: [{ code: 'A', meaning: null }, { code: 'A', meaning: 'x' }] }, /twice/],
  ];
  it.each(badLists)('defineAfdCodeList refuses %s', (_name, data, message) => {
    expect(() => defineAfdCodeList(data)).toThrow(message);
  });
});
