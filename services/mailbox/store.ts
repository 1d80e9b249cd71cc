/**
 * The one writer of inbound mail (*inkomende mail*): the mails, their links to persons (and
 * dossiers), their attachments, and each office's poll cursor. Every function runs on the
 * EntityManager it is given, so callers decide the transaction.
 */
import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { newId } from '../../db/ids.js';
import { one, pgArray, rows, type Row } from '../../db/sql.js';
import type { InboundMailLinkKind } from '../../domain/mailbox/closed-lists.js';
import type { ParsedInboundMail } from '../../integrations/imap/parse.js';
import { affectedRows, inList } from '../privacy/scrub-rows.js';

export const ownedTables = ['mailbox_cursors', 'inbound_mails', 'inbound_mail_links', 'inbound_mail_attachments'] as const;

export interface MailboxCursorRow extends Row {
  office_id: string;
  uid_validity: string;
  last_uid: string;
}

export interface InboundMailRow extends Row {
  id: string;
  office_id: string;
  message_id: string;
  synthetic_id: boolean;
  from_address: string | null;
  from_name: string | null;
  to_addresses: string[];
  subject: string;
  sent_at: unknown;
  received_at: unknown;
  body_text: string | null;
  body_html: string | null;
}

export interface InboundMailLinkRow extends Row {
  mail_id: string;
  person_id: string;
  person_name: string | null;
  dossier_id: string | null;
  dossier_number: string | null;
  kind: InboundMailLinkKind;
  linked_at: unknown;
}

export interface InboundAttachmentRow extends Row {
  id: string;
  mail_id: string;
  position: number;
  filename: string;
  content_type: string;
  size_bytes: number;
  stored: boolean;
}

// ---------------------------------------------------------------- cursor

export async function mailboxCursorOf(em: EntityManager, officeId: string): Promise<{ uidValidity: string; lastUid: number } | undefined> {
  const row = await one<MailboxCursorRow>(em, 'select uid_validity::text as uid_validity, last_uid::text as last_uid from mailbox_cursors where office_id = ?', [officeId]);
  return row ? { uidValidity: row.uid_validity, lastUid: Number(row.last_uid) } : undefined;
}

/** A (new) UIDVALIDITY: the cursor starts again at 0 (a rescan; the mails already stored are duplicates). */
export async function resetMailboxCursor(em: EntityManager, officeId: string, uidValidity: string): Promise<void> {
  await em.execute(
    `insert into mailbox_cursors (office_id, uid_validity, last_uid) values (?, ?::bigint, 0)
     on conflict (office_id) do update set uid_validity = excluded.uid_validity, last_uid = 0, updated_at = now()`,
    [officeId, uidValidity],
    'run',
  );
}

/** The mail of `uid` is stored: the cursor passes it (never backwards, and only within the same UIDVALIDITY). */
export async function advanceMailboxCursor(em: EntityManager, officeId: string, uidValidity: string, uid: number): Promise<void> {
  await em.execute(
    `update mailbox_cursors set last_uid = greatest(last_uid, ?), updated_at = now() where office_id = ? and uid_validity = ?::bigint`,
    [uid, officeId, uidValidity],
    'run',
  );
}

// ---------------------------------------------------------------- mails

export interface StoredInboundMail {
  id: string;
  /** False: a mail with this Message-ID was stored before (nothing written now). */
  created: boolean;
  linkedPersonIds: string[];
}

/**
 * Stores a mail once per office (the unique (office_id, message_id) decides), with its
 * attachments (content over `maxAttachmentBytes` is not kept, its name and size are) and its
 * links by address. Runs in the caller's transaction: all of it or nothing.
 */
export async function insertInboundMail(
  tem: EntityManager,
  officeId: string,
  mail: ParsedInboundMail,
  linkPersonIds: readonly string[],
  maxAttachmentBytes: number,
): Promise<StoredInboundMail> {
  const id = newId();
  const inserted = await rows<{ id: string }>(
    tem,
    `insert into inbound_mails (id, office_id, message_id, synthetic_id, from_address, from_name, to_addresses, subject, sent_at, body_text, body_html)
     values (?, ?, ?, ?, ?, ?, ?::text[], ?, ?, ?, ?)
     on conflict on constraint inbound_mails_once do nothing returning id`,
    [id, officeId, mail.messageId, mail.syntheticId, mail.fromAddress, mail.fromName, pgArray(mail.toAddresses), mail.subject, mail.sentAt, mail.text, mail.html],
  );
  if (inserted.length === 0) {
    const existing = await one<{ id: string }>(tem, 'select id from inbound_mails where office_id = ? and message_id = ?', [officeId, mail.messageId]);
    return { id: existing?.id ?? '', created: false, linkedPersonIds: [] };
  }
  let position = 0;
  for (const a of mail.attachments) {
    const keep = a.content.length <= maxAttachmentBytes;
    await tem.execute(
      `insert into inbound_mail_attachments (id, mail_id, position, filename, content_type, size_bytes, content, sha256) values (?, ?, ?, ?, ?, ?, ?, ?)`,
      [newId(), id, position++, a.filename.slice(0, 300), a.contentType, a.sizeBytes, keep ? a.content : null, keep ? createHash('sha256').update(a.content).digest('hex') : null],
      'run',
    );
  }
  for (const personId of linkPersonIds) await insertInboundMailLink(tem, { mailId: id, personId, dossierId: null, kind: 'address', linkedBy: null });
  return { id, created: true, linkedPersonIds: [...linkPersonIds] };
}

/** A link of a mail to a person (a second link to the same person updates its dossier). */
export async function insertInboundMailLink(
  tem: EntityManager,
  link: { mailId: string; personId: string; dossierId: string | null; kind: InboundMailLinkKind; linkedBy: string | null },
): Promise<void> {
  await tem.execute(
    `insert into inbound_mail_links (mail_id, person_id, dossier_id, kind, linked_by) values (?, ?, ?, ?, ?)
     on conflict (mail_id, person_id) do update set dossier_id = coalesce(excluded.dossier_id, inbound_mail_links.dossier_id)`,
    [link.mailId, link.personId, link.dossierId, link.kind, link.linkedBy],
    'run',
  );
}

const MAIL_COLUMNS = `m.id, m.office_id, m.message_id, m.synthetic_id, m.from_address, m.from_name, m.to_addresses, m.subject, m.sent_at, m.received_at`;

export async function inboundMailById(em: EntityManager, officeId: string, id: string): Promise<InboundMailRow | undefined> {
  return one<InboundMailRow>(em, `select ${MAIL_COLUMNS}, m.body_text, m.body_html from inbound_mails m where m.office_id = ? and m.id = ?`, [officeId, id]);
}

/** The mails linked to the person, newest first. */
export async function inboundMailsOfPerson(em: EntityManager, officeId: string, personId: string, limit: number): Promise<InboundMailRow[]> {
  return rows<InboundMailRow>(
    em,
    `select ${MAIL_COLUMNS} from inbound_mails m
      where m.office_id = ? and exists (select 1 from inbound_mail_links l where l.mail_id = m.id and l.person_id = ?)
      order by m.received_at desc, m.id limit ?`,
    [officeId, personId, limit],
  );
}

/** The mails linked to the dossier, or to one of its applicants, newest first. */
export async function inboundMailsOfDossier(em: EntityManager, officeId: string, dossierId: string, limit: number): Promise<InboundMailRow[]> {
  return rows<InboundMailRow>(
    em,
    `select ${MAIL_COLUMNS} from inbound_mails m
      where m.office_id = ? and exists (
        select 1 from inbound_mail_links l
         where l.mail_id = m.id and (l.dossier_id = ? or l.person_id in (select a.person_id from dossier_applicants a where a.dossier_id = ?)))
      order by m.received_at desc, m.id limit ?`,
    [officeId, dossierId, dossierId, limit],
  );
}

/** The office's inbox of mails linked to nobody, newest first. */
export async function unmatchedInboundMails(em: EntityManager, officeId: string, limit: number): Promise<InboundMailRow[]> {
  return rows<InboundMailRow>(
    em,
    `select ${MAIL_COLUMNS} from inbound_mails m
      where m.office_id = ? and not exists (select 1 from inbound_mail_links l where l.mail_id = m.id)
      order by m.received_at desc, m.id limit ?`,
    [officeId, limit],
  );
}

export async function linksOfMails(em: EntityManager, mailIds: readonly string[]): Promise<InboundMailLinkRow[]> {
  if (mailIds.length === 0) return [];
  const ids = inList(mailIds);
  return rows<InboundMailLinkRow>(
    em,
    `select l.mail_id, l.person_id, nullif(trim(concat_ws(' ', p.first_name, p.infix, p.last_name)), '') as person_name,
            l.dossier_id, d.number::text as dossier_number, l.kind, l.linked_at
       from inbound_mail_links l join persons p on p.id = l.person_id left join dossiers d on d.id = l.dossier_id
      where l.mail_id in ${ids.sql} order by l.linked_at, l.person_id`,
    ids.params,
  );
}

export async function attachmentsOfMails(em: EntityManager, mailIds: readonly string[]): Promise<InboundAttachmentRow[]> {
  if (mailIds.length === 0) return [];
  const ids = inList(mailIds);
  return rows<InboundAttachmentRow>(
    em,
    `select id, mail_id, position, filename, content_type, size_bytes, content is not null as stored from inbound_mail_attachments where mail_id in ${ids.sql} order by mail_id, position`,
    ids.params,
  );
}

export async function attachmentContent(
  em: EntityManager,
  officeId: string,
  mailId: string,
  attachmentId: string,
): Promise<{ filename: string; content_type: string; content: Buffer | null; sha256: string | null } | undefined> {
  return one(
    em,
    `select a.filename, a.content_type, a.content, a.sha256 from inbound_mail_attachments a join inbound_mails m on m.id = a.mail_id
      where m.office_id = ? and m.id = ? and a.id = ?`,
    [officeId, mailId, attachmentId],
  );
}

// ---------------------------------------------------------------- privacy

/**
 * Anonymisation and deletion of a person: their inbound mails are deleted, with attachments and
 * links (docs/design/mail-in.md): the mails linked to them, and the unlinked mails (the inbox) from
 * their address. A mail they wrote is their personal data through and through (their address,
 * their words, their files): scrubbing would leave nothing worth keeping. A mail that was also
 * linked to another person (a shared address) goes too: it came from the anonymised person's address.
 */
export async function deleteInboundMailsOf(tem: EntityManager, officeId: string, personId: string, email: string | null): Promise<number> {
  return affectedRows(
    tem,
    `delete from inbound_mails m
      where m.office_id = ? and (
        exists (select 1 from inbound_mail_links l where l.mail_id = m.id and l.person_id = ?)
        or (? :: text is not null and lower(m.from_address) = lower(?) and not exists (select 1 from inbound_mail_links l where l.mail_id = m.id)))`,
    [officeId, personId, email, email],
  );
}
