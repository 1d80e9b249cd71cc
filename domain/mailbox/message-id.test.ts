import { describe, expect, it } from 'vitest';
import { normaliseMessageId, syntheticMessageId } from './message-id.js';

describe('normaliseMessageId', () => {
  const cases: [string, string | undefined | null, string | undefined][] = [
    ['brackets removed', '<abc.123@mail.example.nl>', 'abc.123@mail.example.nl'],
    ['domain lower-cased, left part kept', '<AbC.123@Mail.EXAMPLE.nl>', 'AbC.123@mail.example.nl'],
    ['folded over lines', '<abc.123@\r\n mail.example.nl>', 'abc.123@mail.example.nl'],
    ['surrounding spaces', '   <x@y.nl>  ', 'x@y.nl'],
    ['without brackets', 'x@y.nl', 'x@y.nl'],
    ['first of several', '<a@b.nl> <c@d.nl>', 'a@b.nl'],
    ['comment before', '(comment) <a@b.nl>', 'a@b.nl'],
    ['@ in left part: the last @ splits', '<"a@b"@Host.NL>', '"a@b"@host.nl'],
    ['empty brackets', '<>', undefined],
    ['empty', '', undefined],
    ['only spaces', '   ', undefined],
    ['no @', '<abcdef>', undefined],
    ['@ at the end', '<abc@>', undefined],
    ['@ at the start', '<@abc>', undefined],
    ['undefined', undefined, undefined],
    ['null', null, undefined],
    ['too long', `<${'a'.repeat(995)}@b.nl>`, undefined],
  ];
  it.each(cases)('%s', (_name, header, expected) => {
    expect(normaliseMessageId(header)).toBe(expected);
  });

  it('gives the same id for the same mail however it is written', () => {
    const forms = ['<Id-1@Example.NL>', ' <Id-1@example.nl>', '<Id-1@\r\n\texample.nl>', 'Id-1@EXAMPLE.nl'];
    expect(new Set(forms.map(normaliseMessageId))).toEqual(new Set(['Id-1@example.nl']));
  });
});

describe('syntheticMessageId', () => {
  it('prefixes a SHA-256 digest', () => {
    expect(syntheticMessageId('a'.repeat(64))).toBe(`synthetic:${'a'.repeat(64)}`);
  });
  it.each(['', 'xyz', 'A'.repeat(64), 'a'.repeat(63)])('refuses %j', (digest) => {
    expect(() => syntheticMessageId(digest)).toThrow();
  });
});
