/**
 * Billing and credit control (*debiteurenbeheer*): the invoice overview with client, payment and
 * delivery method, filtered and sorted; tick invoices or select all that match the filter and run
 * one action of an action group on exactly that set; the runs' history, each run with its letters
 * to download (RunPage); archiving an action group (its runs stay readable).
 */
import { useState, type FormEvent } from 'react';
import { download, errorText, get, post, query } from '../api';
import { ErrorAlert, Info, Loading } from '../components/Messages';
import { useLoad } from '../hooks';
import { Link } from '../router';
import { date, dateTime, deliveryLabel, euro, invoiceStatusLabel, invoiceStatuses, paymentMethodLabel } from '../labels';
import type { ApiRequestBody, ApiResponse, Delivery, Invoice, InvoiceListItem, InvoiceStatus, PaymentMethod, ReminderRun } from '../types';
import { InvoiceDetails } from './Dossier';
import { SepaBankSection } from '../components/billing/SepaBankSection';

function StatusChecks({ legend, value, onChange, name }: { legend: string; value: InvoiceStatus[]; onChange: (v: InvoiceStatus[]) => void; name: string }) {
  return (
    <fieldset className="checks">
      <legend>{legend}</legend>
      {invoiceStatuses.map((s) => (
        <label key={s}>
          <input
            type="checkbox"
            name={name}
            value={s}
            checked={value.includes(s)}
            onChange={(e) => onChange(e.target.checked ? [...value, s] : value.filter((x) => x !== s))}
          />{' '}
          {invoiceStatusLabel[s]}
        </label>
      ))}
    </fieldset>
  );
}

type SortKey = 'invoiceDate' | 'dueDate' | 'number' | 'client' | 'openCents';
const sortLabel: Record<SortKey, string> = {
  dueDate: 'Vervaldatum',
  invoiceDate: 'Factuurdatum',
  number: 'Factuurnummer',
  client: 'Klant',
  openCents: 'Openstaand bedrag',
};

/** The statuses a reminder run follows (the API's default); a run's filter keeps only these. */
const remindable: readonly InvoiceStatus[] = ['open', 'sent', 'reversed', 'reminded', 'final_notice'];

interface Filter {
  statuses: InvoiceStatus[];
  overdue: boolean;
  paymentMethod: PaymentMethod | '';
  delivery: Delivery | '';
  sort: SortKey;
}

const initialFilter: Filter = { statuses: [], overdue: true, paymentMethod: '', delivery: '', sort: 'dueDate' };

/** What a run acts on: the ticked invoices, or everything the applied filter matches. */
type Selection = { kind: 'ticked'; ids: string[] } | { kind: 'all' };

export function BillingPage() {
  const [draft, setDraft] = useState<Filter>(initialFilter);
  const [applied, setApplied] = useState<Filter>(initialFilter);
  const invoices = useLoad(
    () =>
      get<ApiResponse<'/invoices'>>(
        `/invoices${query({
          status: applied.statuses,
          overdue: applied.overdue ? true : undefined,
          paymentMethod: applied.paymentMethod,
          delivery: applied.delivery,
          sort: applied.sort,
          limit: 200,
        })}`,
      ),
    [JSON.stringify(applied)],
  );
  const [selection, setSelection] = useState<Selection>({ kind: 'ticked', ids: [] });
  const [open, setOpen] = useState<Invoice>();
  const [error, setError] = useState<string>();
  // Bumped when a group is archived, so the run form stops offering it.
  const [groupsVersion, setGroupsVersion] = useState(0);
  const total = invoices.data?.total ?? 0;
  const selectedCount = selection.kind === 'all' ? total : selection.ids.length;

  const apply = (e: FormEvent) => {
    e.preventDefault();
    setApplied(draft);
    setSelection({ kind: 'ticked', ids: [] });
  };

  const toggle = (id: string, on: boolean) =>
    setSelection((s) => {
      const ids = s.kind === 'ticked' ? s.ids : (invoices.data?.items.map((i) => i.id) ?? []);
      return { kind: 'ticked', ids: on ? [...ids.filter((x) => x !== id), id] : ids.filter((x) => x !== id) };
    });

  return (
    <section>
      <h1>Facturatie</h1>
      <section aria-labelledby="invoices-h">
        <h2 id="invoices-h">Facturen</h2>
        <form onSubmit={apply} className="grid-form">
          <StatusChecks legend="Filter op status" name="invoice-status" value={draft.statuses} onChange={(statuses) => setDraft({ ...draft, statuses })} />
          <label>
            <input type="checkbox" checked={draft.overdue} onChange={(e) => setDraft({ ...draft, overdue: e.target.checked })} /> Alleen vervallen facturen met een
            openstaand bedrag
          </label>
          <div className="field">
            <label htmlFor="inv-method">Betaalwijze</label>
            <select id="inv-method" value={draft.paymentMethod} onChange={(e) => setDraft({ ...draft, paymentMethod: e.target.value as PaymentMethod | '' })}>
              <option value="">Alle</option>
              {Object.entries(paymentMethodLabel).map(([k, v]) => (
                <option key={k} value={k}>
                  {v}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="inv-delivery">Verzendwijze</label>
            <select id="inv-delivery" value={draft.delivery} onChange={(e) => setDraft({ ...draft, delivery: e.target.value as Delivery | '' })}>
              <option value="">Alle</option>
              {Object.entries(deliveryLabel).map(([k, v]) => (
                <option key={k} value={k}>
                  {v}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="inv-sort">Sorteren op</label>
            <select id="inv-sort" value={draft.sort} onChange={(e) => setDraft({ ...draft, sort: e.target.value as SortKey })}>
              {Object.entries(sortLabel).map(([k, v]) => (
                <option key={k} value={k}>
                  {v}
                </option>
              ))}
            </select>
          </div>
          <div>
            <button type="submit">Filter toepassen</button>
          </div>
        </form>
        <ErrorAlert>{error ?? invoices.error}</ErrorAlert>
        {invoices.loading ? <Loading what="Facturen" /> : null}
        {invoices.data ? (
          <>
            <p>{total} factuur/facturen</p>
            {applied.overdue ? (
              <label>
                <input
                  type="checkbox"
                  checked={selection.kind === 'all'}
                  disabled={total === 0}
                  onChange={(e) => setSelection(e.target.checked ? { kind: 'all' } : { kind: 'ticked', ids: [] })}
                />{' '}
                Alle {total} facturen selecteren die aan het filter voldoen
              </label>
            ) : (
              <p className="muted">Alle facturen van het filter selecteren kan met het filter &lsquo;Alleen vervallen facturen&rsquo;.</p>
            )}
            <SelectableInvoiceTable
              items={invoices.data.items}
              isSelected={(id) => (selection.kind === 'all' ? true : selection.ids.includes(id))}
              onToggle={toggle}
              onDetails={(id) =>
                get<Invoice>(`/invoices/${id}`)
                  .then(setOpen)
                  .catch((err: unknown) => setError(errorText(err)))
              }
            />
          </>
        ) : null}
        {open ? <InvoiceDetails invoice={open} onClose={() => setOpen(undefined)} /> : null}
      </section>
      <ReminderModule
        groupsVersion={groupsVersion}
        selection={selection}
        selectedCount={selectedCount}
        filter={applied}
        onDone={() => {
          setSelection({ kind: 'ticked', ids: [] });
          void invoices.reload();
        }}
      />
      <ActionGroups onArchived={() => setGroupsVersion((v) => v + 1)} />
      <SepaBankSection />
    </section>
  );
}

function SelectableInvoiceTable({
  items,
  isSelected,
  onToggle,
  onDetails,
}: {
  items: InvoiceListItem[];
  isSelected: (id: string) => boolean;
  onToggle: (id: string, on: boolean) => void;
  onDetails: (id: string) => void;
}) {
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">
            <span className="visually-hidden">Selectie</span>
          </th>
          <th scope="col">Factuur</th>
          <th scope="col">Klant</th>
          <th scope="col">Datum</th>
          <th scope="col">Vervaldatum</th>
          <th scope="col">Status</th>
          <th scope="col">Betaalwijze</th>
          <th scope="col">Verzendwijze</th>
          <th scope="col">Openstaand</th>
          <th scope="col">
            <span className="visually-hidden">Acties</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {items.map((i) => (
          <tr key={i.id}>
            <td>
              <input type="checkbox" aria-label={`Factuur ${i.number} selecteren`} checked={isSelected(i.id)} onChange={(e) => onToggle(i.id, e.target.checked)} />
            </td>
            <td>{i.number}</td>
            <td>{i.clientName ?? '—'}</td>
            <td>{date(i.invoiceDate)}</td>
            <td>{date(i.dueDate)}</td>
            <td>{invoiceStatusLabel[i.status] ?? i.status}</td>
            <td>{paymentMethodLabel[i.paymentMethod] ?? i.paymentMethod}</td>
            <td>{deliveryLabel[i.delivery] ?? i.delivery}</td>
            <td>{euro(i.openCents)}</td>
            <td>
              <button type="button" className="link" onClick={() => onDetails(i.id)}>
                Boekingsregels<span className="visually-hidden"> van factuur {i.number}</span>
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const newKey = (): string => crypto.randomUUID();

function ReminderModule({
  groupsVersion,
  selection,
  selectedCount,
  filter,
  onDone,
}: {
  groupsVersion: number;
  selection: Selection;
  selectedCount: number;
  filter: Filter;
  onDone: () => void;
}) {
  const groups = useLoad(() => get<ApiResponse<'/billing/action-groups'>>('/billing/action-groups'), [groupsVersion]);
  const runs = useLoad(() => get<ApiResponse<'/billing/reminder-runs'>>('/billing/reminder-runs'), []);
  const [groupId, setGroupId] = useState('');
  const [actionIndex, setActionIndex] = useState('0');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [result, setResult] = useState<ReminderRun>();
  // One key per intended run: a retry after a lost answer is the same run, never a second one.
  const [idempotencyKey, setIdempotencyKey] = useState(newKey);
  const group = groups.data?.items.find((g) => g.id === groupId) ?? groups.data?.items[0];

  const run = async (e: FormEvent) => {
    e.preventDefault();
    if (!group || selectedCount === 0) return;
    setBusy(true);
    setError(undefined);
    try {
      const body: ApiRequestBody<'/billing/reminder-runs'> = { actionGroupId: group.id, actionIndex: Number(actionIndex) };
      if (selection.kind === 'ticked') body.invoiceIds = selection.ids;
      else {
        const f: NonNullable<ApiRequestBody<'/billing/reminder-runs'>['filter']> = {};
        const statuses = filter.statuses.filter((s) => remindable.includes(s));
        if (filter.statuses.length) f.status = statuses.length ? statuses : [...remindable];
        if (filter.paymentMethod) f.paymentMethod = filter.paymentMethod;
        if (filter.delivery) f.delivery = filter.delivery;
        body.filter = f;
      }
      const created = await post<ReminderRun>('/billing/reminder-runs', body, { headers: { 'idempotency-key': idempotencyKey } });
      setResult(created);
      setIdempotencyKey(newKey());
      onDone();
      await runs.reload();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="reminders-h">
      <h2 id="reminders-h">Aanmaningsmodule</h2>
      <ErrorAlert>{groups.error}</ErrorAlert>
      {groups.data && groups.data.items.length === 0 ? <p className="muted">Er zijn nog geen actiegroepen.</p> : null}
      {group ? (
        <form onSubmit={(e) => void run(e)} className="grid-form">
          <div className="field">
            <label htmlFor="rm-group">Actiegroep</label>
            <select
              id="rm-group"
              value={group.id}
              onChange={(e) => {
                setGroupId(e.target.value);
                setActionIndex('0');
              }}
            >
              {groups.data!.items.map((g) => (
                <option key={g.id} value={g.id}>
                  {g.name}
                  {g.isDefault ? ' (standaard)' : ''}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="rm-action">Actie</label>
            <select id="rm-action" value={actionIndex} onChange={(e) => setActionIndex(e.target.value)}>
              {group.actions.map((a, i) => (
                <option key={i} value={i}>
                  {String(a.name ?? a.type ?? 'actie')}
                </option>
              ))}
            </select>
          </div>
          <div>
            <button type="submit" disabled={busy || selectedCount === 0}>
              Actie uitvoeren op {selectedCount} {selectedCount === 1 ? 'factuur' : 'facturen'}
            </button>
          </div>
        </form>
      ) : null}
      {selectedCount === 0 ? <Info>Vink facturen aan, of selecteer alle facturen die aan het filter voldoen.</Info> : null}
      <ErrorAlert title="Niet uitgevoerd">{error}</ErrorAlert>
      {result ? (
        <div role="status" aria-label="Resultaat van de run" className="alert alert-ok">
          {result.results.filter((r) => r.ok).length} van {result.results.length} uitgevoerd. <Link to={`/billing/runs/${result.id}`}>Historie van deze run</Link>
          <ul>
            {result.results
              .filter((r) => !r.ok)
              .map((r) => (
                <li key={r.invoiceId}>
                  {r.skipped ? 'Overgeslagen' : 'Niet uitgevoerd'}: {r.reason}
                </li>
              ))}
          </ul>
        </div>
      ) : null}
      <h3>Historie</h3>
      <ErrorAlert>{runs.error}</ErrorAlert>
      {runs.data && runs.data.items.length === 0 ? <p className="muted">Nog geen runs.</p> : null}
      {runs.data && runs.data.items.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th scope="col">Wanneer</th>
              <th scope="col">Actiegroep</th>
              <th scope="col">Actie</th>
              <th scope="col">Selectie</th>
              <th scope="col">Facturen</th>
              <th scope="col">Uitgevoerd</th>
              <th scope="col">
                <span className="visually-hidden">Details</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {runs.data.items.map((r) => (
              <tr key={r.id}>
                <td>{dateTime(r.createdAt)}</td>
                <td>{r.actionGroupName}</td>
                <td>{r.actionIndex + 1}</td>
                <td>{r.selection === 'ticked' ? 'Aangevinkt' : 'Filter'}</td>
                <td>{r.invoices}</td>
                <td>{r.results.filter((x) => x.ok).length}</td>
                <td>
                  <Link to={`/billing/runs/${r.id}`}>
                    Bekijken<span className="visually-hidden"> (run van {dateTime(r.createdAt)})</span>
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

function ActionGroups({ onArchived }: { onArchived: () => void }) {
  const groups = useLoad(() => get<ApiResponse<'/billing/action-groups'>>(`/billing/action-groups${query({ includeArchived: true })}`), []);
  const [error, setError] = useState<string>();
  const archive = async (id: string, name: string) => {
    if (!window.confirm(`Actiegroep "${name}" archiveren? Nieuwe runs kunnen hem dan niet meer gebruiken; de historie blijft.`)) return;
    setError(undefined);
    try {
      await post(`/billing/action-groups/${id}/archive`);
      await groups.reload();
      onArchived();
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <section aria-labelledby="groups-h">
      <h2 id="groups-h">Actiegroepen</h2>
      <ErrorAlert>{error ?? groups.error}</ErrorAlert>
      {groups.data ? (
        <table>
          <thead>
            <tr>
              <th scope="col">Naam</th>
              <th scope="col">Acties</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="visually-hidden">Archiveren</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {groups.data.items.map((g) => (
              <tr key={g.id}>
                <td>{g.name}</td>
                <td>{g.actions.map((a) => String(a.name ?? a.type)).join(', ')}</td>
                <td>{g.archivedAt ? `Gearchiveerd op ${dateTime(g.archivedAt)}` : g.isDefault ? 'In gebruik (standaard)' : 'In gebruik'}</td>
                <td>
                  {g.archivedAt ? null : (
                    <button type="button" className="link" onClick={() => void archive(g.id, g.name)}>
                      Archiveren<span className="visually-hidden"> ({g.name})</span>
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

/** One run's history: what it acted on, what it skipped and why, and the letters it made. */
export function RunPage({ id }: { id: string }) {
  const run = useLoad(() => get<ReminderRun>(`/billing/reminder-runs/${id}`), [id]);
  const [error, setError] = useState<string>();
  const r = run.data;
  const skipped = r?.results.filter((x) => !x.ok) ?? [];
  return (
    <section>
      <p>
        <Link to="/billing">← Facturatie</Link>
      </p>
      <h1>Aanmaningsrun{r ? ` van ${dateTime(r.createdAt)}` : ''}</h1>
      <ErrorAlert>{error ?? run.error}</ErrorAlert>
      {run.loading ? <Loading what="Run" /> : null}
      {r ? (
        <>
          <dl>
            <dt>Actiegroep</dt>
            <dd>{r.actionGroupName}</dd>
            <dt>Selectie</dt>
            <dd>{r.selection === 'ticked' ? `${r.requestedIds?.length ?? 0} aangevinkte facturen` : 'Alle facturen van het filter'}</dd>
            <dt>Uitgevoerd</dt>
            <dd>
              {r.results.filter((x) => x.ok).length} van {r.results.length}
            </dd>
          </dl>
          <table aria-label="Uitgevoerde acties">
            <thead>
              <tr>
                <th scope="col">Factuur</th>
                <th scope="col">Actie</th>
                <th scope="col">Status na</th>
                <th scope="col">Wanneer</th>
                <th scope="col">Brief</th>
              </tr>
            </thead>
            <tbody>
              {(r.executions ?? []).map((e) => (
                <tr key={e.id}>
                  <td>{e.invoiceNumber}</td>
                  <td>{e.actionName}</td>
                  <td>{invoiceStatusLabel[e.statusAfter] ?? e.statusAfter}</td>
                  <td>{dateTime(e.createdAt)}</td>
                  <td>
                    {e.letterUrl ? (
                      <button
                        type="button"
                        className="link"
                        onClick={() => download(e.letterUrl!, `brief-${e.invoiceNumber}.pdf`).catch((err: unknown) => setError(errorText(err)))}
                      >
                        Brief downloaden<span className="visually-hidden"> (factuur {e.invoiceNumber})</span>
                      </button>
                    ) : (
                      '—'
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {skipped.length > 0 ? (
            <>
              <h2>Niet uitgevoerd</h2>
              <ul>
                {skipped.map((x) => (
                  <li key={x.invoiceId}>
                    {x.skipped ? 'Overgeslagen' : 'Geweigerd'}: {x.reason}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
