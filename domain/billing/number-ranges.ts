/**
 * Ranges of consecutive invoice numbers (`<year>-<seq>`), the unit in which the invoice run
 * issues what it numbered: the run's chunks return the range they numbered, and each range is
 * issued in parts of ISSUE_RANGE_SIZE (one activity each). Pure: the run workflow uses it.
 */
import type { InvoiceNumberRange } from './side-effects.js';

/** Invoices per issue activity: rendering and mailing them takes about a second on a quiet machine. */
export const ISSUE_RANGE_SIZE = 250;

/** The range in parts of at most `size` numbers, in order. */
export function splitRange(range: InvoiceNumberRange, size = ISSUE_RANGE_SIZE): InvoiceNumberRange[] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`size must be a whole number ≥ 1: ${size}`);
  const out: InvoiceNumberRange[] = [];
  for (let from = range.from; from <= range.to; from += size) out.push({ year: range.year, from, to: Math.min(range.to, from + size - 1) });
  return out;
}

/** The invoice number of a sequence number: at least five digits, as insertNumberedInvoice makes it. */
export function invoiceNumberOf(year: number, seq: number): string {
  return `${year}-${String(seq).padStart(5, '0')}`;
}

/** Sequence numbers (any order, one year or several) as ranges of consecutive numbers of at most `size`. */
export function rangesOf(numbers: readonly { year: number; seq: number }[], size = ISSUE_RANGE_SIZE): InvoiceNumberRange[] {
  const sorted = [...numbers].sort((a, b) => a.year - b.year || a.seq - b.seq);
  const out: InvoiceNumberRange[] = [];
  for (const s of sorted) {
    const last = out.at(-1);
    if (last && last.year === s.year && last.to === s.seq - 1 && last.to - last.from + 1 < size) last.to = s.seq;
    else if (!(last && last.year === s.year && last.to === s.seq)) out.push({ year: s.year, from: s.seq, to: s.seq });
  }
  return out;
}
