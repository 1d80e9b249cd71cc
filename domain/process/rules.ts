/**
 * Pure rules over a process definition: which steps are available in a status, whether a
 * step may be taken, whether its input is valid, whether an action's condition holds, and a
 * structural check of a definition. Shared by the product workflow (Update validator and
 * handler), the API (available steps, early 4xx) and the designer (publish checks).
 */
import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { ValueErrorType, type ValueError } from '@sinclair/typebox/errors';
import { DATE_MAX, DATE_MIN, isCalendarDate, isDateInRange } from '../dates.js';
import {
  ActionSchema,
  ProcessDefinitionSchema,
  type ActionCondition,
  type ProcessDefinition,
  type ProcessStatus,
  type ProcessStep,
  type StepGuard,
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

/**
 * The messages below are Dutch: the web UI shows them as they are to advisers (a refused step)
 * and designers (a validation problem at its field). Codes, ids and JSON paths stay as they are.
 */
const categoryWords: Record<string, string> = { new: 'nieuw', running: 'lopend', ended: 'beëindigd' };
const categoryWord = (c: string): string => categoryWords[c] ?? c;
const typeWords: Record<string, string> = { boolean: 'ja/nee', date: 'datum', integer: 'geheel getal', choice: 'keuze', text: 'tekst' };
const typeWord = (t: string): string => typeWords[t] ?? t;
const templateKindWord = (k: string): string => ({ mail: 'mail', document: 'document' })[k] ?? k;

/** The steps that may be taken from a status (and whose guard holds), in definition order. */
export function availableSteps(def: ProcessDefinition, statusCode: string, facts?: GuardFacts): AvailableStep[] {
  return def.steps
    .filter((s) => s.from.includes(statusCode) && guardRefusal(def, s.guard, statusCode, facts) === undefined)
    .map((s) => ({ id: s.id, label: s.label }));
}

/**
 * Facts a step guard is evaluated on: non-personal, known to the product workflow. Callers
 * that do not know them (the API reading PostgreSQL) leave them out: then only the guard's
 * `productCategory` (which follows from the status) is evaluated, and the workflow's
 * `takeStep` validator decides the rest.
 */
export interface GuardFacts {
  applicationSent: boolean;
  /** Last SX code applied ("05"), if any. */
  lastLenderStatus?: string;
}

/** Why a step's guard does not hold (undefined = it holds, or the step has no guard). */
export function guardRefusal(
  def: ProcessDefinition,
  guard: StepGuard | undefined,
  statusCode: string,
  facts?: GuardFacts,
): string | undefined {
  if (!guard) return undefined;
  if (guard.productCategory) {
    const category = statusOf(def, statusCode)?.category ?? 'new';
    if (!guard.productCategory.includes(category)) {
      return `het product is ${categoryWord(category)}, de stap vraagt ${guard.productCategory.map(categoryWord).join(' of ')}`;
    }
  }
  if (!facts) return undefined;
  if (guard.applicationSent !== undefined && guard.applicationSent !== facts.applicationSent) {
    return guard.applicationSent ? 'de aanvraag is nog niet naar de maatschappij verstuurd' : 'de aanvraag is al naar de maatschappij verstuurd';
  }
  if (guard.lenderStatusIn) {
    const last = facts.lastLenderStatus;
    if (last === undefined || !guard.lenderStatusIn.includes(last)) {
      return `de laatste status van de maatschappij is ${last ? `SX ${last}` : 'er nog niet'}, de stap vraagt SX ${guard.lenderStatusIn.join(' of ')}`;
    }
  }
  return undefined;
}

/**
 * Is the step known and allowed from the current status? (Input is checked separately.) With
 * `facts`, the step's whole guard is checked; without, only its `productCategory` condition.
 */
export function checkStep(
  def: ProcessDefinition,
  statusCode: string,
  request: { stepId: string; input?: StepInputValues },
  facts?: GuardFacts,
): StepCheck {
  const step = def.steps.find((s) => s.id === request.stepId);
  if (!step) {
    return { ok: false, reason: `Onbekende stap "${request.stepId}" in proces "${def.name}" (versie ${def.version})` };
  }
  if (!step.from.includes(statusCode)) {
    const allowed = step.from.map((c) => statusLabel(def, c)).join(', ');
    return {
      ok: false,
      reason: `Stap "${step.label}" is niet toegestaan zolang het product "${statusLabel(def, statusCode)}" is; toegestaan vanuit: ${allowed}`,
    };
  }
  const refusal = guardRefusal(def, step.guard, statusCode, facts);
  if (refusal) return { ok: false, reason: `Stap "${step.label}" is nu niet toegestaan: ${refusal}` };
  return { ok: true, step };
}

function checkValue(field: StepInputField, value: unknown): string | undefined {
  const name = `"${field.name}" (${field.label})`;
  switch (field.type) {
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `Invoer ${name} moet ja of nee zijn`;
    case 'date':
      return isDateInRange(value) ? undefined : `Invoer ${name} moet een datum zijn in de vorm JJJJ-MM-DD, van ${DATE_MIN} tot ${DATE_MAX}`;
    case 'integer':
      return typeof value === 'number' && Number.isSafeInteger(value) ? undefined : `Invoer ${name} moet een geheel getal zijn`;
    case 'choice': {
      const choices = field.choices ?? [];
      return typeof value === 'string' && choices.includes(value)
        ? undefined
        : `Invoer ${name} moet een van deze zijn: ${choices.join(', ')}`;
    }
    case 'text':
      return `Invoer ${name} is vrije tekst en hoort in de payload van de stap, niet in de invoer`;
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
    return ['De invoer van een stap moet een object met veldwaarden zijn'];
  }
  for (const key of Object.keys(values)) {
    if (!fields.some((f) => f.name === key)) problems.push(`Onbekende invoer "${key}" voor stap "${step.label}"`);
  }
  for (const field of fields) {
    const present = Object.prototype.hasOwnProperty.call(values, field.name) && values[field.name] !== undefined;
    if (field.type === 'text') {
      if (present) problems.push(checkValue(field, values[field.name])!);
      else if (field.required && !hasPayload) {
        problems.push(`Invoer "${field.name}" (${field.label}) is verplicht: de stap heeft een payload met de tekst nodig`);
      }
      continue;
    }
    if (!present) {
      if (field.required) problems.push(`Invoer "${field.name}" (${field.label}) is verplicht`);
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
export function validateDefinition(def: unknown, opts: ValidateOptions = {}): DefinitionProblem[] {
  const schemaProblems = schemaErrors(def);
  if (schemaProblems.length > 0) return schemaProblems;
  const d = def as ProcessDefinition;
  const problems: DefinitionProblem[] = [];
  const add = (path: string, message: string): void => {
    problems.push({ path, message });
  };
  const statusCodes = new Set<string>();
  d.statuses.forEach((s, i) => {
    if (statusCodes.has(s.code)) add(`/statuses/${i}/code`, `Statuscode "${s.code}" komt dubbel voor`);
    statusCodes.add(s.code);
  });
  const knownStatus = (code: string, path: string): void => {
    if (!statusCodes.has(code)) add(path, `Onbekende status "${code}"`);
  };
  knownStatus(d.initialStatus, '/initialStatus');

  const stepIds = new Set<string>();
  d.steps.forEach((step, si) => {
    const sp = `/steps/${si}`;
    if (stepIds.has(step.id)) add(`${sp}/id`, `Stap-id "${step.id}" komt dubbel voor`);
    stepIds.add(step.id);
    step.from.forEach((c, fi) => knownStatus(c, `${sp}/from/${fi}`));
    if (step.to !== undefined) knownStatus(step.to, `${sp}/to`);
    if (step.guard) {
      const g = step.guard;
      if (Object.keys(g).length === 0) add(`${sp}/guard`, 'Een voorwaarde heeft minstens één conditie nodig');
      if (g.productCategory && new Set(g.productCategory).size !== g.productCategory.length) {
        add(`${sp}/guard/productCategory`, 'Categorieën mogen niet dubbel voorkomen');
      }
      if ((g.applicationSent !== undefined || g.lenderStatusIn) && (!d.lenderStatuses || d.lenderStatuses.length === 0)) {
        add(`${sp}/guard`, 'Voorwaarden op de HDN-aanvraag vragen een proces met lenderStatuses');
      }
      if (g.lenderStatusIn && g.applicationSent === false) {
        add(`${sp}/guard/lenderStatusIn`, 'Een status van de maatschappij kan niet bekend zijn voordat de aanvraag is verstuurd');
      }
    }

    const fields = new Map<string, StepInputField>();
    (step.input ?? []).forEach((f, ii) => {
      const ip = `${sp}/input/${ii}`;
      if (fields.has(f.name)) add(`${ip}/name`, `Invoernaam "${f.name}" komt dubbel voor`);
      fields.set(f.name, f);
      if (f.type === 'choice' && !f.choices) add(`${ip}/choices`, `Keuze-invoer "${f.name}" heeft keuzes nodig`);
      if (f.type !== 'choice' && f.choices) add(`${ip}/choices`, `Alleen keuze-invoer heeft keuzes ("${f.name}" is ${typeWord(f.type)})`);
    });
    const needInput = (name: string, types: StepInputField['type'][], path: string): StepInputField | undefined => {
      const f = fields.get(name);
      if (!f) {
        add(path, `Invoer "${name}" is niet gedeclareerd door stap "${step.id}"`);
        return undefined;
      }
      if (!types.includes(f.type)) {
        add(path, `Invoer "${name}" moet van het type ${types.map(typeWord).join(' of ')} zijn, niet ${typeWord(f.type)}`);
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
          if (!fits) add(`${ap}/when/equals`, `Waarde ${JSON.stringify(eq)} kan nooit gelijk zijn aan ${typeWord(f.type)}-invoer "${f.name}"`);
        }
      }
      switch (a.kind) {
        case 'createTask':
          if (a.dueFromInput !== undefined) needInput(a.dueFromInput, ['date'], `${ap}/dueFromInput`);
          if (a.dueFromInput !== undefined && a.dueInDays !== undefined) {
            add(`${ap}/dueInDays`, 'Gebruik dueFromInput of dueInDays, niet allebei');
          }
          break;
        case 'createChecklist':
          needInput(a.profileFromInput, ['choice'], `${ap}/profileFromInput`);
          break;
        case 'waitForDate': {
          needInput(a.dateFromInput, ['date'], `${ap}/dateFromInput`);
          if (a.onDate?.toStatus !== undefined) knownStatus(a.onDate.toStatus, `${ap}/onDate/toStatus`);
          if (a.reminder.toStatus !== undefined) add(`${ap}/reminder/toStatus`, 'Een herinnering kan de status niet veranderen');
          (a.satisfiedBy ?? []).forEach((c, ci) => knownStatus(c, `${ap}/satisfiedBy/${ci}`));
          if (new Set(a.remindDaysBefore).size !== a.remindDaysBefore.length) {
            add(`${ap}/remindDaysBefore`, 'Herinneringsdagen mogen niet dubbel voorkomen');
          }
          break;
        }
        case 'sendHdnApplication':
          if (!d.lenderStatuses || d.lenderStatuses.length === 0) {
            add(`${ap}`, 'Een proces dat een HDN-aanvraag verstuurt, heeft lenderStatuses nodig (SX-code → status)');
          }
          break;
        default:
          break;
      }
    });
  });

  const sxCodes = new Set<string>();
  (d.lenderStatuses ?? []).forEach((m, i) => {
    if (sxCodes.has(m.code)) add(`/lenderStatuses/${i}/code`, `SX-code "${m.code}" komt dubbel voor`);
    sxCodes.add(m.code);
    knownStatus(m.status, `/lenderStatuses/${i}/status`);
  });
  const deadlines = new Set<string>();
  (d.offerDeadlines ?? []).forEach((o, i) => {
    const op = `/offerDeadlines/${i}`;
    if (deadlines.has(o.deadline)) add(`${op}/deadline`, `Offertetermijn "${o.deadline}" komt dubbel voor`);
    deadlines.add(o.deadline);
    if (o.onDate?.toStatus !== undefined) knownStatus(o.onDate.toStatus, `${op}/onDate/toStatus`);
    if (o.reminder.toStatus !== undefined) add(`${op}/reminder/toStatus`, 'Een herinnering kan de status niet veranderen');
    (o.satisfiedBy ?? []).forEach((c, ci) => knownStatus(c, `${op}/satisfiedBy/${ci}`));
  });

  if (opts.templates) {
    for (const ref of templateRefs(d)) {
      const known = opts.templates instanceof Map ? opts.templates.get(ref.key) : opts.templates.has(ref.key) ? ref.kind : undefined;
      if (known === undefined) add(ref.path, `Onbekend ${templateKindWord(ref.kind)}sjabloon "${ref.key}"`);
      else if (known !== ref.kind) add(ref.path, `Sjabloon "${ref.key}" is een ${templateKindWord(known)}sjabloon; hier is een ${templateKindWord(ref.kind)}sjabloon nodig`);
    }
  }
  // The flow checks need sound references: only when everything above passed.
  if (opts.flow && problems.length === 0) problems.push(...flowProblems(d));
  return problems;
}

/**
 * TypeBox's schema messages in Dutch: the designer sees them at the field they point to. By the error's kind and
 * its schema's limit; a kind not listed here is named as an invalid value.
 */
function dutchSchemaMessage(e: ValueError): string {
  const schema = e.schema as Record<string, unknown>;
  switch (e.type) {
    case ValueErrorType.StringMinLength:
      return schema.minLength === 1 ? 'Vul dit veld in' : `Ten minste ${String(schema.minLength)} tekens`;
    case ValueErrorType.StringMaxLength:
      return `Ten hoogste ${String(schema.maxLength)} tekens`;
    case ValueErrorType.StringPattern:
    case ValueErrorType.StringFormat:
      return 'Heeft niet de juiste vorm';
    case ValueErrorType.String:
      return 'Moet tekst zijn';
    case ValueErrorType.Integer:
      return 'Moet een geheel getal zijn';
    case ValueErrorType.Number:
      return 'Moet een getal zijn';
    case ValueErrorType.Boolean:
      return 'Moet ja of nee zijn';
    case ValueErrorType.IntegerMinimum:
    case ValueErrorType.NumberMinimum:
      return `Ten minste ${String(schema.minimum)}`;
    case ValueErrorType.IntegerMaximum:
    case ValueErrorType.NumberMaximum:
      return `Ten hoogste ${String(schema.maximum)}`;
    case ValueErrorType.ArrayMinItems:
      return `Ten minste ${String(schema.minItems)} ${schema.minItems === 1 ? 'item' : 'items'}`;
    case ValueErrorType.ArrayMaxItems:
      return `Ten hoogste ${String(schema.maxItems)} items`;
    case ValueErrorType.ArrayUniqueItems:
      return 'Waarden mogen niet dubbel voorkomen';
    case ValueErrorType.Array:
      return 'Moet een lijst zijn';
    case ValueErrorType.Object:
      return 'Moet een object zijn';
    case ValueErrorType.ObjectRequiredProperty:
      return 'Verplicht veld ontbreekt';
    case ValueErrorType.ObjectAdditionalProperties:
      return 'Onbekend veld';
    case ValueErrorType.Literal:
    case ValueErrorType.Union:
      return 'Geen toegestane waarde';
    default:
      return 'Ongeldige waarde';
  }
}

const actionSchemas = new Map(ActionSchema.anyOf.map((schema) => [schema.properties.kind.const as string, schema as TSchema]));
const ACTION_PATH = /^\/steps\/(\d+)\/actions\/(\d+)$/;

/**
 * Schema errors with JSON-pointer paths. An action is a union of kinds, for which TypeBox
 * can only say "the action" is wrong: an action of a known kind is checked against that
 * kind's schema instead, so a wrong parameter is named by its own path
 * (`/steps/2/actions/1/dueInDays`); an unknown kind is named as such.
 */
function schemaErrors(def: unknown): DefinitionProblem[] {
  const out: DefinitionProblem[] = [];
  const seen = new Set<string>();
  const push = (p: DefinitionProblem): void => {
    const k = `${p.path}\u0000${p.message}`;
    if (!seen.has(k)) out.push(p);
    seen.add(k);
  };
  for (const e of Value.Errors(ProcessDefinitionSchema, def)) {
    const m = ACTION_PATH.exec(e.path);
    const action = m ? (def as { steps: { actions: unknown[] }[] }).steps[Number(m[1])]?.actions[Number(m[2])] : undefined;
    if (!m || typeof action !== 'object' || action === null) {
      push({ path: e.path || '/', message: dutchSchemaMessage(e) });
      continue;
    }
    const kind = (action as { kind?: unknown }).kind;
    const schema = typeof kind === 'string' ? actionSchemas.get(kind) : undefined;
    if (!schema) {
      push({ path: e.path, message: `Onbekende soort actie ${JSON.stringify(kind)}; bekend: ${[...actionSchemas.keys()].join(', ')}` });
      continue;
    }
    for (const inner of Value.Errors(schema, action)) push({ path: `${e.path}${inner.path}`, message: dutchSchemaMessage(inner) });
  }
  return out;
}

export type { TemplateKind } from '../work/items.js';
import type { TemplateKind } from '../work/items.js';

export interface ValidateOptions {
  /**
   * Also check the flow (what the designer must fix before publishing): every step can run
   * (one of its `from` statuses is reachable from the initial status) and every status of
   * category new has a way out. The workflow's own start check leaves this out: a definition
   * it accepted once must be accepted again on replay.
   */
  flow?: boolean;
  /** The known template keys (with their kind, when a Map): every template used must exist. */
  templates?: ReadonlySet<string> | ReadonlyMap<string, TemplateKind>;
}

export interface TemplateRef {
  key: string;
  kind: TemplateKind;
  /** JSON pointer of the reference. */
  path: string;
}

/** Every template a definition uses, with the kind it needs and where it is named. */
export function templateRefs(def: ProcessDefinition): TemplateRef[] {
  const refs: TemplateRef[] = [];
  def.steps.forEach((step, si) => {
    step.actions.forEach((a, ai) => {
      const ap = `/steps/${si}/actions/${ai}`;
      switch (a.kind) {
        case 'sendMail':
        case 'sendPortalActivation':
          refs.push({ key: a.template, kind: 'mail', path: `${ap}/template` });
          break;
        case 'generateDocument':
          refs.push({ key: a.template, kind: 'document', path: `${ap}/template` });
          break;
        case 'waitForDate':
          if (a.reminder.mailTemplate) refs.push({ key: a.reminder.mailTemplate, kind: 'mail', path: `${ap}/reminder/mailTemplate` });
          if (a.onDate?.mailTemplate) refs.push({ key: a.onDate.mailTemplate, kind: 'mail', path: `${ap}/onDate/mailTemplate` });
          break;
        default:
          break;
      }
    });
  });
  (def.offerDeadlines ?? []).forEach((o, i) => {
    if (o.reminder.mailTemplate) refs.push({ key: o.reminder.mailTemplate, kind: 'mail', path: `/offerDeadlines/${i}/reminder/mailTemplate` });
    if (o.onDate?.mailTemplate) refs.push({ key: o.onDate.mailTemplate, kind: 'mail', path: `/offerDeadlines/${i}/onDate/mailTemplate` });
  });
  return refs;
}

/**
 * The statuses a product can ever be in: the initial status, then, from every step that can
 * run, its `to` and its date escalations (`onDate.toStatus`); once a step that sends the HDN
 * application can run, every lender status target and offer-date escalation too.
 */
export function reachableStatuses(def: ProcessDefinition): Set<string> {
  const reached = new Set<string>([def.initialStatus]);
  let lender = false;
  for (let grew = true; grew; ) {
    grew = false;
    const reach = (code: string | undefined): void => {
      if (code !== undefined && !reached.has(code)) {
        reached.add(code);
        grew = true;
      }
    };
    for (const step of def.steps) {
      if (!step.from.some((c) => reached.has(c))) continue;
      reach(step.to);
      for (const a of step.actions) {
        if (a.kind === 'waitForDate') reach(a.onDate?.toStatus);
        if (a.kind === 'sendHdnApplication') lender = true;
      }
    }
    if (lender) {
      for (const m of def.lenderStatuses ?? []) reach(m.status);
      for (const o of def.offerDeadlines ?? []) reach(o.onDate?.toStatus);
    }
  }
  return reached;
}

/** Can a product leave this status: a step to another status, a date escalation, or a lender message? */
function hasWayOut(def: ProcessDefinition, code: string): boolean {
  const sendsApplication = def.steps.some((s) => s.actions.some((a) => a.kind === 'sendHdnApplication'));
  if (sendsApplication && (def.lenderStatuses ?? []).some((m) => m.status !== code)) return true;
  if (sendsApplication && (def.offerDeadlines ?? []).some((o) => o.onDate?.toStatus !== undefined && o.onDate.toStatus !== code)) {
    return true;
  }
  return def.steps.some(
    (s) =>
      (s.to !== undefined && s.to !== code && s.from.includes(code)) ||
      // A date guarded from any step may escalate out of whatever status the product is in.
      s.actions.some((a) => a.kind === 'waitForDate' && a.onDate?.toStatus !== undefined && a.onDate.toStatus !== code),
  );
}

/**
 * A definition without steps and without lender statuses only labels the statuses of a
 * product that another workflow moves (RISK insurance): its flow is not in the definition,
 * so the flow checks do not apply.
 */
function externallyDriven(def: ProcessDefinition): boolean {
  return def.steps.length === 0 && (def.lenderStatuses ?? []).length === 0;
}

/** Errors of the flow: steps that can never run, statuses of category new with no way out. */
function flowProblems(def: ProcessDefinition): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  if (externallyDriven(def)) return problems;
  const reached = reachableStatuses(def);
  def.steps.forEach((step, si) => {
    if (!step.from.some((c) => reached.has(c))) {
      problems.push({
        path: `/steps/${si}/from`,
        message: `Stap "${step.id}" kan nooit worden gezet: geen van zijn statussen (${step.from.join(', ')}) is bereikbaar vanuit "${def.initialStatus}"`,
      });
    }
  });
  def.statuses.forEach((s, i) => {
    if (s.category === 'new' && reached.has(s.code) && !hasWayOut(def, s.code)) {
      problems.push({
        path: `/statuses/${i}`,
        message: `Status "${s.code}" heeft geen uitweg: geen stap, datum of bericht van de maatschappij leidt eruit, en het is geen eindstatus`,
      });
    }
  });
  return problems;
}

/**
 * Things a designer should know but that do not block publishing: a status that is never
 * reached, and a running status without a way out (a product stays running there for good,
 * which is right for a service under way or a loan in management, but may be an oversight).
 */
export function definitionWarnings(def: ProcessDefinition): DefinitionProblem[] {
  const warnings: DefinitionProblem[] = [];
  if (externallyDriven(def)) return warnings;
  const reached = reachableStatuses(def);
  def.statuses.forEach((s, i) => {
    if (!reached.has(s.code)) {
      warnings.push({ path: `/statuses/${i}`, message: `Status "${s.code}" wordt nooit bereikt vanuit "${def.initialStatus}"` });
    } else if (s.category === 'running' && !hasWayOut(def, s.code)) {
      warnings.push({ path: `/statuses/${i}`, message: `Status "${s.code}" heeft geen uitweg: producten blijven daar voorgoed lopen` });
    }
  });
  return warnings;
}
