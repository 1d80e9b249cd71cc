/**
 * A dossier: applicants, status prospect/client, products (status icon, parts, next steps,
 * history, HDN messages), the client's checklist (*stukkenlijst*), contact moments (filterable by product), documents, invoices with booking lines, tasks, mails and history.
 * Live: the dossier and each product reload when the API pushes a change of theirs (ui/src/live.ts),
 * and are polled every 2 s while that stream is down, so a change underneath (an SX from the
 * lender, a timer) shows without a reload.
 */
import { useId, useState, type FormEvent } from 'react';
import { download, errorText, get, post, query, request } from '../api';
import { TextField } from '../components/Field';
import { Appointments } from '../components/Appointments';
import { AdviceExport } from '../components/AdviceExport';
import { ContactMoments } from '../components/ContactMoments';
import { InboundMailSection } from '../components/crm/InboundMailSection';
import { FieldHistory, PersonEditForm } from '../components/PersonEdit';
import { ChecklistSection } from '../components/Checklist';
import { DossierPersonFiles } from '../components/crm/PersonFilesSection';
import { DossierPartiesSection } from '../components/crm/DossierPartiesSection';
import { ErrorAlert, Loading } from '../components/Messages';
import { StatusIcon } from '../components/StatusIcon';
import { ContractSection } from '../components/product/ContractSection';
import { LenderChecklistSection } from '../components/product/LenderChecklistSection';
import { InsuranceHistory, InsuranceQuoteSection } from '../components/product/InsuranceSection';
import { NextSteps } from '../components/StepForm';
import { useLoad } from '../hooks';
import { forDossier, forProduct } from '../live';
import { bookingKindLabel, date, dateTime, dossierStatusLabel, euro, hdnStateLabel, invoiceStatusLabel, personFieldLabel, productTypeLabel } from '../labels';
import { Link } from '../router';
import type { ApiRequestBody, ApiResponse, Dossier, DossierProduct, HdnMessageSummary, Invoice, InvoiceListItem, Product } from '../types';

export const POLL_MS = 2000;

export function DossierPage({ id }: { id: string }) {
  const dossier = useLoad(() => get<Dossier>(`/dossiers/${id}`), [id], POLL_MS, forDossier(id));
  const d = dossier.data;
  /** The applicant (position) whose data are being edited. */
  const [editing, setEditing] = useState<number | undefined>();
  if (!d) {
    return (
      <section>
        <h1>Dossier</h1>
        <ErrorAlert>{dossier.error}</ErrorAlert>
        {dossier.loading ? <Loading what="Dossier" /> : null}
      </section>
    );
  }
  return (
    <section className="dossier">
      <h1>
        Dossier {d.number}{' '}
        <span className={`badge badge-${d.status}`} data-testid="dossier-status">
          {dossierStatusLabel(d.status)}
        </span>
      </h1>
      <p className="muted" aria-live="off">
        Wordt direct bijgewerkt zolang deze pagina zichtbaar is.
      </p>
      <ErrorAlert title="Bijwerken mislukt">{dossier.error}</ErrorAlert>
      <AdviceExport dossierId={d.id} number={d.number} />

      <section aria-labelledby="applicants-h">
        <h2 id="applicants-h">Aanvragers</h2>
        <ul className="cards">
          {d.applicants.map(({ position, person }) => (
            <li key={person.id} className="card">
              <h3>
                <Link to={`/crm/persons/${person.id}`}>{person.name}</Link> <small className="muted">aanvrager {position}</small>
              </h3>
              {editing === position ? (
                <PersonEditForm
                  person={person}
                  save={async (body) => {
                    const next = await request<Dossier>('PATCH', `/dossiers/${d.id}`, { applicants: [{ position, person: body }] });
                    dossier.setData(next);
                    const saved = next.applicants.find((a) => a.position === position);
                    if (!saved) throw new Error(`aanvrager ${position} ontbreekt`);
                    return saved.person;
                  }}
                  onSaved={() => setEditing(undefined)}
                  onCancel={() => setEditing(undefined)}
                />
              ) : (
                <button type="button" onClick={() => setEditing(position)} aria-label={`Gegevens wijzigen van ${person.name}`}>
                  Gegevens wijzigen
                </button>
              )}
              <dl>
                <dt>Geboortedatum</dt>
                <dd>{date(person.birthDate)}</dd>
                <dt>E-mail</dt>
                <dd>{person.email ?? '–'}</dd>
                <dt>Telefoon</dt>
                <dd>{person.phone ?? '–'}</dd>
                <dt>Adres</dt>
                <dd>
                  {person.address
                    ? `${person.address.street} ${person.address.houseNumber}${person.address.houseNumberSuffix ?? ''}, ${person.address.postcode} ${person.address.city}`
                    : '–'}
                </dd>
              </dl>
            </li>
          ))}
        </ul>
        <FieldHistory path={`/dossiers/${d.id}/history`} version={d.applicants.map((a) => `${a.person.id}:${a.person.version}`).join(',')} showPerson />
      </section>

      <section aria-labelledby="products-h">
        <h2 id="products-h">Producten</h2>
        {d.products.length === 0 ? <p className="muted">Nog geen producten.</p> : null}
        {d.products.map((p) => (
          <ProductCard key={p.id} summary={p} applicants={d.applicants} onChanged={() => void dossier.reload()} />
        ))}
        <AddProduct dossierId={d.id} onAdded={() => void dossier.reload()} />
        <InsuranceQuoteSection dossierId={d.id} applicants={d.applicants} onRequested={() => void dossier.reload()} />
      </section>

      <Appointments dossierId={d.id} pollMs={POLL_MS} />
      <ChecklistSection dossierId={d.id} pollMs={POLL_MS} />
      <DossierPersonFiles dossierId={d.id} pollMs={POLL_MS} />
      <ContactMoments kind="dossier" dossierId={d.id} products={d.products} pollMs={POLL_MS} />
      <DossierPartiesSection dossierId={d.id} products={d.products} />
      <Documents dossier={d} />
      <Invoices dossierId={d.id} />

      <section aria-labelledby="tasks-h">
        <h2 id="tasks-h">Taken</h2>
        {d.tasks.length === 0 ? (
          <p className="muted">Geen taken.</p>
        ) : (
          <ul>
            {d.tasks.map((t) => (
              <li key={t.id}>
                {t.title} – {t.status === 'open' ? 'open' : 'afgerond'}, uiterlijk {date(t.dueDate)}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="mails-h">
        <h2 id="mails-h">Mails</h2>
        {d.mails.length === 0 ? (
          <p className="muted">Geen mails.</p>
        ) : (
          <ul>
            {d.mails.map((m) => (
              <li key={m.id}>
                {dateTime(m.createdAt)}: „{m.subject}” aan {m.toAddress} ({m.status})
              </li>
            ))}
          </ul>
        )}
      </section>

      <InboundMailSection owner="dossier" ownerId={d.id} />

      <section aria-labelledby="dhistory-h">
        <h2 id="dhistory-h">Historie van het dossier</h2>
        <ol className="history">
          {d.history.map((h, i) => (
            <li key={i}>
              {dateTime(h.at)}: {h.fromStatus ? `${dossierStatusLabel(h.fromStatus)} → ` : ''}
              {dossierStatusLabel(h.toStatus)} <span className="muted">({h.kind})</span>
            </li>
          ))}
        </ol>
      </section>
    </section>
  );
}

/**
 * *Nieuwe AX-versie nodig*: applicant data changed after the application (AX) went to the
 * lender. Shown until a newer AX version is sent; nothing is sent by itself.
 */
function AxVersionNeeded({ flag, applicants }: { flag: DossierProduct['axVersionNeeded']; applicants: Dossier['applicants'] }) {
  if (!flag) return null;
  const nameOf = (position: number) => applicants.find((a) => a.position === position)?.person.name ?? `aanvrager ${position}`;
  return (
    <div className="alert alert-error" role="status" data-testid="ax-version-needed">
      <strong>Nieuwe AX-versie nodig.</strong> Sinds de aanvraag (AX versie {flag.applicationVersion}) op {dateTime(flag.sentAt)} naar de
      geldverstrekker ging, zijn gegevens gewijzigd (vanaf {dateTime(flag.since)}):{' '}
      {flag.changes.map((c) => `${personFieldLabel[c.field] ?? c.field} van ${nameOf(c.position)}`).join(', ')}. Laat het adviespakket een
      nieuwe AX-versie sturen en verstuur die naar de geldverstrekker.
    </div>
  );
}

function ProductCard({ summary, onChanged, applicants }: { summary: DossierProduct; onChanged: () => void; applicants: Dossier['applicants'] }) {
  const product = useLoad(() => get<Product>(`/products/${summary.id}`), [summary.id], POLL_MS, forProduct(summary.id));
  const p = product.data;
  const headingId = useId();
  const isHdn = summary.type === 'mortgage' || summary.processKey === 'mortgage';
  const status = p?.statusLabel ?? summary.statusLabel;
  const category = p?.category ?? summary.category;
  return (
    <article className={`card product product-${category}`} aria-labelledby={headingId} data-product-id={summary.id}>
      <header className="product-head">
        <StatusIcon type={summary.type} category={category} statusLabel={status} />
        <h3 id={headingId}>
          {productTypeLabel(summary.type)}
          {summary.company ? ` – ${summary.company}` : ''}
        </h3>
        <p className="product-status">
          Status: <strong data-testid="product-status">{status}</strong>
        </p>
        <p className="muted">
          Proces {summary.processKey} versie {summary.processVersion}
        </p>
      </header>
      <AxVersionNeeded flag={p ? p.axVersionNeeded : summary.axVersionNeeded} applicants={applicants} />
      <ErrorAlert title="Product bijwerken mislukt">{product.error}</ErrorAlert>
      {p ? (
        <>
          {p.parts.length > 0 ? (
            <table>
              <caption>Rechterdelen</caption>
              <thead>
                <tr>
                  <th scope="col">Nr.</th>
                  <th scope="col">Omschrijving</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {p.parts.map((part) => (
                  <tr key={part.id}>
                    <td>{part.number}</td>
                    <td>{part.description}</td>
                    <td>
                      <span className={`dot dot-${part.category}`} aria-hidden="true" /> {part.statusLabel}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          <ContractSection productId={p.id} contractId={p.contract?.id} onChanged={() => void product.reload()} />
          <NextSteps
            product={p}
            onChanged={(next) => {
              product.setData(next);
              onChanged();
            }}
          />
          <details>
            <summary>Historie ({p.history.length})</summary>
            <ol className="history">
              {p.history.map((h) => (
                <li key={h.seq}>
                  {dateTime(h.at)}: {h.label}
                  {h.fromStatus !== h.toStatus ? ` (${h.fromStatus} → ${h.toStatus})` : ''}
                </li>
              ))}
            </ol>
          </details>
          {isHdn ? <HdnMessages productId={p.id} /> : null}
          {isHdn ? <LenderChecklistSection productId={p.id} pollMs={POLL_MS} /> : null}
          {summary.type === 'insurance' ? <InsuranceHistory productId={p.id} pollMs={POLL_MS} /> : null}
        </>
      ) : (
        <Loading what="Product" />
      )}
    </article>
  );
}

function HdnMessages({ productId }: { productId: string }) {
  const messages = useLoad(() => get<ApiResponse<'/products/{id}/hdn-messages'>>(`/products/${productId}/hdn-messages`), [productId], POLL_MS, forProduct(productId));
  const [xml, setXml] = useState<Record<string, string>>({});
  const [error, setError] = useState<string>();
  const toggle = async (id: string) => {
    if (xml[id] !== undefined) {
      setXml(({ [id]: _drop, ...rest }) => rest);
      return;
    }
    try {
      const m = await get<ApiResponse<'/hdn/messages/{id}'>>(`/hdn/messages/${id}`);
      setXml((old) => ({ ...old, [id]: m.rawXml ?? '' }));
    } catch (err) {
      setError(errorText(err));
    }
  };
  const items = messages.data?.items ?? [];
  return (
    <section className="hdn">
      <h4>HDN-berichten ({items.length})</h4>
      <ErrorAlert>{error ?? messages.error}</ErrorAlert>
      {items.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th scope="col">Ontvangen</th>
              <th scope="col">Richting</th>
              <th scope="col">Soort</th>
              <th scope="col">Omschrijving</th>
              <th scope="col">Verwerking</th>
              <th scope="col">XML</th>
            </tr>
          </thead>
          <tbody>
            {items.map((m) => (
              <HdnRow key={m.id} m={m} xml={xml[m.id]} onToggle={() => void toggle(m.id)} />
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

function HdnRow({ m, xml, onToggle }: { m: HdnMessageSummary; xml: string | undefined; onToggle: () => void }) {
  const label = `${m.type}${m.statusCode ? ` ${m.statusCode}` : ''}`;
  return (
    <>
      <tr>
        <td>{dateTime(m.receivedAt)}</td>
        <td>{m.direction === 'in' ? 'inkomend' : 'uitgaand'}</td>
        <td>{label}</td>
        <td>
          {m.summary}
          {m.codes?.length ? <span className="muted"> ({m.codes.map((c) => c.note).join('; ')})</span> : null}
        </td>
        <td>
          {hdnStateLabel[m.state] ?? m.state}
          {m.reason ? ` – ${m.reason}` : ''}
        </td>
        <td>
          <button type="button" className="link" aria-expanded={xml !== undefined} onClick={onToggle}>
            {xml !== undefined ? 'XML verbergen' : 'XML bekijken'}
            <span className="visually-hidden"> van {label}</span>
          </button>
        </td>
      </tr>
      {xml !== undefined ? (
        <tr>
          <td colSpan={6}>
            <pre className="xml" aria-label={`XML van ${label}`} tabIndex={0}>
              {xml}
            </pre>
          </td>
        </tr>
      ) : null}
    </>
  );
}

function AddProduct({ dossierId, onAdded }: { dossierId: string; onAdded: () => void }) {
  const defs = useLoad(() => get<ApiResponse<'/process-definitions'>>('/process-definitions'), []);
  const [type, setType] = useState('service');
  const [part, setPart] = useState('');
  const [company, setCompany] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const types = [...new Set((defs.data?.items ?? []).map((d) => d.productType))];
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await post(`/dossiers/${dossierId}/products`, {
        type,
        ...(company.trim() ? { company: company.trim() } : {}),
        parts: [{ description: part.trim() || productTypeLabel(type) }],
      } satisfies ApiRequestBody<'/dossiers/{id}/products'>);
      setPart('');
      setCompany('');
      onAdded();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="inline-form card" onSubmit={(e) => void submit(e)} aria-labelledby="add-product-h" noValidate>
      <h3 id="add-product-h">Product toevoegen</h3>
      <div className="field">
        <label htmlFor="product-type">Soort product</label>
        <select id="product-type" value={type} onChange={(e) => setType(e.target.value)}>
          {(types.length ? types : ['service']).map((t) => (
            <option key={t} value={t}>
              {productTypeLabel(t)}
            </option>
          ))}
        </select>
      </div>
      <TextField label="Omschrijving rechterdeel" value={part} onChange={setPart} hint="bijv. Hypotheekadvies" />
      <TextField label="Maatschappij" value={company} onChange={setCompany} />
      <button type="submit" disabled={busy}>
        Product toevoegen
      </button>
      <ErrorAlert title="Product niet toegevoegd">{error}</ErrorAlert>
    </form>
  );
}

function Documents({ dossier }: { dossier: Dossier }) {
  const [error, setError] = useState<string>();
  return (
    <section aria-labelledby="docs-h">
      <h2 id="docs-h">Documenten</h2>
      <ErrorAlert title="Downloaden mislukt">{error}</ErrorAlert>
      {dossier.documents.length === 0 ? (
        <p className="muted">Nog geen documenten.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Document</th>
              <th scope="col">Soort</th>
              <th scope="col">Datum</th>
              <th scope="col">Grootte</th>
              <th scope="col">
                <span className="visually-hidden">Acties</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {dossier.documents.map((doc) => (
              <tr key={doc.id}>
                <td>{doc.filename}</td>
                <td>{doc.documentType}</td>
                <td>{dateTime(doc.createdAt)}</td>
                <td>{Math.ceil(doc.sizeBytes / 1024)} kB</td>
                <td>
                  <button
                    type="button"
                    className="link"
                    onClick={() => download(`/documents/${doc.id}`, doc.filename).catch((err: unknown) => setError(errorText(err)))}
                  >
                    Downloaden<span className="visually-hidden"> {doc.filename}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Invoices({ dossierId }: { dossierId: string }) {
  const invoices = useLoad(() => get<ApiResponse<'/invoices'>>(`/invoices${query({ dossierId, limit: 100 })}`), [dossierId]);
  const [open, setOpen] = useState<Invoice>();
  const [error, setError] = useState<string>();
  const items = invoices.data?.items ?? [];
  return (
    <section aria-labelledby="inv-h">
      <h2 id="inv-h">Facturen</h2>
      <ErrorAlert>{error ?? invoices.error}</ErrorAlert>
      {items.length === 0 ? (
        <p className="muted">Geen facturen.</p>
      ) : (
        <InvoiceTable
          items={items}
          onDetails={(id) =>
            get<Invoice>(`/invoices/${id}`)
              .then(setOpen)
              .catch((err: unknown) => setError(errorText(err)))
          }
        />
      )}
      {open ? <InvoiceDetails invoice={open} onClose={() => setOpen(undefined)} /> : null}
    </section>
  );
}

export function InvoiceTable({ items, onDetails }: { items: InvoiceListItem[]; onDetails: (id: string) => void }) {
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">Factuur</th>
          <th scope="col">Datum</th>
          <th scope="col">Vervaldatum</th>
          <th scope="col">Status</th>
          <th scope="col">Totaal</th>
          <th scope="col">Openstaand</th>
          <th scope="col">
            <span className="visually-hidden">Acties</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {items.map((i) => (
          <tr key={i.id}>
            <td>{i.number}</td>
            <td>{date(i.invoiceDate)}</td>
            <td>{date(i.dueDate)}</td>
            <td>{invoiceStatusLabel[i.status] ?? i.status}</td>
            <td>{euro(i.totalCents)}</td>
            <td>{euro(i.openCents)}</td>
            <td>
              <button type="button" className="link" onClick={() => onDetails(i.id)}>
                Boekingsregels<span className="visually-hidden"> van factuur {i.number}</span>
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function InvoiceDetails({ invoice, onClose }: { invoice: Invoice; onClose: () => void }) {
  const [error, setError] = useState<string>();
  return (
    <section className="card" aria-labelledby={`inv-${invoice.id}`}>
      <h3 id={`inv-${invoice.id}`}>Factuur {invoice.number}</h3>
      <ErrorAlert>{error}</ErrorAlert>
      <table>
        <caption>Factuurregels</caption>
        <tbody>
          {invoice.lines.map((l) => (
            <tr key={l.position}>
              <td>{l.description}</td>
              <td>{euro(l.netCents)}</td>
              <td>btw {l.vatRate}%</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table>
        <caption>Boekingsregels</caption>
        <thead>
          <tr>
            <th scope="col">Datum</th>
            <th scope="col">Soort</th>
            <th scope="col">Bedrag</th>
            <th scope="col">Reden</th>
            <th scope="col">Bron</th>
          </tr>
        </thead>
        <tbody>
          {invoice.bookingLines.length === 0 ? (
            <tr>
              <td colSpan={5}>Nog geen boekingen.</td>
            </tr>
          ) : (
            invoice.bookingLines.map((b) => (
              <tr key={b.id}>
                <td>{date(b.bookedOn)}</td>
                <td>{bookingKindLabel[b.kind] ?? b.kind}</td>
                <td>{euro(b.amountCents)}</td>
                <td>{b.reasonCode ?? '–'}</td>
                <td>{b.source === 'camt' ? 'bankafschrift' : 'handmatig'}</td>
              </tr>
            ))
          )}
        </tbody>
      </table>
      {invoice.reminderExecutions.length > 0 ? (
        <>
          <h4>Aanmaningshistorie</h4>
          <ul>
            {invoice.reminderExecutions.map((r) => (
              <li key={r.id}>
                {dateTime(r.createdAt)}: {r.actionName} → {invoiceStatusLabel[r.statusAfter] ?? r.statusAfter}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <div className="actions">
        {invoice.pdfDocumentId ? (
          <button type="button" onClick={() => download(`/invoices/${invoice.id}/pdf`, `${invoice.number}.pdf`).catch((err: unknown) => setError(errorText(err)))}>
            PDF downloaden
          </button>
        ) : null}
        <button type="button" className="secondary" onClick={onClose}>
          Sluiten
        </button>
      </div>
    </section>
  );
}
