/**
 * Wwft risk classification (*risicoclassificatie*) from the four questions that an Ockto
 * retrieval answers (seed 002: "4 vragen waarmee door het ophalen van de brondata automatisch
 * een risicoklasse wordt bepaald"). Pure: used by the Ockto workflow (which decides the class),
 * the activities and the API (which validate an adviser's deviation).
 *
 * The four questions and their answers:
 *  1. identity   - Is the identity verified against the government source (BRP via MijnOverheid)?
 *                  'verified' | 'not-verified' | 'unknown' (the source was not shared)
 *  2. screening  - Is the person on a sanction list, or a politically exposed person (PEP)?
 *                  'clear' | 'pep' | 'sanction' | 'unknown'
 *  3. income     - Is the source of income/wealth explained by the data (employment, pension or
 *                  benefits found at UWV/Belastingdienst/pension registry)?
 *                  'explained' | 'unexplained' | 'unknown'
 *  4. registrations - Are there negative registrations (BKR-like arrears) or tax arrears?
 *                  'none' | 'present' | 'unknown'
 *
 * The rule (first matching level wins, every matching reason is listed):
 *  - Onacceptabel: a sanction-list hit; identity not verifiable; identity or screening unknown
 *    (legally required data missing); the client refused to share the data.
 *  - Hoog: PEP; income unexplained or unknown; negative registrations present or unknown.
 *  - Laag: otherwise (no risk-raising signal).
 */

export const riskClasses = ['Laag', 'Hoog', 'Onacceptabel'] as const;
export type RiskClass = (typeof riskClasses)[number];

export function isRiskClass(value: unknown): value is RiskClass {
  return typeof value === 'string' && (riskClasses as readonly string[]).includes(value);
}

export const identityAnswers = ['verified', 'not-verified', 'unknown'] as const;
export const screeningAnswers = ['clear', 'pep', 'sanction', 'unknown'] as const;
export const incomeAnswers = ['explained', 'unexplained', 'unknown'] as const;
export const registrationAnswers = ['none', 'present', 'unknown'] as const;

/** The answers to the four questions: enum values only (no personal data), so they may travel through Temporal. */
export interface RiskAnswers {
  identity: (typeof identityAnswers)[number];
  screening: (typeof screeningAnswers)[number];
  income: (typeof incomeAnswers)[number];
  registrations: (typeof registrationAnswers)[number];
}

export const riskQuestions: readonly { key: keyof RiskAnswers; nl: string; en: string }[] = [
  { key: 'identity', nl: 'Is de identiteit geverifieerd bij de overheidsbron (BRP)?', en: 'Identity verified against the government source?' },
  { key: 'screening', nl: 'Staat de klant op een sanctielijst of is hij een PEP?', en: 'Sanction-list hit or politically exposed person?' },
  { key: 'income', nl: 'Is de herkomst van inkomen/vermogen verklaard door de brondata?', en: 'Source of income/wealth explained by the data?' },
  { key: 'registrations', nl: 'Zijn er negatieve registraties (BKR) of belastingschulden?', en: 'Negative credit registrations or tax arrears?' },
];

export const riskReasonCodes = [
  'sanction-hit',
  'identity-not-verified',
  'identity-unknown',
  'screening-unknown',
  'refused',
  'pep',
  'income-unexplained',
  'income-unknown',
  'registrations-present',
  'registrations-unknown',
] as const;
export type RiskReasonCode = (typeof riskReasonCodes)[number];

/** The level each reason leads to, and its text as users read it (Dutch, as in the seeds). */
export const riskReasons: Record<RiskReasonCode, { level: Exclude<RiskClass, 'Laag'>; nl: string }> = {
  'sanction-hit': { level: 'Onacceptabel', nl: 'Klant staat op een sanctielijst' },
  'identity-not-verified': { level: 'Onacceptabel', nl: 'Identiteit kon niet worden geverifieerd bij de overheidsbron' },
  'identity-unknown': { level: 'Onacceptabel', nl: 'Identiteitsgegevens ontbreken (wettelijk vereist)' },
  'screening-unknown': { level: 'Onacceptabel', nl: 'Sanctie- en PEP-controle ontbreekt (wettelijk vereist)' },
  refused: { level: 'Onacceptabel', nl: 'Klant weigert de wettelijk vereiste gegevens te verstrekken' },
  pep: { level: 'Hoog', nl: 'Klant is een politiek prominent persoon (PEP)' },
  'income-unexplained': { level: 'Hoog', nl: 'Herkomst van inkomen/vermogen niet verklaard door de brondata' },
  'income-unknown': { level: 'Hoog', nl: 'Inkomensgegevens niet gedeeld' },
  'registrations-present': { level: 'Hoog', nl: 'Negatieve registraties of belastingschulden gevonden' },
  'registrations-unknown': { level: 'Hoog', nl: 'Registraties (BKR/Belastingdienst) niet gedeeld' },
};

export interface RiskDecision {
  riskClass: RiskClass;
  /** Every reason that applies, the deciding ones first; empty for Laag. */
  reasons: RiskReasonCode[];
}

/** Answers of a retrieval the client declined: nothing is known. */
export const unknownAnswers: RiskAnswers = { identity: 'unknown', screening: 'unknown', income: 'unknown', registrations: 'unknown' };

/**
 * The risk class from the four answers. `refused`: the client declined to share the data, which
 * the seed names explicitly as Onacceptabel ("die de wettelijke vereiste informatie weigeren te
 * verstrekken"); the adviser can still deviate with a motivation when the data came otherwise.
 */
export function deriveRiskClass(answers: RiskAnswers, opts: { refused?: boolean } = {}): RiskDecision {
  const found: RiskReasonCode[] = [];
  if (opts.refused) found.push('refused');
  if (answers.screening === 'sanction') found.push('sanction-hit');
  if (answers.identity === 'not-verified') found.push('identity-not-verified');
  if (answers.identity === 'unknown' && !opts.refused) found.push('identity-unknown');
  if (answers.screening === 'unknown' && !opts.refused) found.push('screening-unknown');
  if (answers.screening === 'pep') found.push('pep');
  if (answers.income === 'unexplained') found.push('income-unexplained');
  if (answers.income === 'unknown' && !opts.refused) found.push('income-unknown');
  if (answers.registrations === 'present') found.push('registrations-present');
  if (answers.registrations === 'unknown' && !opts.refused) found.push('registrations-unknown');

  const onacceptabel = found.filter((r) => riskReasons[r].level === 'Onacceptabel');
  const hoog = found.filter((r) => riskReasons[r].level === 'Hoog');
  if (onacceptabel.length > 0) return { riskClass: 'Onacceptabel', reasons: [...onacceptabel, ...hoog] };
  if (hoog.length > 0) return { riskClass: 'Hoog', reasons: hoog };
  return { riskClass: 'Laag', reasons: [] };
}

export const MIN_MOTIVATION_LENGTH = 10;
/** A motivation is a few sentences, not a document: longer text belongs in a note or an upload. */
export const MAX_MOTIVATION_LENGTH = 4000;

/**
 * Checks an adviser's change of the class (*afwijken met motivering*): a class, a real motivation,
 * and an actual change. Returns the reason it is refused, or undefined when it is allowed.
 */
export function overrideProblem(current: RiskClass | null, next: string, motivation: string): string | undefined {
  if (!isRiskClass(next)) return `riskClass must be one of ${riskClasses.join(', ')}`;
  if (motivation.trim().length < MIN_MOTIVATION_LENGTH) return `a motivation of at least ${MIN_MOTIVATION_LENGTH} characters is required`;
  if (current === next) return `the risk class is already ${next}`;
  return undefined;
}
