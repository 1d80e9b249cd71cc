/**
 * Premium and coverage mapping: AFD amounts are decimal euros ("123.45", "-5,00"); the
 * platform keeps integer cents (DOMAIN: money is integer cents). Coverages become product
 * parts (*rechterdelen*), one per coverage code, numbered in the order RISK lists them.
 */

const AMOUNT = /^(-?)([0-9]{1,9})(?:[.,]([0-9]{1,2}))?$/;

/** Decimal euros to integer cents; undefined when the text is not an amount. */
export function amountToCents(text: string): number | undefined {
  const m = AMOUNT.exec(text.trim());
  if (!m) return undefined;
  const euros = Number(m[2]);
  const cents = Number((m[3] ?? '0').padEnd(2, '0'));
  const value = euros * 100 + cents;
  return m[1] === '-' ? -value : value;
}

/** Integer cents as an AFD amount ("123.45"). */
export function centsToAmount(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

export interface CoverageLike {
  code: string;
  description: string;
  premiumCents: number;
}

export interface PartPlan {
  number: number;
  code: string;
  description: string;
  premiumCents: number;
}

/**
 * The product parts for a set of coverages: one part per coverage code (a code listed twice
 * is one coverage, the last listing wins), numbered from 1 in RISK's order.
 */
export function partsForCoverages(coverages: readonly CoverageLike[]): PartPlan[] {
  const byCode = new Map<string, CoverageLike>();
  const order: string[] = [];
  for (const c of coverages) {
    if (!byCode.has(c.code)) order.push(c.code);
    byCode.set(c.code, c);
  }
  return order.map((code, i) => {
    const c = byCode.get(code)!;
    return { number: i + 1, code, description: `${c.description} (${code})`, premiumCents: c.premiumCents };
  });
}

/** Total premium of the coverages, when RISK sent no total. */
export function totalPremiumCents(coverages: readonly CoverageLike[]): number {
  return partsForCoverages(coverages).reduce((sum, p) => sum + p.premiumCents, 0);
}
