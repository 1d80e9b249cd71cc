import { describe, expect, it } from 'vitest';
import { passwordProblem } from './passwords.js';

describe('password rules', () => {
  const email = 'anna.jansen@kantoor.example';
  it.each([
    ['', 'too-short'],
    ['elf-tekens!', 'too-short'],
    ['twaalf-teken', undefined],
    ['paard-batterij-nietje-42', undefined],
    ['x'.repeat(200), 'too-common'],
    ['ab'.repeat(100) + 'c', 'too-long'],
    ['ANNA.JANSEN@kantoor.example', 'equals-email'],
    ['anna.jansen@kantoor.example', 'equals-email'],
    ['Wachtwoord1234', 'too-common'],
    ['aaaaaaaaaaaaaaaa', 'too-common'],
    ['💙💙💙💙💙💙💙💙💙💙💙', 'too-short'],
    ['💙💛💙💛💙💛💙💛💙💛💙💛', undefined],
  ] as const)('%j → %s', (password, problem) => {
    expect(passwordProblem(password, email)).toBe(problem);
  });
  it('refuses the local part of the e-mail as the password', () => {
    expect(passwordProblem('anna.jansen.nl', 'anna.jansen.nl@x.example')).toBe('equals-email');
  });
});
