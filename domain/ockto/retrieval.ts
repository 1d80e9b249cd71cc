/**
 * The closed lists of an Ockto retrieval: the migration CHECKs of the ockto_* tables and
 * risk_class_history, the entities (db/entities/ockto.entity.ts), the API schemas and the
 * workflow follow these.
 */

/** The status of a retrieval (ockto_retrievals.status): open while starting / waiting, then one of the ended ones. */
export const ocktoRetrievalStatuses = ['starting', 'waiting', 'classified', 'declined', 'expired', 'failed'] as const;
export type OcktoRetrievalStatus = (typeof ocktoRetrievalStatuses)[number];

/** The statuses of a retrieval that is still running (its workflow may change it). */
export const openRetrievalStatuses = ['starting', 'waiting'] as const satisfies readonly OcktoRetrievalStatus[];

/** How a retrieval ends (the workflow's outcome, written as its status). */
export const ocktoOutcomes = ['classified', 'declined', 'expired', 'failed'] as const satisfies readonly OcktoRetrievalStatus[];
export type OcktoOutcome = (typeof ocktoOutcomes)[number];

/** What collecting a result found: still pending, the data shared, or the session ended without data. */
export const ocktoCollectStatuses = ['pending', 'shared', 'declined', 'expired', 'failed'] as const;
export type OcktoCollectStatus = (typeof ocktoCollectStatuses)[number];

/** How the source data arrived (ockto_source_data.received_via). */
export const sourceDataVia = ['callback', 'poll'] as const;
export type SourceDataVia = (typeof sourceDataVia)[number];

/** What was done with a callback (ockto_callbacks.outcome; no CHECK in the migration). */
export const callbackOutcomes = ['accepted', 'ignored', 'unknown-session'] as const;
export type CallbackOutcome = (typeof callbackOutcomes)[number];

/** How a callback is answered: accepted (the process is told), a duplicate of an event received before, or ignored (nothing to do). */
export const callbackAnswers = ['accepted', 'duplicate', 'ignored'] as const;
export type CallbackAnswerStatus = (typeof callbackAnswers)[number];

/**
 * Where a risk class record comes from (risk_class_history.source): derived from the data, or an
 * adviser's decision (a deviation from a retrieval, or a class set by hand on the person).
 */
export const riskClassSources = ['data', 'manual'] as const;
export type RiskClassSource = (typeof riskClassSources)[number];

/**
 * The path a history record came by, as the adviser reads it (*Ockto* / *handmatig*): 'ockto'
 * when it belongs to a retrieval (derived from its data, or a deviation from it), 'manual' when
 * an adviser set the class on the person without a retrieval (a client who does not use Ockto).
 */
export const riskClassOrigins = ['ockto', 'manual'] as const;
export type RiskClassOrigin = (typeof riskClassOrigins)[number];

export function riskClassOriginOf(source: RiskClassSource, retrievalId: string | null): RiskClassOrigin {
  // A derived record is Ockto's even if its retrieval row were gone (retrieval_id is set null on delete).
  return source === 'data' || retrievalId !== null ? 'ockto' : 'manual';
}

/** The state of a retrieval's raw source data as the API shows it. */
export const sourceDataStates = ['none', 'stored', 'deleted'] as const;
