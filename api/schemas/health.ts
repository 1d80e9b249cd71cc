import { Type } from '@sinclair/typebox';

export const LiveSchema = Type.Object({ status: Type.Literal('live') });

export const CheckSchema = Type.Object({
  status: Type.Union([Type.Literal('up'), Type.Literal('down')]),
  latencyMs: Type.Optional(Type.Integer()),
  error: Type.Optional(Type.String()),
});

export const ReadySchema = Type.Object(
  {
    status: Type.Literal('ready'),
    checks: Type.Object({ postgres: CheckSchema, temporal: CheckSchema }),
  },
  { $id: 'Readiness' },
);
