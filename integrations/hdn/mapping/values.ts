/**
 * HDN leaf text <-> our values, per value kind (schema.ts). Pure; errors say what was expected
 * and the caller adds the element path.
 *
 * Amounts: HDN writes decimal euros ("250000.00"); we keep integer cents, so nothing is ever
 * rounded: more than two decimals is refused rather than guessed.
 */
import { isCalendarDate } from '../../../domain/dates.js';
import type { ValueKind } from './schema.js';

/** One leaf's value. */
export type MappedScalar = string | number | boolean;

const AMOUNT = /^(-?)([0-9]+)(?:\.([0-9]{1,2}))?$/;
const INTEGER = /^[0-9]+$/;
const RATE = /^[0-9]{1,3}(\.[0-9]+)?$/;
// A plain character class (no repeated group): linear on megabytes of content.
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const TIME = /^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$/;

/** The value of `text` as `kind`, or a problem ("must be J or N, got \"x\""). */
export function fromText(kind: ValueKind, text: string): { value: MappedScalar } | { problem: string } {
  const got = `got ${JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}...` : text)}`;
  switch (kind) {
    case 'text':
    case 'code':
      return { value: text };
    case 'amount': {
      const m = AMOUNT.exec(text);
      if (!m) return { problem: `must be an amount in euros like "1234.50", ${got}` };
      const [, sign, euros = '', decimals = ''] = m;
      const cents = Number(euros) * 100 + Number(decimals.padEnd(2, '0'));
      if (!Number.isSafeInteger(cents)) return { problem: `is too large, ${got}` };
      return { value: sign === '-' && cents !== 0 ? -cents : cents };
    }
    case 'boolean':
      if (text === 'J' || text === 'j') return { value: true };
      if (text === 'N' || text === 'n') return { value: false };
      return { problem: `must be J or N, ${got}` };
    case 'date':
      return isCalendarDate(text) ? { value: text } : { problem: `must be a date YYYY-MM-DD, ${got}` };
    case 'time':
      return TIME.test(text) ? { value: text } : { problem: `must be a time HH:MM:SS, ${got}` };
    case 'integer': {
      if (!INTEGER.test(text)) return { problem: `must be a whole number, ${got}` };
      const n = Number(text);
      return Number.isSafeInteger(n) ? { value: n } : { problem: `is too large, ${got}` };
    }
    case 'rate':
      return RATE.test(text) ? { value: text } : { problem: `must be a decimal percentage like "3.85", ${got}` };
    case 'base64': {
      // Base64 is often wrapped at 76 columns; the line breaks are not part of the content.
      const compact = text.replace(/\s+/g, '');
      return compact.length % 4 === 0 && BASE64.test(compact) ? { value: compact } : { problem: 'must be base64' };
    }
  }
}

/** The leaf text for `value` as `kind`, or a problem when the value does not fit the kind. */
export function toText(kind: ValueKind, value: MappedScalar): { text: string } | { problem: string } {
  switch (kind) {
    case 'amount': {
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) return { problem: `must be whole cents, got ${JSON.stringify(value)}` };
      const abs = Math.abs(value);
      return { text: `${value < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}` };
    }
    case 'boolean':
      return typeof value === 'boolean' ? { text: value ? 'J' : 'N' } : { problem: `must be true or false, got ${JSON.stringify(value)}` };
    case 'integer':
      return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
        ? { text: String(value) }
        : { problem: `must be a non-negative whole number, got ${JSON.stringify(value)}` };
    default: {
      if (typeof value !== 'string') return { problem: `must be a string, got ${JSON.stringify(value)}` };
      // Written text must read back the same: check it with the reader's own rule.
      const back = fromText(kind, value);
      return 'problem' in back ? { problem: back.problem } : { text: value };
    }
  }
}
