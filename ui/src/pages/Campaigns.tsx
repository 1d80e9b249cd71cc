/**
 * The office's mail campaigns with their progress (sent / failed / skipped of total, state),
 * refreshed every 2 s while the page is visible; pause, resume and cancel act after the
 * current batch, so the state follows shortly. "Ontvangers" shows the result per recipient.
 */
import { useEffect, useId, useState } from 'react';
import { errorText, get, post } from '../api';
import { ErrorAlert, Loading } from '../components/Messages';
import { useLoad } from '../hooks';
import { campaignStatusLabel, dateTime, recipientStatusLabel } from '../labels';
import { Link } from '../router';
import type { ApiResponse, Campaign } from '../types';
import { describeQuery } from '../selections';

const POLL_MS = 2_000;

/** `version` changes when a campaign was started here: the list reloads at once. */
export function CampaignList({ version }: { version: number }) {
  const campaigns = useLoad(() => get<ApiResponse<'/campaigns'>>('/campaigns?limit=20'), [], POLL_MS);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState<string>();
  const [open, setOpen] = useState<string>();
  const headingId = useId();
  const { reload } = campaigns;
  useEffect(() => {
    if (version > 0) void reload();
  }, [version, reload]);

  const act = async (c: Campaign, action: 'pause' | 'resume' | 'cancel') => {
    setBusy(c.id);
    setError(undefined);
    try {
      await post(`/campaigns/${encodeURIComponent(c.id)}/${action}`);
      await reload();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(undefined);
    }
  };

  const items = campaigns.data?.items ?? [];
  return (
    <section aria-labelledby={headingId}>
      <h3 id={headingId}>Mailcampagnes</h3>
      <ErrorAlert>{error ?? campaigns.error}</ErrorAlert>
      {campaigns.loading && !campaigns.data ? <Loading what="Mailcampagnes" /> : null}
      {campaigns.data && items.length === 0 ? <p className="muted">Nog geen mailcampagnes.</p> : null}
      {items.length > 0 ? (
        <table aria-label="Mailcampagnes">
          <thead>
            <tr>
              <th scope="col">Naam</th>
              <th scope="col">Status</th>
              <th scope="col">Voortgang</th>
              <th scope="col">Verzonden</th>
              <th scope="col">Mislukt</th>
              <th scope="col">Overgeslagen</th>
              <th scope="col">Totaal</th>
              <th scope="col">Acties</th>
            </tr>
          </thead>
          <tbody>
            {items.map((c) => {
              const handled = c.sent + c.failed + c.skipped + c.cancelled;
              return (
                <tr key={c.id}>
                  <th scope="row">
                    {c.name}
                    <br />
                    <small className="muted">
                      {describeQuery(c.query)} · {c.template} · {dateTime(c.createdAt)}
                    </small>
                  </th>
                  <td data-testid="campaign-status">{campaignStatusLabel[c.status] ?? c.status}</td>
                  <td>
                    <progress max={Math.max(1, c.total)} value={handled} aria-label={`Voortgang ${c.name}: ${handled} van ${c.total} afgehandeld`} />
                  </td>
                  <td>{c.sent}</td>
                  <td>{c.failed}</td>
                  <td>{c.skipped}</td>
                  <td>{c.total}</td>
                  <td>
                    <div className="actions">
                      {c.status === 'running' ? (
                        <button type="button" disabled={busy === c.id} aria-label={`Campagne ${c.name} pauzeren`} onClick={() => void act(c, 'pause')}>
                          Pauzeren
                        </button>
                      ) : null}
                      {c.status === 'paused' ? (
                        <button type="button" disabled={busy === c.id} aria-label={`Campagne ${c.name} hervatten`} onClick={() => void act(c, 'resume')}>
                          Hervatten
                        </button>
                      ) : null}
                      {c.status === 'running' || c.status === 'paused' ? (
                        <button type="button" disabled={busy === c.id} aria-label={`Campagne ${c.name} annuleren`} onClick={() => void act(c, 'cancel')}>
                          Annuleren
                        </button>
                      ) : null}
                      <button
                        type="button"
                        aria-expanded={open === c.id}
                        aria-label={`Ontvangers van campagne ${c.name}`}
                        onClick={() => setOpen(open === c.id ? undefined : c.id)}
                      >
                        Ontvangers
                      </button>
                    </div>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
      {open ? <Recipients id={open} /> : null}
    </section>
  );
}

function Recipients({ id }: { id: string }) {
  const detail = useLoad(
    () => get<ApiResponse<'/campaigns/{id}'>>(`/campaigns/${encodeURIComponent(id)}?limit=100`),
    [id],
    POLL_MS,
  );
  const d = detail.data;
  return (
    <div className="card">
      <ErrorAlert>{detail.error}</ErrorAlert>
      {detail.loading && !d ? <Loading what="Ontvangers" /> : null}
      {d ? (
        <table>
          <caption>
            Ontvangers van „{d.campaign.name}” ({d.recipients.total}
            {d.recipients.total > d.recipients.items.length ? `, de eerste ${d.recipients.items.length}` : ''})
          </caption>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Naam</th>
              <th scope="col">Dossier</th>
              <th scope="col">Status</th>
              <th scope="col">Reden</th>
            </tr>
          </thead>
          <tbody>
            {d.recipients.items.map((r) => (
              <tr key={r.position}>
                <td>{r.position}</td>
                <td>
                  <Link to={`/crm/persons/${r.personId}`}>{r.name}</Link>
                </td>
                <td>{r.dossierId ? <Link to={`/dossiers/${r.dossierId}`}>dossier</Link> : '–'}</td>
                <td>{recipientStatusLabel[r.status] ?? r.status}</td>
                <td>{r.reason ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
