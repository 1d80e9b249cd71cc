/**
 * An office's IMAP mailbox as the setting IMAP_MAILBOXES names it:
 * `imap://user:password@host:port/INBOX` (plain on the port, e.g. a loopback server, STARTTLS
 * when the server offers it) or `imaps://...` (TLS from the start, port 993 by default).
 */
export interface ImapAccount {
  host: string;
  port: number;
  secure: boolean;
  user: string;
  password: string;
  /** The mailbox read (default INBOX). */
  mailbox: string;
}

export function imapAccountFromUrl(url: string): ImapAccount {
  const u = new URL(url);
  if (u.protocol !== 'imap:' && u.protocol !== 'imaps:') throw new Error('an IMAP mailbox URL starts with imap:// or imaps://');
  const secure = u.protocol === 'imaps:';
  const mailbox = decodeURIComponent(u.pathname.replace(/^\//, '')) || 'INBOX';
  return {
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: u.port ? Number(u.port) : secure ? 993 : 143,
    secure,
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    mailbox,
  };
}

/** Office id -> account, from the settings' office id -> URL. */
export function imapAccountsFromSettings(mailboxes: Readonly<Record<string, string>>): Map<string, ImapAccount> {
  return new Map(Object.entries(mailboxes).map(([officeId, url]) => [officeId, imapAccountFromUrl(url)]));
}
