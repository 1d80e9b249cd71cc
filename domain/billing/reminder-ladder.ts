/**
 * Reminder escalation: offices configure action groups (*actiegroepen*) of actions (name, type,
 * invoice status after). In workflow mode a group is a ladder: each action has a number of days
 * after the due date. Pure rules: what is the next step and when, may we hand over yet, is a
 * configured ladder sound.
 *
 * Consumers (art. 6:96 lid 6 BW): a hand-over (and collection costs) only after a 14-dagenbrief
 * whose term has passed. So for a consumer the hand-over date is at least the day after that
 * letter's payBy, and without such a letter the hand-over is blocked.
 */
import { addDays } from '../dates.js';
import { assertDate, maxDate } from './calendar.js';
import { ESCALATION_STATUSES, isEscalationStatus, type EscalationStatus } from './invoice-status.js';
import { isRecord, type ValidationResult } from './validation.js';
import { reminderActionTypes, type ActionType } from './closed-lists.js';

export { reminderActionTypes, type ActionType };

/** Who an action is for: everyone, consumers only (the 14-dagenbrief) or businesses only. */
export type Audience = 'all' | 'consumer' | 'business';
const AUDIENCES: readonly Audience[] = ['all', 'consumer', 'business'];

export interface ReminderAction {
  name: string;
  type: ActionType;
  /** Mail or letter template key. */
  template?: string;
  /** Workflow mode: run this many days after the due date (at the earliest). */
  daysAfterDue: number;
  /** Invoice status after the action. */
  statusAfter: EscalationStatus;
  /** This letter or mail is the 14-dagenbrief (consumers). */
  fourteenDayLetter?: boolean;
  /** Default 'all'. */
  audience?: Audience;
}

export interface ActionGroup {
  id: string;
  name: string;
  actions: ReminderAction[];
  /** Workflow mode: at least this many days between two steps when steps run late; default 7. */
  minDaysBetweenSteps?: number;
}

/** In workflow mode a ladder is one action group whose actions run in order. */
export type ReminderLadder = ActionGroup;

export const DEFAULT_MIN_DAYS_BETWEEN_STEPS = 7;

/**
 * Reminder mail at +14 days, second reminder at +28, the 14-dagenbrief by letter at +35
 * (consumers), hand-over at +49 at the earliest and for consumers not before the day after the
 * letter's payBy (sent at +35 by post: received ≥ +37, payBy ≥ +51, so in practice +52 or later).
 */
export const defaultReminderLadder: ReminderLadder = {
  id: 'default',
  name: 'Standaard aanmaningstraject',
  minDaysBetweenSteps: DEFAULT_MIN_DAYS_BETWEEN_STEPS,
  actions: [
    { name: 'Betalingsherinnering', type: 'mail', template: 'reminder-1', daysAfterDue: 14, statusAfter: 'reminded' },
    { name: 'Tweede herinnering', type: 'mail', template: 'reminder-2', daysAfterDue: 28, statusAfter: 'reminded' },
    {
      name: '14-dagenbrief',
      type: 'letter',
      template: 'fourteen-day-letter',
      daysAfterDue: 35,
      statusAfter: 'final_notice',
      fourteenDayLetter: true,
      audience: 'consumer',
    },
    { name: 'Uit handen geven aan incassobureau', type: 'handover', daysAfterDue: 49, statusAfter: 'handed_over' },
  ],
};

export interface HandOverCheck {
  allowed: boolean;
  reason: string;
}

/**
 * May the claim be handed over (and collection costs charged) today? Businesses: yes.
 * Consumers: only after a 14-dagenbrief, from the day after its payBy.
 */
export function mayHandOver(consumer: boolean, letterPayBy: string | undefined, today: string): HandOverCheck {
  assertDate(today, 'Today');
  if (!consumer) return { allowed: true, reason: 'Zakelijke klant: geen 14-dagenbrief nodig' };
  if (letterPayBy === undefined) return { allowed: false, reason: 'Consument: stuur eerst de 14-dagenbrief' };
  assertDate(letterPayBy, 'Letter pay-by date');
  if (today <= letterPayBy) {
    return { allowed: false, reason: `Consument: de termijn van de 14-dagenbrief loopt tot ${letterPayBy}; uit handen geven vanaf ${addDays(letterPayBy, 1)}` };
  }
  return { allowed: true, reason: `Consument: de termijn van de 14-dagenbrief is verstreken op ${letterPayBy}` };
}

function appliesTo(action: ReminderAction, consumer: boolean): boolean {
  const audience = action.audience ?? 'all';
  return audience === 'all' || (audience === 'consumer') === consumer;
}

export interface ReminderProgress {
  dueDate: string;
  /** How many actions of the ladder are behind us (done, or skipped as not applicable). */
  stepsDone: number;
  today: string;
  /** Consumer claim (14-dagenbrief rules apply); default true, the safe side. */
  consumer?: boolean;
  /** When the last step was done, to keep `minDaysBetweenSteps` after a late step. */
  lastStepOn?: string;
  /** payBy of the 14-dagenbrief sent for this invoice, if any. */
  letterPayBy?: string;
}

export type NextReminderStep =
  | { kind: 'action'; index: number; action: ReminderAction; date: string; due: boolean }
  | { kind: 'blocked'; index: number; action: ReminderAction; reason: string }
  | { kind: 'done' };

/**
 * The next action of the ladder and the date it may run: due date + daysAfterDue, not sooner
 * than `minDaysBetweenSteps` after the last step and, for a consumer's hand-over, not before the
 * day after the 14-dagenbrief's payBy. `due` says whether that date has come. Actions for the
 * other audience are skipped (their index counts as done). A consumer hand-over without a
 * 14-dagenbrief is 'blocked'. After the last action: 'done'.
 */
export function nextReminderStep(ladder: ReminderLadder, progress: ReminderProgress): NextReminderStep {
  const { dueDate, stepsDone, today, consumer = true, lastStepOn, letterPayBy } = progress;
  assertDate(dueDate, 'Due date');
  assertDate(today, 'Today');
  if (lastStepOn !== undefined) assertDate(lastStepOn, 'Last step on');
  if (!Number.isSafeInteger(stepsDone) || stepsDone < 0) throw new RangeError(`Steps done must be a whole number ≥ 0: ${stepsDone}`);
  const gap = ladder.minDaysBetweenSteps ?? DEFAULT_MIN_DAYS_BETWEEN_STEPS;

  for (let index = stepsDone; index < ladder.actions.length; index++) {
    const action = ladder.actions[index]!;
    if (!appliesTo(action, consumer)) continue;
    let date = addDays(dueDate, action.daysAfterDue);
    if (lastStepOn !== undefined) date = maxDate(date, addDays(lastStepOn, gap));
    if (action.type === 'handover' && consumer) {
      if (letterPayBy === undefined) {
        return { kind: 'blocked', index, action, reason: 'Consument: uit handen geven vraagt eerst een 14-dagenbrief, waarvan de termijn verstreken is' };
      }
      assertDate(letterPayBy, 'Letter pay-by date');
      date = maxDate(date, addDays(letterPayBy, 1));
    }
    return { kind: 'action', index, action, date, due: date <= today };
  }
  return { kind: 'done' };
}

/**
 * Checks a ladder as configured by an office (e.g. parsed JSON). Rules: id and name; at least
 * one action; each action has a name, a known type, whole `daysAfterDue` ≥ 1 (reminders only
 * after the due date), strictly ascending, and an escalation status that never goes down;
 * at most one hand-over, which is the last action and sets 'handed_over' (and only a hand-over
 * sets it); a 14-dagenbrief is a mail or letter, at most one; a hand-over that applies to
 * consumers comes after a 14-dagenbrief for consumers (it then also waits for that letter's term,
 * see nextReminderStep and mayHandOver).
 */
export function validateLadder(input: unknown): ValidationResult<ReminderLadder> {
  const errors: string[] = [];
  if (!isRecord(input)) return { ok: false, errors: ['A reminder ladder must be an object with id, name and actions'] };
  if (typeof input.id !== 'string' || input.id.trim() === '') errors.push('id must be a non-empty text');
  if (typeof input.name !== 'string' || input.name.trim() === '') errors.push('name must be a non-empty text');
  if (input.minDaysBetweenSteps !== undefined && (!Number.isInteger(input.minDaysBetweenSteps) || (input.minDaysBetweenSteps as number) < 0)) {
    errors.push('minDaysBetweenSteps must be a whole number ≥ 0');
  }
  if (!Array.isArray(input.actions) || input.actions.length === 0) {
    errors.push('actions must be a non-empty list');
    return { ok: false, errors };
  }

  const actions: ReminderAction[] = [];
  let previousDays: number | undefined;
  let previousRank = 0;
  let handovers = 0;
  let letters = 0;
  let consumerLetterSeen = false;
  input.actions.forEach((raw: unknown, i: number) => {
    const at = `actions[${i}]`;
    if (!isRecord(raw)) {
      errors.push(`${at} must be an object`);
      return;
    }
    const label = typeof raw.name === 'string' && raw.name.trim() !== '' ? `${at} "${raw.name}"` : at;
    if (typeof raw.name !== 'string' || raw.name.trim() === '') errors.push(`${at}.name must be a non-empty text`);
    const typeOk = typeof raw.type === 'string' && (reminderActionTypes as readonly string[]).includes(raw.type);
    if (!typeOk) errors.push(`${label}.type must be one of ${reminderActionTypes.join(', ')} (got ${JSON.stringify(raw.type)})`);
    if (raw.template !== undefined && typeof raw.template !== 'string') errors.push(`${label}.template must be text`);
    const days = raw.daysAfterDue;
    if (!Number.isInteger(days) || (days as number) < 1) {
      errors.push(`${label}.daysAfterDue must be a whole number ≥ 1 (reminders come after the due date)`);
    } else {
      if (previousDays !== undefined && (days as number) <= previousDays) {
        errors.push(`${label}.daysAfterDue (${days}) must be later than the previous action's (${previousDays})`);
      }
      previousDays = days as number;
    }
    const statusOk = isEscalationStatus(raw.statusAfter);
    if (!statusOk) {
      errors.push(`${label}.statusAfter must be one of ${ESCALATION_STATUSES.join(', ')} (got ${JSON.stringify(raw.statusAfter)})`);
    } else {
      const rank = ESCALATION_STATUSES.indexOf(raw.statusAfter as EscalationStatus) + 1;
      if (rank < previousRank) errors.push(`${label}.statusAfter (${String(raw.statusAfter)}) may not be lower than a previous action's`);
      previousRank = Math.max(previousRank, rank);
    }
    const audience = raw.audience ?? 'all';
    if (typeof audience !== 'string' || !(AUDIENCES as readonly string[]).includes(audience)) {
      errors.push(`${label}.audience must be one of ${AUDIENCES.join(', ')}`);
    }
    if (raw.fourteenDayLetter !== undefined && typeof raw.fourteenDayLetter !== 'boolean') {
      errors.push(`${label}.fourteenDayLetter must be true or false`);
    }
    if (raw.fourteenDayLetter === true) {
      letters++;
      if (typeOk && raw.type !== 'letter' && raw.type !== 'mail') errors.push(`${label}: a 14-dagenbrief must be a letter or a mail`);
      if (letters > 1) errors.push(`${label}: only one 14-dagenbrief per ladder`);
      if (audience !== 'business') consumerLetterSeen = true;
    }
    if (raw.type === 'handover') {
      handovers++;
      if (handovers > 1) errors.push(`${label}: at most one hand-over per ladder`);
      if (i !== (input.actions as unknown[]).length - 1) errors.push(`${label}: the hand-over must be the last action`);
      if (statusOk && raw.statusAfter !== 'handed_over') errors.push(`${label}: a hand-over sets the status handed_over`);
      if (audience !== 'business' && !consumerLetterSeen) {
        errors.push(`${label}: a hand-over for consumers must come after a 14-dagenbrief (mark a letter with fourteenDayLetter)`);
      }
    } else if (typeOk && raw.statusAfter === 'handed_over') {
      errors.push(`${label}: only a hand-over action may set handed_over`);
    }
    const known = ['name', 'type', 'template', 'daysAfterDue', 'statusAfter', 'fourteenDayLetter', 'audience'];
    for (const field of Object.keys(raw)) if (!known.includes(field)) errors.push(`${label}.${field} is not a known field`);

    const action: ReminderAction = {
      name: String(raw.name),
      type: raw.type as ActionType,
      daysAfterDue: days as number,
      statusAfter: raw.statusAfter as EscalationStatus,
    };
    if (raw.template !== undefined) action.template = raw.template as string;
    if (raw.fourteenDayLetter !== undefined) action.fourteenDayLetter = raw.fourteenDayLetter as boolean;
    if (raw.audience !== undefined) action.audience = raw.audience as Audience;
    actions.push(action);
  });

  if (errors.length > 0) return { ok: false, errors };
  const ladder: ReminderLadder = { id: input.id as string, name: input.name as string, actions };
  if (input.minDaysBetweenSteps !== undefined) ladder.minDaysBetweenSteps = input.minDaysBetweenSteps as number;
  return { ok: true, value: ladder };
}
