/**
 * CRM: search persons (relaties) and the person card with their dossiers. The query manager
 * (saved queries, export) does not exist in the API yet; the page says so.
 */
import { useState } from 'react';
import { get, query } from '../api';
import { TextField } from '../components/Field';
import { ErrorAlert, Info, Loading } from '../components/Messages';
import { useLoad } from '../hooks';
import { date, dateTime, dossierStatusLabel } from '../labels';
import { Link } from '../router';
import type { DossierSummary, Person } from '../types';

export function CrmPage() {
  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  const persons = useLoad(() => get<{ items: Person[]; total: number }>(`/persons${query({ q: search, limit: 50 })}`), [search]);
  return (
    <section>
      <h1>CRM – relaties</h1>
      <Info>
        Zoekvragenbeheer (opgeslagen zoekvragen en export) bestaat nog niet in de API. Hier kun je relaties zoeken op naam of
        e-mail en hun kaart bekijken.
      </Info>
      <form
        role="search"
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          setSearch(q);
        }}
      >
        <TextField label="Zoek relatie op naam of e-mail" type="search" value={q} onChange={setQ} />
        <button type="submit">Zoeken</button>
      </form>
      <ErrorAlert>{persons.error}</ErrorAlert>
      {persons.loading ? <Loading what="Relaties" /> : null}
      {persons.data ? (
        <table>
          <caption>{persons.data.total} relatie(s)</caption>
          <thead>
            <tr>
              <th scope="col">Naam</th>
              <th scope="col">Geboortedatum</th>
              <th scope="col">E-mail</th>
              <th scope="col">Woonplaats</th>
            </tr>
          </thead>
          <tbody>
            {persons.data.items.map((p) => (
              <tr key={p.id}>
                <td>
                  <Link to={`/crm/persons/${p.id}`}>{p.name}</Link>
                </td>
                <td>{date(p.birthDate)}</td>
                <td>{p.email ?? '–'}</td>
                <td>{p.address?.city ?? '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

export function PersonPage({ id }: { id: string }) {
  const person = useLoad(() => get<Person>(`/persons/${id}`), [id]);
  const p = person.data;
  const dossiers = useLoad(
    async () => (p ? (await get<{ items: DossierSummary[] }>(`/dossiers${query({ q: p.email ?? p.lastName, limit: 50 })}`)).items.filter((d) => d.applicants.some((a) => a.personId === p.id)) : []),
    [p?.id],
  );
  return (
    <section>
      <h1>Relatiekaart{p ? `: ${p.name}` : ''}</h1>
      <ErrorAlert>{person.error}</ErrorAlert>
      {person.loading ? <Loading what="Relatie" /> : null}
      {p ? (
        <dl className="card">
          <dt>Naam</dt>
          <dd>{p.name}</dd>
          <dt>Geboortedatum</dt>
          <dd>{date(p.birthDate)}</dd>
          <dt>E-mail</dt>
          <dd>{p.email ?? '–'}</dd>
          <dt>Telefoon</dt>
          <dd>{p.phone ?? '–'}</dd>
          <dt>Adres</dt>
          <dd>{p.address ? `${p.address.street} ${p.address.houseNumber}${p.address.houseNumberSuffix ?? ''}, ${p.address.postcode} ${p.address.city}` : '–'}</dd>
          <dt>Relatie sinds</dt>
          <dd>{dateTime(p.createdAt)}</dd>
        </dl>
      ) : null}
      <h2>Dossiers</h2>
      <ErrorAlert>{dossiers.error}</ErrorAlert>
      <ul>
        {(dossiers.data ?? []).map((d) => (
          <li key={d.id}>
            <Link to={`/dossiers/${d.id}`}>Dossier {d.number}</Link> – {dossierStatusLabel(d.status)}
          </li>
        ))}
      </ul>
      {dossiers.data && dossiers.data.length === 0 ? <p className="muted">Geen dossiers gevonden.</p> : null}
    </section>
  );
}
