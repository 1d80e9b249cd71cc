/**
 * Track & Trace: the office's products across dossiers by status, category, maatschappij
 * (geldverstrekker/verzekeraar) and age in status (dagen in status), with counts per status and
 * category, filters, paging and a link to each product's dossier.
 */
import { useState, type FormEvent } from 'react';
import { get, query } from '../api';
import { ErrorAlert, Loading } from '../components/Messages';
import { StatusIcon } from '../components/StatusIcon';
import { useLoad } from '../hooks';
import { categoryLabel, date, productTypeLabel } from '../labels';
import { Link } from '../router';
import type { ApiResponse } from '../types';

type List = ApiResponse<'/track-and-trace'>;
type Category = List['items'][number]['category'];

interface Filter {
  status: string[];
  category: Category[];
  company: string;
  type: string;
  minDays: string;
  maxDays: string;
  sort: 'daysInStatus' | 'dossier' | 'status';
}

const empty: Filter = { status: [], category: [], company: '', type: '', minDays: '', maxDays: '', sort: 'daysInStatus' };
const PAGE = 50;

const toggled = <T,>(list: readonly T[], value: T): T[] => (list.includes(value) ? list.filter((x) => x !== value) : [...list, value]);

export function TrackTracePage() {
  const [draft, setDraft] = useState<Filter>(empty);
  const [applied, setApplied] = useState<Filter>(empty);
  const [offset, setOffset] = useState(0);
  const list = useLoad(
    () =>
      get<List>(
        `/track-and-trace${query({
          status: applied.status,
          category: applied.category,
          company: applied.company,
          type: applied.type,
          minDaysInStatus: applied.minDays,
          maxDaysInStatus: applied.maxDays,
          sort: applied.sort,
          limit: PAGE,
          offset,
        })}`,
      ),
    [JSON.stringify(applied), offset],
  );
  // A count is a quick filter: picking it applies at once (and goes back to the first page).
  const apply = (f: Filter) => {
    setDraft(f);
    setApplied(f);
    setOffset(0);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    apply(draft);
  };
  const data = list.data;

  return (
    <section>
      <h1>Track &amp; Trace</h1>
      <p className="muted">Alle producten van het kantoor over de dossiers heen, met hun status en hoe lang ze al in die status staan.</p>
      <ErrorAlert>{list.error}</ErrorAlert>
      {data ? (
        <section aria-labelledby="tt-counts-h">
          <h2 id="tt-counts-h">Aantallen</h2>
          <p className="muted">Klik op een aantal om op die categorie of status te filteren.</p>
          <ul className="counts" aria-label="Aantal per categorie">
            {data.counts.byCategory.map((c) => (
              <li key={c.category}>
                <button type="button" className="secondary" aria-pressed={applied.category.includes(c.category)} onClick={() => apply({ ...applied, category: toggled(applied.category, c.category) })}>
                  {categoryLabel[c.category] ?? c.category}: {c.count}
                </button>
              </li>
            ))}
          </ul>
          <ul className="counts" aria-label="Aantal per status">
            {data.counts.byStatus.map((s) => (
              <li key={`${s.category}-${s.status}`}>
                <button type="button" className="secondary" aria-pressed={applied.status.includes(s.status)} onClick={() => apply({ ...applied, status: toggled(applied.status, s.status) })}>
                  {s.statusLabel}: {s.count}
                </button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <form onSubmit={submit} className="grid-form" aria-label="Filters">
        <div className="field">
          <label htmlFor="tt-company">Maatschappij</label>
          <select id="tt-company" value={draft.company} onChange={(e) => setDraft({ ...draft, company: e.target.value })}>
            <option value="">Alle</option>
            {(data?.counts.byCompany ?? []).map((c) => (
              <option key={c.company} value={c.company}>
                {c.company} ({c.count})
              </option>
            ))}
            {draft.company && !data?.counts.byCompany.some((c) => c.company === draft.company) ? <option value={draft.company}>{draft.company}</option> : null}
          </select>
        </div>
        <div className="field">
          <label htmlFor="tt-type">Soort product</label>
          <select id="tt-type" value={draft.type} onChange={(e) => setDraft({ ...draft, type: e.target.value })}>
            <option value="">Alle</option>
            {['mortgage', 'insurance', 'service'].map((t) => (
              <option key={t} value={t}>
                {productTypeLabel(t)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="tt-min">Minimaal dagen in status</label>
          <input id="tt-min" type="number" min={0} inputMode="numeric" value={draft.minDays} onChange={(e) => setDraft({ ...draft, minDays: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="tt-max">Maximaal dagen in status</label>
          <input id="tt-max" type="number" min={0} inputMode="numeric" value={draft.maxDays} onChange={(e) => setDraft({ ...draft, maxDays: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="tt-sort">Sorteren op</label>
          <select id="tt-sort" value={draft.sort} onChange={(e) => setDraft({ ...draft, sort: e.target.value as Filter['sort'] })}>
            <option value="daysInStatus">Langst in status eerst</option>
            <option value="status">Status</option>
            <option value="dossier">Dossiernummer</option>
          </select>
        </div>
        <div>
          <button type="submit">Filter toepassen</button>{' '}
          <button type="button" className="secondary" onClick={() => apply(empty)}>
            Filters wissen
          </button>
        </div>
      </form>
      {list.loading ? <Loading what="Producten" /> : null}
      {data ? (
        <section aria-labelledby="tt-list-h">
          <h2 id="tt-list-h">Producten</h2>
          <p role="status">
            {data.total} {data.total === 1 ? 'product' : 'producten'}
            {applied.status.length || applied.category.length ? ' (gefilterd op status of categorie)' : ''}
          </p>
          {data.items.length ? (
            <table aria-label="Producten in Track & Trace">
              <thead>
                <tr>
                  <th scope="col">Dossier</th>
                  <th scope="col">Klant</th>
                  <th scope="col">Product</th>
                  <th scope="col">Maatschappij</th>
                  <th scope="col">Status</th>
                  <th scope="col">In status sinds</th>
                  <th scope="col">Dagen in status</th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((i) => (
                  <tr key={i.productId}>
                    <td>
                      <Link to={`/dossiers/${i.dossierId}`}>
                        {i.dossierNumber}
                        <span className="visually-hidden"> (dossier openen)</span>
                      </Link>
                    </td>
                    <td>{i.clientName ?? '—'}</td>
                    <td>
                      <StatusIcon type={i.type} category={i.category} statusLabel={i.statusLabel} /> {productTypeLabel(i.type)}
                    </td>
                    <td>{i.company ?? '—'}</td>
                    <td>
                      {i.statusLabel} <span className="muted">({categoryLabel[i.category] ?? i.category})</span>
                    </td>
                    <td>{date(i.statusSince)}</td>
                    <td>{i.daysInStatus}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p className="muted">Geen producten die aan het filter voldoen.</p>
          )}
          {data.total > PAGE ? (
            <nav aria-label="Pagina's" className="pager">
              <button type="button" className="secondary" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
                Vorige
              </button>{' '}
              <span>
                {offset + 1}–{Math.min(offset + PAGE, data.total)} van {data.total}
              </span>{' '}
              <button type="button" className="secondary" disabled={offset + PAGE >= data.total} onClick={() => setOffset(offset + PAGE)}>
                Volgende
              </button>
            </nav>
          ) : null}
        </section>
      ) : null}
    </section>
  );
}
