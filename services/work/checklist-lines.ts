/**
 * The client's document checklist (*stukkenlijst*) at work: read per dossier (adviser) or for
 * the portal session's own dossier (client), a completed upload attached to a line (by either),
 * approved or rejected by the adviser (a rejection mails the client with the reason), the
 * line's file downloaded, and sent on to the lender as DX when a DA line of one of the dossier's
 * products asks for the same document (the profile line's `lenderDocumentKinds`, data in
 * domain/checklists.ts).
 *
 * The bytes stay in the upload engine (services/uploads): a line keeps the upload's id and a
 * copy of its name, type, size and hash (`checklist_item_files`, one row per file ever attached).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { checklistItemFor } from '../../domain/checklists.js';
import { todayInAmsterdam } from '../../domain/dates.js';
import { DomainError, refuse } from '../../domain/errors.js';
import { DOCUMENT_LINE_APPROVED } from '../../domain/hdn/document-lines.js';
import type { Principal } from '../../domain/roles.js';
import { checklistLineStatus, checklistLineStatusLabels, validUntil } from '../../domain/work/checklist-lines.js';
import { isoInstant, looksLikeUuid } from '../../db/sql.js';
import type { Mailer } from '../../integrations/mail/transport.js';
import type { TemporalDeps } from '../../integrations/temporal/connection.js';
import { contextData, loadDossierContext, personData } from '../dossiers/context.js';
import { requireDossier } from '../dossiers/dossiers.js';
import { uploadForLine, uploadTypes, type UploadResult } from '../hdn/lender-documents.js';
import { documentLinesOfDossier, type DocumentLineRow } from '../hdn/store.js';
import { loadTemplate, renderOrFail } from '../templates/load.js';
import { renderTemplate } from '../templates/render.js';
import { completedUploadOf, readUploadChunks, uploadBytes } from '../uploads/files.js';
import type { AdviserChecklistLine, ChecklistLine } from './checklist.schemas.js';
import { enqueueMail } from './mail-outbox.js';
import { deliverNowOrLater } from './mail-delivery.js';
import { recipientsOf } from './mails.js';
import { attachChecklistFile, checklistFilesOf, checklistLine, checklistLinesOfDossier, reviewChecklistFile, type ChecklistLineRow } from './store.js';

/** The template of the rejection mail (services/templates/defaults.ts). */
export const CHECKLIST_REJECTION_TEMPLATE = 'checklist-rejection';

/** What the API hands over to send a mail now; absent: the mail waits in the outbox as pending. */
export interface ChecklistMailDeps {
  mailer: Mailer;
  mailFrom: string;
}

const instant = (v: unknown): string | null => isoInstant(v);
const dateOf = (v: unknown): string | undefined => {
  const iso = isoInstant(v);
  return iso ? todayInAmsterdam(new Date(iso)) : undefined;
};

function lineView(row: ChecklistLineRow, today: string): ChecklistLine {
  const rule = checklistItemFor(row.code);
  const fileDate = dateOf(row.attached_at);
  const status = checklistLineStatus({ stored: row.status, fileDate, validityMonths: rule?.validityMonths }, today);
  return {
    id: row.id,
    checklistId: row.checklist_id,
    productId: row.product_id,
    code: row.code,
    label: row.label,
    status,
    statusLabel: checklistLineStatusLabels[status],
    validityMonths: rule?.validityMonths ?? null,
    validUntil: fileDate && rule?.validityMonths !== undefined ? validUntil(fileDate, rule.validityMonths) : null,
    file:
      row.file_id && row.filename && row.content_type && row.uploaded_by
        ? { id: row.file_id, filename: row.filename, contentType: row.content_type, sizeBytes: Number(row.size_bytes ?? 0), uploadedBy: row.uploaded_by, attachedAt: instant(row.attached_at) ?? '' }
        : null,
    reviewedAt: instant(row.reviewed_at),
    reviewedBy: row.reviewed_at ? (row.reviewer_name ?? null) : null,
    rejectionReason: row.review === 'rejected' ? row.rejection_reason : null,
  };
}

/** The DA lines that ask for the document of this checklist line (not fetched by the lender itself). */
function matchingLenderLines(code: string, lenderLines: readonly DocumentLineRow[]): DocumentLineRow[] {
  const kinds = checklistItemFor(code)?.lenderDocumentKinds ?? [];
  return lenderLines.filter((l) => kinds.includes(l.document_kind) && !l.fetched_by_lender);
}

/** The adviser's view of a dossier's checklist lines (of every product's checklist), with each line's history and matching DA lines. */
export async function dossierChecklist(em: EntityManager, officeId: string, dossierId: string, now: Date): Promise<{ dossierId: string; today: string; lines: AdviserChecklistLine[] }> {
  await requireDossier(em, officeId, dossierId);
  const today = todayInAmsterdam(now);
  const rows = await checklistLinesOfDossier(em, dossierId);
  const files = await checklistFilesOf(em, rows.map((r) => r.id));
  const lenderLines = await documentLinesOfDossier(em, dossierId);
  return {
    dossierId,
    today,
    lines: rows.map((row) => ({
      ...lineView(row, today),
      lenderLines: matchingLenderLines(row.code, lenderLines).map((l) => ({ productId: l.product_id, lineId: l.line_id, documentKind: l.document_kind, description: l.description, status: l.status })),
      history: files
        .filter((f) => f.item_id === row.id)
        .map((f) => ({
          file: { id: f.file_id, filename: f.filename, contentType: f.content_type, sizeBytes: Number(f.size_bytes), uploadedBy: f.uploaded_by, attachedAt: instant(f.attached_at) ?? '' },
          review: f.review,
          reviewedAt: instant(f.reviewed_at),
          rejectionReason: f.review === 'rejected' ? f.rejection_reason : null,
        })),
    })),
  };
}

/** The portal principal's own dossier and person; refused for any other principal. */
function portalOf(principal: Principal): { personId: string; dossierId: string } {
  if (principal.role !== 'client' || !principal.portal) throw refuse.forbidden('not-a-portal-session', 'Only a portal session has a checklist of its own');
  return principal.portal;
}

/**
 * The client's view: the lines of their own dossier (every applicant of the dossier is asked for
 * the same lines: the checklist is made per dossier), without the office's internals.
 */
export async function portalChecklist(em: EntityManager, principal: Principal, now: Date) {
  const { dossierId } = portalOf(principal);
  const ctx = await loadDossierContext(em, dossierId);
  if (ctx.dossier.officeId !== principal.officeId) throw refuse.forbidden('not-your-dossier', 'This portal session is not for this dossier');
  const today = todayInAmsterdam(now);
  const rows = await checklistLinesOfDossier(em, dossierId);
  return { dossierId, dossierNumber: ctx.dossier.number, officeName: ctx.office.name, today, lines: rows.map((r) => lineView(r, today)) };
}

/**
 * The line, checked against the caller: an adviser reaches the lines of the office's dossiers
 * (and, given, of that dossier); a client only those of their session's dossier: a line of
 * another dossier is refused 403 (it is not theirs), one that does not exist 404.
 */
async function lineFor(em: EntityManager, principal: Principal, itemId: string, dossierId: string | undefined, forUpdate: boolean): Promise<ChecklistLineRow> {
  const row = looksLikeUuid(itemId) ? await checklistLine(em, itemId, forUpdate) : undefined;
  if (principal.role === 'client') {
    const portal = portalOf(principal);
    if (!row) throw refuse.notFound('Checklist line', itemId);
    if (row.dossier_id !== portal.dossierId || row.office_id !== principal.officeId) {
      throw refuse.forbidden('not-your-checklist', 'This checklist line belongs to another client');
    }
    return row;
  }
  if (!row || row.office_id !== principal.officeId || (dossierId !== undefined && row.dossier_id !== dossierId)) throw refuse.notFound('Checklist line', itemId);
  return row;
}

/**
 * Attaches a completed upload made by this same caller (the engine checks office and
 * credential) to a line: it becomes the line's file, the line 'uploaded'. An approved line
 * takes a new file only once it has expired.
 */
export async function attachUploadToLine(em: EntityManager, principal: Principal, input: { dossierId?: string; itemId: string; uploadId: string }, now: Date): Promise<ChecklistLine> {
  await lineFor(em, principal, input.itemId, input.dossierId, false);
  const upload = await completedUploadOf(em, principal, input.uploadId);
  const today = todayInAmsterdam(now);
  await em.transactional(async (tem) => {
    const line = await lineFor(tem, principal, input.itemId, input.dossierId, true);
    if (lineView(line, today).status === 'approved' && line.upload_id !== upload.id) {
      throw refuse.conflict('line-approved', `Line "${line.label}" is approved; a new file is taken once it has expired`);
    }
    await attachChecklistFile(tem, {
      itemId: line.id,
      uploadId: upload.id,
      filename: upload.filename,
      contentType: upload.contentType,
      sizeBytes: upload.sizeBytes,
      sha256: upload.sha256,
      uploadedBy: principal.role === 'client' ? 'client' : 'adviser',
      credentialId: principal.credentialId,
      attachedAt: now,
    });
  });
  const after = await checklistLine(em, input.itemId);
  if (!after) throw refuse.notFound('Checklist line', input.itemId);
  return lineView(after, today);
}

/** Approves the line's current file. Approving it again changes nothing. */
export async function approveLine(em: EntityManager, principal: Principal, input: { dossierId: string; itemId: string }, now: Date): Promise<ChecklistLine> {
  await em.transactional(async (tem) => {
    const line = await lineFor(tem, principal, input.itemId, input.dossierId, true);
    if (!line.file_id) throw refuse.conflict('line-has-no-file', `Line "${line.label}" has no file to approve`);
    if (line.review === 'approved') return;
    if (line.review === 'rejected') throw refuse.conflict('file-rejected', `The file of line "${line.label}" was rejected; a new file can be approved`);
    await reviewChecklistFile(tem, { itemId: line.id, fileId: line.file_id, review: 'approved', reviewedBy: principal.credentialId, reviewedAt: now, rejectionReason: null });
  });
  const after = await checklistLine(em, input.itemId);
  if (!after) throw refuse.notFound('Checklist line', input.itemId);
  return lineView(after, todayInAmsterdam(now));
}

/**
 * Rejects the line's current file with a reason and mails the dossier's applicants about it
 * (template `checklist-rejection`), in one transaction with the outbox row: key
 * `checklist-rejection:<file id>#<person id>`, so rejecting the same file again mails nobody twice.
 * The mail is sent at once when the API has a mailer; what did not go out is delivered later with
 * retries (services/work/mail-delivery.ts).
 */
export async function rejectLine(
  em: EntityManager,
  principal: Principal,
  mail: ChecklistMailDeps | undefined,
  temporal: TemporalDeps,
  input: { dossierId: string; itemId: string; reason: string },
  now: Date,
): Promise<{ line: ChecklistLine; mailIds: string[]; mailsSent: boolean; mailsRetrying: string[] }> {
  const mailFrom = mail?.mailFrom ?? 'dossierflow <noreply@dossierflow.local>';
  const mailIds = await em.transactional(async (tem) => {
    const line = await lineFor(tem, principal, input.itemId, input.dossierId, true);
    if (!line.file_id || !line.filename) throw refuse.conflict('line-has-no-file', `Line "${line.label}" has no file to reject`);
    if (line.review === 'approved') throw refuse.conflict('file-approved', `The file of line "${line.label}" is approved already`);
    const reason = line.review === 'rejected' ? (line.rejection_reason ?? input.reason) : input.reason;
    if (line.review !== 'rejected') {
      await reviewChecklistFile(tem, { itemId: line.id, fileId: line.file_id, review: 'rejected', reviewedBy: principal.credentialId, reviewedAt: now, rejectionReason: reason });
    }
    const ctx = await loadDossierContext(tem, line.dossier_id, line.product_id);
    const template = await loadTemplate(tem, CHECKLIST_REJECTION_TEMPLATE, 'mail');
    const base = contextData(ctx, now);
    const ids: string[] = [];
    for (const recipient of recipientsOf(ctx.applicants, 'applicants', line.dossier_id)) {
      const data = { ...base, recipient: personData(recipient.person), line: { label: line.label }, file: { name: line.filename }, rejection: { reason } };
      const subject = renderOrFail(() => renderTemplate(template.subject ?? '', data, { context: 'text', name: template.key }));
      const bodyText = renderOrFail(() => renderTemplate(template.body, data, { context: 'text', name: template.key }));
      const row = await enqueueMail(
        tem,
        { key: `checklist-rejection:${line.file_id}#${recipient.person.id}`, dossierId: line.dossier_id, productId: line.product_id, template: template.key, toAddress: recipient.person.email ?? '', subject, bodyText },
        mailFrom,
      );
      ids.push(row.id);
    }
    return ids;
  });
  // After the commit: the rejection stands even when the SMTP peer is away. A failed send is
  // recorded on the outbox row (attempts, last error, as /mails shows it) and handed to the
  // durable delivery, which retries; never a refusal of the rejection itself.
  const delivered = await deliverNowOrLater(em, { ...(mail ? { mailer: mail.mailer } : {}), mailFrom, temporal }, mailIds);
  const after = await checklistLine(em, input.itemId);
  if (!after) throw refuse.notFound('Checklist line', input.itemId);
  return { line: lineView(after, todayInAmsterdam(now)), mailIds, mailsSent: delivered.sent.length === mailIds.length, mailsRetrying: delivered.retrying };
}

/** The line's current file for download: its name, type, size and bytes chunk by chunk (never whole in memory). */
export async function lineFile(
  em: EntityManager,
  principal: Principal,
  input: { dossierId?: string; itemId: string },
): Promise<{ filename: string; contentType: string; sizeBytes: number; chunks: AsyncIterable<Buffer> }> {
  const line = await lineFor(em, principal, input.itemId, input.dossierId, false);
  if (!line.upload_id || !line.filename || !line.content_type) throw refuse.notFoundAs('line-has-no-file', `Line "${line.label}" has no file`);
  return { filename: line.filename, contentType: line.content_type, sizeBytes: Number(line.size_bytes ?? 0), chunks: readUploadChunks(em, line.upload_id) };
}

/**
 * Sends the line's current file on to the lender as DX for a DA line of one of the dossier's
 * products asking for the same document kind: the same path as the adviser's own upload for a DA
 * line (services/hdn/lender-documents.ts), which takes PDF, JPEG and PNG only (a HEIC or DOCX is
 * refused 415 before any byte is read). Without a DA line named, exactly one must match.
 */
export async function sendLineToLender(
  em: EntityManager,
  temporal: TemporalDeps,
  principal: Principal,
  input: { dossierId: string; itemId: string; productId?: string | undefined; lineId?: string | undefined },
): Promise<UploadResult & { productId: string; lineId: string }> {
  const line = await lineFor(em, principal, input.itemId, input.dossierId, false);
  if (!line.upload_id || !line.filename || !line.content_type) throw refuse.conflict('line-has-no-file', `Line "${line.label}" has no file to send`);
  if (line.review === 'rejected') throw refuse.conflict('file-rejected', `The file of line "${line.label}" was rejected: it is not sent to the lender`);
  const candidates = matchingLenderLines(line.code, await documentLinesOfDossier(em, line.dossier_id)).filter(
    (l) => (input.productId === undefined || l.product_id === input.productId) && (input.lineId === undefined || l.line_id === input.lineId) && l.status !== DOCUMENT_LINE_APPROVED,
  );
  if (candidates.length === 0) {
    throw refuse.conflict('no-lender-line', `No open DA line of a product of this dossier asks for "${line.label}"`);
  }
  if (candidates.length > 1) {
    throw refuse.conflict('lender-line-ambiguous', `${candidates.length} DA lines ask for "${line.label}": name the product and line`, {
      lenderLines: candidates.map((c) => ({ productId: c.product_id, lineId: c.line_id })),
    });
  }
  const target = candidates[0]!;
  if (!uploadTypes[line.content_type]) {
    throw new DomainError('unsupported-type', 'lender-file-type', `The lender takes ${Object.keys(uploadTypes).join(', ')}; this file is ${line.content_type}. Ask for a PDF.`);
  }
  const bytes = await uploadBytes(em, line.upload_id);
  const sent = await uploadForLine(em, temporal, principal, target.product_id, target.line_id, { bytes, contentType: line.content_type, filename: line.filename });
  return { ...sent, productId: target.product_id, lineId: target.line_id };
}
