/**
 * How a mortgage product reacts to its lender's HDN messages (SX status, OX offer, DA document
 * request) and to sending its application (AX). The product workflow (workflows/products)
 * interprets the process definition; the HDN decisions live here so that a new lender message
 * type has one home. Deterministic: no I/O but the one activity a DA needs, passed in.
 *
 * Rules (shared/REFERENCE.md "HDN"): an SX moves the product along its process's status mapping
 * unless domain/hdn/status says otherwise (never back in rank, nothing after a terminal code,
 * document-level statuses only recorded); an OX starts the offer's date reminders; a DA becomes
 * the product's lender checklist; messages about an older application version are kept, not
 * acted on; a message before any application was sent is recorded only.
 */
import type { HdnMessageOutcome } from '../../domain/hdn/message-types.js';
import { decideSx, sxStatus, unverifiedSxCodes } from '../../domain/hdn/status.js';
import type { ProcessDefinition, SendHdnApplicationAction, StepInputValues, WaitForDateAction } from '../../domain/process/definition.js';
import { todayInAmsterdam } from '../../domain/dates.js';
import type { HistoryKind } from '../../domain/products/history.js';
import type { DeadlineWatchState, LenderMessage, ProductCarriedState } from '../products/product.messages.js';

/** Watch id of the "no SX09 in time" watchdog started when the application is sent. */
export const SX09_WATCHDOG = 'hdn-sx09';

/** The history entry a lender message leaves. */
export interface LenderEntry {
  kind: HistoryKind;
  actor: string;
  label: string;
  toStatus: string;
}

export interface LenderDecision {
  /** The product event number the message was given. */
  seq: number;
  entry: LenderEntry;
  /** What the stored message is marked with, and why. */
  outcome: HdnMessageOutcome;
  reason: string;
}

/** What the decisions need of the product workflow. */
export interface LenderMessageContext {
  /** The definition the product follows now. */
  definition: ProcessDefinition;
  /** The workflow's state: its event counter, application and watches are updated here. */
  state: ProductCarriedState;
  /** Registers (or replaces) a date watch, as a waitForDate action of a step would. */
  registerWatch(action: WaitForDateAction, input: StepInputValues, stepId: string, actor: string): void;
  /** DA: turns the stored message into the product's lender checklist (an activity). */
  applyDocumentRequest(messageId: string): Promise<{ lines: number }>;
}

/**
 * Decides one lender message on the state the earlier ones left, in arrival order. Returns the
 * history entry and the outcome the stored message gets; the caller records both.
 */
export async function decideLenderMessage(ctx: LenderMessageContext, m: LenderMessage): Promise<LenderDecision> {
  const { state, definition: def } = ctx;
  const seq = ++state.seq;
  const app = state.application;
  let outcome: HdnMessageOutcome = 'applied';
  let reason = '';
  let label: string;
  let toStatus = state.status;

  if (!app) {
    outcome = 'recorded';
    reason = 'voor dit product is nog geen aanvraag verstuurd';
    label = `${m.type} ontvangen zonder verstuurde aanvraag`;
  } else if (m.applicationVersion < app.version) {
    outcome = 'ignored';
    reason = `bericht over aanvraagversie ${m.applicationVersion}; versie ${app.version} is de huidige`;
    label = `${m.type} over oude aanvraagversie ${m.applicationVersion} bewaard`;
  } else {
    const type = m.type;
    switch (type) {
      case 'SX': {
        const code = m.statusCode ?? '';
        app.sxReceived.push(code);
        state.watches = state.watches.filter((w) => w.deadline !== SX09_WATCHDOG);
        const known = sxStatus(code);
        // A signal from before the office setting existed: 31 counted as known then (replay).
        const enabledUnverified = m.enabledUnverifiedSx ?? unverifiedSxCodes;
        const unverified = known?.unverified === true && !enabledUnverified.includes(code);
        label = `SX ${code}${known ? ` ${known.label}` : ''}${unverified ? ' (niet-officiële code, niet toegepast)' : ''}${m.documentReference ? ` (document ${m.documentReference})` : ''}`;
        const decision = m.documentReference ? { apply: false, reason: 'status van een document' } : decideSx(app.lastSx, code, { enabledUnverified });
        const mapped = (def.lenderStatuses ?? []).find((s) => s.code === code);
        if (!decision.apply) {
          outcome = 'recorded';
          reason = decision.reason;
        } else if (!mapped) {
          outcome = 'recorded';
          reason = `SX ${code} heeft geen status in proces ${def.key} v${def.version}`;
          app.lastSx = code;
        } else {
          toStatus = mapped.status;
          app.lastSx = code;
          reason = decision.reason;
        }
        break;
      }
      case 'OX': {
        label = `OX ${m.offerType ?? '?'} offerte ${m.offerNumber ?? ''} ontvangen`.trim();
        for (const o of def.offerDeadlines ?? []) {
          if (o.offerTypes && !o.offerTypes.includes(m.offerType ?? '')) continue;
          if ((o.satisfiedBy ?? []).includes(state.status)) continue;
          const date = o.date === 'acceptanceDate' ? m.acceptanceDate : m.validityDate;
          if (!date) continue;
          const action: WaitForDateAction = {
            kind: 'waitForDate',
            deadline: o.deadline,
            dateFromInput: 'date',
            remindDaysBefore: o.remindDaysBefore,
            reminder: o.reminder,
            ...(o.onDate ? { onDate: o.onDate } : {}),
            ...(o.satisfiedBy ? { satisfiedBy: o.satisfiedBy } : {}),
          };
          ctx.registerWatch(action, { date }, 'lender-offer', 'lender');
        }
        reason = 'offertedata bewaakt';
        break;
      }
      case 'DA': {
        const applied = await ctx.applyDocumentRequest(m.messageId);
        label = `DA stukkenlijst van de maatschappij (${applied.lines} regels)`;
        reason = 'stukkenlijst bijgewerkt';
        break;
      }
      default: {
        // A new lender message type (domain/hdn/message-types.ts) needs its decision here.
        const unknown: never = type;
        throw new Error(`No decision for lender message type ${String(unknown)}`);
      }
    }
  }
  return { seq, entry: { kind: 'lender', actor: 'lender', label, toStatus }, outcome, reason: reason || label };
}

/**
 * The application went to the lender: the product remembers it (number, version, lender) and
 * watches for the lender's receipt (SX09) within the action's minutes.
 */
export function applicationSent(
  state: ProductCarriedState,
  sent: { applicationNumber: string; applicationVersion: number; lenderCode: string },
  action: SendHdnApplicationAction,
  step: { stepId: string; actor: string },
  now: Date,
): void {
  state.application = {
    applicationNumber: sent.applicationNumber,
    version: sent.applicationVersion,
    lenderCode: sent.lenderCode,
    sentAt: now.toISOString(),
    sxReceived: [],
  };
  const watchdog: DeadlineWatchState = {
    deadline: SX09_WATCHDOG,
    date: todayInAmsterdam(now),
    pending: [{ at: new Date(now.getTime() + action.watchdogMinutes * 60_000).toISOString(), kind: 'onDate' }],
    action: { kind: 'waitForDate', deadline: SX09_WATCHDOG, dateFromInput: 'sentAt', remindDaysBefore: [], reminder: {}, onDate: { task: action.watchdogTask } },
    stepId: step.stepId,
    actor: step.actor,
    onDateKind: 'watchdog',
    onDateLabel: `Geen ontvangstbevestiging (SX09) binnen ${action.watchdogMinutes} minuten`,
  };
  state.watches = [...state.watches.filter((w) => w.deadline !== SX09_WATCHDOG), watchdog];
}
