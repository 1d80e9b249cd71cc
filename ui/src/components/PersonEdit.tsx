/**
 * Editing a person (*relatie*) on the card or as an applicant in a dossier (one person record:
 * both show the change), and the field history (*wijzigingshistorie*: who, when, field,
 * old → new). The API decides: a 400 is shown at the field it names, a 409 says why (someone
 * else changed the person meanwhile, or the new data look like another person: save anyway).
 */
import { useId, useState, type FormEvent } from 'react';
import { ApiError, errorText, get, query } from '../api';
import { fieldMessage } from '../problem-labels';
import { ErrorAlert, Loading } from './Messages';
import { useLoad } from '../hooks';
import { dateTime, personFieldLabel } from '../labels';
import { Link } from '../router';
import type { ApiRequestBody, ApiResponse, DuplicateSuggestion, Person, PersonEditProblem, Problem } from '../types';

type PersonPatch = ApiRequestBody<'/persons/{id}', 'patch'>;
type FieldKey = 'firstName' | 'infix' | 'lastName' | 'birthDate' | 'email' | 'phone' | 'street' | 'houseNumber' | 'houseNumberSuffix' | 'postcode' | 'city';
const fields: { key: FieldKey; type?: string; required?: boolean }[] = [
  { key: 'firstName', required: true },
  { key: 'infix' },
  { key: 'lastName', required: true },
  { key: 'birthDate', type: 'date' },
  { key: 'email', type: 'email' },
  { key: 'phone', type: 'tel' },
  { key: 'street' },
  { key: 'houseNumber', type: 'number' },
  { key: 'houseNumberSuffix' },
  { key: 'postcode' },
  { key: 'city' },
];
const addressKeys: FieldKey[] = ['street', 'houseNumber', 'houseNumberSuffix', 'postcode', 'city'];

function valuesOf(p: Person): Record<FieldKey, string> {
  return {
    firstName: p.firstName,
    infix: p.infix ?? '',
    lastName: p.lastName,
    birthDate: p.birthDate ?? '',
    email: p.email ?? '',
    phone: p.phone ?? '',
    street: p.address?.street ?? '',
    houseNumber: p.address ? String(p.address.houseNumber) : '',
    houseNumberSuffix: p.address?.houseNumberSuffix ?? '',
    postcode: p.address?.postcode ?? '',
    city: p.address?.city ?? '',
  };
}

/** Only what the adviser changed; an emptied field is cleared (null), the address goes whole. */
function patchOf(before: Record<FieldKey, string>, now: Record<FieldKey, string>, version: number): PersonPatch {
  const body: Record<string, unknown> = { version };
  for (const key of ['firstName', 'infix', 'lastName', 'birthDate', 'email', 'phone'] as const) {
    if (now[key].trim() === before[key].trim()) continue;
    // Names are sent as typed (an empty name is the API's to refuse, at the field).
    body[key] = key === 'firstName' || key === 'lastName' || now[key].trim() !== '' ? now[key].trim() : null;
  }
  if (addressKeys.some((k) => now[k].trim() !== before[k].trim())) {
    if (addressKeys.every((k) => now[k].trim() === '')) body.address = null;
    else {
      const n = Number(now.houseNumber);
      body.address = {
        street: now.street.trim(),
        // Not a whole number: sent as typed, so the API names the field.
        houseNumber: now.houseNumber.trim() !== '' && Number.isInteger(n) ? n : now.houseNumber,
        ...(now.houseNumberSuffix.trim() ? { houseNumberSuffix: now.houseNumberSuffix.trim() } : {}),
        postcode: now.postcode.trim(),
        city: now.city.trim(),
      };
    }
  }
  return body as PersonPatch;
}

/** `/body/address/postcode` (or `/body/applicants/0/person/address/postcode`) → postcode; a missing property → its name. */
function fieldOfError(path: string, message: string): FieldKey | 'address' | undefined {
  const rest = path.replace(/^\/body(\/applicants\/\d+\/person)?/, '');
  const named = /'(\w+)'/.exec(message)?.[1];
  const key = (rest.split('/').filter(Boolean).pop() ?? named) as string | undefined;
  if (key && fields.some((f) => f.key === key)) return key as FieldKey;
  if (rest.startsWith('/address')) return named && addressKeys.includes(named as FieldKey) ? (named as FieldKey) : 'address';
  return undefined;
}

interface Props {
  person: Person;
  /** Sends the edit (PATCH /persons/:id, or PATCH /dossiers/:id for an applicant) and answers the person as stored. */
  save: (body: PersonPatch) => Promise<Person>;
  onSaved: (person: Person) => void;
  onCancel: () => void;
}

export function PersonEditForm({ person, save, onSaved, onCancel }: Props) {
  const id = useId();
  // Taken once when the form opens: the page may poll underneath, the form keeps what is typed.
  const [before] = useState(() => valuesOf(person));
  const [version] = useState(person.version);
  const [values, setValues] = useState(before);
  const [errors, setErrors] = useState<Partial<Record<FieldKey | 'address', string>>>({});
  const [error, setError] = useState<string | undefined>();
  const [duplicates, setDuplicates] = useState<DuplicateSuggestion[] | undefined>();
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent, allowDuplicate = false) {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    setError(undefined);
    try {
      const body = patchOf(before, values, version);
      onSaved(await save(allowDuplicate ? { ...body, allowDuplicate: true } : body));
    } catch (err) {
      const problem = err instanceof ApiError ? (err.body as Partial<Problem> & Partial<PersonEditProblem>) : undefined;
      if (err instanceof ApiError && err.status === 400 && problem?.errors?.length) {
        const found: Partial<Record<FieldKey | 'address', string>> = {};
        for (const fe of problem.errors) {
          const key = fieldOfError(fe.path, fe.message ?? '');
          if (key && !found[key]) found[key] = fieldMessage(fe.message ?? '');
        }
        setErrors(found);
        if (Object.keys(found).length === 0) setError(errorText(err));
      } else if (err instanceof ApiError && err.status === 409 && problem?.possibleDuplicates) {
        setDuplicates(problem.possibleDuplicates);
        setError('Met deze gegevens lijkt de relatie op een andere relatie. Controleer of het dezelfde persoon is.');
      } else if (err instanceof ApiError && err.status === 409 && String(problem?.type).includes('edited-meanwhile')) {
        setError('Iemand anders heeft deze relatie intussen gewijzigd. Sluit het formulier en open het opnieuw om de nieuwe gegevens te zien. Er is niets opgeslagen.');
      } else {
        setError(errorText(err));
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={(e) => void submit(e)} noValidate aria-labelledby={`${id}-title`} className="card">
      <h3 id={`${id}-title`}>Gegevens wijzigen</h3>
      {fields.map((f) => {
        const message = errors[f.key] ?? (f.key === 'street' ? errors.address : undefined);
        return (
          <div className="field" key={f.key}>
            <label htmlFor={`${id}-${f.key}`}>
              {personFieldLabel[f.key]}
              {f.required ? <span aria-hidden="true"> *</span> : null}
            </label>
            <input
              id={`${id}-${f.key}`}
              type={f.type ?? 'text'}
              value={values[f.key]}
              onChange={(e) => setValues({ ...values, [f.key]: e.target.value })}
              aria-invalid={message ? true : undefined}
              aria-describedby={message ? `${id}-${f.key}-error` : undefined}
            />
            {message ? (
              <small id={`${id}-${f.key}-error`} className="field-error" role="alert">
                {message}
              </small>
            ) : null}
          </div>
        );
      })}
      <ErrorAlert>{error}</ErrorAlert>
      {duplicates ? (
        <>
          <ul>
            {duplicates.map((d) => (
              <li key={d.id}>
                <Link to={`/crm/persons/${d.id}`}>{d.name}</Link>
              </li>
            ))}
          </ul>
          <button type="button" disabled={busy} onClick={(e) => void submit(e, true)}>
            Toch opslaan
          </button>{' '}
        </>
      ) : null}
      <button type="submit" disabled={busy}>
        Opslaan
      </button>{' '}
      <button type="button" onClick={onCancel} disabled={busy}>
        Annuleren
      </button>
    </form>
  );
}

type PersonHistory = ApiResponse<'/persons/{id}/history'>;
type DossierHistory = ApiResponse<'/dossiers/{id}/history'>;

/** *Wijzigingshistorie*: newest first, 20 a page. `version` reloads it after an edit. */
export function FieldHistory({ path, version, showPerson = false }: { path: string; version: unknown; showPerson?: boolean }) {
  const id = useId();
  const [offset, setOffset] = useState(0);
  const limit = 20;
  const history = useLoad(() => get<PersonHistory | DossierHistory>(`${path}${query({ limit, offset })}`), [path, offset, version]);
  const data = history.data;
  const value = (v: string | null) => (v === null || v === '' ? '(leeg)' : v);
  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Wijzigingshistorie</h2>
      <ErrorAlert>{history.error}</ErrorAlert>
      {history.loading && !data ? <Loading what="Wijzigingshistorie" /> : null}
      {data && data.items.length === 0 ? <p className="muted">Nog geen wijzigingen.</p> : null}
      {data && data.items.length > 0 ? (
        <table data-testid="field-history">
          <caption>
            {data.total} wijziging(en), nieuwste eerst
          </caption>
          <thead>
            <tr>
              <th scope="col">Datum</th>
              <th scope="col">Door</th>
              {showPerson ? <th scope="col">Relatie</th> : null}
              <th scope="col">Veld</th>
              <th scope="col">Oud → nieuw</th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((h) => (
              <tr key={h.id}>
                <td>{dateTime(h.at)}</td>
                <td>{h.actorName ?? (h.actor === 'system:hdn-ax' ? 'Aanvraag (AX) van het adviespakket' : h.actor)}</td>
                {showPerson ? <td>{h.personName}</td> : null}
                <td>{personFieldLabel[h.field] ?? h.field}</td>
                <td>
                  {value(h.oldValue)} → {value(h.newValue)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {data && data.total > limit ? (
        <p>
          <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - limit))}>
            Nieuwere
          </button>{' '}
          <button type="button" disabled={offset + limit >= data.total} onClick={() => setOffset(offset + limit)}>
            Oudere
          </button>
        </p>
      ) : null}
    </section>
  );
}
