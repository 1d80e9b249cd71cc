/**
 * The closed lists of the RISK inbox (`risk_messages`): how a stored RISK message came in and
 * where it stands. The migration's CHECKs, the entity, the API schemas and the code follow these.
 */

/** How a RISK message reached us: RISK's webhook, or the polling fallback. */
export const riskMessageSources = ['webhook', 'poll'] as const;
export type RiskMessageSource = (typeof riskMessageSources)[number];

/**
 * Life of a stored RISK message: received (stored, not routed yet) → waiting (no dossier/person
 * matched: waits in the RISK inbox for an adviser) or delivered (signalled to the insurance
 * product's workflow) → applied / ignored (older or conflicting; the reason says why) /
 * recorded (the product's process has ended). Parked: stored, but it failed RISK's AFD XSD
 * (XSD_DIR_AFD); the reason holds the validator's words and it is never routed, not even by hand.
 */
export const riskMessageStates = ['received', 'waiting', 'parked', 'delivered', 'applied', 'ignored', 'recorded'] as const;
export type RiskMessageState = (typeof riskMessageStates)[number];

/** The states routing may still move a message out of (the workflow may have applied it meanwhile). */
export const routableRiskMessageStates = ['received', 'waiting'] as const satisfies readonly RiskMessageState[];

/** What applying a delivered message to its product ends in (the insurance workflow's activity). */
export const riskMessageOutcomes = ['applied', 'ignored'] as const satisfies readonly RiskMessageState[];
export type RiskMessageOutcome = (typeof riskMessageOutcomes)[number];
