import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

import { templateKinds, type TemplateKind } from '../../domain/work/items.js';

export { templateKinds, type TemplateKind };

/** A versioned mail or document template; the newest version of a key is used. */
export const Template = defineEntity({
  name: 'Template',
  tableName: 'templates',
  properties: {
    id: p.uuid().primary(),
    key: p.text(),
    version: p.integer(),
    kind: p.enum([...templateKinds]),
    /** Mail subject or document title, itself a template. */
    subject: p.text().nullable(),
    body: p.text(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  uniques: [{ properties: ['key', 'version'] }],
});
export type Template = InferEntity<typeof Template>;
