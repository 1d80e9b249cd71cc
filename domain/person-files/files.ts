/**
 * Person files (*bestanden* on the CRM card, seed 002): a file kept with a person before any
 * dossier exists, later moved to one of the person's dossiers (or between them, or back to the
 * card). The closed list of what happens to such a file (its history) and the pure rule of
 * where it may go live here; the migration CHECK, the entity and the API schema follow the list.
 */

/** What happened to a person file: attached to the card, moved (between card and dossiers), deleted. */
export const personFileEventKinds = ['attached', 'moved', 'deleted'] as const;
export type PersonFileEventKind = (typeof personFileEventKinds)[number];

/** Why a move is refused, or `same-place` when the file is already there (no move, no audit line). */
export type MoveVerdict = 'move' | 'same-place' | 'deleted' | 'not-an-applicant';

/**
 * Where a file may go: to the card (`to` null) or to a dossier in which the person is an
 * applicant (*aanvrager*); a deleted file goes nowhere. `applicantOf` lists the dossiers the
 * person is an applicant of (of the office: other offices' dossiers never reach this rule).
 */
export function moveVerdict(file: { dossierId: string | null; deleted: boolean }, to: string | null, applicantOf: readonly string[]): MoveVerdict {
  if (file.deleted) return 'deleted';
  if (to === file.dossierId) return 'same-place';
  if (to !== null && !applicantOf.includes(to)) return 'not-an-applicant';
  return 'move';
}
