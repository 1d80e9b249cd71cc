import { describe, expect, it } from 'vitest';
import { checklistFor, checklistProfileCodes, checklistProfiles } from '../checklists.js';
import { mortgageProcessV1, serviceProcessV1, shippedProcesses, templateKeysUsed } from '../processes/index.js';
import type { ProcessDefinition, ProcessStep, StepInputValues } from './definition.js';
import {
  availableSteps,
  checkStep,
  conditionHolds,
  definitionWarnings,
  guardRefusal,
  reachableStatuses,
  statusOf,
  templateRefs,
  validateDefinition,
  validateStepInput,
} from './rules.js';

const def = serviceProcessV1;
const stepById = (id: string): ProcessStep => def.steps.find((s) => s.id === id)!;
const clone = (): ProcessDefinition => JSON.parse(JSON.stringify(def)) as ProcessDefinition;

describe('statusOf / availableSteps', () => {
  it('finds statuses by code', () => {
    expect(statusOf(def, 'agreed')).toEqual({ code: 'agreed', label: 'Opdracht verstrekt', category: 'running' });
    expect(statusOf(def, 'nope')).toBeUndefined();
  });
  it.each([
    ['new', ['choose-checklist', 'cancel']],
    ['checklist-chosen', ['send-portal-activation', 'cancel']],
    ['portal-invited', ['register-contact', 'create-agreement', 'cancel']],
    ['in-contact', ['register-contact', 'create-agreement', 'cancel']],
    ['agreed', []],
    ['cancelled', []],
  ])('from %s: %j', (status, ids) => {
    expect(availableSteps(def, status).map((s) => s.id)).toEqual(ids);
  });
});

describe('checkStep', () => {
  it('allows a step from one of its statuses', () => {
    const r = checkStep(def, 'in-contact', { stepId: 'create-agreement' });
    expect(r.ok && r.step.id).toBe('create-agreement');
  });
  it.each([
    [
      'new',
      'create-agreement',
      'Stap "Opdracht tot dienstverlening aanmaken" is niet toegestaan zolang het product "Nieuw" is; toegestaan vanuit: Activatielink verstuurd, In gesprek',
    ],
    ['agreed', 'cancel', 'Stap "Dienst laten vervallen" is niet toegestaan zolang het product "Opdracht verstrekt" is; toegestaan vanuit: Nieuw, Stukkenlijst gekozen, Activatielink verstuurd, In gesprek'],
    ['new', 'fly', 'Onbekende stap "fly" in proces "Dienst" (versie 1)'],
  ])('from %s, step %s: refused', (status, stepId, reason) => {
    expect(checkStep(def, status, { stepId })).toEqual({ ok: false, reason });
  });
});

describe('validateStepInput', () => {
  const contact = stepById('register-contact');
  const cases: [string, ProcessStep, StepInputValues | undefined, boolean, RegExp[]][] = [
    ['valid choice', stepById('choose-checklist'), { profile: 'ondernemer' }, false, []],
    ['missing required choice', stepById('choose-checklist'), undefined, false, [/"profile".*verplicht/]],
    ['choice outside choices', stepById('choose-checklist'), { profile: 'x' }, false, [/moet een van deze zijn/]],
    ['unknown field', stepById('send-portal-activation'), { foo: true }, false, [/Onbekende invoer "foo"/]],
    ['valid contact with payload', contact, { channel: 'video', sendReport: true, followUpTask: false, followUpDate: '2024-02-29' }, true, []],
    ['required text needs a payload', contact, { channel: 'video' }, false, [/"summary".*payload/]],
    ['text in input refused', contact, { channel: 'video', summary: 'x' }, true, [/"summary".*vrije tekst/]],
    ['boolean type', contact, { channel: 'video', sendReport: 'true' }, true, [/"sendReport".*ja of nee/]],
    ['date format', contact, { channel: 'video', followUpDate: '15-01-2030' }, true, [/"followUpDate".*JJJJ-MM-DD/]],
    ['date not in calendar', contact, { channel: 'video', followUpDate: '2023-02-29' }, true, [/"followUpDate"/]],
    ['date month 13', contact, { channel: 'video', followUpDate: '2023-13-01' }, true, [/"followUpDate"/]],
    ['several problems', contact, { sendReport: 1 }, false, [/"channel".*verplicht/, /"summary".*payload/, /"sendReport"/]],
  ];
  it.each(cases)('%s', (_name, step, input, hasPayload, expected) => {
    const problems = validateStepInput(step, input, hasPayload);
    expect(problems).toHaveLength(expected.length);
    expected.forEach((re, i) => expect(problems[i]).toMatch(re));
  });
  it('checks integers', () => {
    const step: ProcessStep = { id: 's', label: 'S', from: ['new'], input: [{ name: 'n', label: 'N', type: 'integer', required: true }], actions: [] };
    expect(validateStepInput(step, { n: 3 }, false)).toEqual([]);
    expect(validateStepInput(step, { n: 3.5 }, false)).toHaveLength(1);
    expect(validateStepInput(step, { n: '3' }, false)).toHaveLength(1);
  });
});

describe('conditionHolds', () => {
  it.each([
    [undefined, undefined, true],
    [{ input: 'sendReport', equals: true }, { sendReport: true }, true],
    [{ input: 'sendReport', equals: true }, { sendReport: false }, false],
    [{ input: 'sendReport', equals: true }, undefined, false],
    [{ input: 'sendReport', equals: false }, {}, true],
    [{ input: 'channel', equals: 'video' }, { channel: 'video' }, true],
    [{ input: 'channel', equals: 'video' }, { channel: 'telefoon' }, false],
    [{ input: 'n', equals: 2 }, { n: 2 }, true],
  ] as const)('%j with %j → %s', (when, input, expected) => {
    expect(conditionHolds(when, input as StepInputValues | undefined)).toBe(expected);
  });
});

describe('validateDefinition', () => {
  it('accepts every shipped process', () => {
    for (const p of shippedProcesses) expect(validateDefinition(p)).toEqual([]);
  });
  it('reports schema errors with JSON-pointer paths', () => {
    const d = clone() as unknown as { steps: { id: string; actions: unknown[] }[] };
    d.steps[1]!.id = 'Not Kebab';
    d.steps[0]!.actions.push({ kind: 'launchRocket' });
    const paths = validateDefinition(d).map((p) => p.path);
    expect(paths).toContain('/steps/1/id');
    expect(paths).toContain('/steps/0/actions/1');
    expect(validateDefinition(null)[0]).toMatchObject({ path: '/' });
  });
  const broken: [string, (d: ProcessDefinition) => void, string][] = [
    ['initial status unknown', (d) => (d.initialStatus = 'x'), '/initialStatus'],
    ['from unknown', (d) => (d.steps[0]!.from = ['new', 'x']), '/steps/0/from/1'],
    ['to unknown', (d) => (d.steps[0]!.to = 'x'), '/steps/0/to'],
    ['duplicate status', (d) => d.statuses.push({ code: 'new', label: 'Nog eens', category: 'new' }), '/statuses/6/code'],
    ['duplicate step', (d) => (d.steps[1]!.id = 'choose-checklist'), '/steps/1/id'],
    ['duplicate input', (d) => d.steps[2]!.input!.push({ name: 'channel', label: 'K', type: 'boolean' }), '/steps/2/input/5/name'],
    ['choice without choices', (d) => delete d.steps[0]!.input![0]!.choices, '/steps/0/input/0/choices'],
    ['profileFromInput undeclared', (d) => (d.steps[0]!.actions[0] = { kind: 'createChecklist', profileFromInput: 'nope' }), '/steps/0/actions/0/profileFromInput'],
    [
      'dueFromInput of wrong type',
      (d) => (d.steps[2]!.actions[2] = { kind: 'createTask', title: 'T', assignee: 'adviser', dueFromInput: 'channel' }),
      '/steps/2/actions/2/dueFromInput',
    ],
    ['when.input undeclared', (d) => (d.steps[2]!.actions[1]!.when = { input: 'nope', equals: true }), '/steps/2/actions/1/when/input'],
    ['when.input is text', (d) => (d.steps[2]!.actions[1]!.when = { input: 'summary', equals: 'x' }), '/steps/2/actions/1/when/input'],
    ['when.equals wrong type', (d) => (d.steps[2]!.actions[1]!.when = { input: 'sendReport', equals: 'yes' }), '/steps/2/actions/1/when/equals'],
    [
      'waitForDate on a non-date, unknown toStatus and satisfiedBy',
      (d) =>
        d.steps[2]!.actions.push({
          kind: 'waitForDate',
          deadline: 'd',
          dateFromInput: 'channel',
          remindDaysBefore: [3],
          reminder: {},
          onDate: { toStatus: 'x' },
          satisfiedBy: ['y'],
        }),
      '/steps/2/actions/3/dateFromInput,/steps/2/actions/3/onDate/toStatus,/steps/2/actions/3/satisfiedBy/0',
    ],
  ];
  it.each(broken)('%s', (_name, mutate, paths) => {
    const d = clone();
    mutate(d);
    expect(validateDefinition(d).map((p) => p.path).join(',')).toBe(paths);
  });
});

describe('shipped content', () => {
  it('has the checklist profiles with items', () => {
    expect(checklistProfileCodes).toEqual(expect.arrayContaining(['loondienst', 'ondernemer', 'gepensioneerd', 'starter']));
    for (const p of checklistProfiles) {
      expect(p.items.length).toBeGreaterThan(3);
      expect(new Set(p.items.map((i) => i.code)).size).toBe(p.items.length);
    }
    expect(checklistFor('ondernemer')?.items.map((i) => i.code)).toContain('jaarcijfers-3-jaar');
    expect(checklistFor('nope')).toBeUndefined();
  });
  it('lists the templates the service process uses', () => {
    expect(templateKeysUsed(serviceProcessV1)).toEqual(['conversation-report', 'portal-activation', 'service-agreement']);
  });
});

describe('validateDefinition: designer checks (flow, templates, guards, parameter types)', () => {
  const allTemplates = new Set([...templateKeysUsed(serviceProcessV1), ...templateKeysUsed(mortgageProcessV1)]);
  it('accepts every shipped process with the flow and template checks', () => {
    for (const p of shippedProcesses) {
      expect(validateDefinition(p, { flow: true, templates: new Set(templateKeysUsed(p)) })).toEqual([]);
    }
  });
  it('names a wrong parameter type of an action by its own path, and an unknown kind by the action', () => {
    const d = clone() as unknown as { steps: { actions: Record<string, unknown>[] }[] };
    d.steps[2]!.actions[2]!.dueInDays = 'soon';
    d.steps[2]!.actions[1]!.to = 'everyone';
    d.steps[0]!.actions.push({ kind: 'launchRocket' });
    const problems = validateDefinition(d);
    expect(problems.map((p) => p.path)).toEqual(['/steps/0/actions/1', '/steps/2/actions/1/to', '/steps/2/actions/2/dueInDays']);
    expect(problems[0]!.message).toMatch(/Onbekende soort actie "launchRocket"; bekend: sendHdnApplication, sendMail/);
  });
  it('says what is wrong with a field in Dutch, not in the schema library\'s English', () => {
    const d = clone() as unknown as { steps: Record<string, unknown>[]; statuses: Record<string, unknown>[] };
    d.steps[0]!.label = '';
    d.steps[1]!.extra = true;
    d.statuses[0]!.category = 'someday';
    delete d.statuses[1]!.label;
    const problems = validateDefinition(d);
    expect(problems).toEqual(
      expect.arrayContaining([
        { path: '/steps/0/label', message: 'Vul dit veld in' },
        { path: '/steps/1/extra', message: 'Onbekend veld' },
        { path: '/statuses/0/category', message: 'Geen toegestane waarde' },
        { path: '/statuses/1/label', message: 'Verplicht veld ontbreekt' },
      ]),
    );
    for (const p of problems) expect(p.message).not.toMatch(/\b(Expected|property|must|required)\b/);
  });
  const mortgage = (): ProcessDefinition => JSON.parse(JSON.stringify(mortgageProcessV1)) as ProcessDefinition;
  const flow: [string, () => ProcessDefinition, { templates?: Set<string> | Map<string, 'mail' | 'document'> }, string[]][] = [
    [
      'step that can never run',
      () => {
        const d = clone();
        d.statuses.push({ code: 'limbo', label: 'Limbo', category: 'new' });
        d.steps.push({ id: 'from-limbo', label: 'Uit limbo', from: ['limbo'], to: 'agreed', actions: [] });
        return d;
      },
      {},
      ['/steps/5/from'],
    ],
    [
      'status of category new without a way out',
      () => {
        const d = clone();
        d.statuses.push({ code: 'stuck', label: 'Vast', category: 'new' });
        d.steps.push({ id: 'get-stuck', label: 'Vastlopen', from: ['in-contact'], to: 'stuck', actions: [] });
        return d;
      },
      {},
      ['/statuses/6'],
    ],
    [
      'an escalation date is a way out, and makes its target reachable',
      () => {
        const d = clone();
        d.statuses.push({ code: 'waiting', label: 'Wacht', category: 'new' }, { code: 'late', label: 'Te laat', category: 'ended' });
        d.steps.push({
          id: 'wait',
          label: 'Wachten',
          from: ['in-contact'],
          to: 'waiting',
          input: [{ name: 'd', label: 'D', type: 'date', required: true }],
          actions: [{ kind: 'waitForDate', deadline: 'x', dateFromInput: 'd', remindDaysBefore: [], reminder: {}, onDate: { toStatus: 'late' } }],
        });
        return d;
      },
      {},
      [],
    ],
    [
      'lender statuses are reachable only once an application can be sent',
      () => {
        const d = mortgage();
        d.steps = d.steps.filter((s) => s.id !== 'send-application');
        return d;
      },
      {},
      // Without it, the statuses only lender messages reach are unreachable (see reachableStatuses below), but every
      // remaining step also starts from advies-ontvangen, and that status still has "cancel" as its way out.
      [],
    ],
    ['unknown templates, with their paths', () => clone(), { templates: new Set(['portal-activation']) }, ['/steps/2/actions/1/template', '/steps/3/actions/0/template']],
    [
      'a template of the wrong kind',
      () => clone(),
      { templates: new Map([['portal-activation', 'mail'], ['conversation-report', 'document'], ['service-agreement', 'document']] as const) },
      ['/steps/2/actions/1/template'],
    ],
    ['all templates known', () => clone(), { templates: allTemplates }, []],
    [
      'guards: HDN facts need lenderStatuses, a lender status needs a sent application, categories unique, not empty',
      () => {
        const d = clone();
        d.steps[0]!.guard = { applicationSent: false, lenderStatusIn: ['05'] };
        d.steps[1]!.guard = { productCategory: ['new', 'new'] };
        d.steps[2]!.guard = {};
        return d;
      },
      {},
      ['/steps/0/guard', '/steps/0/guard/lenderStatusIn', '/steps/1/guard/productCategory', '/steps/2/guard'],
    ],
  ];
  it.each(flow)('%s', (_name, make, opts, paths) => {
    expect(validateDefinition(make(), { flow: true, ...opts }).map((p) => p.path)).toEqual(paths);
  });
  it('skips the flow checks for a definition that only labels statuses (steps-less, moved by another workflow)', () => {
    const labels: ProcessDefinition = { ...clone(), steps: [] };
    expect(validateDefinition(labels, { flow: true })).toEqual([]);
    expect(definitionWarnings(labels)).toEqual([]);
  });
  it('leaves the flow out unless asked (the workflow start check)', () => {
    const d = clone();
    d.statuses.push({ code: 'limbo', label: 'Limbo', category: 'new' });
    d.steps.push({ id: 'from-limbo', label: 'Uit limbo', from: ['limbo'], to: 'agreed', actions: [] });
    expect(validateDefinition(d)).toEqual([]);
  });
  it('reaches every status of the shipped processes', () => {
    for (const p of [serviceProcessV1, mortgageProcessV1]) expect([...reachableStatuses(p)].sort()).toEqual(p.statuses.map((s) => s.code).sort());
    const noHdn = JSON.parse(JSON.stringify(mortgageProcessV1)) as ProcessDefinition;
    noHdn.steps = noHdn.steps.filter((s) => s.id !== 'send-application');
    expect(reachableStatuses(noHdn)).toEqual(new Set(['advies-ontvangen', 'vervallen']));
  });
  it('warns about running statuses without a way out and statuses never reached', () => {
    expect(definitionWarnings(serviceProcessV1)).toEqual([{ path: '/statuses/4', message: expect.stringMatching(/"agreed" heeft geen uitweg/) }]);
    expect(definitionWarnings(mortgageProcessV1)).toEqual([]);
    const d = clone();
    d.statuses.push({ code: 'unused', label: 'Ongebruikt', category: 'ended' });
    expect(definitionWarnings(d).map((w) => w.path)).toEqual(['/statuses/4', '/statuses/6']);
  });
  it('lists template references with kinds and paths', () => {
    expect(templateRefs(serviceProcessV1)).toEqual([
      { key: 'portal-activation', kind: 'mail', path: '/steps/1/actions/0/template' },
      { key: 'conversation-report', kind: 'mail', path: '/steps/2/actions/1/template' },
      { key: 'service-agreement', kind: 'document', path: '/steps/3/actions/0/template' },
    ]);
  });
});

describe('step guards', () => {
  const d = JSON.parse(JSON.stringify(mortgageProcessV1)) as ProcessDefinition;
  d.steps.push({ id: 'accept', label: 'Accepteren', from: ['renteaanbod', 'in-behandeling'], guard: { applicationSent: true, lenderStatusIn: ['22'] }, actions: [] });
  d.steps.push({ id: 'running-only', label: 'Lopend', from: ['renteaanbod', 'definitief-akkoord'], guard: { productCategory: ['running'] }, actions: [] });
  it.each([
    ['renteaanbod', { applicationSent: true, lastLenderStatus: '22' }, 'accept', undefined],
    ['renteaanbod', { applicationSent: true, lastLenderStatus: '10' }, 'accept', 'de laatste status van de maatschappij is SX 10, de stap vraagt SX 22'],
    ['in-behandeling', { applicationSent: false }, 'accept', 'de aanvraag is nog niet naar de maatschappij verstuurd'],
    ['renteaanbod', undefined, 'accept', undefined],
    ['renteaanbod', undefined, 'running-only', 'het product is nieuw, de stap vraagt lopend'],
    ['definitief-akkoord', undefined, 'running-only', undefined],
  ] as const)('in %s with %j, %s → %s', (status, facts, stepId, reason) => {
    const step = d.steps.find((s) => s.id === stepId)!;
    expect(guardRefusal(d, step.guard, status, facts)).toBe(reason);
    const check = checkStep(d, status, { stepId }, facts);
    expect(check.ok ? undefined : check.reason).toBe(reason ? `Stap "${step.label}" is nu niet toegestaan: ${reason}` : undefined);
    expect(availableSteps(d, status, facts).some((s) => s.id === stepId)).toBe(reason === undefined);
  });
});
