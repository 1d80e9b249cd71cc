/**
 * CRM: three tabs. "Overzicht" (components/crm/CrmOverview.tsx) counts every CRM component; "Relaties" searches persons (relaties) by name or e-mail, with the person card
 * (with its *risicoclassificatie*, RiskClassSection.tsx), their dossiers and contact moments; "Zoekvragen" is the query manager (selections, saved queries, export,
 * call tasks and mail campaigns, see QueryManager.tsx). The tab is kept in the URL hash.
 * The person card (PersonPage) is tabs too (components/crm/PersonCardTabs.tsx); this page hands it the sections with their own data.
 */
import { useId, useRef, useState, type KeyboardEvent } from 'react';
import { get, query, request } from '../api';
import { ContactMoments } from '../components/ContactMoments';
import { TextField } from '../components/Field';
import { ErrorAlert, Info, Loading } from '../components/Messages';
import { RiskClassSection } from '../components/RiskClassSection';
import { PersonOrganisationsSection } from '../components/crm/PersonOrganisationsSection';
import { GezinSection } from '../components/crm/GezinSection';
import { InboundInbox } from '../components/crm/InboundInbox';
import { InboundMailSection } from '../components/crm/InboundMailSection';
import { FieldHistory, PersonEditForm } from '../components/PersonEdit';
import { useLoad } from '../hooks';
import { date, dateTime, dossierStatusLabel } from '../labels';
import { Link } from '../router';
import type { ApiResponse, Person } from '../types';
import { QueryManager } from './QueryManager';
import { CrmOverview } from '../components/crm/CrmOverview';
import { PersonCardTabs } from '../components/crm/PersonCardTabs';
import { PersonFilesSection } from '../components/crm/PersonFilesSection';

const tabs = [
  { key: 'relaties', label: 'Relaties' },
  { key: 'zoekvragen', label: 'Zoekvragen' },
  { key: 'overzicht', label: 'Overzicht' },
] as const;
type TabKey = (typeof tabs)[number]['key'];

const tabFromHash = (): TabKey => tabs.find((t) => `#${t.key}` === window.location.hash)?.key ?? 'relaties';

export function CrmPage() {
  const [tab, setTabState] = useState<TabKey>(tabFromHash);
  const id = useId();
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const setTab = (key: TabKey) => {
    setTabState(key);
    window.history.replaceState(null, '', key === 'relaties' ? window.location.pathname : `#${key}`);
  };
  // Arrow keys, Home and End move between the tabs (and select them), as in the ARIA tabs pattern.
  const onKey = (e: KeyboardEvent<HTMLButtonElement>, i: number) => {
    const last = tabs.length - 1;
    const to = e.key === 'ArrowRight' ? (i === last ? 0 : i + 1) : e.key === 'ArrowLeft' ? (i === 0 ? last : i - 1) : e.key === 'Home' ? 0 : e.key === 'End' ? last : -1;
    if (to < 0) return;
    e.preventDefault();
    setTab(tabs[to]!.key);
    refs.current[to]?.focus();
  };
  return (
    <section>
      <h1>CRM – relaties</h1>
      <p><Link to="/crm/organisations">Organisaties (geldverstrekkers, notarissen, werkgevers, …)</Link></p>
      <div role="tablist" aria-label="CRM" className="tabs" style={{ display: 'flex', gap: '0.5rem', borderBottom: '1px solid #d0d7de', marginBottom: '0.8rem' }}>
        {tabs.map((t, i) => (
          <button
            key={t.key}
            ref={(el) => {
              refs.current[i] = el;
            }}
            type="button"
            role="tab"
            id={`${id}-tab-${t.key}`}
            aria-selected={tab === t.key}
            aria-controls={`${id}-panel-${t.key}`}
            tabIndex={tab === t.key ? 0 : -1}
            style={tab === t.key ? { fontWeight: 700, boxShadow: 'inset 0 -3px 0 #0a3069' } : { background: 'transparent', color: 'inherit', border: '1px solid #d0d7de' }}
            onClick={() => setTab(t.key)}
            onKeyDown={(e) => onKey(e, i)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${id}-panel-${tab}`} aria-labelledby={`${id}-tab-${tab}`}>
        {tab === 'relaties' ? <PersonSearch onQueries={() => setTab('zoekvragen')} /> : tab === 'overzicht' ? <CrmOverview /> : <QueryManager />}
        {tab === 'relaties' ? <InboundInbox /> : null}
      </div>
    </section>
  );
}

function PersonSearch({ onQueries }: { onQueries: () => void }) {
  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  const persons = useLoad(() => get<ApiResponse<'/persons'>>(`/persons${query({ q: search, limit: 50 })}`), [search]);
  return (
    <>
      <Info>
        Zoek relaties op naam of e-mail en bekijk hun kaart. Zoekvragenbeheer (selecties met en zonder producten, opslaan, export,
        beltaken en mailcampagnes) staat onder{' '}
        <button type="button" onClick={onQueries}>
          Zoekvragen
        </button>
        .
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
    </>
  );
}

export function PersonPage({ id }: { id: string }) {
  const person = useLoad(() => get<Person>(`/persons/${id}`), [id]);
  const p = person.data;
  const [editing, setEditing] = useState(false);
  const dossiers = useLoad(
    async () => (p ? (await get<ApiResponse<'/dossiers'>>(`/dossiers${query({ q: p.email ?? p.lastName, limit: 50 })}`)).items.filter((d) => d.applicants.some((a) => a.personId === p.id)) : []),
    [p?.id],
  );
  return (
    <section>
      <h1>Relatiekaart{p ? `: ${p.name}` : ''}</h1>
      <ErrorAlert>{person.error}</ErrorAlert>
      {person.loading ? <Loading what="Relatie" /> : null}
      {p ? (
        <PersonCardTabs
          personId={p.id}
          panels={{
            gegevens: (
              <>
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
                {editing ? (
                  <PersonEditForm
                    person={p}
                    save={(body) => request<Person>('PATCH', `/persons/${p.id}`, body)}
                    onSaved={(saved) => {
                      person.setData(saved);
                      setEditing(false);
                    }}
                    onCancel={() => setEditing(false)}
                  />
                ) : (
                  <button type="button" onClick={() => setEditing(true)}>
                    Gegevens wijzigen
                  </button>
                )}
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
              </>
            ),
            gezin: <GezinSection personId={p.id} onPersonChanged={() => void person.reload()} />,
            organisaties: <PersonOrganisationsSection personId={p.id} />,
            identificatie: <RiskClassSection personId={p.id} />,
            bestanden: <PersonFilesSection personId={p.id} />,
            mail: (
              <>
                <ContactMoments kind="person" personId={p.id} />
                <InboundMailSection owner="person" ownerId={p.id} />
              </>
            ),
            historie: <FieldHistory path={`/persons/${p.id}/history`} version={p.version} />,
          }}
        />
      ) : null}
    </section>
  );
}
