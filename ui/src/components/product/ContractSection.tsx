/**
 * *Contract* of a product (its periodic costs): create one, change the amount (from the next
 * period) or the delivery, end it (an end date) and see the contract's invoices. The API applies
 * the rules (one contract per product, a SEPA contract needs a signed mandate with a valid IBAN,
 * an end date not before the start); its 400 messages are shown at the fields they name.
 */
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { get, post, query, request } from '../../api';
import { useLoad } from '../../hooks';
import { date, deliveryLabel, euro, invoiceStatusLabel, paymentMethodLabel } from '../../labels';
import type { ApiRequestBody, ApiResponse } from '../../types';
import { ErrorAlert, Loading } from '../Messages';
import { contractStatusLabel, perPeriod, periodLabel, periodOptions } from './labels';
import { centsOf, problemsOf, type FieldProblems } from './problems';

type Contract = ApiResponse<'/contracts/{id}'>;
type ContractCreate = ApiRequestBody<'/products/{id}/contract'>;
type ContractPatch = ApiRequestBody<'/contracts/{id}', 'patch'>;

/** The contract's invoices are read again this often while the page is visible. */
const INVOICE_POLL_MS = 3000;

const noProblems: FieldProblems = { fields: {}, other: undefined };

/** A labelled input with the API's message for it (aria-invalid + aria-describedby). */
function Field({
  label,
  error,
  hint,
  required,
  children,
}: {
  label: string;
  error?: string | undefined;
  hint?: string;
  required?: boolean;
  children: (props: { id: string; 'aria-invalid'?: true; 'aria-describedby'?: string }) => ReactNode;
}) {
  const id = useId();
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        {required ? <span aria-hidden="true"> *</span> : null}
      </label>
      {children({ id, ...(error ? { 'aria-invalid': true as const } : {}), ...(described ? { 'aria-describedby': described } : {}) })}
      {hint ? (
        <small id={`${id}-hint`} className="muted">
          {hint}
        </small>
      ) : null}
      {error ? (
        <small id={`${id}-error`} className="field-error" role="alert">
          {error}
        </small>
      ) : null}
    </div>
  );
}

export function ContractSection({ productId, contractId, onChanged }: { productId: string; contractId: string | undefined; onChanged: () => void }) {
  const headingId = useId();
  return (
    <section className="contract" aria-labelledby={headingId}>
      <h4 id={headingId}>Contract</h4>
      {contractId ? <ContractDetails contractId={contractId} onChanged={onChanged} /> : <CreateContract productId={productId} onCreated={onChanged} />}
    </section>
  );
}

const createFields = ['description', 'amountCents', 'vatRate', 'period', 'startDate', 'endDate', 'paymentMethod', 'mandate', 'mandate/id', 'mandate/signedOn', 'mandate/iban', 'mandate/name', 'delivery'] as const;

function CreateContract({ productId, onCreated }: { productId: string; onCreated: () => void }) {
  const [open, setOpen] = useState(false);
  const [description, setDescription] = useState('');
  const [amount, setAmount] = useState('');
  const [vatRate, setVatRate] = useState('21');
  const [period, setPeriod] = useState<ContractCreate['period']>('month');
  const [startDate, setStartDate] = useState('');
  const [endDate, setEndDate] = useState('');
  const [paymentMethod, setPaymentMethod] = useState<ContractCreate['paymentMethod']>('transfer');
  const [mandateId, setMandateId] = useState('');
  const [signedOn, setSignedOn] = useState('');
  const [iban, setIban] = useState('');
  const [holder, setHolder] = useState('');
  const [delivery, setDelivery] = useState<ContractCreate['delivery']>('email');
  const [consumer, setConsumer] = useState(true);
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<FieldProblems>(noProblems);

  if (!open) {
    return (
      <>
        <p className="muted">Dit product heeft nog geen contract.</p>
        <button type="button" onClick={() => setOpen(true)}>
          Contract vastleggen
        </button>
      </>
    );
  }

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const cents = centsOf(amount);
    if (cents === undefined) {
      setProblems({ fields: { amountCents: 'Vul een bedrag in euro in, bijv. 25,00' }, other: undefined });
      return;
    }
    setBusy(true);
    setProblems(noProblems);
    try {
      // The API decides the rules; empty optional fields are left out, the rest goes as typed.
      const body = {
        description,
        amountCents: cents,
        vatRate: Number(vatRate),
        period,
        startDate,
        ...(endDate ? { endDate } : {}),
        paymentMethod,
        ...(paymentMethod === 'sepa' ? { mandate: { id: mandateId, signedOn, iban, name: holder } } : {}),
        delivery,
        consumer,
      } satisfies ContractCreate;
      await post<Contract>(`/products/${productId}/contract`, body);
      setOpen(false);
      onCreated();
    } catch (err) {
      setProblems(problemsOf(err, createFields));
    } finally {
      setBusy(false);
    }
  };
  const f = problems.fields;
  return (
    <form onSubmit={(e) => void submit(e)} noValidate aria-label="Contract vastleggen" className="inline-form">
      <Field label="Omschrijving" required error={f.description} hint="de tekst op de factuur">
        {(p) => <input {...p} value={description} maxLength={140} onChange={(e) => setDescription(e.target.value)} />}
      </Field>
      <Field label="Bedrag per periode (excl. btw)" required error={f.amountCents} hint="in euro, bijv. 25,00">
        {(p) => <input {...p} inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} />}
      </Field>
      <Field label="Btw-percentage" required error={f.vatRate}>
        {(p) => <input {...p} type="number" min={0} max={100} value={vatRate} onChange={(e) => setVatRate(e.target.value)} />}
      </Field>
      <Field label="Factuurperiode" required error={f.period}>
        {(p) => (
          <select {...p} value={period} onChange={(e) => setPeriod(e.target.value as ContractCreate['period'])}>
            {periodOptions.map((o) => (
              <option key={o} value={o}>
                {periodLabel[o]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Ingangsdatum" required error={f.startDate}>
        {(p) => <input {...p} type="date" value={startDate} onChange={(e) => setStartDate(e.target.value)} />}
      </Field>
      <Field label="Einddatum" error={f.endDate} hint="leeg: loopt door tot u het contract beëindigt">
        {(p) => <input {...p} type="date" value={endDate} onChange={(e) => setEndDate(e.target.value)} />}
      </Field>
      <Field label="Betaalwijze" required error={f.paymentMethod}>
        {(p) => (
          <select {...p} value={paymentMethod} onChange={(e) => setPaymentMethod(e.target.value as ContractCreate['paymentMethod'])}>
            {Object.entries(paymentMethodLabel).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        )}
      </Field>
      {paymentMethod === 'sepa' ? (
        <fieldset>
          <legend>Machtiging (SEPA)</legend>
          {f.mandate ? (
            <p className="field-error" role="alert">
              {f.mandate}
            </p>
          ) : null}
          <Field label="Machtigingskenmerk" required error={f['mandate/id']}>
            {(p) => <input {...p} value={mandateId} maxLength={35} onChange={(e) => setMandateId(e.target.value)} />}
          </Field>
          <Field label="Getekend op" required error={f['mandate/signedOn']}>
            {(p) => <input {...p} type="date" value={signedOn} onChange={(e) => setSignedOn(e.target.value)} />}
          </Field>
          <Field label="IBAN" required error={f['mandate/iban']}>
            {(p) => <input {...p} value={iban} autoComplete="off" onChange={(e) => setIban(e.target.value)} />}
          </Field>
          <Field label="Rekeninghouder" required error={f['mandate/name']}>
            {(p) => <input {...p} value={holder} maxLength={70} onChange={(e) => setHolder(e.target.value)} />}
          </Field>
        </fieldset>
      ) : null}
      <Field label="Verzendwijze" required error={f.delivery}>
        {(p) => (
          <select {...p} value={delivery} onChange={(e) => setDelivery(e.target.value as ContractCreate['delivery'])}>
            {Object.entries(deliveryLabel).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <div className="field">
        <label>
          <input type="checkbox" checked={consumer} onChange={(e) => setConsumer(e.target.checked)} /> Consument (incassowet geldt)
        </label>
      </div>
      <ErrorAlert title="Contract niet vastgelegd">{problems.other}</ErrorAlert>
      <div className="actions">
        <button type="submit" disabled={busy}>
          Contract opslaan
        </button>
        <button type="button" className="secondary" onClick={() => setOpen(false)}>
          Annuleren
        </button>
      </div>
    </form>
  );
}

function ContractDetails({ contractId, onChanged }: { contractId: string; onChanged: () => void }) {
  const contract = useLoad(() => get<Contract>(`/contracts/${contractId}`), [contractId]);
  const c = contract.data;
  if (!c) {
    return (
      <>
        <ErrorAlert>{contract.error}</ErrorAlert>
        {contract.loading ? <Loading what="Contract" /> : null}
      </>
    );
  }
  const saved = (next: Contract) => {
    contract.setData(next);
    onChanged();
  };
  return (
    <>
      <dl className="contract-terms" data-testid="contract-terms">
        <dt>Omschrijving</dt>
        <dd>{c.description}</dd>
        <dt>Status</dt>
        <dd data-testid="contract-status">{contractStatusLabel[c.status]}</dd>
        <dt>Bedrag</dt>
        <dd>
          {euro(c.amountCents)} {perPeriod[c.period]} excl. {c.vatRate}% btw
          {c.pendingAmountCents !== null ? ` (wordt ${euro(c.pendingAmountCents)} vanaf ${date(c.pendingFrom)})` : ''}
        </dd>
        <dt>Looptijd</dt>
        <dd data-testid="contract-term">
          {date(c.startDate)} – {c.endDate ? date(c.endDate) : 'onbepaalde tijd'}
        </dd>
        <dt>Betaalwijze</dt>
        <dd>
          {paymentMethodLabel[c.paymentMethod]}
          {c.mandate ? `, machtiging ${c.mandate.id} van ${date(c.mandate.signedOn)} (${c.mandate.ibanMasked}${c.mandate.name ? `, ${c.mandate.name}` : ''})` : ''}
        </dd>
        {c.mandateFlaggedReason ? (
          <>
            <dt>Machtiging geblokkeerd</dt>
            <dd className="field-error">{c.mandateFlaggedReason}</dd>
          </>
        ) : null}
        <dt>Verzendwijze</dt>
        <dd>{deliveryLabel[c.delivery]}</dd>
        <dt>Laatste / volgende factuur</dt>
        <dd>
          {date(c.lastInvoiceDate)} / {date(c.nextInvoiceDate)}
        </dd>
      </dl>
      <ChangeContract contract={c} onSaved={saved} />
      <EndContract contract={c} onSaved={saved} />
      <ContractInvoices contractId={c.id} />
    </>
  );
}

function usePatch(contractId: string, onSaved: (c: Contract) => void, known: readonly string[]) {
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<FieldProblems>(noProblems);
  const [done, setDone] = useState<string>();
  const send = async (body: ContractPatch, message: string): Promise<boolean> => {
    setBusy(true);
    setProblems(noProblems);
    setDone(undefined);
    try {
      onSaved(await request<Contract>('PATCH', `/contracts/${contractId}`, body));
      setDone(message);
      return true;
    } catch (err) {
      setProblems(problemsOf(err, known));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, problems, setProblems, done, send };
}

/** *Contract wijzigen*: a new amount (from the next period) and/or the delivery. */
function ChangeContract({ contract, onSaved }: { contract: Contract; onSaved: (c: Contract) => void }) {
  const [amount, setAmount] = useState('');
  const [delivery, setDelivery] = useState<Contract['delivery']>(contract.delivery);
  const patch = usePatch(contract.id, onSaved, ['amountCents', 'delivery']);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body: ContractPatch = {};
    if (amount.trim()) {
      const cents = centsOf(amount);
      if (cents === undefined) {
        patch.setProblems({ fields: { amountCents: 'Vul een bedrag in euro in, bijv. 25,00' }, other: undefined });
        return;
      }
      body.amountCents = cents;
    }
    if (delivery !== contract.delivery) body.delivery = delivery;
    if (Object.keys(body).length === 0) {
      patch.setProblems({ fields: {}, other: 'Er is niets gewijzigd.' });
      return;
    }
    if (await patch.send(body, 'Contract gewijzigd.')) setAmount('');
  };
  return (
    <details>
      <summary>Contract wijzigen</summary>
      <form onSubmit={(e) => void submit(e)} noValidate aria-label="Contract wijzigen" className="inline-form">
        <Field label="Nieuw bedrag per periode (excl. btw)" error={patch.problems.fields.amountCents} hint="geldt vanaf de volgende periode; leeg: ongewijzigd">
          {(p) => <input {...p} inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} />}
        </Field>
        <Field label="Verzendwijze" error={patch.problems.fields.delivery}>
          {(p) => (
            <select {...p} value={delivery} onChange={(e) => setDelivery(e.target.value as Contract['delivery'])}>
              {Object.entries(deliveryLabel).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <ErrorAlert title="Niet gewijzigd">{patch.problems.other}</ErrorAlert>
        {patch.done ? <p role="status">{patch.done}</p> : null}
        <button type="submit" disabled={patch.busy}>
          Wijziging opslaan
        </button>
      </form>
    </details>
  );
}

/** *Contract beëindigen*: the last day of the contract (or removing an end date set before). */
function EndContract({ contract, onSaved }: { contract: Contract; onSaved: (c: Contract) => void }) {
  const [endDate, setEndDate] = useState('');
  const patch = usePatch(contract.id, onSaved, ['endDate']);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    // An empty date goes as it is: the API names the field.
    if (await patch.send({ endDate } as ContractPatch, `Contract eindigt op ${date(endDate)}.`)) setEndDate('');
  };
  return (
    <details>
      <summary>Contract beëindigen</summary>
      <form onSubmit={(e) => void submit(e)} noValidate aria-label="Contract beëindigen" className="inline-form">
        <Field label="Laatste dag van het contract" required error={patch.problems.fields.endDate} hint="een lopende periode wordt naar rato gefactureerd">
          {(p) => <input {...p} type="date" value={endDate} onChange={(e) => setEndDate(e.target.value)} />}
        </Field>
        <ErrorAlert title="Niet beëindigd">{patch.problems.other}</ErrorAlert>
        {patch.done ? <p role="status">{patch.done}</p> : null}
        <div className="actions">
          <button type="submit" disabled={patch.busy}>
            Einddatum vastleggen
          </button>
          {contract.endDate ? (
            <button type="button" className="secondary" disabled={patch.busy} onClick={() => void patch.send({ endDate: null }, 'Einddatum verwijderd.')}>
              Einddatum verwijderen
            </button>
          ) : null}
        </div>
      </form>
    </details>
  );
}

function ContractInvoices({ contractId }: { contractId: string }) {
  // Polled: the office's invoice run makes the invoices (on the start date for the first one).
  const invoices = useLoad(() => get<ApiResponse<'/invoices'>>(`/invoices${query({ contractId, limit: 100 })}`), [contractId], INVOICE_POLL_MS);
  const items = invoices.data?.items ?? [];
  return (
    <>
      <ErrorAlert>{invoices.error}</ErrorAlert>
      {items.length === 0 ? (
        <p className="muted">Nog geen facturen van dit contract.</p>
      ) : (
        <table>
          <caption>Facturen van dit contract</caption>
          <thead>
            <tr>
              <th scope="col">Factuur</th>
              <th scope="col">Periode</th>
              <th scope="col">Status</th>
              <th scope="col">Totaal</th>
              <th scope="col">Openstaand</th>
            </tr>
          </thead>
          <tbody>
            {items.map((i) => (
              <tr key={i.id}>
                <td>{i.number}</td>
                <td>{i.period ? `${date(i.period.start)} – ${date(i.period.end)}` : date(i.invoiceDate)}</td>
                <td>{invoiceStatusLabel[i.status] ?? i.status}</td>
                <td>{euro(i.totalCents)}</td>
                <td>{euro(i.openCents)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
