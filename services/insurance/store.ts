/**
 * The one writer of the insurance tables: `insurance_policies` (one row per insurance product:
 * RISK's quote/policy number, premium, the last applied event), `insurance_history` (one row per
 * applied RISK event), `risk_messages` (the RISK inbox), `risk_relations` (RISK relation numbers
 * learned per office) and `risk_poll_cursors` (how far polling has read RISK's feed per office).
 * Every function runs on the EntityManager it is given, so callers decide the transaction.
 *
 * Writes are idempotent where a retry or a redelivery can repeat them: a message once per
 * (office, RISK message id), a history entry once per message, a relation once per (office,
 * number), a quote number only when the policy has none yet.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { InsuranceEventKind } from '../../domain/insurance/events.js';
import { routableRiskMessageStates, type RiskMessageOutcome, type RiskMessageSource, type RiskMessageState } from '../../domain/insurance/risk-messages.js';
import { newId } from '../../db/ids.js';
import { one, rows, type Row } from '../../db/sql.js';
import { scrubRows } from '../privacy/scrub-rows.js';
import type { Needles } from '../privacy/scrub.js';

export const ownedTables = ['insurance_policies', 'insurance_history', 'risk_messages', 'risk_poll_cursors', 'risk_relations'] as const;

export type {
  InsurancePolicyRecord,
  InsuranceHistoryRecord,
  RiskMessageRecord,
  RiskRelationRecord,
  RiskPollCursorRecord,
} from '../../db/entities/index.js';

// ------------------------------------------------------------------ rows (raw SQL, snake_case)

/** A policy row as `select * from insurance_policies` returns it. */
export interface InsurancePolicyRow extends Row {
  product_id: string;
  office_id: string;
  dossier_id: string;
  person_id: string | null;
  external_ref: string | null;
  branch: string;
  insurer_code: string | null;
  start_date: unknown;
  premium_cents: unknown;
  payment_term_months: unknown;
  requested_coverages: unknown;
  last_version: number | null;
  last_event_at: unknown;
  last_message_id: string | null;
  created_at: unknown;
  updated_at: unknown;
}

/** A history row as `select * from insurance_history` returns it. */
export interface InsuranceHistoryRow extends Row {
  id: string;
  product_id: string;
  message_id: string;
  seq: number;
  kind: InsuranceEventKind;
  version: number;
  event_at: unknown;
  premium_cents: unknown;
  start_date: unknown;
  coverages: unknown;
  from_status: string;
  to_status: string;
  recorded_at: unknown;
}

/** The columns of a stored RISK message the API shows (no XML). */
export const riskMessageColumns =
  'id, office_id, message_key, kind, policy_number, version, event_at, state, reason, summary, notes, source, product_id, received_at, processed_at';

/** A stored RISK message as `select ${riskMessageColumns} from risk_messages` returns it. */
export interface RiskMessageRow extends Row {
  id: string;
  office_id: string;
  message_key: string;
  kind: InsuranceEventKind;
  policy_number: string;
  version: number;
  event_at: unknown;
  state: RiskMessageState;
  reason: string | null;
  summary: string;
  /** What the RISK AFD mapping could not explain (jsonb array of integrations/risk RiskAfdNote). */
  notes: unknown;
  source: RiskMessageSource;
  product_id: string | null;
  received_at: unknown;
  processed_at: unknown;
}

// ------------------------------------------------------------------ risk_messages

export interface NewRiskMessage {
  officeId: string;
  credentialId: string | null;
  source: RiskMessageSource;
  /** AL_BERRFNR: RISK's reference of the message, unique per office. */
  messageKey: string;
  kind: InsuranceEventKind;
  policyNumber: string;
  version: number;
  eventAt: string;
  /** Non-personal one-line summary. */
  summary: string;
  /** What the mapping could not explain (unknown branch or code, fallbacks): shown in the inbox. */
  notes: readonly unknown[];
  /** The body as received (AFD 1.0 XML or AFD 2.0 JSON). */
  rawXml: string;
}

/** Insert-once on (office, message key), state `received`; a redelivery gets the first row back (`stored: false`). */
export async function insertRiskMessageOnce(em: EntityManager, m: NewRiskMessage): Promise<{ row: RiskMessageRow; stored: boolean }> {
  const inserted = await one<RiskMessageRow>(
    em,
    `insert into risk_messages (id, office_id, message_key, kind, policy_number, version, event_at, summary, notes, raw_xml, source, state, credential_id)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, 'received', ?)
     on conflict (office_id, message_key) do nothing
     returning ${riskMessageColumns}`,
    [newId(), m.officeId, m.messageKey, m.kind, m.policyNumber, m.version, m.eventAt, m.summary, JSON.stringify(m.notes), m.rawXml, m.source, m.credentialId],
  );
  if (inserted) return { row: inserted, stored: true };
  const existing = await one<RiskMessageRow>(em, `select ${riskMessageColumns} from risk_messages where office_id = ? and message_key = ?`, [m.officeId, m.messageKey]);
  if (!existing) throw new Error(`risk_messages: key ${m.messageKey} conflicted but no row was found`);
  return { row: existing, stored: false };
}

/**
 * Routing's outcome for a message: moved only out of the states routing owns (received,
 * waiting), since the workflow may already have applied it. Returns the row as it is now.
 */
export async function moveRoutableRiskMessage(
  em: EntityManager,
  id: string,
  to: { state: RiskMessageState; reason: string | null; productId?: string },
): Promise<RiskMessageRow> {
  await em.execute(
    `update risk_messages set state = ?, reason = ?, product_id = coalesce(?, product_id), processed_at = now()
     where id = ? and state in (${routableRiskMessageStates.map(() => '?').join(', ')})`,
    [to.state, to.reason, to.productId ?? null, id, ...routableRiskMessageStates],
  );
  const row = await one<RiskMessageRow>(em, `select ${riskMessageColumns} from risk_messages where id = ?`, [id]);
  if (!row) throw new Error(`risk_messages: message ${id} vanished`);
  return row;
}

/** A stored message with its XML, locked for the transaction that applies it; undefined when absent. */
export async function lockRiskMessage(
  tem: EntityManager,
  id: string,
): Promise<{ id: string; office_id: string; state: RiskMessageState; reason: string | null; raw_xml: string } | undefined> {
  return one(tem, 'select id, office_id, state, reason, raw_xml from risk_messages where id = ? for update', [id]);
}

/** What applying a delivered message to its product came to (applied or ignored, with the reason). */
export async function settleRiskMessage(em: EntityManager, id: string, productId: string, outcome: RiskMessageOutcome, reason: string): Promise<void> {
  await em.execute('update risk_messages set state = ?, reason = ?, product_id = ?, processed_at = now() where id = ?', [outcome, reason, productId, id]);
}

// ------------------------------------------------------------------ insurance_policies

export interface NewInsurancePolicy {
  productId: string;
  officeId: string;
  dossierId: string;
  personId: string | null;
  /** RISK's quote/policy number, when RISK made the product (null: asked for by the adviser here). */
  externalRef: string | null;
  branch: string;
  insurerCode: string | null;
  startDate: string | null;
  /** The coverages the adviser asked a quote for (empty when RISK made the product). */
  requestedCoverages: readonly unknown[];
}

/** The policy row of a new insurance product, in the caller's transaction (with the product). */
export async function insertInsurancePolicy(tem: EntityManager, p: NewInsurancePolicy): Promise<void> {
  await tem.execute(
    `insert into insurance_policies (product_id, office_id, dossier_id, person_id, external_ref, branch, insurer_code, start_date, requested_coverages)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)`,
    [p.productId, p.officeId, p.dossierId, p.personId, p.externalRef, p.branch, p.insurerCode, p.startDate, JSON.stringify(p.requestedCoverages)],
  );
}

/** Removes the policy row of a product whose workflow never started (nothing was asked of RISK). */
export async function deleteUnstartedPolicy(tem: EntityManager, productId: string): Promise<void> {
  await tem.execute('delete from insurance_policies where product_id = ?', [productId]);
}

/** The policy row, locked for the transaction that applies an event to it; undefined when absent. */
export async function lockInsurancePolicy(tem: EntityManager, productId: string): Promise<InsurancePolicyRow | undefined> {
  return one<InsurancePolicyRow>(tem, 'select * from insurance_policies where product_id = ? for update', [productId]);
}

/**
 * A RISK number for our own quote request (AL_ADVREF = the product id) that has none yet, unless
 * another product of the office has that number already. Returns the product id when adopted.
 */
export async function adoptPolicyNumber(em: EntityManager, officeId: string, productId: string, policyNumber: string): Promise<string | undefined> {
  const adopted = await one<{ product_id: string }>(
    em,
    `update insurance_policies set external_ref = ?, updated_at = now()
     where office_id = ? and product_id = ? and external_ref is null
       and not exists (select 1 from insurance_policies o where o.office_id = ? and o.external_ref = ?)
     returning product_id`,
    [policyNumber, officeId, productId, officeId, policyNumber],
  );
  return adopted?.product_id;
}

/** The quote number RISK answered our request with, unless the policy has one already; returns the number it keeps. */
export async function setQuoteNumberOnce(em: EntityManager, productId: string, quoteNumber: string): Promise<string> {
  await em.execute('update insurance_policies set external_ref = coalesce(external_ref, ?), updated_at = now() where product_id = ?', [quoteNumber, productId]);
  const after = await one<{ external_ref: string | null }>(em, 'select external_ref from insurance_policies where product_id = ?', [productId]);
  return after?.external_ref ?? quoteNumber;
}

/** The facts of an applied RISK event the policy row keeps (the last one for the last-writer rule). */
export interface AppliedPolicyEvent {
  messageId: string;
  policyNumber: string;
  insurerCode: string;
  branch: string;
  startDate: string | null;
  premiumCents: number;
  paymentTermMonths: number | null;
  version: number;
  eventAt: string;
}

/** The policy as an applied event says it is now (a number it had already is kept), in the caller's transaction. */
export async function recordEventOnPolicy(tem: EntityManager, productId: string, e: AppliedPolicyEvent): Promise<void> {
  await tem.execute(
    `update insurance_policies set external_ref = coalesce(external_ref, ?), insurer_code = ?, branch = ?, start_date = coalesce(?, start_date),
       premium_cents = ?, payment_term_months = coalesce(?, payment_term_months), last_version = ?, last_event_at = ?, last_message_id = ?, updated_at = now()
     where product_id = ?`,
    [e.policyNumber, e.insurerCode, e.branch, e.startDate, e.premiumCents, e.paymentTermMonths, e.version, e.eventAt, e.messageId, productId],
  );
}

// ------------------------------------------------------------------ insurance_history

export interface NewInsuranceHistoryEntry {
  productId: string;
  messageId: string;
  kind: InsuranceEventKind;
  version: number;
  eventAt: string;
  premiumCents: number;
  startDate: string | null;
  coverages: readonly { code: string; premiumCents: number }[];
  fromStatus: string;
  toStatus: string;
}

/** One history entry per applied message (numbered after the product's last one), inside the policy lock. */
export async function insertInsuranceHistoryOnce(tem: EntityManager, h: NewInsuranceHistoryEntry): Promise<void> {
  const seq = await one<{ next: number }>(tem, 'select coalesce(max(seq), 0) + 1 as next from insurance_history where product_id = ?', [h.productId]);
  await tem.execute(
    `insert into insurance_history (id, product_id, message_id, seq, kind, version, event_at, premium_cents, start_date, coverages, from_status, to_status)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?) on conflict (message_id) do nothing`,
    [
      newId(),
      h.productId,
      h.messageId,
      Number(seq?.next ?? 1),
      h.kind,
      h.version,
      h.eventAt,
      h.premiumCents,
      h.startDate,
      JSON.stringify(h.coverages),
      h.fromStatus,
      h.toStatus,
    ],
  );
}

// ------------------------------------------------------------------ risk_relations

/** RISK's relation number of a person in an office, learned once (the first link stays). */
export async function rememberRiskRelation(em: EntityManager, officeId: string, relationNumber: string, personId: string): Promise<void> {
  await em.execute('insert into risk_relations (office_id, relation_number, person_id) values (?, ?, ?) on conflict do nothing', [officeId, relationNumber, personId]);
}

// ------------------------------------------------------------------ risk_poll_cursors

/** How far polling has read RISK's feed for the office (undefined: never polled). */
export async function riskPollCursorOf(em: EntityManager, officeId: string): Promise<string | undefined> {
  return (await one<{ cursor: string }>(em, 'select cursor from risk_poll_cursors where office_id = ?', [officeId]))?.cursor;
}

export async function saveRiskPollCursor(em: EntityManager, officeId: string, cursor: string): Promise<void> {
  await em.execute(
    `insert into risk_poll_cursors (office_id, cursor, polled_at) values (?, ?, now())
     on conflict (office_id) do update set cursor = excluded.cursor, polled_at = now()`,
    [officeId, cursor],
  );
}

// ------------------------------------------------------------------ anonymisation

/** `(?, ?, ...)` for an IN list; never empty (an impossible uuid stands in for "none"). */
function inList(ids: readonly string[]): { sql: string; params: string[] } {
  const list = ids.length > 0 ? [...ids] : ['00000000-0000-0000-0000-000000000000'];
  return { sql: `(${list.map(() => '?').join(', ')})`, params: list };
}

const ISO_DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;
/** REDACTED_DATE (services/privacy/scrub.ts, 1900-01-01) in the two forms RISK messages carry dates in. */
const REDACTED_RISK_DATES = { iso: '1900-01-01', afd: '19000101' } as const;

/**
 * Replaces the person's birth date (an ISO date among the strong needles) in the office's stored
 * RISK bodies: as an AFD label value (`>YYYYMMDD<`, AFD 1.0 and our old shape) and as a JSON string
 * (`"YYYY-MM-DD"`, AFD 2.0), by a valid placeholder date. Returns the rows changed.
 */
async function replaceRiskBirthDates(tem: EntityManager, officeId: string, strong: readonly string[]): Promise<number> {
  const dates = strong.map((n) => ISO_DATE.exec(n)).filter((m): m is RegExpExecArray => m !== null);
  if (dates.length === 0) return 0;
  const forms = dates.flatMap((m) => [
    { find: `>${m[1]}${m[2]}${m[3]}<`, put: `>${REDACTED_RISK_DATES.afd}<` },
    { find: `"${m[0]}"`, put: `"${REDACTED_RISK_DATES.iso}"` },
  ]);
  const found = await rows<{ id: string; raw_xml: string }>(
    tem,
    `select id, raw_xml from risk_messages where office_id = ? and (${forms.map(() => 'strpos(raw_xml, ?) > 0').join(' or ')}) for update`,
    [officeId, ...forms.map((f) => f.find)],
  );
  for (const row of found) {
    const after = forms.reduce((text, f) => text.split(f.find).join(f.put), row.raw_xml);
    await tem.execute('update risk_messages set raw_xml = ? where id = ?', [after, row.id]);
  }
  return found.length;
}

/**
 * What anonymising a person does to the RISK tables (called inside the anonymisation's
 * transaction by services/privacy/anonymise.ts): the messages of the products in their dossiers
 * get every identifying string replaced, other messages of the office those that are certainly
 * theirs; their RISK relation numbers go. Returns row changes per table (zero counts left out; a
 * row changed by the birth-date pass and by the scrub counts twice).
 */
export async function anonymiseRiskDataOfPerson(
  tem: EntityManager,
  p: { officeId: string; personId: string; dossierIds: readonly string[]; needles: Needles },
): Promise<Record<string, number>> {
  const dossiers = inList(p.dossierIds);
  // First the birth date as RISK writes it (AFD YYYYMMDD, AFD 2.0 JSON ISO): replaced by a valid
  // placeholder date, so the message stays readable (the generic scrub below would put words in
  // a date field, and does not know the YYYYMMDD form at all).
  const datesReplaced = await replaceRiskBirthDates(tem, p.officeId, p.needles.strong);
  const changes: Record<string, number> = {
    risk_messages:
      datesReplaced +
      (await scrubRows(tem, 'risk_messages', 'id', [
        { name: 'raw_xml', kind: 'text', notNull: true },
        { name: 'summary', kind: 'text', notNull: true },
        { name: 'reason', kind: 'text' },
        // Notes echo codes RISK sent (branch, insurer, ...): no personal data by design, scrubbed all the same.
        { name: 'notes', kind: 'jsonb', notNull: true },
      ], { sql: `product_id in (select id from products where dossier_id in ${dossiers.sql})`, params: dossiers.params }, p.needles.scoped)) +
      (await scrubRows(tem, 'risk_messages', 'id', [
        { name: 'raw_xml', kind: 'text', notNull: true },
        { name: 'reason', kind: 'text' },
        { name: 'notes', kind: 'jsonb', notNull: true },
      ], { sql: 'office_id = ?', params: [p.officeId] }, p.needles.strong)),
    risk_relations: (await rows(tem, 'delete from risk_relations where person_id = ? returning 1 as x', [p.personId])).length,
  };
  return Object.fromEntries(Object.entries(changes).filter(([, n]) => n > 0));
}
