/**
 * The parts of the CRM card (*relatiekaart*, seed 002) that the card's API (`GET /persons/{id}/card`)
 * answers and the card-write routes change: *Eigenschappen* (the office's free properties, typed
 * inputs, saved one by one), *Indicatoren* (the office's indicators, on or off), *Relaties*
 * (related persons: search, add, remove), *Signaleringen* (reminders that land in the work queue
 * on their date, with the open counter) and *Klantidentificatie*. Each section gets the card and
 * reloads it after a write, so the tab labels (the open counter) stay current.
 */
import { useEffect, useId, useState, type ReactNode } from 'react';
import { errorText, get, post, query, request } from '../../api';
import { useLoad } from '../../hooks';
import { date, dateTime } from '../../labels';
import { Link } from '../../router';
import type { ApiRequestBody, ApiResponse } from '../../types';
import { ErrorAlert } from '../Messages';
import { todayInAmsterdam } from '../work/WorkQueueSection';

export type Card = ApiResponse<'/persons/{id}/card'>;
type CardProperty = Card['properties'][number];
type Relation = Card['relations'][number];
type RelationType = Relation['type'];
type Signal = Card['signals']['items'][number];
type IdentificationInput = ApiRequestBody<'/persons/{id}/identification', 'put'>;

interface SectionProps {
  card: Card;
  reload: () => Promise<void>;
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  const id = useId();
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

// ---- Eigenschappen ---------------------------------------------------------------------------

export function PropertiesSection({ card, reload }: SectionProps) {
  return (
    <Section title="Eigenschappen">
      {card.properties.length === 0 ? <p className="muted">Uw kantoor heeft nog geen eigenschappen vastgelegd (dat doet een beheerder).</p> : null}
      {card.properties.map((p) => (
        <PropertyForm key={`${p.key}-${JSON.stringify(p.value)}`} personId={card.basic.id} property={p} onSaved={reload} />
      ))}
    </Section>
  );
}

/** The value as the input holds it (always a string; a boolean is a checkbox). */
const asInput = (p: CardProperty): string => (p.value === null || typeof p.value === 'boolean' ? '' : String(p.value));

function PropertyForm({ personId, property: p, onSaved }: { personId: string; property: CardProperty; onSaved: () => Promise<void> }) {
  const id = useId();
  const [text, setText] = useState(asInput(p));
  const [checked, setChecked] = useState(p.value === true);
  const [error, setError] = useState<string>();
  const [saved, setSaved] = useState(false);
  const value = (): string | number | boolean | null => {
    if (p.type === 'boolean') return checked;
    if (text.trim() === '') return null;
    return p.type === 'number' ? Number(text) : text;
  };
  const input =
    p.type === 'boolean' ? (
      <input id={id} type="checkbox" checked={checked} onChange={(e) => setChecked(e.target.checked)} />
    ) : p.type === 'choice' ? (
      <select id={id} value={text} onChange={(e) => setText(e.target.value)}>
        <option value="">– geen –</option>
        {(p.choices ?? []).map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
      </select>
    ) : (
      <input id={id} type={p.type === 'number' ? 'number' : p.type === 'date' ? 'date' : 'text'} step={p.type === 'number' ? 'any' : undefined} value={text} onChange={(e) => setText(e.target.value)} maxLength={p.type === 'text' ? 2000 : undefined} />
    );
  return (
    <form
      className="inline-form"
      aria-label={`Eigenschap ${p.label}`}
      data-testid="property"
      onSubmit={(e) => {
        e.preventDefault();
        setError(undefined);
        setSaved(false);
        request('PUT', `/persons/${personId}/properties/${encodeURIComponent(p.key)}`, { value: value() } satisfies ApiRequestBody<'/persons/{id}/properties/{key}', 'put'>)
          .then(async () => {
            setSaved(true);
            await onSaved();
          })
          .catch((err: unknown) => setError(errorText(err)));
      }}
    >
      <div className="field">
        <label htmlFor={id}>{p.label}</label>
        {input}
      </div>
      <button type="submit">
        Opslaan<span className="visually-hidden">: {p.label}</span>
      </button>
      {saved ? <span role="status">Opgeslagen</span> : null}
      <ErrorAlert title={`${p.label} niet opgeslagen`}>{error}</ErrorAlert>
    </form>
  );
}

// ---- Indicatoren -----------------------------------------------------------------------------

export function IndicatorsSection({ card, reload }: SectionProps) {
  const all = useLoad(() => get<ApiResponse<'/crm/indicators'>>('/crm/indicators'), []);
  const [error, setError] = useState<string>();
  const saved = card.indicators.map((i) => i.id);
  // The box follows the click at once; the card (reloaded after the PUT, or on a refusal) has the last word.
  const [active, setActive] = useState(() => new Set(saved));
  useEffect(() => setActive(new Set(saved)), [saved.join()]);
  const toggle = (indicatorId: string, on: boolean) => {
    setError(undefined);
    const next = on ? [...active, indicatorId] : [...active].filter((i) => i !== indicatorId);
    setActive(new Set(next));
    request('PUT', `/persons/${card.basic.id}/indicators`, { indicatorIds: next } satisfies ApiRequestBody<'/persons/{id}/indicators', 'put'>)
      .then(reload)
      .catch((err: unknown) => {
        setActive(new Set(saved));
        setError(`Indicatoren niet opgeslagen: ${errorText(err)}`);
      });
  };
  const items = all.data?.items ?? [];
  return (
    <Section title="Indicatoren">
      <ErrorAlert>{all.error ?? error}</ErrorAlert>
      {all.data && items.length === 0 ? <p className="muted">Uw kantoor heeft nog geen indicatoren vastgelegd (dat doet een beheerder).</p> : null}
      <fieldset>
        <legend>Indicatoren koppelen aan deze relatie</legend>
        {items.map((i) => (
          <div key={i.id}>
            <label>
              <input type="checkbox" checked={active.has(i.id)} onChange={(e) => toggle(i.id, e.target.checked)} /> {i.label}
              {i.showInDossier ? <span className="muted"> (ook in het dossier)</span> : null}
            </label>
          </div>
        ))}
      </fieldset>
      <p>
        Actieve indicatoren:{' '}
        <span data-testid="active-indicators">{card.indicators.length ? card.indicators.map((i) => i.label).join(', ') : 'geen'}</span>
      </p>
    </Section>
  );
}

// ---- Relaties --------------------------------------------------------------------------------

export const relationTypeLabel: Record<RelationType, string> = { partner: 'Partner', ouder: 'Ouder', kind: 'Kind', collega: 'Collega', other: 'Overig' };
const relationTypes = Object.keys(relationTypeLabel) as RelationType[];

export function RelationsSection({ card, reload }: SectionProps) {
  const searchId = useId();
  const typeId = useId();
  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  const [type, setType] = useState<RelationType>('partner');
  const [error, setError] = useState<string>();
  const found = useLoad(
    async () => (search ? (await get<ApiResponse<'/persons'>>(`/persons${query({ q: search, limit: 10 })}`)).items.filter((p) => p.id !== card.basic.id) : []),
    [search],
  );
  const add = (personId: string) => {
    setError(undefined);
    post(`/persons/${card.basic.id}/relations`, { personId, type } satisfies ApiRequestBody<'/persons/{id}/relations'>)
      .then(async () => {
        setSearch('');
        setQ('');
        await reload();
      })
      .catch((err: unknown) => setError(`Relatie niet toegevoegd: ${errorText(err)}`));
  };
  const remove = (r: Relation) => {
    setError(undefined);
    request('DELETE', `/persons/${card.basic.id}/relations/${r.id}`)
      .then(reload)
      .catch((err: unknown) => setError(`Relatie niet verwijderd: ${errorText(err)}`));
  };
  return (
    <Section title="Relaties">
      <ErrorAlert>{error}</ErrorAlert>
      {card.relations.length === 0 ? <p className="muted">Nog geen relaties gelegd.</p> : null}
      <ul className="plain" data-testid="relations">
        {card.relations.map((r) => (
          <li key={r.id}>
            {relationTypeLabel[r.type]}: <Link to={`/crm/persons/${r.person.id}`}>{r.person.name}</Link> <span className="muted">sinds {date(r.createdAt)}</span>{' '}
            <button type="button" className="secondary" onClick={() => remove(r)}>
              Verwijderen<span className="visually-hidden">: relatie met {r.person.name}</span>
            </button>
          </li>
        ))}
      </ul>
      <h3>Relatie toevoegen</h3>
      <form
        role="search"
        aria-label="Zoek een persoon om te relateren"
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          setSearch(q.trim());
        }}
      >
        <div className="field">
          <label htmlFor={searchId}>Zoek persoon op naam of e-mail</label>
          <input id={searchId} type="search" value={q} onChange={(e) => setQ(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={typeId}>Is voor deze relatie</label>
          <select id={typeId} value={type} onChange={(e) => setType(e.target.value as RelationType)}>
            {relationTypes.map((t) => (
              <option key={t} value={t}>
                {relationTypeLabel[t]}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">Zoeken</button>
      </form>
      <ErrorAlert>{found.error}</ErrorAlert>
      {search && found.data ? (
        found.data.length === 0 ? (
          <p className="muted">Niemand gevonden.</p>
        ) : (
          <ul className="plain" aria-label="Gevonden personen">
            {found.data.map((p) => (
              <li key={p.id}>
                {p.name} <span className="muted">{date(p.birthDate)}</span>{' '}
                <button type="button" onClick={() => add(p.id)}>
                  Toevoegen als {relationTypeLabel[type].toLowerCase()}
                  <span className="visually-hidden">: {p.name}</span>
                </button>
              </li>
            ))}
          </ul>
        )
      ) : null}
    </Section>
  );
}

// ---- Signaleringen ---------------------------------------------------------------------------

export function SignalsSection({ card, reload }: SectionProps) {
  const titleId = useId();
  const dateId = useId();
  const timeId = useId();
  const [title, setTitle] = useState('');
  const [day, setDay] = useState(todayInAmsterdam);
  const [time, setTime] = useState('');
  const [error, setError] = useState<string>();
  const personId = card.basic.id;
  const patch = (s: Signal, done: boolean) => {
    setError(undefined);
    request('PATCH', `/persons/${personId}/signals/${s.id}`, { done } satisfies ApiRequestBody<'/persons/{id}/signals/{itemId}', 'patch'>)
      .then(reload)
      .catch((err: unknown) => setError(`Signalering niet bijgewerkt: ${errorText(err)}`));
  };
  const remove = (s: Signal) => {
    setError(undefined);
    request('DELETE', `/persons/${personId}/signals/${s.id}`)
      .then(reload)
      .catch((err: unknown) => setError(`Signalering niet verwijderd: ${errorText(err)}`));
  };
  return (
    <Section title="Signaleringen">
      <p data-testid="signals-open">{card.signals.open} open</p>
      <ErrorAlert>{error}</ErrorAlert>
      {card.signals.items.length === 0 ? <p className="muted">Nog geen signaleringen.</p> : null}
      {card.signals.items.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th scope="col">Signalering</th>
              <th scope="col">Datum</th>
              <th scope="col">Stand</th>
              <th scope="col">
                <span className="visually-hidden">Acties</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {card.signals.items.map((s) => (
              <tr key={s.id} data-testid="signal">
                <td>{s.title}</td>
                <td>
                  {date(s.date)}
                  {s.time ? ` ${s.time}` : ''}
                </td>
                <td>{s.done ? 'Afgerond' : s.due ? <strong className="badge badge-due">In werkvoorraad</strong> : 'Gepland'}</td>
                <td>
                  <button type="button" className="secondary" onClick={() => patch(s, !s.done)}>
                    {s.done ? 'Weer openen' : 'Afgerond'}
                    <span className="visually-hidden">: {s.title}</span>
                  </button>{' '}
                  <button type="button" className="secondary" onClick={() => remove(s)}>
                    Verwijderen<span className="visually-hidden">: {s.title}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <form
        aria-label="Signalering toevoegen"
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          setError(undefined);
          post(`/persons/${personId}/signals`, { title, date: day, ...(time ? { time } : {}) } satisfies ApiRequestBody<'/persons/{id}/signals'>)
            .then(async () => {
              setTitle('');
              setTime('');
              await reload();
            })
            .catch((err: unknown) => setError(`Signalering niet opgeslagen: ${errorText(err)}`));
        }}
      >
        <div className="field">
          <label htmlFor={titleId}>Omschrijving</label>
          <input id={titleId} value={title} onChange={(e) => setTitle(e.target.value)} required maxLength={200} />
        </div>
        <div className="field">
          <label htmlFor={dateId}>Datum</label>
          <input id={dateId} type="date" value={day} onChange={(e) => setDay(e.target.value)} required />
        </div>
        <div className="field">
          <label htmlFor={timeId}>Tijd (optioneel)</label>
          <input id={timeId} type="time" value={time} onChange={(e) => setTime(e.target.value)} />
        </div>
        <button type="submit">Signalering toevoegen</button>
      </form>
    </Section>
  );
}

// ---- Klantidentificatie ------------------------------------------------------------------------

const methodLabel: Record<IdentificationInput['method'], string> = { in_person: 'In persoon', video: 'Video', idin: 'iDIN', copy: 'Kopie', other: 'Anders' };
const documentLabel: Record<IdentificationInput['documentType'], string> = { paspoort: 'Paspoort', 'id-kaart': 'Identiteitskaart', rijbewijs: 'Rijbewijs', verblijfsdocument: 'Verblijfsdocument' };

export function IdentificationSection({ card, reload }: SectionProps) {
  const ids = { method: useId(), doc: useId(), number: useId(), valid: useId() };
  const current = card.identification;
  const [method, setMethod] = useState<IdentificationInput['method']>(current?.method ?? 'in_person');
  const [documentType, setDocumentType] = useState<IdentificationInput['documentType']>(current?.documentType ?? 'paspoort');
  const [number, setNumber] = useState('');
  const [validUntil, setValidUntil] = useState(current?.validUntil ?? '');
  const [error, setError] = useState<string>();
  return (
    <Section title="Klantidentificatie">
      {current ? (
        <dl className="card" data-testid="identification">
          <dt>Methode</dt>
          <dd>{methodLabel[current.method]}</dd>
          <dt>Document</dt>
          <dd>{documentLabel[current.documentType]}</dd>
          <dt>Documentnummer</dt>
          <dd>{current.documentNumberMasked ?? '–'}</dd>
          <dt>Geldig tot</dt>
          <dd>
            {date(current.validUntil)}
            {current.expired ? <strong className="badge badge-due"> verlopen</strong> : null}
          </dd>
          <dt>Vastgesteld</dt>
          <dd>
            {dateTime(current.checkedAt)} door {current.checkedBy.name}
          </dd>
        </dl>
      ) : (
        <p className="muted">De identiteit is nog niet vastgelegd.</p>
      )}
      <form
        aria-label="Identificatie vastleggen"
        onSubmit={(e) => {
          e.preventDefault();
          setError(undefined);
          const body: IdentificationInput = { method, documentType, ...(number.trim() ? { documentNumber: number.trim() } : {}), ...(validUntil ? { validUntil } : {}) };
          request('PUT', `/persons/${card.basic.id}/identification`, body)
            .then(async () => {
              setNumber('');
              await reload();
            })
            .catch((err: unknown) => setError(errorText(err)));
        }}
      >
        <div className="field">
          <label htmlFor={ids.method}>Hoe vastgesteld</label>
          <select id={ids.method} value={method} onChange={(e) => setMethod(e.target.value as IdentificationInput['method'])}>
            {Object.entries(methodLabel).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.doc}>Soort document</label>
          <select id={ids.doc} value={documentType} onChange={(e) => setDocumentType(e.target.value as IdentificationInput['documentType'])}>
            {Object.entries(documentLabel).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.number}>Documentnummer</label>
          <input id={ids.number} value={number} onChange={(e) => setNumber(e.target.value)} pattern="[A-Za-z0-9]{6,20}" autoComplete="off" aria-describedby={`${ids.number}-hint`} />
          <small id={`${ids.number}-hint`} className="muted">
            6 tot 20 letters en cijfers; daarna alleen de laatste 4 zichtbaar{current?.documentNumberMasked ? '. Opslaan zonder nummer wist het opgeslagen nummer' : ''}
          </small>
        </div>
        <div className="field">
          <label htmlFor={ids.valid}>Geldig tot</label>
          <input id={ids.valid} type="date" value={validUntil} onChange={(e) => setValidUntil(e.target.value)} />
        </div>
        <button type="submit">Identificatie opslaan</button>
        <ErrorAlert title="Identificatie niet opgeslagen">{error}</ErrorAlert>
      </form>
    </Section>
  );
}
