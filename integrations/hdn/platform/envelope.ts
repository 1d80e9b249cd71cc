/**
 * The HDN API platform's JSON envelope around one HDN XML message, inbound and outbound.
 *
 * Public (REFERENCE.md; HDN wiki KET-003 and KET-044): the envelope carries
 * `header.requestSchema.messageType`, `header.requestSchema.receiverCode`,
 * `header.requestSchema.requestVersion` (an integer, 1 for the first message of a dossier,
 * raised only by a new application) and `header.requestSchema.requestTraceNumber` (which
 * replaces the old `//Header/AanvraagVolgnummer`, i.e. our application number).
 *
 * NOT public, our choice and marked `unverified` here and in docs/ARCHITECTURE.md until HDN's
 * technical API documentation is at hand (it is for members only):
 * - where the XML travels: `payload.data` as base64 of the UTF-8 bytes, with
 *   `payload.encoding: "base64"` and `payload.contentType: "application/xml"`;
 * - `header.senderCode`: the sender's node number (on the platform the sender is known from its
 *   certificate; we carry it so a receiver can compare the two);
 * - `messageType` values: the two-letter BerichtSoort (AX, SX, ...); KET-044's table of values
 *   was not readable in the public copy;
 * - `receiverCode`: the receiver's 6-character node number (KET-044 says there are options; the
 *   lender's code is another one).
 * A real envelope with more fields is accepted (unknown fields are kept out of the schema's way:
 * `additionalProperties` is allowed at every level) so a newer platform does not break us.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { hdnMessageTypes } from '../../../domain/hdn/message-types.js';
import type { HdnOutboundFacts } from '../gateway.js';

/** Whether a field of the envelope is a public fact or our guess (for docs and tests). */
export const envelopeFieldStatus = {
  'header.requestSchema.messageType': 'public (values unverified: two-letter BerichtSoort)',
  'header.requestSchema.receiverCode': 'public (value unverified: receiver node number)',
  'header.requestSchema.requestVersion': 'public (KET-003)',
  'header.requestSchema.requestTraceNumber': 'public (replaces AanvraagVolgnummer)',
  'header.senderCode': 'unverified',
  payload: 'unverified (base64 XML)',
} as const;

const Node = Type.String({ pattern: '^[A-Za-z0-9]{6}$' });

export const PlatformRequestSchema = Type.Object(
  {
    messageType: Type.Union(hdnMessageTypes.map((t) => Type.Literal(t))),
    receiverCode: Node,
    requestVersion: Type.Integer({ minimum: 1, maximum: 999_999 }),
    requestTraceNumber: Type.String({ minLength: 1, maxLength: 64, pattern: '^[\\x21-\\x7E]+$' }),
  },
  { additionalProperties: true },
);

export const PlatformEnvelopeSchema = Type.Object(
  {
    header: Type.Object(
      {
        requestSchema: PlatformRequestSchema,
        /** unverified: see the module comment. */
        senderCode: Node,
      },
      { additionalProperties: true },
    ),
    /** unverified: see the module comment. */
    payload: Type.Object(
      {
        contentType: Type.Literal('application/xml'),
        encoding: Type.Literal('base64'),
        data: Type.String({ minLength: 4 }),
      },
      { additionalProperties: true },
    ),
  },
  { additionalProperties: true },
);

export type PlatformEnvelope = Static<typeof PlatformEnvelopeSchema>;

/**
 * The transport-neutral facts of a message that the envelope carries next to the XML (defined
 * with the gateway contract): `applicationNumber` is `requestTraceNumber` on the platform
 * (*AanvraagVolgnummer* in the XML), `applicationVersion` ("1", "2", ...) is `requestVersion`.
 */
export type PlatformMessageFacts = HdnOutboundFacts;

/** A decoded inbound envelope: its facts and the XML bytes (decoded later by the HDN reader). */
export interface DecodedPlatformEnvelope {
  facts: PlatformMessageFacts;
  xml: Buffer;
}

export class PlatformEnvelopeError extends Error {
  /** JSON pointer of the field at fault ('' for the whole body). */
  readonly path: string;
  constructor(path: string, message: string) {
    super(path ? `${path}: ${message}` : message);
    this.name = 'PlatformEnvelopeError';
    this.path = path;
  }
}

/** Base64 as the envelope carries it: the standard alphabet, padded, no line breaks. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** `requestVersion` from our version text: a positive integer, or a refusal naming the value. */
export function requestVersionOf(applicationVersion: string): number {
  if (!/^[1-9]\d{0,5}$/.test(applicationVersion)) {
    throw new PlatformEnvelopeError('/header/requestSchema/requestVersion', `application version must be a positive integer, got ${JSON.stringify(applicationVersion)}`);
  }
  return Number(applicationVersion);
}

/** The outbound envelope of one HDN XML message. */
export function encodePlatformEnvelope(facts: PlatformMessageFacts, xml: string | Uint8Array): PlatformEnvelope {
  const envelope: PlatformEnvelope = {
    header: {
      requestSchema: {
        messageType: facts.messageType,
        receiverCode: facts.receiverNode,
        requestVersion: requestVersionOf(facts.applicationVersion),
        requestTraceNumber: facts.applicationNumber,
      },
      senderCode: facts.senderNode,
    },
    payload: { contentType: 'application/xml', encoding: 'base64', data: Buffer.from(typeof xml === 'string' ? Buffer.from(xml, 'utf8') : xml).toString('base64') },
  };
  // What we send must pass our own reader: a bad application number is our bug, found here.
  const first = Value.Errors(PlatformEnvelopeSchema, envelope).First();
  if (first) throw new PlatformEnvelopeError(first.path, first.message);
  return envelope;
}

/**
 * Reads an inbound envelope (already JSON-parsed). Refuses with the first problem's JSON pointer;
 * `maxXmlBytes` bounds the decoded XML (checked on the base64 length before decoding).
 */
export function decodePlatformEnvelope(body: unknown, opts: { maxXmlBytes: number }): DecodedPlatformEnvelope {
  const first = Value.Errors(PlatformEnvelopeSchema, body).First();
  if (first) throw new PlatformEnvelopeError(first.path, first.message);
  const envelope = body as PlatformEnvelope;
  const { data } = envelope.payload;
  if (Math.floor((data.length * 3) / 4) > opts.maxXmlBytes + 2) {
    throw new PlatformEnvelopeError('/payload/data', `the XML is larger than ${opts.maxXmlBytes} bytes`);
  }
  if (!BASE64.test(data)) throw new PlatformEnvelopeError('/payload/data', 'must be base64 (standard alphabet, padded, no line breaks)');
  const xml = Buffer.from(data, 'base64');
  if (xml.length > opts.maxXmlBytes) throw new PlatformEnvelopeError('/payload/data', `the XML is larger than ${opts.maxXmlBytes} bytes`);
  const rs = envelope.header.requestSchema;
  return {
    facts: {
      messageType: rs.messageType,
      senderNode: envelope.header.senderCode,
      receiverNode: rs.receiverCode,
      applicationNumber: rs.requestTraceNumber,
      applicationVersion: String(rs.requestVersion),
    },
    xml,
  };
}

/**
 * Where the envelope and the XML's own header disagree (empty when they agree). The XML is the
 * message; the envelope routes it: a disagreement is refused rather than guessed.
 */
export function envelopeHeaderMismatches(
  facts: PlatformMessageFacts,
  header: { messageType: string; senderNode: string; receiverNode: string; applicationNumber: string; applicationVersion: string },
): string[] {
  const problems: string[] = [];
  const same = (what: string, envelope: string, xml: string, xmlName: string): void => {
    if (envelope !== xml) problems.push(`${what} ${JSON.stringify(envelope)} is not the message's ${xmlName} ${JSON.stringify(xml)}`);
  };
  same('messageType', facts.messageType, header.messageType, 'BerichtSoort');
  same('senderCode', facts.senderNode, header.senderNode, 'VerzenderNrHDN');
  same('receiverCode', facts.receiverNode, header.receiverNode, 'OntvangerNrHDN');
  same('requestTraceNumber', facts.applicationNumber, header.applicationNumber, 'AanvraagVolgnummer');
  // "01" and "1" are the same version; the envelope's is an integer.
  const version = /^\d+$/.test(header.applicationVersion) ? String(Number(header.applicationVersion)) : header.applicationVersion;
  same('requestVersion', facts.applicationVersion, version, 'AanvraagVersie');
  return problems;
}
