import { describe, expect, it } from 'vitest';
import { afterFailure, clearedFailures, lockedFor, sessionEnd, type FailureState } from './lockout.js';

const policy = { maxFailures: 5, windowMinutes: 15, lockMinutes: 15 };
const t0 = new Date('2026-12-06T10:00:00Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

function failAt(minutes: readonly number[]): FailureState {
  return minutes.reduce((s, m) => afterFailure(s, at(m), policy), clearedFailures);
}

describe('lockout arithmetic', () => {
  it.each([
    { failures: [0, 1, 2, 3], lockedAt: 4, locked: false },
    { failures: [0, 1, 2, 3, 4], lockedAt: 4, locked: true, minutesLeft: 15 },
    { failures: [0, 1, 2, 3, 14.9], lockedAt: 15, locked: true, minutesLeft: 15 },
    // The fifth failure falls outside the 15 minutes of the first: a new run starts.
    { failures: [0, 1, 2, 3, 15], lockedAt: 15, locked: false },
    { failures: [0, 1, 2, 3, 4], lockedAt: 18.5, locked: true, minutesLeft: 1 },
    { failures: [0, 1, 2, 3, 4], lockedAt: 19, locked: false },
  ])('failures at $failures, asked at $lockedAt → locked $locked', ({ failures, lockedAt, locked, minutesLeft }) => {
    const r = lockedFor(failAt(failures), at(lockedAt));
    expect(r.locked).toBe(locked);
    if (minutesLeft !== undefined) expect(r.minutesLeft).toBe(minutesLeft);
  });

  it('counts a new run from zero after a lock', () => {
    const s = failAt([0, 1, 2, 3, 4, 20]);
    expect(s.failedCount).toBe(1);
    expect(lockedFor(s, at(20)).locked).toBe(false);
  });
});

describe('session end', () => {
  it.each([
    { created: 0, lastSeen: 0, end: 30 },
    { created: 0, lastSeen: 100, end: 130 },
    { created: 0, lastSeen: 710, end: 720 },
  ])('signed in at $created, last used at $lastSeen → ends at $end', ({ created, lastSeen, end }) => {
    expect(sessionEnd(at(created), at(lastSeen), 30, 720)).toEqual(at(end));
  });
});
