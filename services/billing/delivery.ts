/**
 * Signals owed to invoice workflows for facts already committed: booking lines
 * (`booking_lines.delivered_at` null) and SEPA exports (`sepa_exports.delivered_at` null).
 * Each delivery marks its row when Temporal confirmed it, so a retry sends only what is owed.
 * A signal that Temporal took but whose answer was lost may be sent twice: the invoice workflow
 * ignores a bookingId / exportId it has seen.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { BookingEvent } from '../../workflows/billing/billing.messages.js';
import type { TemporalDeps } from '../../integrations/temporal/connection.js';
import { centsOf } from '../../db/column-values.js';
import { rows } from '../../db/sql.js';
import { markBookingDelivered, markExportDelivered, markInvoicesFollowed, owedBookingColumns, type InvoiceRow, type OwedBooking } from './store.js';
import { engineDown, signalBooking, signalExported } from './workflows.js';

export type { OwedBooking };

export function bookingEventOf(b: OwedBooking): BookingEvent {
  return {
    bookingId: b.id,
    kind: b.kind,
    amountCents: centsOf(b.amount_cents),
    ...((b.kind === 'reversal' || b.kind === 'rejection') && b.reason_code ? { reasonCode: b.reason_code } : {}),
    ...(b.reference ? { reference: b.reference } : {}),
  };
}

export interface DeliveryOutcome {
  delivered: number;
  /** The first failure, when Temporal did not answer (the rest was not tried). */
  failure?: unknown;
}

/** Delivers the bookings in order; stops at the first failure (Temporal is down, the rest would fail too). */
export async function deliverBookings(em: EntityManager, temporal: TemporalDeps, owed: readonly OwedBooking[]): Promise<DeliveryOutcome> {
  // Their invoice workflows are signalled with start: marked first, so a SEPA export tells them
  // instead of settling their status itself (an invoice run starts none until one is needed).
  await markInvoicesFollowed(em, [...new Set(owed.map((b) => b.invoice_id))]);
  let delivered = 0;
  for (const b of owed) {
    try {
      await signalBooking(temporal, b.invoice_id, bookingEventOf(b));
    } catch (err) {
      return { delivered, failure: err };
    }
    await markBookingDelivered(em, b.id);
    delivered += 1;
  }
  return { delivered };
}

/** An invoice of an export: its sequence type is set by the export. */
type ExportInvoiceRow = Pick<InvoiceRow, 'id'> & { sequence_type: NonNullable<InvoiceRow['sequence_type']> };

/**
 * Signals to different invoice workflows are independent; sent one by one, an export of 2,000
 * invoices waited 42 s on as many sequential round trips to Temporal. This many are in flight
 * at once (the client's one connection multiplexes them).
 */
export const EXPORT_SIGNAL_CONCURRENCY = 32;

/**
 * Tells every invoice of the export that has a workflow (`follower_started`: an invoice of a run
 * that has none got its status from the export itself, services/billing/invoice-run.ts), at most
 * EXPORT_SIGNAL_CONCURRENCY at once; marks the export delivered when all were told. After the first failure no new signal is started (Temporal is
 * down, the rest would fail too); the export stays owed and a redelivery sends all again (the
 * workflow ignores an exportId it has seen).
 */
export async function deliverExport(em: EntityManager, temporal: TemporalDeps, exportId: string): Promise<DeliveryOutcome> {
  const invoices = await rows<ExportInvoiceRow>(em, 'select id, sequence_type from invoices where export_id = ? and follower_started order by number', [exportId]);
  let delivered = 0;
  let failure: { error: unknown } | undefined;
  let next = 0;
  const sender = async (): Promise<void> => {
    while (!failure && next < invoices.length) {
      const inv = invoices[next++]!;
      try {
        await signalExported(temporal, inv.id, { exportId, sequenceType: inv.sequence_type });
        delivered += 1;
      } catch (err) {
        failure ??= { error: err };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(EXPORT_SIGNAL_CONCURRENCY, invoices.length) }, sender));
  if (failure) return { delivered, failure: failure.error };
  await markExportDelivered(em, exportId);
  return { delivered };
}

export async function owedBookingsOfImport(em: EntityManager, importId: string): Promise<OwedBooking[]> {
  return rows<OwedBooking>(
    em,
    `select ${owedBookingColumns} from booking_lines where import_id = ? and delivered_at is null order by key`,
    [importId],
  );
}

/**
 * POST /billing/deliveries: everything the office still owes its invoice workflows, oldest
 * first. Answers the counts; when the process engine does not answer, a 503 refusal that says
 * what got through (the rest stays owed).
 */
export async function redeliverOffice(em: EntityManager, temporal: TemporalDeps, officeId: string): Promise<{ bookings: number; exports: number }> {
  const exports = await rows<{ id: string }>(
    em,
    'select id from sepa_exports where office_id = ? and delivered_at is null order by created_at',
    [officeId],
  );
  let exportsDone = 0;
  const stillOwed = (counts: { bookings: number; exports: number }, failure: unknown) =>
    engineDown(`Delivered ${counts.exports} export(s) and ${counts.bookings} booking(s); the rest is still owed`, failure, counts);
  for (const e of exports) {
    const outcome = await deliverExport(em, temporal, e.id);
    if (outcome.failure !== undefined) throw stillOwed({ bookings: 0, exports: exportsDone }, outcome.failure);
    exportsDone += 1;
  }
  const owed = await rows<OwedBooking>(
    em,
    `select ${owedBookingColumns} from booking_lines where office_id = ? and delivered_at is null order by created_at, key`,
    [officeId],
  );
  const bookings = await deliverBookings(em, temporal, owed);
  const counts = { bookings: bookings.delivered, exports: exportsDone };
  if (bookings.failure !== undefined) throw stillOwed(counts, bookings.failure);
  return counts;
}
