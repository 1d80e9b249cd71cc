/**
 * The query manager (*Zoekvragen*, DOMAIN process 8): compose a selection of persons with their
 * (newest) dossier — up to two product filters, each "met" or "zonder" — run it paged, save it
 * under a name (private to the adviser), export a saved one (CSV / Excel, fetched with the
 * bearer token), make call tasks for the back office and start a mail campaign over it.
 * Filters on loan parts, coverages, CRM properties and indicators live in QueryFilters.tsx. The
 * result and the whole CRM (an empty query: every person, also without a dossier) export as CSV
 * or Excel.
 */
import { useId, useState, type FormEvent } from 'react';
import { download, errorText, get, post, request } from '../api';
import { TextField } from '../components/Field';
import { ErrorAlert, Loading } from '../components/Messages';
import { useLoad } from '../hooks';
import { dateTime, dossierStatusLabel, productTypeLabel } from '../labels';
import { describeQuery } from '../selections';
import { Link } from '../router';
import type { ApiRequestBody, ApiResponse, ProductFilter, SavedSelection, SelectionQuery } from '../types';
import { CampaignList } from './Campaigns';
import { applyMore, emptyMore, MoreFilters, moreFromQuery, moreProblem, type MoreForm, type PropertyDefinition } from './QueryFilters';

const PAGE_SIZE = 25;
const productTypes = ['mortgage', 'insurance', 'service'] as const;

interface FilterForm {
  mode: 'with' | 'without';
  type: string;
  company: string;
  branch: string;
}

interface QueryForm {
  filters: [FilterForm, FilterForm];
  dossierStatus: '' | 'prospect' | 'client';
  dateFrom: string;
  dateTo: string;
  dateOn: 'dossier' | 'product';
  includeOlderDossiers: boolean;
  /** Parts of a loaded saved query this form does not edit (kept as they are). */
  extra: Pick<SelectionQuery, 'productType' | 'company' | 'offerStatus'>;
  more: MoreForm;
}

const emptyFilter = (mode: FilterForm['mode']): FilterForm => ({ mode, type: '', company: '', branch: '' });
const emptyForm = (): QueryForm => ({
  filters: [emptyFilter('with'), emptyFilter('without')],
  dossierStatus: '',
  dateFrom: '',
  dateTo: '',
  dateOn: 'dossier',
  includeOlderDossiers: false,
  extra: {},
  more: emptyMore(),
});

export function toQuery(form: QueryForm, definitions: readonly PropertyDefinition[] = []): SelectionQuery {
  const q: SelectionQuery = { ...form.extra };
  for (const f of form.filters) {
    if (!f.type) continue;
    const filter: ProductFilter = { type: f.type };
    if (f.company.trim()) filter.company = f.company.trim();
    if (f.type === 'insurance' && f.branch.trim()) filter.branch = f.branch.trim();
    const key = f.mode === 'with' ? 'withProducts' : 'withoutProducts';
    q[key] = [...(q[key] ?? []), filter];
  }
  if (form.dossierStatus) q.dossierStatus = form.dossierStatus;
  if (form.dateFrom) q.dateFrom = form.dateFrom;
  if (form.dateTo) q.dateTo = form.dateTo;
  if ((form.dateFrom || form.dateTo) && form.dateOn === 'product') q.dateOn = 'product';
  if (form.includeOlderDossiers) q.includeOlderDossiers = true;
  return applyMore(q, form.more, definitions);
}

function fromQuery(q: SelectionQuery): QueryForm {
  const filters = [
    ...(q.withProducts ?? []).map((f) => ({ mode: 'with' as const, f })),
    ...(q.withoutProducts ?? []).map((f) => ({ mode: 'without' as const, f })),
  ].map(({ mode, f }): FilterForm => ({ mode, type: f.type, company: f.company ?? '', branch: f.branch ?? '' }));
  const extra: QueryForm['extra'] = {};
  if (q.productType) extra.productType = q.productType;
  if (q.company) extra.company = q.company;
  if (q.offerStatus) extra.offerStatus = q.offerStatus;
  return {
    filters: [filters[0] ?? emptyFilter('with'), filters[1] ?? emptyFilter('without')],
    dossierStatus: q.dossierStatus ?? '',
    dateFrom: q.dateFrom ?? '',
    dateTo: q.dateTo ?? '',
    dateOn: q.dateOn ?? 'dossier',
    includeOlderDossiers: q.includeOlderDossiers === true,
    extra,
    more: moreFromQuery(q),
  };
}

function FilterFields({ n, value, onChange }: { n: number; value: FilterForm; onChange: (v: FilterForm) => void }) {
  const id = useId();
  const set = (patch: Partial<FilterForm>) => onChange({ ...value, ...patch });
  return (
    <fieldset className="card">
      <legend>Productfilter {n}</legend>
      <div role="radiogroup" aria-label={`Productfilter ${n}: met of zonder`} className="inline-form">
        {(['with', 'without'] as const).map((mode) => (
          <label key={mode}>
            <input type="radio" name={`${id}-mode`} value={mode} checked={value.mode === mode} onChange={() => set({ mode })} />{' '}
            {mode === 'with' ? 'met' : 'zonder'}
          </label>
        ))}
      </div>
      <div className="field">
        <label htmlFor={`${id}-type`}>Soort product</label>
        <select id={`${id}-type`} value={value.type} onChange={(e) => set({ type: e.target.value })}>
          <option value="">(geen filter)</option>
          {productTypes.map((t) => (
            <option key={t} value={t}>
              {productTypeLabel(t)}
            </option>
          ))}
        </select>
      </div>
      {value.type ? <TextField label="Maatschappij (optioneel)" value={value.company} onChange={(company) => set({ company })} maxLength={120} /> : null}
      {value.type === 'insurance' ? (
        <TextField
          label="Branche (optioneel)"
          value={value.branch}
          onChange={(branch) => set({ branch })}
          pattern="[A-Za-z0-9_\-]+"
          maxLength={60}
          hint="RISK-branchecode, bijvoorbeeld 020 (woonhuis)"
        />
      ) : null}
    </fieldset>
  );
}

export function QueryManager() {
  const [form, setForm] = useState<QueryForm>(emptyForm);
  /** The query of the result shown (search, paging, call tasks and campaigns act on it). */
  const [ran, setRan] = useState<SelectionQuery>();
  const [offset, setOffset] = useState(0);
  const [result, setResult] = useState<ApiResponse<'/selections/run', 'post'>>();
  const [searching, setSearching] = useState(false);
  const [error, setError] = useState<string>();
  const saved = useLoad(() => get<ApiResponse<'/selections/saved'>>('/selections/saved'), []);
  const [saveName, setSaveName] = useState('');
  const [saveMsg, setSaveMsg] = useState<string>();
  const [saveError, setSaveError] = useState<string>();
  const [listError, setListError] = useState<string>();
  const [campaignsVersion, setCampaignsVersion] = useState(0);
  const [exportError, setExportError] = useState<string>();
  const [exporting, setExporting] = useState(false);
  const definitions = useLoad(() => get<ApiResponse<'/crm/properties'>>('/crm/properties'), []);
  const indicators = useLoad(() => get<ApiResponse<'/crm/indicators'>>('/crm/indicators'), []);
  const defs = definitions.data?.items ?? [];
  const indicatorLabel = (id: string) => `indicator ${indicators.data?.items.find((i) => i.id === id)?.label ?? id}`;
  const describe = (q: SelectionQuery) => describeQuery(q, indicatorLabel);
  const headingId = useId();

  /** The query of the form, or a Dutch problem to fix first. */
  const formQuery = (): SelectionQuery | undefined => {
    const problem = moreProblem(form.more);
    if (problem) {
      setError(problem);
      return undefined;
    }
    return toQuery(form, defs);
  };

  const exportQuery = async (q: SelectionQuery, format: 'csv' | 'xlsx') => {
    setExportError(undefined);
    setExporting(true);
    try {
      await download('/selections/export', `export.${format}`, { format, query: q } satisfies ApiRequestBody<'/selections/export'>);
    } catch (err) {
      setExportError(errorText(err));
    } finally {
      setExporting(false);
    }
  };

  const search = async (q: SelectionQuery, at: number) => {
    setSearching(true);
    setError(undefined);
    try {
      const found = await post<ApiResponse<'/selections/run', 'post'>>('/selections/run', { ...q, limit: PAGE_SIZE, offset: at } satisfies ApiRequestBody<'/selections/run'>);
      setRan(q);
      setOffset(at);
      setResult(found);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setSearching(false);
    }
  };

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setSaveMsg(undefined);
    setSaveError(undefined);
    const query = moreProblem(form.more) ? undefined : toQuery(form, defs);
    if (!query) {
      setSaveError(moreProblem(form.more));
      return;
    }
    try {
      const created = await post<SavedSelection>('/selections/saved', { name: saveName.trim(), query } satisfies ApiRequestBody<'/selections/saved'>);
      setSaveMsg(`Zoekvraag „${created.name}” opgeslagen.`);
      setSaveName('');
      await saved.reload();
    } catch (err) {
      setSaveError(errorText(err));
    }
  };

  const remove = async (s: SavedSelection) => {
    setListError(undefined);
    try {
      await request<void>('DELETE', `/selections/saved/${encodeURIComponent(s.id)}`);
      await saved.reload();
    } catch (err) {
      setListError(errorText(err));
    }
  };

  const exportSaved = async (s: SavedSelection, format: 'csv' | 'xlsx') => {
    setListError(undefined);
    try {
      await download(`/selections/export?format=${format}&savedId=${encodeURIComponent(s.id)}`, `selectie.${format}`);
    } catch (err) {
      setListError(errorText(err));
    }
  };

  const pages = result ? Math.max(1, Math.ceil(result.total / PAGE_SIZE)) : 1;
  const page = Math.floor(offset / PAGE_SIZE) + 1;
  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId}>Zoekvragen</h2>
      <form
        aria-label="Zoekvraag"
        onSubmit={(e) => {
          e.preventDefault();
          setError(undefined);
          const q = formQuery();
          if (q) void search(q, 0);
        }}
      >
        <div className="grid-form">
          {form.filters.map((f, i) => (
            <FilterFields
              key={i}
              n={i + 1}
              value={f}
              onChange={(v) => setForm((old) => ({ ...old, filters: (i === 0 ? [v, old.filters[1]] : [old.filters[0], v]) as QueryForm['filters'] }))}
            />
          ))}
          <fieldset className="card">
            <legend>Dossier</legend>
            <div className="field">
              <label htmlFor={`${headingId}-status`}>Dossierstatus</label>
              <select
                id={`${headingId}-status`}
                value={form.dossierStatus}
                onChange={(e) => setForm({ ...form, dossierStatus: e.target.value as QueryForm['dossierStatus'] })}
              >
                <option value="">Alle</option>
                <option value="prospect">Prospect</option>
                <option value="client">Klant</option>
              </select>
            </div>
            <TextField label="Aangemaakt vanaf" type="date" value={form.dateFrom} onChange={(dateFrom) => setForm({ ...form, dateFrom })} />
            <TextField label="Aangemaakt tot en met" type="date" value={form.dateTo} onChange={(dateTo) => setForm({ ...form, dateTo })} />
            <div className="field">
              <label htmlFor={`${headingId}-on`}>Datum van</label>
              <select id={`${headingId}-on`} value={form.dateOn} onChange={(e) => setForm({ ...form, dateOn: e.target.value as QueryForm['dateOn'] })}>
                <option value="dossier">het dossier</option>
                <option value="product">een product</option>
              </select>
            </div>
            <div className="field checkbox">
              <input
                id={`${headingId}-older`}
                type="checkbox"
                checked={form.includeOlderDossiers}
                onChange={(e) => setForm({ ...form, includeOlderDossiers: e.target.checked })}
              />
              <label htmlFor={`${headingId}-older`}>Ook oudere dossiers</label>
            </div>
          </fieldset>
          <MoreFilters value={form.more} onChange={(more) => setForm((old) => ({ ...old, more }))} definitions={defs} indicators={indicators.data?.items ?? []} />
        </div>
        {Object.keys(form.extra).length ? (
          <p className="muted">
            De geladen zoekvraag bevat ook: {describe(form.extra)}.{' '}
            <button type="button" onClick={() => setForm({ ...form, extra: {} })}>
              Weglaten
            </button>
          </p>
        ) : null}
        <div className="actions">
          <button type="submit" disabled={searching}>
            Zoeken
          </button>
          <button
            type="button"
            onClick={() => {
              setForm(emptyForm());
              setResult(undefined);
              setRan(undefined);
            }}
          >
            Formulier leegmaken
          </button>
        </div>
      </form>
      <div className="actions" role="group" aria-label="Hele CRM exporteren">
        <span>Hele CRM (alle personen, ook zonder dossier):</span>
        <button type="button" disabled={exporting} onClick={() => void exportQuery({}, 'csv')}>
          Alle personen als CSV
        </button>
        <button type="button" disabled={exporting} onClick={() => void exportQuery({}, 'xlsx')}>
          Alle personen als Excel
        </button>
      </div>
      <ErrorAlert title="Exporteren mislukt">{exportError}</ErrorAlert>
      <form className="inline-form" aria-label="Zoekvraag opslaan" onSubmit={(e) => void save(e)}>
        <TextField label="Naam van de zoekvraag" value={saveName} onChange={setSaveName} required maxLength={120} />
        <button type="submit">Opslaan</button>
      </form>
      <ErrorAlert title="Niet opgeslagen">{saveError}</ErrorAlert>
      {saveMsg ? (
        <p role="status" className="alert alert-ok">
          {saveMsg}
        </p>
      ) : null}

      <ErrorAlert title="Zoeken mislukt">{error}</ErrorAlert>
      {searching ? <Loading what="Resultaat" /> : null}
      {result && ran ? (
        <section aria-label="Resultaat">
          <table>
            <caption aria-live="polite">
              {result.total} {result.total === 1 ? 'persoon' : 'personen'} gevonden – {describe(ran)}
            </caption>
            <thead>
              <tr>
                <th scope="col">Naam</th>
                <th scope="col">E-mail</th>
                <th scope="col">Dossier</th>
                <th scope="col">Status</th>
                <th scope="col">Woonplaats</th>
              </tr>
            </thead>
            <tbody>
              {result.items.map((r) => (
                <tr key={`${r.personId}-${r.dossierId ?? ''}`}>
                  <td>
                    <Link to={`/crm/persons/${r.personId}`}>{r.name}</Link>
                  </td>
                  <td>
                    {r.email ?? '–'}
                    {r.mailOptOut ? <span className="muted"> (afgemeld voor mail)</span> : null}
                  </td>
                  <td>{r.dossierId ? <Link to={`/dossiers/${r.dossierId}`}>{r.dossierNumber}</Link> : <span className="muted">geen dossier</span>}</td>
                  <td>{r.dossierStatus ? dossierStatusLabel(r.dossierStatus) : '–'}</td>
                  <td>{r.city ?? '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {pages > 1 ? (
            <nav aria-label="Pagina's van het resultaat" className="actions">
              <button type="button" disabled={offset === 0 || searching} onClick={() => void search(ran, Math.max(0, offset - PAGE_SIZE))}>
                Vorige
              </button>
              <span>
                Pagina {page} van {pages}
              </span>
              <button type="button" disabled={page >= pages || searching} onClick={() => void search(ran, offset + PAGE_SIZE)}>
                Volgende
              </button>
            </nav>
          ) : null}
          {result.total > 0 ? (
            <div className="actions" role="group" aria-label="Resultaat exporteren">
              <button type="button" disabled={exporting} onClick={() => void exportQuery(ran, 'csv')}>
                Exporteren als CSV
              </button>
              <button type="button" disabled={exporting} onClick={() => void exportQuery(ran, 'xlsx')}>
                Exporteren als Excel
              </button>
            </div>
          ) : null}
          {result.total > 0 ? (
            <div className="grid-form">
              <CallTasks query={ran} total={result.total} />
              <StartCampaign query={ran} total={result.total} onStarted={() => setCampaignsVersion((v) => v + 1)} />
            </div>
          ) : null}
        </section>
      ) : null}

      <h3>Opgeslagen zoekvragen</h3>
      <ErrorAlert>{saved.error ?? listError}</ErrorAlert>
      {saved.loading ? <Loading what="Opgeslagen zoekvragen" /> : null}
      {saved.data && saved.data.items.length === 0 ? <p className="muted">Je hebt nog geen zoekvragen opgeslagen.</p> : null}
      {saved.data && saved.data.items.length > 0 ? (
        <table aria-label="Opgeslagen zoekvragen">
          <thead>
            <tr>
              <th scope="col">Naam</th>
              <th scope="col">Zoekvraag</th>
              <th scope="col">Opgeslagen</th>
              <th scope="col">Acties</th>
            </tr>
          </thead>
          <tbody>
            {saved.data.items.map((s) => (
              <tr key={s.id}>
                <th scope="row">{s.name}</th>
                <td>{describe(s.query)}</td>
                <td>{dateTime(s.createdAt)}</td>
                <td>
                  <div className="actions">
                    <button
                      type="button"
                      aria-label={`Zoekvraag ${s.name} laden`}
                      onClick={() => {
                        setForm(fromQuery(s.query));
                        void search(s.query, 0);
                      }}
                    >
                      Laden
                    </button>
                    <button type="button" aria-label={`Zoekvraag ${s.name} exporteren als CSV`} onClick={() => void exportSaved(s, 'csv')}>
                      CSV
                    </button>
                    <button type="button" aria-label={`Zoekvraag ${s.name} exporteren als Excel`} onClick={() => void exportSaved(s, 'xlsx')}>
                      Excel
                    </button>
                    <button type="button" aria-label={`Zoekvraag ${s.name} verwijderen`} onClick={() => void remove(s)}>
                      Verwijderen
                    </button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}

      <CampaignList version={campaignsVersion} />
    </section>
  );
}

const newRunKey = () => `ui-${crypto.randomUUID()}`;

function CallTasks({ query, total }: { query: SelectionQuery; total: number }) {
  const [title, setTitle] = useState('');
  const [dueDate, setDueDate] = useState('');
  // One key per intended run: a retry after a lost answer makes no second task per dossier.
  const [runKey, setRunKey] = useState(newRunKey);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      const r = await post<ApiResponse<'/selections/tasks', 'post'>>('/selections/tasks', {
        query,
        runKey,
        title: title.trim(),
        ...(dueDate ? { dueDate } : {}),
      } satisfies ApiRequestBody<'/selections/tasks'>);
      setDone(`${r.created} beltaak/beltaken gemaakt voor ${r.dossiers} dossier(s)${r.existing ? `; ${r.existing} bestond(en) al` : ''}.`);
      setRunKey(newRunKey());
      setTitle('');
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="card" aria-label="Beltaken maken" onSubmit={(e) => void submit(e)}>
      <h3>Beltaken voor de backoffice</h3>
      <p className="muted">Eén taak per dossier van de {total} gevonden relatie(s).</p>
      <TextField label="Titel van de beltaak" value={title} onChange={setTitle} required maxLength={200} placeholder="Bellen: woonlastenverzekering aanbieden" />
      <TextField label="Vervaldatum (optioneel)" type="date" value={dueDate} onChange={setDueDate} />
      <button type="submit" disabled={busy}>
        Beltaken maken
      </button>
      <ErrorAlert title="Geen beltaken gemaakt">{error}</ErrorAlert>
      {done ? (
        <p role="status" className="alert alert-ok">
          {done}
        </p>
      ) : null}
    </form>
  );
}

function StartCampaign({ query, total, onStarted }: { query: SelectionQuery; total: number; onStarted: () => void }) {
  const [name, setName] = useState('');
  const [template, setTemplate] = useState('campaign-newsletter');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      const c = await post<ApiResponse<'/campaigns', 'post'>>('/campaigns', { name: name.trim(), template: template.trim(), query } satisfies ApiRequestBody<'/campaigns'>);
      setDone(`Mailcampagne „${c.name}” gestart voor ${c.total} ontvanger(s).`);
      setName('');
      onStarted();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="card" aria-label="Mailcampagne starten" onSubmit={(e) => void submit(e)}>
      <h3>Mailcampagne</h3>
      <p className="muted">Naar de {total} gevonden relatie(s); wie zich afmeldde of geen e-mailadres heeft, wordt overgeslagen.</p>
      <TextField label="Naam van de campagne" value={name} onChange={setName} required maxLength={200} />
      <TextField label="Mailsjabloon" value={template} onChange={setTemplate} required pattern="[A-Za-z0-9._\-]+" maxLength={100} />
      <button type="submit" disabled={busy}>
        Mailcampagne starten
      </button>
      <ErrorAlert title="Campagne niet gestart">{error}</ErrorAlert>
      {done ? (
        <p role="status" className="alert alert-ok">
          {done}
        </p>
      ) : null}
    </form>
  );
}
