import { describe, expect, it } from 'vitest';
import { fourteenDayTerm } from './fourteen-day-letter.js';
import { defaultReminderLadder, mayHandOver, nextReminderStep, validateLadder, type ReminderAction, type ReminderProgress } from './reminder-ladder.js';

describe('defaultReminderLadder', () => {
  it('is valid', () => {
    expect(validateLadder(JSON.parse(JSON.stringify(defaultReminderLadder)))).toEqual({ ok: true, value: defaultReminderLadder });
  });
  it('escalates at +14, +28, +35 (14-dagenbrief), +49 (hand-over)', () => {
    expect(defaultReminderLadder.actions.map((a) => [a.type, a.daysAfterDue, a.statusAfter, a.fourteenDayLetter ?? false])).toEqual([
      ['mail', 14, 'reminded', false],
      ['mail', 28, 'reminded', false],
      ['letter', 35, 'final_notice', true],
      ['handover', 49, 'handed_over', false],
    ]);
  });
});

describe('mayHandOver', () => {
  it.each<[string, boolean, string | undefined, string, boolean]>([
    ['business, no letter', false, undefined, '2025-03-01', true],
    ['consumer, no letter', true, undefined, '2025-03-01', false],
    ['consumer, on payBy', true, '2025-02-21', '2025-02-21', false],
    ['consumer, before payBy', true, '2025-02-21', '2025-02-10', false],
    ['consumer, the day after payBy', true, '2025-02-21', '2025-02-22', true],
  ])('%s', (_name, consumer, payBy, today, allowed) => {
    const r = mayHandOver(consumer, payBy, today);
    expect(r.allowed).toBe(allowed);
    expect(r.reason.length).toBeGreaterThan(0);
  });
  it('says from when', () => {
    expect(mayHandOver(true, '2025-02-21', '2025-02-21').reason).toContain('uit handen geven vanaf 2025-02-22');
  });
});

describe('nextReminderStep (due 2025-01-01, default ladder)', () => {
  const base = { dueDate: '2025-01-01', today: '2025-01-10' };
  type Expect = { kind: 'action'; index: number; date: string; due: boolean } | { kind: 'blocked'; index: number } | { kind: 'done' };
  it.each<[string, Omit<ReminderProgress, 'dueDate'> & { today?: string }, Expect]>([
    ['first reminder not yet', { stepsDone: 0, today: '2025-01-10' }, { kind: 'action', index: 0, date: '2025-01-15', due: false }],
    ['first reminder today', { stepsDone: 0, today: '2025-01-15' }, { kind: 'action', index: 0, date: '2025-01-15', due: true }],
    ['second reminder', { stepsDone: 1, today: '2025-01-20', lastStepOn: '2025-01-15' }, { kind: 'action', index: 1, date: '2025-01-29', due: false }],
    ['late first step pushes the second (7 days gap)', { stepsDone: 1, today: '2025-01-30', lastStepOn: '2025-01-27' }, { kind: 'action', index: 1, date: '2025-02-03', due: false }],
    ['14-dagenbrief', { stepsDone: 2, today: '2025-02-05', lastStepOn: '2025-01-29' }, { kind: 'action', index: 2, date: '2025-02-05', due: true }],
    ['consumer hand-over without a letter is blocked', { stepsDone: 3, today: '2025-03-01' }, { kind: 'blocked', index: 3 }],
    ['consumer hand-over waits for the letter term', { stepsDone: 3, today: '2025-02-21', letterPayBy: '2025-02-21' }, { kind: 'action', index: 3, date: '2025-02-22', due: false }],
    ['consumer hand-over after the term', { stepsDone: 3, today: '2025-02-22', letterPayBy: '2025-02-21' }, { kind: 'action', index: 3, date: '2025-02-22', due: true }],
    ['consumer hand-over: +49 when the term ended earlier', { stepsDone: 3, today: '2025-02-19', letterPayBy: '2025-02-10' }, { kind: 'action', index: 3, date: '2025-02-19', due: true }],
    ['business skips the 14-dagenbrief', { stepsDone: 2, today: '2025-02-05', consumer: false }, { kind: 'action', index: 3, date: '2025-02-19', due: false }],
    ['business hand-over keeps the gap', { stepsDone: 2, today: '2025-02-05', consumer: false, lastStepOn: '2025-02-15' }, { kind: 'action', index: 3, date: '2025-02-22', due: false }],
    ['all done', { stepsDone: 4, today: '2025-06-01' }, { kind: 'done' }],
  ])('%s', (_name, progress, expected) => {
    const r = nextReminderStep(defaultReminderLadder, { ...base, ...progress });
    expect(r).toMatchObject(expected);
  });

  it('end to end: the letter sent by post on its day sets the hand-over date', () => {
    const letter = nextReminderStep(defaultReminderLadder, { dueDate: '2025-01-01', stepsDone: 2, today: '2025-02-05' });
    if (letter.kind !== 'action') throw new Error('expected the letter');
    const term = fourteenDayTerm({ sentOn: letter.date, channel: 'post', dueDate: '2025-01-01' });
    expect(term).toEqual({ receivedOn: '2025-02-07', payBy: '2025-02-21' });
    const handover = nextReminderStep(defaultReminderLadder, {
      dueDate: '2025-01-01',
      stepsDone: 3,
      today: '2025-02-22',
      lastStepOn: letter.date,
      letterPayBy: term.payBy,
    });
    expect(handover).toMatchObject({ kind: 'action', date: '2025-02-22', due: true });
    expect(mayHandOver(true, term.payBy, '2025-02-22').allowed).toBe(true);
  });

  it('refuses bad input', () => {
    expect(() => nextReminderStep(defaultReminderLadder, { dueDate: '2025-02-30', stepsDone: 0, today: '2025-03-01' })).toThrow(RangeError);
    expect(() => nextReminderStep(defaultReminderLadder, { dueDate: '2025-02-01', stepsDone: -1, today: '2025-03-01' })).toThrow(RangeError);
  });
});

describe('validateLadder', () => {
  const mail = (days: number, extra: Partial<ReminderAction> = {}): ReminderAction => ({
    name: `Herinnering ${days}`,
    type: 'mail',
    daysAfterDue: days,
    statusAfter: 'reminded',
    ...extra,
  });
  const letter = (days: number, extra: Partial<ReminderAction> = {}): ReminderAction => ({
    name: '14-dagenbrief',
    type: 'letter',
    daysAfterDue: days,
    statusAfter: 'final_notice',
    fourteenDayLetter: true,
    ...extra,
  });
  const handover = (days: number, extra: Partial<ReminderAction> = {}): ReminderAction => ({
    name: 'Incasso',
    type: 'handover',
    daysAfterDue: days,
    statusAfter: 'handed_over',
    ...extra,
  });
  const ladder = (actions: unknown[], extra: Record<string, unknown> = {}) => ({ id: 'g1', name: 'Groep 1', actions, ...extra });

  it.each([
    ['reminders only', ladder([mail(7), mail(21)])],
    ['letter then hand-over', ladder([mail(7), letter(21), handover(40)])],
    ['business-only hand-over without a letter', ladder([mail(7), handover(30, { audience: 'business' })])],
    ['a task in between', ladder([mail(7), { name: 'Bellen', type: 'task', daysAfterDue: 10, statusAfter: 'reminded' }])],
  ])('accepts %s', (_name, input) => {
    expect(validateLadder(input).ok).toBe(true);
  });

  it.each([
    ['not an object', 'ladder', 'must be an object'],
    ['no id', { name: 'x', actions: [mail(7)] }, 'id must be a non-empty text'],
    ['no actions', ladder([]), 'actions must be a non-empty list'],
    ['action not an object', ladder(['mail']), 'actions[0] must be an object'],
    ['unnamed action', ladder([mail(7, { name: '' })]), 'actions[0].name must be a non-empty text'],
    ['unknown type', ladder([{ ...mail(7), type: 'sms' }]), 'type must be one of mail, letter, task, handover (got "sms")'],
    ['days 0', ladder([mail(0)]), 'daysAfterDue must be a whole number ≥ 1'],
    ['days not ascending', ladder([mail(14), mail(14)]), 'must be later than the previous action'],
    ['days descending', ladder([mail(14), mail(7)]), 'must be later than the previous action'],
    ['invalid status', ladder([{ ...mail(7), statusAfter: 'paid' }]), 'statusAfter must be one of reminded, final_notice, handed_over (got "paid")'],
    ['status goes down', ladder([letter(7), mail(14)]), 'may not be lower than a previous action'],
    ['two hand-overs', ladder([letter(7), handover(30), handover(40)]), 'at most one hand-over'],
    ['hand-over not last', ladder([letter(7), handover(30), { ...mail(40), statusAfter: 'handed_over' }]), 'must be the last action'],
    ['hand-over without 14-dagenbrief', ladder([mail(7), handover(30)]), 'must come after a 14-dagenbrief'],
    ['hand-over before the letter', ladder([handover(7), letter(30)]), 'must come after a 14-dagenbrief'],
    ['letter for businesses only does not count', ladder([letter(7, { audience: 'business' }), handover(30)]), 'must come after a 14-dagenbrief'],
    ['hand-over with another status', ladder([letter(7), handover(30, { statusAfter: 'final_notice' })]), 'a hand-over sets the status handed_over'],
    ['handed_over without a hand-over', ladder([letter(7), { ...mail(30), statusAfter: 'handed_over' }]), 'only a hand-over action may set handed_over'],
    ['14-dagenbrief as a task', ladder([{ ...letter(7), type: 'task' }]), 'a 14-dagenbrief must be a letter or a mail'],
    ['two 14-dagenbrieven', ladder([letter(7), letter(21)]), 'only one 14-dagenbrief'],
    ['bad audience', ladder([mail(7, { audience: 'everyone' as 'all' })]), 'audience must be one of all, consumer, business'],
    ['unknown field', ladder([{ ...mail(7), delay: 3 }]), 'delay is not a known field'],
    ['bad gap', ladder([mail(7)], { minDaysBetweenSteps: -1 }), 'minDaysBetweenSteps must be a whole number'],
  ])('refuses: %s', (_name, input, message) => {
    const r = validateLadder(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.join('\n')).toContain(message);
  });
});
