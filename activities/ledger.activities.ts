/**
 * The pay-out workflow's side effects (PayoutActivities): one line each into
 * services/ledger/payouts.ts. A refusal (balance too low, pay-out gone) is not retried.
 */
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { approvePayout, cancelPayout, createPayoutFile, settlePayout } from '../services/ledger/payouts.js';
import type { PayoutActivities } from './ledger.contract.js';
import { sharedFailureTypes, withFailureTypes } from './failures.js';

export function createPayoutActivities(deps: { orm: MikroORM }): PayoutActivities {
  const fork = (): EntityManager => deps.orm.em.fork();
  return withFailureTypes(
    {
      approvePayout: (input) => approvePayout(fork(), input),
      createPayoutFile: (input) => createPayoutFile(fork(), input),
      settlePayout: (input) => settlePayout(fork(), input),
      cancelPayout: (input) => cancelPayout(fork(), input),
    },
    sharedFailureTypes,
  );
}
