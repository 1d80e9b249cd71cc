/**
 * Lockout after repeated failed sign-ins (*tijdelijke blokkering*), per account: `maxFailures`
 * failures within `windowMinutes` (counted from the first failure of the run) lock the account
 * for `lockMinutes`. A success resets the count. Pure arithmetic: the store keeps the counters.
 */
export interface LockoutPolicy {
  maxFailures: number;
  windowMinutes: number;
  lockMinutes: number;
}

export const defaultLockoutPolicy: LockoutPolicy = { maxFailures: 5, windowMinutes: 15, lockMinutes: 15 };

export interface FailureState {
  failedCount: number;
  firstFailedAt: Date | null;
  lockedUntil: Date | null;
}

/** Whether the account is locked at `now`, and for how many whole minutes (rounded up) still. */
export function lockedFor(state: FailureState, now: Date): { locked: boolean; minutesLeft: number } {
  if (!state.lockedUntil || state.lockedUntil.getTime() <= now.getTime()) return { locked: false, minutesLeft: 0 };
  return { locked: true, minutesLeft: Math.ceil((state.lockedUntil.getTime() - now.getTime()) / 60_000) };
}

/** The state after one more failure at `now`: a run older than the window starts over. */
export function afterFailure(state: FailureState, now: Date, policy: LockoutPolicy = defaultLockoutPolicy): FailureState {
  const windowMs = policy.windowMinutes * 60_000;
  const runStillOpen = state.firstFailedAt !== null && now.getTime() - state.firstFailedAt.getTime() < windowMs;
  const failedCount = runStillOpen ? state.failedCount + 1 : 1;
  const firstFailedAt = runStillOpen ? state.firstFailedAt : now;
  if (failedCount >= policy.maxFailures) {
    // Locked: the run is over; after the lock the count starts again from zero.
    return { failedCount: 0, firstFailedAt: null, lockedUntil: new Date(now.getTime() + policy.lockMinutes * 60_000) };
  }
  return { failedCount, firstFailedAt, lockedUntil: state.lockedUntil };
}

export const clearedFailures: FailureState = { failedCount: 0, firstFailedAt: null, lockedUntil: null };

/** The session's end: the earlier of the idle timeout from the last use and the absolute lifetime from sign-in. */
export function sessionEnd(createdAt: Date, lastSeenAt: Date, idleMinutes: number, absoluteMinutes: number): Date {
  return new Date(Math.min(lastSeenAt.getTime() + idleMinutes * 60_000, createdAt.getTime() + absoluteMinutes * 60_000));
}
