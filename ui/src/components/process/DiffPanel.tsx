/**
 * What the saved draft changes against a published version the designer picks: statuses,
 * steps (with the changed fields), SX mapping and offer deadlines, in words.
 */
import { useState } from 'react';
import { errorText, get } from '../../api';
import type { ApiResponse, VersionSummary } from '../../types';
import { ErrorAlert } from '../Messages';

type Diff = ApiResponse<'/process-drafts/{key}/diff'>;

const fieldLabel: Record<string, string> = {
  name: 'naam',
  productType: 'productsoort',
  initialStatus: 'beginstatus',
  label: 'omschrijving',
  category: 'categorie',
  from: 'toegestaan vanuit',
  to: 'naar status',
  actions: 'acties',
  input: 'invoer',
  guard: 'voorwaarden',
  status: 'wordt status',
};

const show = (v: unknown): string => (v === undefined ? '(leeg)' : Array.isArray(v) && v.every((x) => typeof x === 'string') ? v.join(', ') : JSON.stringify(v));
const nameOf = (item: unknown): string => {
  const o = item as Record<string, unknown>;
  const id = String(o.code ?? o.id ?? o.deadline ?? '');
  return typeof o.label === 'string' ? `${o.label} (${id})` : id;
};

function Collection({ title, c }: { title: string; c: Diff['statuses'] }) {
  if (c.added.length + c.removed.length + c.changed.length === 0) return null;
  return (
    <>
      <h4>{title}</h4>
      <ul>
        {c.added.map((a, i) => (
          <li key={`a${i}`} className="diff-added">
            Toegevoegd: {nameOf(a)}
          </li>
        ))}
        {c.removed.map((r, i) => (
          <li key={`r${i}`} className="diff-removed">
            Verwijderd: {nameOf(r)}
          </li>
        ))}
        {c.changed.map((ch) => (
          <li key={`c${ch.id}`}>
            Gewijzigd: {ch.id} –{' '}
            {ch.changes.map((f) => `${fieldLabel[f.field] ?? f.field}: ${show(f.from)} → ${show(f.to)}`).join('; ')}
          </li>
        ))}
      </ul>
    </>
  );
}

export function DiffPanel({ processKey, versions, baseVersion }: { processKey: string; versions: VersionSummary[]; baseVersion: number | null }) {
  const [against, setAgainst] = useState<number | undefined>(baseVersion ?? versions[versions.length - 1]?.version);
  const [diff, setDiff] = useState<Diff>();
  const [error, setError] = useState<string>();
  if (versions.length === 0) return null;

  async function compare(): Promise<void> {
    setError(undefined);
    try {
      setDiff(await get<Diff>(`/process-drafts/${processKey}/diff${against ? `?against=${against}` : ''}`));
    } catch (err) {
      setDiff(undefined);
      setError(errorText(err));
    }
  }

  return (
    <section aria-labelledby={`diff-${processKey}`}>
      <h3 id={`diff-${processKey}`}>Vergelijken met een gepubliceerde versie</h3>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          void compare();
        }}
      >
        <div className="field">
          <label htmlFor={`diff-against-${processKey}`}>Vergelijk het opgeslagen concept met</label>
          <select id={`diff-against-${processKey}`} value={against} onChange={(e) => setAgainst(Number(e.target.value))}>
            {versions.map((v) => (
              <option key={v.version} value={v.version}>
                versie {v.version}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">Vergelijken</button>
      </form>
      <ErrorAlert title="Vergelijken">{error}</ErrorAlert>
      {diff ? (
        <div data-testid="draft-diff">
          <p>
            Versie {diff.fromVersion} → concept (versie {diff.toVersion}): {diff.identical ? 'geen verschillen.' : 'de verschillen:'}
          </p>
          {diff.changes.length > 0 ? (
            <ul>
              {diff.changes.map((f) => (
                <li key={f.field}>
                  {fieldLabel[f.field] ?? f.field}: {show(f.from)} → {show(f.to)}
                </li>
              ))}
            </ul>
          ) : null}
          <Collection title="Statussen" c={diff.statuses} />
          <Collection title="Stappen" c={diff.steps} />
          <Collection title="SX-koppeling" c={diff.lenderStatuses} />
          <Collection title="Termijnen uit offertes" c={diff.offerDeadlines} />
          {diff.stepOrderChanged ? <p>De volgorde van de stappen is gewijzigd.</p> : null}
        </div>
      ) : null}
    </section>
  );
}
