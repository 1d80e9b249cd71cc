/**
 * Saldo-overzicht RC deelnemers (issue 21, seed 000). One page, by what this office is:
 * - a central organisation (*centrale organisatie*) sees all its participants with what to pay
 *   out (*uit te betalen*) or claim (*te vorderen*), and opens one participant's overview;
 * - a participant (*deelnemer*) sees its own overview, only when its central organisation
 *   allows it: otherwise nothing but that message (the overview is not even asked for);
 * - any other office: a note.
 */
import { useState } from 'react';
import { download, get, query } from '../api';
import { ErrorAlert, Loading } from '../components/Messages';
import { useLoad } from '../hooks';
import { euro } from '../labels';
import { Link } from '../router';
import type { ApiResponse } from '../types';

type Role = ApiResponse<'/rc/role'>;
type Central = ApiResponse<'/rc/participants'>;
type Overview = ApiResponse<'/rc/overview'>;
type Period = Overview['period'];

const periods: { value: Period; label: string }[] = [
  { value: 'year', label: 'Heel jaar' },
  { value: 'Q1', label: 'Kwartaal 1' },
  { value: 'Q2', label: 'Kwartaal 2' },
  { value: 'Q3', label: 'Kwartaal 3' },
  { value: 'Q4', label: 'Kwartaal 4' },
  ...(['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12'] as const).map((m) => ({ value: `M${m}` as Period, label: `Maand ${m}` })),
];

const categoryKindLabel = (k: string | null): string => (k === 'income' ? 'Inkomsten' : k === 'cost' ? 'Kosten' : k === 'payout' ? 'Uitbetaling' : 'Overig');

function PeriodPicker({ year, period, onChange }: { year: number; period: Period; onChange: (year: number, period: Period) => void }) {
  return (
    <div className="filters">
      <label>
        Jaar{' '}
        <input type="number" min={1900} max={2200} value={year} onChange={(e) => onChange(Number(e.target.value) || year, period)} aria-label="Jaar" />
      </label>{' '}
      <label>
        Periode{' '}
        <select value={period} onChange={(e) => onChange(year, e.target.value as Period)} aria-label="Periode">
          {periods.map((p) => (
            <option key={p.value} value={p.value}>
              {p.label}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}

function usePeriod() {
  const [year, setYear] = useState(new Date().getFullYear());
  const [period, setPeriod] = useState<Period>('year');
  return { year, period, set: (y: number, p: Period) => (setYear(y), setPeriod(p)) };
}

/** One participant's overview: the balance, per category debit and credit, and the lines. */
export function OverviewDetail({ o }: { o: Overview }) {
  return (
    <div className="rc-overview">
      <table className="totals" aria-label="Saldo">
        <tbody>
          <tr><th>Beginsaldo</th><td>{euro(o.openingBalanceCents)}</td></tr>
          <tr><th>Inkomsten</th><td>{euro(o.incomeCents)}</td></tr>
          <tr><th>Kosten</th><td>{euro(o.costsCents)}</td></tr>
          <tr><th>Uitbetaald</th><td>{euro(o.paidOutCents)}</td></tr>
          <tr><th>Eindsaldo</th><td data-testid="closing-balance">{euro(o.closingBalanceCents)}</td></tr>
          <tr><th>{o.toClaimCents > 0 ? 'Te vorderen' : 'Uit te betalen'}</th><td>{euro(o.toClaimCents > 0 ? o.toClaimCents : o.toPayOutCents)}</td></tr>
        </tbody>
      </table>
      <h2>Per categorie</h2>
      <table aria-label="Per categorie">
        <thead><tr><th>Categorie</th><th>Soort</th><th>Debet</th><th>Credit</th></tr></thead>
        <tbody>
          {o.categories.map((c) => (
            <tr key={c.code ?? 'overig'}><td>{c.name}</td><td>{categoryKindLabel(c.kind)}</td><td>{euro(c.debitCents)}</td><td>{euro(c.creditCents)}</td></tr>
          ))}
          {o.categories.length === 0 && <tr><td colSpan={4} className="muted">Geen boekingen in deze periode.</td></tr>}
        </tbody>
      </table>
      <h2>Boekingen</h2>
      <table aria-label="Boekingen">
        <thead><tr><th>Datum</th><th>Omschrijving</th><th>Categorie</th><th>Debet</th><th>Credit</th></tr></thead>
        <tbody>
          {o.lines.map((l, i) => (
            <tr key={`${l.entryId}-${i}`}><td>{l.date}</td><td>{l.description}</td><td>{l.categoryName}</td><td>{l.debitCents ? euro(l.debitCents) : ''}</td><td>{l.creditCents ? euro(l.creditCents) : ''}</td></tr>
          ))}
        </tbody>
      </table>
      {o.linesTruncated && <p className="muted">Alleen de eerste {o.lines.length} boekingen staan hier; de totalen gelden voor alle boekingen.</p>}
    </div>
  );
}

function CentralOverview() {
  const p = usePeriod();
  const data = useLoad(() => get<Central>(`/rc/participants${query({ year: p.year, period: p.period })}`), [p.year, p.period]);
  return (
    <>
      <p className="muted">Wat de centrale organisatie aan haar deelnemers moet uitbetalen of van hen vordert, en hoe dat is opgebouwd.</p>
      <PeriodPicker year={p.year} period={p.period} onChange={p.set} />
      <ErrorAlert>{data.error}</ErrorAlert>
      {data.loading && !data.data ? (
        <Loading what="het saldo-overzicht" />
      ) : data.data ? (
        <table aria-label="Deelnemers">
          <thead>
            <tr><th>Deelnemer</th><th>Inkomsten</th><th>Kosten</th><th>Uitbetaald</th><th>Eindsaldo</th><th>Uit te betalen</th><th>Te vorderen</th><th>Mag inzien</th></tr>
          </thead>
          <tbody>
            {data.data.participants.map((r) => (
              <tr key={r.officeId}>
                <td><Link to={`/rc/participants/${r.officeId}`}>{r.name}</Link></td>
                <td>{euro(r.incomeCents)}</td><td>{euro(r.costsCents)}</td><td>{euro(r.paidOutCents)}</td><td>{euro(r.closingBalanceCents)}</td>
                <td>{euro(r.toPayOutCents)}</td><td>{euro(r.toClaimCents)}</td><td>{r.mayViewOverview ? 'Ja' : 'Nee'}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr><th>Totaal</th><td>{euro(data.data.totals.incomeCents)}</td><td>{euro(data.data.totals.costsCents)}</td><td>{euro(data.data.totals.paidOutCents)}</td><td>{euro(data.data.totals.closingBalanceCents)}</td><td data-testid="total-payout">{euro(data.data.totals.toPayOutCents)}</td><td>{euro(data.data.totals.toClaimCents)}</td><td /></tr>
          </tfoot>
        </table>
      ) : null}
    </>
  );
}

function OwnOverview() {
  const p = usePeriod();
  const data = useLoad(() => get<Overview>(`/rc/overview${query({ year: p.year, period: p.period })}`), [p.year, p.period]);
  return (
    <>
      <PeriodPicker year={p.year} period={p.period} onChange={p.set} />
      <ErrorAlert>{data.error}</ErrorAlert>
      {data.loading && !data.data ? <Loading what="het saldo-overzicht" /> : data.data ? <OverviewDetail o={data.data} /> : null}
      <button type="button" onClick={() => void download(`/rc/overview/pdf${query({ year: p.year, period: p.period })}`, `saldo-overzicht-rc-${p.year}.pdf`)}>
        Download PDF
      </button>
    </>
  );
}

export function RcPage() {
  const role = useLoad(() => get<Role>('/rc/role'), []);
  return (
    <section>
      <h1>Saldo-overzicht RC deelnemers</h1>
      <ErrorAlert>{role.error}</ErrorAlert>
      {role.loading && !role.data ? (
        <Loading what="het saldo-overzicht" />
      ) : role.data?.role === 'central' ? (
        <CentralOverview />
      ) : role.data?.role === 'participant' ? (
        role.data.mayViewOverview ? (
          <OwnOverview />
        ) : (
          <p className="notice" data-testid="rc-hidden">Uw centrale organisatie heeft het saldo-overzicht niet voor u opengezet.</p>
        )
      ) : role.data ? (
        <p className="muted">Dit kantoor is geen centrale organisatie en geen deelnemer.</p>
      ) : null}
    </section>
  );
}

/** The central organisation's view of one participant, with the PDF for the pay-out. */
export function RcParticipantPage({ id }: { id: string }) {
  const p = usePeriod();
  const data = useLoad(() => get<Overview>(`/rc/participants/${encodeURIComponent(id)}/overview${query({ year: p.year, period: p.period })}`), [id, p.year, p.period]);
  return (
    <section>
      <p><Link to="/rc">← Saldo-overzicht RC deelnemers</Link></p>
      <h1>Saldo-overzicht {data.data?.name ?? 'deelnemer'}</h1>
      <PeriodPicker year={p.year} period={p.period} onChange={p.set} />
      <ErrorAlert>{data.error}</ErrorAlert>
      {data.loading && !data.data ? <Loading what="het saldo-overzicht" /> : data.data ? <OverviewDetail o={data.data} /> : null}
      <button
        type="button"
        onClick={() => void download(`/rc/participants/${encodeURIComponent(id)}/overview/pdf${query({ year: p.year, period: p.period })}`, `saldo-overzicht-rc-${p.year}.pdf`)}
      >
        Download PDF
      </button>
    </section>
  );
}
