/**
 * Small accessors and a builder on the generic model, for the mappings on top (RISK next): they
 * name labels without their prefix (`label(pp, 'NUMMER')` reads `PP_NUMMER`) so a mapping reads
 * like the AFD definition, and build entities with their generic labels first.
 */
import { AfdGenericLabel, type AfdEntity, type AfdMessage } from './types.js';

/** The raw value of `<CODE>_<name>` in `entity` ("" for an empty element); undefined when absent. */
export function label(entity: AfdEntity, name: string): string | undefined {
  return entity.attributes[`${entity.code}_${name}`];
}

/** The entities with `code` directly under a message or an entity, in order. */
export function childrenOf(parent: AfdMessage | AfdEntity, code: string): AfdEntity[] {
  return ('kind' in parent ? parent.entities : parent.children).filter((e) => e.code === code);
}

/** The entities reached by following codes from the message: entitiesAt(m, ['PP', 'VP']) = every VP in every top-level PP. */
export function entitiesAt(message: AfdMessage, codes: readonly string[]): AfdEntity[] {
  let level: AfdEntity[] = [];
  codes.forEach((code, i) => {
    level = i === 0 ? childrenOf(message, code) : level.flatMap((e) => childrenOf(e, code));
  });
  return level;
}

/**
 * An entity from short label names (prefix added), skipping undefined values, with ENTITEI and,
 * when given, VOLGNUM first (as AFD writes them): afdEntity('VP', { ANAAM: 'X' }, { sequence: 1 }).
 */
export function afdEntity(
  code: string,
  labels: Readonly<Record<string, string | undefined>>,
  options: { sequence?: number; children?: readonly AfdEntity[] } = {},
): AfdEntity {
  const attributes: Record<string, string> = { [`${code}_${AfdGenericLabel.Entity}`]: code };
  if (options.sequence !== undefined) attributes[`${code}_${AfdGenericLabel.Sequence}`] = String(options.sequence);
  for (const [name, value] of Object.entries(labels)) if (value !== undefined) attributes[`${code}_${name}`] = value;
  return { code, attributes, children: options.children ?? [] };
}
