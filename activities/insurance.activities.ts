/**
 * RISK activities: ask RISK for a quote, and apply a stored RISK event to its insurance product.
 *
 * Applying runs in one transaction holding the policy row lock, so two events of one quote can
 * never interleave even outside the workflow (a reset, a replayed activity). The last-writer
 * rule is checked again against the row (domain/insurance decideEvent), the message's state
 * makes a retry return the first outcome, and the history is unique per message.
 */
import { isoDate as columnDate } from '../db/column-values.js';
import { log } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { newId } from '../db/ids.js';
import { setProductStatus, syncCodedParts } from '../services/products/store.js';
import { insertDocumentOnce } from '../services/work/store.js';
import { decideEvent, type EventStamp } from '../domain/insurance/events.js';
import { partsForCoverages } from '../domain/insurance/premium.js';
import { insuranceProcessV1 } from '../domain/processes/insurance.process.js';
import { parseRisk } from '../integrations/risk/codec.js';
import type { RiskClient } from '../integrations/risk/client.js';
import { RiskError, type RiskMessage } from '../integrations/risk/types.js';
import type { TemporalDeps } from '../integrations/temporal/connection.js';
import { pollRiskRound } from '../services/insurance/poller.js';
import {
  RiskActivityFailure,
  type ApplyRiskEventInput,
  type ApplyRiskEventResult,
  type RequestRiskQuoteInput,
  type RequestRiskQuoteResult,
  type PollRiskEventsInput,
  type PollRiskEventsResult,
  type RiskActivities,
  type RiskPollActivities,
} from './insurance.contract.js';
import { withFailureTypes } from './failures.js';

export interface RiskActivitiesDeps {
  orm: MikroORM;
  /** The RISK client, or undefined when none is configured (a quote request then fails with a reason). */
  client: RiskClient | undefined;
  /** Temporal, for routing polled messages to their insurance workflows (signal-with-start); needed by pollRiskEvents only. */
  temporal?: TemporalDeps | undefined;
}

type Row = Record<string, unknown>;
async function one<T extends Row>(em: EntityManager, sql: string, params: unknown[]): Promise<T | undefined> {
  return ((await em.execute(sql, params as never[], 'all')) as T[])[0];
}

const fail = (type: (typeof RiskActivityFailure)[keyof typeof RiskActivityFailure], message: string, nonRetryable: boolean) =>
  ApplicationFailure.create({ type, message, nonRetryable });

function categoryOf(status: string): 'new' | 'running' | 'ended' {
  return insuranceProcessV1.statuses.find((s) => s.code === status)?.category ?? 'new';
}

interface PolicyRow extends Row {
  product_id: string;
  office_id: string;
  dossier_id: string;
  person_id: string | null;
  external_ref: string | null;
  branch: string;
  insurer_code: string | null;
  start_date: unknown;
  requested_coverages: unknown;
  last_version: number | null;
  last_event_at: unknown;
  last_message_id: string | null;
}

interface MessageRow extends Row {
  id: string;
  office_id: string;
  state: string;
  reason: string | null;
  raw_xml: string;
}

export function createRiskActivities(deps: RiskActivitiesDeps): RiskActivities & RiskPollActivities {
  const { orm } = deps;

  return withFailureTypes({
    /** One round of the RISK poller workflow: `pollRiskOnce` for every office (services/insurance/poller.ts). */
    async pollRiskEvents(input: PollRiskEventsInput): Promise<PollRiskEventsResult> {
      if (!deps.client) throw fail(RiskActivityFailure.RiskRejected, 'No RISK connection is configured on the worker (RISK_URL / RISK_TOKEN): nothing to poll', true);
      if (!deps.temporal) throw fail(RiskActivityFailure.RiskRejected, 'The worker was started without a Temporal client for routing polled RISK messages', true);
      return pollRiskRound({ orm, temporal: deps.temporal }, deps.client, {
        ...(input.officeIds ? { officeIds: input.officeIds } : {}),
        onOfficeFailed: (officeId, err) =>
          log.warn('RISK poll for an office failed; the next round retries', { officeId, error: err instanceof Error ? err.message : String(err) }),
      });
    },

    async requestRiskQuote({ productId }: RequestRiskQuoteInput): Promise<RequestRiskQuoteResult> {
      const em = orm.em.fork();
      const policy = await one<PolicyRow>(em, 'select * from insurance_policies where product_id = ?', [productId]);
      if (!policy) throw fail(RiskActivityFailure.NotFound, `insurance product ${productId} has no policy row`, true);
      // Asked before (this attempt's predecessor, or a RISK message echoing our reference came first).
      if (policy.external_ref) return { quoteNumber: policy.external_ref };
      if (!deps.client) throw fail(RiskActivityFailure.RiskRejected, 'No RISK connection is configured (RISK_URL / RISK_TOKEN)', true);

      const person = await one<{ last_name: string; first_name: string; birth_date: unknown; relation_number: string | null }>(
        em,
        `select p.last_name, p.first_name, p.birth_date,
                (select relation_number from risk_relations r where r.office_id = p.office_id and r.person_id = p.id limit 1) as relation_number
         from persons p
         where p.id = coalesce(?, (select person_id from dossier_applicants where dossier_id = ? order by position limit 1))`,
        [policy.person_id, policy.dossier_id],
      );
      if (!person) throw fail(RiskActivityFailure.NotFound, `dossier ${policy.dossier_id} has no applicant to insure`, true);
      const coverages = Array.isArray(policy.requested_coverages) ? (policy.requested_coverages as { code: string; description: string; insuredAmountCents?: number }[]) : [];
      const startDate = isoDate(policy.start_date);
      const birthDate = isoDate(person.birth_date);
      if (!startDate || !birthDate) throw fail(RiskActivityFailure.RiskRejected, 'a RISK quote needs a start date and the birth date of the insured person', true);

      let quoteNumber: string;
      try {
        ({ quoteNumber } = await deps.client.requestQuote({
          reference: productId,
          branch: policy.branch,
          ...(policy.insurer_code ? { insurerCode: policy.insurer_code } : {}),
          startDate,
          coverages,
          relation: {
            ...(person.relation_number ? { relationNumber: person.relation_number } : {}),
            lastName: person.last_name,
            initials: `${person.first_name.slice(0, 1)}.`,
            birthDate,
          },
        }));
      } catch (err) {
        if (err instanceof RiskError) throw fail(err.retryable ? RiskActivityFailure.RiskUnavailable : RiskActivityFailure.RiskRejected, err.message, !err.retryable);
        throw err;
      }
      // A RISK message echoing our reference may have set the number already: keep the first.
      await em.execute('update insurance_policies set external_ref = coalesce(external_ref, ?), updated_at = now() where product_id = ?', [quoteNumber, productId]);
      const after = await one<{ external_ref: string }>(em, 'select external_ref from insurance_policies where product_id = ?', [productId]);
      return { quoteNumber: after?.external_ref ?? quoteNumber };
    },

    async applyRiskEvent(input: ApplyRiskEventInput): Promise<ApplyRiskEventResult> {
      return orm.em.fork().transactional(async (em) => {
        const policy = await one<PolicyRow>(em, 'select * from insurance_policies where product_id = ? for update', [input.productId]);
        if (!policy) throw fail(RiskActivityFailure.NotFound, `insurance product ${input.productId} has no policy row`, true);
        const row = await one<MessageRow>(em, 'select id, office_id, state, reason, raw_xml from risk_messages where id = ? for update', [input.messageId]);
        if (!row || row.office_id !== policy.office_id) throw fail(RiskActivityFailure.NotFound, `RISK message ${input.messageId} not found`, true);
        // A retry after the first attempt committed: the same answer, nothing written again.
        if (row.state === 'applied' || row.state === 'ignored') {
          return { outcome: row.state, reason: row.reason ?? '' };
        }
        const message = parseRisk(row.raw_xml);
        const incoming: EventStamp = { version: message.version, eventAt: message.eventAt, messageId: row.id };
        const last: EventStamp | undefined =
          policy.last_version !== null && policy.last_message_id
            ? { version: Number(policy.last_version), eventAt: new Date(String(policy.last_event_at)).toISOString(), messageId: policy.last_message_id }
            : undefined;
        const check = decideEvent(last, incoming);
        const decision = input.decision.outcome !== 'apply' ? input.decision : check;
        if (decision.outcome !== 'apply') {
          await markMessage(em, row.id, input.productId, 'ignored', decision.reason);
          return { outcome: 'ignored', reason: decision.reason };
        }
        if (policy.external_ref && policy.external_ref !== message.policyNumber) {
          const reason = `message is about ${message.policyNumber}, the product has ${policy.external_ref}`;
          await markMessage(em, row.id, input.productId, 'ignored', reason);
          return { outcome: 'ignored', reason };
        }
        await applyToProduct(em, policy, row.id, message, input.fromStatus, input.toStatus);
        await markMessage(em, row.id, input.productId, 'applied', decision.reason);
        return { outcome: 'applied', reason: decision.reason };
      });
    },
  });
}

async function markMessage(em: EntityManager, id: string, productId: string, state: 'applied' | 'ignored', reason: string): Promise<void> {
  await em.execute('update risk_messages set state = ?, reason = ?, product_id = ?, processed_at = now() where id = ?', [state, reason, productId, id]);
}

async function applyToProduct(em: EntityManager, policy: PolicyRow, messageId: string, m: RiskMessage, fromStatus: string, toStatus: string): Promise<void> {
  const productId = policy.product_id;
  const toCategory = categoryOf(toStatus);
  await em.execute(
    `update insurance_policies set external_ref = coalesce(external_ref, ?), insurer_code = ?, branch = ?, start_date = coalesce(?, start_date),
       premium_cents = ?, payment_term_months = coalesce(?, payment_term_months), last_version = ?, last_event_at = ?, last_message_id = ?, updated_at = now()
     where product_id = ?`,
    [m.policyNumber, m.insurerCode, m.branch, m.startDate ?? null, m.premiumCents, m.paymentTermMonths ?? null, m.version, m.eventAt, messageId, productId],
  );
  await setProductStatus(em, productId, { status: toStatus, category: toCategory, company: m.insurerCode });

  // Coverages are the product's parts, matched by coverage code: present ones follow the
  // product's status, dropped ones end (kept for the record), new ones are appended.
  const plan = partsForCoverages(m.coverages);
  await syncCodedParts(em, productId, plan, { status: toStatus, category: toCategory }, { status: 'beeindigd', category: 'ended' });

  const seq = await one<{ next: number }>(em, 'select coalesce(max(seq), 0) + 1 as next from insurance_history where product_id = ?', [productId]);
  await em.execute(
    `insert into insurance_history (id, product_id, message_id, seq, kind, version, event_at, premium_cents, start_date, coverages, from_status, to_status)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?) on conflict (message_id) do nothing`,
    [
      newId(),
      productId,
      messageId,
      Number(seq?.next ?? 1),
      m.kind,
      m.version,
      m.eventAt,
      m.premiumCents,
      m.startDate ?? null,
      JSON.stringify(plan.map((p) => ({ code: p.code, premiumCents: p.premiumCents }))),
      fromStatus,
      toStatus,
    ],
  );

  // Policy documents (the policy PDF) go to the product, once per message and position.
  for (const [i, d] of m.documents.entries()) {
    await insertDocumentOnce(em, {
      key: `risk:${messageId}:${i}`,
      officeId: policy.office_id,
      dossierId: policy.dossier_id,
      productId,
      documentType: 'risk-polis',
      filename: d.name,
      contentType: d.mimeType,
      content: Buffer.from(d.contentBase64, 'base64'),
    });
  }
}

function isoDate(value: unknown): string | undefined {
  return columnDate(value) ?? undefined;
}
