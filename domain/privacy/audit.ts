/** The closed list of audited privacy acts (privacy_audit.action: the migration CHECK and the API schema follow it). */
export const privacyActions = ['anonymise', 'delete'] as const;
export type PrivacyAction = (typeof privacyActions)[number];
