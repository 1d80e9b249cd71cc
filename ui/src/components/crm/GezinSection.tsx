/**
 * *Gezin* on the person card (issue 19 deliverable 6): geslacht, burgerlijke staat and
 * overlijdensdatum (saved as a person edit, PATCH /persons/:id with the person's version), the
 * current partner and ex-partners (a partnership with another relation of the office; ending it
 * by *overlijden* records the date of death on the deceased) and the children. The API decides
 * every rule (one current partner at a time, dates); its refusal is shown as it answers.
 */
import { useId, useState, type FormEvent } from 'react';
import { errorText, get, query, request } from '../../api';
import { useLoad } from '../../hooks';
import { date } from '../../labels';
import type { ApiRequestBody, ApiResponse } from '../../types';
import { ErrorAlert, Loading } from '../Messages';

type Family = ApiResponse<'/persons/{id}/family'>;
type Partnership = Family['partnerships'][number];
type PartnershipInput = ApiRequestBody<'/persons/{id}/partnerships'>;
type ChildInput = ApiRequestBody<'/persons/{id}/children'>;
type PersonPatch = ApiRequestBody<'/persons/{id}', 'patch'>;
type Gender = NonNullable<Family['gender']>;
type MaritalStatus = NonNullable<Family['maritalStatus']>;
type Kind = Partnership['kind'];
type EndReason = NonNullable<Partnership['endReason']>;
type PersonList = ApiResponse<'/persons'>;

export const genderLabel: Record<Gender, string> = { male: 'Man', female: 'Vrouw', other: 'Anders', unknown: 'Onbekend' };
export const maritalStatusLabel: Record<MaritalStatus, string> = {
  unmarried: 'Ongehuwd',
  married_community: 'Gehuwd in gemeenschap van goederen',
  married_limited_community: 'Gehuwd in beperkte gemeenschap van goederen',
  married_prenuptial: 'Gehuwd onder huwelijkse voorwaarden',
  registered_partnership: 'Geregistreerd partnerschap',
  cohabiting_contract: 'Samenwonend met samenlevingscontract',
  cohabiting: 'Samenwonend zonder samenlevingscontract',
  divorced: 'Gescheiden',
  widowed: 'Weduwe/weduwnaar',
  unknown: 'Onbekend',
};
export const partnershipKindLabel: Record<Kind, string> = { marriage: 'Huwelijk', registered_partnership: 'Geregistreerd partnerschap', cohabitation: 'Samenwonen' };
export const endReasonLabel: Record<EndReason, string> = { divorce: 'Echtscheiding', separation: 'Uit elkaar', death: 'Overlijden' };

const keys = <T extends string>(record: Record<T, string>): T[] => Object.keys(record) as T[];
const orNull = (v: string): string | null => (v.trim() === '' ? null : v);

/** Runs a write, shows its refusal, reloads the family (and lets the card reload the person: their version moved). */
function useWrite(reload: () => Promise<void>, onPersonChanged: () => void) {
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  async function run(write: () => Promise<unknown>): Promise<boolean> {
    setBusy(true);
    setError(undefined);
    try {
      await write();
      await reload();
      onPersonChanged();
      return true;
    } catch (err) {
      setError(errorText(err));
      return false;
    } finally {
      setBusy(false);
    }
  }
  return { error, busy, run };
}

export function GezinSection({ personId, onPersonChanged }: { personId: string; onPersonChanged: () => void }) {
  const family = useLoad(() => get<Family>(`/persons/${personId}/family`), [personId]);
  const write = useWrite(family.reload, onPersonChanged);
  const id = useId();
  const f = family.data;
  return (
    <section aria-labelledby={`${id}-title`} data-testid="gezin">
      <h2 id={`${id}-title`}>Gezin</h2>
      <ErrorAlert>{family.error}</ErrorAlert>
      <ErrorAlert>{write.error}</ErrorAlert>
      {family.loading ? <Loading what="Gezin" /> : null}
      {f ? (
        <>
          <PersonFamilyFields family={f} personId={personId} write={write} />
          <h3>Partner</h3>
          {f.currentPartner ? <p data-testid="current-partner">{describe(f.currentPartner)}</p> : <p className="muted">Geen huidige partner.</p>}
          {f.partnerships.some((p) => !p.current) ? (
            <table>
              <caption>Ex-partners en overleden partners</caption>
              <thead>
                <tr>
                  <th scope="col">Partner</th>
                  <th scope="col">Vorm</th>
                  <th scope="col">Van</th>
                  <th scope="col">Tot</th>
                  <th scope="col">Reden einde</th>
                  <th scope="col">Actie</th>
                </tr>
              </thead>
              <tbody>
                {f.partnerships
                  .filter((p) => !p.current)
                  .map((p) => (
                    <tr key={p.id}>
                      <td>{p.partner.name}</td>
                      <td>{partnershipKindLabel[p.kind]}</td>
                      <td>{date(p.startDate)}</td>
                      <td>{date(p.endDate)}</td>
                      <td>{p.endReason ? endReasonLabel[p.endReason] : '–'}</td>
                      <td>
                        <button type="button" disabled={write.busy} onClick={() => void write.run(() => request('DELETE', `/persons/${personId}/partnerships/${p.id}`))}>
                          Verwijderen
                        </button>
                      </td>
                    </tr>
                  ))}
              </tbody>
            </table>
          ) : null}
          {f.currentPartner ? <EndPartnership personId={personId} partnership={f.currentPartner} write={write} /> : null}
          <AddPartnership personId={personId} write={write} />
          <h3>Kinderen</h3>
          {f.children.length > 0 ? (
            <table>
              <caption>Kinderen</caption>
              <thead>
                <tr>
                  <th scope="col">Naam</th>
                  <th scope="col">Geboortedatum</th>
                  <th scope="col">Leeftijd</th>
                  <th scope="col">Geslacht</th>
                  <th scope="col">Overleden</th>
                  <th scope="col">Actie</th>
                </tr>
              </thead>
              <tbody>
                {f.children.map((c) => (
                  <tr key={c.id}>
                    <td>{c.name}</td>
                    <td>{date(c.birthDate)}</td>
                    <td>{c.age}</td>
                    <td>{c.gender ? genderLabel[c.gender] : '–'}</td>
                    <td>{date(c.dateOfDeath)}</td>
                    <td>
                      <button type="button" disabled={write.busy} onClick={() => void write.run(() => request('DELETE', `/persons/${personId}/children/${c.id}`))}>
                        Verwijderen
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p className="muted">Geen kinderen vastgelegd.</p>
          )}
          <AddChild personId={personId} write={write} />
        </>
      ) : null}
    </section>
  );
}

function describe(p: Partnership): string {
  return `${p.partner.name} (${partnershipKindLabel[p.kind].toLowerCase()}${p.startDate ? ` sinds ${date(p.startDate)}` : ''})`;
}

type Write = ReturnType<typeof useWrite>;

function PersonFamilyFields({ family, personId, write }: { family: Family; personId: string; write: Write }) {
  const [gender, setGender] = useState<Gender | ''>(family.gender ?? '');
  const [marital, setMarital] = useState<MaritalStatus | ''>(family.maritalStatus ?? '');
  const [death, setDeath] = useState(family.dateOfDeath ?? '');
  const id = useId();
  async function submit(e: FormEvent) {
    e.preventDefault();
    const body: PersonPatch = { version: family.version, gender: gender === '' ? null : gender, maritalStatus: marital === '' ? null : marital, dateOfDeath: orNull(death) };
    await write.run(() => request('PATCH', `/persons/${personId}`, body));
  }
  return (
    <form onSubmit={(e) => void submit(e)} aria-label="Geslacht en burgerlijke staat" noValidate>
      <div className="field">
        <label htmlFor={`${id}-gender`}>Geslacht</label>
        <select id={`${id}-gender`} value={gender} onChange={(e) => setGender(e.target.value as Gender | '')}>
          <option value="">— niet vastgelegd —</option>
          {keys(genderLabel).map((g) => (
            <option key={g} value={g}>
              {genderLabel[g]}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-marital`}>Burgerlijke staat</label>
        <select id={`${id}-marital`} value={marital} onChange={(e) => setMarital(e.target.value as MaritalStatus | '')}>
          <option value="">— niet vastgelegd —</option>
          {keys(maritalStatusLabel).map((m) => (
            <option key={m} value={m}>
              {maritalStatusLabel[m]}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-death`}>Overlijdensdatum</label>
        <input id={`${id}-death`} type="date" value={death} onChange={(e) => setDeath(e.target.value)} />
      </div>
      <button type="submit" disabled={write.busy}>
        Gezinsgegevens opslaan
      </button>
    </form>
  );
}

function EndPartnership({ personId, partnership, write }: { personId: string; partnership: Partnership; write: Write }) {
  const [endDate, setEndDate] = useState('');
  const [reason, setReason] = useState<EndReason>('divorce');
  const [deceased, setDeceased] = useState(partnership.partner.id);
  const id = useId();
  async function submit(e: FormEvent) {
    e.preventDefault();
    const body = {
      kind: partnership.kind,
      startDate: partnership.startDate,
      endDate: orNull(endDate),
      endReason: reason,
      deceasedPersonId: reason === 'death' ? deceased : null,
    };
    await write.run(() => request('PUT', `/persons/${personId}/partnerships/${partnership.id}`, body));
  }
  return (
    <form onSubmit={(e) => void submit(e)} aria-label="Partnerschap beëindigen" noValidate>
      <h4>Partnerschap met {partnership.partner.name} beëindigen</h4>
      <div className="field">
        <label htmlFor={`${id}-reason`}>Reden</label>
        <select id={`${id}-reason`} value={reason} onChange={(e) => setReason(e.target.value as EndReason)}>
          {keys(endReasonLabel).map((r) => (
            <option key={r} value={r}>
              {endReasonLabel[r]}
            </option>
          ))}
        </select>
      </div>
      {reason === 'death' ? (
        <div className="field">
          <label htmlFor={`${id}-deceased`}>Overleden</label>
          <select id={`${id}-deceased`} value={deceased} onChange={(e) => setDeceased(e.target.value)}>
            <option value={partnership.partner.id}>{partnership.partner.name}</option>
            <option value={personId}>Deze relatie</option>
          </select>
        </div>
      ) : null}
      <div className="field">
        <label htmlFor={`${id}-end`}>{reason === 'death' ? 'Overlijdensdatum' : 'Einddatum'}</label>
        <input id={`${id}-end`} type="date" value={endDate} onChange={(e) => setEndDate(e.target.value)} />
      </div>
      <button type="submit" disabled={write.busy}>
        Beëindigen
      </button>
    </form>
  );
}

function AddPartnership({ personId, write }: { personId: string; write: Write }) {
  const [q, setQ] = useState('');
  const [found, setFound] = useState<PersonList['items']>([]);
  const [partnerId, setPartnerId] = useState('');
  const [kind, setKind] = useState<Kind>('marriage');
  const [startDate, setStartDate] = useState('');
  const [endDate, setEndDate] = useState('');
  const [endReason, setEndReason] = useState<EndReason | ''>('');
  const id = useId();
  async function search() {
    const list = await get<PersonList>(`/persons${query({ q, limit: 10 })}`);
    setFound(list.items.filter((p) => p.id !== personId));
    setPartnerId(list.items.find((p) => p.id !== personId)?.id ?? '');
  }
  async function submit(e: FormEvent) {
    e.preventDefault();
    const body: PartnershipInput = { partnerId, kind, startDate: orNull(startDate), endDate: orNull(endDate), endReason: endReason === '' ? null : endReason };
    if (await write.run(() => request('POST', `/persons/${personId}/partnerships`, body))) {
      setStartDate('');
      setEndDate('');
      setEndReason('');
    }
  }
  return (
    <form onSubmit={(e) => void submit(e)} aria-label="Partner toevoegen" noValidate>
      <h4>Partner toevoegen</h4>
      <div className="field">
        <label htmlFor={`${id}-q`}>Zoek relatie</label>
        <input id={`${id}-q`} value={q} onChange={(e) => setQ(e.target.value)} />
        <button type="button" onClick={() => void search()}>
          Zoeken
        </button>
      </div>
      <div className="field">
        <label htmlFor={`${id}-partner`}>Partner</label>
        <select id={`${id}-partner`} value={partnerId} onChange={(e) => setPartnerId(e.target.value)}>
          <option value="">— kies na zoeken —</option>
          {found.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
              {p.birthDate ? ` (${date(p.birthDate)})` : ''}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-kind`}>Vorm</label>
        <select id={`${id}-kind`} value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
          {keys(partnershipKindLabel).map((k) => (
            <option key={k} value={k}>
              {partnershipKindLabel[k]}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-start`}>Begindatum</label>
        <input id={`${id}-start`} type="date" value={startDate} onChange={(e) => setStartDate(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-end`}>Einddatum (ex-partner)</label>
        <input id={`${id}-end`} type="date" value={endDate} onChange={(e) => setEndDate(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-reason`}>Reden einde</label>
        <select id={`${id}-reason`} value={endReason} onChange={(e) => setEndReason(e.target.value as EndReason | '')}>
          <option value="">— nog samen —</option>
          <option value="divorce">{endReasonLabel.divorce}</option>
          <option value="separation">{endReasonLabel.separation}</option>
        </select>
      </div>
      <button type="submit" disabled={write.busy || partnerId === ''}>
        Partner toevoegen
      </button>
    </form>
  );
}

function AddChild({ personId, write }: { personId: string; write: Write }) {
  const [firstName, setFirstName] = useState('');
  const [infix, setInfix] = useState('');
  const [lastName, setLastName] = useState('');
  const [birthDate, setBirthDate] = useState('');
  const [gender, setGender] = useState<Gender | ''>('');
  const id = useId();
  async function submit(e: FormEvent) {
    e.preventDefault();
    const body = { firstName, infix: orNull(infix), lastName, birthDate, gender: gender === '' ? null : gender } as ChildInput;
    if (await write.run(() => request('POST', `/persons/${personId}/children`, body))) {
      setFirstName('');
      setInfix('');
      setBirthDate('');
      setGender('');
    }
  }
  return (
    <form onSubmit={(e) => void submit(e)} aria-label="Kind toevoegen" noValidate>
      <h4>Kind toevoegen</h4>
      <div className="field">
        <label htmlFor={`${id}-first`}>Voornaam</label>
        <input id={`${id}-first`} value={firstName} onChange={(e) => setFirstName(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-infix`}>Tussenvoegsel</label>
        <input id={`${id}-infix`} value={infix} onChange={(e) => setInfix(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-last`}>Achternaam</label>
        <input id={`${id}-last`} value={lastName} onChange={(e) => setLastName(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-birth`}>Geboortedatum</label>
        <input id={`${id}-birth`} type="date" value={birthDate} onChange={(e) => setBirthDate(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-gender`}>Geslacht</label>
        <select id={`${id}-gender`} value={gender} onChange={(e) => setGender(e.target.value as Gender | '')}>
          <option value="">— niet vastgelegd —</option>
          {keys(genderLabel).map((g) => (
            <option key={g} value={g}>
              {genderLabel[g]}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" disabled={write.busy}>
        Kind toevoegen
      </button>
    </form>
  );
}
