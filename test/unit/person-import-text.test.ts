/** The person import takes the API's text rule (domain/text.ts): a cell with a control character is a reason, not a person. */
import { describe, expect, it } from 'vitest';
import { validateRow } from '../../services/person-import/import.js';

const today = '2026-12-06';

describe('person import rows and the text rule', () => {
  it.each([
    ['NUL', { firstName: 'Jan\u0000', lastName: 'Jansen' }, /firstName must not contain U\+0000 \(NUL\)/],
    ['ESC', { firstName: 'Jan', lastName: 'Jansen\u001b[31m' }, /lastName must not contain U\+001B \(ESC\)/],
    ['RIGHT-TO-LEFT OVERRIDE', { firstName: 'Jan', lastName: 'Jansen', city: 'Utrecht\u202Efdp.exe' }, /city must not contain U\+202E/],
    ['a line break', { firstName: 'Jan\nJaap', lastName: 'Jansen' }, /firstName must not contain U\+000A \(LINE FEED\)/],
  ])('%s in a cell is a reason', (_what, cells, reason) => {
    const result = validateRow({ row: 2, cells }, today);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reasons.join('; ')).toMatch(reason);
  });

  it('accents, other scripts and emoji stay allowed', () => {
    expect(validateRow({ row: 2, cells: { firstName: 'Zoë 😀', lastName: 'Ærø محمد' } }, today).ok).toBe(true);
  });
});
