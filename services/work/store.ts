/**
 * The one writer of a dossier's work items: `tasks` (the work queue), `documents` (PDFs and
 * uploads, content as bytea), `mails` (the outbox), `checklists` + `checklist_items` (the
 * client's *stukkenlijst*) and `contact_moments` (*contactmomenten*).
 *
 * Everything written from a process is idempotent on a unique `key` made by the caller
 * (a workflow's action key, an invoice's document key, an upload's content hash): a second
 * write with the same key changes nothing and answers the first row.
 */
import { createHash } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Checklist, ChecklistItem, type ContactMoment, type Document, Mail, type MailAttachment, type Task, type MailStatus } from '../../db/entities/index.js';
import { newId } from '../../db/ids.js';
import type { ChecklistItemStatus, ChecklistUploader, TaskAssignee } from '../../domain/work/items.js';
import { one, pgArray } from '../../db/sql.js';
import { REDACTED, REDACTED_EMAIL } from '../privacy/scrub.js';
import { affectedRows, inList, scrubRows, type DossierScope } from '../privacy/scrub-rows.js';
import { notifyLive } from '../live/notify.js';

export const ownedTables = ['tasks', 'documents', 'mails', 'checklists', 'checklist_items', 'checklist_item_files', 'contact_moments'] as const;

export type {
  Task as TaskRecord,
  Document as DocumentRecord,
  Mail as MailRecord,
  MailStatus,
  Checklist as ChecklistRecord,
  ChecklistItem as ChecklistItemRecord,
  ContactMoment as ContactMomentRecord,
};

async function idByKey(em: EntityManager, table: (typeof ownedTables)[number], key: string): Promise<string> {
  const row = await one<{ id: string }>(em, `select id from ${table} where key = ?`, [key]);
  if (!row) throw new Error(`${table} row ${key} vanished after its insert`);
  return row.id;
}

// ------------------------------------------------------------------ tasks

export interface NewTask {
  key: string;
  officeId: string;
  dossierId: string;
  productId: string | null;
  title: string;
  assignee: TaskAssignee;
  /** YYYY-MM-DD (Europe/Amsterdam). */
  dueDate: string | null;
  createdAt: Date;
}

/** An open task, once per key; returns the id of the task with that key. */
export async function insertTaskOnce(em: EntityManager, task: NewTask): Promise<string> {
  const [inserted] = await em.execute<{ id: string }[]>(
    `insert into tasks (id, key, office_id, dossier_id, product_id, title, assignee, due_date, status, created_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, 'open', ?) on conflict (key) do nothing returning id`,
    [newId(), task.key, task.officeId, task.dossierId, task.productId, task.title, task.assignee, task.dueDate, task.createdAt],
  );
  if (inserted) {
    await notifyLive(em, { kind: 'task', id: inserted.id, officeId: task.officeId, dossierId: task.dossierId, productId: task.productId });
    return inserted.id;
  }
  return idByKey(em, 'tasks', task.key);
}

/** One open back-office task per dossier (key `<keyPrefix><dossier id>`), skipping keys made before. Returns how many are new. */
export async function insertBackofficeTasks(
  em: EntityManager,
  input: { officeId: string; keyPrefix: string; title: string; dueDate: string | null; dossierIds: readonly string[] },
): Promise<number> {
  if (input.dossierIds.length === 0) return 0;
  const result = (await em.execute(
    `insert into tasks (id, key, office_id, dossier_id, product_id, title, assignee, due_date, status, created_at)
     select gen_random_uuid(), ? || d::text, ?, d, null, ?, 'backoffice', ?::date, 'open', now()
       from unnest(?::uuid[]) d
     on conflict (key) do nothing`,
    [input.keyPrefix, input.officeId, input.title, input.dueDate, `{${input.dossierIds.join(',')}}`],
    'run',
  )) as { affectedRows?: number };
  return Number(result.affectedRows ?? 0);
}

// ------------------------------------------------------------------ documents

export interface NewDocument {
  key: string;
  officeId: string;
  dossierId: string;
  productId: string | null;
  documentType: string;
  filename: string;
  contentType: string;
  content: Uint8Array;
  createdAt?: Date;
}

/** A document, once per key (size and sha256 computed here); returns the id of the document with that key. */
export async function insertDocumentOnce(em: EntityManager, doc: NewDocument): Promise<string> {
  const content = Buffer.from(doc.content);
  const [inserted] = await em.execute<{ id: string }[]>(
    `insert into documents (id, key, office_id, dossier_id, product_id, document_type, filename, content_type, size_bytes, sha256, content, created_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (key) do nothing returning id`,
    [
      newId(),
      doc.key,
      doc.officeId,
      doc.dossierId,
      doc.productId,
      doc.documentType,
      doc.filename,
      doc.contentType,
      content.length,
      createHash('sha256').update(content).digest('hex'),
      content,
      doc.createdAt ?? new Date(),
    ],
  );
  // Nothing inserted: stored before (or by a concurrent attempt that committed first).
  return inserted?.id ?? idByKey(em, 'documents', doc.key);
}

/**
 * Many documents at once (one statement, one round trip), each once per key: rows whose key is
 * stored already are left as they are. Returns the ids stored under the given keys, by key
 * (new or earlier), so a retried batch finds its documents.
 */
export async function insertDocumentsOnce(em: EntityManager, docs: readonly NewDocument[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (docs.length === 0) return out;
  const params: unknown[] = [];
  const values: string[] = [];
  const now = new Date();
  for (const doc of docs) {
    const content = Buffer.from(doc.content.buffer, doc.content.byteOffset, doc.content.byteLength);
    values.push('(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    params.push(newId(), doc.key, doc.officeId, doc.dossierId, doc.productId, doc.documentType, doc.filename, doc.contentType,
      content.length, createHash('sha256').update(content).digest('hex'), content, doc.createdAt ?? now);
  }
  await em.execute(
    `insert into documents (id, key, office_id, dossier_id, product_id, document_type, filename, content_type, size_bytes, sha256, content, created_at)
     values ${values.join(', ')} on conflict (key) do nothing`,
    params as never[],
    'run',
  );
  const found = await em.execute<{ id: string; key: string }[]>('select id, key from documents where key = any(?::text[])', [pgArray(docs.map((d) => d.key))] as never[]);
  for (const r of found) out.set(r.key, r.id);
  return out;
}

/** The id of the document stored under `key`, if any. */
export async function documentIdByKey(em: EntityManager, key: string): Promise<string | undefined> {
  return (await one<{ id: string }>(em, 'select id from documents where key = ?', [key]))?.id;
}

// ------------------------------------------------------------------ mails (the outbox)

/** A mail for the outbox, rendered: one recipient, its idempotency key. */
export interface OutboxMail {
  key: string;
  dossierId: string;
  productId: string | null;
  template: string;
  toAddress: string;
  subject: string;
  bodyText: string;
  /** Attachments sent with it (e.g. an appointment's .ics); absent or empty: none. */
  attachments?: MailAttachment[];
}

export interface NewMail extends OutboxMail {
  /** Deterministic Message-ID, derived from the key. */
  messageId: string;
}

/** The `attachments` column's value: null for none (the column refuses an empty array). */
function attachmentsJson(attachments: readonly MailAttachment[] | undefined): string | null {
  return attachments && attachments.length > 0 ? JSON.stringify(attachments) : null;
}

/** Writes the outbox row (status pending) unless one with the key exists. */
export async function insertMailOnce(em: EntityManager, mail: NewMail): Promise<void> {
  await em.execute(
    `insert into mails (id, key, dossier_id, product_id, template, to_address, subject, body_text, status, message_id, attempts, attachments, created_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, 0, ?::jsonb, now()) on conflict (key) do nothing`,
    [newId(), mail.key, mail.dossierId, mail.productId, mail.template, mail.toAddress, mail.subject, mail.bodyText, mail.messageId, attachmentsJson(mail.attachments)],
  );
}

/** Many outbox rows at once (status pending), each unless one with its key exists. */
export async function insertMailsOnce(em: EntityManager, mails: readonly NewMail[]): Promise<void> {
  if (mails.length === 0) return;
  const params: unknown[] = [];
  const values: string[] = [];
  for (const m of mails) {
    values.push("(?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, 0, ?::jsonb, now())");
    params.push(newId(), m.key, m.dossierId, m.productId, m.template, m.toAddress, m.subject, m.bodyText, m.messageId, attachmentsJson(m.attachments));
  }
  await em.execute(
    `insert into mails (id, key, dossier_id, product_id, template, to_address, subject, body_text, status, message_id, attempts, attachments, created_at)
     values ${values.join(', ')} on conflict (key) do nothing`,
    params as never[],
    'run',
  );
}

/** An outbox row as a batch send reads it (snake_case, raw SQL). */
export interface OutboxRow {
  id: string;
  key: string;
  status: MailStatus;
  to_address: string;
  subject: string;
  body_text: string;
  template: string;
  message_id: string;
  attempts: number;
  last_error: string | null;
  attachments: MailAttachment[] | null;
}

/**
 * The advisory lock of a mail's key. Every sender takes it before it reads a row's status and
 * sends: a batch sender as a session lock (below), a single send as a transaction lock
 * (lockMailKey); both kinds exclude each other in PostgreSQL.
 */
const mailKeyLock = (keyExpr: string): string => `hashtextextended('mails:' || ${keyExpr}, 0)`;

/** Takes the advisory lock of the mail's key for the caller's transaction (waits while another sender holds it). */
export async function lockMailKey(tem: EntityManager, by: { id: string } | { key: string }): Promise<void> {
  if ('key' in by) await tem.execute(`select pg_advisory_xact_lock(${mailKeyLock('?')})`, [by.key]);
  else await tem.execute(`select pg_advisory_xact_lock(${mailKeyLock('key')}) from mails where id = ?`, [by.id]);
}

/** A database connection of its own, outside any transaction (every statement commits by itself). */
interface RawConnection {
  query<R>(text: string, values?: unknown[]): Promise<{ rows: R[] }>;
}

/**
 * Claims on outbox rows, held by one database session outside any transaction, so that what a
 * sender writes commits at once while its claims stay held. A claim is a session-level advisory
 * lock on the mail's key: no other sender (batch or single) sends that row while it is held,
 * and PostgreSQL drops it with the session when the process dies (kill -9), so a retry finds the
 * row free at once, with every mail the dead attempt had marked sent.
 */
export interface MailClaimSession {
  /** Claims the free keys (held ones are skipped) and answers their rows as they are now. */
  claim(keys: readonly string[]): Promise<OutboxRow[]>;
  /** Of these keys, the ones sent already (a sent row stays sent, so no claim is needed to know). */
  sentAmong(keys: readonly string[]): Promise<string[]>;
  /** Marks accepted rows sent; commits before it answers. */
  markSent(ids: readonly string[], sentAt: Date): Promise<void>;
  /** Records a failed attempt of a claimed row; commits before it answers. */
  recordAttempt(id: string, outcome: { status: MailStatus; attempts: number; lastError: string }): Promise<void>;
  /** Gives the claims on these keys up. */
  release(keys: readonly string[]): Promise<void>;
  /** Gives every claim up and returns the connection. */
  close(): Promise<void>;
}

export async function openMailClaimSession(em: EntityManager): Promise<MailClaimSession> {
  // The knex client's own pool: the connection comes back to it, like any the ORM uses.
  const client = em.getConnection().getKnex().client as { acquireConnection(): Promise<RawConnection>; releaseConnection(c: RawConnection): Promise<void> };
  const conn = await client.acquireConnection();
  const run = async <R>(text: string, values: unknown[]): Promise<R[]> => (await conn.query<R>(text, values)).rows;
  return {
    async claim(keys) {
      if (keys.length === 0) return [];
      const held = await run<{ k: string }>(`select k from unnest($1::text[]) as k where pg_try_advisory_lock(${mailKeyLock('k')})`, [keys]);
      if (held.length === 0) return [];
      // Read after the lock: a sender that held it before has committed all it marked.
      return run<OutboxRow>(
        `select id, key, status, to_address, subject, body_text, template, message_id, attempts, last_error, attachments
           from mails where key = any($1::text[]) order by key`,
        [held.map((h) => h.k)],
      );
    },
    async sentAmong(keys) {
      if (keys.length === 0) return [];
      return (await run<{ key: string }>(`select key from mails where key = any($1::text[]) and status = 'sent'`, [keys])).map((r) => r.key);
    },
    async markSent(ids, sentAt) {
      if (ids.length === 0) return;
      await run(`update mails set status = 'sent', attempts = attempts + 1, sent_at = $1, last_error = null where id = any($2::uuid[])`, [sentAt, ids]);
    },
    async recordAttempt(id, outcome) {
      await run('update mails set status = $1, attempts = $2, last_error = $3 where id = $4', [outcome.status, outcome.attempts, outcome.lastError, id]);
    },
    async release(keys) {
      if (keys.length > 0) await run(`select pg_advisory_unlock(${mailKeyLock('k')}) from unnest($1::text[]) as k`, [keys]);
    },
    async close() {
      try {
        await run('select pg_advisory_unlock_all()', []);
      } finally {
        await client.releaseConnection(conn);
      }
    },
  };
}

/** The outbox row with the key. */
export async function mailByKey(em: EntityManager, key: string): Promise<Mail> {
  return em.findOneOrFail(Mail, { key });
}

/** The outbox row, locked for the caller's transaction (two attempts of one mail never send at once). */
export async function lockMail(tem: EntityManager, by: { id: string } | { key: string }): Promise<Mail> {
  return tem.findOneOrFail(Mail, by, { lockMode: LockMode.PESSIMISTIC_WRITE });
}

/** The outcome of one send attempt of a locked row. */
export async function recordMailAttempt(
  tem: EntityManager,
  id: string,
  outcome: { status: MailStatus; attempts: number; sentAt: Date | null; lastError: string | null },
): Promise<void> {
  await tem.execute('update mails set status = ?, attempts = ?, sent_at = ?, last_error = ? where id = ?', [
    outcome.status,
    outcome.attempts,
    outcome.sentAt,
    outcome.lastError,
    id,
  ]);
}

// ------------------------------------------------------------------ checklists (*stukkenlijst*)

/** The checklist with its lines, once per key (one transaction: the lines come with it or not at all). */
export async function insertChecklistOnce(
  tem: EntityManager,
  input: { key: string; dossierId: string; productId: string; profile: string; items: readonly { code: string; label: string }[]; createdAt: Date },
): Promise<{ checklistId: string; items: number }> {
  const checklistId = newId();
  const inserted = (await tem.execute(
    `insert into checklists (id, key, dossier_id, product_id, profile, created_at) values (?, ?, ?, ?, ?, ?) on conflict (key) do nothing`,
    [checklistId, input.key, input.dossierId, input.productId, input.profile, input.createdAt],
    'run',
  )) as { affectedRows?: number };
  if ((inserted.affectedRows ?? 0) > 0) {
    await tem.insertMany(
      ChecklistItem,
      input.items.map((item, i) => ({ id: newId(), checklistId, position: i + 1, code: item.code, label: item.label, status: 'requested' as const })),
    );
  }
  const checklist = await tem.findOneOrFail(Checklist, { key: input.key });
  return { checklistId: checklist.id, items: await tem.count(ChecklistItem, { checklistId: checklist.id }) };
}

/** A checklist line as the checklist views read it, with its current file (if any). */
export type ChecklistLineRow = {
  id: string;
  checklist_id: string;
  product_id: string;
  profile: string;
  dossier_id: string;
  office_id: string;
  position: number;
  code: string;
  label: string;
  status: ChecklistItemStatus;
  file_id: string | null;
  upload_id: string | null;
  filename: string | null;
  content_type: string | null;
  size_bytes: number | null;
  uploaded_by: ChecklistUploader | null;
  credential_id: string | null;
  attached_at: Date | null;
  review: 'approved' | 'rejected' | null;
  reviewed_by: string | null;
  reviewed_at: Date | null;
  rejection_reason: string | null;
  reviewer_name: string | null;
};

const lineSelect = `select i.id, i.checklist_id, c.product_id, c.profile, c.dossier_id, d.office_id, i.position, i.code, i.label, i.status,
    f.id as file_id, f.upload_id, f.filename, f.content_type, f.size_bytes, f.uploaded_by, f.credential_id, f.attached_at,
    f.review, f.reviewed_by, f.reviewed_at, f.rejection_reason, rc.name as reviewer_name
  from checklist_items i
  join checklists c on c.id = i.checklist_id
  join dossiers d on d.id = c.dossier_id
  left join checklist_item_files f on f.id = i.current_file_id
  left join api_credentials rc on rc.id = f.reviewed_by`;

/** Every checklist line of a dossier (all its products' checklists), in checklist then line order. */
export async function checklistLinesOfDossier(em: EntityManager, dossierId: string): Promise<ChecklistLineRow[]> {
  return em.execute<ChecklistLineRow[]>(`${lineSelect} where c.dossier_id = ? order by c.created_at, c.id, i.position`, [dossierId]);
}

/** One checklist line with its dossier and office (callers check both); `forUpdate` locks the line for a change. */
export async function checklistLine(em: EntityManager, itemId: string, forUpdate = false): Promise<ChecklistLineRow | undefined> {
  return one<ChecklistLineRow>(em, `${lineSelect} where i.id = ?${forUpdate ? ' for update of i' : ''}`, [itemId]);
}

export interface NewChecklistFile {
  itemId: string;
  uploadId: string;
  filename: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  uploadedBy: ChecklistUploader;
  credentialId: string;
  attachedAt: Date;
}

/**
 * Attaches a file to a line (the caller holds the line's lock): it becomes the line's current
 * file and the line 'uploaded'. The same upload on the same line again is the same attachment
 * (one row); it is made current again only if it has not been reviewed since.
 */
export async function attachChecklistFile(tem: EntityManager, f: NewChecklistFile): Promise<string> {
  await tem.execute(
    `insert into checklist_item_files (id, item_id, upload_id, filename, content_type, size_bytes, sha256, uploaded_by, credential_id, attached_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (item_id, upload_id) do nothing`,
    [newId(), f.itemId, f.uploadId, f.filename, f.contentType, f.sizeBytes, f.sha256, f.uploadedBy, f.credentialId, f.attachedAt],
  );
  const file = await one<{ id: string; review: string | null }>(tem, 'select id, review from checklist_item_files where item_id = ? and upload_id = ?', [f.itemId, f.uploadId]);
  if (!file) throw new Error(`checklist file ${f.itemId}/${f.uploadId} vanished after its insert`);
  if (file.review === null) {
    await tem.execute(`update checklist_items set current_file_id = ?, status = 'uploaded' where id = ?`, [file.id, f.itemId]);
  }
  return file.id;
}

/** Records the review of the line's current file and the line's status (the caller holds the line's lock). */
export async function reviewChecklistFile(
  tem: EntityManager,
  r: { itemId: string; fileId: string; review: 'approved' | 'rejected'; reviewedBy: string; reviewedAt: Date; rejectionReason: string | null },
): Promise<void> {
  await tem.execute('update checklist_item_files set review = ?, reviewed_by = ?, reviewed_at = ?, rejection_reason = ? where id = ? and item_id = ?', [
    r.review,
    r.reviewedBy,
    r.reviewedAt,
    r.rejectionReason,
    r.fileId,
    r.itemId,
  ]);
  await tem.execute('update checklist_items set status = ? where id = ? and current_file_id = ?', [r.review, r.itemId, r.fileId]);
}

export type ChecklistFileRow = {
  [K in 'file_id' | 'upload_id' | 'filename' | 'content_type' | 'size_bytes' | 'uploaded_by' | 'credential_id' | 'attached_at' | 'review' | 'reviewed_by' | 'reviewed_at' | 'rejection_reason']: NonNullable<ChecklistLineRow[K]>;
} & { review: ChecklistLineRow['review']; reviewed_by: string | null; reviewed_at: Date | null; rejection_reason: string | null };

/** Every file ever attached to these lines, newest first (the lines' history). */
export async function checklistFilesOf(em: EntityManager, itemIds: readonly string[]): Promise<(ChecklistFileRow & { item_id: string })[]> {
  if (itemIds.length === 0) return [];
  return em.execute(
    `select item_id, id as file_id, upload_id, filename, content_type, size_bytes, uploaded_by, credential_id, attached_at, review, reviewed_by, reviewed_at, rejection_reason
       from checklist_item_files where item_id = any(?::uuid[]) order by attached_at desc, id`,
    [pgArray(itemIds)] as never[],
  );
}

// ------------------------------------------------------------------ contact moments

export interface NewContactMoment {
  key: string;
  dossierId: string;
  productId: string;
  at: Date;
  actor: string;
  channel: string;
  summary: string | null;
  createdAt: Date;
}

/** A contact moment, once per key; returns the id of the moment with that key. */
export async function insertContactMomentOnce(em: EntityManager, moment: NewContactMoment): Promise<string> {
  await em.execute(
    `insert into contact_moments (id, key, dossier_id, product_id, at, actor, channel, summary, created_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (key) do nothing`,
    [newId(), moment.key, moment.dossierId, moment.productId, moment.at, moment.actor, moment.channel, moment.summary, moment.createdAt],
  );
  return idByKey(em, 'contact_moments', moment.key);
}

// ------------------------------------------------------------------ anonymisation (GDPR, services/privacy/anonymise.ts)

/**
 * Mails to the person's address, or in a dossier that is only theirs: redacted whole; in a
 * shared dossier: their identifiers replaced. The rows stay (reminder executions refer to
 * mails). Returns the rows changed.
 */
export async function anonymiseMails(tem: EntityManager, scope: DossierScope, email: string | null, needles: string[]): Promise<number> {
  const sole = inList(scope.sole);
  const shared = inList(scope.shared);
  const own = { sql: `(dossier_id in ${sole.sql} or (? ::text is not null and lower(to_address) = lower(?)))`, params: [...sole.params, email, email] };
  const redacted = await affectedRows(
    tem,
    `update mails set to_address = ?, subject = ?, body_text = ?, last_error = null, attachments = null where ${own.sql} and to_address <> ?`,
    [REDACTED_EMAIL, REDACTED, REDACTED, ...own.params, REDACTED_EMAIL],
  );
  const scrubbed = await scrubRows(
    tem,
    'mails',
    'id',
    [
      { name: 'to_address', kind: 'text', notNull: true },
      { name: 'subject', kind: 'text', notNull: true },
      { name: 'body_text', kind: 'text', notNull: true },
      { name: 'last_error', kind: 'text' },
      // An appointment's .ics names its attendees (and the place).
      { name: 'attachments', kind: 'jsonb' },
    ],
    { sql: `dossier_id in ${shared.sql}`, params: shared.params },
    needles,
  );
  return redacted + scrubbed;
}

/**
 * Documents of a dossier that is only theirs: deleted, except what the tax authority needs
 * (invoice PDFs and reminder letters, AWR art. 52); file names of all their dossiers' documents
 * scrubbed. Returns the rows deleted or changed.
 */
export async function anonymiseDocuments(tem: EntityManager, scope: DossierScope, needles: string[]): Promise<number> {
  const sole = inList(scope.sole);
  const all = inList(scope.all);
  const deleted = await affectedRows(
    tem,
    `delete from documents d where d.dossier_id in ${sole.sql}
       and not exists (select 1 from invoices i where i.pdf_document_id = d.id)
       and not exists (select 1 from reminder_executions r where r.document_id = d.id)`,
    sole.params,
  );
  const scrubbed = await scrubRows(tem, 'documents', 'id', [{ name: 'filename', kind: 'text', notNull: true }], { sql: `dossier_id in ${all.sql}`, params: all.params }, needles);
  return deleted + scrubbed;
}

/** Contact moment summaries: redacted whole in a dossier that is only theirs, their identifiers replaced in a shared one. */
export async function anonymiseContactMoments(tem: EntityManager, scope: DossierScope, needles: string[]): Promise<number> {
  const sole = inList(scope.sole);
  const shared = inList(scope.shared);
  const summary = [{ name: 'summary', kind: 'text' as const }];
  return (
    (await scrubRows(tem, 'contact_moments', 'id', summary, { sql: `dossier_id in ${sole.sql}`, params: sole.params }, [], 'redact')) +
    (await scrubRows(tem, 'contact_moments', 'id', summary, { sql: `dossier_id in ${shared.sql}`, params: shared.params }, needles))
  );
}

/** Task titles of their dossiers: their identifiers replaced. */
export async function anonymiseTasks(tem: EntityManager, scope: DossierScope, needles: string[]): Promise<number> {
  const all = inList(scope.all);
  return scrubRows(tem, 'tasks', 'id', [{ name: 'title', kind: 'text', notNull: true }], { sql: `dossier_id in ${all.sql}`, params: all.params }, needles);
}

/**
 * The files of their dossiers' checklist lines: their identifiers replaced in the file names,
 * and every rejection reason redacted whole (free text the adviser wrote to the client, so it
 * may say anything about them; the review itself, who and when, stays).
 */
export async function anonymiseChecklistFiles(tem: EntityManager, scope: DossierScope, needles: string[]): Promise<number> {
  const all = inList(scope.all);
  const where = { sql: `item_id in (select i.id from checklist_items i join checklists c on c.id = i.checklist_id where c.dossier_id in ${all.sql})`, params: all.params };
  const names = await scrubRows(tem, 'checklist_item_files', 'id', [{ name: 'filename', kind: 'text', notNull: true }], where, needles);
  const reasons = await affectedRows(tem, `update checklist_item_files set rejection_reason = ? where rejection_reason is not null and ${where.sql}`, [REDACTED, ...where.params]);
  return names + reasons;
}

/** Checklist item labels of their dossiers: their identifiers replaced. */
export async function anonymiseChecklistItems(tem: EntityManager, scope: DossierScope, needles: string[]): Promise<number> {
  const all = inList(scope.all);
  return scrubRows(
    tem,
    'checklist_items',
    'id',
    [{ name: 'label', kind: 'text', notNull: true }],
    { sql: `checklist_id in (select id from checklists where dossier_id in ${all.sql})`, params: all.params },
    needles,
  );
}
