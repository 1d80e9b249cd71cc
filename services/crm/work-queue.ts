/**
 * The work queue (*werkvoorraad*): open tasks of the office merged with the CRM signals whose
 * moment has come (*werkvoorraad | CRM*) and the upcoming appointments (*afspraken*, not
 * cancelled, not yet started; their date and time as Amsterdam wall time). One UNION ALL so paging and ordering are the
 * database's, not a merge of two pages in memory.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { personFullName } from '../../db/entities/index.js';
import type { WorkQueueItem } from './card.schemas.js';
import { isoDate, isoInstant, one, rows, type Row } from '../../db/sql.js';
import { hhmm } from './card.js';
import { signalDueSql, type PersonRow } from './store.js';

interface QueueRow extends Row {
  kind: 'task' | 'signal' | 'appointment';
  id: string;
  title: string;
  due_date: unknown;
  due_time: string | null;
  assignee: string | null;
  dossier_id: string | null;
  person_id: string | null;
  /** The person's name columns; null for a task (it has no person). */
  first_name: PersonRow['first_name'] | null;
  infix: PersonRow['infix'];
  last_name: PersonRow['last_name'] | null;
  created_at: unknown;
}

export async function workQueue(
  em: EntityManager,
  officeId: string,
  filter: { kind?: 'task' | 'signal' | 'appointment' | undefined; assignee?: string | undefined; limit: number; offset: number },
): Promise<{ items: WorkQueueItem[]; total: number }> {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (filter.kind === undefined || filter.kind === 'task') {
    parts.push(`select 'task' as kind, t.id, t.title, t.due_date, null::text as due_time, t.assignee, t.dossier_id, null::uuid as person_id,
                       null::text as first_name, null::text as infix, null::text as last_name, t.created_at
                  from tasks t where t.office_id = ? and t.status = 'open'${filter.assignee ? ' and t.assignee = ?' : ''}`);
    params.push(officeId, ...(filter.assignee ? [filter.assignee] : []));
  }
  // Appointments belong to an adviser: shown unfiltered and under the adviser's queue.
  if ((filter.kind === undefined || filter.kind === 'appointment') && filter.assignee !== 'backoffice') {
    parts.push(`select 'appointment' as kind, a.id, 'Afspraak: ' || a.title as title, (a.starts_at at time zone 'Europe/Amsterdam')::date as due_date,
                       to_char(a.starts_at at time zone 'Europe/Amsterdam', 'HH24:MI') as due_time, c.name as assignee, a.dossier_id,
                       p.id as person_id, p.first_name, p.infix, p.last_name, a.created_at
                  from appointments a
                  left join api_credentials c on c.id = a.adviser_credential_id
                  left join dossier_applicants da on da.dossier_id = a.dossier_id and da.position = 1
                  left join persons p on p.id = da.person_id
                 where a.office_id = ? and a.status <> 'cancelled' and a.starts_at > now()`);
    params.push(officeId);
  }
  // Signals have no assignee: a queue filtered on an assignee shows only that assignee's tasks.
  if ((filter.kind === undefined || filter.kind === 'signal') && !filter.assignee) {
    parts.push(`select 'signal' as kind, s.id, s.title, s.due_date, s.due_time::text as due_time, null::text as assignee, null::uuid as dossier_id,
                       s.person_id, p.first_name, p.infix, p.last_name, s.created_at
                  from crm_signals s join persons p on p.id = s.person_id where s.office_id = ? and ${signalDueSql('s')}`);
    params.push(officeId);
  }
  if (parts.length === 0) return { items: [], total: 0 };
  const union = parts.join(' union all ');
  const total = await one<{ n: number }>(em, `select count(*)::int as n from (${union}) q`, params);
  const found = await rows<QueueRow>(
    em,
    `select * from (${union}) q order by due_date asc nulls last, due_time asc nulls first, created_at, id limit ? offset ?`,
    [...params, filter.limit, filter.offset],
  );
  return {
    total: Number(total?.n ?? 0),
    items: found.map((r) => ({
      kind: r.kind,
      id: r.id,
      title: r.title,
      dueDate: isoDate(r.due_date),
      dueTime: hhmm(r.due_time),
      assignee: r.assignee,
      dossierId: r.dossier_id,
      personId: r.person_id,
      personName: r.last_name === null ? null : personFullName({ firstName: r.first_name ?? '', infix: r.infix, lastName: r.last_name }),
      createdAt: isoInstant(r.created_at) ?? '',
      href: r.kind === 'signal' ? `/persons/${r.person_id ?? ''}/card` : `/dossiers/${r.dossier_id ?? ''}`,
    })),
  };
}
