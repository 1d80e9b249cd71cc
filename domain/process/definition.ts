/**
 * The process definition: the data that a product workflow interprets.
 *
 * A definition is what workflow designers (*beheerders*) configure per product type: the
 * system statuses (each mapped to a category new/running/ended), the steps an adviser can
 * take from given statuses, and the typed actions each step performs. It is passed to the
 * product workflow as input, so a running product keeps the version it started with.
 *
 * One TypeBox schema serves validation (API, seed, publish) and the OpenAPI docs alike.
 * The set of action kinds is closed on purpose: every kind has a typed implementation in the
 * interpreter, so a definition can never ask for something the platform cannot do.
 */
import { Type, type Static } from '@sinclair/typebox';
import { literalUnion } from '../closed-list.js';
import { dossierStatuses } from '../dossiers/status.js';
import { taskAssignees } from '../work/items.js';

/** Category of a system status: new (blue), running (green), ended (red). */
export const statusCategories = ['new', 'running', 'ended'] as const;
export const StatusCategorySchema = literalUnion(statusCategories, { $id: 'StatusCategory', description: 'new (blue), running (green) or ended (red)' });
export type StatusCategory = Static<typeof StatusCategorySchema>;

const Code = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$', description: 'kebab-case code' });
const Label = Type.String({ minLength: 1, maxLength: 200 });

/** A system status of a product (*systeemstatus*), e.g. *offerte aangevraagd*. */
export const ProcessStatusSchema = Type.Object(
  { code: Code, label: Label, category: StatusCategorySchema },
  { additionalProperties: false },
);
export type ProcessStatus = Static<typeof ProcessStatusSchema>;

/**
 * A field the adviser fills in when taking a step. Only non-personal kinds (boolean, date,
 * choice, integer) travel to the workflow; `text` fields are free text that may hold personal
 * data, so the API stores them in PostgreSQL (a step payload) and the workflow sees only the
 * payload id.
 */
export const StepInputFieldSchema = Type.Object(
  {
    name: Type.String({ pattern: '^[a-zA-Z][a-zA-Z0-9]{0,62}$' }),
    label: Label,
    type: Type.Union([
      Type.Literal('boolean'),
      Type.Literal('date'),
      Type.Literal('choice'),
      Type.Literal('integer'),
      Type.Literal('text'),
    ]),
    required: Type.Optional(Type.Boolean()),
    choices: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { minItems: 1 })),
  },
  { additionalProperties: false },
);
export type StepInputField = Static<typeof StepInputFieldSchema>;

/** Makes an action conditional on a (non-text) step input value. */
export const ActionConditionSchema = Type.Object(
  {
    input: Type.String(),
    equals: Type.Union([Type.Boolean(), Type.String(), Type.Number()]),
  },
  { additionalProperties: false },
);
export type ActionCondition = Static<typeof ActionConditionSchema>;

const when = Type.Optional(ActionConditionSchema);
const Recipients = Type.Union([Type.Literal('applicants'), Type.Literal('firstApplicant')]);
const Assignee = literalUnion(taskAssignees);

export const SendMailActionSchema = Type.Object(
  { kind: Type.Literal('sendMail'), template: Code, to: Recipients, when },
  { additionalProperties: false },
);
/** Sends the client-portal activation link (*activatielink*) by mail with a fresh token. */
export const SendPortalActivationActionSchema = Type.Object(
  { kind: Type.Literal('sendPortalActivation'), template: Code, when },
  { additionalProperties: false },
);
export const CreateTaskActionSchema = Type.Object(
  {
    kind: Type.Literal('createTask'),
    title: Label,
    assignee: Assignee,
    /** Due date: a date input of the step, or today + N days, or none. */
    dueFromInput: Type.Optional(Type.String()),
    dueInDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 3650 })),
    when,
  },
  { additionalProperties: false },
);
export const GenerateDocumentActionSchema = Type.Object(
  { kind: Type.Literal('generateDocument'), template: Code, documentType: Code, when },
  { additionalProperties: false },
);
export const SetDossierStatusActionSchema = Type.Object(
  {
    kind: Type.Literal('setDossierStatus'),
    status: literalUnion(dossierStatuses),
    when,
  },
  { additionalProperties: false },
);
/** Creates the document checklist (*stukkenlijst*) that fits the client profile. */
export const CreateChecklistActionSchema = Type.Object(
  { kind: Type.Literal('createChecklist'), profileFromInput: Type.String(), when },
  { additionalProperties: false },
);
/** Registers a contact moment (*contactmoment*) from the step input and its payload. */
export const RegisterContactMomentActionSchema = Type.Object(
  { kind: Type.Literal('registerContactMoment'), when },
  { additionalProperties: false },
);
const DeadlineReaction = Type.Object(
  {
    task: Type.Optional(Label),
    mailTemplate: Type.Optional(Code),
    /** Status the product moves to on the date (escalation), if still in one of `unlessStatus`'s complement. */
    toStatus: Type.Optional(Code),
  },
  { additionalProperties: false },
);
/**
 * Guards a date entered in a step (e.g. the financing condition, *ontbindende voorwaarde*):
 * reminders N days before, an escalation on the day unless the product reached one of the
 * `satisfiedBy` statuses first. Re-entering the date replaces the watch.
 */
export const WaitForDateActionSchema = Type.Object(
  {
    kind: Type.Literal('waitForDate'),
    deadline: Code,
    dateFromInput: Type.String(),
    remindDaysBefore: Type.Array(Type.Integer({ minimum: 1, maximum: 365 }), { maxItems: 10 }),
    reminder: DeadlineReaction,
    onDate: Type.Optional(DeadlineReaction),
    satisfiedBy: Type.Optional(Type.Array(Code)),
    when,
  },
  { additionalProperties: false },
);

/**
 * Sends the product's HDN application (AX) to its lender through the HDN gateway, idempotent on
 * (type, receiver, sender, application number, version). A watchdog creates a task when the
 * lender has not confirmed receipt (SX09) within `watchdogMinutes`.
 */
export const SendHdnApplicationActionSchema = Type.Object(
  {
    kind: Type.Literal('sendHdnApplication'),
    watchdogMinutes: Type.Integer({ minimum: 1, maximum: 1440, default: 15 }),
    watchdogTask: Label,
    when,
  },
  { additionalProperties: false },
);

export const ActionSchema = Type.Union(
  [
    SendHdnApplicationActionSchema,
    SendMailActionSchema,
    SendPortalActivationActionSchema,
    CreateTaskActionSchema,
    GenerateDocumentActionSchema,
    SetDossierStatusActionSchema,
    CreateChecklistActionSchema,
    RegisterContactMomentActionSchema,
    WaitForDateActionSchema,
  ],
  { $id: 'ProcessAction' },
);
export type Action = Static<typeof ActionSchema>;
export type ActionKind = Action['kind'];
export type ActionOf<K extends ActionKind> = Extract<Action, { kind: K }>;
export type WaitForDateAction = ActionOf<'waitForDate'>;
export type SendHdnApplicationAction = ActionOf<'sendHdnApplication'>;

/** Which system status a lender's SX status code (a string, "09") moves the product to. */
export const LenderStatusMappingSchema = Type.Object(
  { code: Type.String({ pattern: '^[0-9]{2}$' }), status: Code },
  { additionalProperties: false },
);
export type LenderStatusMapping = Static<typeof LenderStatusMappingSchema>;

/**
 * A date from a lender's offer (OX) that the workflow guards like a waitForDate: the acceptance
 * date (*acceptatiedatum*) or the validity date (*geldigheidsdatum*).
 */
export const OfferDeadlineSchema = Type.Object(
  {
    deadline: Code,
    date: Type.Union([Type.Literal('acceptanceDate'), Type.Literal('validityDate')]),
    /** Offer types it applies to ("18" rate offer, "00" binding offer); all when absent. */
    offerTypes: Type.Optional(Type.Array(Type.String({ pattern: '^[0-9]{2}$' }))),
    remindDaysBefore: Type.Array(Type.Integer({ minimum: 1, maximum: 365 }), { maxItems: 10 }),
    reminder: DeadlineReaction,
    onDate: Type.Optional(DeadlineReaction),
    satisfiedBy: Type.Optional(Type.Array(Code)),
  },
  { additionalProperties: false },
);
export type OfferDeadline = Static<typeof OfferDeadlineSchema>;

/**
 * Extra conditions on a step besides its `from` statuses, all of which must hold. Each is a
 * non-personal fact the product workflow itself knows (so the `takeStep` validator decides):
 * the category of the current status, whether the HDN application has been sent, and the last
 * lender SX code applied. (The dossier status prospect/client is not offered: the workflow
 * does not know it, and a guard that nobody enforces would mislead the designer.)
 */
export const StepGuardSchema = Type.Object(
  {
    /** The category of the product's current status is one of these. */
    // A plain union: StatusCategorySchema carries an $id, which may appear only once per schema.
    productCategory: Type.Optional(
      Type.Array(Type.Union([Type.Literal('new'), Type.Literal('running'), Type.Literal('ended')]), { minItems: 1 }),
    ),
    /** The HDN application has (true) or has not (false) been sent to the lender. */
    applicationSent: Type.Optional(Type.Boolean()),
    /** The last SX status code applied is one of these ("05"). */
    lenderStatusIn: Type.Optional(Type.Array(Type.String({ pattern: '^[0-9]{2}$' }), { minItems: 1 })),
  },
  { additionalProperties: false },
);
export type StepGuard = Static<typeof StepGuardSchema>;

export const ProcessStepSchema = Type.Object(
  {
    id: Code,
    label: Label,
    /** Statuses from which the step may be taken. */
    from: Type.Array(Code, { minItems: 1 }),
    /** Status after the step; absent = the status stays. */
    to: Type.Optional(Code),
    /** Further conditions (all must hold) on facts the workflow knows; see StepGuardSchema. */
    guard: Type.Optional(StepGuardSchema),
    input: Type.Optional(Type.Array(StepInputFieldSchema)),
    actions: Type.Array(ActionSchema),
  },
  { additionalProperties: false },
);
export type ProcessStep = Static<typeof ProcessStepSchema>;

export const ProcessDefinitionSchema = Type.Object(
  {
    key: Code,
    version: Type.Integer({ minimum: 1 }),
    name: Label,
    productType: Code,
    initialStatus: Code,
    statuses: Type.Array(ProcessStatusSchema, { minItems: 1 }),
    steps: Type.Array(ProcessStepSchema),
    /** HDN products: SX status code → system status (*Offertesysteemstatussen*). */
    lenderStatuses: Type.Optional(Type.Array(LenderStatusMappingSchema)),
    /** HDN products: dates from offers the workflow guards. */
    offerDeadlines: Type.Optional(Type.Array(OfferDeadlineSchema)),
  },
  { $id: 'ProcessDefinition', additionalProperties: false },
);
export type ProcessDefinition = Static<typeof ProcessDefinitionSchema>;

/** Values of the non-text step inputs, as they travel to the workflow. */
export type StepInputValues = Record<string, boolean | string | number>;
