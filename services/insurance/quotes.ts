/**
 * Quote requests and the insurance view of a product.
 *
 * POST /dossiers/:id/insurance-quotes creates one insurance product (status *offerte
 * aangevraagd*, its requested coverages as parts) and its policy row in one transaction, then
 * starts `insurance:<productId>`, whose first activity asks RISK for the quote (idempotent on
 * the product id). RISK's events then update this same product.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { newId } from '../../db/ids.js';
import { deleteUnstartedProduct, insertProduct } from '../products/store.js';
import { deleteUnstartedPolicy, insertInsurancePolicy, type InsuranceHistoryRow, type InsurancePolicyRow } from './store.js';
import { insuranceProcessV1 } from '../../domain/processes/insurance.process.js';
import { workflowIds } from '../../domain/workflow-ids.js';
import type { InsuranceQuoteRequest, InsuranceView } from './schemas.js';
import type { Principal } from '../../domain/roles.js';
import type { TemporalDeps } from '../../integrations/temporal/connection.js';
import { requireDossier } from '../dossiers/dossiers.js';
import { DomainError, refuse } from '../../domain/errors.js';
import { isoDate, isoInstant, looksLikeUuid, one, rows } from '../../db/sql.js';
import { insuranceWorkflowStart, startInsuranceWorkflow } from './workflow.js';

export async function requestQuote(
  em: EntityManager,
  temporal: TemporalDeps,
  principal: Principal,
  dossierId: string,
  body: InsuranceQuoteRequest,
  log: { error(obj: object, msg: string): void },
): Promise<{ productId: string; workflowId: string }> {
  const { officeId } = principal;
  await requireDossier(em, officeId, dossierId);
  const applicants = await rows<{ person_id: string }>(em, 'select person_id from dossier_applicants where dossier_id = ? order by position', [dossierId]);
  const personId = body.personId ?? applicants[0]?.person_id;
  if (!personId || !applicants.some((a) => a.person_id === personId)) {
    throw refuse.conflict('not-an-applicant', `Person ${body.personId ?? '(none)'} is not an applicant of dossier ${dossierId}`);
  }
  const def = await one<{ key: string; version: number }>(em, `select key, version from process_definitions where product_type = 'insurance' order by version desc limit 1`);
  if (!def) throw new DomainError('unprocessable', 'no-published-process', 'No published process definition for product type "insurance"');
  const initial = insuranceProcessV1.statuses.find((s) => s.code === insuranceProcessV1.initialStatus)!;

  const productId = newId();
  const workflowId = workflowIds.insurance(productId);
  await em.transactional(async (tem) => {
    await insertProduct(tem, {
      id: productId,
      officeId,
      dossierId,
      type: 'insurance',
      company: body.insurerCode ?? null,
      processKey: def.key,
      processVersion: def.version,
      status: initial.code,
      category: initial.category,
      workflowId,
      parts: body.coverages.map((c) => ({ description: `${c.description.trim()} (${c.code})`, code: c.code })),
      partsFollowProduct: false,
    });
    await insertInsurancePolicy(tem, {
      productId,
      officeId,
      dossierId,
      personId,
      externalRef: null,
      branch: body.branch,
      insurerCode: body.insurerCode ?? null,
      startDate: body.startDate,
      requestedCoverages: body.coverages,
    });
  });

  try {
    await startInsuranceWorkflow(temporal, await insuranceWorkflowStart(em, productId));
  } catch (err) {
    // Nothing was asked of RISK yet (the workflow does that): remove the rows again, all or nothing.
    log.error({ err, productId }, 'starting the insurance workflow failed; removing the product again');
    await em.fork().transactional(async (tem) => {
      await deleteUnstartedPolicy(tem, productId);
      await deleteUnstartedProduct(tem, productId);
    });
    const reason = err instanceof Error ? err.message : String(err);
    throw new DomainError('unavailable', 'workflow-unavailable', `The quote was not requested: the process engine (Temporal) did not answer (${reason})`);
  }
  return { productId, workflowId };
}

export async function getInsuranceView(em: EntityManager, officeId: string, productId: string): Promise<InsuranceView> {
  const p = looksLikeUuid(productId)
    ? await one<InsurancePolicyRow>(em, 'select * from insurance_policies where office_id = ? and product_id = ?', [officeId, productId])
    : undefined;
  if (!p) throw refuse.notFound('Insurance product', productId);
  const history = await rows<InsuranceHistoryRow>(em, 'select * from insurance_history where product_id = ? order by seq', [productId]);
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    productId,
    dossierId: String(p.dossier_id),
    externalRef: (p.external_ref as string | null) ?? null,
    branch: String(p.branch),
    insurerCode: (p.insurer_code as string | null) ?? null,
    startDate: isoDate(p.start_date),
    premiumCents: num(p.premium_cents),
    paymentTermMonths: num(p.payment_term_months),
    lastVersion: num(p.last_version),
    lastEventAt: isoInstant(p.last_event_at),
    history: history.map((h) => ({
      seq: Number(h.seq),
      kind: h.kind,
      version: Number(h.version),
      eventAt: isoInstant(h.event_at) ?? '',
      premiumCents: Number(h.premium_cents),
      startDate: isoDate(h.start_date),
      coverages: (h.coverages as { code: string; premiumCents: number }[]) ?? [],
      fromStatus: String(h.from_status),
      toStatus: String(h.to_status),
      messageId: String(h.message_id),
      recordedAt: isoInstant(h.recorded_at) ?? '',
    })),
  };
}
