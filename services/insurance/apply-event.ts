/**
 * Applying a stored RISK event to its insurance product (the insurance workflow's activity
 * `applyRiskEvent`), in one transaction holding the policy row lock, so two events of one quote
 * can never interleave even outside the workflow (a reset, a replayed activity). The last-writer
 * rule (domain/insurance decideEvent) is checked again against the row, the message's state makes
 * a retry return the first outcome, and the history is unique per message.
 *
 * Applied: the policy takes the event's number, insurer, premium and dates; the product its
 * status and company; its parts follow the coverages; the history gets an entry; the policy
 * documents go to the product. Ignored (older, conflicting, or about another number): only the
 * message records why.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { refuse } from '../../domain/errors.js';
import { decideEvent, InsuranceStatus, type EventStamp } from '../../domain/insurance/events.js';
import { partsForCoverages } from '../../domain/insurance/premium.js';
import type { ApplyRiskEventInput, ApplyRiskEventResult } from '../../domain/insurance/side-effects.js';
import type { StatusCategory } from '../../domain/process/definition.js';
import { insuranceProcessV1 } from '../../domain/processes/insurance.process.js';
import { readRisk } from '../../integrations/risk/codec.js';
import type { RiskAfdMapping } from '../../integrations/risk/afd-mapping.js';
import type { RiskMessage } from '../../integrations/risk/types.js';
import { setProductStatus, syncCodedParts } from '../products/store.js';
import { insertDocumentOnce } from '../work/store.js';
import {
  insertInsuranceHistoryOnce,
  lockInsurancePolicy,
  lockRiskMessage,
  recordEventOnPolicy,
  settleRiskMessage,
  type InsurancePolicyRow,
} from './store.js';

function categoryOf(status: string): StatusCategory {
  return insuranceProcessV1.statuses.find((s) => s.code === status)?.category ?? 'new';
}

/**
 * The outcome of applying the message to the product; a retry answers the first outcome. The
 * stored body is read again through `mapping` (the RISK_AFD_MAPPING the worker loaded at start):
 * any stored form (AFD 1.0, AFD 2.0 JSON, our old <AFD> shape) is read.
 */
export async function applyRiskEvent(em: EntityManager, input: ApplyRiskEventInput, mapping: RiskAfdMapping): Promise<ApplyRiskEventResult> {
  return em.transactional(async (tem) => {
    const policy = await lockInsurancePolicy(tem, input.productId);
    if (!policy) throw refuse.notFoundAs('insurance-policy-not-found', `insurance product ${input.productId} has no policy row`);
    const row = await lockRiskMessage(tem, input.messageId);
    if (!row || row.office_id !== policy.office_id) throw refuse.notFoundAs('risk-message-not-found', `RISK message ${input.messageId} not found`);
    // A retry after the first attempt committed: the same answer, nothing written again.
    if (row.state === 'applied' || row.state === 'ignored') {
      return { outcome: row.state, reason: row.reason ?? '' };
    }
    const message = readRisk(row.raw_xml, mapping).message;
    const incoming: EventStamp = { version: message.version, eventAt: message.eventAt, messageId: row.id };
    const last: EventStamp | undefined =
      policy.last_version !== null && policy.last_message_id
        ? { version: Number(policy.last_version), eventAt: new Date(String(policy.last_event_at)).toISOString(), messageId: policy.last_message_id }
        : undefined;
    const check = decideEvent(last, incoming);
    const decision = input.decision.outcome !== 'apply' ? input.decision : check;
    if (decision.outcome !== 'apply') {
      await settleRiskMessage(tem, row.id, input.productId, 'ignored', decision.reason);
      return { outcome: 'ignored', reason: decision.reason };
    }
    if (policy.external_ref && policy.external_ref !== message.policyNumber) {
      const reason = `bericht gaat over ${message.policyNumber}, het product heeft ${policy.external_ref}`;
      await settleRiskMessage(tem, row.id, input.productId, 'ignored', reason);
      return { outcome: 'ignored', reason };
    }
    await applyToProduct(tem, policy, row.id, message, input.fromStatus, input.toStatus);
    await settleRiskMessage(tem, row.id, input.productId, 'applied', decision.reason);
    return { outcome: 'applied', reason: decision.reason };
  });
}

async function applyToProduct(tem: EntityManager, policy: InsurancePolicyRow, messageId: string, m: RiskMessage, fromStatus: string, toStatus: string): Promise<void> {
  const productId = policy.product_id;
  const toCategory = categoryOf(toStatus);
  await recordEventOnPolicy(tem, productId, {
    messageId,
    policyNumber: m.policyNumber,
    insurerCode: m.insurerCode,
    branch: m.branch,
    startDate: m.startDate ?? null,
    premiumCents: m.premiumCents,
    paymentTermMonths: m.paymentTermMonths ?? null,
    version: m.version,
    eventAt: m.eventAt,
  });
  await setProductStatus(tem, productId, { status: toStatus, category: toCategory, company: m.insurerCode });

  // Coverages are the product's parts, matched by coverage code: present ones follow the
  // product's status, dropped ones end (kept for the record), new ones are appended.
  const plan = partsForCoverages(m.coverages);
  await syncCodedParts(tem, productId, plan, { status: toStatus, category: toCategory }, { status: InsuranceStatus.Ended, category: categoryOf(InsuranceStatus.Ended) });

  await insertInsuranceHistoryOnce(tem, {
    productId,
    messageId,
    kind: m.kind,
    version: m.version,
    eventAt: m.eventAt,
    premiumCents: m.premiumCents,
    startDate: m.startDate ?? null,
    coverages: plan.map((p) => ({ code: p.code, premiumCents: p.premiumCents })),
    fromStatus,
    toStatus,
  });

  // Policy documents (the policy PDF) go to the product, once per message and position.
  for (const [i, d] of m.documents.entries()) {
    await insertDocumentOnce(tem, {
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
