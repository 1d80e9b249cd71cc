/**
 * A client's credit balance (*tegoed*): money received beyond what an invoice owes is never
 * absorbed; the invoice workflow moves it to the client's ledger (`client_credits`, per dossier:
 * the client's account, the household the invoices are addressed to) and the back office gets a
 * task to refund it or offset it against another invoice. Here: the balance and its entries, a
 * refund (paid back to the client: a negative entry), and an offset (a payment booked on another
 * invoice of the dossier, and a negative entry pointing at it, in one transaction; then the
 * invoice's workflow is told like any booking).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { centsOf } from '../../db/column-values.js';
import { newId } from '../../db/ids.js';
import { isoInstant, looksLikeUuid, one, rows } from '../../db/sql.js';
import { todayInAmsterdam } from '../../domain/dates.js';
import { DomainError, refuse } from '../../domain/errors.js';
import { formatEuro } from '../../domain/billing/money.js';
import type { Principal } from '../../domain/roles.js';
import type { TemporalDeps } from '../../integrations/temporal/connection.js';
import { deliverBookings } from './delivery.js';
import { bookingView, openCentsOf } from './invoices.js';
import type { ClientCreditOffset, ClientCreditRefund, ClientCreditView, BookingView } from './schemas.js';
import {
  bookingColumns,
  clientCreditColumns,
  insertClientCreditMovement,
  insertManualBooking,
  invoiceColumns,
  type BookingRow,
  type ClientCreditRow,
  type InvoiceRow,
} from './store.js';
import { engineDown } from './workflows.js';

async function requireDossier(em: EntityManager, officeId: string, dossierId: string, forUpdate = false): Promise<void> {
  const found = looksLikeUuid(dossierId)
    ? await one<{ id: string }>(em, `select id from dossiers where office_id = ? and id = ?${forUpdate ? ' for update' : ''}`, [officeId, dossierId])
    : undefined;
  if (!found) throw refuse.notFound('Dossier', dossierId);
}

async function balanceOf(em: EntityManager, dossierId: string): Promise<number> {
  return centsOf((await one<{ n: unknown }>(em, 'select coalesce(sum(amount_cents), 0) as n from client_credits where dossier_id = ?', [dossierId]))?.n);
}

export async function getClientCredit(em: EntityManager, officeId: string, dossierId: string): Promise<ClientCreditView> {
  await requireDossier(em, officeId, dossierId);
  const entries = await rows<ClientCreditRow>(
    em,
    `select ${clientCreditColumns} from client_credits where dossier_id = ? and office_id = ? order by created_at, key`,
    [dossierId, officeId],
  );
  return {
    dossierId,
    balanceCents: entries.reduce((sum, e) => sum + centsOf(e.amount_cents), 0),
    entries: entries.map((e) => ({
      id: e.id,
      kind: e.kind,
      amountCents: centsOf(e.amount_cents),
      invoiceId: e.invoice_id,
      bookingId: e.booking_id,
      note: e.note,
      createdBy: e.created_by,
      createdAt: isoInstant(e.created_at) ?? '',
    })),
  };
}

function moreThanBalance(amountCents: number, balance: number): DomainError {
  return new DomainError('conflict', 'credit-insufficient', `The client's credit is ${formatEuro(balance)}: ${formatEuro(amountCents)} cannot be used`, {
    balanceCents: balance,
  });
}

/** The back office paid (part of) the credit back to the client. */
export async function refundClientCredit(em: EntityManager, principal: Principal, dossierId: string, body: ClientCreditRefund): Promise<ClientCreditView> {
  await em.transactional(async (tem) => {
    // The dossier row serialises movements of one client's credit (the balance check holds).
    await requireDossier(tem, principal.officeId, dossierId, true);
    const balance = await balanceOf(tem, dossierId);
    if (body.amountCents > balance) throw moreThanBalance(body.amountCents, balance);
    await insertClientCreditMovement(tem, {
      key: `refund:${newId()}`,
      officeId: principal.officeId,
      dossierId,
      invoiceId: null,
      kind: 'refund',
      amountCents: -body.amountCents,
      bookingId: null,
      note: [`terugbetaald door ${principal.credentialId}`, body.note].filter(Boolean).join(': '),
      createdBy: principal.credentialId,
    });
  });
  return getClientCredit(em, principal.officeId, dossierId);
}

/**
 * The credit pays (part of) another invoice of the same dossier: a payment line on that invoice
 * and the negative entry, in one transaction; then its workflow is told (503 when the engine is
 * down: both are stored, POST /billing/deliveries tells it later).
 */
export async function offsetClientCredit(
  em: EntityManager,
  temporal: TemporalDeps,
  principal: Principal,
  dossierId: string,
  body: ClientCreditOffset,
): Promise<{ credit: ClientCreditView; booking: BookingView | null; delivered: boolean }> {
  const booking = await em.transactional(async (tem) => {
    await requireDossier(tem, principal.officeId, dossierId, true);
    const invoice = looksLikeUuid(body.invoiceId)
      ? await one<InvoiceRow>(tem, `select ${invoiceColumns} from invoices where office_id = ? and id = ?`, [principal.officeId, body.invoiceId])
      : undefined;
    if (!invoice) throw refuse.notFound('Invoice', body.invoiceId);
    if (invoice.dossier_id !== dossierId) {
      throw new DomainError('invalid', 'offset-other-client', `Invoice ${invoice.number} belongs to another dossier: a credit is offset against the same client's invoices`, {
        errors: [{ path: '/body/invoiceId', message: 'must be an invoice of this dossier' }],
      });
    }
    const open = openCentsOf(invoice);
    if (body.amountCents > open) {
      throw new DomainError('conflict', 'offset-more-than-open', `Invoice ${invoice.number} has ${formatEuro(open)} open: ${formatEuro(body.amountCents)} cannot be offset against it`, {
        openCents: open,
      });
    }
    const balance = await balanceOf(tem, dossierId);
    if (body.amountCents > balance) throw moreThanBalance(body.amountCents, balance);
    const line = await insertManualBooking(tem, {
      officeId: principal.officeId,
      invoiceId: invoice.id,
      kind: 'payment',
      amountCents: body.amountCents,
      reasonCode: null,
      bookedOn: todayInAmsterdam(new Date()),
      note: ['verrekend met tegoed', body.note].filter(Boolean).join(': '),
      createdBy: principal.credentialId,
    });
    await insertClientCreditMovement(tem, {
      key: `offset:${line.id}`,
      officeId: principal.officeId,
      dossierId,
      invoiceId: invoice.id,
      kind: 'offset',
      amountCents: -body.amountCents,
      bookingId: line.id,
      note: `verrekend met factuur ${invoice.number}`,
      createdBy: principal.credentialId,
    });
    return line;
  });
  const outcome = await deliverBookings(em, temporal, [booking]);
  if (outcome.failure !== undefined) {
    throw engineDown(
      `The offset is stored (booking line ${booking.id}), but the invoice's process was not told yet; POST /billing/deliveries delivers it later`,
      outcome.failure,
    );
  }
  const stored = await one<BookingRow>(em, `select ${bookingColumns} from booking_lines where id = ?`, [booking.id]);
  return { credit: await getClientCredit(em, principal.officeId, dossierId), booking: stored ? bookingView(stored) : null, delivered: true };
}
