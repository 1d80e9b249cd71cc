/** Rules of the simulated bank: which collections come back (returned or rejected) and why, and how it reports batches. */

export interface ReturnRule {
  /** Matches this EndToEndId exactly. */
  endToEndId?: string;
  /** Matches when the remittance information contains this text (an invoice number, say). */
  remittanceContains?: string;
  /** ISO return reason: AM04, MD06, AC04, MS02, ... */
  reason: string;
  /**
   * return (default): collected, then returned (a debit on a camt statement);
   * reject: refused before settlement (a pain.002, and left out of the credit).
   */
  stage?: 'return' | 'reject';
}

const REASON = /^[A-Z0-9]{4}$/;

/** Validates rules from JSON (an array, or `{ "rules": [...] }`); throws a TypeError saying what is wrong. */
export function parseReturnRules(value: unknown): ReturnRule[] {
  const list = Array.isArray(value) ? value : isObject(value) && Array.isArray(value.rules) ? value.rules : undefined;
  if (!list) throw new TypeError('expected an array of return rules or {"rules": [...]}');
  return list.map((item: unknown, i) => {
    if (!isObject(item)) throw new TypeError(`rule ${i + 1} must be an object`);
    const { endToEndId, remittanceContains, reason, stage } = item;
    if (stage !== undefined && stage !== 'return' && stage !== 'reject') throw new TypeError(`rule ${i + 1}: stage must be "return" or "reject"`);
    if (typeof reason !== 'string' || !REASON.test(reason)) throw new TypeError(`rule ${i + 1}: reason must be a 4-character ISO code like MD06`);
    if (endToEndId !== undefined && (typeof endToEndId !== 'string' || endToEndId === '')) throw new TypeError(`rule ${i + 1}: endToEndId must be a non-empty string`);
    if (remittanceContains !== undefined && (typeof remittanceContains !== 'string' || remittanceContains === '')) {
      throw new TypeError(`rule ${i + 1}: remittanceContains must be a non-empty string`);
    }
    // A rule without a condition would return every collection: almost certainly a mistake.
    if (endToEndId === undefined && remittanceContains === undefined) throw new TypeError(`rule ${i + 1}: give endToEndId or remittanceContains`);
    const rule: ReturnRule = { reason };
    if (stage !== undefined) rule.stage = stage;
    if (endToEndId !== undefined) rule.endToEndId = endToEndId;
    if (remittanceContains !== undefined) rule.remittanceContains = remittanceContains;
    return rule;
  });
}

/** The first matching rule (all given conditions must hold), or undefined. */
export function returnRuleFor(rules: readonly ReturnRule[], tx: { endToEndId: string; remittance?: string }): ReturnRule | undefined {
  return rules.find(
    (r) =>
      (r.endToEndId === undefined || r.endToEndId === tx.endToEndId) &&
      (r.remittanceContains === undefined || (tx.remittance ?? '').includes(r.remittanceContains)),
  );
}

/** The reason of the first matching rule, or undefined. */
export function returnReasonFor(rules: readonly ReturnRule[], tx: { endToEndId: string; remittance?: string }): string | undefined {
  return returnRuleFor(rules, tx)?.reason;
}

/**
 * How the bank reports a batch (set per request, like the return rules, for batches received
 * afterwards):
 * - credit: `transactions` (one credit entry with a TxDtls per collection, no Btch: the default),
 *   `batch` (one entry per PmtInf with NtryDtls/Btch only: no per-transaction credit at all, as
 *   many Dutch statements), or `batch-details` (Btch and a TxDtls per collection);
 * - returns: `with-credit` (debit entries in the same statement: the default), `later` (their own
 *   camt.054, delivered after the statement), or `before-credit` (their own camt.054, delivered
 *   before the statement);
 * - version: camt .001.02 (default) or .001.08.
 */
export interface BankReporting {
  credit: 'transactions' | 'batch' | 'batch-details';
  returns: 'with-credit' | 'later' | 'before-credit';
  version: '001.02' | '001.08';
}

export const defaultReporting: Readonly<BankReporting> = Object.freeze({ credit: 'transactions', returns: 'with-credit', version: '001.02' });

const CHOICES = {
  credit: ['transactions', 'batch', 'batch-details'],
  returns: ['with-credit', 'later', 'before-credit'],
  version: ['001.02', '001.08'],
} as const;

/** Validates a (partial) reporting setting from JSON or query parameters over `base`; throws a TypeError saying what is wrong. */
export function parseReporting(value: unknown, base: BankReporting = defaultReporting): BankReporting {
  if (!isObject(value)) throw new TypeError('expected an object like {"credit":"batch","returns":"later","version":"001.02"}');
  const out: BankReporting = { ...base };
  for (const [key, choices] of Object.entries(CHOICES) as [keyof BankReporting, readonly string[]][]) {
    const v = value[key];
    if (v === undefined) continue;
    if (typeof v !== 'string' || !choices.includes(v)) throw new TypeError(`${key} must be one of ${choices.join(', ')}`);
    (out as unknown as Record<string, string>)[key] = v;
  }
  const unknown = Object.keys(value).filter((k) => !(k in CHOICES));
  if (unknown.length > 0) throw new TypeError(`unknown setting(s): ${unknown.join(', ')}`);
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
