/**
 * *Stukkenlijst van de geldverstrekker* on a mortgage product: the lines of the lender's DA
 * messages with their status, and per line an upload of the document (PDF, JPEG or PNG, up to
 * 25 MB), which the product workflow sends to the lender as DX. The API takes the file itself as
 * the request body (`POST /products/{id}/document-lines/{lineId}/file?filename=…`) and refuses
 * lines the lender fetched itself or approved (409); its message is shown at the line.
 */
import { useId, useRef, useState, type FormEvent } from 'react';
import { get, postBody } from '../../api';
import { useLoad } from '../../hooks';
import { dateTime } from '../../labels';
import type { ApiResponse } from '../../types';
import { fileSize, MAX_UPLOAD_BYTES } from '../../uploads';
import { ErrorAlert } from '../Messages';
import { documentLineStatusLabel } from './labels';

type Line = ApiResponse<'/products/{id}/document-lines'>['items'][number];
type Uploaded = ApiResponse<'/products/{id}/document-lines/{lineId}/file', 'post'>;

/** The file types the API takes (its `consumes`). */
const ACCEPT = 'application/pdf,image/jpeg,image/png';
/** The lender approved the document of this line (domain/hdn/document-lines DOCUMENT_LINE_APPROVED): nothing more to send. */
const APPROVED = '04';

/** Sends the file as the body with its own content type (not JSON); answers and errors are read as `request` reads them. */
const uploadLineFile = (productId: string, lineId: string, file: File): Promise<Uploaded> =>
  postBody<Uploaded>(`/products/${productId}/document-lines/${encodeURIComponent(lineId)}/file?filename=${encodeURIComponent(file.name)}`, file, file.type || 'application/octet-stream');

export function LenderChecklistSection({ productId, pollMs }: { productId: string; pollMs?: number }) {
  const lines = useLoad(() => get<ApiResponse<'/products/{id}/document-lines'>>(`/products/${productId}/document-lines`), [productId], pollMs);
  const headingId = useId();
  const items = lines.data?.items ?? [];
  return (
    <section className="lender-checklist" aria-labelledby={headingId}>
      <h4 id={headingId}>Stukkenlijst van de geldverstrekker ({items.length})</h4>
      <ErrorAlert>{lines.error}</ErrorAlert>
      {items.length === 0 ? (
        <p className="muted">De geldverstrekker heeft (nog) geen stukken opgevraagd.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Regel</th>
              <th scope="col">Document</th>
              <th scope="col">Status</th>
              <th scope="col">Opmerking</th>
              <th scope="col">Aanleveren</th>
            </tr>
          </thead>
          <tbody>
            {items.map((line) => (
              <LineRow key={line.id} productId={productId} line={line} onUploaded={() => void lines.reload()} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function LineRow({ productId, line, onUploaded }: { productId: string; line: Line; onUploaded: () => void }) {
  const [file, setFile] = useState<File>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [sent, setSent] = useState<Uploaded>();
  const input = useRef<HTMLInputElement>(null);
  const id = useId();
  const name = `${line.description ?? line.documentKind} (regel ${line.lineId})`;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    if (!file) {
      setError('Kies eerst een bestand.');
      return;
    }
    if (file.size > MAX_UPLOAD_BYTES) {
      setError(`Het bestand is groter dan 25 MB (${fileSize(file.size)}).`);
      return;
    }
    setBusy(true);
    try {
      setSent(await uploadLineFile(productId, line.lineId, file));
      setFile(undefined);
      if (input.current) input.current.value = '';
      onUploaded();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  const status = documentLineStatusLabel[line.status] ?? line.status;
  return (
    <tr data-line-id={line.lineId}>
      <td>{line.lineId}</td>
      <td>
        {line.description ?? line.documentKind}
        {line.applicantPosition ? <span className="muted"> (aanvrager {line.applicantPosition})</span> : null}
      </td>
      <td data-testid="line-status">
        {status}
        <br />
        <small className="muted">bijgewerkt {dateTime(line.updatedAt)}</small>
      </td>
      <td>{line.remark ?? '–'}</td>
      <td>
        {line.fetchedByLender ? (
          <span className="muted">Haalt de geldverstrekker zelf op</span>
        ) : line.status === APPROVED ? (
          <span className="muted">Goedgekeurd, niets meer aan te leveren</span>
        ) : (
          <form onSubmit={(e) => void submit(e)} aria-label={`Document uploaden voor ${name}`} noValidate>
            <label htmlFor={`${id}-file`} className="visually-hidden">
              Bestand voor {name}
            </label>
            <input
              id={`${id}-file`}
              ref={input}
              type="file"
              accept={ACCEPT}
              onChange={(e) => setFile(e.target.files?.[0])}
              aria-describedby={`${id}-hint`}
            />
            <small id={`${id}-hint`} className="muted">
              PDF, JPEG of PNG, tot 25 MB
            </small>
            <button type="submit" disabled={busy}>
              Uploaden<span className="visually-hidden"> voor {name}</span>
            </button>
            <ErrorAlert title="Niet verstuurd">{error}</ErrorAlert>
            {sent ? (
              <p role="status" data-testid="line-sent">
                {sent.filename} ({fileSize(sent.sizeBytes)}) wordt als DX naar de geldverstrekker verstuurd (poging {sent.attempt}).
              </p>
            ) : null}
          </form>
        )}
      </td>
    </tr>
  );
}
