/**
 * Runs the simulated bank on its own: `tsx simulators/bank/main.ts`, configured from the
 * environment: BANK_PORT (default 8092), BANK_TOKEN (required), BANK_ACCOUNT_IBAN (required),
 * BANK_RETURNS (optional JSON array of return rules), BANK_REPORTING (optional JSON, e.g.
 * {"credit":"batch","returns":"later","version":"001.08"}).
 *
 * A simulator is a separate program standing in for a counterpart, not part of the platform:
 * it reads its own environment here on purpose instead of going through config/settings.ts
 * (the lint rule against process.env leaves simulators/ free for that reason).
 */
import { parseReporting, parseReturnRules } from './returns.js';
import { startBankSimulator } from './simulator.js';

try {
  const token = process.env.BANK_TOKEN;
  const accountIban = process.env.BANK_ACCOUNT_IBAN;
  if (!token || !accountIban) throw new TypeError('BANK_TOKEN and BANK_ACCOUNT_IBAN must be set');
  const port = Number(process.env.BANK_PORT ?? 8092);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new TypeError(`BANK_PORT must be a port number, got ${process.env.BANK_PORT}`);
  const returns = process.env.BANK_RETURNS ? parseReturnRules(JSON.parse(process.env.BANK_RETURNS)) : [];
  const reporting = process.env.BANK_REPORTING ? parseReporting(JSON.parse(process.env.BANK_REPORTING)) : undefined;
  const bank = await startBankSimulator({ port, token, accountIban, returns, ...(reporting ? { reporting } : {}), log: (line) => console.log(line) });
  console.log(`Bank simulator: pain.008 to ${bank.collectionsUrl}, statements at ${bank.url}/statements/:batchId`);
  const shutdown = () => {
    bank.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
