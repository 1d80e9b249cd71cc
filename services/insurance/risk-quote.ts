/**
 * Asking RISK for the quote of an insurance product the adviser requested here (the insurance
 * workflow's first activity, `requestRiskQuote`). Idempotent on the product id: RISK gets it as
 * idempotency key and as our reference (AL_ADVREF), and once the policy has a number (from this
 * request's predecessor, or from a RISK message echoing our reference) that number is the answer
 * and RISK is not asked again.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError, refuse } from '../../domain/errors.js';
import type { RequestRiskQuoteInput, RequestRiskQuoteResult } from '../../domain/insurance/side-effects.js';
import { isoDate, one } from '../../db/sql.js';
import type { RiskClient, RiskQuoteAnswer } from '../../integrations/risk/client.js';
import { RiskError } from '../../integrations/risk/types.js';
import { riskClientOrRefuse } from './risk-connection.js';
import { setQuoteNumberOnce, type InsurancePolicyRow } from './store.js';

/** The coverages of the quote request as stored on the policy (requested_coverages). */
interface RequestedCoverage {
  code: string;
  description: string;
  insuredAmountCents?: number;
}

/**
 * The quote number of the product: the one it has, or the one RISK answers now. Refused when the
 * product has no policy or applicant (not-found), when the request lacks a date
 * (`risk-quote-incomplete`), when no RISK connection is configured (`risk-not-configured`), or
 * as RISK answered: unavailable (try again) or rejected (`risk-rejected`).
 */
export async function requestRiskQuote(em: EntityManager, client: RiskClient | undefined, { productId }: RequestRiskQuoteInput): Promise<RequestRiskQuoteResult> {
  const policy = await one<InsurancePolicyRow>(em, 'select * from insurance_policies where product_id = ?', [productId]);
  if (!policy) throw refuse.notFoundAs('insurance-policy-not-found', `insurance product ${productId} has no policy row`);
  // Asked before (this attempt's predecessor, or a RISK message echoing our reference came first).
  if (policy.external_ref) return { quoteNumber: policy.external_ref };
  const risk = riskClientOrRefuse(client);

  const person = await one<{ last_name: string; first_name: string; birth_date: unknown; relation_number: string | null }>(
    em,
    `select p.last_name, p.first_name, p.birth_date,
            (select relation_number from risk_relations r where r.office_id = p.office_id and r.person_id = p.id limit 1) as relation_number
     from persons p
     where p.id = coalesce(?, (select person_id from dossier_applicants where dossier_id = ? order by position limit 1))`,
    [policy.person_id, policy.dossier_id],
  );
  if (!person) throw refuse.notFoundAs('no-applicant-to-insure', `dossier ${policy.dossier_id} has no applicant to insure`);
  const coverages = Array.isArray(policy.requested_coverages) ? (policy.requested_coverages as RequestedCoverage[]) : [];
  const startDate = isoDate(policy.start_date);
  const birthDate = isoDate(person.birth_date);
  if (!startDate || !birthDate) throw refuse.unprocessable('risk-quote-incomplete', 'a RISK quote needs a start date and the birth date of the insured person');

  let answer: RiskQuoteAnswer;
  try {
    answer = await risk.requestQuote({
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
    });
  } catch (err) {
    if (err instanceof RiskError) {
      throw err.retryable ? new DomainError('unavailable', 'risk-unavailable', err.message) : new DomainError('upstream-failed', 'risk-rejected', err.message);
    }
    throw err;
  }
  // A RISK message echoing our reference may have set the number already: keep the first.
  return { quoteNumber: await setQuoteNumberOnce(em, productId, answer.quoteNumber) };
}
