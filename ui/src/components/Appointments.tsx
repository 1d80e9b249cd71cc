/**
 * *Afspraken* of a dossier: the list (soonest first, with the Amsterdam date and time, place or
 * video link, adviser, status and the reminder), a form to plan one (the client gets a
 * confirmation with an .ics, and a reminder the day before at 09:00) and, per appointment,
 * *verzetten* (a new date and time: a "gewijzigd" mail) and *annuleren* (a cancel mail).
 * Times are typed as Amsterdam wall time; the API refuses a time that does not exist (the
 * night the clocks go forward) and shows its reason here.
 */
import { useId, useState, type FormEvent } from 'react';
import { errorText, get, post } from '../api';
import { useLoad } from '../hooks';
import { date } from '../labels';
import type { ApiRequestBody, ApiResponse } from '../types';
import { ErrorAlert, Loading } from './Messages';

type AppointmentList = ApiResponse<'/dossiers/{id}/appointments'>;
type Appointment = AppointmentList['items'][number];
type PlanBody = ApiRequestBody<'/dossiers/{id}/appointments'>;
type RescheduleBody = ApiRequestBody<'/appointments/{id}/reschedule'>;

const ZONE = 'Europe/Amsterdam' as const;
const statusLabel: Record<Appointment['status'], string> = { planned: 'Gepland', rescheduled: 'Verzet', cancelled: 'Geannuleerd' };

/** An instant as Nederlandse tijd, whatever zone the browser is in (the office calendar's). */
function amsterdam(instant: string): string {
  return new Date(instant).toLocaleString('nl-NL', { timeZone: ZONE, dateStyle: 'short', timeStyle: 'short' });
}

function when(a: Appointment): string {
  return `${date(a.start.date)} ${a.start.time}–${a.end.time}`;
}

export function Appointments({ dossierId, pollMs }: { dossierId: string; pollMs?: number }) {
  const id = useId();
  const list = useLoad(() => get<AppointmentList>(`/dossiers/${dossierId}/appointments`), [dossierId], pollMs);
  const [title, setTitle] = useState('Oriëntatiegesprek');
  const [day, setDay] = useState('');
  const [time, setTime] = useState('10:00');
  const [minutes, setMinutes] = useState('60');
  const [location, setLocation] = useState('');
  const [videoUrl, setVideoUrl] = useState('');
  const [notes, setNotes] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [saved, setSaved] = useState<string | undefined>();

  async function plan(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    setSaved(undefined);
    try {
      const body: PlanBody = {
        title: title.trim() || 'Oriëntatiegesprek',
        start: { date: day, time, zone: ZONE },
        durationMinutes: Number(minutes),
        ...(location.trim() ? { location: location.trim() } : {}),
        ...(videoUrl.trim() ? { videoUrl: videoUrl.trim() } : {}),
        ...(notes.trim() ? { notes: notes.trim() } : {}),
      };
      const a = await post<Appointment>(`/dossiers/${dossierId}/appointments`, body);
      setSaved(`Afspraak gepland op ${when(a)}; de bevestiging wordt gemaild.`);
      setLocation('');
      setVideoUrl('');
      setNotes('');
      await list.reload();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  const items = list.data?.items ?? [];
  return (
    <section aria-labelledby={`${id}-h`} className="appointments">
      <h2 id={`${id}-h`}>Afspraken</h2>
      <ErrorAlert>{list.error}</ErrorAlert>
      {list.loading && !list.data ? <Loading what="Afspraken" /> : null}
      {list.data && items.length === 0 ? <p className="muted">Nog geen afspraken.</p> : null}
      {items.length > 0 ? (
        <table>
          <caption>Afspraken (tijden in Nederlandse tijd)</caption>
          <thead>
            <tr>
              <th scope="col">Wanneer</th>
              <th scope="col">Onderwerp</th>
              <th scope="col">Waar</th>
              <th scope="col">Adviseur</th>
              <th scope="col">Status</th>
              <th scope="col">Herinnering</th>
              <th scope="col">Acties</th>
            </tr>
          </thead>
          <tbody>
            {items.map((a) => (
              <AppointmentRow key={a.id} appointment={a} onChanged={() => void list.reload()} />
            ))}
          </tbody>
        </table>
      ) : null}

      <form onSubmit={(e) => void plan(e)} aria-labelledby={`${id}-form`} noValidate>
        <h3 id={`${id}-form`}>Afspraak plannen</h3>
        <div className="field">
          <label htmlFor={`${id}-title`}>Onderwerp</label>
          <input id={`${id}-title`} value={title} maxLength={200} onChange={(e) => setTitle(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-date`}>
            Datum<span aria-hidden="true"> *</span>
          </label>
          <input id={`${id}-date`} type="date" value={day} onChange={(e) => setDay(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-time`}>
            Tijd<span aria-hidden="true"> *</span>
          </label>
          <input id={`${id}-time`} type="time" value={time} onChange={(e) => setTime(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-minutes`}>Duur (minuten)</label>
          <input id={`${id}-minutes`} type="number" min={5} max={480} step={5} value={minutes} onChange={(e) => setMinutes(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-location`}>Locatie</label>
          <input id={`${id}-location`} value={location} maxLength={300} aria-describedby={`${id}-location-hint`} onChange={(e) => setLocation(e.target.value)} />
          <small id={`${id}-location-hint`}>Leeg en geen videolink: op kantoor.</small>
        </div>
        <div className="field">
          <label htmlFor={`${id}-video`}>Videolink</label>
          <input id={`${id}-video`} type="url" value={videoUrl} maxLength={500} placeholder="https://" onChange={(e) => setVideoUrl(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-notes`}>Notities</label>
          <textarea id={`${id}-notes`} rows={2} maxLength={4000} value={notes} onChange={(e) => setNotes(e.target.value)} />
        </div>
        <ErrorAlert>{error}</ErrorAlert>
        {saved ? <p role="status">{saved}</p> : null}
        <button type="submit" disabled={busy}>
          Afspraak plannen
        </button>
      </form>
    </section>
  );
}

function AppointmentRow({ appointment: a, onChanged }: { appointment: Appointment; onChanged: () => void }) {
  const id = useId();
  const [moving, setMoving] = useState(false);
  const [day, setDay] = useState(a.start.date);
  const [time, setTime] = useState(a.start.time);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const open = a.status !== 'cancelled' && Date.parse(a.startsAt) > Date.now();

  async function act(fn: () => Promise<unknown>) {
    setBusy(true);
    setError(undefined);
    try {
      await fn();
      setMoving(false);
      onChanged();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  const where = [a.location, a.videoUrl].filter(Boolean).join(' / ');
  return (
    <tr data-testid={`appointment-${a.id}`}>
      <td>{when(a)}</td>
      <td>{a.title}</td>
      <td>{where}</td>
      <td>{a.adviser.name ?? '–'}</td>
      <td>{statusLabel[a.status]}</td>
      <td>{a.reminderSentAt ? `verstuurd ${amsterdam(a.reminderSentAt)}` : a.reminderAt ? amsterdam(a.reminderAt) : '–'}</td>
      <td>
        {open && !moving ? (
          <>
            <button type="button" onClick={() => setMoving(true)} disabled={busy}>
              Verzetten
            </button>{' '}
            <button
              type="button"
              disabled={busy}
              onClick={() => {
                if (window.confirm(`Afspraak van ${when(a)} annuleren? De klant krijgt een annuleringsmail.`)) void act(() => post(`/appointments/${a.id}/cancel`));
              }}
            >
              Annuleren
            </button>
          </>
        ) : null}
        {moving ? (
          <form
            aria-label="Afspraak verzetten"
            onSubmit={(e) => {
              e.preventDefault();
              const body: RescheduleBody = { start: { date: day, time, zone: ZONE } };
              void act(() => post(`/appointments/${a.id}/reschedule`, body));
            }}
          >
            <label htmlFor={`${id}-d`}>Nieuwe datum</label> <input id={`${id}-d`} type="date" value={day} onChange={(e) => setDay(e.target.value)} />{' '}
            <label htmlFor={`${id}-t`}>Nieuwe tijd</label> <input id={`${id}-t`} type="time" value={time} onChange={(e) => setTime(e.target.value)} />{' '}
            <button type="submit" disabled={busy}>
              Opslaan
            </button>{' '}
            <button type="button" onClick={() => setMoving(false)}>
              Terug
            </button>
          </form>
        ) : null}
        <ErrorAlert>{error}</ErrorAlert>
      </td>
    </tr>
  );
}
