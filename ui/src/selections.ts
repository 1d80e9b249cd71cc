/** Selections (the query manager) in words: a short Dutch description of a query. */
import { dossierStatusLabel, productTypeLabel } from './labels';
import type { ProductFilter, SelectionQuery } from './types';
import { describeMore } from './pages/QueryFilters';

/** A short Dutch description of a query, for the saved list and the result caption. */
export function describeQuery(q: SelectionQuery, indicatorLabel?: (id: string) => string): string {
  const filter = (f: ProductFilter) =>
    [productTypeLabel(f.type).toLowerCase(), f.company ? `bij ${f.company}` : '', f.branch ? `branche ${f.branch}` : ''].filter(Boolean).join(' ');
  const parts = [
    ...(q.withProducts ?? []).map((f) => `met ${filter(f)}`),
    ...(q.withoutProducts ?? []).map((f) => `zonder ${filter(f)}`),
  ];
  if (q.productType) parts.push(`product ${productTypeLabel(q.productType).toLowerCase()}`);
  if (q.company) parts.push(`maatschappij ${q.company}`);
  if (q.offerStatus) parts.push(`offerte ${q.offerStatus}`);
  if (q.dossierStatus) parts.push(dossierStatusLabel(q.dossierStatus).toLowerCase());
  if (q.dateFrom || q.dateTo) parts.push(`${q.dateOn === 'product' ? 'product' : 'dossier'} van ${q.dateFrom ?? '…'} t/m ${q.dateTo ?? '…'}`);
  if (q.includeOlderDossiers) parts.push('ook oudere dossiers');
  parts.push(...describeMore(q, indicatorLabel));
  return parts.length ? parts.join(', ') : 'alle relaties';
}
