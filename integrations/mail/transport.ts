/**
 * The one module that talks SMTP (nodemailer). Messages carry a deterministic Message-ID
 * derived from their idempotency key, so a duplicate that slips through (crash between the
 * SMTP accept and the outbox update) can be recognised by the receiving side.
 */
import { createHash } from 'node:crypto';
import net from 'node:net';
import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import { addressOf, composeMessage } from './compose.js';
import { classifyMailError } from './errors.js';

export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** `<...@...>`; see messageIdFor. */
  messageId: string;
  headers?: Record<string, string>;
  /** Files sent with it (text content, e.g. an iCalendar invitation), after the text and HTML. */
  attachments?: OutgoingAttachment[];
}

export interface OutgoingAttachment {
  filename: string;
  /** The full Content-Type, e.g. `text/calendar; method=REQUEST; charset=utf-8`. */
  contentType: string;
  /** Text content, sent as UTF-8 in base64. */
  content: string;
}

export interface SentMail {
  messageId: string;
  accepted: string[];
  response: string;
}

export interface Mailer {
  /** Sends one message; throws MailSendError (retryable or not). */
  send(mail: OutgoingMail): Promise<SentMail>;
  verify(): Promise<void>;
  close(): void;
}

/** Deterministic Message-ID for an idempotency key: `<df.<sha256 prefix>@<domain>>`. */
export function messageIdFor(key: string, domain = 'dossierflow.local'): string {
  const digest = createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 40);
  return `<df.${digest}@${domain}>`;
}

/** The domain part of a From address ("Name <a@b.nl>" -> "b.nl"), for Message-IDs. */
export function domainOf(address: string): string {
  const m = /@([A-Za-z0-9.-]+)/.exec(address);
  return m?.[1] ?? 'dossierflow.local';
}

export interface MailerOptions {
  timeoutMs?: number;
  /**
   * SMTP connections kept open and reused (default 5). A connection per message cost about
   * 145 ms of handshake each (greeting, EHLO, QUIT) on a loopback peer; a pooled one sends the
   * next message on the same session. Sends beyond this many wait in the transport's queue.
   */
  maxConnections?: number;
  /** Messages per pooled connection before it is replaced (default 100; some servers limit it). */
  maxMessages?: number;
}

/**
 * Opens the SMTP socket with Nagle's algorithm off, for nodemailer to use (and upgrade to TLS
 * when the peer asks for it). This nodemailer leaves Nagle on: the end of each message's DATA
 * then waited for the peer's delayed ACK, about 45 ms per mail on loopback (51 ms per mail on a
 * pooled connection, 5 ms with TCP_NODELAY; bench/invoice-run.ts measures one mail alone).
 */
function connectNoDelay(host: string, port: number, timeoutMs: number, callback: (err: Error | null, socketOptions?: { connection: net.Socket }) => void): void {
  const socket = net.connect({ host: host.replace(/^\[|\]$/g, ''), port });
  socket.setNoDelay(true);
  const timer = setTimeout(() => socket.destroy(Object.assign(new Error(`connection to ${host}:${port} timed out`), { code: 'ETIMEDOUT' })), timeoutMs);
  const onError = (err: Error): void => {
    clearTimeout(timer);
    callback(err);
  };
  socket.once('error', onError);
  socket.once('connect', () => {
    clearTimeout(timer);
    socket.removeListener('error', onError);
    callback(null, { connection: socket });
  });
}

/** `smtp://host:port` (no TLS, e.g. the local SMTP peer) or `smtps://user:pass@host:465`. */
export function createMailer(smtpUrl: string, options: MailerOptions = {}): Mailer {
  const timeout = options.timeoutMs ?? 15_000;
  const url = new URL(smtpUrl);
  const secure = url.protocol === 'smtps:';
  const port = url.port ? Number(url.port) : secure ? 465 : 25;
  const transport: Transporter = nodemailer.createTransport({
    pool: true,
    maxConnections: options.maxConnections ?? 5,
    maxMessages: options.maxMessages ?? 100,
    host: url.hostname,
    port,
    secure,
    getSocket: (_options, callback) => connectNoDelay(url.hostname, port, timeout, callback),
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
    // A plain local peer without STARTTLS must work; a peer offering STARTTLS is used with it.
    ignoreTLS: url.searchParams.get('tls') === 'off',
    tls: { rejectUnauthorized: url.searchParams.get('tls') !== 'insecure' },
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  });
  return {
    async send(mail) {
      try {
        // The message is composed here in one buffer (compose.ts) and sent as it is.
        const info = (await transport.sendMail({
          envelope: { from: addressOf(mail.from), to: [addressOf(mail.to)] },
          raw: composeMessage(mail),
        })) as { accepted: (string | { address: string })[]; response: string };
        return {
          messageId: mail.messageId,
          accepted: info.accepted.map((a) => (typeof a === 'string' ? a : a.address)),
          response: info.response,
        };
      } catch (err) {
        throw classifyMailError(err);
      }
    },
    async verify() {
      try {
        await transport.verify();
      } catch (err) {
        throw classifyMailError(err);
      }
    },
    close() {
      transport.close();
    },
  };
}
