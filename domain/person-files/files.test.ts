import { describe, expect, it } from 'vitest';
import { moveVerdict, type MoveVerdict } from './files.js';

const A = 'dossier-a';
const B = 'dossier-b';
const FOREIGN = 'dossier-of-someone-else';

describe('moveVerdict', () => {
  const cases: [string, { dossierId: string | null; deleted: boolean }, string | null, MoveVerdict][] = [
    ['card → own dossier', { dossierId: null, deleted: false }, A, 'move'],
    ['dossier → other own dossier', { dossierId: A, deleted: false }, B, 'move'],
    ['dossier → back to the card', { dossierId: A, deleted: false }, null, 'move'],
    ['card → dossier where the person is no applicant', { dossierId: null, deleted: false }, FOREIGN, 'not-an-applicant'],
    ['own dossier → foreign dossier', { dossierId: A, deleted: false }, FOREIGN, 'not-an-applicant'],
    ['already in that dossier', { dossierId: A, deleted: false }, A, 'same-place'],
    ['already on the card', { dossierId: null, deleted: false }, null, 'same-place'],
    ['a deleted file', { dossierId: null, deleted: true }, A, 'deleted'],
  ];
  it.each(cases)('%s', (_name, file, to, expected) => {
    expect(moveVerdict(file, to, [A, B])).toBe(expected);
  });
});
