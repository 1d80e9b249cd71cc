/**
 * RISK on the dossier: *Verzekeringsofferte aanvragen* (a non-life quote through RISK; the API
 * creates one insurance product with the coverages as parts) and, on an insurance product, its
 * policy (RISK number, premium, start) with the history of the RISK events applied to it.
 */
import { useId, useState, type FormEvent } from 'react';
import { get, post } from '../../api';
import { useLoad } from '../../hooks';
import { date, dateTime, euro } from '../../labels';
import type { ApiRequestBody, ApiResponse, Dossier } from '../../types';
import { ErrorAlert } from '../Messages';
import { insuranceEventLabel } from './labels';
import { centsOf, problemsOf, type FieldProblems } from './problems';

type QuoteRequest = ApiRequestBody<'/dossiers/{id}/insurance-quotes'>;
type Coverage = QuoteRequest['coverages'][number];

interface CoverageRow {
  code: string;
  description: string;
  amount: string;
}

const emptyRow = (): CoverageRow => ({ code: '', description: '', amount: '' });

export function InsuranceQuoteSection({ dossierId, applicants, onRequested }: { dossierId: string; applicants: Dossier['applicants']; onRequested: () => void }) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [branch, setBranch] = useState('');
  const [insurerCode, setInsurerCode] = useState('');
  const [startDate, setStartDate] = useState('');
  const [personId, setPersonId] = useState(applicants[0]?.person.id ?? '');
  const [rows, setRows] = useState<CoverageRow[]>([emptyRow()]);
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<FieldProblems>({ fields: {}, other: undefined });
  const [done, setDone] = useState<string>();

  const setRow = (i: number, patch: Partial<CoverageRow>) => setRows((old) => old.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblems({ fields: {}, other: undefined });
    setDone(undefined);
    const coverages: Coverage[] = [];
    for (const [i, r] of rows.entries()) {
      const cents = r.amount.trim() ? centsOf(r.amount) : undefined;
      if (r.amount.trim() && cents === undefined) {
        setProblems({ fields: {}, other: `Dekking ${i + 1}: vul het verzekerd bedrag in euro in, bijv. 2.500.000,00` });
        return;
      }
      coverages.push({ code: r.code.trim(), description: r.description.trim(), ...(cents !== undefined ? { insuredAmountCents: cents } : {}) });
    }
    setBusy(true);
    try {
      const body = {
        branch: branch.trim(),
        ...(insurerCode.trim() ? { insurerCode: insurerCode.trim() } : {}),
        startDate,
        ...(personId ? { personId } : {}),
        coverages,
      } satisfies QuoteRequest;
      await post<ApiResponse<'/dossiers/{id}/insurance-quotes', 'post'>>(`/dossiers/${dossierId}/insurance-quotes`, body);
      setDone('Offerte aangevraagd bij RISK; het verzekeringsproduct staat hierboven bij de producten.');
      setRows([emptyRow()]);
      setOpen(false);
      onRequested();
    } catch (err) {
      setProblems(problemsOf(err, ['branch', 'insurerCode', 'startDate', 'personId']));
    } finally {
      setBusy(false);
    }
  };
  const f = problems.fields;
  return (
    <section aria-labelledby={`${id}-h`} className="card">
      <h3 id={`${id}-h`}>Verzekeringsofferte aanvragen (RISK)</h3>
      {done ? <p role="status">{done}</p> : null}
      {!open ? (
        <button type="button" onClick={() => setOpen(true)}>
          Offerte aanvragen
        </button>
      ) : (
        <form onSubmit={(e) => void submit(e)} noValidate aria-label="Verzekeringsofferte aanvragen" className="inline-form">
          <div className="field">
            <label htmlFor={`${id}-branch`}>
              Branche (ADN-code)<span aria-hidden="true"> *</span>
            </label>
            <input id={`${id}-branch`} value={branch} inputMode="numeric" maxLength={3} onChange={(e) => setBranch(e.target.value)} aria-invalid={f.branch ? true : undefined} aria-describedby={`${id}-branch-hint${f.branch ? ` ${id}-branch-error` : ''}`} />
            <small id={`${id}-branch-hint`} className="muted">
              drie cijfers, bijv. 020 (motorrijtuigen)
            </small>
            {f.branch ? (
              <small id={`${id}-branch-error`} className="field-error" role="alert">
                {f.branch}
              </small>
            ) : null}
          </div>
          <div className="field">
            <label htmlFor={`${id}-insurer`}>Maatschappijcode</label>
            <input id={`${id}-insurer`} value={insurerCode} onChange={(e) => setInsurerCode(e.target.value)} aria-invalid={f.insurerCode ? true : undefined} />
            {f.insurerCode ? <small className="field-error" role="alert">{f.insurerCode}</small> : null}
          </div>
          <div className="field">
            <label htmlFor={`${id}-start`}>
              Ingangsdatum<span aria-hidden="true"> *</span>
            </label>
            <input id={`${id}-start`} type="date" value={startDate} onChange={(e) => setStartDate(e.target.value)} aria-invalid={f.startDate ? true : undefined} aria-describedby={f.startDate ? `${id}-start-error` : undefined} />
            {f.startDate ? (
              <small id={`${id}-start-error`} className="field-error" role="alert">
                {f.startDate}
              </small>
            ) : null}
          </div>
          {applicants.length > 0 ? (
            <div className="field">
              <label htmlFor={`${id}-person`}>Verzekeringnemer</label>
              <select id={`${id}-person`} value={personId} onChange={(e) => setPersonId(e.target.value)}>
                {applicants.map((a) => (
                  <option key={a.person.id} value={a.person.id}>
                    {a.person.name}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          <fieldset>
            <legend>Dekkingen</legend>
            {rows.map((r, i) => (
              <div key={i} className="coverage-row" role="group" aria-label={`Dekking ${i + 1}`}>
                <div className="field">
                  <label htmlFor={`${id}-c${i}-code`}>Code dekking {i + 1}</label>
                  <input id={`${id}-c${i}-code`} value={r.code} onChange={(e) => setRow(i, { code: e.target.value })} />
                </div>
                <div className="field">
                  <label htmlFor={`${id}-c${i}-desc`}>Omschrijving dekking {i + 1}</label>
                  <input id={`${id}-c${i}-desc`} value={r.description} maxLength={200} onChange={(e) => setRow(i, { description: e.target.value })} />
                </div>
                <div className="field">
                  <label htmlFor={`${id}-c${i}-amount`}>Verzekerd bedrag dekking {i + 1}</label>
                  <input id={`${id}-c${i}-amount`} value={r.amount} inputMode="decimal" onChange={(e) => setRow(i, { amount: e.target.value })} />
                </div>
                {rows.length > 1 ? (
                  <button type="button" className="secondary" onClick={() => setRows((old) => old.filter((_, j) => j !== i))}>
                    Dekking {i + 1} verwijderen
                  </button>
                ) : null}
              </div>
            ))}
            <button type="button" className="secondary" disabled={rows.length >= 20} onClick={() => setRows((old) => [...old, emptyRow()])}>
              Dekking toevoegen
            </button>
          </fieldset>
          <ErrorAlert title="Offerte niet aangevraagd">{problems.other}</ErrorAlert>
          <div className="actions">
            <button type="submit" disabled={busy}>
              Offerte aanvragen bij RISK
            </button>
            <button type="button" className="secondary" onClick={() => setOpen(false)}>
              Annuleren
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

/** The policy of an insurance product and the RISK events applied to it (*verzekeringshistorie*). */
export function InsuranceHistory({ productId, pollMs }: { productId: string; pollMs?: number }) {
  const view = useLoad(() => get<ApiResponse<'/products/{id}/insurance'>>(`/products/${productId}/insurance`), [productId], pollMs);
  const headingId = useId();
  const v = view.data;
  return (
    <section aria-labelledby={headingId} className="insurance">
      <h4 id={headingId}>Polis (RISK)</h4>
      <ErrorAlert>{view.error}</ErrorAlert>
      {v ? (
        <>
          <dl data-testid="insurance-policy">
            <dt>Offerte-/polisnummer</dt>
            <dd>{v.externalRef ?? 'nog niet bekend'}</dd>
            <dt>Branche</dt>
            <dd>{v.branch}</dd>
            <dt>Premie</dt>
            <dd>{v.premiumCents !== null ? `${euro(v.premiumCents)}${v.paymentTermMonths ? ` per ${v.paymentTermMonths === 1 ? 'maand' : `${v.paymentTermMonths} maanden`}` : ''}` : '–'}</dd>
            <dt>Ingangsdatum</dt>
            <dd>{date(v.startDate)}</dd>
          </dl>
          {v.history.length === 0 ? (
            <p className="muted">Nog geen berichten van RISK verwerkt.</p>
          ) : (
            <table>
              <caption>Verzekeringshistorie</caption>
              <thead>
                <tr>
                  <th scope="col">Datum</th>
                  <th scope="col">Bericht</th>
                  <th scope="col">Versie</th>
                  <th scope="col">Premie</th>
                  <th scope="col">Ingang</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {v.history.map((h) => (
                  <tr key={h.seq}>
                    <td>{dateTime(h.eventAt)}</td>
                    <td>{insuranceEventLabel[h.kind]}</td>
                    <td>{h.version}</td>
                    <td>{euro(h.premiumCents)}</td>
                    <td>{date(h.startDate)}</td>
                    <td>{h.fromStatus !== h.toStatus ? `${h.fromStatus} → ${h.toStatus}` : h.toStatus}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      ) : null}
    </section>
  );
}
