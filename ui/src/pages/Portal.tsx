/**
 * The client portal (*klantportaal*): the activation link from the mail lands here with its token
 * in the fragment (/ui/portal#<token>, never sent to a server). The page exchanges it for a portal
 * session (POST /portal/sessions, 30 minutes), removes it from the address bar, and shows the
 * client's own checklist: status per line, the reason of a rejection, and a resumable upload per
 * line. When the session has expired, the link (kept for this tab only) opens a new one.
 */
import { useCallback, useEffect, useState } from 'react';
import { ApiError, errorText } from '../api';
import { UploadControl, statusClass } from '../components/Checklist';
import { ErrorAlert, Loading } from '../components/Messages';
import { date } from '../labels';
import type { ApiResponse } from '../types';
import { fileSize } from '../uploads';

type PortalChecklist = ApiResponse<'/portal/checklist'>;
type PortalSession = ApiResponse<'/portal/sessions', 'post'>;

const LINK_KEY = 'dossierflow.portal.link';
const SESSION_KEY = 'dossierflow.portal.session';

async function call<T>(method: string, path: string, token: string | undefined, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const text = await res.text();
  const json: unknown = text ? JSON.parse(text) : undefined;
  if (!res.ok) throw new ApiError(res.status, (json as { detail?: string } | undefined)?.detail ?? `${res.status}`, json);
  return json as T;
}

/** A session token: the one of this tab while it lives, else a new one from the link. */
async function openSession(fresh: boolean): Promise<string> {
  const kept = sessionStorage.getItem(SESSION_KEY);
  if (kept && !fresh) return kept;
  const link = sessionStorage.getItem(LINK_KEY);
  if (!link) throw new Error('Open de link uit de mail van uw adviseur om uw portaal te openen.');
  const session = await call<PortalSession>('POST', '/portal/sessions', undefined, { token: link });
  sessionStorage.setItem(SESSION_KEY, session.token);
  return session.token;
}

export function PortalPage() {
  const [token, setToken] = useState<string>();
  const [checklist, setChecklist] = useState<PortalChecklist>();
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();

  const load = useCallback(async (fresh = false) => {
    try {
      let t = await openSession(fresh);
      let list: PortalChecklist;
      try {
        list = await call<PortalChecklist>('GET', '/portal/checklist', t);
      } catch (err) {
        if (!(err instanceof ApiError && err.status === 401)) throw err;
        t = await openSession(true); // the session expired: the link opens a new one
        list = await call<PortalChecklist>('GET', '/portal/checklist', t);
      }
      setToken(t);
      setChecklist(list);
      setError(undefined);
    } catch (err) {
      setError(err instanceof ApiError && err.status === 404 ? 'Deze link is onbekend of verlopen. Vraag uw adviseur om een nieuwe link.' : errorText(err));
    }
  }, []);

  useEffect(() => {
    document.title = 'Uw documenten – klantportaal';
    const fromLink = window.location.hash.replace(/^#/, '');
    if (fromLink) {
      sessionStorage.setItem(LINK_KEY, fromLink);
      sessionStorage.removeItem(SESSION_KEY);
      window.history.replaceState(null, '', window.location.pathname);
    }
    void load(Boolean(fromLink));
  }, [load]);

  const attach = async (lineId: string, uploadId: string, label: string) => {
    if (!token) return;
    await call('POST', `/portal/checklist/lines/${lineId}/files`, token, { uploadId });
    setNotice(`Ontvangen: ${label}. Uw adviseur beoordeelt het document.`);
    await load();
  };

  return (
    <main id="main" className="portal">
      <h1>Uw documenten</h1>
      {checklist ? (
        <p>
          {checklist.officeName} vraagt de volgende documenten voor dossier {checklist.dossierNumber}. Bestanden tot 25 MB: PDF, JPEG, PNG, HEIC of Word (DOCX).
        </p>
      ) : null}
      <ErrorAlert title="Het portaal kan niet worden geopend">{error}</ErrorAlert>
      {!checklist && !error ? <Loading what="Uw documenten" /> : null}
      {notice ? (
        <p role="status" className="alert alert-info">
          {notice}
        </p>
      ) : null}
      {checklist && token ? (
        <table>
          <thead>
            <tr>
              <th scope="col">Document</th>
              <th scope="col">Status</th>
              <th scope="col">Aanleveren</th>
            </tr>
          </thead>
          <tbody>
            {checklist.lines.map((line) => (
              <tr key={line.id} data-testid={`portal-line-${line.code}`}>
                <th scope="row">{line.label}</th>
                <td>
                  <span className={statusClass(line.status)} data-testid="line-status">
                    {line.statusLabel}
                  </span>
                  {line.file ? (
                    <div className="muted">
                      {line.file.filename} ({fileSize(line.file.sizeBytes)})
                    </div>
                  ) : null}
                  {line.rejectionReason ? <div data-testid="rejection-reason">Reden van afkeuren: {line.rejectionReason}</div> : null}
                  {line.status === 'expired' && line.validUntil ? <div>Verlopen na {date(line.validUntil)}: lever een recenter document aan.</div> : null}
                </td>
                <td>
                  {line.status === 'approved' ? (
                    <span className="muted">Goedgekeurd, niets meer nodig</span>
                  ) : (
                    <UploadControl label={`Bestand voor ${line.label}`} token={token} onUploaded={(uploadId) => attach(line.id, uploadId, line.label)} />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </main>
  );
}
