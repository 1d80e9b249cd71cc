/**
 * Saldo-overzicht RC deelnemers (issue 21, seed 000). One page, by what this office is:
 * - a central organisation (*centrale organisatie*) sees all its participants with what to pay
 *   out (*uit te betalen*) or claim (*te vorderen*), and opens one participant's overview;
 * - a participant (*deelnemer*) sees its own overview, only when its central organisation
 *   allows it: otherwise nothing but that message (the overview is not even asked for);
 * - any other office: a note.
 * The central organisation's admin also sets per participant whether it may see its own overview,
 * requests and approves pay-outs (components/rc/Payouts.tsx) and downloads their files; its other
 * users see the same without those controls (the API allows them to the admin role only).
 */
import { useEffect, useRef, useState } from 'react';
import { download, errorText, get, query, request } from '../api';
import { ErrorAlert, Info, Loading } from '../components/Messages';
import { PAYOUT_POLL_MS, PayoutTable, RequestPayoutForm, hasOpenPayout } from '../components/rc/Payouts';
import { useLoad } from '../hooks';
import { euro, rcPeriods } from '../labels';
import { Link } from '../router';
import type { ApiRequestBody, ApiResponse } from '../types';

type Role = ApiResponse<'/rc/role'>;
type Central = ApiResponse<'/rc/participants'>;
type Overview = ApiResponse<'/rc/overview'>;
type Period = Overview['period'];
type Payouts = ApiResponse<'/rc/payouts'>;
type Me = ApiResponse<'/auth/session'> | undefined;
type ParticipantRow = Central['participants'][number];

const periods = rcPeriods;
/** Requesting, approving and the settings are the admin's (the API's role for them). */
const isAdmin = (me: Me): boolean => me?.roles.includes('admin') ?? false;

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

/**
 * The visibility setting of one participant (*mag eigen RC-overzicht zien*) as a switch that saves
 * at once. It stays enabled while saving (a disabled control would drop the keyboard focus); a
 * second change before the answer waits for it.
 */
function VisibilitySwitch({ row, onSaved, onFailed }: { row: ParticipantRow; onSaved: (row: ParticipantRow, mayView: boolean) => void; onFailed: (row: ParticipantRow, error: string) => void }) {
  const [checked, setChecked] = useState(row.mayViewOverview);
  const saving = useRef(false);
  useEffect(() => setChecked(row.mayViewOverview), [row.mayViewOverview]);
  const save = async (mayView: boolean) => {
    if (saving.current) return;
    saving.current = true;
    setChecked(mayView);
    try {
      // Only the setting: the central share and the IBAN stay as they are.
      const body: ApiRequestBody<'/rc/participants/{id}', 'put'> = { mayViewOverview: mayView };
      await request('PUT', `/rc/participants/${encodeURIComponent(row.officeId)}`, body);
      onSaved(row, mayView);
    } catch (err) {
      setChecked(!mayView);
      onFailed(row, errorText(err));
    } finally {
      saving.current = false;
    }
  };
  return (
    <label className="switch">
      <input type="checkbox" role="switch" checked={checked} aria-label={`Mag eigen RC-overzicht zien: ${row.name}`} onChange={(e) => void save(e.target.checked)} />{' '}
      {checked ? 'Ja' : 'Nee'}
    </label>
  );
}

function CentralOverview({ admin }: { admin: boolean }) {
  const p = usePeriod();
  const data = useLoad(() => get<Central>(`/rc/participants${query({ year: p.year, period: p.period })}`), [p.year, p.period]);
  const waiting = useLoad(() => get<Payouts>(`/rc/payouts${query({ status: 'requested' })}`), [], PAYOUT_POLL_MS);
  const [saved, setSaved] = useState<string>();
  const [failed, setFailed] = useState<string>();
  const names = new Map((data.data?.participants ?? []).map((r) => [r.officeId, r.name]));
  return (
    <>
      <p className="muted">Wat de centrale organisatie aan haar deelnemers moet uitbetalen of van hen vordert, en hoe dat is opgebouwd.</p>
      <PeriodPicker year={p.year} period={p.period} onChange={p.set} />
      <ErrorAlert>{data.error}</ErrorAlert>
      <ErrorAlert>{failed}</ErrorAlert>
      {saved ? <Info>{saved}</Info> : null}
      {data.loading && !data.data ? (
        <Loading what="het saldo-overzicht" />
      ) : data.data ? (
        <table aria-label="Deelnemers">
          <thead>
            <tr><th scope="col">Deelnemer</th><th scope="col">Inkomsten</th><th scope="col">Kosten</th><th scope="col">Uitbetaald</th><th scope="col">Eindsaldo</th><th scope="col">Uit te betalen</th><th scope="col">Te vorderen</th><th scope="col">Mag eigen RC-overzicht zien</th></tr>
          </thead>
          <tbody>
            {data.data.participants.map((r) => (
              <tr key={r.officeId}>
                <td><Link to={`/rc/participants/${r.officeId}`}>{r.name}</Link></td>
                <td>{euro(r.incomeCents)}</td><td>{euro(r.costsCents)}</td><td>{euro(r.paidOutCents)}</td><td>{euro(r.closingBalanceCents)}</td>
                <td>{euro(r.toPayOutCents)}</td><td>{euro(r.toClaimCents)}</td>
                <td>
                  {admin ? (
                    <VisibilitySwitch
                      row={r}
                      onSaved={(row, mayView) => {
                        setFailed(undefined);
                        setSaved(mayView ? `${row.name} mag het eigen RC-overzicht nu zien.` : `${row.name} mag het eigen RC-overzicht niet meer zien.`);
                        void data.reload();
                      }}
                      onFailed={(row, error) => {
                        setSaved(undefined);
                        setFailed(`De instelling van ${row.name} is niet opgeslagen: ${error}`);
                      }}
                    />
                  ) : r.mayViewOverview ? 'Ja' : 'Nee'}
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr><th scope="row">Totaal</th><td>{euro(data.data.totals.incomeCents)}</td><td>{euro(data.data.totals.costsCents)}</td><td>{euro(data.data.totals.paidOutCents)}</td><td>{euro(data.data.totals.closingBalanceCents)}</td><td data-testid="total-payout">{euro(data.data.totals.toPayOutCents)}</td><td>{euro(data.data.totals.toClaimCents)}</td><td /></tr>
          </tfoot>
        </table>
      ) : null}
      <h2>Uitbetalingen die wachten op goedkeuring</h2>
      <ErrorAlert>{waiting.error}</ErrorAlert>
      {waiting.loading && !waiting.data ? (
        <Loading what="de uitbetalingen" />
      ) : waiting.data ? (
        <PayoutTable
          label="Uitbetalingen die wachten op goedkeuring"
          items={waiting.data.items}
          nameOf={(id) => names.get(id) ?? 'Deelnemer'}
          isAdmin={admin}
          onChanged={() => {
            void waiting.reload();
            void data.reload();
          }}
          empty="Geen uitbetalingen die wachten op goedkeuring."
        />
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

export function RcPage({ me }: { me?: Me }) {
  const role = useLoad(() => get<Role>('/rc/role'), []);
  return (
    <section>
      <h1>Saldo-overzicht RC deelnemers</h1>
      <ErrorAlert>{role.error}</ErrorAlert>
      {role.loading && !role.data ? (
        <Loading what="het saldo-overzicht" />
      ) : role.data?.role === 'central' ? (
        <CentralOverview admin={isAdmin(me)} />
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

/** The central organisation's view of one participant, with the PDF and its pay-outs. */
export function RcParticipantPage({ id, me }: { id: string; me?: Me }) {
  const admin = isAdmin(me);
  const p = usePeriod();
  const data = useLoad(() => get<Overview>(`/rc/participants/${encodeURIComponent(id)}/overview${query({ year: p.year, period: p.period })}`), [id, p.year, p.period]);
  const payouts = useLoad(() => get<Payouts>(`/rc/payouts${query({ participantOfficeId: id })}`), [id], PAYOUT_POLL_MS);
  // Approval and the bank's confirmation change the balance: the overview follows the pay-outs' statuses.
  const statuses = payouts.data?.items.map((x) => `${x.id}:${x.status}`).join(',');
  const seen = useRef<string | undefined>(undefined);
  const reloadOverview = data.reload;
  useEffect(() => {
    if (statuses === undefined) return;
    if (seen.current !== undefined && seen.current !== statuses) void reloadOverview();
    seen.current = statuses;
  }, [statuses, reloadOverview]);
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
      <h2>Uitbetalingen</h2>
      {admin ? (
        <RequestPayoutForm
          participantOfficeId={id}
          year={p.year}
          period={p.period}
          toPayOutCents={data.data && !data.loading ? data.data.toPayOutCents : undefined}
          open={payouts.data ? hasOpenPayout(payouts.data.items) : true}
          onRequested={() => void payouts.reload()}
        />
      ) : null}
      <ErrorAlert>{payouts.error}</ErrorAlert>
      {payouts.loading && !payouts.data ? (
        <Loading what="de uitbetalingen" />
      ) : payouts.data ? (
        <PayoutTable label="Uitbetalingen van deze deelnemer" items={payouts.data.items} isAdmin={admin} onChanged={() => void payouts.reload()} empty="Nog geen uitbetalingen." />
      ) : null}
    </section>
  );
}
