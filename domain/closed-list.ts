/**
 * A closed list (the statuses, kinds and types of the domain) is defined once, as a readonly
 * tuple of its values, in domain/<feature>/. Entities (`p.enum([...list])`), TypeBox schemas
 * (`literalUnion(list)`) and the migrations' CHECK constraints follow it;
 * test/integration/closed-lists.test.ts compares them.
 */
import { Type, type SchemaOptions, type TLiteral, type TUnion } from '@sinclair/typebox';

/** The TypeBox schema of one value of a closed list. */
export function literalUnion<T extends string>(values: readonly T[], options: SchemaOptions = {}): TUnion<TLiteral<T>[]> {
  return Type.Union(
    values.map((v) => Type.Literal(v)),
    options,
  );
}
