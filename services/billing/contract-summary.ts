/**
 * The contract line of the product card: amount, period, last and next invoice date, status.
 * Its own module so that the product read model (services/products/products.ts) needs nothing else of
 * billing.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ContractStatus } from '../../domain/billing/closed-lists.js';
import { todayInAmsterdam } from '../../domain/dates.js';
import type { ContractSummary } from './schemas.js';
import { isoDate, one } from '../../db/sql.js';
import type { ContractRow } from './store.js';

/** planned before the start date, ended after the end date (inclusive last day), else active. */
export function contractStatus(startDate: string, endDate: string | null, today: string): ContractStatus {
  if (startDate > today) return 'planned';
  if (endDate !== null && endDate < today) return 'ended';
  return 'active';
}

type SummaryRow = Pick<ContractRow, 'id' | 'amount_cents' | 'period' | 'start_date' | 'end_date' | 'last_invoice_date' | 'next_invoice_date'>;

/** One contract per product (the API enforces it); null when the product has none. */
export async function contractSummaryOfProduct(em: EntityManager, officeId: string, productId: string): Promise<ContractSummary | null> {
  const r = await one<SummaryRow>(
    em,
    `select id, amount_cents, period, start_date, end_date, last_invoice_date, next_invoice_date
     from contracts where office_id = ? and product_id = ? order by created_at limit 1`,
    [officeId, productId],
  );
  if (!r) return null;
  return {
    id: r.id,
    lastInvoiceDate: isoDate(r.last_invoice_date),
    nextInvoiceDate: isoDate(r.next_invoice_date),
    amountCents: Number(r.amount_cents),
    period: r.period,
    status: contractStatus(isoDate(r.start_date) ?? '', isoDate(r.end_date), todayInAmsterdam(new Date())),
  };
}
