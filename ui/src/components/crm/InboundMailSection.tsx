/**
 * *Inkomende mail* on the person card (the mails they sent to the office's mailbox, linked by
 * their address or by hand) and on the dossier (mails linked to it or to one of its applicants).
 * Each mail opens to its text; stored attachments download with the adviser's credential.
 */
import { useId, useState } from 'react';
import { download, errorText, get } from '../../api';
import { useLoad } from '../../hooks';
import { dateTime } from '../../labels';
import type { ApiResponse } from '../../types';
import { ErrorAlert, Loading } from '../Messages';

type InboundMailList = ApiResponse<'/persons/{id}/inbound-mails'>;
export type InboundMailSummary = InboundMailList['items'][number];
type InboundMail = ApiResponse<'/inbound-mails/{id}'>;

const kb = (bytes: number): string => `${Math.max(1, Math.round(bytes / 1024))} kB`;

/** The attachments of a mail as download buttons (one not kept: its name and size only). */
export function InboundAttachments({ mail, onError }: { mail: InboundMailSummary; onError: (message: string) => void }) {
  if (mail.attachments.length === 0) return <span className="muted">–</span>;
  return (
    <ul className="plain">
      {mail.attachments.map((a) => (
        <li key={a.id}>
          {a.url ? (
            <button type="button" className="link" onClick={() => download(a.url!, a.filename).catch((err: unknown) => onError(errorText(err)))}>
              {a.filename}
            </button>
          ) : (
            <span>{a.filename} (te groot, niet bewaard)</span>
          )}{' '}
          <span className="muted">({kb(a.sizeBytes)})</span>
        </li>
      ))}
    </ul>
  );
}

/** The text of one mail, loaded when opened. */
export function InboundMailText({ mailId }: { mailId: string }) {
  const mail = useLoad(() => get<InboundMail>(`/inbound-mails/${mailId}`), [mailId]);
  if (mail.loading) return <Loading what="Mail" />;
  if (mail.error) return <ErrorAlert>{mail.error}</ErrorAlert>;
  return <pre className="mail-text">{mail.data?.text ?? '(geen tekst)'}</pre>;
}

/** Whose mails: a person's (the card) or a dossier's (linked to it or to one of its applicants). */
export interface InboundMailSectionProps {
  owner: 'person' | 'dossier';
  ownerId: string;
}

export function InboundMailSection({ owner, ownerId }: InboundMailSectionProps) {
  const path = owner === 'person' ? `/persons/${ownerId}/inbound-mails` : `/dossiers/${ownerId}/inbound-mails`;
  const mails = useLoad(() => get<InboundMailList>(path), [path]);
  const [open, setOpen] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  const headingId = useId();
  const items = mails.data?.items ?? [];
  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId}>Inkomende mail</h2>
      <ErrorAlert>{mails.error ?? error}</ErrorAlert>
      {mails.loading ? <Loading what="Inkomende mail" /> : null}
      {mails.data && items.length === 0 ? <p className="muted">Geen inkomende mail.</p> : null}
      {items.length > 0 ? (
        <table data-testid="inbound-mails">
          <caption>{items.length} inkomende mail(s), nieuwste eerst</caption>
          <thead>
            <tr>
              <th scope="col">Ontvangen</th>
              <th scope="col">Van</th>
              <th scope="col">Onderwerp</th>
              <th scope="col">Bijlagen</th>
            </tr>
          </thead>
          <tbody>
            {items.map((m) => (
              <tr key={m.id}>
                <td>{dateTime(m.sentAt ?? m.receivedAt)}</td>
                <td>{m.fromName ? `${m.fromName} <${m.fromAddress ?? ''}>` : (m.fromAddress ?? '–')}</td>
                <td>
                  <button type="button" className="link" style={{ textAlign: 'left' }} aria-expanded={open === m.id} onClick={() => setOpen(open === m.id ? undefined : m.id)}>
                    {m.subject || '(geen onderwerp)'}
                  </button>
                  {m.links.some((l) => l.kind === 'hand') ? <span className="muted"> (met de hand gekoppeld)</span> : null}
                  {open === m.id ? <InboundMailText mailId={m.id} /> : null}
                </td>
                <td>
                  <InboundAttachments mail={m} onError={setError} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
