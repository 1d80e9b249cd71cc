/** Tasks (*taken*) of the work queue: the ones a process creates, and the task list as advisers read it. */
import type { EntityManager } from '@mikro-orm/postgresql';
import { Dossier } from '../../db/entities/index.js';
import { isoDate, isoInstant, rows, type Row } from '../../db/sql.js';
import { refuse } from '../../domain/errors.js';
import type { CreateTaskInput } from '../../domain/products/side-effects.js';
import type { TaskItem } from '../dossiers/schemas.js';
import { insertTaskOnce } from './store.js';

/** A task for the dossier's office, once per key; refused `not-found` when the dossier is gone. */
export async function createTask(em: EntityManager, input: CreateTaskInput, now: Date): Promise<{ taskId: string }> {
  const dossier = await em.findOne(Dossier, { id: input.dossierId });
  if (!dossier) throw refuse.notFound('dossier', input.dossierId);
  const taskId = await insertTaskOnce(em, {
    key: input.key,
    officeId: dossier.officeId,
    dossierId: input.dossierId,
    productId: input.productId,
    title: input.title,
    assignee: input.assignee,
    dueDate: input.dueDate ?? null,
    createdAt: now,
  });
  return { taskId };
}

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

/** The columns and order of a task list (also used by the dossier detail, services/dossiers/dossiers.ts). */
export const taskColumns = 'id, dossier_id, product_id, title, assignee, due_date, status, created_at, completed_at';
export const taskOrder = 'due_date asc nulls last, created_at asc, id';

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
  const found = await rows<TaskRow>(em, `select ${taskColumns} from tasks where ${where} order by ${taskOrder} limit ? offset ?`, [...params, filter.limit, filter.offset]);
  return { total: Number(count?.n ?? 0), items: found.map(taskItem) };
}

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
