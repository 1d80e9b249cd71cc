/**
 * Shared helpers of the activities: failures, insert-if-absent, the dossier context
 * (office, dossier, applicants, product) loaded from PostgreSQL for templates.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { RequiredEntityData, EntityName } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ProductActivityFailure, type ProductActivityFailureType } from './products.contract.js';
import {
  Dossier,
  DossierApplicant,
  Office,
  Person,
  Product,
  ProductPart,
  Template,
  personFullName,
  type TemplateKind,
} from '../db/entities/index.js';
import { TemplateVariableMissingError } from '../services/templates/render.js';

export function nonRetryable(type: ProductActivityFailureType, message: string): ApplicationFailure {
  return ApplicationFailure.create({ type, message, nonRetryable: true });
}

/** Inserts a row unless its unique `conflict` column(s) already exist; true when inserted. */
export async function insertIfAbsent<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  data: RequiredEntityData<T>,
  conflict: string[] = ['key'],
): Promise<boolean> {
  const result = await em
    .createQueryBuilder(entity)
    .insert(data)
    .onConflict(conflict as never)
    .ignore()
    .execute('run');
  return (result.affectedRows ?? 0) > 0;
}

/** "dd-mm-jjjj" in Europe/Amsterdam, from an instant or a calendar date. */
export function formatDateNl(value: Date | string): string {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const [y, m, d] = value.split('-');
    return `${d}-${m}-${y}`;
  }
  const date = typeof value === 'string' ? new Date(value) : value;
  const parts = new Intl.DateTimeFormat('nl-NL', { timeZone: 'Europe/Amsterdam', day: '2-digit', month: '2-digit', year: 'numeric' }).formatToParts(date);
  const get = (t: string): string => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('day')}-${get('month')}-${get('year')}`;
}

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

export async function loadDossierContext(em: EntityManager, dossierId: string, productId?: string): Promise<DossierContext> {
  const dossier = await em.findOne(Dossier, { id: dossierId });
  if (!dossier) throw nonRetryable(ProductActivityFailure.NotFound, `dossier ${dossierId} not found`);
  const office = await em.findOne(Office, { id: dossier.officeId });
  if (!office) throw nonRetryable(ProductActivityFailure.NotFound, `office of dossier ${dossierId} not found`);
  let product: Product | null = null;
  let parts: ProductPart[] = [];
  if (productId) {
    product = await em.findOne(Product, { id: productId });
    if (!product || product.dossierId !== dossierId) {
      throw nonRetryable(ProductActivityFailure.NotFound, `product ${productId} not found in dossier ${dossierId}`);
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

/** The newest version of a template of the given kind. */
export async function loadTemplate(em: EntityManager, key: string, kind: TemplateKind): Promise<Template> {
  const template = await em.findOne(Template, { key, kind }, { orderBy: { version: 'desc' } });
  if (!template) throw nonRetryable(ProductActivityFailure.TemplateMissing, `no ${kind} template "${key}"`);
  return template;
}

/** Runs a render function, turning a missing variable into a non-retryable failure. */
export function renderOrFail<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof TemplateVariableMissingError) throw nonRetryable(ProductActivityFailure.TemplateInvalid, err.message);
    throw err;
  }
}
