/**
 * Processes (for designers, beheerders): each process's published versions as a readable list
 * of statuses and steps, and the designer's workbench: the draft as a form with its validation
 * problems at the fields, a dry run, a diff against a published version, publishing, and
 * migrating running products to another version.
 */
import { useState } from 'react';
import { ApiError, errorText, get, post, request } from '../api';
import { ErrorAlert, Loading } from '../components/Messages';
import { DraftForm } from '../components/process/DraftForm';
import { DryRunPanel } from '../components/process/DryRunPanel';
import { DiffPanel } from '../components/process/DiffPanel';
import { MigratePanel } from '../components/process/MigratePanel';
import { formShapeProblems } from '../components/process/draft-shape';
import { useLoad } from '../hooks';
import { categoryLabel, dateTime, productTypeLabel } from '../labels';
import type { ApiResponse, ProcessDefinition, ProcessDraft, VersionSummary } from '../types';

export function ProcessesPage() {
  const defs = useLoad(() => get<ApiResponse<'/process-definitions'>>('/process-definitions'), []);
  const keys = [...new Set((defs.data?.items ?? []).map((d) => d.key))];
  return (
    <section>
      <h1>Processen</h1>
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
        {/* Two processes may share a name (a copy to try something out); the key tells them apart. */}
        {newest ? <span className="muted"> · {processKey}</span> : null}
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
      <Draft processKey={processKey} versions={items} onPublished={() => void versions.reload()} />
      <MigratePanel key={items.length} processKey={processKey} versions={items} onMigrated={() => void versions.reload()} />
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

function Draft({ processKey, versions, onPublished }: { processKey: string; versions: VersionSummary[]; onPublished: () => void }) {
  const draft = useLoad(async () => {
    try {
      return await get<ProcessDraft>(`/process-drafts/${processKey}`);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) return null;
      throw err;
    }
  }, [processKey]);
  const [error, setError] = useState<string>();
  const [published, setPublished] = useState<number>();
  const [busy, setBusy] = useState(false);
  const newest = versions[versions.length - 1];
  if (draft.loading) return <Loading what="Concept" />;
  if (draft.error) return <ErrorAlert>{draft.error}</ErrorAlert>;
  const d = draft.data;

  async function act(what: () => Promise<void>): Promise<void> {
    setBusy(true);
    setError(undefined);
    try {
      await what();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }
  const start = () =>
    act(async () => {
      if (!newest) return;
      const def = await get<ProcessDefinition>(`/process-definitions/${processKey}/versions/${newest.version}`);
      draft.setData(await request<ProcessDraft>('PUT', `/process-drafts/${processKey}`, { definition: def, baseVersion: newest.version }));
      setPublished(undefined);
    });
  const publish = () =>
    act(async () => {
      const res = await post<ApiResponse<'/process-drafts/{key}/publish', 'post'>>(`/process-drafts/${processKey}/publish`);
      setPublished(res.version);
      await draft.reload();
      onPublished();
    });
  const discard = () =>
    act(async () => {
      await request<void>('DELETE', `/process-drafts/${processKey}`);
      await draft.reload();
    });

  if (!d) {
    return (
      <section aria-labelledby={`draft-${processKey}`}>
        <h3 id={`draft-${processKey}`}>Concept</h3>
        {published ? <p role="status" className="alert alert-ok">Versie {published} is gepubliceerd.</p> : <p className="muted">Geen concept.</p>}
        <ErrorAlert>{error}</ErrorAlert>
        {newest ? (
          <button type="button" disabled={busy} onClick={() => void start()}>
            Concept starten vanaf versie {newest.version}
          </button>
        ) : null}
      </section>
    );
  }
  const shapeProblems = formShapeProblems(d.definition);
  return (
    <section aria-labelledby={`draft-${processKey}`} className="workbench">
      <h3 id={`draft-${processKey}`}>
        Concept voor versie {d.nextVersion} <span className="muted">(vanaf versie {d.baseVersion ?? '–'}, bijgewerkt {dateTime(d.updatedAt)})</span>
      </h3>
      {shapeProblems.length === 0 ? (
        <>
          <DraftForm key={d.updatedAt} processKey={processKey} draft={d} onSaved={(saved) => draft.setData(saved)} />
          <DryRunPanel processKey={processKey} definition={d.definition as unknown as ProcessDefinition} />
        </>
      ) : (
        <UnshapedDraft processKey={processKey} draft={d} reasons={shapeProblems} />
      )}
      <DiffPanel key={`${d.baseVersion}`} processKey={processKey} versions={versions} baseVersion={d.baseVersion} />
      <section aria-labelledby={`pub-${processKey}`}>
        <h3 id={`pub-${processKey}`}>Publiceren</h3>
        <ErrorAlert title="Publiceren">{error}</ErrorAlert>
        <div className="actions">
          <button type="button" disabled={busy || !d.validation.ok} onClick={() => void publish()}>
            Publiceren als versie {d.nextVersion}
          </button>
          <button type="button" className="danger" disabled={busy} onClick={() => void discard()}>
            Concept weggooien
          </button>
        </div>
        {!d.validation.ok ? <p className="muted">Publiceren kan zodra het opgeslagen concept geen fouten meer heeft.</p> : null}
      </section>
    </section>
  );
}

/**
 * A draft saved through the API in a shape the form cannot walk: its reasons, its validation problems and its JSON,
 * so the designer sees what is there; throwing it away (below) or saving a corrected one through the API fixes it.
 */
function UnshapedDraft({ processKey, draft, reasons }: { processKey: string; draft: ProcessDraft; reasons: string[] }) {
  return (
    <div className="alert alert-error" role="region" aria-labelledby={`unshaped-${processKey}`}>
      <h4 id={`unshaped-${processKey}`}>Dit concept kan niet als formulier worden getoond</h4>
      <p>Het is via de API opgeslagen met een vorm die het formulier niet kent. Gooi het weg en start opnieuw vanaf een versie, of sla een verbeterd concept op via de API.</p>
      <ul>
        {reasons.map((r) => (
          <li key={r}>{r}</li>
        ))}
        {draft.validation.problems.map((p, i) => (
          <li key={`p${i}`}>
            Fout bij {p.path || 'het proces'}: {p.message}
          </li>
        ))}
      </ul>
      <details>
        <summary>Het opgeslagen concept (JSON)</summary>
        <pre className="json">{JSON.stringify(draft.definition, null, 2)}</pre>
      </details>
    </div>
  );
}
