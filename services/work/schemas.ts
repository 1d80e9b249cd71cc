import { Type } from '@sinclair/typebox';
import { literalUnion } from '../../domain/closed-list.js';
import { taskAssignees, taskStatuses } from '../../domain/work/items.js';
import { IdSchema, PagingQuerySchema } from '../shared/schemas.js';
import { MailSchema, TaskSchema } from '../dossiers/schemas.js';

export const TaskQuerySchema = Type.Object(
  {
    status: Type.Optional(literalUnion(taskStatuses)),
    assignee: Type.Optional(literalUnion(taskAssignees)),
    dossierId: Type.Optional(IdSchema),
    ...PagingQuerySchema,
  },
  { additionalProperties: false },
);
export const TaskListSchema = Type.Object({
  items: Type.Array(TaskSchema),
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
});

export const MailQuerySchema = Type.Object({ dossierId: Type.Optional(IdSchema), ...PagingQuerySchema }, { additionalProperties: false });
export const MailListSchema = Type.Object({
  items: Type.Array(MailSchema),
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
});
