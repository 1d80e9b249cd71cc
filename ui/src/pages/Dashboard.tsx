/**
 * The adviser's dashboard: the HDN inbox (one click makes a mortgage product of an AX), the
 * work queue (GET /work-queue: open tasks, due signals, appointments; components/work/WorkQueueSection.tsx), invoices needing action and parked HDN messages.
 * Refreshed every 5 s while visible.
 */
import { useState } from 'react';
import { errorText, get, post, query } from '../api';
import { ErrorAlert, Loading } from '../components/Messages';
import { WorkQueueSection } from '../components/work/WorkQueueSection';
import { LoginNotices } from '../components/LoginNotices';
import { useLoad } from '../hooks';
import { date, dateTime, euro, invoiceStatusLabel, today } from '../labels';
import { Link, navigate } from '../router';
import type { ApiRequestBody, ApiResponse, HdnMessageSummary, InvoiceStatus } from '../types';

const POLL = 5000;

export function DashboardPage() {
  return (
    <section>
      <h1>Dashboard</h1>
      <LoginNotices />
      <div className="dashboard">
        <HdnInbox />
        <WorkQueueSection />
      <UpcomingAppointments />
        <InvoicesNeedingAction />
        <Parked />
      </div>
    </section>
  );
}

function HdnInbox() {
  const inbox = useLoad(() => get<ApiResponse<'/hdn/inbox'>>(`/hdn/inbox${query({ state: ['received'], type: ['AX'] })}`), [], POLL);
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<string>();
  const convert = async (m: HdnMessageSummary) => {
    setBusy(m.id);
    setError(undefined);
    try {
      const result = await post<ApiResponse<'/hdn/messages/{id}/convert', 'post'>>(`/hdn/messages/${m.id}/convert`, {} satisfies ApiRequestBody<'/hdn/messages/{id}/convert'>);
      navigate(`/dossiers/${result.dossierId}`);
    } catch (err) {
      setError(`Aanvraag ${m.applicationNumber} niet omgezet: ${errorText(err)}`);
      setBusy(undefined);
    }
  };
  const items = inbox.data?.items ?? [];
  return (
    <section className="card" aria-labelledby="inbox-h">
      <h2 id="inbox-h">HDN-inbox</h2>
      <ErrorAlert>{error ?? inbox.error}</ErrorAlert>
      {inbox.loading ? <Loading what="Inbox" /> : null}
      {!inbox.loading && items.length === 0 ? <p className="muted">Geen adviezen (AX) die wachten.</p> : null}
      {items.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th scope="col">Ontvangen</th>
              <th scope="col">Aanvraagnummer</th>
              <th scope="col">Advies</th>
              <th scope="col">
                <span className="visually-hidden">Actie</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((m) => (
              <tr key={m.id}>
                <td>{dateTime(m.receivedAt)}</td>
                <td>
                  {m.applicationNumber} (versie {m.applicationVersion})
                </td>
                <td>{m.summary}</td>
                <td>
                  <button type="button" disabled={busy !== undefined} onClick={() => void convert(m)}>
                    Maak product<span className="visually-hidden"> van aanvraag {m.applicationNumber}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

/** The upcoming appointments of the office from the work queue (date and time in Nederlandse tijd). */
function UpcomingAppointments() {
  const queue = useLoad(() => get<ApiResponse<'/work-queue'>>(`/work-queue${query({ kind: 'appointment', limit: 20 })}`), [], POLL);
  const items = queue.data?.items ?? [];
  return (
    <section className="card" aria-labelledby="appointments-h">
      <h2 id="appointments-h">Komende afspraken</h2>
      <ErrorAlert>{queue.error}</ErrorAlert>
      {queue.loading ? <Loading what="Afspraken" /> : null}
      {!queue.loading && items.length === 0 ? <p className="muted">Geen komende afspraken.</p> : null}
      <ul className="plain">
        {items.map((a) => (
          <li key={a.id}>
            {date(a.dueDate)} {a.dueTime}: <Link to={a.href}>{a.title}</Link>
            {a.personName ? <span className="muted"> met {a.personName}</span> : null}
            {a.assignee ? <span className="muted">, adviseur {a.assignee}</span> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

const actionStatuses: InvoiceStatus[] = ['open', 'sent', 'reversed', 'reminded', 'final_notice'];

function InvoicesNeedingAction() {
  const invoices = useLoad(() => get<ApiResponse<'/invoices'>>(`/invoices${query({ status: actionStatuses, limit: 100 })}`), [], POLL);
  const now = today();
  const items = (invoices.data?.items ?? []).filter((i) => i.status === 'reversed' || i.status === 'final_notice' || i.dueDate < now);
  return (
    <section className="card" aria-labelledby="inv-action-h">
      <h2 id="inv-action-h">Facturen die actie vragen</h2>
      <ErrorAlert>{invoices.error}</ErrorAlert>
      {invoices.loading ? <Loading what="Facturen" /> : null}
      {!invoices.loading && items.length === 0 ? <p className="muted">Geen achterstallige of gestorneerde facturen.</p> : null}
      <ul className="plain">
        {items.map((i) => (
          <li key={i.id}>
            <Link to={`/dossiers/${i.dossierId}`}>Factuur {i.number}</Link>: {invoiceStatusLabel[i.status] ?? i.status}, open {euro(i.openCents)}, vervallen{' '}
            {date(i.dueDate)}
          </li>
        ))}
      </ul>
      <p>
        <Link to="/billing">Naar facturatie en aanmaningen</Link>
      </p>
    </section>
  );
}

function Parked() {
  const parked = useLoad(() => get<ApiResponse<'/hdn/inbox'>>(`/hdn/inbox${query({ state: ['parked'] })}`), [], POLL);
  const [productIds, setProductIds] = useState<Record<string, string>>({});
  const [error, setError] = useState<string>();
  const route = async (m: HdnMessageSummary) => {
    setError(undefined);
    try {
      await post(`/hdn/messages/${m.id}/route`, { productId: (productIds[m.id] ?? '').trim() } satisfies ApiRequestBody<'/hdn/messages/{id}/route'>);
      await parked.reload();
    } catch (err) {
      setError(`Bericht ${m.type} ${m.applicationNumber} niet gerouteerd: ${errorText(err)}`);
    }
  };
  const items = parked.data?.items ?? [];
  return (
    <section className="card" aria-labelledby="parked-h">
      <h2 id="parked-h">Geparkeerde berichten</h2>
      <ErrorAlert>{error ?? parked.error}</ErrorAlert>
      {parked.loading ? <Loading what="Geparkeerde berichten" /> : null}
      {!parked.loading && items.length === 0 ? <p className="muted">Geen geparkeerde berichten.</p> : null}
      <ul className="plain">
        {items.map((m) => (
          <li key={m.id}>
            <strong>
              {m.type}
              {m.statusCode ? ` ${m.statusCode}` : ''}
            </strong>{' '}
            aanvraag {m.applicationNumber}: {m.reason ?? m.summary}
            {m.codes?.length ? <span className="muted"> ({m.codes.map((c) => c.note).join('; ')})</span> : null}
            <form
              className="inline-form"
              onSubmit={(e) => {
                e.preventDefault();
                void route(m);
              }}
            >
              <label htmlFor={`route-${m.id}`}>Product-id</label>
              <input id={`route-${m.id}`} value={productIds[m.id] ?? ''} onChange={(e) => setProductIds((o) => ({ ...o, [m.id]: e.target.value }))} />
              <button type="submit">Routeren</button>
            </form>
          </li>
        ))}
      </ul>
    </section>
  );
}
