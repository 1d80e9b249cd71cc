/**
 * The CRM overview (*CRM | Overzicht*, seed 002: "per component how many there are, which were
 * created or updated last"). Built as a registry: one entry per component, so a new component
 * is one more entry. An entry is either SQL (`source` selects the office's
 * rows as `id, label, created_at, updated_at, link`, with the office id as its only parameter)
 * or a function of its own feature (`load(em, officeId)`). All SQL
 * entries are answered by ONE statement: each source a `not materialized` CTE (inlined, so each
 * count and "latest" uses the tables' own indexes), one row per component.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { isoInstant, rows } from '../../db/sql.js';
import type { CrmOverview, OverviewItem } from './overview.schemas.js';

/** What a component answers: its count and its latest created and latest updated item (null when it has none). */
export interface ComponentOverview {
  count: number;
  latestCreated: OverviewItem | null;
  latestUpdated: OverviewItem | null;
}

interface ComponentBase {
  /** Stable key (the UI and tests find the component by it). */
  key: string;
  /** Dutch label shown on the page. */
  label: string;
}

/** A component as SQL: `source` selects `id, label, created_at, updated_at, link` of the office `?` (one parameter, used once). */
export interface SqlOverviewComponent extends ComponentBase {
  source: string;
}

/** A component that answers for itself (another feature's read model). */
export interface LoadedOverviewComponent extends ComponentBase {
  load: (em: EntityManager, officeId: string) => Promise<ComponentOverview>;
}

export type OverviewComponent = SqlOverviewComponent | LoadedOverviewComponent;

const personName = `concat_ws(' ', p.first_name, nullif(p.infix, ''), p.last_name)`;

/**
 * The components of the CRM overview, in page order. Anonymised persons are no longer
 * relations of the office and are not counted; deleted person files neither.
 */
export const overviewComponents: readonly OverviewComponent[] = [
  {
    key: 'persons',
    label: 'Personen',
    source: `select p.id, ${personName} as label, p.created_at, p.updated_at, '/crm/persons/' || p.id as link
               from persons p where p.office_id = ? and p.anonymised_at is null`,
  },
  {
    key: 'organisations',
    label: 'Organisaties',
    source: `select o.id, o.name as label, o.created_at, o.updated_at, '/crm/organisations/' || o.id as link from organisations o where o.office_id = ?`,
  },
  {
    key: 'dossiers',
    label: 'Dossiers',
    source: `select d.id, 'Dossier ' || d.number as label, d.created_at, d.updated_at, '/dossiers/' || d.id as link from dossiers d where d.office_id = ?`,
  },
  {
    key: 'products',
    label: 'Producten en diensten',
    source: `select x.id, concat_ws(' – ', x.type, x.company, 'dossier ' || d.number) as label, x.created_at, x.updated_at, '/dossiers/' || x.dossier_id as link
               from products x join dossiers d on d.id = x.dossier_id where x.office_id = ?`,
  },
  {
    key: 'notes',
    label: 'Notities',
    source: `select n.id, n.title as label, n.created_at, n.updated_at, '/crm/persons/' || n.person_id as link from crm_notes n where n.office_id = ?`,
  },
  {
    key: 'signals',
    label: 'Signaleringen',
    source: `select s.id, s.title as label, s.created_at, greatest(s.created_at, s.done_at) as updated_at, '/crm/persons/' || s.person_id as link
               from crm_signals s where s.office_id = ?`,
  },
  {
    key: 'person-files',
    label: 'Bestanden (CRM)',
    source: `select f.id, f.filename as label, f.created_at, f.updated_at, '/crm/persons/' || f.person_id as link
               from person_files f where f.office_id = ? and f.deleted_at is null`,
  },
  {
    key: 'documents',
    label: 'Documenten (dossiers)',
    source: `select doc.id, doc.filename as label, doc.created_at, doc.created_at as updated_at, '/dossiers/' || doc.dossier_id as link from documents doc where doc.office_id = ?`,
  },
  {
    key: 'contact-moments',
    label: 'Contactmomenten',
    source: `select c.id, c.channel || coalesce(': ' || left(c.summary, 60), '') as label, c.created_at, c.created_at as updated_at, '/dossiers/' || c.dossier_id as link
               from contact_moments c join dossiers d on d.id = c.dossier_id where d.office_id = ?`,
  },
  {
    key: 'appointments',
    label: 'Afspraken',
    source: `select a.id, a.title as label, a.created_at, a.updated_at, '/dossiers/' || a.dossier_id as link from appointments a where a.office_id = ?`,
  },
  {
    key: 'tasks',
    label: 'Taken',
    source: `select t.id, t.title as label, t.created_at, coalesce(t.completed_at, t.created_at) as updated_at, '/dossiers/' || t.dossier_id as link from tasks t where t.office_id = ?`,
  },
];

const isSql = (c: OverviewComponent): c is SqlOverviewComponent => 'source' in c;

type ItemJson = { id: string; label: string | null; at: string; link: string } | null;

function item(j: ItemJson): OverviewItem | null {
  return j ? { id: j.id, label: j.label ?? '', at: isoInstant(j.at) ?? '', link: j.link } : null;
}

/** The one statement over every SQL component: one row per component (`i` = its place in the list). */
function overviewSql(sources: readonly SqlOverviewComponent[]): string {
  const latest = (cte: string, column: 'created_at' | 'updated_at') =>
    `(select json_build_object('id', x.id, 'label', x.label, 'at', x.${column}, 'link', x.link) from ${cte} x order by x.${column} desc nulls last, x.id desc limit 1)`;
  const ctes = sources.map((c, i) => `c${i} as not materialized (${c.source})`).join(',\n');
  const selects = sources
    .map((_c, i) => `select ${i} as i, (select count(*) from c${i})::int as count, ${latest(`c${i}`, 'created_at')} as latest_created, ${latest(`c${i}`, 'updated_at')} as latest_updated`)
    .join('\nunion all\n');
  return `with ${ctes}\n${selects}`;
}

/**
 * The overview of the office: every component of `components` (the registry by default), in its
 * order. The SQL components in one statement, the others each by their own `load`.
 */
export async function crmOverview(em: EntityManager, officeId: string, components: readonly OverviewComponent[] = overviewComponents): Promise<CrmOverview> {
  const sources = components.filter(isSql);
  const found = sources.length
    ? await rows<{ i: number; count: number; latest_created: ItemJson; latest_updated: ItemJson }>(em, overviewSql(sources), sources.map(() => officeId))
    : [];
  const bySource = new Map(found.map((r) => [sources[Number(r.i)]!, r]));
  const out: CrmOverview['components'] = [];
  for (const c of components) {
    if (isSql(c)) {
      const r = bySource.get(c);
      out.push({ key: c.key, label: c.label, count: Number(r?.count ?? 0), latestCreated: item(r?.latest_created ?? null), latestUpdated: item(r?.latest_updated ?? null) });
    } else {
      out.push({ key: c.key, label: c.label, ...(await c.load(em, officeId)) });
    }
  }
  return { components: out };
}
