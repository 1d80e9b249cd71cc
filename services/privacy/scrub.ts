/**
 * Pure helpers of the anonymisation: which strings identify a person, and replacing them in
 * free text and JSON. No I/O, so the rules are cheap to test and shared by anonymise and delete.
 */
export const REDACTED = 'Geanonimiseerd';
export const REDACTED_EMAIL = 'geanonimiseerd@example.invalid';
/** A valid but meaningless date, where a format (the HDN codec) requires one. */
export const REDACTED_DATE = '1900-01-01';

export interface PersonIdentity {
  firstName: string;
  infix: string | null;
  lastName: string;
  birthDate: string | null;
  email: string | null;
  phone: string | null;
  street: string | null;
  houseNumber: number | null;
  houseNumberSuffix: string | null;
  postcode: string | null;
  city: string | null;
  /** Debtor names and IBANs of the contracts that are theirs (collected before they are blanked). */
  debtorNames: string[];
  ibans: string[];
}

export interface Needles {
  /**
   * Strings that name this person and nobody else: full names, e-mail, phone, IBAN, birth date,
   * street with house number, postcode. Safe to replace in office-wide files (SEPA exports,
   * bank statements) where other people's data sits next to theirs.
   */
  strong: string[];
  /**
   * `strong` plus parts that are only identifying in context (first name, last name, street,
   * city): replaced only in rows that belong to the person's own dossiers.
   */
  scoped: string[];
}

const MIN_LENGTH = 3;

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

function dateVariants(iso: string): string[] {
  const [y, m, d] = iso.split('-');
  if (!y || !m || !d) return [iso];
  return [iso, `${d}-${m}-${y}`, `${d}/${m}/${y}`, `${Number(d)}-${Number(m)}-${y}`];
}

function ibanVariants(iban: string): string[] {
  const compact = iban.replace(/\s+/g, '').toUpperCase();
  return [compact, compact.replace(/(.{4})(?=.)/g, '$1 ')];
}

function phoneVariants(phone: string): string[] {
  const digits = phone.replace(/[^0-9+]/g, '');
  return [phone, digits];
}

function postcodeVariants(postcode: string): string[] {
  const compact = postcode.replace(/\s+/g, '').toUpperCase();
  return [compact, `${compact.slice(0, 4)} ${compact.slice(4)}`];
}

/** Longest first (so "Anna Jansen" goes before "Jansen"), deduplicated, XML-escaped variants added. */
function normalise(list: (string | null | undefined)[]): string[] {
  const out = new Set<string>();
  for (const raw of list) {
    const s = raw?.trim();
    if (!s || s.length < MIN_LENGTH || s === REDACTED) continue;
    out.add(s);
    const escaped = escapeXml(s);
    if (escaped !== s) out.add(escaped);
  }
  return [...out].sort((a, b) => b.length - a.length || a.localeCompare(b));
}

export function needlesOf(p: PersonIdentity): Needles {
  const full = [p.firstName, p.infix, p.lastName].filter((s) => s && s.trim()).join(' ');
  const short = [p.firstName, p.lastName].join(' ');
  const initial = p.firstName ? `${p.firstName.slice(0, 1)}. ${[p.infix, p.lastName].filter(Boolean).join(' ')}` : null;
  const house = p.houseNumber === null ? null : `${p.houseNumber}${p.houseNumberSuffix ?? ''}`;
  const streetLine = p.street && house ? [`${p.street} ${house}`, `${p.street} ${p.houseNumber}`] : [];
  const strong = [
    full,
    short,
    initial,
    ...p.debtorNames,
    p.email,
    ...(p.phone ? phoneVariants(p.phone) : []),
    ...p.ibans.flatMap(ibanVariants),
    ...(p.birthDate ? dateVariants(p.birthDate) : []),
    ...streetLine,
    ...(p.postcode ? postcodeVariants(p.postcode) : []),
  ];
  const lastWithInfix = [p.infix, p.lastName].filter((s) => s && s.trim()).join(' ');
  const scoped = [...strong, lastWithInfix, p.lastName, p.firstName, p.street, p.city];
  return { strong: normalise(strong), scoped: normalise(scoped) };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** One case-insensitive pattern for all needles, longest alternative first. */
export function needlePattern(needles: string[]): RegExp | null {
  if (needles.length === 0) return null;
  return new RegExp(needles.map(escapeRegExp).join('|'), 'gi');
}

export function scrubText(text: string, pattern: RegExp | null): string {
  if (!pattern) return text;
  return text.replace(pattern, REDACTED);
}

/** Replaces needles in every string value (not in keys: those are field names) of a JSON value. */
export function scrubJson(value: unknown, pattern: RegExp | null): unknown {
  if (typeof value === 'string') return scrubText(value, pattern);
  if (Array.isArray(value)) return value.map((v) => scrubJson(v, pattern));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubJson(v, pattern)]));
  }
  return value;
}

/** Every string value of a JSON value redacted whole (free text of a dossier that is only theirs). */
export function redactJson(value: unknown): unknown {
  if (typeof value === 'string') return value.trim() === '' ? value : REDACTED;
  if (Array.isArray(value)) return value.map(redactJson);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactJson(v)]));
  }
  return value;
}

/** ILIKE patterns for a SQL prefilter (`col ilike any(array[...])`), backslash-escaped. */
export function likePatterns(needles: string[]): string[] {
  return needles.map((n) => `%${n.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
}
