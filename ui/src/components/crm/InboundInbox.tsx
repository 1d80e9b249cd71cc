/**
 * The office's inbox of unmatched mail (*ongekoppelde inkomende mail*): mails whose From address
 * belongs to no person. An adviser reads one, looks up the person and links the mail to them (and
 * optionally one of their dossiers); it then leaves the inbox and shows on the card.
 */
import { useId, useState, type FormEvent } from 'react';
import { errorText, get, post, query } from '../../api';
import { useLoad } from '../../hooks';
import { dateTime } from '../../labels';
import type { ApiResponse } from '../../types';
import { TextField } from '../Field';
import { ErrorAlert, Info, Loading } from '../Messages';
import { InboundAttachments, InboundMailText, type InboundMailSummary } from './InboundMailSection';

type InboundMailList = ApiResponse<'/inbound-mails/unmatched'>;
type PersonList = ApiResponse<'/persons'>;
type DossierList = ApiResponse<'/dossiers'>;

function LinkForm({ mail, onLinked }: { mail: InboundMailSummary; onLinked: () => void }) {
  const [q, setQ] = useState(mail.fromName ?? '');
  const [persons, setPersons] = useState<PersonList['items']>([]);
  const [personId, setPersonId] = useState('');
  const [dossiers, setDossiers] = useState<DossierList['items']>([]);
  const [dossierId, setDossierId] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const id = useId();

  async function search(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    try {
      const found = await get<PersonList>(`/persons${query({ q, limit: 20 })}`);
      setPersons(found.items);
      setPersonId(found.items[0]?.id ?? '');
      setDossiers([]);
      setDossierId('');
      const first = found.items[0];
      if (first) await loadDossiers(first.id, first.email ?? first.name);
    } catch (err) {
      setError(errorText(err));
    }
  }

  async function loadDossiers(pid: string, q: string) {
    const found = await get<DossierList>(`/dossiers${query({ q, limit: 50 })}`);
    setDossiers(found.items.filter((d) => d.applicants.some((a) => a.personId === pid)));
  }

  async function link(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await post(`/inbound-mails/${mail.id}/links`, { personId, ...(dossierId ? { dossierId } : {}) });
      onLinked();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="card">
      <form role="search" className="inline-form" onSubmit={search}>
        <TextField label="Zoek relatie voor deze mail (naam of e-mail)" type="search" value={q} onChange={setQ} />
        <button type="submit">Zoeken</button>
      </form>
      {persons.length > 0 ? (
        <form className="inline-form" onSubmit={link}>
          <label htmlFor={`${id}-person`}>Relatie</label>
          <select
            id={`${id}-person`}
            value={personId}
            onChange={(e) => {
              const p = persons.find((x) => x.id === e.target.value);
              setPersonId(e.target.value);
              setDossierId('');
              if (p) loadDossiers(p.id, p.email ?? p.name).catch((err: unknown) => setError(errorText(err)));
            }}
          >
            {persons.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name} ({p.email ?? 'geen e-mail'})
              </option>
            ))}
          </select>
          <label htmlFor={`${id}-dossier`}>Dossier (optioneel)</label>
          <select id={`${id}-dossier`} value={dossierId} onChange={(e) => setDossierId(e.target.value)}>
            <option value="">Geen dossier</option>
            {dossiers.map((d) => (
              <option key={d.id} value={d.id}>
                Dossier {d.number}
              </option>
            ))}
          </select>
          <button type="submit" disabled={busy || !personId}>
            Koppelen
          </button>
        </form>
      ) : null}
      <ErrorAlert>{error}</ErrorAlert>
    </div>
  );
}

export function InboundInbox() {
  const mails = useLoad(() => get<InboundMailList>('/inbound-mails/unmatched'), []);
  const [open, setOpen] = useState<string | undefined>();
  const [linking, setLinking] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [done, setDone] = useState<string | undefined>();
  const headingId = useId();
  const items = mails.data?.items ?? [];

  async function pollNow() {
    setError(undefined);
    try {
      await post('/inbound-mails/poll');
      setDone('De mailbox wordt nu opgehaald; vernieuw de lijst over enkele seconden.');
    } catch (err) {
      setError(errorText(err));
    }
  }

  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId}>Ongekoppelde inkomende mail</h2>
      <p className="muted">Mail van een adres dat bij geen relatie hoort. Koppel een mail aan een relatie (en eventueel een dossier); hij staat dan op de relatiekaart.</p>
      <div className="inline-form">
        <button type="button" className="secondary" onClick={() => void mails.reload()}>
          Vernieuwen
        </button>
        <button type="button" className="secondary" onClick={() => void pollNow()}>
          Mailbox nu ophalen
        </button>
      </div>
      {done ? <Info>{done}</Info> : null}
      <ErrorAlert>{mails.error ?? error}</ErrorAlert>
      {mails.loading ? <Loading what="Inkomende mail" /> : null}
      {mails.data && items.length === 0 ? <p className="muted">Geen ongekoppelde mail.</p> : null}
      {items.length > 0 ? (
        <table data-testid="unmatched-mails">
          <caption>{items.length} ongekoppelde mail(s), nieuwste eerst</caption>
          <thead>
            <tr>
              <th scope="col">Ontvangen</th>
              <th scope="col">Van</th>
              <th scope="col">Onderwerp</th>
              <th scope="col">Bijlagen</th>
              <th scope="col">Koppelen</th>
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
                  {open === m.id ? <InboundMailText mailId={m.id} /> : null}
                </td>
                <td>
                  <InboundAttachments mail={m} onError={setError} />
                </td>
                <td>
                  {linking === m.id ? (
                    <LinkForm
                      mail={m}
                      onLinked={() => {
                        setLinking(undefined);
                        setDone(`„${m.subject}” is gekoppeld.`);
                        void mails.reload();
                      }}
                    />
                  ) : (
                    <button type="button" onClick={() => setLinking(m.id)}>
                      Koppel aan relatie
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
