import { describe, expect, it } from 'vitest';
import { mortgageProcessV1, serviceProcessV1 } from '../processes/index.js';
import type { ProcessDefinition } from './definition.js';
import { diffDefinitions } from './diff.js';

const clone = (d: ProcessDefinition): ProcessDefinition => JSON.parse(JSON.stringify(d)) as ProcessDefinition;

describe('diffDefinitions', () => {
  it('is identical for the same content, whatever the key order', () => {
    const b = clone(serviceProcessV1);
    b.version = 2;
    b.steps[0] = Object.fromEntries(Object.entries(b.steps[0]!).reverse()) as unknown as ProcessDefinition['steps'][number];
    const diff = diffDefinitions(serviceProcessV1, b);
    expect(diff).toMatchObject({ key: 'service', fromVersion: 1, toVersion: 2, identical: true, changes: [], stepOrderChanged: false });
  });

  const cases: [string, (d: ProcessDefinition) => void, (diff: ReturnType<typeof diffDefinitions>) => void][] = [
    [
      'status added, removed and relabelled',
      (d) => {
        d.statuses.push({ code: 'paused', label: 'Gepauzeerd', category: 'new' });
        d.statuses = d.statuses.filter((s) => s.code !== 'cancelled');
        d.statuses[0]!.label = 'Nieuw binnen';
      },
      (diff) => {
        expect(diff.statuses.added.map((s) => s.code)).toEqual(['paused']);
        expect(diff.statuses.removed.map((s) => s.code)).toEqual(['cancelled']);
        expect(diff.statuses.changed).toEqual([{ id: 'new', changes: [{ field: 'label', from: 'Nieuw', to: 'Nieuw binnen' }] }]);
      },
    ],
    [
      'step added, removed and changed with the changed fields',
      (d) => {
        d.steps = d.steps.filter((s) => s.id !== 'cancel');
        d.steps.push({ id: 'pause', label: 'Pauzeren', from: ['in-contact'], actions: [] });
        d.steps[1]!.to = 'in-contact';
        d.steps[1]!.actions = [];
      },
      (diff) => {
        expect(diff.steps.added.map((s) => s.id)).toEqual(['pause']);
        expect(diff.steps.removed.map((s) => s.id)).toEqual(['cancel']);
        expect(diff.steps.changed).toEqual([
          {
            id: 'send-portal-activation',
            changes: [
              { field: 'actions', from: [{ kind: 'sendPortalActivation', template: 'portal-activation' }], to: [] },
              { field: 'to', from: 'portal-invited', to: 'in-contact' },
            ],
          },
        ]);
      },
    ],
    [
      'a guard added to a step; step order changed; top-level fields',
      (d) => {
        d.steps[0]!.guard = { productCategory: ['new'] };
        d.steps.reverse();
        d.name = 'Dienst 2';
        d.initialStatus = 'checklist-chosen';
      },
      (diff) => {
        expect(diff.steps.changed).toEqual([{ id: 'choose-checklist', changes: [{ field: 'guard', from: null, to: { productCategory: ['new'] } }] }]);
        expect(diff.stepOrderChanged).toBe(true);
        expect(diff.changes).toEqual([
          { field: 'name', from: 'Dienst', to: 'Dienst 2' },
          { field: 'initialStatus', from: 'new', to: 'checklist-chosen' },
        ]);
      },
    ],
  ];
  it.each(cases)('%s', (_name, mutate, check) => {
    const b = clone(serviceProcessV1);
    b.version = 2;
    mutate(b);
    const diff = diffDefinitions(serviceProcessV1, b);
    expect(diff.identical).toBe(false);
    check(diff);
  });

  it('diffs lender statuses and offer deadlines by SX code and deadline name', () => {
    const b = clone(mortgageProcessV1);
    b.version = 2;
    b.lenderStatuses = b.lenderStatuses!.filter((m) => m.code !== '31').map((m) => (m.code === '12' ? { ...m, status: 'in-behandeling' } : m));
    b.lenderStatuses.push({ code: '24', status: 'in-behandeling' });
    b.offerDeadlines![0]!.remindDaysBefore = [5, 3];
    const diff = diffDefinitions(mortgageProcessV1, b);
    expect(diff.lenderStatuses).toEqual({
      added: [{ code: '24', status: 'in-behandeling' }],
      removed: [{ code: '31', status: 'bij-notaris' }],
      changed: [{ id: '12', changes: [{ field: 'status', from: 'wacht-op-stukken', to: 'in-behandeling' }] }],
    });
    expect(diff.offerDeadlines.changed).toEqual([{ id: 'renteaanbod-acceptatie', changes: [{ field: 'remindDaysBefore', from: [3], to: [5, 3] }] }]);
    expect(diff.statuses).toEqual({ added: [], removed: [], changed: [] });
  });
});
