/**
 * Family data of a person (*gezinssituatie*, issue 19 deliverable 6): gender, marital status
 * (*burgerlijke staat*), partnerships with another CRM person over time (current partner,
 * ex-partners, a deceased partner) and children. Pure rules, so the API, the export for advice
 * software and the tests share one truth; the time is passed in as "today" (Amsterdam).
 *
 * Modelling decisions (docs/design/family-data.md):
 * - Marital status is a property of the person (what an advice package asks), the partnership is
 *   the relation between two persons with its own kind and period. They are not derived from each
 *   other: a person may be *gehuwd* to someone who is not in our CRM.
 * - Children are lightweight records on the parent (name, birth date, gender, date of death):
 *   an advice package needs no more, and a child is rarely a client of the office.
 */

/** *Geslacht*. `unknown` = not recorded; `other` = neither man nor woman (*anders*). */
export const genders = ['male', 'female', 'other', 'unknown'] as const;
export type Gender = (typeof genders)[number];

/**
 * *Burgerlijke staat*. Marriage carries its property regime (*huwelijksgoederenregime*), which
 * advice packages ask for: *gemeenschap van goederen* (before 2018 the default), *beperkte
 * gemeenschap* (the default since 2018) and *huwelijkse voorwaarden*. Cohabiting
 * (*samenwonend*) is not a civil status, but advice software asks it in the same question, so it
 * is here, with or without a cohabitation contract (*samenlevingscontract*).
 */
export const maritalStatuses = [
  /** *ongehuwd* (never married, not in a registered partnership). */
  'unmarried',
  /** *gehuwd in gemeenschap van goederen*. */
  'married_community',
  /** *gehuwd in beperkte gemeenschap van goederen*. */
  'married_limited_community',
  /** *gehuwd onder huwelijkse voorwaarden*. */
  'married_prenuptial',
  /** *geregistreerd partnerschap*. */
  'registered_partnership',
  /** *samenwonend met samenlevingscontract*. */
  'cohabiting_contract',
  /** *samenwonend zonder samenlevingscontract*. */
  'cohabiting',
  /** *gescheiden* (also: registered partnership dissolved). */
  'divorced',
  /** *weduwe/weduwnaar*. */
  'widowed',
  /** not recorded. */
  'unknown',
] as const;
export type MaritalStatus = (typeof maritalStatuses)[number];

/** The kind of a partnership between two persons. */
export const partnershipKinds = [
  /** *huwelijk*. */
  'marriage',
  /** *geregistreerd partnerschap*. */
  'registered_partnership',
  /** *samenwonen*. */
  'cohabitation',
] as const;
export type PartnershipKind = (typeof partnershipKinds)[number];

/** Why a partnership ended: *echtscheiding* (divorce, also dissolution of a registered partnership), *uit elkaar* (cohabitation ended), *overlijden* (death). */
export const partnershipEndReasons = ['divorce', 'separation', 'death'] as const;
export type PartnershipEndReason = (typeof partnershipEndReasons)[number];

/** A refusal of a family rule: the input path and why. */
export interface FamilyRuleViolation {
  path: string;
  message: string;
}

const laterThan = (a: string, b: string): boolean => a > b; // YYYY-MM-DD compares as text

/** The facts of one partnership as the rules see them (dates YYYY-MM-DD). */
export interface PartnershipFacts {
  /** The partnership's own id when it exists (an edit compares it with the others, not with itself). */
  id?: string;
  personId: string;
  partnerId: string;
  kind: PartnershipKind;
  startDate: string | null;
  endDate: string | null;
  endReason: PartnershipEndReason | null;
  /** For endReason `death`: which of the two died. */
  deceasedPersonId: string | null;
}

/** What the rules need to know of each of the two persons. */
export interface PartnerFacts {
  id: string;
  birthDate: string | null;
  dateOfDeath: string | null;
}

/**
 * The rules of one partnership (input paths relative to the body):
 * - not with oneself; the end date is not before the start date and not in the future;
 * - an end date needs a reason and a reason needs an end date;
 * - death names which of the two died, and that person's date of death (when recorded) is the end date;
 * - a partnership does not start before either partner was born nor after either died.
 */
export function partnershipViolations(p: PartnershipFacts, persons: { person: PartnerFacts; partner: PartnerFacts }, today: string): FamilyRuleViolation[] {
  const out: FamilyRuleViolation[] = [];
  if (p.personId === p.partnerId) out.push({ path: '/body/partnerId', message: 'a person cannot be their own partner' });
  if (p.startDate !== null && laterThan(p.startDate, today)) out.push({ path: '/body/startDate', message: 'is in the future' });
  if (p.endDate !== null) {
    if (laterThan(p.endDate, today)) out.push({ path: '/body/endDate', message: 'is in the future' });
    if (p.startDate !== null && laterThan(p.startDate, p.endDate)) out.push({ path: '/body/endDate', message: 'is before the start date' });
    if (p.endReason === null) out.push({ path: '/body/endReason', message: 'is required when the partnership has an end date' });
  } else if (p.endReason !== null) {
    out.push({ path: '/body/endDate', message: `is required when the partnership ended (${p.endReason})` });
  }
  if (p.endReason === 'death') {
    if (p.deceasedPersonId !== p.personId && p.deceasedPersonId !== p.partnerId) {
      out.push({ path: '/body/deceasedPersonId', message: 'must name one of the two partners when the partnership ended by death' });
    } else {
      const deceased = p.deceasedPersonId === p.personId ? persons.person : persons.partner;
      if (deceased.dateOfDeath !== null && p.endDate !== null && deceased.dateOfDeath !== p.endDate) {
        out.push({ path: '/body/endDate', message: `must be the date of death recorded on the deceased person (${deceased.dateOfDeath})` });
      }
    }
  } else if (p.deceasedPersonId !== null) {
    out.push({ path: '/body/deceasedPersonId', message: 'is only given when the partnership ended by death' });
  }
  for (const who of [persons.person, persons.partner]) {
    const label = who.id === p.personId ? 'the person' : 'the partner';
    if (p.startDate !== null && who.birthDate !== null && laterThan(who.birthDate, p.startDate)) {
      out.push({ path: '/body/startDate', message: `is before ${label} was born` });
    }
    const diedBefore = who.dateOfDeath !== null && (p.startDate !== null && laterThan(p.startDate, who.dateOfDeath));
    if (diedBefore) out.push({ path: '/body/startDate', message: `is after ${label} died` });
    // A partner who died ends the partnership at the latest on that day.
    if (who.dateOfDeath !== null && (p.endDate === null || laterThan(p.endDate, who.dateOfDeath)) && !(p.endReason === 'death' && p.deceasedPersonId === who.id)) {
      if (p.endDate === null) out.push({ path: '/body/endDate', message: `is required: ${label} died on ${who.dateOfDeath}` });
      else out.push({ path: '/body/endDate', message: `is after ${label} died (${who.dateOfDeath})` });
    }
  }
  return out;
}

/** A partnership's period, an open end meaning "still". */
export interface PartnershipPeriod {
  id: string;
  personId: string;
  partnerId: string;
  startDate: string | null;
  endDate: string | null;
}

/**
 * One partner at a time: of each of the two persons, no other partnership may be current when
 * this one is (two without an end date), nor overlap it in time. An unknown start counts as
 * "since always" (it may overlap anything before its end). Returns the violations, naming the
 * partnership in the way.
 */
export function overlapViolations(p: PartnershipPeriod, others: readonly PartnershipPeriod[]): FamilyRuleViolation[] {
  const out: FamilyRuleViolation[] = [];
  for (const o of others) {
    if (o.id === p.id) continue;
    const shares = [p.personId, p.partnerId].some((id) => id === o.personId || id === o.partnerId);
    if (!shares) continue;
    if (p.endDate === null && o.endDate === null) {
      out.push({ path: '/body/endDate', message: `a person has one current partner at a time: partnership ${o.id} is still current (end it first)` });
      continue;
    }
    // Periods [start, end) overlap when each starts before the other ends (an end day may be the next one's start day).
    const pStartsBeforeOEnds = o.endDate === null || p.startDate === null || p.startDate < o.endDate;
    const oStartsBeforePEnds = p.endDate === null || o.startDate === null || o.startDate < p.endDate;
    if (pStartsBeforeOEnds && oStartsBeforePEnds) {
      out.push({ path: '/body/startDate', message: `overlaps partnership ${o.id} in time: a person has one partner at a time` });
    }
  }
  return out;
}

/** The current partnership among these (no end date), if any. */
export function currentPartnership<T extends { endDate: string | null }>(partnerships: readonly T[]): T | undefined {
  return partnerships.find((p) => p.endDate === null);
}

/** The facts of a child record. */
export interface ChildFacts {
  birthDate: string;
  dateOfDeath: string | null;
}

/** A child's birth date is not in the future nor before the parent's birth; a date of death is not before the birth nor in the future. */
export function childViolations(child: ChildFacts, parent: { birthDate: string | null }, today: string): FamilyRuleViolation[] {
  const out: FamilyRuleViolation[] = [];
  if (laterThan(child.birthDate, today)) out.push({ path: '/body/birthDate', message: 'is in the future' });
  if (parent.birthDate !== null && !laterThan(child.birthDate, parent.birthDate)) out.push({ path: '/body/birthDate', message: 'is not after the parent\'s birth date' });
  if (child.dateOfDeath !== null) {
    if (laterThan(child.dateOfDeath, today)) out.push({ path: '/body/dateOfDeath', message: 'is in the future' });
    if (laterThan(child.birthDate, child.dateOfDeath)) out.push({ path: '/body/dateOfDeath', message: 'is before the birth date' });
  }
  return out;
}

/** The oldest age a birth date may give: older is a typo (1875 for 1975), not a client. */
export const oldestAge = 130;

/**
 * A person's own dates (geboortedatum, overlijdensdatum): the birth not in the future and not
 * giving an age over {@link oldestAge}; the death not in the future, not before the birth.
 */
export function lifeDateViolations(person: { birthDate: string | null; dateOfDeath: string | null }, today: string): FamilyRuleViolation[] {
  const out: FamilyRuleViolation[] = [];
  if (person.birthDate !== null) {
    if (laterThan(person.birthDate, today)) out.push({ path: '/body/birthDate', message: 'is in the future' });
    else if (ageOn(person.birthDate, today) > oldestAge) out.push({ path: '/body/birthDate', message: `gives an age over ${oldestAge} years` });
  }
  if (person.dateOfDeath === null) return out;
  if (laterThan(person.dateOfDeath, today)) out.push({ path: '/body/dateOfDeath', message: 'is in the future' });
  if (person.birthDate !== null && laterThan(person.birthDate, person.dateOfDeath)) out.push({ path: '/body/dateOfDeath', message: 'is before the birth date' });
  return out;
}

/** A child's age in whole years on a day (advice packages count children under 18 or 21). */
export function ageOn(birthDate: string, day: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}
