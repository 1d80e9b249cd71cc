/**
 * The dossier as templates see it: office, dossier, applicants (persons) and optionally the
 * product with its parts, loaded from PostgreSQL. The data made from it never leaves the
 * process that renders (no personal data in Temporal).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { Dossier, DossierApplicant, Office, Person, Product, ProductPart, personFullName } from '../../db/entities/index.js';
import { DomainError, refuse } from '../../domain/errors.js';

export interface Applicant {
  position: number;
  person: Person;
}

export interface DossierContext {
  office: Office;
  dossier: Dossier;
  applicants: Applicant[];
  product: Product | null;
  parts: ProductPart[];
}

/** Made once: constructing an Intl.DateTimeFormat costs about 0.2 ms (an invoice run formats a date per invoice and person). */
const amsterdamDate = new Intl.DateTimeFormat('nl-NL', { timeZone: 'Europe/Amsterdam', day: '2-digit', month: '2-digit', year: 'numeric' });

/** "dd-mm-jjjj" in Europe/Amsterdam, from an instant or a calendar date. */
export function formatDateNl(value: Date | string): string {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const [y, m, d] = value.split('-');
    return `${d}-${m}-${y}`;
  }
  const date = typeof value === 'string' ? new Date(value) : value;
  const parts = amsterdamDate.formatToParts(date);
  const get = (t: string): string => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('day')}-${get('month')}-${get('year')}`;
}

/** Throws a not-found refusal when the dossier, its office or the product (in that dossier) is missing. */
export async function loadDossierContext(em: EntityManager, dossierId: string, productId?: string): Promise<DossierContext> {
  const dossier = await em.findOne(Dossier, { id: dossierId });
  if (!dossier) throw refuse.notFound('dossier', dossierId);
  const office = await em.findOne(Office, { id: dossier.officeId });
  if (!office) throw refuse.notFound(`office of dossier ${dossierId}`);
  let product: Product | null = null;
  let parts: ProductPart[] = [];
  if (productId) {
    product = await em.findOne(Product, { id: productId });
    if (!product || product.dossierId !== dossierId) {
      throw new DomainError('not-found', 'not-found', `product ${productId} not found in dossier ${dossierId}`);
    }
    parts = await em.find(ProductPart, { productId }, { orderBy: { number: 'asc' } });
  }
  const links = await em.find(DossierApplicant, { dossierId }, { orderBy: { position: 'asc' } });
  const persons = links.length ? await em.find(Person, { id: { $in: links.map((l) => l.personId) } }) : [];
  const applicants: Applicant[] = [];
  for (const link of links) {
    const person = persons.find((p) => p.id === link.personId);
    if (person) applicants.push({ position: link.position, person });
  }
  return { office, dossier, applicants, product, parts };
}

export function personData(person: Person): Record<string, unknown> {
  return {
    firstName: person.firstName,
    infix: person.infix ?? '',
    lastName: person.lastName,
    fullName: personFullName(person),
    birthDate: person.birthDate ? formatDateNl(person.birthDate) : 'onbekend',
    email: person.email ?? '',
  };
}

/** The template data of a dossier: never leaves the activity (no personal data in Temporal). */
export function contextData(ctx: DossierContext, now: Date): Record<string, unknown> {
  const names = ctx.applicants.map((a) => personFullName(a.person));
  const data: Record<string, unknown> = {
    today: formatDateNl(now),
    office: { name: ctx.office.name },
    dossier: { number: ctx.dossier.number, status: ctx.dossier.status },
    applicants: {
      count: ctx.applicants.length,
      names: names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} en ${names[names.length - 1]}`,
      lines: ctx.applicants
        .map((a) => `${personFullName(a.person)}, geboren ${a.person.birthDate ? formatDateNl(a.person.birthDate) : 'onbekend'}`)
        .join('\n'),
    },
  };
  for (const a of ctx.applicants) data[`applicant${a.position}`] = personData(a.person);
  if (ctx.product) {
    data.product = { type: ctx.product.type, company: ctx.product.company ?? '', status: ctx.product.status };
    data.services = ctx.parts.length
      ? ctx.parts.map((p) => `- ${p.description}`).join('\n')
      : `- ${ctx.product.type}`;
  }
  return data;
}
