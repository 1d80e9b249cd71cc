/** The closed list of audited privacy acts (privacy_audit.action: the migration CHECK and the API schema follow it). */
/**
 * `advice_export`: a dossier's client data exported for advice software (issue 19 deliverable 7):
 * who took which dossier's personal data out of the platform, one record per exported person.
 */
export const privacyActions = ['anonymise', 'delete', 'advice_export'] as const;
export type PrivacyAction = (typeof privacyActions)[number];
