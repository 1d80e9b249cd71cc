/**
 * "Exporteer voor adviessoftware" on the dossier page (issue 19 deliverable 7, seed 003): the
 * client data of the dossier as the versioned JSON file (docs/advice-export.md) or as the
 * HDN-structured client-data document, downloaded with the adviser's token. Every export is
 * recorded in the privacy audit by the API.
 */
import { useState } from 'react';
import { download, errorText } from '../api';
import { ErrorAlert } from './Messages';

export function AdviceExport({ dossierId, number }: { dossierId: string; number: string }) {
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  async function take(path: string, name: string) {
    setBusy(true);
    setError(undefined);
    try {
      await download(path, name);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className="actions" data-testid="advice-export">
      <button type="button" disabled={busy} onClick={() => void take(`/dossiers/${dossierId}/advice-export`, `klantgegevens-${number}.json`)}>
        Exporteer voor adviessoftware
      </button>{' '}
      <button type="button" disabled={busy} onClick={() => void take(`/dossiers/${dossierId}/advice-export/hdn`, `klantgegevens-${number}-hdn.xml`)}>
        Exporteer als HDN-bestand
      </button>
      <ErrorAlert title="Exporteren mislukt">{error}</ErrorAlert>
    </div>
  );
}
