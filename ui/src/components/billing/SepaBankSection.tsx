/**
 * SEPA-incasso and bank import on the billing page: make the direct-debit file (pain.008) of the
 * invoices due for collection and download it; import a bank file (camt.053 statement, camt.054
 * notification or pain.002 status report) and see the reconciliation (*afletteren*): what was
 * booked, which collections came back (*storno*, with the reason code and the invoice's status
 * after), and what is not matched, which an adviser matches to an invoice by hand.
 */
import { useState, type FormEvent } from 'react';
import { download, errorText, get, post, postText, query } from '../../api';
import { useLoad } from '../../hooks';
import { date, dateTime, euro, invoiceStatusLabel } from '../../labels';
import type { ApiRequestBody, ApiResponse, Invoice } from '../../types';
import { ErrorAlert, Info, Loading } from '../Messages';

type SepaExport = ApiResponse<'/billing/sepa-exports', 'post'>;
type ImportResult = ApiResponse<'/billing/bank-imports', 'post'>;
type ImportDetail = ApiResponse<'/billing/bank-imports/{id}'>;
type ImportItem = ImportDetail['items'][number];

const kindLabel: Record<string, string> = {
  credit: 'Bijschrijving',
  batch: 'Bijschrijving incassobatch',
  return: 'Storno',
  debit: 'Afschrijving',
  reject: 'Afgekeurde incasso',
};
const outcomeLabel: Record<string, string> = {
  booked: 'Geboekt',
  already_booked: 'Al geboekt',
  unmatched: 'Niet gematcht',
  matched_by_hand: 'Handmatig gematcht',
};
const formatLabel: Record<string, string> = { 'camt.053': 'Rekeningafschrift (camt.053)', 'camt.054': 'Notificatie (camt.054)', 'pain.002': 'Statusrapport (pain.002)' };

/** Tomorrow in the browser's calendar: the earliest collection date to try (the API checks the SEPA calendar). */
function tomorrow(): string {
  const d = new Date(Date.now() + 86_400_000);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export function SepaBankSection() {
  // `n` counts the openings: opening the same file again reads it afresh (invoice statuses move on).
  const [openImport, setOpenImport] = useState<{ id: string; n: number }>();
  const open = (id: string) => setOpenImport((o) => ({ id, n: (o?.n ?? 0) + 1 }));
  const [importsVersion, setImportsVersion] = useState(0);
  return (
    <>
      <SepaExportForm />
      <BankImportForm
        onImported={(id) => {
          open(id);
          setImportsVersion((v) => v + 1);
        }}
      />
      <BankImports version={importsVersion} onOpen={open} />
      {openImport ? <Reconciliation key={`${openImport.id}-${openImport.n}`} id={openImport.id} onChanged={() => setImportsVersion((v) => v + 1)} /> : null}
    </>
  );
}

function SepaExportForm() {
  const [collectionDate, setCollectionDate] = useState(tomorrow);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [result, setResult] = useState<SepaExport>();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const body: ApiRequestBody<'/billing/sepa-exports'> = { collectionDate };
      setResult(await post<SepaExport>('/billing/sepa-exports', body));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="sepa-h">
      <h2 id="sepa-h">SEPA-incasso</h2>
      <p className="muted">Maakt het incassobestand (pain.008) van alle openstaande incassofacturen met een factuurdatum tot en met de incassodatum.</p>
      <form onSubmit={(e) => void submit(e)} className="grid-form" aria-label="Incassobestand maken">
        <div className="field">
          <label htmlFor="sepa-date">Incassodatum</label>
          <input id="sepa-date" type="date" required value={collectionDate} onChange={(e) => setCollectionDate(e.target.value)} />
        </div>
        <div>
          <button type="submit" disabled={busy}>
            Incassobestand maken
          </button>
        </div>
      </form>
      <ErrorAlert title="Geen incassobestand gemaakt">{error}</ErrorAlert>
      {result ? (
        <div role="status" aria-label="Incassobestand" className="card">
          <p>
            Incassobestand <code>{result.messageId}</code> voor {date(result.collectionDate)}: {result.transactions}{' '}
            {result.transactions === 1 ? 'incasso' : 'incasso’s'}, totaal {euro(result.totalCents)}.{' '}
            <button type="button" onClick={() => download(result.xmlUrl, `${result.messageId}.xml`).catch((err: unknown) => setError(errorText(err)))}>
              pain.008 downloaden
            </button>
          </p>
          <table aria-label="Geïncasseerde facturen">
            <thead>
              <tr>
                <th scope="col">Factuur</th>
                <th scope="col">Volgorde</th>
                <th scope="col">Bedrag</th>
                <th scope="col">Kenmerk (EndToEndId)</th>
              </tr>
            </thead>
            <tbody>
              {result.invoices.map((i) => (
                <tr key={i.invoiceId}>
                  <td>{i.number}</td>
                  <td>{i.sequenceType === 'FRST' ? 'Eerste (FRST)' : i.sequenceType === 'RCUR' ? 'Herhaald (RCUR)' : i.sequenceType}</td>
                  <td>{euro(i.amountCents)}</td>
                  <td>
                    <code>{i.endToEndId}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {result.deferred.length ? (
            <>
              <h3>Uitgesteld naar een volgende incasso</h3>
              <ul>
                {result.deferred.map((d) => (
                  <li key={d.invoiceId}>
                    {d.number}: {d.reason}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}

function BankImportForm({ onImported }: { onImported: (id: string) => void }) {
  const [file, setFile] = useState<File>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [result, setResult] = useState<ImportResult>();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) return;
    setBusy(true);
    setError(undefined);
    setResult(undefined);
    try {
      const r = await postText<ImportResult>('/billing/bank-imports', await file.text(), 'application/xml');
      setResult(r);
      onImported(r.id);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="bank-h">
      <h2 id="bank-h">Bankbestand importeren</h2>
      <form onSubmit={(e) => void submit(e)} className="grid-form" aria-label="Bankbestand importeren">
        <div className="field">
          <label htmlFor="bank-file">Bankbestand (camt.053, camt.054 of pain.002, XML)</label>
          <input id="bank-file" type="file" accept=".xml,application/xml,text/xml" onChange={(e) => setFile(e.target.files?.[0])} />
        </div>
        <div>
          <button type="submit" disabled={busy || !file}>
            Importeren
          </button>
        </div>
      </form>
      <ErrorAlert title="Niet geïmporteerd">{error}</ErrorAlert>
      {result ? (
        <div role="status" aria-label="Resultaat van de import" className="alert alert-ok">
          {result.duplicate
            ? 'Dit bestand was al geïmporteerd: er is niets opnieuw geboekt.'
            : `${formatLabel[result.format] ?? result.format} geïmporteerd: ${result.booked} ${result.booked === 1 ? 'boeking' : 'boekingen'}, ${result.unmatched.length} niet gematcht.`}
        </div>
      ) : null}
    </section>
  );
}

function BankImports({ version, onOpen }: { version: number; onOpen: (id: string) => void }) {
  const list = useLoad(() => get<ApiResponse<'/billing/bank-imports'>>(`/billing/bank-imports${query({ limit: 20 })}`), [version]);
  return (
    <section aria-labelledby="imports-h">
      <h2 id="imports-h">Geïmporteerde bankbestanden</h2>
      <ErrorAlert>{list.error}</ErrorAlert>
      {list.data && list.data.items.length === 0 ? <p className="muted">Nog geen bankbestanden geïmporteerd.</p> : null}
      {list.data && list.data.items.length > 0 ? (
        <table aria-label="Geïmporteerde bankbestanden">
          <thead>
            <tr>
              <th scope="col">Wanneer</th>
              <th scope="col">Soort</th>
              <th scope="col">Bericht</th>
              <th scope="col">Posten</th>
              <th scope="col">Geboekt</th>
              <th scope="col">Niet gematcht</th>
              <th scope="col">
                <span className="visually-hidden">Afletteren</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((i) => (
              <tr key={i.id}>
                <td>{dateTime(i.createdAt)}</td>
                <td>{formatLabel[i.format] ?? i.format}</td>
                <td>
                  <code>{i.messageId}</code>
                </td>
                <td>{i.entries}</td>
                <td>{i.booked}</td>
                <td>{i.unmatched}</td>
                <td>
                  <button type="button" className="link" onClick={() => onOpen(i.id)}>
                    Afletteren bekijken<span className="visually-hidden"> ({i.messageId})</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

/** The invoices the file's items booked, with their number and status now (a storno shows its effect). */
async function invoicesOf(items: readonly ImportItem[]): Promise<Map<string, Invoice>> {
  const ids = [...new Set(items.flatMap((i) => i.invoiceIds))].slice(0, 100);
  const found = await Promise.all(ids.map((id) => get<Invoice>(`/invoices/${id}`).catch(() => undefined)));
  return new Map(found.filter((x): x is Invoice => x !== undefined).map((x) => [x.id, x]));
}

function Reconciliation({ id, onChanged }: { id: string; onChanged: () => void }) {
  const detail = useLoad(async () => {
    const d = await get<ImportDetail>(`/billing/bank-imports/${id}`);
    return { detail: d, invoices: await invoicesOf(d.items) };
  }, [id]);
  const d = detail.data?.detail;
  const invoices = detail.data?.invoices ?? new Map<string, Invoice>();
  const unmatched = d?.items.filter((i) => i.outcome === 'unmatched') ?? [];
  const booked = d?.items.filter((i) => i.outcome !== 'unmatched') ?? [];
  const invoiceText = (item: ImportItem) =>
    item.invoiceIds
      .map((x) => {
        const inv = invoices.get(x);
        return inv ? `${inv.number} (nu ${invoiceStatusLabel[inv.status] ?? inv.status})` : x;
      })
      .join(', ') || '—';

  return (
    <section aria-labelledby="recon-h">
      <h2 id="recon-h">Afletteren{d ? `: ${formatLabel[d.format] ?? d.format} ${d.messageId}` : ''}</h2>
      <ErrorAlert>{detail.error}</ErrorAlert>
      {detail.loading ? <Loading what="Afletteren" /> : null}
      {d ? (
        <>
          <p>
            {booked.length} {booked.length === 1 ? 'post' : 'posten'} verwerkt, {unmatched.length} niet gematcht.
          </p>
          <h3>Verwerkt</h3>
          {booked.length ? (
            <table aria-label="Verwerkte posten">
              <thead>
                <tr>
                  <th scope="col">Soort</th>
                  <th scope="col">Uitkomst</th>
                  <th scope="col">Bedrag</th>
                  <th scope="col">Boekdatum</th>
                  <th scope="col">Reden</th>
                  <th scope="col">Facturen</th>
                </tr>
              </thead>
              <tbody>
                {booked.map((i) => (
                  <tr key={i.id}>
                    <td>{kindLabel[i.kind] ?? i.kind}</td>
                    <td>{outcomeLabel[i.outcome] ?? i.outcome}</td>
                    <td>
                      {i.creditDebit === 'DBIT' ? '−' : ''}
                      {euro(i.amountCents)}
                    </td>
                    <td>{date(i.bookingDate)}</td>
                    <td>{i.reasonCode ? `Storno-/afkeurreden ${i.reasonCode}` : '—'}</td>
                    <td>{invoiceText(i)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p className="muted">Niets geboekt.</p>
          )}
          <h3>Niet gematcht</h3>
          {unmatched.length ? (
            unmatched.map((i) => (
              <UnmatchedItem
                key={i.id}
                importId={id}
                item={i}
                onMatched={() => {
                  void detail.reload();
                  onChanged();
                }}
              />
            ))
          ) : (
            <Info>Alle posten zijn gematcht.</Info>
          )}
        </>
      ) : null}
    </section>
  );
}

function UnmatchedItem({ importId, item, onMatched }: { importId: string; item: ImportItem; onMatched: () => void }) {
  const open = useLoad(() => get<ApiResponse<'/invoices'>>(`/invoices${query({ minOpenCents: 1, sort: 'number', limit: 200 })}`), []);
  const [invoiceId, setInvoiceId] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const label = `${kindLabel[item.kind] ?? item.kind} van ${euro(item.amountCents)}`;

  const match = async (e: FormEvent) => {
    e.preventDefault();
    if (!invoiceId) return;
    setBusy(true);
    setError(undefined);
    try {
      const body: ApiRequestBody<'/billing/bank-imports/{id}/items/{itemId}/match'> = { invoiceId, ...(note.trim() ? { note: note.trim() } : {}) };
      await post(`/billing/bank-imports/${importId}/items/${item.id}/match`, body);
      onMatched();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="card" role="group" aria-label={`Niet gematcht: ${label}`}>
      <p>
        <strong>{label}</strong> op {date(item.bookingDate)}
        {item.remittance ? (
          <>
            , omschrijving <q>{item.remittance}</q>
          </>
        ) : null}
        {item.endToEndId ? (
          <>
            , kenmerk <code>{item.endToEndId}</code>
          </>
        ) : null}
        . Reden: {item.reason ?? 'onbekend'}
      </p>
      {item.matchable ? (
        <form onSubmit={(e) => void match(e)} className="grid-form" aria-label={`Handmatig matchen: ${label}`}>
          <div className="field">
            <label htmlFor={`match-inv-${item.id}`}>Factuur</label>
            <select id={`match-inv-${item.id}`} value={invoiceId} onChange={(e) => setInvoiceId(e.target.value)} required>
              <option value="">Kies een factuur…</option>
              {(open.data?.items ?? []).map((inv) => (
                <option key={inv.id} value={inv.id}>
                  {inv.number} – {inv.clientName ?? 'onbekend'} – open {euro(inv.openCents)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`match-note-${item.id}`}>Toelichting</label>
            <input id={`match-note-${item.id}`} value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} />
          </div>
          <div>
            <button type="submit" disabled={busy || !invoiceId}>
              Matchen
            </button>
          </div>
        </form>
      ) : (
        <p className="muted">Deze post kan niet aan een factuur worden gematcht.</p>
      )}
      <ErrorAlert title="Niet gematcht">{error}</ErrorAlert>
    </div>
  );
}
