/**
 * *Bestanden* on the person card (seed 002): files kept with the person before there is a
 * dossier (a copy of an ID, say), uploaded resumably (tus, the same engine as the checklist),
 * listed with where each is now and its history, downloaded, moved to one of the person's
 * dossiers (or between them, or back to the card: "verplaats naar dossier") and deleted. Every
 * move is audited by the API (who, when, from, to) and shown under Geschiedenis. The dossier page
 * shows the files moved there with `DossierPersonFiles`.
 */
import { useId, useState } from 'react';
import { download, errorText, get, getToken, post, request } from '../../api';
import { useLoad } from '../../hooks';
import { dateTime } from '../../labels';
import { Link } from '../../router';
import type { ApiResponse } from '../../types';
import { fileSize } from '../../uploads';
import { UploadControl } from '../Checklist';
import { ErrorAlert, Loading } from '../Messages';

type FileList = ApiResponse<'/persons/{id}/files'>;
type PersonFile = FileList['items'][number];
type HistoryLine = PersonFile['history'][number];
type Card = ApiResponse<'/persons/{id}/card'>;
/** A dossier a file may move to (one where the person is an applicant). */
type DossierChoice = Pick<Card['dossiers'][number], 'id' | 'number'>;

const place = (d: { number: string | null } | null): string => (d ? `dossier ${d.number ?? '(verwijderd)'}` : 'de kaart');

function historyText(h: HistoryLine): string {
  const who = h.by.name ?? 'onbekend';
  const when = dateTime(h.at);
  if (h.kind === 'attached') return `${when}: toegevoegd door ${who}`;
  if (h.kind === 'deleted') return `${when}: verwijderd door ${who}`;
  return `${when}: verplaatst van ${place(h.from)} naar ${place(h.to)} door ${who}`;
}

function History({ file }: { file: PersonFile }) {
  return (
    <details>
      <summary>
        Geschiedenis<span className="visually-hidden"> van {file.filename}</span> ({file.history.length})
      </summary>
      <ol data-testid="file-history">
        {file.history.map((h, i) => (
          <li key={i}>{historyText(h)}</li>
        ))}
      </ol>
    </details>
  );
}

function FileRow({ file, dossiers, reload }: { file: PersonFile; dossiers: readonly DossierChoice[]; reload: () => Promise<void> }) {
  const selectId = useId();
  const [target, setTarget] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();
  const base = `/persons/${file.personId}/files/${file.id}`;
  const act = (what: string, fn: () => Promise<unknown>) => {
    setError(undefined);
    setDone(undefined);
    fn()
      .then(() => {
        setDone(what);
        return reload();
      })
      .catch((err: unknown) => setError(errorText(err)));
  };
  const targets = [{ value: 'kaart', label: 'Alleen op de kaart' }, ...dossiers.map((d) => ({ value: d.id, label: `Dossier ${d.number}` }))].filter(
    (t) => t.value !== (file.dossier?.id ?? 'kaart'),
  );
  return (
    <tr data-testid="person-file">
      <th scope="row">
        {file.filename} <span className="muted">({fileSize(file.sizeBytes)})</span>
      </th>
      <td data-testid="file-place">{file.dossier ? <Link to={`/dossiers/${file.dossier.id}`}>Dossier {file.dossier.number}</Link> : 'Kaart'}</td>
      <td>
        {dateTime(file.createdAt)}
        <div className="muted">door {file.createdBy.name ?? 'onbekend'}</div>
        <History file={file} />
      </td>
      <td>
        <button type="button" className="link" onClick={() => download(file.href, file.filename).catch((err: unknown) => setError(errorText(err)))}>
          Downloaden<span className="visually-hidden"> {file.filename}</span>
        </button>
        {targets.length > 0 ? (
          <form
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              if (!target) return;
              const to = targets.find((t) => t.value === target);
              act(`Verplaatst naar ${to?.label ?? ''}`.trim(), () => post(`${base}/move`, { dossierId: target === 'kaart' ? null : target }));
              setTarget('');
            }}
          >
            <label htmlFor={selectId}>
              Verplaats naar dossier<span className="visually-hidden"> ({file.filename})</span>
            </label>
            <select id={selectId} value={target} onChange={(e) => setTarget(e.target.value)}>
              <option value="">Kies…</option>
              {targets.map((t) => (
                <option key={t.value} value={t.value}>
                  {t.label}
                </option>
              ))}
            </select>
            <button type="submit" disabled={!target}>
              Verplaatsen<span className="visually-hidden"> {file.filename}</span>
            </button>
          </form>
        ) : null}
        {confirming ? (
          <>
            <button type="button" className="secondary" onClick={() => act('Verwijderd', () => request('DELETE', base))}>
              Definitief verwijderen<span className="visually-hidden"> {file.filename}</span>
            </button>{' '}
            <button type="button" className="link" onClick={() => setConfirming(false)}>
              Annuleren
            </button>
          </>
        ) : (
          <button type="button" className="link" onClick={() => setConfirming(true)}>
            Verwijderen<span className="visually-hidden"> {file.filename}</span>
          </button>
        )}
        {done ? (
          <p role="status" className="muted">
            {done}
          </p>
        ) : null}
        <ErrorAlert title="Niet gelukt">{error}</ErrorAlert>
      </td>
    </tr>
  );
}

/** The "Bestanden" section of the person card. */
export function PersonFilesSection({ personId }: { personId: string }) {
  const headingId = useId();
  const files = useLoad(() => get<FileList>(`/persons/${personId}/files`), [personId]);
  // The dossiers a file may move to: those in which the person is an applicant (the card lists them).
  const dossiers = useLoad(async () => (await get<Card>(`/persons/${personId}/card`)).dossiers.map((d) => ({ id: d.id, number: d.number })), [personId]);
  const [added, setAdded] = useState<string>();
  const items = files.data?.items ?? [];
  return (
    <section aria-labelledby={headingId} className="person-files">
      <h2 id={headingId}>Bestanden</h2>
      <UploadControl
        label="Bestand toevoegen"
        token={getToken() ?? ''}
        onUploaded={async (uploadId) => {
          const file = await post<PersonFile>(`/persons/${personId}/files`, { uploadId });
          setAdded(`${file.filename} toegevoegd`);
          await files.reload();
        }}
      />
      {added ? (
        <p role="status" className="muted">
          {added}
        </p>
      ) : null}
      <ErrorAlert title="Bestanden niet geladen">{files.error ?? dossiers.error}</ErrorAlert>
      {files.loading && !files.data ? <Loading what="Bestanden" /> : null}
      {files.data && items.length === 0 ? <p className="muted">Nog geen bestanden bij deze relatie.</p> : null}
      {items.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th scope="col">Bestand</th>
              <th scope="col">Staat in</th>
              <th scope="col">Toegevoegd</th>
              <th scope="col">Acties</th>
            </tr>
          </thead>
          <tbody>
            {items.map((f) => (
              <FileRow key={f.id} file={f} dossiers={dossiers.data ?? []} reload={files.reload} />
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

/** On the dossier page: the files moved here from the applicants' cards. */
export function DossierPersonFiles({ dossierId, pollMs }: { dossierId: string; pollMs?: number }) {
  const headingId = useId();
  const files = useLoad(() => get<FileList>(`/dossiers/${dossierId}/person-files`), [dossierId], pollMs);
  const [error, setError] = useState<string>();
  const items = files.data?.items ?? [];
  return (
    <section aria-labelledby={headingId} className="person-files">
      <h2 id={headingId}>Bestanden van de relatiekaart</h2>
      <ErrorAlert title="Bestanden niet geladen">{files.error ?? error}</ErrorAlert>
      {files.data && items.length === 0 ? <p className="muted">Geen bestanden van de kaart naar dit dossier verplaatst.</p> : null}
      {items.length > 0 ? (
        <ul data-testid="dossier-person-files">
          {items.map((f) => (
            <li key={f.id}>
              <button type="button" className="link" onClick={() => download(f.href, f.filename).catch((err: unknown) => setError(errorText(err)))}>
                {f.filename}
              </button>{' '}
              <span className="muted">
                ({fileSize(f.sizeBytes)}) van <Link to={`/crm/persons/${f.personId}`}>{f.personName ?? 'de relatie'}</Link>
                {f.history.length > 0 ? `; ${historyText(f.history[f.history.length - 1]!)}` : ''}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
