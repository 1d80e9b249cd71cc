/**
 * *Ockto* on the person card, inside the risk classification: start a data retrieval, show the
 * link (and QR code) for the client, the answers to the four questions once the client shared,
 * the class derived from them, and deviate from that class with a motivation (a history record
 * the risk classification shows). The open retrieval is polled until it ends.
 */
import { useId, useState, type FormEvent } from 'react';
import { get, post, request } from '../../api';
import { useLoad } from '../../hooks';
import { dateTime, riskClassLabel, riskClassOptions } from '../../labels';
import type { ApiRequestBody, ApiResponse, RiskClass } from '../../types';
import { ErrorAlert } from '../Messages';
import { ocktoAnswerLabel, ocktoStatusLabel } from '../product/labels';
import { problemsOf, type FieldProblems } from '../product/problems';

type Retrieval = ApiResponse<'/ockto/retrievals/{id}'>;
type RetrievalSummary = { id: string; status: Retrieval['status']; createdAt: string };

/** A retrieval still open (the client may still share): read again this often. */
const POLL_MS = 2000;
const open = (s: Retrieval['status']) => s === 'starting' || s === 'waiting';

export function OcktoSection({ personId, retrievals, onChanged }: { personId: string; retrievals: readonly RetrievalSummary[]; onChanged: () => void }) {
  const id = useId();
  const newest = [...retrievals].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const [shown, setShown] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const current = shown ?? newest[0]?.id;

  const start = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const started = await post<Retrieval>(`/persons/${personId}/ockto-retrievals`, {} satisfies ApiRequestBody<'/persons/{id}/ockto-retrievals'>);
      setShown(started.id);
      onChanged();
    } catch (err) {
      setError(problemsOf(err, []).other);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby={`${id}-h`} className="ockto">
      <h3 id={`${id}-h`}>Ockto</h3>
      <p className="muted">De klant deelt zijn gegevens (identiteit, screening, inkomen, registraties) via Ockto; daaruit volgt de risicoklasse.</p>
      <button type="button" onClick={() => void start()} disabled={busy}>
        Ockto-uitvraag starten
      </button>
      <ErrorAlert title="Uitvraag niet gestart">{error}</ErrorAlert>
      {newest.length > 1 ? (
        <div className="field">
          <label htmlFor={`${id}-pick`}>Uitvraag</label>
          <select id={`${id}-pick`} value={current} onChange={(e) => setShown(e.target.value)}>
            {newest.map((r) => (
              <option key={r.id} value={r.id}>
                {dateTime(r.createdAt)} – {ocktoStatusLabel[r.status]}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      {current ? <RetrievalView key={current} retrievalId={current} onChanged={onChanged} /> : <p className="muted">Nog geen Ockto-uitvraag.</p>}
    </section>
  );
}

function RetrievalView({ retrievalId, onChanged }: { retrievalId: string; onChanged: () => void }) {
  const [poll, setPoll] = useState(true);
  const retrieval = useLoad(
    async () => {
      const r = await get<Retrieval>(`/ockto/retrievals/${retrievalId}`);
      if (!open(r.status)) {
        // Ended: stop polling and let the card read the class and history the retrieval made.
        setPoll(false);
        onChanged();
      }
      return r;
    },
    [retrievalId, poll],
    poll ? POLL_MS : undefined,
  );
  const r = retrieval.data;
  if (!r) return <ErrorAlert>{retrieval.error}</ErrorAlert>;
  return (
    <div className="card" data-testid="ockto-retrieval">
      <ErrorAlert title="Bijwerken mislukt">{retrieval.error}</ErrorAlert>
      <dl>
        <dt>Gestart</dt>
        <dd>{dateTime(r.createdAt)}</dd>
        <dt>Status</dt>
        <dd data-testid="ockto-status">
          {ocktoStatusLabel[r.status]}
          {r.statusReason ? <small className="muted"> – {r.statusReason}</small> : null}
        </dd>
        {r.reminderSentAt ? (
          <>
            <dt>Herinnering</dt>
            <dd>{dateTime(r.reminderSentAt)}</dd>
          </>
        ) : null}
      </dl>
      {r.session && open(r.status) ? (
        <div className="ockto-link">
          <p>
            Laat de klant deze link openen of de QR-code scannen:{' '}
            <a href={r.session.url} target="_blank" rel="noreferrer" data-testid="ockto-link">
              {r.session.url}
            </a>
          </p>
          {r.session.qr?.startsWith('data:image/') ? <img src={r.session.qr} alt="QR-code voor de klant om de Ockto-link te openen" width={180} height={180} /> : null}
        </div>
      ) : open(r.status) ? (
        <p className="muted">De link voor de klant wordt aangemaakt…</p>
      ) : null}
      <table>
        <caption>Vragen en antwoorden</caption>
        <tbody>
          {r.questions.map((q) => (
            <tr key={q.key}>
              <th scope="row">{q.question}</th>
              <td data-testid={`ockto-answer-${q.key}`}>{q.answer ? (ocktoAnswerLabel[q.answer] ?? q.answer) : '–'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <dl>
        <dt>Afgeleide klasse</dt>
        <dd data-testid="ockto-derived-class">{r.derivedClass ? riskClassLabel[r.derivedClass] : 'nog niet bepaald'}</dd>
        <dt>Huidige klasse</dt>
        <dd data-testid="ockto-current-class">{r.currentClass ? riskClassLabel[r.currentClass] : '–'}</dd>
      </dl>
      {r.reasons.length > 0 ? (
        <ul>
          {r.reasons.map((reason) => (
            <li key={reason.code}>{reason.text}</li>
          ))}
        </ul>
      ) : null}
      {r.derivedClass ? (
        <Deviate
          retrievalId={r.id}
          onSaved={(next) => {
            retrieval.setData(next);
            onChanged();
          }}
        />
      ) : null}
    </div>
  );
}

/** *Afwijken van de klasse*: another class with a motivation (PUT /ockto/retrievals/{id}/risk-class). */
function Deviate({ retrievalId, onSaved }: { retrievalId: string; onSaved: (r: Retrieval) => void }) {
  const id = useId();
  const [riskClass, setRiskClass] = useState<RiskClass | ''>('');
  const [motivation, setMotivation] = useState('');
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<FieldProblems>({ fields: {}, other: undefined });
  const [saved, setSaved] = useState<string>();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setProblems({ fields: {}, other: undefined });
    setSaved(undefined);
    try {
      // As typed: the API names a missing class or a short motivation.
      const body = { riskClass, motivation } as ApiRequestBody<'/ockto/retrievals/{id}/risk-class', 'put'>;
      const next = await request<Retrieval>('PUT', `/ockto/retrievals/${retrievalId}/risk-class`, body);
      setSaved(`Klasse gewijzigd naar ${next.currentClass ? riskClassLabel[next.currentClass] : ''}.`);
      setMotivation('');
      setRiskClass('');
      onSaved(next);
    } catch (err) {
      setProblems(problemsOf(err, ['riskClass', 'motivation']));
    } finally {
      setBusy(false);
    }
  };
  const f = problems.fields;
  return (
    <form onSubmit={(e) => void submit(e)} noValidate aria-label="Afwijken van de Ockto-klasse">
      <h4>Afwijken van de klasse</h4>
      <div className="field">
        <label htmlFor={`${id}-class`}>
          Nieuwe klasse<span aria-hidden="true"> *</span>
        </label>
        <select
          id={`${id}-class`}
          value={riskClass}
          onChange={(e) => setRiskClass(e.target.value as RiskClass | '')}
          aria-invalid={f.riskClass ? true : undefined}
          aria-describedby={f.riskClass ? `${id}-class-error` : undefined}
        >
          <option value="">— kies —</option>
          {riskClassOptions.map((c) => (
            <option key={c} value={c}>
              {riskClassLabel[c]}
            </option>
          ))}
        </select>
        {f.riskClass ? (
          <small id={`${id}-class-error`} className="field-error" role="alert">
            {f.riskClass}
          </small>
        ) : null}
      </div>
      <div className="field">
        <label htmlFor={`${id}-motivation`}>
          Motivering van de afwijking<span aria-hidden="true"> *</span>
        </label>
        <textarea
          id={`${id}-motivation`}
          rows={3}
          maxLength={4000}
          value={motivation}
          onChange={(e) => setMotivation(e.target.value)}
          aria-invalid={f.motivation ? true : undefined}
          aria-describedby={`${id}-motivation-hint${f.motivation ? ` ${id}-motivation-error` : ''}`}
        />
        <small id={`${id}-motivation-hint`} className="muted">
          Waarom u afwijkt (minstens 10 tekens); blijft bewaard bij de historie.
        </small>
        {f.motivation ? (
          <small id={`${id}-motivation-error`} className="field-error" role="alert">
            {f.motivation}
          </small>
        ) : null}
      </div>
      <ErrorAlert title="Klasse niet gewijzigd">{problems.other}</ErrorAlert>
      {saved ? <p role="status">{saved}</p> : null}
      <button type="submit" disabled={busy}>
        Afwijking vastleggen
      </button>
    </form>
  );
}
