/**
 * *Notities* on the person card (seed 002): "always first" notes lead, then sorted by date
 * (newest first) or by author (*auteur*, A-Z, newest first per author): the API sorts
 * (`?sort=date|author`), the toggle only chooses. Each note names its author. A note is added
 * with a title and text (priority and the other flags stay with the API for now).
 */
import { useId, useState } from 'react';
import { errorText, get, post, query } from '../../api';
import { useLoad } from '../../hooks';
import { dateTime } from '../../labels';
import type { ApiResponse } from '../../types';
import { ErrorAlert, Loading } from '../Messages';

type Notes = ApiResponse<'/persons/{id}/notes'>;
type Sort = 'date' | 'author';

const sorts: { key: Sort; label: string }[] = [
  { key: 'date', label: 'Datum' },
  { key: 'author', label: 'Auteur' },
];

export function NotesSection({ personId }: { personId: string }) {
  const headingId = useId();
  const titleId = useId();
  const textId = useId();
  const [sort, setSort] = useState<Sort>('date');
  const notes = useLoad(() => get<Notes>(`/persons/${personId}/notes${query({ sort })}`), [personId, sort]);
  const [title, setTitle] = useState('');
  const [text, setText] = useState('');
  const [error, setError] = useState<string>();
  const items = notes.data?.items ?? [];
  return (
    <section aria-labelledby={headingId} className="notes">
      <h2 id={headingId}>Notities</h2>
      <div role="group" aria-label="Sorteer notities op" className="inline-form">
        Sorteer op:{' '}
        {sorts.map((s) => (
          <button key={s.key} type="button" aria-pressed={sort === s.key} className={sort === s.key ? undefined : 'secondary'} onClick={() => setSort(s.key)}>
            {s.label}
          </button>
        ))}
      </div>
      <ErrorAlert title="Notities niet geladen">{notes.error}</ErrorAlert>
      {notes.loading && !notes.data ? <Loading what="Notities" /> : null}
      {notes.data && items.length === 0 ? <p className="muted">Nog geen notities.</p> : null}
      {items.length > 0 ? (
        <ol data-testid="notes" className="notes-list">
          {items.map((n) => (
            <li key={n.id} data-testid="note" className={n.priority === 'high' ? 'note-priority' : undefined}>
              <strong>{n.title}</strong>
              {n.alwaysFirst ? <span className="badge"> altijd eerst</span> : null}
              {n.priority === 'high' ? <span className="badge"> prioriteit</span> : null}
              <div className="muted">
                <span data-testid="note-author">{n.createdByName ?? n.createdBy}</span>, {dateTime(n.createdAt)}
              </div>
              {n.text ? <p style={{ whiteSpace: 'pre-wrap' }}>{n.text}</p> : null}
            </li>
          ))}
        </ol>
      ) : null}
      <form
        aria-label="Notitie toevoegen"
        onSubmit={(e) => {
          e.preventDefault();
          setError(undefined);
          post(`/persons/${personId}/notes`, { title, ...(text.trim() ? { text } : {}) })
            .then(() => {
              setTitle('');
              setText('');
              return notes.reload();
            })
            .catch((err: unknown) => setError(errorText(err)));
        }}
      >
        <div className="field">
          <label htmlFor={titleId}>Titel nieuwe notitie</label>
          <input id={titleId} value={title} onChange={(e) => setTitle(e.target.value)} required maxLength={200} />
        </div>
        <div className="field">
          <label htmlFor={textId}>Notitie</label>
          <textarea id={textId} value={text} onChange={(e) => setText(e.target.value)} rows={2} maxLength={20000} />
        </div>
        <button type="submit">Notitie toevoegen</button>
        <ErrorAlert title="Notitie niet opgeslagen">{error}</ErrorAlert>
      </form>
    </section>
  );
}
