/**
 * The generic in-memory model of a SIVI AFD 1.0 message, free of any one counterpart (RISK's
 * mapping is layered on top of it, elsewhere).
 *
 * AFD 1.0 XML is labelled data: the root element is the message kind (`<Contractdocument>`,
 * `Pakket`, `Relatiedocument`, `Schadedocument`), its children are entities named by a
 * two-character code (`AL`, `PP`, `VP`, ...), entities nest (VP inside PP), and every value is an
 * element `<CODE>_<LABEL>` inside its entity (`PP_NUMMER`). Each entity carries the generic
 * labels ENTITEI (its own code), VRWRKCD (processing code), VOLGNUM (its own sequence number)
 * and ENTREF (entity reference) under its own prefix: `VP_ENTITEI`, `VP_VOLGNUM` (the reference
 * writes them as `XX_...`, XX standing for the entity code).
 *
 * The model knows no labels: every label and every entity is kept as written (raw strings), so a
 * read -> write -> read round trip keeps what we do not understand yet. Meaning (dates, amounts,
 * codes) is given by the value helpers (values.ts) and code lists (code-lists.ts) on request.
 */
import type { XmlLimits } from '../xml/index.js';

/** The message kinds REFERENCE.md names; others are read too (kept verbatim) unless refused by options. */
export const knownAfdMessageKinds = Object.freeze(['Contractdocument', 'Pakket', 'Relatiedocument', 'Schadedocument'] as const);

/** The generic labels every entity may carry, under its own prefix (`PP_VOLGNUM`). */
export const AfdGenericLabel = Object.freeze({
  /** Entity code, equal to the entity's element name. */
  Entity: 'ENTITEI',
  /** Processing code of the entity (verwerkingscode); kept raw, no public code list. */
  Processing: 'VRWRKCD',
  /** The entity's own sequence number among its same-coded siblings (not a message version). */
  Sequence: 'VOLGNUM',
  /** Entity reference; its format is not public (see EntityRefPolicy). */
  Reference: 'ENTREF',
});

export interface AfdEntity {
  /** Two-character entity code, the element name ("PP"). */
  readonly code: string;
  /**
   * Labels in document order, full name -> raw text (`{ PP_NUMMER: "P-1", PP_INGDAT: "20260101" }`).
   * Whitespace around a value is not kept (the XML reader trims); an empty element is "".
   */
  readonly attributes: Readonly<Record<string, string>>;
  /** Nested entities in document order (same-coded siblings are written together, see read.ts). */
  readonly children: readonly AfdEntity[];
}

export interface AfdMessage {
  /** The root element's name: the message kind ("Contractdocument"). */
  readonly kind: string;
  /** XML attributes on the root element, as written (e.g. a version attribute). */
  readonly rootAttributes: Readonly<Record<string, string>>;
  /** Top-level entities in document order. */
  readonly entities: readonly AfdEntity[];
}

/**
 * How ENTREF values are checked. The public sources name the label ("Entiteitsreferentie") but
 * not its format; a public sample carries a GUID there. So by default they are kept unchecked
 * ('opaque'); a mapping that knows its counterpart's convention passes a resolver, which
 * answers whether `ref` names something in `message`. `codeAndSequenceRef` is one such
 * convention (ours, unverified).
 */
export type EntityRefPolicy = 'opaque' | ((ref: string, message: AfdMessage) => boolean);

export interface AfdStructureOptions {
  /** Default 'opaque'. */
  entityRefs?: EntityRefPolicy;
  /** When given, only these root element names are accepted. Default: any word-like name. */
  kinds?: readonly string[];
}

export type AfdParseLimits = XmlLimits;

export interface AfdReadOptions extends AfdStructureOptions {
  limits?: Partial<AfdParseLimits>;
  /** Dotted element paths whose text may exceed maxTextLength (inline base64 documents). */
  longTextElements?: readonly string[];
}

export enum AfdErrorType {
  /** Over a size or count limit. */
  TooLarge = 'too_large',
  /** DOCTYPE, ENTITY declarations, processing instructions. */
  ForbiddenConstruct = 'forbidden_construct',
  TooDeep = 'too_deep',
  /** Not well-formed XML, not UTF-8, bad characters or references. */
  Malformed = 'malformed',
  /** The root is not a message kind (a code, a label, or not in `kinds`). */
  NotAMessage = 'not_a_message',
  /** An element that is neither an entity (two characters) nor a label (`CODE_LABEL`). */
  UnknownElement = 'unknown_element',
  /** A label directly under the root, outside any entity. */
  AttributeOutsideEntity = 'attribute_outside_entity',
  /** A label whose prefix is not its entity's code (`VP_ANAAM` inside `PP`). */
  PrefixMismatch = 'prefix_mismatch',
  /** The same label twice in one entity. */
  DuplicateLabel = 'duplicate_label',
  /** ENTITEI differs from the entity's element name. */
  EntityCodeMismatch = 'entity_code_mismatch',
  /** VOLGNUM that is not a positive whole number. */
  BadSequenceNumber = 'bad_sequence_number',
  /** Two same-coded siblings with the same VOLGNUM. */
  DuplicateSequenceNumber = 'duplicate_sequence_number',
  /** An ENTREF the configured policy cannot resolve. */
  DanglingReference = 'dangling_reference',
  /** Text inside an entity or the root, elements inside a label, XML attributes on an entity or label. */
  UnexpectedContent = 'unexpected_content',
  /** A value XML cannot carry (control characters) in a model to be written. */
  UnwritableValue = 'unwritable_value',
}

export class AfdError extends Error {
  readonly type: AfdErrorType;
  /** Where: "Contractdocument/PP[1]/VP[2]/VP_VOLGNUM" (1-based among same-coded siblings). */
  readonly path?: string;
  constructor(type: AfdErrorType, message: string, options: { path?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'AfdError';
    this.type = type;
    this.path = options.path;
  }
}
