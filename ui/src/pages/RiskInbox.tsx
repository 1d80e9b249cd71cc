/**
 * *RISK-inbox*: the RISK messages that found no dossier (waiting), were parked (failed RISK's
 * AFD schema) or are not routed yet, newest first, with the mapping's notes. A waiting message
 * is matched by hand: find the dossier by applicant name or e-mail, choose the applicant, and
 * *Koppelen*; the API then creates or finds the insurance product and applies the message.
 */
import { useId, useState, type FormEvent } from 'react';
import { errorText, get, post, query } from '../api';
import { ErrorAlert, Loading } from '../components/Messages';
import { useLoad } from '../hooks';
import { dateTime } from '../labels';
import { insuranceEventLabel, riskMessageStateLabel } from '../components/product/labels';
import { Link } from '../router';
import type { ApiRequestBody, ApiResponse, Dossier } from '../types';

type RiskMessage = ApiResponse<'/risk/inbox'>[number];
type Matched = ApiResponse<'/risk/messages/{id}/match', 'post'>;

const states = ['waiting', 'parked', 'received'] as const satisfies readonly RiskMessage['state'][];

export function RiskInboxPage() {
  const [state, setState] = useState<RiskMessage['state'] | ''>('');
  const inbox = useLoad(() => get<ApiResponse<'/risk/inbox'>>(`/risk/inbox${query({ state, limit: 100 })}`), [state], 5000);
  const [matched, setMatched] = useState<Record<string, Matched>>({});
  const items = inbox.data ?? [];
  return (
    <section>
      <h1>RISK-inbox</h1>
      <p className="muted">Berichten van RISK die niet vanzelf bij een dossier terechtkwamen. Koppel een wachtend bericht met de hand aan het juiste dossier.</p>
      <div className="field">
        <label htmlFor="risk-state">Toon</label>
        <select id="risk-state" value={state} onChange={(e) => setState(e.target.value as RiskMessage['state'] | '')}>
          <option value="">Alles wat aandacht vraagt</option>
          {states.map((s) => (
            <option key={s} value={s}>
              {riskMessageStateLabel[s]}
            </option>
          ))}
        </select>
      </div>
      <ErrorAlert>{inbox.error}</ErrorAlert>
      {inbox.loading && !inbox.data ? <Loading what="RISK-inbox" /> : null}
      {inbox.data && items.length === 0 ? <p className="muted">Geen berichten.</p> : null}
      {items.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th scope="col">Ontvangen</th>
              <th scope="col">Bericht</th>
              <th scope="col">Polisnummer</th>
              <th scope="col">Samenvatting</th>
              <th scope="col">Status</th>
              <th scope="col">Koppelen</th>
            </tr>
          </thead>
          <tbody>
            {items.map((m) => (
              <tr key={m.id} data-message-id={m.id}>
                <td>{dateTime(m.receivedAt)}</td>
                <td>
                  {insuranceEventLabel[m.kind]} v{m.version}
                  <br />
                  <small className="muted">{m.messageKey}</small>
                </td>
                <td>{m.policyNumber}</td>
                <td>
                  {m.summary}
                  {m.notes.length > 0 ? (
                    <ul className="muted">
                      {m.notes.map((n, i) => (
                        <li key={i}>{n}</li>
                      ))}
                    </ul>
                  ) : null}
                </td>
                <td data-testid="risk-state">
                  {riskMessageStateLabel[matched[m.id]?.state ?? m.state]}
                  {m.reason ? <small className="muted"> – {m.reason}</small> : null}
                </td>
                <td>
                  {matched[m.id] ? (
                    <MatchedNote answer={matched[m.id]!} />
                  ) : m.state === 'waiting' ? (
                    <MatchForm
                      message={m}
                      onMatched={(answer) => {
                        setMatched((old) => ({ ...old, [m.id]: answer }));
                        void inbox.reload();
                      }}
                    />
                  ) : (
                    <span className="muted">–</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {Object.entries(matched)
        .filter(([id]) => !items.some((m) => m.id === id))
        .map(([id, answer]) => (
          <p key={id} role="status">
            Bericht gekoppeld. <MatchedNote answer={answer} />
          </p>
        ))}
    </section>
  );
}

function MatchedNote({ answer }: { answer: Matched }) {
  return (
    <span data-testid="risk-matched">
      Gekoppeld ({riskMessageStateLabel[answer.state]}){answer.reason ? `: ${answer.reason}` : ''}
      {answer.productId ? <ProductLink productId={answer.productId} /> : null}
    </span>
  );
}

function ProductLink({ productId }: { productId: string }) {
  const product = useLoad(() => get<ApiResponse<'/products/{id}'>>(`/products/${productId}`), [productId]);
  return product.data ? (
    <>
      {' '}
      <Link to={`/dossiers/${product.data.dossierId}`}>naar het dossier</Link>
    </>
  ) : null;
}

/** Find a dossier by name or e-mail, choose it and the applicant, and match. */
function MatchForm({ message, onMatched }: { message: RiskMessage; onMatched: (answer: Matched) => void }) {
  const id = useId();
  const [q, setQ] = useState('');
  const [found, setFound] = useState<ApiResponse<'/dossiers'>['items']>();
  const [dossierId, setDossierId] = useState('');
  const [dossier, setDossier] = useState<Dossier>();
  const [personId, setPersonId] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const search = async () => {
    setError(undefined);
    try {
      const res = await get<ApiResponse<'/dossiers'>>(`/dossiers${query({ q: q.trim(), limit: 10 })}`);
      setFound(res.items);
      if (res.items.length === 1) await choose(res.items[0]!.id);
    } catch (err) {
      setError(errorText(err));
    }
  };
  const choose = async (next: string) => {
    setDossierId(next);
    setDossier(undefined);
    setPersonId('');
    if (!next) return;
    try {
      const d = await get<Dossier>(`/dossiers/${next}`);
      setDossier(d);
      setPersonId(d.applicants[0]?.person.id ?? '');
    } catch (err) {
      setError(errorText(err));
    }
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    if (!dossierId) {
      setError('Kies eerst een dossier.');
      return;
    }
    setBusy(true);
    try {
      const body = { dossierId, ...(personId ? { personId } : {}) } satisfies ApiRequestBody<'/risk/messages/{id}/match'>;
      onMatched(await post<Matched>(`/risk/messages/${message.id}/match`, body));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} aria-label={`Bericht ${message.messageKey} koppelen`} noValidate>
      <div className="field">
        <label htmlFor={`${id}-q`}>Dossier zoeken</label>
        <input
          id={`${id}-q`}
          value={q}
          onChange={(e) => setQ(e.target.value)}
          onKeyDown={(e) => {
            // Enter searches (it would otherwise submit the match before a dossier is chosen).
            if (e.key === 'Enter') {
              e.preventDefault();
              void search();
            }
          }}
          aria-describedby={`${id}-q-hint`}
        />
        <small id={`${id}-q-hint`} className="muted">
          naam of e-mail van een aanvrager; Enter zoekt
        </small>
        <button type="button" className="secondary" onClick={() => void search()}>
          Zoeken
        </button>
      </div>
      {found ? (
        <div className="field">
          <label htmlFor={`${id}-dossier`}>Dossier</label>
          <select id={`${id}-dossier`} value={dossierId} onChange={(e) => void choose(e.target.value)}>
            <option value="">{found.length === 0 ? '— niets gevonden —' : '— kies —'}</option>
            {found.map((d) => (
              <option key={d.id} value={d.id}>
                {d.number} – {d.applicants.map((a) => a.name).join(' en ')}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      {dossier && dossier.applicants.length > 0 ? (
        <div className="field">
          <label htmlFor={`${id}-person`}>Verzekeringnemer</label>
          <select id={`${id}-person`} value={personId} onChange={(e) => setPersonId(e.target.value)}>
            {dossier.applicants.map((a) => (
              <option key={a.person.id} value={a.person.id}>
                {a.person.name}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <ErrorAlert title="Niet gekoppeld">{error}</ErrorAlert>
      <button type="submit" disabled={busy || !dossierId}>
        Koppelen
      </button>
    </form>
  );
}
