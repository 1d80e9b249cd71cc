/**
 * The password rules of an office user's account (*wachtwoordregels*): long rather than
 * complicated (NIST SP 800-63B): at least 12 characters, at most 200 (hashing is costly), not
 * the e-mail address itself, not one of the well-known passwords every attacker tries first.
 * The hash itself is argon2id (services/access/passwords.ts); these rules are pure.
 */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 200;

/** Passwords of 12+ characters that lead every leaked-password list: refused however long. */
const denied = new Set([
  'password1234', 'passwordpassword', 'wachtwoord12', 'wachtwoord123', 'wachtwoord1234', 'welkom123456',
  '123456789012', '1234567890123', 'qwertyuiopas', 'qwerty123456', 'aaaaaaaaaaaa', 'iloveyou1234',
  'dossierflow12', 'dossierflow123', 'hypotheek1234', 'adviseur1234', 'letmein12345', 'admin1234567',
]);

export type PasswordProblem = 'too-short' | 'too-long' | 'equals-email' | 'too-common';

/** Why a password is refused, or undefined when it may be used. */
export function passwordProblem(password: string, email: string): PasswordProblem | undefined {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return 'too-short';
  if (length > PASSWORD_MAX_LENGTH) return 'too-long';
  const lower = password.toLowerCase();
  if (lower === email.trim().toLowerCase() || lower === email.trim().toLowerCase().split('@')[0]) return 'equals-email';
  // One character repeated, or a deny-listed word: the first guesses of every attacker.
  if (denied.has(lower) || /^(.)\1*$/u.test(password)) return 'too-common';
  return undefined;
}

/** The Dutch text the UI shows for a refused password. */
export const passwordProblemText: Record<PasswordProblem, string> = {
  'too-short': `Het wachtwoord moet minstens ${PASSWORD_MIN_LENGTH} tekens hebben`,
  'too-long': `Het wachtwoord mag hoogstens ${PASSWORD_MAX_LENGTH} tekens hebben`,
  'equals-email': 'Het wachtwoord mag niet gelijk zijn aan het e-mailadres',
  'too-common': 'Dit wachtwoord is te bekend; kies een ander',
};
