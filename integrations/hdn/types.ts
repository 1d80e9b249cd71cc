/**
 * HDN (Hypotheken Dataverkeer Nederland) messages as the rest of the platform sees them.
 *
 * The official XSDs are for HDN members only; these types model the public field
 * descriptions (see ../shared/REFERENCE.md). Codes and numbers that may carry leading zeros
 * (status codes, node numbers, application numbers) are strings, never numbers. Dates are
 * calendar dates `YYYY-MM-DD`, amounts are integer cents, rates are decimal strings ("3.85").
 *
 * Unknown elements are kept: every message (and the header) has `extra`, the elements the codec
 * did not model, in fast-xml-parser's object form, so `build(parse(xml))` loses nothing.
 */

import type { XmlLimits } from '../xml/index.js';
import type { HdnMessageType } from '../../domain/hdn/message-types.js';

/** *BerichtSoort* (the closed list is defined in domain/hdn/message-types.ts). */
export { hdnMessageTypes, type HdnMessageType } from '../../domain/hdn/message-types.js';

/** Elements the codec does not model, kept verbatim (fast-xml-parser object form). */
export type HdnExtra = Record<string, unknown>;

/**
 * A code a message carried that the version's code list does not know (`unknown`), or knows only
 * as unverified and the office did not enable (`unverified`). Recorded, never refused. Only
 * messages read through the versioned mapping (integrations/hdn/mapping) carry these; the legacy
 * `<HDN>` codec has no code lists.
 */
export interface HdnCodeObservation {
  /** Our field name, e.g. "statusCode" or "lines[2].documentKind". */
  field: string;
  /** The element path in the message, e.g. "SX/Status/AXBerichtStatusSpecificatie/StatusAXBericht". */
  element: string;
  /** The code list in the data file. */
  list: string;
  code: string;
  status: 'unknown' | 'unverified';
}

/** The header every HDN message carries. */
export interface HdnHeader {
  /** *VerzenderNrHDN*: the sender's 6-character HDN node number; must match its credentials. */
  senderNode: string;
  /** *OntvangerNrHDN*: the receiver's 6-character node number. */
  receiverNode: string;
  /** *VerzenderNaam*. */
  senderName?: string;
  /** *OntvangerNaam*. */
  receiverName?: string;
  /** *BerichtSoort*. */
  messageType: HdnMessageType;
  /** *BerichtVersie*, e.g. "24.0" (a configuration value; newer versions are still processed). */
  messageVersion: string;
  /** *OntvangerCode*: the lender's code. */
  receiverCode?: string;
  /** *VerzendDt*, YYYY-MM-DD. */
  sentDate: string;
  /** *VerzendTijd*, HH:MM:SS. */
  sentTime: string;
  /** *PakketNaam* / *PakketVersie*: the sending software. */
  packageName?: string;
  packageVersion?: string;
  /** *AanvraagVolgNr*: identifies the application; copied unchanged into every reply. */
  applicationNumber: string;
  /** *AanvraagVersie*: "1", "2", ...; a changed application is a new AX with version + 1. */
  applicationVersion: string;
  extra?: HdnExtra;
}

/** *Aanvrager*: an applicant in an AX. Personal data: lives in PostgreSQL only. */
export interface HdnApplicant {
  /** 1 or 2. */
  position: number;
  firstName: string;
  infix?: string;
  lastName: string;
  /** YYYY-MM-DD. */
  birthDate: string;
  email?: string;
  phone?: string;
  street?: string;
  houseNumber?: number;
  houseNumberSuffix?: string;
  postcode?: string;
  city?: string;
  /** *Geslacht*: the version's code (mapping code list `gender`; issue 19, unverified). */
  gender?: string;
  /** *BurgerlijkeStaat*: the version's code (mapping code list `maritalStatus`; issue 19, unverified). */
  maritalStatus?: string;
  extra?: HdnExtra;
}

/** *Kind*: a child of the household (issue 19; element names unverified). */
export interface HdnChild {
  firstName: string;
  infix?: string;
  lastName: string;
  /** YYYY-MM-DD. */
  birthDate: string;
  extra?: HdnExtra;
}

/** *Leningdeel*: a loan part (*rechterdeel*). */
export interface HdnLoanPart {
  /** *LeningdeelNr*, "1", "2", ... */
  number: string;
  /**
   * *AflossingsVorm*: in the public shape a code ("01" annuiteit, "02" lineair, "05"
   * aflossingsvrij); in stored legacy `<HDN>` messages a word ("annuiteit"), kept as sent.
   */
  repaymentType: string;
  /** Amount in cents. */
  amountCents: number;
  /** Duration in months. */
  durationMonths: number;
  /** Fixed-rate period in months (*RentevastPeriode*). */
  fixedRateMonths?: number;
  /** Rate as a decimal string, in offers. */
  interestRate?: string;
  extra?: HdnExtra;
}

/** AX: mortgage application (*offerteaanvraag*). */
export interface HdnApplication {
  type: 'AX';
  header: HdnHeader;
  applicants: HdnApplicant[];
  /** *Onderpand*: the property. */
  property?: {
    street?: string;
    houseNumber?: number;
    houseNumberSuffix?: string;
    postcode?: string;
    city?: string;
    purchasePriceCents?: number;
    marketValueCents?: number;
    extra?: HdnExtra;
  };
  loanParts: HdnLoanPart[];
  /** *Kind*: the household's children, when the advice package sends them. */
  children?: HdnChild[];
  /** *NHG*: with national mortgage guarantee. */
  nhg?: boolean;
  /** Date of the financing condition (*ontbindende voorwaarde*), when the advice knows it. */
  financingConditionDate?: string;
  /** Unknown/unverified codes in this message (public shape only). */
  codes?: HdnCodeObservation[];
  extra?: HdnExtra;
}

/** SX: status message (*statusmelding*). */
export interface HdnStatus {
  type: 'SX';
  header: HdnHeader;
  /** *StatusCode*, a string: "09", "10", "22", ... (see domain/hdn). */
  statusCode: string;
  /** *StatusOmschrijving*. */
  description?: string;
  /** Document-level SX: the DA line it is about ("02" = document already received). */
  documentReference?: string;
  /** Offer this status is about, when any. */
  offerNumber?: string;
  /** *Toelichting*: free text from the lender. */
  remark?: string;
  /** *Kenmerk* next to the status (public shape only). */
  reference?: string;
  /** *StatusDt* / *StatusTijd* (public shape only): when the lender set the status. */
  statusDate?: string;
  statusTime?: string;
  /** Unknown/unverified codes in this message (public shape only). */
  codes?: HdnCodeObservation[];
  extra?: HdnExtra;
}

/** A PDF (or other file) inside a message. */
export interface HdnAttachment {
  filename: string;
  contentType: string;
  /** Base64 of the bytes. */
  contentBase64: string;
  /** Elements inside *Bijlage* the codec did not model (added with the codec). */
  extra?: HdnExtra;
}

/** OX: offer. Type 18 = indicative rate offer (*renteaanbod*), 00 = binding offer. */
export interface HdnOffer {
  type: 'OX';
  header: HdnHeader;
  /** *OfferteNr*. */
  offerNumber: string;
  /** *OfferteType*: "18" or "00" (strings). */
  offerType: string;
  /** Overall rate, decimal string. */
  interestRate?: string;
  loanParts: HdnLoanPart[];
  /** *AcceptatieDt*: last day to accept, YYYY-MM-DD. */
  acceptanceDate?: string;
  /** *GeldigheidsDt*: last day the deed may be passed. */
  validityDate?: string;
  /** Extension fields. */
  extensionPossible?: boolean;
  extensionDate?: string;
  automaticallyExtended?: boolean;
  extended?: boolean;
  latestPassingDateBeforeExtension?: string;
  latestPassingDateAfterExtension?: string;
  attachments: HdnAttachment[];
  /** Unknown/unverified codes in this message (public shape only). */
  codes?: HdnCodeObservation[];
  extra?: HdnExtra;
}

/** A line of the lender's document checklist. */
export interface HdnDocumentLine {
  /** *DocumentRegelId*: the lender's reference of the line. */
  lineId: string;
  /** *SoortDocument*: document kind code (string). */
  documentKind: string;
  description?: string;
  /** *DocumentStatus* (known codes: domain/hdn/document-lines.ts; unknown codes kept as sent). */
  status: string;
  /** Applicant the line is about (1/2), when any. */
  applicantPosition?: number;
  /** The lender fetched it from a source itself: no DX may be sent for this line. */
  fetchedByLender: boolean;
  remark?: string;
  extra?: HdnExtra;
}

/** DA: document request, the lender's checklist (*stukkenlijst*). */
export interface HdnDocumentRequest {
  type: 'DA';
  header: HdnHeader;
  lines: HdnDocumentLine[];
  /** Unknown/unverified codes in this message (public shape only). */
  codes?: HdnCodeObservation[];
  extra?: HdnExtra;
}

/** DX: a document we send against a DA line. */
export interface HdnDocumentDelivery {
  type: 'DX';
  header: HdnHeader;
  lineId: string;
  documentKind: string;
  attachment: HdnAttachment;
  /** Unknown/unverified codes in this message (public shape only). */
  codes?: HdnCodeObservation[];
  extra?: HdnExtra;
}

export type HdnMessage = HdnApplication | HdnStatus | HdnOffer | HdnDocumentRequest | HdnDocumentDelivery;

/** Limits for parsing untrusted XML. */
/** The hardened XML reader's limits (integrations/xml), with this integration's defaults. */
export type HdnParseLimits = XmlLimits;

/** Failure types of the HDN integration (one enum; `retryable` says what a caller may retry). */
export const HdnErrorType = {
  /** Not well-formed XML. */
  Malformed: 'HdnMalformed',
  /** DOCTYPE, ENTITY or processing instructions other than the XML declaration: refused. */
  ForbiddenConstruct: 'HdnForbiddenConstruct',
  TooLarge: 'HdnTooLarge',
  TooDeep: 'HdnTooDeep',
  /** Well-formed but not an HDN message we know, or a required element is missing/invalid. */
  Invalid: 'HdnInvalid',
  /** The gateway could not be reached or answered 5xx/429 (retryable). */
  GatewayUnavailable: 'HdnGatewayUnavailable',
  /** The gateway refused the message (4xx other than 429; not retryable). */
  GatewayRejected: 'HdnGatewayRejected',
} as const;
export type HdnErrorType = (typeof HdnErrorType)[keyof typeof HdnErrorType];

export class HdnError extends Error {
  readonly type: HdnErrorType;
  /** The element at fault, as a path ("HDN/Header/AanvraagVolgNr"), when known. */
  readonly element?: string;
  readonly retryable: boolean;
  constructor(type: HdnErrorType, message: string, options: { element?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'HdnError';
    this.type = type;
    this.element = options.element;
    this.retryable = type === HdnErrorType.GatewayUnavailable;
  }
}
