/** Read models that activities keep current: tasks, documents, mails. Scoped to the office. */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { DocumentSummary, MailItem, TaskItem } from '../dossiers/schemas.js';
import { isoDate, isoInstant, rows, type Row } from '../../db/sql.js';

export interface TaskRow extends Row {
  id: string;
  dossier_id: string;
  product_id: string | null;
  title: string;
  assignee: string;
  due_date: unknown;
  status: string;
  created_at: unknown;
  completed_at: unknown;
}

export async function listTasks(
  em: EntityManager,
  officeId: string,
  filter: { status?: string | undefined; dossierId?: string | undefined; assignee?: string | undefined; limit: number; offset: number },
): Promise<{ items: TaskItem[]; total: number }> {
  let where = 'office_id = ?';
  const params: unknown[] = [officeId];
  if (filter.status) {
    where += ' and status = ?';
    params.push(filter.status);
  }
  if (filter.dossierId) {
    where += ' and dossier_id = ?';
    params.push(filter.dossierId);
  }
  if (filter.assignee) {
    where += ' and assignee = ?';
    params.push(filter.assignee);
  }
  const [count] = await rows<{ n: string }>(em, `select count(*) as n from tasks where ${where}`, params);
  const found = await rows<TaskRow>(
    em,
    `select ${taskColumns} from tasks where ${where} order by ${taskOrder} limit ? offset ?`,
    [...params, filter.limit, filter.offset],
  );
  return {
    total: Number(count?.n ?? 0),
    items: found.map(taskItem),
  };
}

/** The columns and order of a task list (also used by the dossier detail, services/dossiers/dossiers.ts). */
export const taskColumns = 'id, dossier_id, product_id, title, assignee, due_date, status, created_at, completed_at';
export const taskOrder = 'due_date asc nulls last, created_at asc, id';

export function taskItem(r: TaskRow): TaskItem {
  return {
    id: r.id,
    dossierId: r.dossier_id,
    productId: r.product_id,
    title: r.title,
    assignee: r.assignee,
    dueDate: isoDate(r.due_date),
    status: r.status,
    createdAt: isoInstant(r.created_at) ?? '',
    completedAt: isoInstant(r.completed_at),
  };
}

export interface DocumentRow extends Row {
  id: string;
  product_id: string | null;
  document_type: string;
  filename: string;
  content_type: string;
  size_bytes: number;
  created_at: unknown;
}

export async function listDocuments(em: EntityManager, officeId: string, dossierId: string): Promise<DocumentSummary[]> {
  const found = await rows<DocumentRow>(
    em,
    `select ${documentColumns} from documents where office_id = ? and dossier_id = ? order by created_at, id`,
    [officeId, dossierId],
  );
  return found.map(documentSummary);
}

export const documentColumns = 'id, product_id, document_type, filename, content_type, size_bytes, created_at';

export function documentSummary(r: DocumentRow): DocumentSummary {
  return {
    id: r.id,
    productId: r.product_id,
    documentType: r.document_type,
    filename: r.filename,
    contentType: r.content_type,
    sizeBytes: Number(r.size_bytes),
    createdAt: isoInstant(r.created_at) ?? '',
    href: `/documents/${r.id}`,
  };
}

export async function getDocumentContent(
  em: EntityManager,
  officeId: string,
  id: string,
): Promise<{ filename: string; contentType: string; content: Buffer; sha256: string } | undefined> {
  const [r] = await rows<{ filename: string; content_type: string; content: Buffer; sha256: string }>(
    em,
    'select filename, content_type, content, sha256 from documents where office_id = ? and id = ?',
    [officeId, id],
  );
  if (!r) return undefined;
  return { filename: r.filename, contentType: r.content_type, content: Buffer.from(r.content), sha256: r.sha256 };
}

export interface MailRow extends Row {
  id: string;
  dossier_id: string;
  product_id: string | null;
  template: string;
  to_address: string;
  subject: string;
  status: string;
  created_at: unknown;
  sent_at: unknown;
}

/** Mails of the office (mails carry no office id: scoped through their dossier). */
export async function listMails(
  em: EntityManager,
  officeId: string,
  filter: { dossierId?: string | undefined; limit: number; offset: number },
): Promise<{ items: MailItem[]; total: number }> {
  let where = 'd.office_id = ?';
  const params: unknown[] = [officeId];
  if (filter.dossierId) {
    where += ' and m.dossier_id = ?';
    params.push(filter.dossierId);
  }
  const [count] = await rows<{ n: string }>(em, `select count(*) as n from mails m join dossiers d on d.id = m.dossier_id where ${where}`, params);
  const found = await rows<MailRow>(
    em,
    `select m.id, m.dossier_id, m.product_id, m.template, m.to_address, m.subject, m.status, m.created_at, m.sent_at
     from mails m join dossiers d on d.id = m.dossier_id where ${where} order by m.created_at, m.id limit ? offset ?`,
    [...params, filter.limit, filter.offset],
  );
  return {
    total: Number(count?.n ?? 0),
    items: found.map(mailItem),
  };
}

export function mailItem(r: MailRow): MailItem {
  return {
    id: r.id,
    dossierId: r.dossier_id,
    productId: r.product_id,
    template: r.template,
    toAddress: r.to_address,
    subject: r.subject,
    status: r.status,
    createdAt: isoInstant(r.created_at) ?? '',
    sentAt: isoInstant(r.sent_at),
  };
}
