/**
 * Property tests of the process-definition validator: any JSON, and shipped definitions with
 * random parts changed or removed, get a list of problems with paths (never an exception), and a
 * definition it accepts is one the interpreter's rules can walk.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ProcessDefinition } from '../../domain/process/definition.js';
import { availableSteps, validateDefinition } from '../../domain/process/rules.js';
import { shippedProcesses } from '../../domain/processes/index.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Sets (or deletes, when `value` is undefined) the value at a path of object keys / array indexes. */
function mutateAt(root: Json, path: number[], value: Json | undefined): Json {
  const copy = JSON.parse(JSON.stringify(root)) as Json;
  let node: Json = copy;
  for (let i = 0; i < path.length; i++) {
    if (node === null || typeof node !== 'object') return copy;
    const keys = Array.isArray(node) ? node.map((_, j) => String(j)) : Object.keys(node);
    if (keys.length === 0) return copy;
    const key = keys[path[i]! % keys.length]!;
    const last = i === path.length - 1;
    const container = node as Record<string, Json>;
    if (last) {
      if (value === undefined) {
        if (Array.isArray(node)) node.splice(Number(key), 1);
        else delete container[key];
      } else {
        container[key] = value;
      }
      return copy;
    }
    node = container[key]!;
  }
  return copy;
}

const jsonValue = fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>;
const shipped = shippedProcesses.map((d) => JSON.parse(JSON.stringify(d)) as Json);

function checkProblems(problems: { path: string; message: string }[]): void {
  expect(Array.isArray(problems)).toBe(true);
  for (const p of problems) {
    expect(typeof p.path).toBe('string');
    expect(p.path.startsWith('/')).toBe(true);
    expect(p.message.length).toBeGreaterThan(0);
  }
}

describe('process-definition validator under fuzzing', () => {
  it('accepts the shipped definitions', () => {
    for (const def of shippedProcesses) expect(validateDefinition(def)).toEqual([]);
  });

  it('answers arbitrary JSON with problems, never an exception', () => {
    fc.assert(
      fc.property(jsonValue, (value) => {
        const problems = validateDefinition(value);
        checkProblems(problems);
        expect(problems.length).toBeGreaterThan(0);
      }),
      { numRuns: 1000 },
    );
  });

  it('answers shipped definitions with one part replaced or removed with problems or a walkable definition', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...shipped),
        fc.array(fc.nat(), { minLength: 1, maxLength: 6 }),
        fc.option(jsonValue, { nil: undefined }),
        (def, path, value) => {
          const mutated = mutateAt(def, path, value);
          const problems = validateDefinition(mutated);
          checkProblems(problems);
          if (problems.length === 0) {
            // Accepted: every status's available steps can be computed and point at known statuses.
            const d = mutated as unknown as ProcessDefinition;
            const codes = new Set(d.statuses.map((s) => s.code));
            for (const s of d.statuses) {
              for (const step of availableSteps(d, s.code)) expect(d.steps.some((x) => x.id === step.id)).toBe(true);
            }
            for (const step of d.steps) if (step.to) expect(codes.has(step.to)).toBe(true);
          }
        },
      ),
      { numRuns: 1500 },
    );
  });
});
