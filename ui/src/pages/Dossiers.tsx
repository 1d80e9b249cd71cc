/** Dossiers: search by applicant name or e-mail, and create a dossier with its applicant. */
import { useState, type FormEvent } from 'react';
import { ApiError, errorText, get, post, query } from '../api';
import { TextField } from '../components/Field';
import { ErrorAlert, Loading } from '../components/Messages';
import { useLoad } from '../hooks';
import { date, dossierStatusLabel, duplicateReasonLabel } from '../labels';
import { Link, navigate } from '../router';
import type { ApiRequestBody, ApiResponse, ApplicantInput, Dossier, DuplicateProblem, DuplicateSuggestion, PersonInput } from '../types';

export function DossiersPage() {
  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState('');
  const list = useLoad(
    () => get<ApiResponse<'/dossiers'>>(`/dossiers${query({ q: search, status, limit: 50 })}`),
    [search, status],
  );
  return (
    <section>
      <h1>Dossiers</h1>
      <p>
        <Link to="/dossiers/new" className="button">
          Nieuw dossier
        </Link>
      </p>
      <form
        role="search"
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          setSearch(q);
        }}
      >
        <TextField label="Zoek op naam of e-mail" value={q} onChange={setQ} type="search" />
        <div className="field">
          <label htmlFor="dossier-status">Status</label>
          <select id="dossier-status" value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">Alle</option>
            <option value="prospect">Prospect</option>
            <option value="client">Klant</option>
          </select>
        </div>
        <button type="submit">Zoeken</button>
      </form>
      <ErrorAlert>{list.error}</ErrorAlert>
      {list.loading ? <Loading what="Dossiers" /> : null}
      {list.data ? (
        <table>
          <caption>{list.data.total} dossier(s)</caption>
          <thead>
            <tr>
              <th scope="col">Nummer</th>
              <th scope="col">Aanvragers</th>
              <th scope="col">Status</th>
              <th scope="col">Aangemaakt</th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((d) => (
              <tr key={d.id}>
                <td>
                  <Link to={`/dossiers/${d.id}`}>{d.number}</Link>
                </td>
                <td>{d.applicants.map((a) => a.name).join(' en ')}</td>
                <td>{dossierStatusLabel(d.status)}</td>
                <td>{date(d.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

const emptyPerson = {
  firstName: '',
  infix: '',
  lastName: '',
  birthDate: '',
  email: '',
  phone: '',
  street: '',
  houseNumber: '',
  postcode: '',
  city: '',
};
type PersonForm = typeof emptyPerson;

function personBody(p: PersonForm, allowDuplicate: boolean): PersonInput {
  const body: PersonInput = { firstName: p.firstName.trim(), lastName: p.lastName.trim() };
  if (p.infix.trim()) body.infix = p.infix.trim();
  if (p.birthDate) body.birthDate = p.birthDate;
  if (p.email.trim()) body.email = p.email.trim();
  if (p.phone.trim()) body.phone = p.phone.trim();
  if (p.street.trim() || p.houseNumber || p.postcode.trim() || p.city.trim()) {
    body.address = { street: p.street.trim(), houseNumber: Number(p.houseNumber), postcode: p.postcode.trim(), city: p.city.trim() };
  }
  if (allowDuplicate) body.allowDuplicate = true;
  return body;
}

export function NewDossierPage() {
  const [p, setP] = useState<PersonForm>(emptyPerson);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [duplicates, setDuplicates] = useState<DuplicateSuggestion[]>([]);
  const set = (k: keyof PersonForm) => (v: string) => setP((old) => ({ ...old, [k]: v }));

  const create = async (applicant: ApplicantInput) => {
    setBusy(true);
    setError(undefined);
    try {
      const dossier = await post<Dossier>('/dossiers', { applicants: [applicant] } satisfies ApiRequestBody<'/dossiers'>);
      navigate(`/dossiers/${dossier.id}`);
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        const body = err.body as Partial<DuplicateProblem>;
        setDuplicates(body.possibleDuplicates ?? []);
      }
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setDuplicates([]);
    void create({ person: personBody(p, false) });
  };

  return (
    <section>
      <h1>Nieuw dossier</h1>
      <p>Een nieuw dossier krijgt de status Prospect. Velden met * zijn verplicht.</p>
      <form onSubmit={submit} noValidate className="grid-form">
        <fieldset>
          <legend>Aanvrager</legend>
          <TextField label="Voornaam" value={p.firstName} onChange={set('firstName')} required autoComplete="given-name" />
          <TextField label="Tussenvoegsel" value={p.infix} onChange={set('infix')} />
          <TextField label="Achternaam" value={p.lastName} onChange={set('lastName')} required autoComplete="family-name" />
          <TextField label="Geboortedatum" type="date" value={p.birthDate} onChange={set('birthDate')} />
          <TextField label="E-mail" type="email" value={p.email} onChange={set('email')} autoComplete="email" />
          <TextField label="Telefoon" type="tel" value={p.phone} onChange={set('phone')} autoComplete="tel" />
        </fieldset>
        <fieldset>
          <legend>Adres</legend>
          <TextField label="Straat" value={p.street} onChange={set('street')} autoComplete="address-line1" />
          <TextField label="Huisnummer" type="number" min={1} value={p.houseNumber} onChange={set('houseNumber')} />
          <TextField label="Postcode" value={p.postcode} onChange={set('postcode')} autoComplete="postal-code" hint="bijv. 1234 AB" />
          <TextField label="Plaats" value={p.city} onChange={set('city')} autoComplete="address-level2" />
        </fieldset>
        <div>
          <button type="submit" disabled={busy}>
            Dossier aanmaken
          </button>
        </div>
      </form>
      <ErrorAlert title="Niet aangemaakt">{error}</ErrorAlert>
      {duplicates.length > 0 ? (
        <section aria-labelledby="dups">
          <h2 id="dups">Mogelijke dubbele relaties</h2>
          <ul className="plain">
            {duplicates.map((d) => (
              <li key={d.id}>
                {d.name} {d.birthDate ? `(${date(d.birthDate)})` : ''} {d.email ?? ''} – {d.reasons.map((r) => duplicateReasonLabel[r]).join(', ')}{' '}
                <button type="button" disabled={busy} onClick={() => void create({ personId: d.id })}>
                  Deze relatie gebruiken
                </button>
              </li>
            ))}
          </ul>
          <button type="button" className="secondary" disabled={busy} onClick={() => void create({ person: personBody(p, true) })}>
            Toch een nieuwe relatie aanmaken
          </button>
        </section>
      ) : null}
    </section>
  );
}
