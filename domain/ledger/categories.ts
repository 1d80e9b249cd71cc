/**
 * Default names of the booking categories the platform makes itself: one per product type (the
 * overview groups a participant's income by product, seed 000), and the one for invoices without
 * a product. A central organisation may add its own categories (costs it charges).
 */
const productCategoryNames: Readonly<Record<string, string>> = { service: 'Dienst', mortgage: 'Hypotheek', insurance: 'Verzekering' };

/** The category code of an invoice's or a commission's product type; `advies` without a product. */
export function categoryCodeOfProduct(productType: string | null): string {
  if (!productType) return 'advies';
  return productType.toLowerCase().replace(/[^a-z0-9_-]/g, '-').replace(/^[^a-z0-9]+/, '').slice(0, 40) || 'advies';
}

export function defaultCategoryName(code: string): string {
  if (code === 'advies') return 'Advies';
  return productCategoryNames[code] ?? code.charAt(0).toUpperCase() + code.slice(1);
}
