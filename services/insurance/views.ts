/**
 * The RISK inbox: stored messages of an office (no XML, no personal data), newest first, with
 * what the RISK AFD mapping could not explain when each was read (unknown branch or code, ...).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { RiskMessageItem } from './schemas.js';
import { isoInstant, rows } from '../../db/sql.js';
import { routableRiskMessageStates, type RiskMessageState } from '../../domain/insurance/risk-messages.js';
import { riskMessageColumns, type RiskMessageRow } from './store.js';
import { describeRiskNote } from '../../integrations/risk/codec.js';
import type { RiskAfdNote } from '../../integrations/risk/afd-mapping.js';

const inboxStates: readonly RiskMessageState[] = [...routableRiskMessageStates, 'parked'];

const noteTypes = new Set<string>(['unknown_code', 'unknown_branch', 'no_event_version', 'no_message_time', 'no_coverage_description', 'unmapped_json_field']);

/** The stored notes in words; rows from before the notes column have none. */
function notesOf(stored: unknown): string[] {
  if (!Array.isArray(stored)) return [];
  return stored
    .filter((n): n is RiskAfdNote => typeof n === 'object' && n !== null && noteTypes.has(String((n as { type?: unknown }).type)))
    .map(describeRiskNote);
}

export function riskMessageItem(r: RiskMessageRow): RiskMessageItem {
  return {
    id: r.id,
    messageKey: r.message_key,
    kind: r.kind,
    policyNumber: r.policy_number,
    version: Number(r.version),
    eventAt: isoInstant(r.event_at) ?? '',
    state: r.state,
    reason: r.reason,
    summary: r.summary,
    notes: notesOf(r.notes),
    source: r.source,
    productId: r.product_id,
    receivedAt: isoInstant(r.received_at) ?? '',
    processedAt: isoInstant(r.processed_at),
  };
}

/**
 * Without a state: what needs an adviser: waiting (no match), parked (failed RISK's XSD: someone
 * must read the validator's words) and what is not routed yet (received).
 */
export async function listInbox(em: EntityManager, officeId: string, state: string | undefined, limit: number): Promise<RiskMessageItem[]> {
  const found = state
    ? await rows<RiskMessageRow>(em, `select ${riskMessageColumns} from risk_messages where office_id = ? and state = ? order by received_at desc limit ?`, [officeId, state, limit])
    : await rows<RiskMessageRow>(
        em,
        `select ${riskMessageColumns} from risk_messages where office_id = ? and state in (${inboxStates.map(() => '?').join(', ')}) order by received_at desc limit ?`,
        [officeId, ...inboxStates, limit],
      );
  return found.map(riskMessageItem);
}
