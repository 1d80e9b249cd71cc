/**
 * From Ockto source data to the answers of the four risk questions (domain/ockto). Pure. The
 * answers are enum values, so only they (never the data) travel on to the workflow.
 */
import type { RiskAnswers } from '../../domain/ockto/risk-class.js';
import { ocktoSections, type OcktoSection, type OcktoSourceData } from './types.js';

export function answersFromData(data: OcktoSourceData | undefined): RiskAnswers {
  const id = data?.identity;
  const scr = data?.screening;
  const inc = data?.income;
  const reg = data?.registrations;
  const incomeFound = inc ? [...inc.employment, ...inc.pension, ...inc.benefits].some((line) => line.yearlyCents > 0) : false;
  return {
    identity: id ? (id.verified ? 'verified' : 'not-verified') : 'unknown',
    // A sanction hit outranks PEP: it decides Onacceptabel on its own.
    screening: scr ? (scr.sanctionListHit ? 'sanction' : scr.pep ? 'pep' : 'clear') : 'unknown',
    income: inc ? (incomeFound ? 'explained' : 'unexplained') : 'unknown',
    registrations: reg ? (reg.negativeCreditRegistrations > 0 || reg.taxArrearsCents > 0 ? 'present' : 'none') : 'unknown',
  };
}

/** The sections absent from the data (what "partial data" lacks). */
export function missingSections(data: OcktoSourceData | undefined): OcktoSection[] {
  return ocktoSections.filter((s) => data?.[s] === undefined);
}
