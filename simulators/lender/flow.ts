/**
 * Plays one application's scenario: waits, builds each message at the moment it is sent (so
 * VerzendDt/VerzendTijd are "now"), and delivers it before the next step, because a lender's
 * outbound queue per application is sequential; scenarios that need disorder say so explicitly.
 */
import type { HdnDocumentRequest, HdnOffer, HdnStatus } from '../../integrations/hdn/types.js';
import type { Deliverer } from './delivery.js';
import { documentRequest, offer, offerNumber, statusMessage, type LenderIdentity, type ReplyContext } from './messages.js';
import { lenderMessageXml } from './public-xml.js';
import type { PlanStep } from './scenarios.js';
import type { Scheduler } from './scheduler.js';
import { missingDocuments, type ApplicationState, type SentMessageView } from './state.js';

export interface FlowDeps {
  lender: LenderIdentity;
  scheduler: Scheduler;
  deliverer: Deliverer;
  sx09DelayMs: number;
  /** Something in the state changed (wakes waiters). */
  changed: () => void;
  log: (line: string) => void;
}

export async function runFlow(app: ApplicationState, deps: FlowDeps): Promise<void> {
  const { scheduler } = deps;
  const signal = app.controller.signal;
  const label = `${app.view.applicationNumber} v${app.view.applicationVersion}`;
  let sentAny = false;

  for (const step of app.plan.steps) {
    if (step.do === 'awaitDocuments') {
      app.view.state = 'waiting-for-documents';
      deps.changed();
      await scheduler.waitUntil(() => missingDocuments(app.view).length === 0, { signal });
      app.view.state = 'running';
      deps.changed();
      continue;
    }
    // The first answer is the receipt (SX09 in most scenarios): it has its own, shorter delay.
    await scheduler.sleep(sentAny ? app.stepDelayMs : deps.sx09DelayMs, signal);
    sentAny = true;

    const ctx: ReplyContext = { lender: deps.lender, application: app.application, receivedOn: app.receivedOn, now: new Date() };
    const message = buildStep(step, ctx);
    if (message.type === 'DA') {
      app.view.documentLines = message.lines.map((l) => ({ lineId: l.lineId, documentKind: l.documentKind, fetchedByLender: l.fetchedByLender }));
    }
    // The public HDN structure, by the lender's own writer (not our codec or mapping).
    const xml = lenderMessageXml(message);
    for (let copy = 1; copy <= app.plan.copies; copy++) {
      const entry: SentMessageView = {
        seq: app.view.messages.length + 1,
        type: message.type,
        ...describe(step, message),
        copy,
        at: ctx.now.toISOString(),
        delivered: false,
        attempts: 0,
      };
      app.view.messages.push(entry);
      deps.changed();
      const outcome = await deps.deliverer.deliver(xml, {
        signal,
        onAttempt: (failed) => {
          Object.assign(entry, failed);
          deps.log(`${label}: ${name(entry)} not delivered yet (attempt ${failed.attempts}): ${failed.error ?? ''}; retrying`);
          deps.changed();
        },
      });
      Object.assign(entry, outcome);
      if (!outcome.delivered) deps.log(`${label}: ${name(entry)} refused by the platform, not retried: ${outcome.error ?? ''}`);
      deps.changed();
    }
  }
  app.view.state = 'finished';
  deps.changed();
  deps.log(`${label}: scenario '${app.view.scenario}' finished`);
}

type LenderMessage = HdnStatus | HdnOffer | HdnDocumentRequest;

function buildStep(step: Exclude<PlanStep, { do: 'awaitDocuments' }>, ctx: ReplyContext): LenderMessage {
  switch (step.do) {
    case 'status': {
      // Offer-related statuses name the offer they announce.
      const offerType = step.code === '22' ? '18' : step.code === '23' ? '00' : undefined;
      return statusMessage(ctx, step.code, offerType ? { offerNumber: offerNumber(ctx, offerType) } : {});
    }
    case 'offer':
      return offer(ctx, step.offerType);
    case 'documents':
      return documentRequest(ctx, step.phase);
  }
}

function describe(step: Exclude<PlanStep, { do: 'awaitDocuments' }>, message: LenderMessage): Pick<SentMessageView, 'code' | 'detail'> {
  switch (step.do) {
    case 'status':
      return { code: step.code };
    case 'offer':
      return { code: step.offerType, ...(message.type === 'OX' ? { detail: message.offerNumber } : {}) };
    case 'documents':
      return { detail: step.phase };
  }
}

function name(entry: SentMessageView): string {
  return `${entry.type}${entry.code ?? ''}${entry.copy > 1 ? ` (copy ${entry.copy})` : ''}`;
}
