/** The template a process renders: the newest published version of a key, rendered or refused with a reason. */
import type { EntityManager } from '@mikro-orm/postgresql';
import { Template, type TemplateKind } from '../../db/entities/index.js';
import { DomainError } from '../../domain/errors.js';
import { TemplateVariableMissingError } from './render.js';

/** The newest version of a template of the given kind; refused `template-missing` when there is none. */
export async function loadTemplate(em: EntityManager, key: string, kind: TemplateKind): Promise<Template> {
  const template = await em.findOne(Template, { key, kind }, { orderBy: { version: 'desc' } });
  if (!template) throw new DomainError('unprocessable', 'template-missing', `no ${kind} template "${key}"`);
  return template;
}

/** Runs a render function, turning a missing variable into a `template-invalid` refusal. */
export function renderOrFail<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof TemplateVariableMissingError) throw new DomainError('unprocessable', 'template-invalid', err.message);
    throw err;
  }
}
