/**
 * Processes (for designers, beheerders): each process's published versions as a readable list
 * of statuses and steps, and the draft with its validation problems. Editing drafts stays in
 * the API (PUT /process-drafts/:key) for now.
 */
import { useState } from 'react';
import { ApiError, get } from '../api';
import { ErrorAlert, Info, Loading } from '../components/Messages';
import { useLoad } from '../hooks';
import { categoryLabel, dateTime, productTypeLabel } from '../labels';
import type { ApiResponse, ProcessDefinition, ProcessDraft } from '../types';

export function ProcessesPage() {
  const defs = useLoad(() => get<ApiResponse<'/process-definitions'>>('/process-definitions'), []);
  const keys = [...new Set((defs.data?.items ?? []).map((d) => d.key))];
  return (
    <section>
      <h1>Processen</h1>
      <Info>Concepten bewerken en publiceren gaat nog via de API (/docs, process-designer); hier zie je wat er is.</Info>
      <ErrorAlert>{defs.error}</ErrorAlert>
      {defs.loading ? <Loading what="Processen" /> : null}
      {keys.map((key) => (
        <ProcessCard key={key} processKey={key} />
      ))}
    </section>
  );
}

function ProcessCard({ processKey }: { processKey: string }) {
  const versions = useLoad(() => get<ApiResponse<'/process-definitions/{key}/versions'>>(`/process-definitions/${processKey}/versions`), [processKey]);
  const items = versions.data?.items ?? [];
  const newest = items[items.length - 1];
  const [shown, setShown] = useState<number>();
  const version = shown ?? newest?.version;
  return (
    <article className="card" aria-labelledby={`proc-${processKey}`}>
      <h2 id={`proc-${processKey}`}>
        {newest ? `${newest.name} (${productTypeLabel(newest.productType)})` : processKey}
      </h2>
      <ErrorAlert>{versions.error}</ErrorAlert>
      {items.length > 0 ? (
        <div className="field">
          <label htmlFor={`ver-${processKey}`}>Gepubliceerde versie</label>
          <select id={`ver-${processKey}`} value={version} onChange={(e) => setShown(Number(e.target.value))}>
            {items.map((v) => (
              <option key={v.version} value={v.version}>
                versie {v.version} – {dateTime(v.publishedAt)} – {v.products} product(en)
              </option>
            ))}
          </select>
        </div>
      ) : null}
      {version !== undefined ? <Definition processKey={processKey} version={version} /> : null}
      <Draft processKey={processKey} />
    </article>
  );
}

function Definition({ processKey, version }: { processKey: string; version: number }) {
  const def = useLoad(() => get<ProcessDefinition>(`/process-definitions/${processKey}/versions/${version}`), [processKey, version]);
  const d = def.data;
  if (!d) return def.error ? <ErrorAlert>{def.error}</ErrorAlert> : <Loading what="Definitie" />;
  const label = (code: string) => d.statuses.find((s) => s.code === code)?.label ?? code;
  return (
    <div className="definition">
      <h3>Statussen</h3>
      <ul className="plain">
        {d.statuses.map((s) => (
          <li key={s.code}>
            <span className={`dot dot-${s.category}`} aria-hidden="true" /> {s.label} <span className="muted">({s.code}, {categoryLabel[s.category] ?? s.category}{s.code === d.initialStatus ? ', beginstatus' : ''})</span>
          </li>
        ))}
      </ul>
      <h3>Stappen</h3>
      <ol>
        {d.steps.map((s) => (
          <li key={s.id}>
            <strong>{s.label}</strong>: vanuit {s.from.map(label).join(', ')} → {s.to ? label(s.to) : 'status blijft'}
            {s.input && s.input.length > 0 ? <span className="muted"> – invoer: {s.input.map((f) => `${f.label}${f.required ? '*' : ''} (${f.type})`).join(', ')}</span> : null}
          </li>
        ))}
      </ol>
      {d.lenderStatuses && d.lenderStatuses.length > 0 ? (
        <>
          <h3>Statussen van de maatschappij (SX)</h3>
          <p>{d.lenderStatuses.map((m) => `SX ${m.code} → ${label(m.status)}`).join('; ')}</p>
        </>
      ) : null}
    </div>
  );
}

function Draft({ processKey }: { processKey: string }) {
  const draft = useLoad(async () => {
    try {
      return await get<ProcessDraft>(`/process-drafts/${processKey}`);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) return null;
      throw err;
    }
  }, [processKey]);
  if (draft.loading) return <Loading what="Concept" />;
  if (draft.error) return <ErrorAlert>{draft.error}</ErrorAlert>;
  const d = draft.data;
  if (!d) return <p className="muted">Geen concept.</p>;
  return (
    <section>
      <h3>
        Concept voor versie {d.nextVersion} <span className="muted">(bijgewerkt {dateTime(d.updatedAt)})</span>
      </h3>
      {d.validation.ok ? <p>Het concept is geldig en kan gepubliceerd worden.</p> : <p>Het concept heeft fouten:</p>}
      <ul>
        {d.validation.problems.map((p, i) => (
          <li key={`p${i}`}>
            <strong>Fout</strong> {p.path}: {p.message}
          </li>
        ))}
        {d.validation.warnings.map((p, i) => (
          <li key={`w${i}`}>
            Waarschuwing {p.path}: {p.message}
          </li>
        ))}
      </ul>
    </section>
  );
}
