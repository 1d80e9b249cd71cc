/**
 * Billing: invoices with filters, and the reminder module: choose an action group and one of
 * its actions, narrow the selection with a filter, run it, see the runs' history. (The API
 * selects the overdue invoices by filter; picking single invoices is not offered by the API.)
 */
import { useState, type FormEvent } from 'react';
import { errorText, get, post, query } from '../api';
import { ErrorAlert, Info, Loading } from '../components/Messages';
import { useLoad } from '../hooks';
import { dateTime, euro, invoiceStatusLabel, invoiceStatuses, paymentMethodLabel } from '../labels';
import type { ApiRequestBody, ApiResponse, Invoice, InvoiceStatus, PaymentMethod, ReminderRun } from '../types';
import { InvoiceDetails, InvoiceTable } from './Dossier';

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

export function BillingPage() {
  const [statuses, setStatuses] = useState<InvoiceStatus[]>([]);
  const [applied, setApplied] = useState<InvoiceStatus[]>([]);
  const invoices = useLoad(() => get<ApiResponse<'/invoices'>>(`/invoices${query({ status: applied, limit: 100 })}`), [applied.join(',')]);
  const [open, setOpen] = useState<Invoice>();
  const [error, setError] = useState<string>();
  return (
    <section>
      <h1>Facturatie</h1>
      <section aria-labelledby="invoices-h">
        <h2 id="invoices-h">Facturen</h2>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            setApplied(statuses);
          }}
        >
          <StatusChecks legend="Filter op status" name="invoice-status" value={statuses} onChange={setStatuses} />
          <button type="submit">Filter toepassen</button>
        </form>
        <ErrorAlert>{error ?? invoices.error}</ErrorAlert>
        {invoices.loading ? <Loading what="Facturen" /> : null}
        {invoices.data ? (
          <>
            <p>{invoices.data.total} factuur/facturen</p>
            <InvoiceTable
              items={invoices.data.items}
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
      <ReminderModule />
    </section>
  );
}

function ReminderModule() {
  const groups = useLoad(() => get<ApiResponse<'/billing/action-groups'>>('/billing/action-groups'), []);
  const runs = useLoad(() => get<ApiResponse<'/billing/reminder-runs'>>('/billing/reminder-runs'), []);
  const [groupId, setGroupId] = useState('');
  const [actionIndex, setActionIndex] = useState('0');
  const [statuses, setStatuses] = useState<InvoiceStatus[]>([]);
  const [minOpen, setMinOpen] = useState('');
  const [method, setMethod] = useState<PaymentMethod | ''>('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [result, setResult] = useState<ReminderRun>();
  const group = groups.data?.items.find((g) => g.id === groupId) ?? groups.data?.items[0];

  const run = async (e: FormEvent) => {
    e.preventDefault();
    if (!group) return;
    setBusy(true);
    setError(undefined);
    try {
      const filter: NonNullable<ApiRequestBody<'/billing/reminder-runs'>['filter']> = {};
      if (statuses.length) filter.status = statuses;
      if (minOpen) filter.minOpenCents = Math.round(Number(minOpen) * 100);
      if (method) filter.paymentMethod = method;
      const created = await post<ReminderRun>('/billing/reminder-runs', {
        actionGroupId: group.id,
        actionIndex: Number(actionIndex),
        filter,
      } satisfies ApiRequestBody<'/billing/reminder-runs'>);
      setResult(created);
      await runs.reload();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const groupName = (id: string) => groups.data?.items.find((g) => g.id === id)?.name ?? id;
  return (
    <section aria-labelledby="reminders-h">
      <h2 id="reminders-h">Aanmaningsmodule</h2>
      <Info>De selectie bestaat uit de vervallen facturen die aan het filter voldoen; losse facturen aanvinken kan de API nog niet.</Info>
      <ErrorAlert>{groups.error}</ErrorAlert>
      {groups.data && groups.data.items.length === 0 ? <p className="muted">Er zijn nog geen actiegroepen.</p> : null}
      {group ? (
        <form onSubmit={(e) => void run(e)} className="grid-form">
          <div className="field">
            <label htmlFor="rm-group">Actiegroep</label>
            <select id="rm-group" value={group.id} onChange={(e) => setGroupId(e.target.value)}>
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
                  {i + 1}. {String(a.name ?? a.type ?? 'actie')}
                </option>
              ))}
            </select>
          </div>
          <StatusChecks legend="Facturen met status (leeg: alle openstaande)" name="rm-status" value={statuses} onChange={setStatuses} />
          <div className="field">
            <label htmlFor="rm-min">Minimaal openstaand bedrag (€)</label>
            <input id="rm-min" type="number" min={0} step="0.01" value={minOpen} onChange={(e) => setMinOpen(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="rm-method">Betaalwijze</label>
            <select id="rm-method" value={method} onChange={(e) => setMethod(e.target.value as PaymentMethod | '')}>
              <option value="">Alle</option>
              {Object.entries(paymentMethodLabel).map(([k, v]) => (
                <option key={k} value={k}>
                  {v}
                </option>
              ))}
            </select>
          </div>
          <div>
            <button type="submit" disabled={busy}>
              Actie uitvoeren
            </button>
          </div>
        </form>
      ) : null}
      <ErrorAlert title="Niet uitgevoerd">{error}</ErrorAlert>
      {result ? (
        <div role="status" className="alert alert-ok">
          {result.invoices} factuur/facturen geselecteerd; {result.results.filter((r) => r.ok).length} uitgevoerd.
          <ul>
            {result.results
              .filter((r) => !r.ok)
              .map((r) => (
                <li key={r.invoiceId}>
                  {r.invoiceId}: {r.reason}
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
              <th scope="col">Facturen</th>
              <th scope="col">Uitgevoerd</th>
            </tr>
          </thead>
          <tbody>
            {runs.data.items.map((r) => (
              <tr key={r.id}>
                <td>{dateTime(r.createdAt)}</td>
                <td>{groupName(r.actionGroupId)}</td>
                <td>{r.actionIndex + 1}</td>
                <td>{r.invoices}</td>
                <td>{r.results.filter((x) => x.ok).length}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <p className="muted">Bedragen in euro; {euro(0)} betekent geen ondergrens.</p>
    </section>
  );
}
