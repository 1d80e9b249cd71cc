/**
 * A whole number from the environment for the long-run scripts (`npm run chaos`, `npm run
 * fuzz:api`): the fallback when unset, otherwise it must be an integer of at least `min`, or the
 * script stops with exit code 2 and says which variable is wrong.
 */
export function intFromEnv(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) {
    process.stderr.write(`${name} must be an integer >= ${min}, got ${JSON.stringify(raw)}\n`);
    process.exit(2);
  }
  return n;
}
