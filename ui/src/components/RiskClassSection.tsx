/**
 * *Risicoclassificatie* on the person card: the current Wwft risk class, its history (from an
 * Ockto retrieval or set by hand) and a form to set the class with a motivation. The API
 * decides: the form does not block submission, and a 400 is shown at the field it names. Ockto
 * retrievals (start, link, answers, derived class, deviation) are in crm/OcktoSection.tsx.
 */
import { useId, useState, type FormEvent } from 'react';
import { ApiError, errorText, get, request } from '../api';
import { fieldMessage } from '../problem-labels';
import { ErrorAlert, Loading } from './Messages';
import { OcktoSection } from './crm/OcktoSection';
import { useLoad } from '../hooks';
import { dateTime, riskClassLabel, riskClassOptions, riskSourceLabel } from '../labels';
import type { PersonRisk, PersonRiskClassSet, Problem, RiskClass } from '../types';

type Field = 'class' | 'motivation';

/** The API's field errors (`errors: [{ path: '/body/motivation', message }]`) by field; the rest as one text. */
function fieldErrorsOf(err: unknown): { fields: Partial<Record<Field, string>>; other: string | undefined } {
  const fields: Partial<Record<Field, string>> = {};
  if (err instanceof ApiError && err.status === 400) {
    const errors = (err.body as Partial<Problem> | undefined)?.errors ?? [];
    for (const e of errors) {
      // A missing property is reported on /body with its name in the message.
      const field = (['class', 'motivation'] as const).find((f) => e.path === `/body/${f}` || (e.path === '/body' && e.message?.includes(`'${f}'`)));
      if (field && e.message) fields[field] = fieldMessage(e.message);
    }
    if (Object.keys(fields).length > 0) return { fields, other: undefined };
  }
  return { fields, other: errorText(err) };
}

export function RiskClassSection({ personId }: { personId: string }) {
  const risk = useLoad(() => get<PersonRisk>(`/persons/${personId}/risk-class`), [personId]);
  const [riskClass, setRiskClass] = useState<RiskClass | ''>('');
  const [motivation, setMotivation] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [error, setError] = useState<string | undefined>();
  const [saved, setSaved] = useState<string | undefined>();
  const id = useId();

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    setError(undefined);
    setSaved(undefined);
    try {
      // An empty choice goes as it is: the API names the field, so the message is the API's own.
      const body = { class: riskClass, motivation } as PersonRiskClassSet;
      const next = await request<PersonRisk>('PUT', `/persons/${personId}/risk-class`, body);
      risk.setData(next);
      setMotivation('');
      setRiskClass('');
      setSaved(`Risicoklasse ${next.currentClass ?? ''} vastgelegd.`);
    } catch (err) {
      const found = fieldErrorsOf(err);
      setErrors(found.fields);
      setError(found.other);
    } finally {
      setBusy(false);
    }
  }

  const data = risk.data;
  const history = data ? [...data.history].reverse() : [];
  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Risicoclassificatie</h2>
      <ErrorAlert>{risk.error}</ErrorAlert>
      {risk.loading ? <Loading what="Risicoclassificatie" /> : null}
      {data ? (
        <>
          <dl className="card">
            <dt>Huidige risicoklasse</dt>
            <dd data-testid="current-risk-class">{data.currentClass ? riskClassLabel[data.currentClass] : 'Nog niet vastgesteld'}</dd>
          </dl>
          {history.length > 0 ? (
            <table>
              <caption>Historie risicoklasse (nieuwste eerst)</caption>
              <thead>
                <tr>
                  <th scope="col">Datum</th>
                  <th scope="col">Klasse</th>
                  <th scope="col">Bron</th>
                  <th scope="col">Motivering</th>
                  <th scope="col">Door</th>
                </tr>
              </thead>
              <tbody>
                {history.map((h) => (
                  <tr key={h.id}>
                    <td>{dateTime(h.at)}</td>
                    <td>{h.from ? `${riskClassLabel[h.from]} → ${riskClassLabel[h.to]}` : riskClassLabel[h.to]}</td>
                    <td>{riskSourceLabel(h)}</td>
                    <td>{h.motivation ?? '–'}</td>
                    <td>{h.actorName ?? (h.actor === 'system:ockto' ? 'Ockto' : h.actor)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p className="muted">Nog geen risicoklasse vastgelegd.</p>
          )}
        </>
      ) : null}
      {data ? <OcktoSection personId={personId} retrievals={data.retrievals} onChanged={() => void risk.reload()} /> : null}
      <form onSubmit={(e) => void submit(e)} aria-labelledby={`${id}-form`} noValidate>
        <h3 id={`${id}-form`}>Risicoklasse handmatig vastleggen</h3>
        <div className="field">
          <label htmlFor={`${id}-class`}>
            Risicoklasse<span aria-hidden="true"> *</span>
          </label>
          <select
            id={`${id}-class`}
            value={riskClass}
            onChange={(e) => setRiskClass(e.target.value as RiskClass | '')}
            aria-invalid={errors.class ? true : undefined}
            aria-describedby={errors.class ? `${id}-class-error` : undefined}
          >
            <option value="">— kies —</option>
            {riskClassOptions.map((c) => (
              <option key={c} value={c}>
                {riskClassLabel[c]}
              </option>
            ))}
          </select>
          {errors.class ? (
            <small id={`${id}-class-error`} className="field-error" role="alert">
              {errors.class}
            </small>
          ) : null}
        </div>
        <div className="field">
          <label htmlFor={`${id}-motivation`}>
            Motivering<span aria-hidden="true"> *</span>
          </label>
          <textarea
            id={`${id}-motivation`}
            rows={3}
            maxLength={4000}
            value={motivation}
            onChange={(e) => setMotivation(e.target.value)}
            aria-invalid={errors.motivation ? true : undefined}
            aria-describedby={`${id}-motivation-hint${errors.motivation ? ` ${id}-motivation-error` : ''}`}
          />
          <small id={`${id}-motivation-hint`} className="muted">
            Waarom deze klasse (minstens 10 tekens); blijft bewaard bij de historie.
          </small>
          {errors.motivation ? (
            <small id={`${id}-motivation-error`} className="field-error" role="alert">
              {errors.motivation}
            </small>
          ) : null}
        </div>
        <ErrorAlert>{error}</ErrorAlert>
        {saved ? (
          <p role="status" className="muted">
            {saved}
          </p>
        ) : null}
        <button type="submit" disabled={busy}>
          Risicoklasse vastleggen
        </button>
      </form>
    </section>
  );
}
