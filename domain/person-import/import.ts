/** The closed lists of a person import (person_imports: the migration CHECKs and the API schema follow these). */

/** The status of an import (person_imports.status). */
export const personImportStatuses = ['running', 'done', 'failed'] as const;
export type PersonImportStatusCode = (typeof personImportStatuses)[number];

/** The file formats an import reads (person_imports.format). */
export const personImportFormats = ['csv', 'xlsx'] as const;
export type PersonImportFormat = (typeof personImportFormats)[number];
