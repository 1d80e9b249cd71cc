/**
 * Reading inbound mail (the person card's "Inkomende mail", the dossier's, the office inbox of
 * unmatched mail) and linking a mail by hand. Office-scoped everywhere: another office's mail,
 * person or dossier is "not found".
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { isoInstant, looksLikeUuid, one } from '../../db/sql.js';
import { refuse } from '../../domain/errors.js';
import { requirePersonRow } from '../crm/card.js';
import { requireDossier } from '../dossiers/dossiers.js';
import type { Principal } from '../../domain/roles.js';
import {
  attachmentContent,
  attachmentsOfMails,
  inboundMailById,
  inboundMailsOfDossier,
  inboundMailsOfPerson,
  insertInboundMailLink,
  linksOfMails,
  unmatchedInboundMails,
  type InboundMailRow,
} from './store.js';
import type { InboundMail, InboundMailLinkCreate, InboundMailList, InboundMailSummary } from './schemas.js';

/** The most mails a list shows (newest first). */
export const INBOUND_LIST_LIMIT = 200;

async function summaries(em: EntityManager, mails: InboundMailRow[]): Promise<InboundMailSummary[]> {
  const ids = mails.map((m) => m.id);
  const [links, attachments] = await Promise.all([linksOfMails(em, ids), attachmentsOfMails(em, ids)]);
  return mails.map((m) => ({
    id: m.id,
    messageId: m.message_id,
    fromAddress: m.from_address,
    fromName: m.from_name,
    toAddresses: m.to_addresses ?? [],
    subject: m.subject,
    sentAt: isoInstant(m.sent_at),
    receivedAt: isoInstant(m.received_at) ?? '',
    links: links
      .filter((l) => l.mail_id === m.id)
      .map((l) => ({ personId: l.person_id, personName: l.person_name, dossierId: l.dossier_id, dossierNumber: l.dossier_number, kind: l.kind, linkedAt: isoInstant(l.linked_at) ?? '' })),
    attachments: attachments
      .filter((a) => a.mail_id === m.id)
      .map((a) => ({
        id: a.id,
        filename: a.filename,
        contentType: a.content_type,
        sizeBytes: a.size_bytes,
        stored: a.stored,
        url: a.stored ? `/inbound-mails/${m.id}/attachments/${a.id}` : null,
      })),
  }));
}

export async function listInboundMailsOfPerson(em: EntityManager, officeId: string, personId: string): Promise<InboundMailList> {
  await requirePersonRow(em, officeId, personId);
  return { items: await summaries(em, await inboundMailsOfPerson(em, officeId, personId, INBOUND_LIST_LIMIT)) };
}

export async function listInboundMailsOfDossier(em: EntityManager, officeId: string, dossierId: string): Promise<InboundMailList> {
  await requireDossier(em, officeId, dossierId);
  return { items: await summaries(em, await inboundMailsOfDossier(em, officeId, dossierId, INBOUND_LIST_LIMIT)) };
}

export async function listUnmatchedInboundMails(em: EntityManager, officeId: string): Promise<InboundMailList> {
  return { items: await summaries(em, await unmatchedInboundMails(em, officeId, INBOUND_LIST_LIMIT)) };
}

export async function getInboundMail(em: EntityManager, officeId: string, mailId: string): Promise<InboundMail> {
  const row = looksLikeUuid(mailId) ? await inboundMailById(em, officeId, mailId) : undefined;
  if (!row) throw refuse.notFound('inbound mail', mailId);
  const [summary] = await summaries(em, [row]);
  return { ...summary!, text: row.body_text, hasHtml: row.body_html !== null };
}

/**
 * Links a mail to a person of the office, and optionally one of that person's dossiers (the
 * person must be one of its applicants: 422 `person-not-in-dossier`). Linking again to the same
 * person sets the dossier. The mail leaves the inbox of unmatched mail.
 */
export async function linkInboundMail(em: EntityManager, principal: Principal, mailId: string, body: InboundMailLinkCreate): Promise<InboundMail> {
  const { officeId } = principal;
  await em.transactional(async (tem) => {
    const mail = looksLikeUuid(mailId) ? await one(tem, 'select id from inbound_mails where office_id = ? and id = ? for update', [officeId, mailId]) : undefined;
    if (!mail) throw refuse.notFound('inbound mail', mailId);
    await requirePersonRow(tem, officeId, body.personId);
    const dossierId = body.dossierId ?? null;
    if (dossierId !== null) {
      await requireDossier(tem, officeId, dossierId);
      const applicant = await one(tem, 'select 1 as ok from dossier_applicants where dossier_id = ? and person_id = ?', [dossierId, body.personId]);
      if (!applicant) throw refuse.unprocessable('person-not-in-dossier', `Person ${body.personId} is not an applicant of dossier ${dossierId}`);
    }
    await insertInboundMailLink(tem, { mailId, personId: body.personId, dossierId, kind: 'hand', linkedBy: principal.credentialId });
  });
  return getInboundMail(em, officeId, mailId);
}

export async function getInboundAttachment(
  em: EntityManager,
  officeId: string,
  mailId: string,
  attachmentId: string,
): Promise<{ filename: string; contentType: string; content: Buffer; sha256: string | null }> {
  const row = looksLikeUuid(mailId) && looksLikeUuid(attachmentId) ? await attachmentContent(em, officeId, mailId, attachmentId) : undefined;
  if (!row) throw refuse.notFound('attachment', attachmentId);
  if (!row.content) throw refuse.notFoundAs('attachment-not-kept', `Attachment ${attachmentId} was larger than the limit: only its name and size were kept`);
  return { filename: row.filename, contentType: row.content_type, content: row.content, sha256: row.sha256 };
}
