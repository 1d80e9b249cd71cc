/** Shared shape of the checks on office configuration (storno policy, reminder ladder). */

/** The checked value, or every problem found, each readable on its own. */
export type ValidationResult<T> = { ok: true; value: T } | { ok: false; errors: string[] };

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
