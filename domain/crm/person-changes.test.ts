import { describe, expect, it } from 'vitest';
import { normaliseFieldValue, personFieldChanges, type PersonFieldChange, type PersonFieldPatch, type PersonFieldValues } from './person-changes.js';

const current: PersonFieldValues = {
  firstName: 'Anna',
  infix: 'van der',
  lastName: 'Berg',
  birthDate: '1980-04-01',
  email: 'anna@example.nl',
  phone: null,
  street: 'Dorpsstraat',
  houseNumber: '12',
  houseNumberSuffix: null,
  postcode: '1234AB',
  city: 'Utrecht',
  gender: null,
  maritalStatus: null,
  dateOfDeath: null,
};

describe('personFieldChanges', () => {
  const table: [string, PersonFieldPatch, PersonFieldChange[]][] = [
    ['nothing sent', {}, []],
    ['the same values sent back', { firstName: 'Anna', lastName: 'Berg', city: 'Utrecht', houseNumber: 12 }, []],
    ['spaces around a value are no change', { firstName: '  Anna ', city: 'Utrecht ' }, []],
    ['a postcode as typed on the card is no change', { postcode: '1234 ab' }, []],
    ['undefined is left out', { phone: undefined }, []],
    ['clearing an empty field is no change', { phone: null, houseNumberSuffix: '' }, []],
    ['a new street', { street: 'Kerkweg' }, [{ field: 'street', oldValue: 'Dorpsstraat', newValue: 'Kerkweg' }]],
    ['a new house number (number in, text out)', { houseNumber: 14 }, [{ field: 'houseNumber', oldValue: '12', newValue: '14' }]],
    ['a phone where there was none', { phone: '0612345678' }, [{ field: 'phone', oldValue: null, newValue: '0612345678' }]],
    ['null clears', { infix: null }, [{ field: 'infix', oldValue: 'van der', newValue: null }]],
    ['an empty text clears', { email: '  ' }, [{ field: 'email', oldValue: 'anna@example.nl', newValue: null }]],
    ['capitals in an e-mail are a change', { email: 'Anna@example.nl' }, [{ field: 'email', oldValue: 'anna@example.nl', newValue: 'Anna@example.nl' }]],
    [
      'several fields, in the order of the card',
      { city: 'Amersfoort', postcode: '3811 aa', street: 'Dorpsstraat', birthDate: '1980-04-02' },
      [
        { field: 'birthDate', oldValue: '1980-04-01', newValue: '1980-04-02' },
        { field: 'postcode', oldValue: '1234AB', newValue: '3811AA' },
        { field: 'city', oldValue: 'Utrecht', newValue: 'Amersfoort' },
      ],
    ],
  ];
  it.each(table)('%s', (_name, patch, expected) => {
    expect(personFieldChanges(current, patch)).toEqual(expected);
  });
});

describe('normaliseFieldValue', () => {
  const table: [Parameters<typeof normaliseFieldValue>[0], string | number | null | undefined, string | null][] = [
    ['city', undefined, null],
    ['city', null, null],
    ['city', '', null],
    ['city', ' Den Haag ', 'Den Haag'],
    ['postcode', '1234 ab', '1234AB'],
    ['postcode', ' 1234ab ', '1234AB'],
    ['houseNumber', 7, '7'],
  ];
  it.each(table)('%s %j -> %j', (field, value, expected) => {
    expect(normaliseFieldValue(field, value)).toBe(expected);
  });
});
