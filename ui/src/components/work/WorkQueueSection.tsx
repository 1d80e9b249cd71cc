/**
 * The work queue (*werkvoorraad*) on the dashboard, read from `GET /work-queue`: open tasks,
 * CRM signals (*signaleringen*) whose moment has come and upcoming appointments together, by due
 * date. The filters are the API's (`kind`, `assignee`). A signal is marked done here (PATCH on
 * the person's signal); a task is done by working its dossier step, so it links to the dossier.
 */
import { useId, useState } from 'react';
import { errorText, get, query, request } from '../../api';
import { useLoad } from '../../hooks';
import { date } from '../../labels';
import { Link } from '../../router';
import type { ApiRequestBody, ApiResponse } from '../../types';
import { ErrorAlert, Loading } from '../Messages';

type Queue = ApiResponse<'/work-queue'>;
type QueueItem = Queue['items'][number];
type Kind = QueueItem['kind'];
type Assignee = 'adviser' | 'backoffice';

const POLL = 5000;

const kindOptions: { value: Kind | ''; label: string }[] = [
  { value: '', label: 'Alles' },
  { value: 'task', label: 'Taken' },
  { value: 'signal', label: 'Signaleringen' },
  { value: 'appointment', label: 'Afspraken' },
];
const assigneeOptions: { value: Assignee | ''; label: string }[] = [
  { value: '', label: 'Iedereen' },
  { value: 'adviser', label: 'Adviseur' },
  { value: 'backoffice', label: 'Backoffice' },
];
export const workKindLabel: Record<Kind, string> = { task: 'Taak', signal: 'Signalering', appointment: 'Afspraak' };

/** Today's date in the Netherlands (the API's signals and due dates are Amsterdam dates). */
export const todayInAmsterdam = (): string => new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Amsterdam' });

/** Where an item opens in the UI: a signal on the person's card (Signaleringen tab), the rest on the dossier. */
export function workItemLink(item: QueueItem): string | null {
  if (item.kind === 'signal') return item.personId ? `/crm/persons/${item.personId}#signaleringen` : null;
  return item.dossierId ? `/dossiers/${item.dossierId}` : item.personId ? `/crm/persons/${item.personId}` : null;
}

export function WorkQueueSection() {
  const kindId = useId();
  const assigneeId = useId();
  const [kind, setKind] = useState<Kind | ''>('');
  const [assignee, setAssignee] = useState<Assignee | ''>('');
  const queue = useLoad(
    () => get<Queue>(`/work-queue${query({ ...(kind ? { kind } : {}), ...(assignee ? { assignee } : {}), limit: 50 })}`),
    [kind, assignee],
    POLL,
  );
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<string>();
  const now = todayInAmsterdam();
  const items = queue.data?.items ?? [];
  const markDone = async (item: QueueItem) => {
    if (!item.personId) return;
    setBusy(item.id);
    setError(undefined);
    try {
      await request('PATCH', `/persons/${item.personId}/signals/${item.id}`, { done: true } satisfies ApiRequestBody<'/persons/{id}/signals/{itemId}', 'patch'>);
      await queue.reload();
    } catch (err) {
      setError(`Signalering "${item.title}" niet afgerond: ${errorText(err)}`);
    } finally {
      setBusy(undefined);
    }
  };
  return (
    <section className="card" aria-labelledby="queue-h">
      <h2 id="queue-h">Werkvoorraad</h2>
      <div className="inline-form" role="group" aria-label="Filter werkvoorraad">
        <div className="field">
          <label htmlFor={kindId}>Soort</label>
          <select id={kindId} value={kind} onChange={(e) => setKind(e.target.value as Kind | '')}>
            {kindOptions.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={assigneeId}>Voor</label>
          <select id={assigneeId} value={assignee} onChange={(e) => setAssignee(e.target.value as Assignee | '')}>
            {assigneeOptions.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </div>
      </div>
      <ErrorAlert>{error ?? queue.error}</ErrorAlert>
      {queue.loading && !queue.data ? <Loading what="Werkvoorraad" /> : null}
      {queue.data && items.length === 0 ? <p className="muted">Niets in de werkvoorraad.</p> : null}
      <ul className="plain" data-testid="work-queue">
        {items.map((item) => {
          const due = item.kind !== 'appointment' && item.dueDate !== null && item.dueDate <= now;
          const to = workItemLink(item);
          return (
            <li key={`${item.kind}-${item.id}`} className={due ? 'due' : undefined} data-testid="work-item" data-kind={item.kind}>
              <span className="badge">{workKindLabel[item.kind]}</span>{' '}
              {due ? <strong className="badge badge-due">{item.dueDate! < now ? 'Verlopen' : 'Vandaag'}</strong> : null}{' '}
              {to ? <Link to={to}>{item.title}</Link> : item.title}{' '}
              <span className="muted">
                {item.kind === 'task' ? 'uiterlijk' : 'op'} {date(item.dueDate)}
                {item.dueTime ? ` ${item.dueTime}` : ''}
                {item.personName ? `, ${item.personName}` : ''}
                {item.kind === 'task' && item.assignee ? `, voor ${item.assignee === 'adviser' ? 'adviseur' : item.assignee === 'backoffice' ? 'backoffice' : item.assignee}` : ''}
                {item.kind === 'appointment' && item.assignee ? `, adviseur ${item.assignee}` : ''}
              </span>{' '}
              {item.kind === 'signal' ? (
                <button type="button" disabled={busy !== undefined} onClick={() => void markDone(item)}>
                  Afgerond<span className="visually-hidden">: {item.title}</span>
                </button>
              ) : null}
            </li>
          );
        })}
      </ul>
      {queue.data && queue.data.total > items.length ? <p className="muted">en nog {queue.data.total - items.length} andere</p> : null}
    </section>
  );
}
