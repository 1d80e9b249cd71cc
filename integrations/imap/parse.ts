/**
 * An inbound mail's bytes (RFC 5322, MIME) read into what we store, with mailparser: the
 * normalised Message-ID (or a synthetic one), sender, recipients, subject (encoded-words decoded),
 * date, the text and HTML bodies of a multipart/alternative and the attachments.
 *
 * A mail without a usable Message-ID gets `synthetic:<sha256>` over its From, To, Cc, Date and
 * Subject headers as sent and its body bytes (everything after the header block). Those are what
 * make it this mail; trace headers a server adds on the way (Received, Delivered-To,
 * Return-Path) are left out, so the same mail delivered twice still gets the same id.
 */
import { createHash } from 'node:crypto';
import { simpleParser, type AddressObject, type HeaderValue } from 'mailparser';
import { normaliseMessageId, syntheticMessageId } from '../../domain/mailbox/message-id.js';

export interface ParsedAttachment {
  filename: string;
  contentType: string;
  sizeBytes: number;
  content: Buffer;
}

export interface ParsedInboundMail {
  messageId: string;
  /** True when the mail had no usable Message-ID and `messageId` is synthetic. */
  syntheticId: boolean;
  fromAddress: string | null;
  fromName: string | null;
  toAddresses: string[];
  subject: string;
  /** The Date header; null when missing or unreadable. */
  sentAt: Date | null;
  text: string | null;
  html: string | null;
  attachments: ParsedAttachment[];
}

const IDENTIFYING_HEADERS = ['from', 'to', 'cc', 'date', 'subject'] as const;

function headerBlockEnd(source: Buffer): number {
  const crlf = source.indexOf('\r\n\r\n');
  const lf = source.indexOf('\n\n');
  if (crlf >= 0 && (lf < 0 || crlf < lf)) return crlf + 4;
  return lf >= 0 ? lf + 2 : source.length;
}

/** The synthetic id's digest: identifying headers (raw, unfolded, in a fixed order) and the body bytes. */
export function mailDigest(source: Buffer): string {
  const end = headerBlockEnd(source);
  const headerText = source.subarray(0, end).toString('latin1').replace(/\r?\n[ \t]+/g, ' ');
  const hash = createHash('sha256');
  for (const name of IDENTIFYING_HEADERS) {
    const lines = headerText.split(/\r?\n/).filter((l) => l.toLowerCase().startsWith(`${name}:`));
    hash.update(`${name}:${lines.map((l) => l.slice(name.length + 1).trim()).join('\u0000')}\n`);
  }
  hash.update(source.subarray(end));
  return hash.digest('hex');
}

const addressesOf = (value: AddressObject | AddressObject[] | undefined): string[] =>
  (Array.isArray(value) ? value : value ? [value] : []).flatMap((a) => a.value.flatMap((v) => (v.address ? [v.address] : (v.group ?? []).flatMap((g) => (g.address ? [g.address] : [])))));

const headerText = (v: HeaderValue | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

export async function parseInboundMail(source: Buffer): Promise<ParsedInboundMail> {
  const mail = await simpleParser(source, { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true });
  const normalised = normaliseMessageId(headerText(mail.headers.get('message-id')) ?? mail.messageId);
  const from = mail.from?.value[0];
  const sentAt = mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date : null;
  return {
    messageId: normalised ?? syntheticMessageId(mailDigest(source)),
    syntheticId: normalised === undefined,
    fromAddress: from?.address?.trim() || null,
    fromName: from?.name?.trim() || null,
    toAddresses: [...addressesOf(mail.to), ...addressesOf(mail.cc)],
    subject: mail.subject ?? '',
    sentAt,
    text: mail.text ?? null,
    html: typeof mail.html === 'string' ? mail.html : null,
    attachments: mail.attachments.map((a, i) => ({
      filename: a.filename?.trim() || `bijlage-${i + 1}`,
      contentType: a.contentType || 'application/octet-stream',
      sizeBytes: a.size ?? a.content.length,
      content: a.content,
    })),
  };
}
