/**
 * The polling fallback: ask RISK for the events since the office's cursor and feed each through
 * the same store-then-route path as the webhook. Deduplication on (office, AL_BERRFNR) makes
 * the overlap with the webhook harmless. The cursor moves only past events that were stored,
 * so a crash between fetching and storing re-fetches them next time.
 */
import type { RiskClient } from '../../integrations/risk/client.js';
import { RiskError } from '../../integrations/risk/types.js';
import { DomainError } from '../../domain/errors.js';
import { looksLikeUuid, one } from '../../db/sql.js';
import { readRisk } from '../../integrations/risk/codec.js';
import { inboundRiskFormats, receiveRisk, type RiskContext } from './inbound.js';
import { riskClientOrRefuse } from './risk-connection.js';
import { riskPollCursorOf, saveRiskPollCursor } from './store.js';

async function ownedByOffice(ctx: RiskContext, officeId: string, xml: string): Promise<boolean> {
  let message;
  try {
    message = readRisk(xml, ctx.mapping, { accept: inboundRiskFormats }).message;
  } catch (err) {
    if (err instanceof RiskError) return false;
    throw err;
  }
  const ref = message.adviserReference && looksLikeUuid(message.adviserReference) ? message.adviserReference : null;
  const owned = await one<{ n: number }>(
    ctx.em,
    `select 1 as n from insurance_policies where office_id = ? and (product_id = ? or external_ref = ?) limit 1`,
    [officeId, ref, message.policyNumber],
  );
  return owned !== undefined;
}

/**
 * One office's poll (`POST /risk/poll`, and each office of a poller round). Refused as
 * unavailable when no RISK connection is configured.
 */
export async function pollRiskOnce(ctx: RiskContext, client: RiskClient | undefined, officeId: string): Promise<{ fetched: number; stored: number; cursor: string }> {
  const risk = riskClientOrRefuse(client);
  let cursor = (await riskPollCursorOf(ctx.em, officeId)) ?? '0';
  let page;
  try {
    page = await risk.eventsSince(cursor);
  } catch (err) {
    if (err instanceof RiskError) throw new DomainError(err.retryable ? 'unavailable' : 'upstream-failed', 'risk-unavailable', err.message);
    throw err;
  }
  let stored = 0;
  for (const event of page.events) {
    // The feed is RISK's for the whole platform: take only the events about this office's quotes
    // (our reference is the product id; RISK's number is the policy number). Webhooks carry the
    // office in their credential; unknown quotes wait in the inbox there, not here.
    if (!(await ownedByOffice(ctx, officeId, event.xml))) {
      cursor = event.cursor;
      continue;
    }
    try {
      const answer = await receiveRisk(ctx, { officeId, credentialId: null }, event.xml, 'poll');
      if (!answer.duplicate) stored += 1;
    } catch (err) {
      // A malformed event from RISK cannot be stored: skip it (logged by the caller's problem),
      // but a process-engine outage stops here so the cursor does not pass unrouted events.
      if (err instanceof DomainError && err.kind === 'unavailable') break;
      if (!(err instanceof DomainError)) throw err;
    }
    cursor = event.cursor;
  }
  if (page.events.length === 0) cursor = page.next;
  await saveRiskPollCursor(ctx.em, officeId, cursor);
  return { fetched: page.events.length, stored, cursor };
}
