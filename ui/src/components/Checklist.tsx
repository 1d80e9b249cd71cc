/**
 * The client's document checklist (*stukkenlijst*): on the dossier page for the adviser (status
 * per line, upload, goedkeuren, afkeuren met reden, downloaden, naar de geldverstrekker) and the
 * upload control the client portal uses too. Uploads are resumable (tus) with a progress bar.
 */
import { useId, useState } from 'react';
import { download, errorText, get, getToken, post } from '../api';
import { useLoad } from '../hooks';
import { date, dateTime } from '../labels';
import type { ApiResponse } from '../types';
import { fileSize, uploadFile } from '../uploads';
import { ErrorAlert, Loading } from './Messages';

type Checklist = ApiResponse<'/dossiers/{id}/checklist'>;
type Line = Checklist['lines'][number];
type Rejected = ApiResponse<'/dossiers/{id}/checklist/lines/{lineId}/reject', 'post'>;

/** A file chooser that uploads at once (tus) and hands the upload's id on; progress shown as it goes. */
export function UploadControl({ label, token, onUploaded }: { label: string; token: string; onUploaded: (uploadId: string) => Promise<void> }) {
  const inputId = useId();
  const [progress, setProgress] = useState<{ sent: number; total: number }>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  return (
    <div className="upload-control">
      <label htmlFor={inputId}>{label}</label>{' '}
      <input
        id={inputId}
        type="file"
        accept=".pdf,.jpg,.jpeg,.png,.heic,.docx,application/pdf,image/jpeg,image/png,image/heic"
        disabled={busy}
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (!file) return;
          setBusy(true);
          setError(undefined);
          setProgress({ sent: 0, total: file.size });
          uploadFile(file, token, (sent, total) => setProgress({ sent, total }))
            .then((id) => onUploaded(id))
            .catch((err: unknown) => setError(errorText(err)))
            .finally(() => setBusy(false));
        }}
      />
      {progress && busy ? (
        <span>
          {' '}
          <progress max={progress.total} value={progress.sent} aria-label={`Voortgang ${label}`} /> {Math.floor((progress.sent / Math.max(progress.total, 1)) * 100)}%
        </span>
      ) : null}
      <ErrorAlert title="Uploaden mislukt">{error}</ErrorAlert>
    </div>
  );
}

export function statusClass(status: string): string {
  return `badge checklist-${status}`;
}

function LineRow({ dossierId, line, reload }: { dossierId: string; line: Line; reload: () => Promise<void> }) {
  const reasonId = useId();
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();
  const base = `/dossiers/${dossierId}/checklist/lines/${line.id}`;
  const act = <R,>(what: string | ((result: R) => string), fn: () => Promise<R>) => {
    setError(undefined);
    setDone(undefined);
    fn()
      .then((result) => {
        setDone(typeof what === 'string' ? what : what(result));
        return reload();
      })
      .catch((err: unknown) => setError(errorText(err)));
  };
  const reviewable = line.file !== null && line.status === 'uploaded';
  return (
    <tr data-testid={`checklist-line-${line.code}`}>
      <th scope="row">{line.label}</th>
      <td>
        <span className={statusClass(line.status)} data-testid="line-status">
          {line.statusLabel}
        </span>
        {line.validUntil ? <div className="muted">geldig t/m {date(line.validUntil)}</div> : null}
        {line.rejectionReason ? <div>Reden: {line.rejectionReason}</div> : null}
        {line.reviewedBy ? <div className="muted">door {line.reviewedBy}</div> : null}
      </td>
      <td>
        {line.file ? (
          <>
            {line.file.filename} ({fileSize(line.file.sizeBytes)})
            <div className="muted">
              {line.file.uploadedBy === 'client' ? 'door de klant' : 'door de adviseur'}, {dateTime(line.file.attachedAt)}
            </div>
          </>
        ) : (
          <span className="muted">Nog geen bestand</span>
        )}
      </td>
      <td>
        <UploadControl label={`Bestand voor ${line.label}`} token={getToken() ?? ''} onUploaded={async (uploadId) => act('Bestand toegevoegd', () => post(`${base}/files`, { uploadId }))} />
        {line.file ? (
          <button type="button" className="link" onClick={() => download(`${base}/file`, line.file?.filename ?? 'document').catch((err: unknown) => setError(errorText(err)))}>
            Downloaden<span className="visually-hidden"> {line.label}</span>
          </button>
        ) : null}
        {reviewable ? (
          <>
            {' '}
            <button type="button" onClick={() => act('Goedgekeurd', () => post(`${base}/approve`))}>
              Goedkeuren<span className="visually-hidden"> {line.label}</span>
            </button>{' '}
            <button type="button" className="secondary" onClick={() => setRejecting(true)} aria-expanded={rejecting}>
              Afkeuren<span className="visually-hidden"> {line.label}</span>
            </button>
          </>
        ) : null}
        {rejecting && reviewable ? (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              act(
                (r: Rejected) =>
                  r.mailsSent
                    ? 'Afgekeurd; de klant heeft een mail gekregen'
                    : r.mailsRetrying.length > 0
                      ? 'Afgekeurd; de mailserver is nu niet bereikbaar, de mail aan de klant wordt later verstuurd'
                      : 'Afgekeurd; de mail aan de klant is nog niet verstuurd (zie Mails; nogmaals afkeuren probeert het opnieuw)',
                async () => {
                  const r = await post<Rejected>(`${base}/reject`, { reason });
                  setRejecting(false);
                  setReason('');
                  return r;
                },
              );
            }}
          >
            <label htmlFor={reasonId}>Reden van afkeuren</label>
            <textarea id={reasonId} value={reason} onChange={(e) => setReason(e.target.value)} required minLength={3} maxLength={1000} rows={2} />
            <button type="submit">Afkeuren bevestigen</button>
          </form>
        ) : null}
        {line.file && line.lenderLines.length > 0 && line.status !== 'rejected' ? (
          <button type="button" className="secondary" onClick={() => act('Naar de geldverstrekker verstuurd (DX)', () => post(`${base}/send-to-lender`, {}))}>
            Naar geldverstrekker<span className="visually-hidden"> {line.label}</span>
          </button>
        ) : null}
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

/** The adviser's "Stukkenlijst" section of a dossier. */
export function ChecklistSection({ dossierId, pollMs }: { dossierId: string; pollMs?: number }) {
  const headingId = useId();
  const checklist = useLoad(() => get<Checklist>(`/dossiers/${dossierId}/checklist`), [dossierId], pollMs);
  const lines = checklist.data?.lines ?? [];
  return (
    <section aria-labelledby={headingId} className="checklist">
      <h2 id={headingId}>Stukkenlijst</h2>
      <ErrorAlert title="Stukkenlijst niet geladen">{checklist.error}</ErrorAlert>
      {checklist.loading && !checklist.data ? <Loading what="Stukkenlijst" /> : null}
      {checklist.data && lines.length === 0 ? <p className="muted">Nog geen stukkenlijst: kies er een met de stap “Stukkenlijst kiezen”.</p> : null}
      {lines.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th scope="col">Document</th>
              <th scope="col">Status</th>
              <th scope="col">Bestand</th>
              <th scope="col">Acties</th>
            </tr>
          </thead>
          <tbody>
            {lines.map((line) => (
              <LineRow key={line.id} dossierId={dossierId} line={line} reload={checklist.reload} />
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
