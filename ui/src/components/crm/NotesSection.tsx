/**
 * *Notities* on the person card (seed 002) as post-its: the colour says the priority (red for
 * *prioriteit*, yellow for normal, grey-blue for low); "always first" notes are pinned on top,
 * then sorted by date (newest first) or by author (*auteur*, A-Z, newest first per author): the
 * API sorts (`?sort=date|author`), the toggle only chooses. Each note names its author. A note is
 * added with title, text, priority, always-first and show-in-dossier, and changed (PUT, all
 * fields) or deleted as the API allows.
 */
import { useId, useState } from 'react';
import { errorText, get, post, query, request } from '../../api';
import { useLoad } from '../../hooks';
import { dateTime } from '../../labels';
import type { ApiRequestBody, ApiResponse } from '../../types';
import { ErrorAlert, Loading } from '../Messages';

type Notes = ApiResponse<'/persons/{id}/notes'>;
type Note = Notes['items'][number];
type NoteInput = ApiRequestBody<'/persons/{id}/notes'>;
type Priority = Note['priority'];
type Sort = 'date' | 'author';

const sorts: { key: Sort; label: string }[] = [
  { key: 'date', label: 'Datum' },
  { key: 'author', label: 'Auteur' },
];

export const notePriorityLabel: Record<Priority, string> = { low: 'Laag', normal: 'Normaal', high: 'Hoog' };
const priorities = Object.keys(notePriorityLabel) as Priority[];

/** The post-it colour of a priority (red: priority, as the seed says; yellow: normal). */
const postItColour: Record<Priority, string> = { high: '#ffd8d3', normal: '#fff5b1', low: '#e7ecf3' };

export function NotesSection({ personId, onChanged }: { personId: string; onChanged?: () => void }) {
  const headingId = useId();
  const [sort, setSort] = useState<Sort>('date');
  const notes = useLoad(() => get<Notes>(`/persons/${personId}/notes${query({ sort })}`), [personId, sort]);
  const [editing, setEditing] = useState<string>();
  const [error, setError] = useState<string>();
  const items = notes.data?.items ?? [];
  const changed = async () => {
    await notes.reload();
    onChanged?.();
  };
  const remove = (n: Note) => {
    if (!window.confirm(`Notitie "${n.title}" verwijderen?`)) return;
    setError(undefined);
    request('DELETE', `/persons/${personId}/notes/${n.id}`)
      .then(changed)
      .catch((err: unknown) => setError(`Notitie niet verwijderd: ${errorText(err)}`));
  };
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
      <ErrorAlert>{error}</ErrorAlert>
      {notes.loading && !notes.data ? <Loading what="Notities" /> : null}
      {notes.data && items.length === 0 ? <p className="muted">Nog geen notities.</p> : null}
      {items.length > 0 ? (
        <ol data-testid="notes" className="notes-list" style={{ listStyle: 'none', padding: 0, display: 'flex', flexWrap: 'wrap', gap: '0.8rem' }}>
          {items.map((n) => (
            <li
              key={n.id}
              data-testid="note"
              data-priority={n.priority}
              data-always-first={n.alwaysFirst}
              className={n.priority === 'high' ? 'note-priority' : undefined}
              style={{ background: postItColour[n.priority], color: '#1f2328', padding: '0.6rem 0.8rem', width: '16rem', boxShadow: '2px 3px 6px rgba(0,0,0,0.18)', borderTop: n.alwaysFirst ? '4px solid #0a3069' : undefined }}
            >
              {editing === n.id ? (
                <NoteForm
                  personId={personId}
                  note={n}
                  onDone={() => {
                    setEditing(undefined);
                    void changed();
                  }}
                  onCancel={() => setEditing(undefined)}
                />
              ) : (
                <>
                  <strong>{n.title}</strong>
                  {n.alwaysFirst ? <span className="badge"> altijd eerst</span> : null}
                  {n.priority === 'high' ? <span className="badge"> prioriteit</span> : null}
                  {n.showInDossier ? <span className="badge"> in dossier</span> : null}
                  <div style={{ fontSize: '0.85rem' }}>
                    <span data-testid="note-author">{n.createdByName ?? n.createdBy}</span>, {dateTime(n.createdAt)}
                  </div>
                  {n.text ? <p style={{ whiteSpace: 'pre-wrap' }}>{n.text}</p> : null}
                  <div className="inline-form">
                    <button type="button" className="secondary" onClick={() => setEditing(n.id)}>
                      Wijzigen<span className="visually-hidden">: notitie {n.title}</span>
                    </button>
                    <button type="button" className="secondary" onClick={() => remove(n)}>
                      Verwijderen<span className="visually-hidden">: notitie {n.title}</span>
                    </button>
                  </div>
                </>
              )}
            </li>
          ))}
        </ol>
      ) : null}
      <NoteForm personId={personId} onDone={() => void changed()} />
    </section>
  );
}

/** Adds a note, or (with `note`) changes one: the API's PUT takes all fields. */
function NoteForm({ personId, note, onDone, onCancel }: { personId: string; note?: Note; onDone: () => void; onCancel?: () => void }) {
  const titleId = useId();
  const textId = useId();
  const priorityId = useId();
  const [title, setTitle] = useState(note?.title ?? '');
  const [text, setText] = useState(note?.text ?? '');
  const [priority, setPriority] = useState<Priority>(note?.priority ?? 'normal');
  const [alwaysFirst, setAlwaysFirst] = useState(note?.alwaysFirst ?? false);
  const [showInDossier, setShowInDossier] = useState(note?.showInDossier ?? false);
  const [error, setError] = useState<string>();
  const name = note ? 'Notitie wijzigen' : 'Notitie toevoegen';
  return (
    <form
      aria-label={name}
      onSubmit={(e) => {
        e.preventDefault();
        setError(undefined);
        const body: NoteInput = { title, ...(text.trim() ? { text } : {}), priority, alwaysFirst, showInDossier };
        (note ? request('PUT', `/persons/${personId}/notes/${note.id}`, body) : post(`/persons/${personId}/notes`, body))
          .then(() => {
            if (!note) {
              setTitle('');
              setText('');
              setPriority('normal');
              setAlwaysFirst(false);
              setShowInDossier(false);
            }
            onDone();
          })
          .catch((err: unknown) => setError(errorText(err)));
      }}
    >
      <div className="field">
        <label htmlFor={titleId}>{note ? 'Titel' : 'Titel nieuwe notitie'}</label>
        <input id={titleId} value={title} onChange={(e) => setTitle(e.target.value)} required maxLength={200} />
      </div>
      <div className="field">
        <label htmlFor={textId}>Notitie</label>
        <textarea id={textId} value={text} onChange={(e) => setText(e.target.value)} rows={2} maxLength={20000} />
      </div>
      <div className="field">
        <label htmlFor={priorityId}>Prioriteit</label>
        <select id={priorityId} value={priority} onChange={(e) => setPriority(e.target.value as Priority)}>
          {priorities.map((p) => (
            <option key={p} value={p}>
              {notePriorityLabel[p]}
            </option>
          ))}
        </select>
      </div>
      <label>
        <input type="checkbox" checked={alwaysFirst} onChange={(e) => setAlwaysFirst(e.target.checked)} /> Altijd eerst
      </label>{' '}
      <label>
        <input type="checkbox" checked={showInDossier} onChange={(e) => setShowInDossier(e.target.checked)} /> Tonen in dossier
      </label>
      <div className="inline-form">
        <button type="submit">{note ? 'Opslaan' : 'Notitie toevoegen'}</button>
        {onCancel ? (
          <button type="button" className="secondary" onClick={onCancel}>
            Annuleren
          </button>
        ) : null}
      </div>
      <ErrorAlert title="Notitie niet opgeslagen">{error}</ErrorAlert>
    </form>
  );
}
