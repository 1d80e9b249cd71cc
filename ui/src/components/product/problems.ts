/**
 * The API's 400 answers name their fields (`errors: [{ path: '/body/mandate/iban', message }]`);
 * the product screens show each message at the field it names and the rest as one text.
 */
import { ApiError, errorText } from '../../api';
import { fieldMessage } from '../../problem-labels';
import type { Problem } from '../../types';

export interface FieldProblems {
  /** Message per body path without `/body/` (e.g. `mandate/iban`). */
  fields: Record<string, string>;
  /** Everything that names no known field. */
  other: string | undefined;
}

export function problemsOf(err: unknown, known: readonly string[]): FieldProblems {
  const fields: Record<string, string> = {};
  const rest: string[] = [];
  if (err instanceof ApiError && err.status === 400) {
    const errors = (err.body as Partial<Problem> | undefined)?.errors ?? [];
    for (const e of errors) {
      const path = (e.path ?? '').replace(/^\/body\/?/, '');
      // A missing property is reported on /body with its name in the message.
      const field = known.includes(path) ? path : known.find((f) => path === '' && e.message?.includes(`'${f}'`));
      if (field && e.message) fields[field] = fields[field] ? `${fields[field]}; ${fieldMessage(e.message)}` : fieldMessage(e.message);
      else if (e.message) rest.push(`${path || 'invoer'} ${fieldMessage(e.message)}`);
    }
    if (Object.keys(fields).length > 0) return { fields, other: rest.length ? rest.join('; ') : undefined };
  }
  return { fields, other: errorText(err) };
}

/** "25,00" or "25.5" or "€ 1.250,00" → cents; undefined when it is no amount. */
export function centsOf(text: string): number | undefined {
  const t = text.replace(/[€\s]/g, '');
  if (!t) return undefined;
  // Dutch notation: dots group thousands, the comma is the decimal sign; a lone dot is a decimal sign.
  const normalised = t.includes(',') ? t.replace(/\./g, '').replace(',', '.') : t;
  if (!/^\d+(\.\d{1,2})?$/.test(normalised)) return undefined;
  return Math.round(Number(normalised) * 100);
}
