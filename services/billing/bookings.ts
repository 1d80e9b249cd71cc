/**
 * Booking lines by hand: a payment or reversal recorded by the adviser, and turning an existing
 * payment/collection into a reversal (the storno by hand). The line is committed first, then
 * the invoice workflow is told with signal-with-start, so its status follows at once.
 *
 * A booking by hand above the office's plausibility limit (manualBookingLimitFactor × the
 * invoice's total + costs, domain/billing/plausibility.ts) is stored only when the request
 * repeats the amount in `confirmAmountCents`; otherwise 422 naming that field, nothing stored.
 * A reversal by hand names the money it takes back (the invoice's last collection, by its
 * EndToEndId), so it counts once and never against money that did not come in; an invoice that
 * was never collected has no collection to reverse (a payment is undone by reversing its line).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { todayInAmsterdam } from '../../domain/dates.js';
import type { BookingCreate, BookingPatch, BookingView } from './schemas.js';
import type { Principal } from '../../domain/roles.js';
import type { TemporalDeps } from '../../integrations/temporal/connection.js';
import { DomainError, refuse } from '../../domain/errors.js';
import { centsOf } from '../../db/column-values.js';
import { looksLikeUuid, one } from '../../db/sql.js';
import { checkManualBooking } from '../../domain/billing/plausibility.js';
import { deliverBookings } from './delivery.js';
import { bookingView, requireInvoiceRow } from './invoices.js';
import { bookingColumns, insertManualBooking, reverseBookingLine, type BookingRow } from './store.js';
import { manualBookingLimitFactor } from './settings.js';
import { engineDown } from './workflows.js';

export interface BookingOutcome {
  booking: BookingView;
  delivered: boolean;
}

async function bookingRow(em: EntityManager, id: string): Promise<BookingRow> {
  const b = await one<BookingRow>(em, `select ${bookingColumns} from booking_lines where id = ?`, [id]);
  if (!b) throw new Error(`booking line ${id} vanished`);
  return b;
}

/** Delivers one stored line; Temporal down → 503 that says the line is kept and how to retry. */
async function deliverOrExplain(em: EntityManager, temporal: TemporalDeps, b: BookingRow): Promise<BookingOutcome> {
  const outcome = await deliverBookings(em, temporal, [b]);
  if (outcome.failure !== undefined) {
    throw engineDown(
      `Booking line ${b.id} is stored, but the invoice's process was not told yet; POST /billing/deliveries delivers it later`,
      outcome.failure,
    );
  }
  return { booking: bookingView(await bookingRow(em, b.id)), delivered: true };
}

export async function createBooking(
  em: EntityManager,
  temporal: TemporalDeps,
  principal: Principal,
  invoiceId: string,
  body: BookingCreate,
): Promise<BookingOutcome> {
  const invoice = await requireInvoiceRow(em, principal.officeId, invoiceId);
  if (body.kind === 'reversal' && !body.reasonCode) {
    throw new DomainError('invalid', 'reason-code-required', 'A reversal needs the SEPA reasonCode of the return (e.g. MD06 refund, AM04 insufficient funds)', {
      errors: [{ path: '/body/reasonCode', message: 'is required for kind "reversal"' }],
    });
  }
  if (body.kind === 'payment' && body.reasonCode) {
    throw new DomainError('invalid', 'reason-code-not-allowed', 'A payment has no reasonCode; only reversals carry one', {
      errors: [{ path: '/body/reasonCode', message: 'only for kind "reversal"' }],
    });
  }
  const plausible = checkManualBooking({
    amountCents: body.amountCents,
    confirmAmountCents: body.confirmAmountCents,
    totalCents: centsOf(invoice.total_cents),
    costsCents: centsOf(invoice.costs_cents),
    factor: await manualBookingLimitFactor(em, principal.officeId),
  });
  if (!plausible.ok) {
    throw new DomainError('unprocessable', 'booking-needs-confirmation', `Booking not stored: ${plausible.message}`, {
      errors: [{ path: plausible.path, message: plausible.message }],
      limitCents: plausible.limitCents,
    });
  }
  const reference = body.kind === 'reversal' ? await collectionToReverse(em, invoice.id, invoice.end_to_end_id, invoice.number) : null;
  const inserted = await insertManualBooking(em, {
    officeId: principal.officeId,
    invoiceId: invoice.id,
    kind: body.kind,
    amountCents: body.amountCents,
    reasonCode: body.reasonCode ?? null,
    bookedOn: body.bookedOn ?? todayInAmsterdam(new Date()),
    note: [body.note, plausible.confirmed ? `bedrag bevestigd boven de plausibiliteitsgrens (${plausible.limitCents} cent)` : undefined]
      .filter((t): t is string => Boolean(t))
      .join(' | ') || null,
    createdBy: principal.credentialId,
    reference,
  });
  return deliverOrExplain(em, temporal, inserted);
}

/**
 * The collection a reversal by hand takes back: the invoice's current one (its EndToEndId, also
 * while its credit is not booked yet), else the last collection booked on it. None: 409, a
 * payment by transfer is undone by reversing its own line (PATCH /bookings/{id}).
 */
async function collectionToReverse(em: EntityManager, invoiceId: string, endToEndId: string | null, number: string): Promise<string> {
  if (endToEndId) return endToEndId;
  const last = await one<{ id: string; reference: string | null }>(
    em,
    `select id, reference from booking_lines where invoice_id = ? and (kind = 'collection' or 'collection' = any(applied))
     order by created_at desc, key desc limit 1`,
    [invoiceId],
  );
  if (last) return last.reference ?? `booking:${last.id}`;
  throw new DomainError(
    'conflict',
    'nothing-to-reverse',
    `Invoice ${number} was never collected by direct debit: there is no collection to reverse. To undo a payment, reverse its booking line (PATCH /bookings/{id})`,
  );
}

/**
 * The storno by hand: a payment or collection line becomes a reversal with its reason code.
 * The invoice workflow gets a reversal event with the same bookingId (it knows the line as a
 * payment and now reverses it). The line is owed a new delivery until Temporal confirms.
 */
export async function reverseBooking(
  em: EntityManager,
  temporal: TemporalDeps,
  principal: Principal,
  bookingId: string,
  body: BookingPatch,
): Promise<BookingOutcome> {
  if (!looksLikeUuid(bookingId)) throw refuse.notFound('Booking line', bookingId);
  const updated = await em.transactional(async (tem) => {
    const b = await one<BookingRow>(tem, `select ${bookingColumns} from booking_lines where office_id = ? and id = ? for update`, [
      principal.officeId,
      bookingId,
    ]);
    if (!b) throw refuse.notFound('Booking line', bookingId);
    if (b.kind === 'rejection') {
      throw new DomainError('conflict', 'rejection-not-reversible', `Booking line ${bookingId} records a collection the bank rejected before settlement: no money came in that could be reversed`);
    }
    if (b.kind === 'reversal') {
      throw new DomainError('conflict', 'already-reversed', `Booking line ${bookingId} is a reversal already (reason ${b.reason_code ?? 'unknown'})`);
    }
    // No updated_by column: the actor of the storno goes into the note (history, rule "every change has an actor").
    const row = await reverseBookingLine(tem, bookingId, body.reasonCode, `reversed by ${principal.credentialId}${body.note ? `: ${body.note}` : ''}`);
    if (!row) throw new Error(`booking line ${bookingId} vanished`);
    return row;
  });
  return deliverOrExplain(em, temporal, updated);
}
