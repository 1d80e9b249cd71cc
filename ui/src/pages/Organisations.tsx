/**
 * CRM | Organisaties: lenders, notaries, employers, ... of the office. The list searches by
 * name, KvK number or city and creates new ones (a KvK number already in use is answered with
 * the existing organisation: open it, or create anyway). The detail page shows the data, the
 * contact persons (CRM persons with a role) and the dossiers and products the organisation is a
 * party of; the lender or insurer of a product is derived from the product's company.
 */
import { useState, type FormEvent } from 'react';
import { ApiError, errorText, get, query, request } from '../api';
import { TextField } from '../components/Field';
import { ErrorAlert, Loading } from '../components/Messages';
import { SelectField } from '../components/crm/SelectField';
import {
  addressLine,
  contactRoleLabel,
  contactRoles,
  kvkLabel,
  organisationKindLabel,
  organisationKinds,
  partyRoleLabel,
  type ContactRole,
  type Organisation,
  type OrganisationDuplicate,
  type OrganisationProblem,
  type OrganisationInput,
  type OrganisationKind,
} from '../components/crm/organisations';
import { useLoad } from '../hooks';
import { date, productTypeLabel } from '../labels';
import { Link, navigate } from '../router';
import type { ApiResponse } from '../types';

/** The organisations a 409 possible-duplicate names. */
function duplicatesOf(err: unknown): OrganisationDuplicate[] {
  if (!(err instanceof ApiError) || err.status !== 409) return [];
  const found = (err.body as OrganisationProblem | undefined)?.possibleDuplicates;
  return Array.isArray(found) ? found : [];
}

export function OrganisationsPage() {
  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  const [kind, setKind] = useState<OrganisationKind | ''>('');
  const [archived, setArchived] = useState(false);
  const [creating, setCreating] = useState(false);
  const list = useLoad(
    () => get<ApiResponse<'/organisations'>>(`/organisations${query({ q: search, kind: kind || undefined, includeArchived: archived || undefined, limit: 50 })}`),
    [search, kind, archived],
  );
  return (
    <section>
      <h1>CRM – organisaties</h1>
      <p>
        <Link to="/crm">Naar relaties (personen)</Link>
      </p>
      <form
        role="search"
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          setSearch(q);
        }}
      >
        <TextField label="Zoek organisatie op naam, KvK-nummer of plaats" type="search" value={q} onChange={setQ} />
        <SelectField label="Soort" value={kind} options={organisationKinds.map((k) => ({ value: k, label: organisationKindLabel[k] }))} onChange={setKind} />
        <label>
          <input type="checkbox" checked={archived} onChange={(e) => setArchived(e.target.checked)} /> Ook gearchiveerde
        </label>
        <button type="submit">Zoeken</button>
      </form>
      {creating ? (
        <OrganisationForm onCancel={() => setCreating(false)} onSaved={(o) => navigate(`/crm/organisations/${o.id}`)} />
      ) : (
        <button type="button" onClick={() => setCreating(true)}>
          Organisatie toevoegen
        </button>
      )}
      <ErrorAlert>{list.error}</ErrorAlert>
      {list.loading ? <Loading what="Organisaties" /> : null}
      {list.data ? (
        <table>
          <caption>{list.data.total} organisatie(s)</caption>
          <thead>
            <tr>
              <th scope="col">Naam</th>
              <th scope="col">Soort</th>
              <th scope="col">KvK-nummer</th>
              <th scope="col">Plaats</th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((o) => (
              <tr key={o.id}>
                <td>
                  <Link to={`/crm/organisations/${o.id}`}>{o.name}</Link>
                  {o.archived ? <small className="muted"> (gearchiveerd)</small> : null}
                </td>
                <td>{organisationKindLabel[o.kind]}</td>
                <td>{kvkLabel(o.kvkNumber)}</td>
                <td>{o.address?.city ?? '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

/**
 * Create a new organisation, or edit one (`initial`: sent with its version as If-Match, so an
 * edit over someone else's change is refused). A KvK number in use shows the existing one(s)
 * and a "save anyway".
 */
function OrganisationForm({ initial, onSaved, onCancel }: { initial?: Organisation; onSaved: (o: Organisation) => void; onCancel: () => void }) {
  const [kind, setKind] = useState<OrganisationKind | ''>(initial?.kind ?? '');
  const [name, setName] = useState(initial?.name ?? '');
  const [kvk, setKvk] = useState(initial?.kvkNumber ?? '');
  const [establishment, setEstablishment] = useState(initial?.establishmentNumber ?? '');
  const [street, setStreet] = useState(initial?.address?.street ?? '');
  const [houseNumber, setHouseNumber] = useState(initial?.address ? String(initial.address.houseNumber) : '');
  const [postcode, setPostcode] = useState(initial?.address?.postcode ?? '');
  const [city, setCity] = useState(initial?.address?.city ?? '');
  const [phone, setPhone] = useState(initial?.phone ?? '');
  const [email, setEmail] = useState(initial?.email ?? '');
  const [website, setWebsite] = useState(initial?.website ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [duplicates, setDuplicates] = useState<OrganisationDuplicate[]>([]);

  async function save(allowDuplicate: boolean) {
    setBusy(true);
    setError(undefined);
    const opt = (v: string) => (v.trim() ? v.trim() : undefined);
    const hasAddress = street.trim() || houseNumber.trim() || postcode.trim() || city.trim();
    // What the adviser typed goes as it is: the API checks and names the field.
    const body = {
      kind,
      name,
      kvkNumber: opt(kvk),
      establishmentNumber: opt(establishment),
      address: hasAddress ? { street, houseNumber: Number(houseNumber), postcode, city } : undefined,
      phone: opt(phone),
      email: opt(email),
      website: opt(website),
      ...(allowDuplicate ? { allowDuplicate: true } : {}),
    } as OrganisationInput;
    try {
      if (initial) {
        // An edit sends every field: an emptied one is cleared (null).
        const none = (v: string | undefined) => v ?? null;
        const patch = {
          kind: body.kind,
          name: body.name,
          kvkNumber: none(body.kvkNumber),
          establishmentNumber: none(body.establishmentNumber),
          address: body.address ?? null,
          phone: none(body.phone),
          email: none(body.email),
          website: none(body.website),
          ...(allowDuplicate ? { allowDuplicate: true } : {}),
        };
        onSaved(await request<Organisation>('PATCH', `/organisations/${initial.id}`, patch, { headers: { 'if-match': `"${initial.version}"` } }));
      } else {
        onSaved(await request<Organisation>('POST', '/organisations', body));
      }
    } catch (err) {
      setDuplicates(duplicatesOf(err));
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      aria-label={initial ? 'Organisatie wijzigen' : 'Nieuwe organisatie'}
      className="card"
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        void save(false);
      }}
    >
      <h2>{initial ? 'Organisatie wijzigen' : 'Nieuwe organisatie'}</h2>
      <SelectField label="Soort" required value={kind} options={organisationKinds.map((k) => ({ value: k, label: organisationKindLabel[k] }))} onChange={setKind} />
      <TextField label="Naam" required value={name} onChange={setName} />
      <TextField label="KvK-nummer" value={kvk} onChange={setKvk} hint="8 cijfers" inputMode="numeric" />
      <TextField label="Vestigingsnummer" value={establishment} onChange={setEstablishment} hint="12 cijfers" inputMode="numeric" />
      <TextField label="Straat" value={street} onChange={setStreet} />
      <TextField label="Huisnummer" value={houseNumber} onChange={setHouseNumber} inputMode="numeric" />
      <TextField label="Postcode" value={postcode} onChange={setPostcode} />
      <TextField label="Plaats" value={city} onChange={setCity} />
      <TextField label="Telefoon" value={phone} onChange={setPhone} type="tel" />
      <TextField label="E-mail" value={email} onChange={setEmail} type="email" />
      <TextField label="Website" value={website} onChange={setWebsite} />
      <ErrorAlert>{error}</ErrorAlert>
      {duplicates.length > 0 ? (
        <div role="status">
          <p>Dit KvK-nummer is al in gebruik bij:</p>
          <ul>
            {duplicates.map((d) => (
              <li key={d.id}>
                <Link to={`/crm/organisations/${d.id}`}>{d.name}</Link> {d.city ? `(${d.city})` : ''}
              </li>
            ))}
          </ul>
          <button type="button" disabled={busy} onClick={() => void save(true)}>
            {initial ? 'Toch opslaan' : 'Toch aanmaken'}
          </button>
        </div>
      ) : null}
      <button type="submit" disabled={busy}>
        Opslaan
      </button>{' '}
      <button type="button" className="secondary" onClick={onCancel}>
        Annuleren
      </button>
    </form>
  );
}

export function OrganisationPage({ id }: { id: string }) {
  const org = useLoad(() => get<Organisation>(`/organisations/${id}`), [id]);
  const contacts = useLoad(() => get<ApiResponse<'/organisations/{id}/contacts'>>(`/organisations/${id}/contacts`), [id]);
  const links = useLoad(() => get<ApiResponse<'/organisations/{id}/links'>>(`/organisations/${id}/links`), [id]);
  const [error, setError] = useState<string | undefined>();
  const [editing, setEditing] = useState(false);
  const o = org.data;

  async function setArchived(archived: boolean) {
    if (!o) return;
    setError(undefined);
    try {
      org.setData(await request<Organisation>('PATCH', `/organisations/${o.id}`, { archived }, { headers: { 'if-match': `"${o.version}"` } }));
    } catch (err) {
      setError(errorText(err));
      await org.reload();
    }
  }

  async function changeContact(contactId: string, change: 'end' | 'remove') {
    setError(undefined);
    try {
      if (change === 'remove') await request('DELETE', `/organisations/${id}/contacts/${contactId}`);
      else await request('PATCH', `/organisations/${id}/contacts/${contactId}`, { endDate: new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Amsterdam' }) });
      await contacts.reload();
    } catch (err) {
      setError(errorText(err));
    }
  }

  async function removeLink(linkId: string) {
    setError(undefined);
    try {
      await request('DELETE', `/organisations/${id}/links/${linkId}`);
      await links.reload();
    } catch (err) {
      setError(errorText(err));
    }
  }

  return (
    <section>
      <h1>Organisatie{o ? `: ${o.name}` : ''}</h1>
      <p>
        <Link to="/crm/organisations">Naar alle organisaties</Link>
      </p>
      <ErrorAlert>{org.error}</ErrorAlert>
      <ErrorAlert>{error}</ErrorAlert>
      {org.loading ? <Loading what="Organisatie" /> : null}
      {o ? (
        <>
          <dl className="card">
            <dt>Soort</dt>
            <dd>{organisationKindLabel[o.kind]}</dd>
            <dt>KvK-nummer</dt>
            <dd data-testid="organisation-kvk">{kvkLabel(o.kvkNumber)}</dd>
            <dt>Vestigingsnummer</dt>
            <dd>{o.establishmentNumber ?? '–'}</dd>
            <dt>Adres</dt>
            <dd>{addressLine(o.address)}</dd>
            <dt>Telefoon</dt>
            <dd>{o.phone ?? '–'}</dd>
            <dt>E-mail</dt>
            <dd>{o.email ?? '–'}</dd>
            <dt>Website</dt>
            <dd>{o.website ? <a href={o.website} rel="noopener noreferrer" target="_blank">{o.website}</a> : '–'}</dd>
            {o.lenderCode ? (
              <>
                <dt>HDN-maatschappijcode</dt>
                <dd>{o.lenderCode}</dd>
              </>
            ) : null}
            <dt>Status</dt>
            <dd>{o.archived ? 'Gearchiveerd' : 'Actief'}</dd>
          </dl>
          {editing ? (
            <OrganisationForm
              initial={o}
              onCancel={() => setEditing(false)}
              onSaved={(saved) => {
                org.setData(saved);
                setEditing(false);
              }}
            />
          ) : (
            <button type="button" onClick={() => setEditing(true)}>
              Gegevens wijzigen
            </button>
          )}{' '}
          <button type="button" className="secondary" onClick={() => void setArchived(!o.archived)}>
            {o.archived ? 'Terughalen uit archief' : 'Archiveren'}
          </button>
        </>
      ) : null}

      <section aria-labelledby="org-contacts-h">
        <h2 id="org-contacts-h">Contactpersonen</h2>
        <ErrorAlert>{contacts.error}</ErrorAlert>
        {contacts.data && contacts.data.items.length > 0 ? (
          <table>
            <thead>
              <tr>
                <th scope="col">Naam</th>
                <th scope="col">Rol</th>
                <th scope="col">Functie</th>
                <th scope="col">Periode</th>
                <th scope="col">
                  <span className="visually-hidden">Acties</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {contacts.data.items.map((c) => (
                <tr key={c.id} className={c.current ? undefined : 'muted'}>
                  <td>
                    <Link to={`/crm/persons/${c.personId}`}>{c.personName}</Link>
                  </td>
                  <td>{contactRoleLabel[c.role]}</td>
                  <td>{c.functionTitle ?? '–'}</td>
                  <td>
                    {c.startDate ? date(c.startDate) : '…'} – {c.endDate ? date(c.endDate) : 'heden'}
                  </td>
                  <td>
                    {c.endDate === null ? (
                      <button type="button" className="secondary" onClick={() => void changeContact(c.id, 'end')}>
                        Beëindigen
                      </button>
                    ) : null}{' '}
                    <button type="button" className="secondary" onClick={() => void changeContact(c.id, 'remove')}>
                      Verwijderen
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : contacts.data ? (
          <p className="muted">Nog geen contactpersonen.</p>
        ) : null}
        <AddContactForm organisationId={id} onAdded={() => void contacts.reload()} />
      </section>

      <section aria-labelledby="org-links-h">
        <h2 id="org-links-h">Gekoppelde dossiers en producten</h2>
        <ErrorAlert>{links.error}</ErrorAlert>
        {links.data && links.data.items.length > 0 ? (
          <table>
            <thead>
              <tr>
                <th scope="col">Dossier</th>
                <th scope="col">Product</th>
                <th scope="col">Rol</th>
                <th scope="col">
                  <span className="visually-hidden">Acties</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {links.data.items.map((l) => (
                <tr key={l.id ?? `${l.productId}-${l.role}`}>
                  <td>
                    <Link to={`/dossiers/${l.dossierId}`}>Dossier {l.dossierNumber}</Link>
                  </td>
                  <td>{l.productId ? `${productTypeLabel(l.productType ?? '')}${l.productCompany ? ` (${l.productCompany})` : ''}` : '–'}</td>
                  <td>
                    {partyRoleLabel[l.role]}
                    {l.derived ? <small className="muted"> (volgt uit de maatschappij van het product)</small> : null}
                  </td>
                  <td>
                    {l.id ? (
                      <button type="button" className="secondary" onClick={() => void removeLink(l.id!)}>
                        Ontkoppelen
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : links.data ? (
          <p className="muted">Nog niet gekoppeld aan dossiers of producten. Koppel vanuit het dossier (Betrokken partijen).</p>
        ) : null}
      </section>
    </section>
  );
}

/** Find a CRM person by name or e-mail and link them as contact person with a role. */
function AddContactForm({ organisationId, onAdded }: { organisationId: string; onAdded: () => void }) {
  const [q, setQ] = useState('');
  const [found, setFound] = useState<ApiResponse<'/persons'>['items']>([]);
  const [personId, setPersonId] = useState('');
  const [role, setRole] = useState<ContactRole | ''>('');
  const [functionTitle, setFunctionTitle] = useState('');
  const [startDate, setStartDate] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  async function findPersons() {
    setError(undefined);
    try {
      const res = await get<ApiResponse<'/persons'>>(`/persons${query({ q, limit: 20 })}`);
      setFound(res.items);
      setPersonId(res.items[0]?.id ?? '');
      if (res.items.length === 0) setError('Geen relaties gevonden.');
    } catch (err) {
      setError(errorText(err));
    }
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await request('POST', `/organisations/${organisationId}/contacts`, {
        personId,
        role,
        ...(functionTitle.trim() ? { functionTitle } : {}),
        ...(startDate ? { startDate } : {}),
      });
      setFound([]);
      setPersonId('');
      setQ('');
      setFunctionTitle('');
      setStartDate('');
      onAdded();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form aria-label="Contactpersoon toevoegen" className="card" onSubmit={(e) => void submit(e)}>
      <h3>Contactpersoon toevoegen</h3>
      <div className="inline-form">
        <TextField label="Zoek relatie op naam of e-mail" type="search" value={q} onChange={setQ} />
        <button type="button" className="secondary" onClick={() => void findPersons()}>
          Relatie zoeken
        </button>
      </div>
      {found.length > 0 ? (
        <SelectField label="Relatie" required value={personId} options={found.map((p) => ({ value: p.id, label: `${p.name}${p.email ? ` (${p.email})` : ''}` }))} onChange={setPersonId} />
      ) : null}
      <SelectField label="Rol" required value={role} options={contactRoles.map((r) => ({ value: r, label: contactRoleLabel[r] }))} onChange={setRole} />
      <TextField label="Functietitel" value={functionTitle} onChange={setFunctionTitle} />
      <TextField label="Vanaf" type="date" value={startDate} onChange={setStartDate} />
      <ErrorAlert>{error}</ErrorAlert>
      <button type="submit" disabled={busy || !personId}>
        Koppelen
      </button>
      {found.length === 0 ? <p className="muted">Zoek eerst de relatie die u wilt koppelen.</p> : null}
    </form>
  );
}
