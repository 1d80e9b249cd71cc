/**
 * The one error type of the hardened XML reader. Integrations translate it into their own
 * (HdnError, SepaError, RiskError) by `type`, keeping the message and the path.
 */

/** Failure types of untrusted XML (one enum). None is retryable: the same input fails the same way. */
export const XmlErrorType = {
  /** More bytes than `maxBytes` (checked before anything is decoded). */
  TooLarge: 'XmlTooLarge',
  /** Bytes that are not valid UTF-8. */
  NotUtf8: 'XmlNotUtf8',
  /** Bytes whose XML declaration names an encoding other than UTF-8. */
  WrongEncoding: 'XmlWrongEncoding',
  /** DOCTYPE, ENTITY (or any other DTD declaration), processing instructions: see `construct`. */
  Forbidden: 'XmlForbidden',
  /** Elements nested deeper than `maxDepth`. */
  TooDeep: 'XmlTooDeep',
  /** More elements or attributes, or a longer text, than a counting limit allows: see `limit`. */
  LimitExceeded: 'XmlLimitExceeded',
  /** A character XML cannot contain (C0 controls, U+FFFE/U+FFFF), literal or as a character reference. */
  InvalidChar: 'XmlInvalidChar',
  /** An entity other than the five predefined ones, or a bare "&". */
  BadReference: 'XmlBadReference',
  /** Not well-formed: unclosed tags/comments/sections, text outside the root, a second root, ... */
  NotWellFormed: 'XmlNotWellFormed',
  /** Well-formed, but an element is not what the reader asked for (missing, repeated, text vs elements). */
  Invalid: 'XmlInvalid',
} as const;
export type XmlErrorType = (typeof XmlErrorType)[keyof typeof XmlErrorType];

/** What a `Forbidden` error refused: a DOCTYPE, an entity declaration, another DTD declaration, a processing instruction. */
export type XmlForbiddenConstruct = 'DOCTYPE' | 'ENTITY' | 'DTD' | 'PI';

/** Which counting limit a `LimitExceeded` error hit. */
export type XmlCountLimit = 'maxElements' | 'maxAttributesPerElement' | 'maxAttributes' | 'maxTextLength';

export interface XmlErrorDetails {
  /** The element at fault as a path ("HDN/Header/AanvraagVolgNr"), when known. */
  path?: string;
  /** 1-based position in the text, when known. */
  line?: number;
  column?: number;
  construct?: XmlForbiddenConstruct;
  /** The limit a `LimitExceeded` error hit. */
  limit?: XmlCountLimit;
  cause?: unknown;
}

export class XmlError extends Error {
  readonly type: XmlErrorType;
  readonly path?: string;
  readonly line?: number;
  readonly column?: number;
  readonly construct?: XmlForbiddenConstruct;
  readonly limit?: XmlCountLimit;
  readonly retryable = false;
  constructor(type: XmlErrorType, message: string, details: XmlErrorDetails = {}) {
    super(message, { cause: details.cause });
    this.name = 'XmlError';
    this.type = type;
    this.path = details.path;
    this.line = details.line;
    this.column = details.column;
    this.construct = details.construct;
    this.limit = details.limit;
  }
}

/** Translates an XmlError thrown by `fn` with `translate`; anything else passes through unchanged. */
export function translateXmlErrors<T>(fn: () => T, translate: (error: XmlError) => Error): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof XmlError) throw translate(error);
    throw error;
  }
}
