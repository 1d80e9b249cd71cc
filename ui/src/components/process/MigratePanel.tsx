/**
 * Moving the office's running products to another published version (*migreren*): first a
 * preview of which products would move and which cannot (with the reason), then one bulk
 * migration of the movable ones, with the result per product.
 */
import { useState } from 'react';
import { errorText, get, post } from '../../api';
import type { ApiResponse, VersionSummary } from '../../types';
import { ErrorAlert } from '../Messages';
import { Link } from '../../router';

type Preview = ApiResponse<'/process-definitions/{key}/migrations/preview'>;
type Bulk = ApiResponse<'/process-definitions/{key}/migrations', 'post'>;

const blockerText = (blocker: string | undefined, to: number, status: string): string =>
  blocker === 'ended' ? 'kan niet mee: het product is beëindigd (beëindigde producten houden hun versie)' : blocker === 'status-missing' ? `kan niet mee: status "${status}" bestaat niet in versie ${to}` : 'gaat mee';

export function MigratePanel({ processKey, versions, onMigrated }: { processKey: string; versions: VersionSummary[]; onMigrated: () => void }) {
  const newest = versions[versions.length - 1]?.version;
  const withProducts = versions.filter((v) => v.version !== newest && v.products > 0);
  const [from, setFrom] = useState<number | undefined>(withProducts[0]?.version);
  const [to, setTo] = useState<number | undefined>(newest);
  const [preview, setPreview] = useState<Preview>();
  const [result, setResult] = useState<Bulk>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  if (versions.length < 2) return null;
  const fromVersion = from ?? versions[0]?.version;
  const movable = preview?.items.filter((i) => i.movable) ?? [];

  async function load(): Promise<void> {
    setError(undefined);
    setResult(undefined);
    try {
      setPreview(await get<Preview>(`/process-definitions/${processKey}/migrations/preview?from=${fromVersion}&to=${to}`));
    } catch (err) {
      setPreview(undefined);
      setError(errorText(err));
    }
  }

  async function migrate(): Promise<void> {
    if (!preview || movable.length === 0) return;
    setBusy(true);
    setError(undefined);
    try {
      // The bulk migration selects by status: exactly the statuses of the movable products, so none that cannot move is selected.
      const statuses = [...new Set(movable.map((i) => i.status))];
      setResult(await post<Bulk>(`/process-definitions/${processKey}/migrations`, { fromVersion: preview.fromVersion, toVersion: preview.toVersion, filter: { status: statuses } }));
      onMigrated();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  const outcome = (productId: string, fallback: string): string => {
    if (!result) return fallback;
    if (result.migrated.includes(productId)) return `gemigreerd naar versie ${result.toVersion}`;
    const failed = result.failed.find((f) => f.productId === productId);
    return failed ? `mislukt: ${failed.reason}` : fallback;
  };

  return (
    <section aria-labelledby={`mig-${processKey}`}>
      <h3 id={`mig-${processKey}`}>Lopende producten migreren</h3>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          void load();
        }}
      >
        <div className="field">
          <label htmlFor={`mig-from-${processKey}`}>Van versie</label>
          <select id={`mig-from-${processKey}`} value={fromVersion} onChange={(e) => setFrom(Number(e.target.value))}>
            {versions.map((v) => (
              <option key={v.version} value={v.version}>
                versie {v.version} ({v.products} product(en))
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`mig-to-${processKey}`}>Naar versie</label>
          <select id={`mig-to-${processKey}`} value={to} onChange={(e) => setTo(Number(e.target.value))}>
            {versions.map((v) => (
              <option key={v.version} value={v.version}>
                versie {v.version}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">Voorbeeld tonen</button>
      </form>
      <ErrorAlert title="Migreren">{error}</ErrorAlert>
      {preview ? (
        <>
          <table data-testid="migration-preview">
            <caption>
              Producten op versie {preview.fromVersion}: {movable.length} van {preview.items.length} kunnen naar versie {preview.toVersion}
            </caption>
            <thead>
              <tr>
                <th scope="col">Product</th>
                <th scope="col">Status</th>
                <th scope="col">{result ? 'Resultaat' : 'Migratie'}</th>
              </tr>
            </thead>
            <tbody>
              {preview.items.map((i) => (
                <tr key={i.productId}>
                  <td>
                    <Link to={`/dossiers/${i.dossierId}`}>product {i.productId.slice(0, 8)}</Link>
                  </td>
                  <td>{i.statusLabel}</td>
                  <td>{outcome(i.productId, blockerText(i.blocker, preview.toVersion, i.status))}</td>
                </tr>
              ))}
              {(result?.migrated ?? [])
                .filter((id) => !preview.items.some((i) => i.productId === id))
                .map((id) => (
                  <tr key={id}>
                    <td>product {id.slice(0, 8)}</td>
                    <td>(na het voorbeeld in deze status gekomen)</td>
                    <td>gemigreerd naar versie {result?.toVersion}</td>
                  </tr>
                ))}
            </tbody>
          </table>
          {result ? (
            <p role="status">
              {result.migrated.length} product(en) gemigreerd{result.failed.length > 0 ? `, ${result.failed.length} mislukt` : ''}.
            </p>
          ) : (
            <button type="button" onClick={() => void migrate()} disabled={busy || movable.length === 0}>
              {busy ? 'Migreren…' : `${movable.length} product(en) migreren naar versie ${preview.toVersion}`}
            </button>
          )}
        </>
      ) : null}
    </section>
  );
}
