/**
 * RISK (RISK Assuradeuren) messages, modelled on SIVI AFD 1.0 XML: entities as container
 * elements (`AL` message header, `PP` policy, `VP` policyholder, `DA` coverage, `DO` document)
 * holding `ENTITY_LABEL` fields (`AL_ADATMSG`, `PP_NUMMER`, `VP_RELNUM`, ...), dates as
 * YYYYMMDD. No public XSD exists: the shape is ours and documented in codec.ts and fixtures/.
 */
import type { XmlLimits } from '../xml/index.js';
import type { InsuranceEventKind } from '../../domain/insurance/events.js';

export type { InsuranceEventKind } from '../../domain/insurance/events.js';

/** AL_FUNCTIE codes and the event kind each means. */
export const riskFunctionCodes: Readonly<Record<string, InsuranceEventKind>> = Object.freeze({
  OFFERTE: 'quote',
  DEFINITIEF: 'final',
  MUTATIE: 'mutation',
  ROYEMENT: 'cancellation',
});

/** ADNBRA (branch) codes we know; others are kept as they are. */
export const adnBranches: Readonly<Record<string, string>> = Object.freeze({
  '020': 'Personenauto',
  '030': 'Aansprakelijkheid particulier',
  '040': 'Inboedel',
  '050': 'Opstal',
  '090': 'Reis',
});

export interface RiskCoverage {
  /** Coverage code (DA_DEKKCODE), e.g. "WA". */
  code: string;
  description: string;
  premiumCents: number;
  insuredAmountCents?: number;
}

export interface RiskDocument {
  name: string;
  mimeType: string;
  /** Base64 content (DO_INHOUD). */
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
  /** AL_BERICHTID: RISK's id of this message (the dedup key with the office). */
  messageId: string;
  /** AL_FUNCTIE. */
  kind: InsuranceEventKind;
  /** AL_VOLGNUM: RISK's sequence number of events for this quote/policy (>= 1). */
  version: number;
  /** AL_ADATMSG + AL_ATIJDMSG (Europe/Amsterdam) as an ISO instant. */
  eventAt: string;
  /** AL_ADVREF: our reference from the quote request (the product id), when RISK echoes it. */
  adviserReference?: string;
  /** PP_NUMMER: quote/policy number, the external reference (unique per office). */
  policyNumber: string;
  /** PP_MYMAA: insurer, PORMAA code list. */
  insurerCode: string;
  /** PP_BRANCHE: ADNBRA code. */
  branch: string;
  /** PP_INGDAT: start date YYYY-MM-DD. */
  startDate?: string;
  /** PP_TTOTAAL: total premium per term, cents. */
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
