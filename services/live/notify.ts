/**
 * The writing side of live updates: a store that records a fact (a product's status history, an
 * inbound HDN message, a task, a signal, an invoice) calls one of these with the EntityManager it
 * wrote with. The event goes out as PostgreSQL `NOTIFY` on that connection, so inside the caller's
 * transaction it is delivered at commit and never for a rolled-back fact, and it reaches every
 * API process that LISTENs (hub.ts), whichever process (worker or API) wrote the fact.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { LiveFact } from './schemas.js';

/** The one channel of live updates. */
export const LIVE_CHANNEL = 'dossierflow_live';

/** Announces a fact whose office (and dossier, product, person) the caller knows. */
export async function notifyLive(em: EntityManager, fact: LiveFact): Promise<void> {
  await em.execute('select pg_notify(?, ?)', [LIVE_CHANNEL, JSON.stringify(fact)], 'run');
}

/** Announces a change of the product (its status history): office and dossier are read from the product row. */
export async function notifyProductChanged(em: EntityManager, productId: string): Promise<void> {
  await em.execute(
    `select pg_notify(?, json_build_object('kind', 'product', 'id', id, 'officeId', office_id, 'dossierId', dossier_id, 'productId', id)::text)
       from products where id = ?`,
    [LIVE_CHANNEL, productId],
    'run',
  );
}

/** Announces a change of an invoice: office, dossier and product are read from the invoice row. */
export async function notifyInvoiceChanged(em: EntityManager, invoiceId: string): Promise<void> {
  await em.execute(
    `select pg_notify(?, json_build_object('kind', 'invoice', 'id', id, 'officeId', office_id, 'dossierId', dossier_id, 'productId', product_id)::text)
       from invoices where id = ?`,
    [LIVE_CHANNEL, invoiceId],
    'run',
  );
}

/** Announces a change of a dossier (its status): the office is read from the dossier row. */
export async function notifyDossierChanged(em: EntityManager, dossierId: string): Promise<void> {
  await em.execute(
    `select pg_notify(?, json_build_object('kind', 'dossier', 'id', id, 'officeId', office_id, 'dossierId', id)::text)
       from dossiers where id = ?`,
    [LIVE_CHANNEL, dossierId],
    'run',
  );
}
