/** The workbench's check whether a saved draft can be shown as its form (ui/src/components/process/draft-shape.ts). */
import { describe, expect, it } from 'vitest';
import { formShapeProblems } from '../../ui/src/components/process/draft-shape.js';
import { serviceProcessV1 } from '../../domain/processes/service.process.js';

const step = { id: 'a', label: 'A', from: ['new'], actions: [{ kind: 'createTask', title: 'x' }] };
const shaped = { name: 'P', initialStatus: 'new', statuses: [{ code: 'new', label: 'Nieuw', category: 'new' }], steps: [step] };

describe('formShapeProblems', () => {
  it('finds nothing wrong with a shipped definition', () => {
    expect(formShapeProblems(serviceProcessV1)).toEqual([]);
  });

  it.each<[string, unknown, string[]]>([
    ['a list instead of an object', [], ['het concept is geen object']],
    ['steps as an object', { ...shaped, steps: {} }, ['Stappen is geen lijst']],
    ['statuses missing', { ...shaped, statuses: undefined }, ['Statussen is geen lijst']],
    ['a status that is a string', { ...shaped, statuses: ['new'] }, ['Statussen 1 is geen object']],
    ['a label that is an object', { ...shaped, statuses: [{ code: 'new', label: { nl: 'Nieuw' }, category: 'new' }] }, ['Status 1: label is geen tekst']],
    ['a step without from', { ...shaped, steps: [{ ...step, from: undefined }] }, ['Stap 1: from is geen lijst van statuscodes']],
    ['from with a number', { ...shaped, steps: [{ ...step, from: [1] }] }, ['Stap 1: from is geen lijst van statuscodes']],
    ['actions as a string', { ...shaped, steps: [{ ...step, actions: 'mail' }] }, ['Stap 1: acties is geen lijst']],
    ['an action without kind', { ...shaped, steps: [{ ...step, actions: [{ title: 'x' }] }] }, ['Stap 1, actie 1: kind is geen tekst']],
    ['a condition that is a string', { ...shaped, steps: [{ ...step, actions: [{ kind: 'createTask', when: 'x' }] }] }, ['Stap 1, actie 1: when heeft niet de verwachte vorm']],
    ['input fields that are strings', { ...shaped, steps: [{ ...step, input: ['x'] }] }, ['Stap 1: invoer 1 is geen object']],
    ['SX mappings as an object', { ...shaped, lenderStatuses: { '09': 'received' } }, ['SX-koppelingen is geen lijst']],
    ['an SX code that is a number', { ...shaped, lenderStatuses: [{ code: 9, status: 'new' }] }, ['SX-koppeling 1: code is geen tekst']],
  ])('names %s', (_, definition, reasons) => {
    expect(formShapeProblems(definition)).toEqual(reasons);
  });

  it('accepts what the form fills in itself: no name yet, no SX mappings, a step without target', () => {
    expect(formShapeProblems({ statuses: [], steps: [{ id: '', label: '', from: [], actions: [] }] })).toEqual([]);
  });
});
