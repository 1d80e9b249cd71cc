/**
 * RISK (RISK Assuradeuren) messages as the domain sees them. On the wire they are SIVI AFD: 1.0
 * XML (<Contractdocument> with AL, PP > VP, branch coverage entities; afd-mapping.ts) or 2.0 JSON
 * (afd2-json.ts), both through one mapping given as data; rows stored in our old invented <AFD>
 * shape are read by legacy-codec.ts. integrations/risk/codec.ts chooses the reader.
 */
import type { XmlLimits } from '../xml/index.js';
import type { InsuranceEventKind } from '../../domain/insurance/events.js';

export type { InsuranceEventKind } from '../../domain/insurance/events.js';

export interface RiskCoverage {
  /** Coverage code (XX_CODE of the branch's coverage entity, ADN coverage code list). */
  code: string;
  description: string;
  premiumCents: number;
  insuredAmountCents?: number;
}

export interface RiskDocument {
  name: string;
  mimeType: string;
  /** Base64 content (the mapping's document content label). */
  contentBase64: string;
}

/** The policyholder (VP): personal data, it never leaves PostgreSQL for Temporal. */
export interface RiskRelation {
  relationNumber?: string;
  lastName: string;
  initials?: string;
  /** YYYY-MM-DD */
  birthDate: string;
}

export interface RiskMessage {
  /** AL_BERRFNR: RISK's reference of this message (the dedup key with the office). */
  messageId: string;
  /** AL_FUNCTIE (a numeric code; the mapping says which event kind it means). */
  kind: InsuranceEventKind;
  /** RISK's sequence number of events for this quote/policy (>= 1); its label is the mapping's (none public: 1 when absent). */
  version: number;
  /** AL_ADATMSG + time of day (Europe/Amsterdam) as an ISO instant. */
  eventAt: string;
  /** AL_ADVREF: our reference from the quote request (the product id), when RISK echoes it. */
  adviserReference?: string;
  /** PP_NUMMER: quote/policy number, the external reference (unique per office). */
  policyNumber: string;
  /** PP_MYAAND: insurer, PORMAA code list. */
  insurerCode: string;
  /** PP_BRANCHE: ADNBRA code. */
  branch: string;
  /** PP_INGDAT: start date YYYY-MM-DD. */
  startDate?: string;
  /** PP_TTOT: total premium per term, cents. */
  premiumCents: number;
  /** PP_BETTERM: payment term in months. */
  paymentTermMonths?: number;
  relation: RiskRelation;
  coverages: RiskCoverage[];
  documents: RiskDocument[];
}

/** The hardened XML reader's limits (integrations/xml), with this integration's defaults. */
export type RiskParseLimits = XmlLimits;

/** Failure types of the RISK integration (one enum; `retryable` says what a caller may retry). */
export const RiskErrorType = {
  Malformed: 'RiskMalformed',
  ForbiddenConstruct: 'RiskForbiddenConstruct',
  TooLarge: 'RiskTooLarge',
  TooDeep: 'RiskTooDeep',
  /** Well-formed but not a RISK/AFD message we know, or a field is missing/invalid. */
  Invalid: 'RiskInvalid',
  /** RISK could not be reached or answered 5xx/429 (retryable). */
  Unavailable: 'RiskUnavailable',
  /** RISK refused the request (4xx other than 429; not retryable). */
  Rejected: 'RiskRejected',
} as const;
export type RiskErrorType = (typeof RiskErrorType)[keyof typeof RiskErrorType];

export class RiskError extends Error {
  readonly type: RiskErrorType;
  /** The element at fault ("AFD/PP/PP_NUMMER"), when known. */
  readonly element?: string;
  /** HTTP status RISK answered, when it answered. */
  readonly status?: number;
  readonly retryable: boolean;
  constructor(type: RiskErrorType, message: string, options: { element?: string; status?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'RiskError';
    this.type = type;
    this.element = options.element;
    this.status = options.status;
    this.retryable = type === RiskErrorType.Unavailable;
  }
}
