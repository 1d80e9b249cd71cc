import { describe, expect, it } from 'vitest';
import {
  ageOn,
  childViolations,
  currentPartnership,
  lifeDateViolations,
  overlapViolations,
  partnershipViolations,
  type ChildFacts,
  type PartnerFacts,
  type PartnershipFacts,
  type PartnershipPeriod,
} from './family.js';

const today = '2026-12-06';
const anna: PartnerFacts = { id: 'A', birthDate: '1980-04-01', dateOfDeath: null };
const bram: PartnerFacts = { id: 'B', birthDate: '1978-09-15', dateOfDeath: null };
const bramDied: PartnerFacts = { ...bram, dateOfDeath: '2024-02-10' };
const base: PartnershipFacts = { personId: 'A', partnerId: 'B', kind: 'marriage', startDate: '2005-06-01', endDate: null, endReason: null, deceasedPersonId: null };

describe('partnershipViolations', () => {
  const table: [string, Partial<PartnershipFacts>, PartnerFacts, string[]][] = [
    ['a current marriage', {}, bram, []],
    ['an unknown start', { startDate: null }, bram, []],
    ['with oneself', { partnerId: 'A' }, { ...anna }, ['/body/partnerId']],
    ['start in the future', { startDate: '2027-01-01' }, bram, ['/body/startDate']],
    ['ended by divorce', { endDate: '2015-03-01', endReason: 'divorce' }, bram, []],
    ['end on the start day', { endDate: '2005-06-01', endReason: 'separation' }, bram, []],
    ['end before start', { endDate: '2004-01-01', endReason: 'divorce' }, bram, ['/body/endDate']],
    ['end in the future', { endDate: '2027-01-01', endReason: 'divorce' }, bram, ['/body/endDate']],
    ['end date without reason', { endDate: '2015-03-01' }, bram, ['/body/endReason']],
    ['reason without end date', { endReason: 'divorce' }, bram, ['/body/endDate']],
    ['death without saying who died', { endDate: '2024-02-10', endReason: 'death' }, bram, ['/body/deceasedPersonId']],
    ['death naming a third person', { endDate: '2024-02-10', endReason: 'death', deceasedPersonId: 'C' }, bram, ['/body/deceasedPersonId']],
    ['death of the partner, date not yet recorded', { endDate: '2024-02-10', endReason: 'death', deceasedPersonId: 'B' }, bram, []],
    ['death of the partner on the recorded date', { endDate: '2024-02-10', endReason: 'death', deceasedPersonId: 'B' }, bramDied, []],
    ['death on another day than recorded on the deceased', { endDate: '2024-02-11', endReason: 'death', deceasedPersonId: 'B' }, bramDied, ['/body/endDate']],
    ['a deceased person named for a divorce', { endDate: '2015-03-01', endReason: 'divorce', deceasedPersonId: 'B' }, bram, ['/body/deceasedPersonId']],
    ['still current while the partner died', {}, bramDied, ['/body/endDate']],
    ['divorced after the partner died', { endDate: '2025-01-01', endReason: 'divorce' }, bramDied, ['/body/endDate']],
    ['divorced before the partner died', { endDate: '2015-01-01', endReason: 'divorce' }, bramDied, []],
    ['started after the partner died', { startDate: '2025-01-01', endDate: '2025-02-01', endReason: 'separation' }, bramDied, ['/body/startDate', '/body/endDate']],
    ['started before the person was born', { startDate: '1979-01-01' }, bram, ['/body/startDate']],
    ['started before either was born', { startDate: '1970-01-01' }, bram, ['/body/startDate', '/body/startDate']],
  ];
  it.each(table)('%s', (_name, change, partner, paths) => {
    const violations = partnershipViolations({ ...base, ...change }, { person: anna, partner }, today);
    expect(violations.map((v) => v.path)).toEqual(paths);
  });
});

describe('overlapViolations: one partner at a time', () => {
  const p = (id: string, personId: string, partnerId: string, startDate: string | null, endDate: string | null): PartnershipPeriod => ({ id, personId, partnerId, startDate, endDate });
  const table: [string, PartnershipPeriod, PartnershipPeriod[], number][] = [
    ['no others', p('1', 'A', 'B', '2005-01-01', null), [], 0],
    ['itself is not an other', p('1', 'A', 'B', '2005-01-01', null), [p('1', 'A', 'B', '2005-01-01', null)], 0],
    ['two current partners of A', p('2', 'A', 'C', '2020-01-01', null), [p('1', 'A', 'B', '2005-01-01', null)], 1],
    ['the partner has another current partner', p('2', 'A', 'C', '2020-01-01', null), [p('1', 'C', 'D', '2010-01-01', null)], 1],
    ['an ex-partner and a current one', p('2', 'A', 'C', '2016-01-01', null), [p('1', 'A', 'B', '2005-01-01', '2015-03-01')], 0],
    ['the new one starts on the day the old one ended', p('2', 'A', 'C', '2015-03-01', null), [p('1', 'A', 'B', '2005-01-01', '2015-03-01')], 0],
    ['the new one starts before the old one ended', p('2', 'A', 'C', '2014-01-01', null), [p('1', 'A', 'B', '2005-01-01', '2015-03-01')], 1],
    ['an old ended one inside a current one', p('2', 'A', 'C', '2006-01-01', '2007-01-01'), [p('1', 'A', 'B', '2005-01-01', null)], 1],
    ['an unknown start overlaps what came before its end', p('2', 'A', 'C', null, '2010-01-01'), [p('1', 'A', 'B', '2005-01-01', '2008-01-01')], 1],
    ['other people entirely', p('2', 'A', 'C', '2014-01-01', null), [p('1', 'D', 'E', '2005-01-01', null)], 0],
  ];
  it.each(table)('%s', (_name, partnership, others, count) => {
    expect(overlapViolations(partnership, others)).toHaveLength(count);
  });

  it('the current partnership is the one without an end date', () => {
    expect(currentPartnership([{ id: 'x', endDate: '2010-01-01' }, { id: 'y', endDate: null }])?.id).toBe('y');
    expect(currentPartnership([{ id: 'x', endDate: '2010-01-01' }])).toBeUndefined();
  });
});

describe('childViolations', () => {
  const table: [string, ChildFacts, string | null, string[]][] = [
    ['a child born 2010', { birthDate: '2010-05-05', dateOfDeath: null }, '1980-04-01', []],
    ['born today', { birthDate: today, dateOfDeath: null }, '1980-04-01', []],
    ['born tomorrow', { birthDate: '2026-12-07', dateOfDeath: null }, '1980-04-01', ['/body/birthDate']],
    ['born before the parent', { birthDate: '1979-01-01', dateOfDeath: null }, '1980-04-01', ['/body/birthDate']],
    ['parent without a birth date', { birthDate: '1979-01-01', dateOfDeath: null }, null, []],
    ['a child that died', { birthDate: '2010-05-05', dateOfDeath: '2012-01-01' }, '1980-04-01', []],
    ['died before born', { birthDate: '2010-05-05', dateOfDeath: '2009-01-01' }, '1980-04-01', ['/body/dateOfDeath']],
    ['died in the future', { birthDate: '2010-05-05', dateOfDeath: '2030-01-01' }, '1980-04-01', ['/body/dateOfDeath']],
  ];
  it.each(table)('%s', (_name, child, parentBirth, paths) => {
    expect(childViolations(child, { birthDate: parentBirth }, today).map((v) => v.path)).toEqual(paths);
  });
});

describe('lifeDateViolations and ageOn', () => {
  it.each([
    [{ birthDate: '1980-04-01', dateOfDeath: null }, 0],
    [{ birthDate: '1980-04-01', dateOfDeath: '2020-01-01' }, 0],
    [{ birthDate: '1980-04-01', dateOfDeath: '1979-01-01' }, 1],
    [{ birthDate: null, dateOfDeath: '2027-01-01' }, 1],
    [{ birthDate: '2026-12-07', dateOfDeath: null }, 1],
    [{ birthDate: today, dateOfDeath: null }, 0],
    [{ birthDate: '1895-12-07', dateOfDeath: null }, 0],
    [{ birthDate: '1895-12-06', dateOfDeath: null }, 1],
    [{ birthDate: '2030-01-01', dateOfDeath: '2031-01-01' }, 2],
  ])('%o has %i violations', (person, n) => {
    expect(lifeDateViolations(person, today)).toHaveLength(n);
  });
  it.each([
    ['2010-12-06', 16],
    ['2010-12-07', 15],
    ['2008-02-29', 18],
  ])('born %s is %i today', (birth, age) => {
    expect(ageOn(birth, today)).toBe(age);
  });
});
