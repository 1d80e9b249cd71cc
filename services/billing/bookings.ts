/**
 * Booking lines by hand: a payment or reversal recorded by the adviser, and turning an existing
 * payment/collection into a reversal (the storno by hand). The line is committed first, then
 * the invoice workflow is told with signal-with-start, so its status follows at once.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { todayInAmsterdam } from '../../domain/dates.js';
import type { BookingCreate, BookingPatch, BookingView } from './schemas.js';
import type { Principal } from '../../domain/roles.js';
import type { TemporalDeps } from '../../integrations/temporal/connection.js';
import { DomainError, refuse } from '../../domain/errors.js';
import { looksLikeUuid, one } from '../../db/sql.js';
import { deliverBookings } from './delivery.js';
import { bookingView, requireInvoiceRow } from './invoices.js';
import { bookingColumns, insertManualBooking, reverseBookingLine, type BookingRow } from './store.js';
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
  const inserted = await insertManualBooking(em, {
    officeId: principal.officeId,
    invoiceId: invoice.id,
    kind: body.kind,
    amountCents: body.amountCents,
    reasonCode: body.reasonCode ?? null,
    bookedOn: body.bookedOn ?? todayInAmsterdam(new Date()),
    note: body.note ?? null,
    createdBy: principal.credentialId,
  });
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
