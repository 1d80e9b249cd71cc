/**
 * The Ockto workflow's activity contract: the interface and its data types are defined in
 * domain/ockto/side-effects.ts (so services can take the same inputs); the failure types the
 * workflow decides on are defined here and in integrations/ockto/errors.ts (OcktoErrorType).
 */
export type {
  CollectedOcktoResult,
  OcktoActivities,
  OcktoCollectStatus,
  OcktoPolicy,
  OcktoReminderResult,
  RecordOcktoOutcomeInput,
  StartedOcktoSession,
} from '../domain/ockto/side-effects.js';

export const OcktoActivityFailure = {
  NotFound: 'OcktoRetrievalNotFound',
} as const;
