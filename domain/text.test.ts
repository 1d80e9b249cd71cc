import { describe, expect, it } from 'vitest';
import { describeCodePoint, forbiddenCharacter, isTextOfKind, textProblem } from './text.js';

describe('the text rule', () => {
  it.each([
    ['NUL', 'a\u0000b', 0x00],
    ['ESC', 'a\u001b[31m', 0x1b],
    ['DEL', 'a\u007f', 0x7f],
    ['a C1 control', 'a\u0085', 0x85],
    ['RIGHT-TO-LEFT OVERRIDE', 'fdp\u202Eexe', 0x202e],
    ['FIRST STRONG ISOLATE', 'a\u2068b', 0x2068],
    ['a lone high surrogate', 'a\uD800b', 0xd800],
    ['a lone low surrogate', 'a\uDC00', 0xdc00],
    ['U+FFFF', 'a\uFFFF', 0xffff],
  ])('%s is refused in every kind of text', (_name, text, codePoint) => {
    expect(forbiddenCharacter(text, 'free')?.codePoint).toBe(codePoint);
    expect(forbiddenCharacter(text, 'line')?.codePoint).toBe(codePoint);
  });

  it.each([
    ['TAB', 'a\tb'],
    ['LINE FEED', 'a\nb'],
    ['CARRIAGE RETURN', 'a\r\nb'],
    ['LINE SEPARATOR', 'a\u2028b'],
  ])('%s is free text, not one line', (_name, text) => {
    expect(isTextOfKind(text, 'line')).toBe(false);
    expect(textProblem(text, 'line')).toMatch(/a single line of text/);
  });
  it('tab and line breaks are free text', () => {
    expect(isTextOfKind('a\tb\r\nc', 'free')).toBe(true);
  });

  it('accents, scripts, emoji (surrogate pairs) and the zero-width joiner are text', () => {
    for (const text of ['Zoë Ærø', 'محمد', '日本語', '😀🏠', '👩‍👩‍👧', "O'Neill-van der Berg"]) expect(isTextOfKind(text, 'line')).toBe(true);
  });

  it('names the character it refuses', () => {
    expect(describeCodePoint(0x1b)).toBe('U+001B (ESC)');
    expect(describeCodePoint(0xd800)).toBe('U+D800 (lone surrogate)');
    expect(textProblem('a\u0000', 'free')).toMatch(/must not contain U\+0000 \(NUL\)/);
  });
});
