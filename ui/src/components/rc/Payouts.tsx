/**
 * Pay-outs (*uitbetalingen*) of participants' positive RC balances, for the central organisation
 * (issue 21, seed 000): requested per participant and period, approved (the first half of the
 * mirror booking, RC → intermediate account), the SEPA credit transfer file (pain.001) made, the
 * bank statement confirms it and the second half is booked. Requesting, approving, cancelling and
 * the pain.001 are for the admin (the API allows only that role); the PDF pay-out overview
 * (*uitbetalingsoverzicht*) is for every user of the central organisation.
 *
 * The ledger pushes no live events, so lists of pay-outs reload every PAYOUT_POLL_MS: the
 * workflow moves a pay-out on after the API has answered (approval → file → bank).
 */
import { useRef, useState, type FormEvent } from 'react';
import { download, errorText, post, query } from '../../api';
import { date, euro, payoutStatusLabel, rcPeriodLabel } from '../../labels';
import { Link } from '../../router';
import type { Payout, RcPeriod } from '../../types';
import { ErrorAlert, Info } from '../Messages';

/** How often a list of pay-outs reloads (the workflow moves them on by itself). */
export const PAYOUT_POLL_MS = 5_000;

/** Statuses after which nothing more happens to a pay-out (mirrors domain/ledger/payouts.ts). */
const finished = new Set<Payout['status']>(['settled', 'cancelled']);

/** Whether the participant has a pay-out that is not settled or cancelled yet (the API allows one at a time). */
export const hasOpenPayout = (items: readonly Payout[]): boolean => items.some((p) => !finished.has(p.status));

const pdfPath = (p: Pick<Payout, 'participantOfficeId' | 'year' | 'period'>) =>
  `/rc/participants/${encodeURIComponent(p.participantOfficeId)}/overview/pdf${query({ year: p.year, period: p.period })}`;

/**
 * A table of pay-outs with their status in Dutch and what can be done with each: approve or cancel
 * a requested one, download its pain.001 once made, download the PDF pay-out overview of its period.
 */
export function PayoutTable({
  label,
  items,
  nameOf,
  isAdmin,
  onChanged,
  empty,
}: {
  label: string;
  items: readonly Payout[];
  /** With it, a column with the participant (a link to its page). */
  nameOf?: (officeId: string) => string;
  isAdmin: boolean;
  onChanged: () => void;
  empty: string;
}) {
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();
  const [busy, setBusy] = useState<string>();
  // The API answers an approval or cancellation once the workflow took it; the pay-out's row moves on a moment
  // later (its activity books it). Until then it is shown as taken here, without the buttons.
  const [takenHere, setTakenHere] = useState<ReadonlyMap<string, 'approved' | 'cancelled'>>(new Map());

  const act = async (payout: Payout, what: string, run: () => Promise<unknown>, success?: string, taken?: 'approved' | 'cancelled') => {
    if (busy) return;
    setBusy(payout.id);
    setError(undefined);
    setDone(undefined);
    try {
      await run();
      if (taken) setTakenHere((m) => new Map(m).set(payout.id, taken));
      if (success) {
        setDone(success);
        onChanged();
      }
    } catch (err) {
      setError(`${what} mislukt: ${errorText(err)}`);
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <>
      <ErrorAlert>{error}</ErrorAlert>
      {done ? <Info>{done}</Info> : null}
      <table aria-label={label}>
        <thead>
          <tr>
            {nameOf ? <th scope="col">Deelnemer</th> : null}
            <th scope="col">Periode</th>
            <th scope="col">Bedrag</th>
            <th scope="col">Status</th>
            <th scope="col">Aangevraagd op</th>
            <th scope="col">Afgeschreven op</th>
            <th scope="col">Acties en bestanden</th>
          </tr>
        </thead>
        <tbody>
          {items.map((p) => {
            const period = rcPeriodLabel(p.year, p.period);
            const who = nameOf?.(p.participantOfficeId);
            const about = who ? `uitbetaling ${period} aan ${who}` : `uitbetaling ${period}`;
            const taken = p.status === 'requested' ? takenHere.get(p.id) : undefined;
            const status = taken ?? p.status;
            return (
              <tr key={p.id} data-testid={`payout-${p.id}`}>
                {nameOf ? (
                  <td>
                    <Link to={`/rc/participants/${p.participantOfficeId}`}>{who}</Link>
                  </td>
                ) : null}
                <td>{period}</td>
                <td>{euro(p.amountCents)}</td>
                <td data-testid="payout-status">{payoutStatusLabel[status] ?? status}</td>
                <td>{date(p.requestedAt)}</td>
                <td>{date(p.settledOn)}</td>
                <td>
                  <div className="actions">
                    {isAdmin && p.status === 'requested' && !taken ? (
                      <>
                        <button
                          type="button"
                          aria-label={`Goedkeuren: ${about}`}
                          aria-busy={busy === p.id}
                          onClick={() =>
                            void act(p, 'Goedkeuren', () => post(`/rc/payouts/${p.id}/approve`), `De ${about} is goedgekeurd: hij wordt geboekt en het betaalbestand wordt gemaakt.`, 'approved')
                          }
                        >
                          Goedkeuren
                        </button>
                        <button
                          type="button"
                          className="secondary"
                          aria-label={`Annuleren: ${about}`}
                          aria-busy={busy === p.id}
                          onClick={() => void act(p, 'Annuleren', () => post(`/rc/payouts/${p.id}/cancel`), `De ${about} is geannuleerd.`, 'cancelled')}
                        >
                          Annuleren
                        </button>
                      </>
                    ) : null}
                    {isAdmin && p.hasFile ? (
                      <button
                        type="button"
                        className="link"
                        aria-label={`Betaalbestand (pain.001) downloaden: ${about}`}
                        onClick={() => void act(p, 'Downloaden van het betaalbestand', () => download(`/rc/payouts/${p.id}/pain001`, `uitbetaling-${p.endToEndId}.xml`))}
                      >
                        Betaalbestand (pain.001)
                      </button>
                    ) : null}
                    {p.status !== 'cancelled' ? (
                      <button
                        type="button"
                        className="link"
                        aria-label={`Uitbetalingsoverzicht (PDF) downloaden: ${about}`}
                        onClick={() => void act(p, 'Downloaden van het uitbetalingsoverzicht', () => download(pdfPath(p), `uitbetalingsoverzicht-${p.year}-${p.period}.pdf`))}
                      >
                        Uitbetalingsoverzicht (PDF)
                      </button>
                    ) : null}
                  </div>
                </td>
              </tr>
            );
          })}
          {items.length === 0 ? (
            <tr>
              <td colSpan={nameOf ? 7 : 6} className="muted">
                {empty}
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </>
  );
}

/**
 * Requests the pay-out of the participant's balance at the end of the chosen period (the API pays
 * out the whole positive closing balance; there is no other amount to choose).
 */
export function RequestPayoutForm({
  participantOfficeId,
  year,
  period,
  toPayOutCents,
  open,
  onRequested,
}: {
  participantOfficeId: string;
  year: number;
  period: RcPeriod;
  /** What the central organisation owes at the end of the period: the amount of the pay-out. */
  toPayOutCents: number | undefined;
  /** A pay-out of this participant is still under way: no second one. */
  open: boolean;
  onRequested: () => void;
}) {
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();
  const busy = useRef(false);
  const [sending, setSending] = useState(false);
  const nothing = toPayOutCents !== undefined && toPayOutCents <= 0;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy.current) return;
    busy.current = true;
    setSending(true);
    setError(undefined);
    setDone(undefined);
    try {
      const payout = await post<Payout>(`/rc/participants/${encodeURIComponent(participantOfficeId)}/payouts`, { year, period });
      setDone(`Uitbetaling van ${euro(payout.amountCents)} over ${rcPeriodLabel(payout.year, payout.period)} aangevraagd; hij wacht op goedkeuring.`);
      onRequested();
    } catch (err) {
      setError(`Uitbetaling aanvragen mislukt: ${errorText(err)}`);
    } finally {
      busy.current = false;
      setSending(false);
    }
  };

  return (
    <form className="card" aria-labelledby="payout-request-title" onSubmit={(e) => void submit(e)}>
      <h3 id="payout-request-title">Uitbetaling aanvragen</h3>
      <p>
        Bedrag: <strong data-testid="payout-amount">{toPayOutCents === undefined ? '…' : euro(Math.max(0, toPayOutCents))}</strong>, het hele positieve eindsaldo RC
        van {rcPeriodLabel(year, period)}. Kies hierboven een ander jaar of een andere periode voor een ander eindsaldo.
      </p>
      {open ? <p className="muted">Er loopt al een uitbetaling voor deze deelnemer; een nieuwe kan pas als die is geboekt of geannuleerd.</p> : null}
      {nothing && !open ? <p className="muted">Er is in deze periode niets uit te betalen.</p> : null}
      <ErrorAlert>{error}</ErrorAlert>
      {done ? <Info>{done}</Info> : null}
      <button type="submit" disabled={open || nothing || toPayOutCents === undefined} aria-busy={sending}>
        Uitbetaling aanvragen
      </button>
    </form>
  );
}
