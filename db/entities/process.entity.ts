import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { ProcessDefinition } from '../../domain/process/definition.js';

/** A published, immutable version of a process definition. */
export const ProcessDefinitionRecord = defineEntity({
  name: 'ProcessDefinitionRecord',
  tableName: 'process_definitions',
  properties: {
    id: p.uuid().primary(),
    key: p.text(),
    version: p.integer(),
    productType: p.text(),
    name: p.text(),
    definition: p.json<ProcessDefinition>(),
    publishedAt: p.datetime().onCreate(() => new Date()),
  },
  uniques: [{ properties: ['key', 'version'] }],
});
export type ProcessDefinitionRecord = InferEntity<typeof ProcessDefinitionRecord>;
