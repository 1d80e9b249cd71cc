/**
 * Track & Trace: the office's products across its dossiers with their status, category,
 * maatschappij and age in status (days since the last status change), filtered and paged, with
 * counts per status, category, maatschappij and type. Read-only over the product tables this
 * feature owns; one SQL statement answers the page and the counts together (one snapshot).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { one } from '../../db/sql.js';
import type { StatusCategory } from '../../domain/process/definition.js';
import type { TrackTraceList, TrackTraceQuery } from './track-trace.schemas.js';

const DAY_MS = 86_400_000;

const orderBy: Record<NonNullable<TrackTraceQuery['sort']>, string> = {
  daysInStatus: 'status_since asc, id',
  dossier: 'dossier_number asc, id',
  status: 'category asc, status asc, status_since asc, id',
};

interface ItemJson {
  product_id: string;
  dossier_id: string;
  dossier_number: string;
  client_name: string | null;
  type: string;
  company: string | null;
  status: string;
  status_label: string | null;
  category: StatusCategory;
  status_since: string;
}

type Answer = {
  total: string | number;
  items: ItemJson[];
  by_status: { status: string; status_label: string | null; category: StatusCategory; count: number }[];
  by_category: { category: StatusCategory; count: number }[];
  by_company: { company: string; count: number }[];
  by_type: { type: string; count: number }[];
};

export async function trackAndTrace(em: EntityManager, officeId: string, q: TrackTraceQuery, now = new Date()): Promise<TrackTraceList> {
  const limit = q.limit ?? 50;
  const offset = q.offset ?? 0;
  // Filters that shape the population the counts describe (office, maatschappij, type, age) ...
  const scope: string[] = [];
  const scopeParams: unknown[] = [];
  if (q.company !== undefined) {
    scope.push('company = ?');
    scopeParams.push(q.company);
  }
  if (q.type !== undefined) {
    scope.push('type = ?');
    scopeParams.push(q.type);
  }
  // Age in whole days: a product changed status 36 hours ago has been 1 day in it.
  if (q.minDaysInStatus !== undefined) {
    scope.push('status_since <= ?');
    scopeParams.push(new Date(now.getTime() - q.minDaysInStatus * DAY_MS));
  }
  if (q.maxDaysInStatus !== undefined) {
    scope.push('status_since > ?');
    scopeParams.push(new Date(now.getTime() - (q.maxDaysInStatus + 1) * DAY_MS));
  }
  // ... and those that narrow only the list (the counts keep showing the whole spread).
  const narrow: string[] = [];
  const narrowParams: unknown[] = [];
  if (q.status?.length) {
    narrow.push(`status in (${q.status.map(() => '?').join(', ')})`);
    narrowParams.push(...q.status);
  }
  if (q.category?.length) {
    narrow.push(`category in (${q.category.map(() => '?').join(', ')})`);
    narrowParams.push(...q.category);
  }
  const where = (parts: string[]) => (parts.length ? `where ${parts.join(' and ')}` : '');
  const answer = await one<Answer>(
    em,
    `with base as (
       select p.id, p.dossier_id, d.number as dossier_number, p.type, p.company, p.status, p.category,
              (select s->>'label' from process_definitions pd, jsonb_array_elements(pd.definition->'statuses') s
                where pd.key = p.process_key and pd.version = p.process_version and s->>'code' = p.status limit 1) as status_label,
              -- the last entry that changed the status; a product that never moved counts from its start
              coalesce((select max(h.at) from product_history h where h.product_id = p.id and h.from_status <> h.to_status),
                       p.created_at) as status_since,
              (select nullif(concat_ws(' ', pe.first_name, pe.infix, pe.last_name), '')
                 from dossier_applicants a join persons pe on pe.id = a.person_id
                where a.dossier_id = p.dossier_id order by a.position limit 1) as client_name
         from products p join dossiers d on d.id = p.dossier_id
        where p.office_id = ?
     ),
     scoped as (select * from base ${where(scope)}),
     listed as (select * from scoped ${where(narrow)})
     select
       (select count(*) from listed) as total,
       coalesce((select json_agg(x) from (
         select id as product_id, dossier_id, dossier_number, client_name, type, company, status, status_label, category, status_since
           from listed order by ${orderBy[q.sort ?? 'daysInStatus']} limit ? offset ?) x), '[]') as items,
       coalesce((select json_agg(x order by x.category, x.status) from (
         select status, max(status_label) as status_label, category, count(*)::int as count from scoped group by status, category) x), '[]') as by_status,
       coalesce((select json_agg(x order by x.category) from (
         select category, count(*)::int as count from scoped group by category) x), '[]') as by_category,
       coalesce((select json_agg(x order by x.company) from (
         select company, count(*)::int as count from scoped where company is not null group by company) x), '[]') as by_company,
       coalesce((select json_agg(x order by x.type) from (
         select type, count(*)::int as count from scoped group by type) x), '[]') as by_type`,
    [officeId, ...scopeParams, ...narrowParams, limit, offset],
  );
  if (!answer) throw new Error('track and trace answered no row');
  return {
    total: Number(answer.total),
    limit,
    offset,
    items: answer.items.map((i) => {
      const since = new Date(i.status_since);
      return {
        productId: i.product_id,
        dossierId: i.dossier_id,
        dossierNumber: i.dossier_number,
        clientName: i.client_name,
        type: i.type,
        company: i.company,
        status: i.status,
        statusLabel: i.status_label ?? i.status,
        category: i.category,
        statusSince: since.toISOString(),
        daysInStatus: Math.max(0, Math.floor((now.getTime() - since.getTime()) / DAY_MS)),
      };
    }),
    counts: {
      byStatus: answer.by_status.map((s) => ({ status: s.status, statusLabel: s.status_label ?? s.status, category: s.category, count: s.count })),
      byCategory: answer.by_category,
      byCompany: answer.by_company,
      byType: answer.by_type,
    },
  };
}
