/**
 * Beheer (admins): a person's privacy (AVG/GDPR): find the person, see what is linked to them
 * (dossiers and linked data, counted as deletion counts them) before confirming, then anonymise
 * (*anonimiseren*) or delete (*verwijderen*, only when nothing is linked); and the privacy audit
 * (*privacy-audit*): every anonymisation, deletion and advice export with its counts per table.
 */
import { useState, type FormEvent } from 'react';
import { errorText, get, query, request } from '../api';
import { ErrorAlert, Info, Loading } from '../components/Messages';
import { useLoad } from '../hooks';
import { date, dateTime } from '../labels';
import type { ApiResponse } from '../types';

type Persons = ApiResponse<'/persons'>;
type Person = Persons['items'][number];
type Preview = ApiResponse<'/persons/{id}/privacy-preview'>;
type Audit = ApiResponse<'/privacy/audit'>;

/** Dutch names of the kinds of linked data the API counts (codes as the API names them). */
export const linkedLabel: Record<string, string> = {
  products: 'Producten en polissen',
  documents: 'Documenten',
  personFiles: 'Bestanden op de klantkaart',
  mails: 'E-mails',
  tasks: 'Taken',
  contactMoments: 'Contactmomenten',
  invoices: 'Facturen',
  contracts: 'Contracten',
  hdnMessages: 'HDN-berichten',
  ocktoRetrievals: 'Ockto-ophalingen',
  riskClassHistory: 'Risicoklasse-historie',
  inboundMails: 'Inkomende e-mails',
  identifications: 'Identificaties (Wwft)',
};

const actionLabel: Record<string, string> = { anonymise: 'Geanonimiseerd', delete: 'Verwijderd', advice_export: 'Adviesexport' };

const nameOf = (p: Pick<Person, 'firstName' | 'infix' | 'lastName'>): string => [p.firstName, p.infix, p.lastName].filter(Boolean).join(' ');

const changesText = (changes: Record<string, number>): string =>
  Object.entries(changes)
    .map(([table, n]) => `${table}: ${n}`)
    .join(', ') || '—';

export function AdminPage() {
  const [auditVersion, setAuditVersion] = useState(0);
  return (
    <section>
      <h1>Beheer</h1>
      <PersonPrivacy onDone={() => setAuditVersion((v) => v + 1)} />
      <PrivacyAudit version={auditVersion} />
    </section>
  );
}

function PersonPrivacy({ onDone }: { onDone: () => void }) {
  const [q, setQ] = useState('');
  const [found, setFound] = useState<Persons>();
  const [person, setPerson] = useState<Person>();
  const [preview, setPreview] = useState<Preview>();
  const [confirming, setConfirming] = useState<'anonymise' | 'delete'>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();

  const search = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    try {
      setFound(await get<Persons>(`/persons${query({ q: q.trim(), limit: 20 })}`));
    } catch (err) {
      setError(errorText(err));
    }
  };

  const choose = async (p: Person) => {
    setPerson(p);
    setPreview(undefined);
    setConfirming(undefined);
    setDone(undefined);
    setError(undefined);
    try {
      setPreview(await get<Preview>(`/persons/${p.id}/privacy-preview`));
    } catch (err) {
      setError(errorText(err));
    }
  };

  const act = async () => {
    if (!person || !confirming) return;
    setBusy(true);
    setError(undefined);
    try {
      if (confirming === 'anonymise') {
        const r = await request<ApiResponse<'/persons/{id}/anonymise', 'post'>>('POST', `/persons/${person.id}/anonymise`, {});
        setDone(r.alreadyAnonymised ? `${nameOf(person)} was al geanonimiseerd.` : `Geanonimiseerd. Gewijzigd per tabel: ${changesText(r.changes)}.`);
        setPreview(await get<Preview>(`/persons/${person.id}/privacy-preview`));
      } else {
        const r = await request<ApiResponse<'/persons/{id}', 'delete'>>('DELETE', `/persons/${person.id}`);
        setDone(`${nameOf(person)} is verwijderd.${r.dossiersLeft.length ? ` ${r.dossiersLeft.length} dossier(s) blijven bestaan zonder deze aanvrager.` : ''}`);
        setPreview(undefined);
        setFound((f) => (f ? { ...f, items: f.items.filter((x) => x.id !== person.id) } : f));
      }
      setConfirming(undefined);
      onDone();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const linked = preview ? Object.entries(preview.linked) : [];
  return (
    <section aria-labelledby="privacy-h">
      <h2 id="privacy-h">Persoon anonimiseren of verwijderen</h2>
      <form onSubmit={(e) => void search(e)} className="grid-form" aria-label="Persoon zoeken">
        <div className="field">
          <label htmlFor="adm-q">Naam of e-mailadres</label>
          <input id="adm-q" type="search" value={q} onChange={(e) => setQ(e.target.value)} />
        </div>
        <div>
          <button type="submit">Zoeken</button>
        </div>
      </form>
      <ErrorAlert title="Niet gelukt">{error}</ErrorAlert>
      {found ? (
        found.items.length ? (
          <table aria-label="Gevonden personen">
            <thead>
              <tr>
                <th scope="col">Naam</th>
                <th scope="col">Geboortedatum</th>
                <th scope="col">E-mail</th>
                <th scope="col">
                  <span className="visually-hidden">Kiezen</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {found.items.map((p) => (
                <tr key={p.id}>
                  <td>{nameOf(p)}</td>
                  <td>{date(p.birthDate)}</td>
                  <td>{p.email ?? '—'}</td>
                  <td>
                    <button type="button" className="link" onClick={() => void choose(p)}>
                      Gevolgen bekijken<span className="visually-hidden"> voor {nameOf(p)}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="muted">Geen personen gevonden.</p>
        )
      ) : null}
      {done ? (
        <div role="status" className="alert alert-ok">
          {done}
        </div>
      ) : null}
      {person && preview ? (
        <section aria-labelledby="preview-h" className="card">
          <h3 id="preview-h">Gevolgen voor {nameOf(person)}</h3>
          {preview.anonymised ? <Info>Deze persoon is geanonimiseerd op {dateTime(preview.anonymisedAt)}.</Info> : null}
          <dl aria-label="Gekoppelde gegevens">
            <div>
              <dt>Dossiers met alleen deze aanvrager</dt>
              <dd>{preview.dossiers.sole}</dd>
            </div>
            <div>
              <dt>Dossiers met een medeaanvrager</dt>
              <dd>{preview.dossiers.shared}</dd>
            </div>
            {linked.map(([kind, n]) => (
              <div key={kind}>
                <dt>{linkedLabel[kind] ?? kind}</dt>
                <dd>{n}</dd>
              </div>
            ))}
          </dl>
          <p>
            {preview.deletable
              ? 'Er zijn geen gekoppelde gegevens meer: de persoon kan worden verwijderd. Dossiers met een medeaanvrager blijven bestaan.'
              : 'Er zijn nog gegevens gekoppeld: verwijderen kan niet. Anonimiseren vervangt of wist alle persoonsgegevens in al deze gegevens.'}
          </p>
          {confirming ? (
            <div role="group" aria-labelledby="confirm-h" className="alert alert-info">
              <p id="confirm-h">
                <strong>
                  {confirming === 'anonymise' ? `${nameOf(person)} definitief anonimiseren?` : `${nameOf(person)} definitief verwijderen?`}
                </strong>{' '}
                Dit kan niet ongedaan worden gemaakt.
              </p>
              <button type="button" className="danger" disabled={busy} onClick={() => void act()}>
                {confirming === 'anonymise' ? 'Ja, anonimiseren' : 'Ja, verwijderen'}
              </button>{' '}
              <button type="button" className="secondary" onClick={() => setConfirming(undefined)}>
                Annuleren
              </button>
            </div>
          ) : (
            <div>
              <button type="button" disabled={preview.anonymised} onClick={() => setConfirming('anonymise')}>
                Anonimiseren…
              </button>{' '}
              <button type="button" className="secondary" disabled={!preview.deletable} onClick={() => setConfirming('delete')}>
                Verwijderen…
              </button>
            </div>
          )}
        </section>
      ) : person && !error ? (
        <Loading what="Gevolgen" />
      ) : null}
    </section>
  );
}

function PrivacyAudit({ version }: { version: number }) {
  const audit = useLoad(() => get<Audit>(`/privacy/audit${query({ limit: 100 })}`), [version]);
  return (
    <section aria-labelledby="audit-h">
      <h2 id="audit-h">Privacy-audit</h2>
      <p className="muted">Elke anonimisering, verwijdering en adviesexport, met het aantal gewijzigde rijen per tabel (nooit persoonsgegevens).</p>
      <ErrorAlert>{audit.error}</ErrorAlert>
      {audit.loading ? <Loading what="Audit" /> : null}
      {audit.data && audit.data.items.length === 0 ? <p className="muted">Nog geen registraties.</p> : null}
      {audit.data && audit.data.items.length > 0 ? (
        <table aria-label="Privacy-audit">
          <thead>
            <tr>
              <th scope="col">Wanneer</th>
              <th scope="col">Handeling</th>
              <th scope="col">Persoon (id)</th>
              <th scope="col">Door (credential)</th>
              <th scope="col">Gewijzigd per tabel</th>
            </tr>
          </thead>
          <tbody>
            {audit.data.items.map((a) => (
              <tr key={a.id}>
                <td>{dateTime(a.at)}</td>
                <td>{actionLabel[a.action] ?? a.action}</td>
                <td>
                  <code>{a.personId}</code>
                </td>
                <td>
                  <code>{a.actor}</code>
                </td>
                <td>{changesText(a.changes)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
