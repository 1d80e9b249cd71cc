import { describe, expect, it } from 'vitest';
import { riskClassOriginOf, type RiskClassOrigin, type RiskClassSource } from './retrieval.js';

describe('riskClassOriginOf', () => {
  const cases: [string, RiskClassSource, string | null, RiskClassOrigin][] = [
    ['derived from a retrieval', 'data', 'r-1', 'ockto'],
    ['derived, its retrieval row gone', 'data', null, 'ockto'],
    ['a deviation from a retrieval', 'manual', 'r-1', 'ockto'],
    ['set by hand on the person', 'manual', null, 'manual'],
  ];
  it.each(cases)('%s', (_name, source, retrievalId, origin) => {
    expect(riskClassOriginOf(source, retrievalId)).toBe(origin);
  });
});
