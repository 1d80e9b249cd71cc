/** Return rules of the simulated bank: which collections come back, and with which reason code. */

export interface ReturnRule {
  /** Matches this EndToEndId exactly. */
  endToEndId?: string;
  /** Matches when the remittance information contains this text (an invoice number, say). */
  remittanceContains?: string;
  /** ISO return reason: AM04, MD06, AC04, MS02, ... */
  reason: string;
}

const REASON = /^[A-Z0-9]{4}$/;

/** Validates rules from JSON (an array, or `{ "rules": [...] }`); throws a TypeError saying what is wrong. */
export function parseReturnRules(value: unknown): ReturnRule[] {
  const list = Array.isArray(value) ? value : isObject(value) && Array.isArray(value.rules) ? value.rules : undefined;
  if (!list) throw new TypeError('expected an array of return rules or {"rules": [...]}');
  return list.map((item: unknown, i) => {
    if (!isObject(item)) throw new TypeError(`rule ${i + 1} must be an object`);
    const { endToEndId, remittanceContains, reason } = item;
    if (typeof reason !== 'string' || !REASON.test(reason)) throw new TypeError(`rule ${i + 1}: reason must be a 4-character ISO code like MD06`);
    if (endToEndId !== undefined && (typeof endToEndId !== 'string' || endToEndId === '')) throw new TypeError(`rule ${i + 1}: endToEndId must be a non-empty string`);
    if (remittanceContains !== undefined && (typeof remittanceContains !== 'string' || remittanceContains === '')) {
      throw new TypeError(`rule ${i + 1}: remittanceContains must be a non-empty string`);
    }
    // A rule without a condition would return every collection: almost certainly a mistake.
    if (endToEndId === undefined && remittanceContains === undefined) throw new TypeError(`rule ${i + 1}: give endToEndId or remittanceContains`);
    const rule: ReturnRule = { reason };
    if (endToEndId !== undefined) rule.endToEndId = endToEndId;
    if (remittanceContains !== undefined) rule.remittanceContains = remittanceContains;
    return rule;
  });
}

/** The reason of the first matching rule (all given conditions must hold), or undefined. */
export function returnReasonFor(rules: readonly ReturnRule[], tx: { endToEndId: string; remittance?: string }): string | undefined {
  const rule = rules.find(
    (r) =>
      (r.endToEndId === undefined || r.endToEndId === tx.endToEndId) &&
      (r.remittanceContains === undefined || (tx.remittance ?? '').includes(r.remittanceContains)),
  );
  return rule?.reason;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
