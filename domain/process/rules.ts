/**
 * Pure rules over a process definition: which steps are available in a status, whether a
 * step may be taken, whether its input is valid, whether an action's condition holds, and a
 * structural check of a definition. Shared by the product workflow (Update validator and
 * handler), the API (available steps, early 4xx) and the designer (publish checks).
 */
import { Value } from '@sinclair/typebox/value';
import { isCalendarDate } from '../dates.js';
import {
  ProcessDefinitionSchema,
  type ActionCondition,
  type ProcessDefinition,
  type ProcessStatus,
  type ProcessStep,
  type StepInputField,
  type StepInputValues,
} from './definition.js';

export interface AvailableStep {
  id: string;
  label: string;
}

export type StepCheck = { ok: true; step: ProcessStep } | { ok: false; reason: string };

export interface DefinitionProblem {
  /** JSON pointer into the definition, e.g. `/steps/2/actions/1/dueFromInput`. */
  path: string;
  message: string;
}

export function statusOf(def: ProcessDefinition, code: string): ProcessStatus | undefined {
  return def.statuses.find((s) => s.code === code);
}

function statusLabel(def: ProcessDefinition, code: string): string {
  return statusOf(def, code)?.label ?? code;
}

/** The steps that may be taken from a status, in definition order. */
export function availableSteps(def: ProcessDefinition, statusCode: string): AvailableStep[] {
  return def.steps.filter((s) => s.from.includes(statusCode)).map((s) => ({ id: s.id, label: s.label }));
}

/** Is the step known and allowed from the current status? (Input is checked separately.) */
export function checkStep(
  def: ProcessDefinition,
  statusCode: string,
  request: { stepId: string; input?: StepInputValues },
): StepCheck {
  const step = def.steps.find((s) => s.id === request.stepId);
  if (!step) {
    return { ok: false, reason: `Unknown step "${request.stepId}" in process "${def.name}" (version ${def.version})` };
  }
  if (!step.from.includes(statusCode)) {
    const allowed = step.from.map((c) => statusLabel(def, c)).join(', ');
    return {
      ok: false,
      reason: `Step "${step.label}" is not allowed while the product is "${statusLabel(def, statusCode)}"; allowed from: ${allowed}`,
    };
  }
  return { ok: true, step };
}

function checkValue(field: StepInputField, value: unknown): string | undefined {
  const name = `"${field.name}" (${field.label})`;
  switch (field.type) {
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `Input ${name} must be true or false`;
    case 'date':
      return isCalendarDate(value) ? undefined : `Input ${name} must be a calendar date written YYYY-MM-DD`;
    case 'integer':
      return typeof value === 'number' && Number.isSafeInteger(value) ? undefined : `Input ${name} must be a whole number`;
    case 'choice': {
      const choices = field.choices ?? [];
      return typeof value === 'string' && choices.includes(value)
        ? undefined
        : `Input ${name} must be one of: ${choices.join(', ')}`;
    }
    case 'text':
      return `Input ${name} is free text and belongs in the step payload, not in the input`;
  }
}

/**
 * Problems with the input of a step (empty = valid). Non-text inputs travel in `input`;
 * text inputs live in the step payload (PostgreSQL), so a required text field means a
 * payload must be present, and a text field inside `input` is refused.
 */
export function validateStepInput(step: ProcessStep, input: StepInputValues | undefined, hasPayload: boolean): string[] {
  const problems: string[] = [];
  const fields = step.input ?? [];
  const values: Record<string, unknown> = input ?? {};
  if (input !== undefined && (typeof input !== 'object' || input === null || Array.isArray(input))) {
    return ['Step input must be an object of field values'];
  }
  for (const key of Object.keys(values)) {
    if (!fields.some((f) => f.name === key)) problems.push(`Unknown input "${key}" for step "${step.label}"`);
  }
  for (const field of fields) {
    const present = Object.prototype.hasOwnProperty.call(values, field.name) && values[field.name] !== undefined;
    if (field.type === 'text') {
      if (present) problems.push(checkValue(field, values[field.name])!);
      else if (field.required && !hasPayload) {
        problems.push(`Input "${field.name}" (${field.label}) is required: the step needs a payload with its text`);
      }
      continue;
    }
    if (!present) {
      if (field.required) problems.push(`Input "${field.name}" (${field.label}) is required`);
      continue;
    }
    const problem = checkValue(field, values[field.name]);
    if (problem) problems.push(problem);
  }
  return problems;
}

/**
 * Does an action's condition hold for the step input? No condition: yes. An absent input
 * counts as `false` for a condition `equals: false` (an unticked box), and as not equal to
 * anything else.
 */
export function conditionHolds(when: ActionCondition | undefined, input: StepInputValues | undefined): boolean {
  if (!when) return true;
  const value = input?.[when.input];
  if (value === undefined) return when.equals === false;
  return value === when.equals;
}

/**
 * Structural problems of a definition (empty = valid): the schema first (JSON-pointer paths
 * from TypeBox), then references: the initial status and every from/to/toStatus/satisfiedBy
 * name a known status; status codes, step ids and input names are unique; choice inputs have
 * choices; inputs named by actions exist and have the right type.
 */
export function validateDefinition(def: unknown): DefinitionProblem[] {
  const schemaProblems = [...Value.Errors(ProcessDefinitionSchema, def)].map((e) => ({ path: e.path || '/', message: e.message }));
  if (schemaProblems.length > 0) return schemaProblems;
  const d = def as ProcessDefinition;
  const problems: DefinitionProblem[] = [];
  const add = (path: string, message: string): void => {
    problems.push({ path, message });
  };
  const statusCodes = new Set<string>();
  d.statuses.forEach((s, i) => {
    if (statusCodes.has(s.code)) add(`/statuses/${i}/code`, `Duplicate status code "${s.code}"`);
    statusCodes.add(s.code);
  });
  const knownStatus = (code: string, path: string): void => {
    if (!statusCodes.has(code)) add(path, `Unknown status "${code}"`);
  };
  knownStatus(d.initialStatus, '/initialStatus');

  const stepIds = new Set<string>();
  d.steps.forEach((step, si) => {
    const sp = `/steps/${si}`;
    if (stepIds.has(step.id)) add(`${sp}/id`, `Duplicate step id "${step.id}"`);
    stepIds.add(step.id);
    step.from.forEach((c, fi) => knownStatus(c, `${sp}/from/${fi}`));
    if (step.to !== undefined) knownStatus(step.to, `${sp}/to`);

    const fields = new Map<string, StepInputField>();
    (step.input ?? []).forEach((f, ii) => {
      const ip = `${sp}/input/${ii}`;
      if (fields.has(f.name)) add(`${ip}/name`, `Duplicate input name "${f.name}"`);
      fields.set(f.name, f);
      if (f.type === 'choice' && !f.choices) add(`${ip}/choices`, `Choice input "${f.name}" needs choices`);
      if (f.type !== 'choice' && f.choices) add(`${ip}/choices`, `Only choice inputs have choices ("${f.name}" is ${f.type})`);
    });
    const needInput = (name: string, types: StepInputField['type'][], path: string): StepInputField | undefined => {
      const f = fields.get(name);
      if (!f) {
        add(path, `Input "${name}" is not declared by step "${step.id}"`);
        return undefined;
      }
      if (!types.includes(f.type)) {
        add(path, `Input "${name}" must be of type ${types.join(' or ')}, not ${f.type}`);
        return undefined;
      }
      return f;
    };

    step.actions.forEach((a, ai) => {
      const ap = `${sp}/actions/${ai}`;
      if (a.when) {
        const f = needInput(a.when.input, ['boolean', 'choice', 'integer', 'date'], `${ap}/when/input`);
        if (f) {
          const eq = a.when.equals;
          const fits =
            (f.type === 'boolean' && typeof eq === 'boolean') ||
            (f.type === 'integer' && typeof eq === 'number' && Number.isInteger(eq)) ||
            (f.type === 'choice' && typeof eq === 'string' && (f.choices ?? []).includes(eq)) ||
            (f.type === 'date' && isCalendarDate(eq));
          if (!fits) add(`${ap}/when/equals`, `Value ${JSON.stringify(eq)} can never equal ${f.type} input "${f.name}"`);
        }
      }
      switch (a.kind) {
        case 'createTask':
          if (a.dueFromInput !== undefined) needInput(a.dueFromInput, ['date'], `${ap}/dueFromInput`);
          if (a.dueFromInput !== undefined && a.dueInDays !== undefined) {
            add(`${ap}/dueInDays`, 'Use either dueFromInput or dueInDays, not both');
          }
          break;
        case 'createChecklist':
          needInput(a.profileFromInput, ['choice'], `${ap}/profileFromInput`);
          break;
        case 'waitForDate': {
          needInput(a.dateFromInput, ['date'], `${ap}/dateFromInput`);
          if (a.onDate?.toStatus !== undefined) knownStatus(a.onDate.toStatus, `${ap}/onDate/toStatus`);
          if (a.reminder.toStatus !== undefined) add(`${ap}/reminder/toStatus`, 'A reminder cannot change the status');
          (a.satisfiedBy ?? []).forEach((c, ci) => knownStatus(c, `${ap}/satisfiedBy/${ci}`));
          if (new Set(a.remindDaysBefore).size !== a.remindDaysBefore.length) {
            add(`${ap}/remindDaysBefore`, 'Reminder days must be unique');
          }
          break;
        }
        case 'sendHdnApplication':
          if (!d.lenderStatuses || d.lenderStatuses.length === 0) {
            add(`${ap}`, 'A process that sends an HDN application needs lenderStatuses (SX code → status)');
          }
          break;
        default:
          break;
      }
    });
  });

  const sxCodes = new Set<string>();
  (d.lenderStatuses ?? []).forEach((m, i) => {
    if (sxCodes.has(m.code)) add(`/lenderStatuses/${i}/code`, `Duplicate SX code "${m.code}"`);
    sxCodes.add(m.code);
    knownStatus(m.status, `/lenderStatuses/${i}/status`);
  });
  const deadlines = new Set<string>();
  (d.offerDeadlines ?? []).forEach((o, i) => {
    const op = `/offerDeadlines/${i}`;
    if (deadlines.has(o.deadline)) add(`${op}/deadline`, `Duplicate offer deadline "${o.deadline}"`);
    deadlines.add(o.deadline);
    if (o.onDate?.toStatus !== undefined) knownStatus(o.onDate.toStatus, `${op}/onDate/toStatus`);
    if (o.reminder.toStatus !== undefined) add(`${op}/reminder/toStatus`, 'A reminder cannot change the status');
    (o.satisfiedBy ?? []).forEach((c, ci) => knownStatus(c, `${op}/satisfiedBy/${ci}`));
  });
  return problems;
}
