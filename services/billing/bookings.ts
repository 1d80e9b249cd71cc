/**
 * Booking lines by hand: a payment or reversal recorded by the adviser, and turning an existing
 * payment/collection into a reversal (the storno by hand). The line is committed first, then
 * the invoice workflow is told with signal-with-start, so its status follows at once.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { newId } from '../../db/ids.js';
import { todayInAmsterdam } from '../../domain/dates.js';
import type { BookingCreate, BookingPatch, BookingView } from './schemas.js';
import type { Principal } from '../../domain/roles.js';
import type { TemporalDeps } from '../../integrations/temporal/connection.js';
import { DomainError, refuse } from '../../domain/errors.js';
import { looksLikeUuid, one } from '../../db/sql.js';
import { deliverBookings } from './delivery.js';
import { bookingColumns, bookingView, requireInvoiceRow, type BookingRow } from './invoices.js';
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
  const id = newId();
  const inserted = await one<BookingRow>(
    em,
    `insert into booking_lines (id, key, office_id, invoice_id, kind, amount_cents, reason_code, booked_on, source, note, created_by)
     values (?, ?, ?, ?, ?, ?, ?, ?, 'manual', ?, ?) returning ${bookingColumns}`,
    [
      id,
      `manual:${id}`,
      principal.officeId,
      invoice.id,
      body.kind,
      body.amountCents,
      body.reasonCode ?? null,
      body.bookedOn ?? todayInAmsterdam(new Date()),
      body.note ?? null,
      principal.credentialId,
    ],
  );
  if (!inserted) throw new Error('insert into booking_lines returned nothing');
  return deliverOrExplain(em, temporal, inserted);
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
    if (b.kind === 'reversal') {
      throw new DomainError('conflict', 'already-reversed', `Booking line ${bookingId} is a reversal already (reason ${b.reason_code ?? 'unknown'})`);
    }
    const row = await one<BookingRow>(
      tem,
      // No updated_by column: the actor of the storno goes into the note (history, rule "every change has an actor").
      `update booking_lines set kind = 'reversal', reason_code = ?, note = concat_ws(' | ', note, ?), delivered_at = null, updated_at = now()
       where id = ? returning ${bookingColumns}`,
      [body.reasonCode, `reversed by ${principal.credentialId}${body.note ? `: ${body.note}` : ''}`, bookingId],
    );
    if (!row) throw new Error(`booking line ${bookingId} vanished`);
    return row;
  });
  return deliverOrExplain(em, temporal, updated);
}
